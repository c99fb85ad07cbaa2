//! Authentication: argon2id password hashes and JSON Web Tokens.
//!
//! The server signs its own tokens with HS256 and a secret of at least 32 bytes.
//! Tokens from an external identity provider are accepted when an RS256 public key
//! is configured; their issuer and audience are checked and their `email` claim
//! names the user. Each algorithm is verified only with its own key, so an HS256
//! token "signed" with the public key is refused.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand_core::OsRng;
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};

use crate::errors::{ApiError, ApiResult};

/// The issuer and audience of tokens this server signs.
pub const LOCAL_ISSUER: &str = "scr";
pub const LOCAL_AUDIENCE: &str = "scr";
/// The audience of calendar-feed tokens: they open the feed and nothing else.
pub const CALENDAR_AUDIENCE: &str = "scr-calendar";
/// How long a second-factor challenge lasts after the password was right.
pub const CHALLENGE_SECONDS: i64 = 600;

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> ApiResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(e.to_string().into()))
}

/// Checks a password against a stored hash. A malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of no one's password, verified when the e-mail is unknown so that the
/// answer takes as long as for a known user with a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("no-such-user-decoy-password").unwrap_or_default())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The provider vouches for the e-mail address (OpenID Connect's claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The user's session (or, for a calendar-feed token, calendar) generation when the
    /// token was issued: a token of an older generation is refused.
    #[serde(default, rename = "gen")]
    pub generation: i32,
    /// The sign-in session the token belongs to: it is good only while that session is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<i32>,
}

/// Who a valid token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A user of this server, by id, trusted as such (the command line, the demo, a
    /// caller just signed in).
    User(i32),
    /// A user of this server by a token of theirs: valid while the user's session
    /// generation is still the one the token was issued in.
    Session { user: i32, generation: i32, session: Option<i32> },
    /// A user signed in at the external identity provider: its issuer and subject,
    /// and the verified e-mail address that binds them to an account the first time.
    External { issuer: String, subject: String, email: String },
}

/// The external identity provider's key and the claims its tokens must carry.
#[derive(Clone)]
pub struct ExternalIdp {
    pub key: DecodingKey,
    pub issuer: String,
    pub audience: String,
}

impl std::fmt::Debug for ExternalIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalIdp").field("issuer", &self.issuer).field("audience", &self.audience).finish()
    }
}

/// Signs and verifies tokens.
#[derive(Clone)]
pub struct Tokens {
    secret: SecretSlice<u8>,
    lifetime: chrono::Duration,
    external: Option<ExternalIdp>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").field("lifetime", &self.lifetime).field("external", &self.external).finish()
    }
}

/// Why token settings were refused at start-up.
#[derive(Debug, thiserror::Error)]
pub enum TokenConfigError {
    #[error("SCR_JWT_SECRET must be at least 32 bytes (it is {0})")]
    SecretTooShort(usize),
    #[error("SCR_JWT_PUBLIC_KEY is not an RSA public key in PEM form: {0}")]
    BadPublicKey(String),
}

impl Tokens {
    pub fn new(
        secret: Vec<u8>,
        lifetime: chrono::Duration,
        external: Option<ExternalIdp>,
    ) -> Result<Self, TokenConfigError> {
        if secret.len() < 32 {
            return Err(TokenConfigError::SecretTooShort(secret.len()));
        }
        Ok(Self { secret: secret.into(), lifetime, external })
    }

    /// Reads the external provider's RS256 public key from PEM.
    pub fn external_idp(pem: &str, issuer: String, audience: String) -> Result<ExternalIdp, TokenConfigError> {
        let key =
            DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| TokenConfigError::BadPublicKey(e.to_string()))?;
        Ok(ExternalIdp { key, issuer, audience })
    }

    /// A random 64-byte secret, for `serve --dev`.
    pub fn random_secret() -> Vec<u8> {
        use rand_core::RngCore;
        let mut s = vec![0u8; 64];
        OsRng.fill_bytes(&mut s);
        s
    }

    pub fn lifetime(&self) -> chrono::Duration {
        self.lifetime
    }

    /// Claims of a token this server signs for `user_id`, to `audience`, good for
    /// `seconds`.
    fn local(user_id: i32, audience: &str, seconds: i64, generation: i32, sid: Option<i32>) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            sub: user_id.to_string(),
            email: None,
            email_verified: None,
            iss: LOCAL_ISSUER.to_owned(),
            aud: audience.to_owned(),
            iat: now,
            exp: now + seconds,
            generation,
            sid,
        }
    }

    /// The user and generation of a token this server signed to `audience`.
    fn verify_local(&self, token: &str, audience: &str) -> ApiResult<(i32, i32)> {
        let claims: Claims = self.verify_any(token, audience)?;
        let user = claims.sub.parse::<i32>().map_err(|_| ApiError::Unauthenticated)?;
        Ok((user, claims.generation))
    }

    /// A signed token for a user of this server.
    pub fn issue(&self, user_id: i32, generation: i32) -> ApiResult<String> {
        self.sign(&Self::local(user_id, LOCAL_AUDIENCE, self.lifetime.num_seconds(), generation, None))
    }

    /// A signed token of one sign-in session, good until `expires_at` (the caller keeps
    /// it within the session's own limits) and while the session lasts.
    pub fn issue_for_session(
        &self,
        user_id: i32,
        generation: i32,
        session: i32,
        expires_at: chrono::DateTime<Utc>,
    ) -> ApiResult<String> {
        let seconds = (expires_at - Utc::now()).num_seconds().max(1);
        self.sign(&Self::local(user_id, LOCAL_AUDIENCE, seconds, generation, Some(session)))
    }

    /// A long-lived token for one user's calendar feed, to put in a calendar app's
    /// subscription address. Its audience keeps it out of the API.
    pub fn issue_calendar(&self, user_id: i32, generation: i32) -> ApiResult<String> {
        self.sign(&Self::local(user_id, CALENDAR_AUDIENCE, chrono::Duration::days(365).num_seconds(), generation, None))
    }

    /// The user a calendar-feed token speaks for, and the calendar generation it was
    /// issued in (the caller compares it with the user's).
    pub fn verify_calendar(&self, token: &str) -> ApiResult<(i32, i32)> {
        self.verify_local(token, CALENDAR_AUDIENCE)
    }

    /// A short-lived challenge for a second factor (`audience` says which step): it names
    /// the account and its session generation, and opens nothing but that step.
    pub fn issue_challenge(&self, user_id: i32, generation: i32, audience: &str) -> ApiResult<String> {
        self.sign(&Self::local(user_id, audience, CHALLENGE_SECONDS, generation, None))
    }

    /// The account and session generation of a challenge for the `audience` step.
    pub fn verify_challenge(&self, token: &str, audience: &str) -> ApiResult<(i32, i32)> {
        self.verify_local(token, audience)
    }

    /// Signs any claims with the server's key (they carry their own `iss`, `aud` and `exp`).
    pub fn sign_any<T: Serialize>(&self, claims: &T) -> ApiResult<String> {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(self.secret.expose_secret()),
        )
        .map_err(ApiError::internal)
    }

    /// Claims this server signed for `audience`, unexpired.
    pub fn verify_any<T: serde::de::DeserializeOwned>(&self, token: &str, audience: &str) -> ApiResult<T> {
        let mut v = Validation::new(Algorithm::HS256);
        v.set_issuer(&[LOCAL_ISSUER]);
        v.set_audience(&[audience]);
        jsonwebtoken::decode::<T>(token, &DecodingKey::from_secret(self.secret.expose_secret()), &v)
            .map(|d| d.claims)
            .map_err(|e| reject(&e))
    }

    /// Signs arbitrary claims with the server's key (tests use this for edge cases).
    pub fn sign(&self, claims: &Claims) -> ApiResult<String> {
        self.sign_any(claims)
    }

    /// Verifies a bearer token. Every failure is `UNAUTHENTICATED`; the reason is
    /// logged at debug level, never sent.
    pub fn verify(&self, token: &str) -> ApiResult<Subject> {
        let header = jsonwebtoken::decode_header(token).map_err(|e| reject(&e))?;
        match header.alg {
            Algorithm::HS256 => {
                let mut v = Validation::new(Algorithm::HS256);
                v.set_issuer(&[LOCAL_ISSUER]);
                v.set_audience(&[LOCAL_AUDIENCE]);
                v.leeway = 5;
                let data =
                    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(self.secret.expose_secret()), &v)
                        .map_err(|e| reject(&e))?;
                let user = data.claims.sub.parse::<i32>().map_err(|_| ApiError::Unauthenticated)?;
                Ok(Subject::Session { user, generation: data.claims.generation, session: data.claims.sid })
            }
            Algorithm::RS256 => {
                let idp = self.external.as_ref().ok_or(ApiError::Unauthenticated)?;
                let mut v = Validation::new(Algorithm::RS256);
                v.set_issuer(&[idp.issuer.as_str()]);
                v.set_audience(&[idp.audience.as_str()]);
                v.leeway = 5;
                let data = jsonwebtoken::decode::<Claims>(token, &idp.key, &v).map_err(|e| reject(&e))?;
                // An address the provider does not vouch for names nobody.
                if data.claims.email_verified != Some(true) || data.claims.sub.is_empty() {
                    tracing::debug!("external token without a verified e-mail address or a subject");
                    return Err(ApiError::Unauthenticated);
                }
                let email = data.claims.email.ok_or(ApiError::Unauthenticated)?.to_lowercase();
                Ok(Subject::External { issuer: data.claims.iss, subject: data.claims.sub, email })
            }
            _ => Err(ApiError::Unauthenticated),
        }
    }
}

fn reject(e: &jsonwebtoken::errors::Error) -> ApiError {
    tracing::debug!(error = %e, "token refused");
    ApiError::Unauthenticated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse battery!"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(matches!(
            Tokens::new(vec![1; 31], chrono::Duration::minutes(15), None),
            Err(TokenConfigError::SecretTooShort(31))
        ));
    }

    #[test]
    fn a_calendar_token_opens_the_feed_only() {
        let t = Tokens::new(vec![7; 32], chrono::Duration::minutes(15), None).unwrap();
        let cal = t.issue_calendar(42, 3).unwrap();
        assert_eq!(t.verify_calendar(&cal).unwrap(), (42, 3));
        assert!(t.verify(&cal).is_err(), "not a bearer token for the API");
        assert!(t.verify_calendar(&t.issue(42, 0).unwrap()).is_err(), "an API token is not a feed token");
    }

    #[test]
    fn an_issued_token_verifies_to_its_user() {
        let t = Tokens::new(vec![7; 32], chrono::Duration::minutes(15), None).unwrap();
        let tok = t.issue(42, 5).unwrap();
        assert_eq!(t.verify(&tok).unwrap(), Subject::Session { user: 42, generation: 5, session: None });
    }
}
