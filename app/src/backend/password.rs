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
        assert!(
            !super::verify("x".into(), "not a hash".into())
                .await
                .unwrap()
        );
    }
}
