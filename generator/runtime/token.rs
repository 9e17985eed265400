//! Tokens that are fetched and refreshed rather than given once.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a token could not be had.
pub type TokenError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, TokenError>> + Send + 'a>>;

/// Supplies a token for each request, refreshing it as it sees fit.
///
/// Implement it to plug in any identity library; [`ClientCredentials`] is the OAuth 2.0
/// client credentials grant.
pub trait TokenSource: Send + Sync {
    /// The token to send now.
    fn token(&self) -> TokenFuture<'_>;
}

/// The OAuth 2.0 client credentials grant (RFC 6749 §4.4): a token fetched from the token
/// URL with HTTP Basic client authentication, and reused until shortly before it expires.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
    scopes: Vec<String>,
    http: reqwest::Client,
    cached: tokio::sync::Mutex<Option<(String, Instant)>>,
}

/// How long before its expiry a cached token is replaced.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);
/// How long a token without `expires_in` is reused.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

impl ClientCredentials {
    /// A source that asks `token_url` for tokens with the given client and scopes.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        scopes: &[&str],
    ) -> Arc<Self> {
        Arc::new(Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
            http: reqwest::Client::new(),
            cached: tokio::sync::Mutex::new(None),
        })
    }

    async fn fetch(&self) -> Result<(String, Instant), TokenError> {
        let mut form = vec![("grant_type", "client_credentials".to_owned())];
        if !self.scopes.is_empty() {
            form.push(("scope", self.scopes.join(" ")));
        }
        let response = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&form)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(
                format!("the token endpoint answered {status}: {}", String::from_utf8_lossy(&body)).into()
            );
        }
        #[derive(serde::Deserialize)]
        struct Grant {
            access_token: String,
            expires_in: Option<u64>,
        }
        let grant: Grant = serde_json::from_slice(&body)?;
        let lifetime = grant.expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok((grant.access_token, Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN)))
    }
}

impl TokenSource for ClientCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            // Holding the lock while fetching makes concurrent requests share one fetch.
            let mut cached = self.cached.lock().await;
            if let Some((token, valid_until)) = cached.as_ref()
                && Instant::now() < *valid_until
            {
                return Ok(token.clone());
            }
            let (token, valid_until) = self.fetch().await?;
            *cached = Some((token.clone(), valid_until));
            Ok(token)
        })
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .finish()
    }
}
