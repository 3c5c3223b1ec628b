use async_trait::async_trait;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{MailError, MailTransport, OutgoingMail, build_message};

/// SMTP with lettre's connection pool. `smtp://host:port` is plain (loopback, tests),
/// `smtp://host?tls=required` uses STARTTLS, `smtps://user:pass@host` implicit TLS.
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpTransport {
    pub fn from_url(url: &str) -> anyhow::Result<SmtpTransport> {
        Self::with_pool(url, 10)
    }

    /// With up to `connections` pooled connections: one per mail the sender sends at once
    /// (each SMTP transaction waits on the network, so the rate grows with them).
    pub fn with_pool(url: &str, connections: u32) -> anyhow::Result<SmtpTransport> {
        let inner = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("PETITIO_SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(connections.max(1)))
            .build();
        Ok(SmtpTransport { inner })
    }
}

#[async_trait]
impl MailTransport for SmtpTransport {
    async fn send(&self, mail: &OutgoingMail) -> Result<String, MailError> {
        let message = build_message(mail)?;
        match self.inner.send(message).await {
            Ok(response) => Ok(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Transient(e.to_string())),
        }
    }

    fn kind(&self) -> &'static str {
        "smtp"
    }
}
