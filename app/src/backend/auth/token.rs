//! Session tokens: HS256 JWTs carrying the user and a server-side session id (so a session can
//! be revoked). Only HS256 is accepted — `alg: none`, other algorithms, other keys, expired and
//! not-yet-valid tokens are refused.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

/// What a session token says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The session id; a revoked session makes the token worthless before it expires.
    pub sid: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the session has expired")]
    Expired,
    #[error("the token is not valid")]
    Invalid,
}

/// Seconds of clock difference tolerated between instances.
const LEEWAY_SECS: u64 = 5;

/// Signs a token for `user_id` and session `sid`, valid from `now` for `ttl`.
pub fn issue(
    secret: &[u8],
    user_id: i64,
    sid: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<String, TokenError> {
    issue_for(secret, &user_id.to_string(), sid, now, ttl)
}

/// Signs a token for any subject (`"7"` for user 7, `"case:12"` for a tracking link).
pub fn issue_for(
    secret: &[u8],
    subject: &str,
    sid: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<String, TokenError> {
    let claims = Claims {
        sub: subject.to_string(),
        sid: sid.to_string(),
        iat: now.timestamp(),
        nbf: now.timestamp(),
        exp: (now + ttl).timestamp(),
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(|_| TokenError::Invalid)
}

/// Checks signature, algorithm and validity period (against the real clock).
pub fn verify(secret: &[u8], token: &str) -> Result<Claims, TokenError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.algorithms = vec![Algorithm::HS256];
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_required_spec_claims(&["exp", "nbf", "iat", "sub"]);
    decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
            _ => TokenError::Invalid,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn b64(s: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    fn claims_json(exp_offset: i64, nbf_offset: i64) -> String {
        let now = Utc::now().timestamp();
        format!(
            r#"{{"sub":"7","sid":"s1","iat":{now},"nbf":{},"exp":{}}}"#,
            now + nbf_offset,
            now + exp_offset
        )
    }

    #[test]
    fn a_forged_header_is_encoded_like_a_real_one() {
        // The refusals below are about what was changed, not about a broken encoding.
        let good = issue(KEY, 7, "s1", Utc::now(), Duration::minutes(15)).unwrap();
        let parts: Vec<&str> = good.split('.').collect();
        assert_eq!(b64(r#"{"typ":"JWT","alg":"HS256"}"#), parts[0]);
    }

    #[test]
    fn a_token_round_trips() {
        let token = issue(KEY, 7, "s1", Utc::now(), Duration::minutes(15)).unwrap();
        let claims = verify(KEY, &token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.sid.as_str()), ("7", "s1"));
    }

    #[test]
    fn wrong_keys_algorithms_and_periods_are_refused() {
        // Another key.
        let token = issue(
            b"another-key-another-key-another-key",
            7,
            "s1",
            Utc::now(),
            Duration::minutes(15),
        )
        .unwrap();
        assert_eq!(verify(KEY, &token), Err(TokenError::Invalid));
        // Expired an hour ago.
        let token = issue(
            KEY,
            7,
            "s1",
            Utc::now() - Duration::hours(2),
            Duration::hours(1),
        )
        .unwrap();
        assert_eq!(verify(KEY, &token), Err(TokenError::Expired));
        // Not valid yet.
        let token = issue(
            KEY,
            7,
            "s1",
            Utc::now() + Duration::hours(1),
            Duration::hours(1),
        )
        .unwrap();
        assert_eq!(verify(KEY, &token), Err(TokenError::Invalid));
        // HS512 with the right key: the algorithm is refused.
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &serde_json::from_str::<Claims>(&claims_json(600, 0)).unwrap(),
            &EncodingKey::from_secret(KEY),
        )
        .unwrap();
        assert_eq!(verify(KEY, &hs512), Err(TokenError::Invalid));
        // alg: none, unsigned.
        let none = format!(
            "{}.{}.",
            b64(r#"{"alg":"none","typ":"JWT"}"#),
            b64(&claims_json(600, 0))
        );
        assert_eq!(verify(KEY, &none), Err(TokenError::Invalid));
        // A valid token with its payload swapped.
        let good = issue(KEY, 7, "s1", Utc::now(), Duration::minutes(15)).unwrap();
        let parts: Vec<&str> = good.split('.').collect();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            b64(&claims_json(600, 0).replace("\"7\"", "\"1\"")),
            parts[2]
        );
        assert_eq!(verify(KEY, &forged), Err(TokenError::Invalid));
        // Garbage.
        assert_eq!(verify(KEY, "not.a.token"), Err(TokenError::Invalid));
        assert_eq!(verify(KEY, ""), Err(TokenError::Invalid));
    }
}
