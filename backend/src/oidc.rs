//! Single sign-on through an organisation's OpenID provider: the authorization code
//! flow with PKCE, from the browser's "Sign in with ..." button.
//!
//! `GET /api/oidc/{provider}/start` sends the browser to the provider with a fresh
//! `state`, `nonce` and PKCE challenge, kept for ten minutes in a signed `HttpOnly`
//! cookie for `/api/oidc` only. `GET /api/oidc/{provider}/callback` checks the `state`,
//! exchanges the code with the PKCE verifier and the client secret, and checks the ID
//! token: signature against the provider's published keys (an unknown key id fetches
//! them again, once), issuer, audience, expiry and nonce; then `email_verified`. The
//! account is the one bound to the provider's `(iss, sub)`; the first time, the active
//! account with that verified address, bound then and never by the address again
//! (`context::external_account`). A session of this server's own then begins.
//!
//! A provider speaks only for the e-mail domains configured for it. The first sign-in
//! never binds an account that administers, or that has set up a second factor of
//! this server's: those sign in here, not through a provider.
//!
//! Providers are configured from the environment: `SCR_OIDC_PROVIDERS=council,nhs`,
//! then for each `SCR_OIDC_<ID>_NAME`, `_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET` and
//! `_DOMAINS` (comma-separated).

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::Tokens;
use crate::errors::{ApiError, ApiResult};

/// The flow cookie, and the only path it is sent to.
pub const FLOW_COOKIE: &str = "scr_oidc";
const FLOW_PATH: &str = "/api/oidc";
const FLOW_AUDIENCE: &str = "scr-oidc-flow";
const FLOW_SECONDS: i64 = 600;
/// The provider's keys are fetched again at most this often, whatever tokens arrive.
const REFETCH_AT_MOST_EVERY: Duration = Duration::from_secs(2);

/// One configured provider.
pub struct Provider {
    pub id: String,
    /// Shown on the button: "Sign in with {name}".
    pub name: String,
    issuer: IssuerUrl,
    /// The e-mail domains this provider speaks for: an address elsewhere binds nobody.
    domains: Vec<String>,
    client_id: ClientId,
    secret: Option<ClientSecret>,
    /// The discovery document with the keys, and when it was fetched.
    metadata: tokio::sync::RwLock<Option<(CoreProviderMetadata, Instant)>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").field("id", &self.id).field("issuer", &self.issuer.as_str()).finish()
    }
}

/// Every configured provider, and where their callbacks come back to.
#[derive(Debug, Clone, Default)]
pub struct Providers {
    list: Arc<Vec<Provider>>,
    /// The address people open the product at (`SCR_PUBLIC_URL`).
    public_url: String,
    http: openidconnect::reqwest::Client,
}

/// A provider's settings, as configured.
#[derive(Debug, Clone)]
pub struct ProviderSettings {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The e-mail domains the provider speaks for (`SCR_OIDC_<ID>_DOMAINS`).
    pub domains: Vec<String>,
}

impl ProviderSettings {
    /// Reads `SCR_OIDC_PROVIDERS` and each provider's variables; a missing one is named.
    pub fn from_env() -> Result<Vec<Self>, String> {
        let Ok(ids) = std::env::var("SCR_OIDC_PROVIDERS") else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let key = |what: &str| format!("SCR_OIDC_{}_{what}", id.to_uppercase().replace('-', "_"));
            let need = |what: &str| std::env::var(key(what)).map_err(|_| format!("{} is not set", key(what)));
            out.push(Self {
                id: id.to_owned(),
                name: need("NAME")?,
                issuer: need("ISSUER")?,
                client_id: need("CLIENT_ID")?,
                client_secret: std::env::var(key("CLIENT_SECRET")).ok(),
                domains: need("DOMAINS")?
                    .split(',')
                    .map(|d| d.trim().trim_start_matches('@').to_lowercase())
                    .filter(|d| !d.is_empty())
                    .collect(),
            });
        }
        Ok(out)
    }
}

/// What the flow cookie holds, signed by the server.
#[derive(Serialize, Deserialize)]
struct Flow {
    iss: String,
    aud: String,
    exp: i64,
    provider: String,
    state: String,
    nonce: String,
    verifier: String,
}

/// Who signed in at a provider.
#[derive(Debug, Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: String,
}

fn refused(why: &str) -> ApiError {
    tracing::info!(why, "a single sign-on was refused");
    ApiError::Unauthenticated
}

impl Providers {
    pub fn new(settings: Vec<ProviderSettings>, public_url: &str) -> Result<Self, String> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider send the server elsewhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        let mut list = Vec::new();
        for s in settings {
            list.push(Provider {
                issuer: IssuerUrl::new(s.issuer.clone()).map_err(|e| format!("{}: {e}", s.issuer))?,
                domains: s.domains,
                client_id: ClientId::new(s.client_id),
                secret: s.client_secret.map(ClientSecret::new),
                id: s.id,
                name: s.name,
                metadata: tokio::sync::RwLock::new(None),
            });
        }
        Ok(Self { list: Arc::new(list), public_url: public_url.trim_end_matches('/').to_owned(), http })
    }

    /// The providers people may sign in through: (id, name).
    pub fn offered(&self) -> Vec<(String, String)> {
        self.list.iter().map(|p| (p.id.clone(), p.name.clone())).collect()
    }

    fn find(&self, id: &str) -> ApiResult<&Provider> {
        self.list.iter().find(|p| p.id == id).ok_or(ApiError::NotFound)
    }

    /// The provider's discovery document and keys: cached, fetched again when `fresh`
    /// (an unknown key id), at most every few seconds.
    async fn metadata(&self, p: &Provider, fresh: bool) -> ApiResult<CoreProviderMetadata> {
        if let Some((m, at)) = p.metadata.read().await.as_ref()
            && (!fresh || at.elapsed() < REFETCH_AT_MOST_EVERY)
        {
            return Ok(m.clone());
        }
        let m = CoreProviderMetadata::discover_async(p.issuer.clone(), &self.http).await.map_err(|e| {
            tracing::warn!(provider = %p.id, error = %e, "the identity provider's discovery document could not be read");
            ApiError::Unavailable
        })?;
        *p.metadata.write().await = Some((m.clone(), Instant::now()));
        Ok(m)
    }

    fn redirect(&self, p: &Provider) -> ApiResult<RedirectUrl> {
        RedirectUrl::new(format!("{}/api/oidc/{}/callback", self.public_url, p.id)).map_err(ApiError::internal)
    }

    /// Where to send the browser, and the flow cookie's `Set-Cookie` value.
    pub async fn start(&self, tokens: &Tokens, provider: &str) -> ApiResult<(String, String)> {
        let p = self.find(provider)?;
        let meta = self.metadata(p, false).await?;
        let client = CoreClient::from_provider_metadata(meta, p.client_id.clone(), p.secret.clone())
            .set_redirect_uri(self.redirect(p)?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge)
            .url();
        let flow = Flow {
            iss: crate::auth::LOCAL_ISSUER.into(),
            aud: FLOW_AUDIENCE.into(),
            exp: chrono::Utc::now().timestamp() + FLOW_SECONDS,
            provider: p.id.clone(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
        };
        let cookie = format!(
            "{FLOW_COOKIE}={}; Path={FLOW_PATH}; Max-Age={FLOW_SECONDS}; HttpOnly; Secure; SameSite=Lax",
            tokens.sign_any(&flow)?
        );
        Ok((url.to_string(), cookie))
    }

    /// The identity the provider vouches for, after its redirect back with `code` and
    /// `state`; `flow` is the flow cookie. Every refusal is `UNAUTHENTICATED`.
    pub async fn finish(
        &self,
        tokens: &Tokens,
        provider: &str,
        code: &str,
        state: &str,
        flow: &str,
    ) -> ApiResult<Identity> {
        let p = self.find(provider)?;
        let flow: Flow =
            tokens.verify_any(flow, FLOW_AUDIENCE).map_err(|_| refused("no flow cookie, or an expired one"))?;
        // Compared as digests: no early exit on the first differing byte.
        if flow.provider != p.id || Sha256::digest(state.as_bytes()) != Sha256::digest(flow.state.as_bytes()) {
            return Err(refused("the state does not match"));
        }
        let meta = self.metadata(p, false).await?;
        let client = CoreClient::from_provider_metadata(meta, p.client_id.clone(), p.secret.clone())
            .set_redirect_uri(self.redirect(p)?);
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(ApiError::internal)?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::info!(error = %e, "the identity provider refused the code");
                ApiError::Unauthenticated
            })?;
        let id_token = answer.id_token().ok_or_else(|| refused("no ID token"))?;
        let nonce = Nonce::new(flow.nonce.clone());
        let checked = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(c) => Ok(c.clone()),
            // Signed with a key not yet seen: the provider has rotated its keys.
            Err(ClaimsVerificationError::SignatureVerification(_)) => {
                let meta = self.metadata(p, true).await?;
                let client = CoreClient::from_provider_metadata(meta, p.client_id.clone(), p.secret.clone());
                id_token.claims(&client.id_token_verifier(), &nonce).cloned()
            }
            Err(e) => Err(e),
        };
        let claims = checked.map_err(|e| {
            tracing::info!(error = %e, "an ID token was refused");
            ApiError::Unauthenticated
        })?;
        if claims.email_verified() != Some(true) {
            return Err(refused("the e-mail address is not verified"));
        }
        let email = claims.email().map(|e| e.as_str().to_lowercase()).ok_or_else(|| refused("no e-mail address"))?;
        let domain = email.rsplit_once('@').map(|(_, d)| d.to_owned()).unwrap_or_default();
        if !p.domains.contains(&domain) {
            return Err(refused("an address outside the provider's domains"));
        }
        Ok(Identity {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email,
        })
    }
}

/// The account a provider's identity signs in as: the one bound to it; the first time,
/// the active account with its address, unless that account administers or has a
/// second factor here (a provider is not trusted to stand in for those).
pub async fn account_for(db: &sea_orm::DatabaseConnection, who: &Identity) -> ApiResult<i32> {
    use crate::entities::{external_identity, role_grant, user};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let bound = external_identity::Entity::find()
        .filter(external_identity::Column::Issuer.eq(who.issuer.as_str()))
        .filter(external_identity::Column::Subject.eq(who.subject.as_str()))
        .one(db)
        .await?;
    if bound.is_none()
        && let Some(u) = user::Entity::find().filter(user::Column::Email.eq(who.email.as_str())).one(db).await?
    {
        let admin = role_grant::Entity::find()
            .filter(role_grant::Column::UserId.eq(u.id))
            .filter(role_grant::Column::Role.eq(shared::role::Role::SystemAdministrator.as_str()))
            .one(db)
            .await?
            .is_some();
        if admin || u.totp_secret.is_some() {
            return Err(refused("an account that administers or has a second factor here is not bound by a provider"));
        }
    }
    crate::context::external_account(db, &who.issuer, &who.subject, &who.email).await
}

/// The flow cookie in a request's `Cookie` header.
pub fn presented(headers: &axum::http::HeaderMap) -> Option<String> {
    crate::session_rules::cookie(headers, FLOW_COOKIE)
}

/// The `Set-Cookie` value that removes the flow cookie.
pub fn cleared_cookie() -> String {
    format!("{FLOW_COOKIE}=; Path={FLOW_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
}
