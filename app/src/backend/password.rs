//! Password hashing with Argon2id (the `argon2` crate's defaults: m = 19 MiB, t = 2, p = 1,
//! the OWASP recommendation). Hashing runs on the blocking pool, never on the async runtime.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::backend::error::internal;
use crate::model::AppError;

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| internal("password hashing task failed", e))?
    .map_err(|e| internal("password hashing failed", e))
}

/// A hash of a random password, verified against when the account does not exist, so that a
/// wrong address takes as long to refuse as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).unwrap_or_else(|_| {
        SaltString::from_b64("c2FsdHNhbHRzYWx0c2FsdA").expect("a valid constant salt")
    });
    Argon2::default()
        .hash_password(&rand::random::<[u8; 16]>(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Like [`verify`], but for an account that may not exist or have no password: then it checks
/// against a dummy hash (same cost) and answers false.
pub async fn verify_or_dummy(password: String, stored: Option<String>) -> Result<bool, AppError> {
    match stored {
        Some(stored) => verify(password, stored).await,
        None => tokio::task::spawn_blocking(move || {
            if let Ok(parsed) = PasswordHash::new(&DUMMY_HASH) {
                let _ = Argon2::default().verify_password(password.as_bytes(), &parsed);
            }
            false
        })
        .await
        .map_err(|e| internal("password verification task failed", e)),
    }
}

/// True when `password` matches the stored PHC string; false for a mismatch or a malformed hash.
pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| internal("password verification task failed", e))
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let h = super::hash("demo-password-1".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            super::verify("demo-password-1".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!super::verify("demo-password-2".into(), h).await.unwrap());
        assert!(!super::verify_or_dummy("x".into(), None).await.unwrap());
        assert!(
            !super::verify("x".into(), "not a hash".into())
                .await
                .unwrap()
        );
    }
}
