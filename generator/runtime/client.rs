//! The HTTP client and its credentials.

use super::config::{retry_after, retryable_status};
use super::hooks::{Attempt, Hook, Hooks};
use super::request::Payload;
use super::request::encode_component;
use super::{Config, Error, RawResponse, Request, RetryPolicy, TokenSource};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A secret that authenticates requests for one security scheme.
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub enum Credential {
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
    /// `Authorization: <prefix> <token>`, such as a bearer token.
    Token {
        /// The authentication scheme, such as `Bearer`.
        prefix: String,
        /// The token.
        token: String,
    },
    /// `Authorization: <prefix> <token>` with a token asked of `source` for each request.
    Source {
        /// The authentication scheme, such as `Bearer`.
        prefix: String,
        /// Where tokens come from.
        source: Arc<dyn TokenSource>,
    },
    /// A key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
        /// The key.
        key: String,
    },
}

impl Credential {
    /// HTTP Basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic { username: username.into(), password: password.into() }
    }

    /// A token sent as `Authorization: <prefix> <token>`.
    pub fn token(prefix: impl Into<String>, token: impl Into<String>) -> Self {
        Self::Token { prefix: prefix.into(), token: token.into() }
    }

    /// A token asked of `source` before each request, such as [`ClientCredentials`](super::ClientCredentials).
    pub fn token_source(prefix: impl Into<String>, source: Arc<dyn TokenSource>) -> Self {
        Self::Source { prefix: prefix.into(), source }
    }

    /// An API key sent as the header, query parameter or cookie `name`.
    pub fn api_key(location: ApiKeyLocation, name: impl Into<String>, key: impl Into<String>) -> Self {
        Self::ApiKey { location, name: name.into(), key: key.into() }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { username, .. } => {
                f.debug_struct("Basic").field("username", username).field("password", &"<redacted>").finish()
            }
            Self::Token { prefix, .. } => {
                f.debug_struct("Token").field("prefix", prefix).field("token", &"<redacted>").finish()
            }
            Self::Source { prefix, .. } => {
                f.debug_struct("Source").field("prefix", prefix).field("source", &"<token source>").finish()
            }
            Self::ApiKey { location, name, .. } => f
                .debug_struct("ApiKey")
                .field("location", location)
                .field("name", name)
                .field("key", &"<redacted>")
                .finish(),
        }
    }
}

/// Sends [`Request`]s to one base URL with the credentials it holds.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    /// Credentials by security scheme key.
    credentials: Vec<(String, Credential)>,
    config: Config,
    hooks: Hooks,
}

/// `User-Agent` of every request: the generated crate's name and version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A request ready to go out, kept so that retries resend the same thing.
struct Prepared {
    method: reqwest::Method,
    template: &'static str,
    url: reqwest::Url,
    headers: reqwest::header::HeaderMap,
    body: Option<Payload>,
    stream_statuses: &'static [(u16, u16)],
}

impl Client {
    /// A client for `base_url` (a trailing `/` is ignored) with the default [`Config`].
    pub fn new(base_url: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        let config = Config::default();
        Self {
            http: http_client(&config),
            base_url,
            credentials: Vec::new(),
            config,
            hooks: Hooks::default(),
        }
    }

    /// Uses `http` to send requests (its own connect timeout and TLS settings apply).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Uses `config` for retries, timeouts and limits.
    pub fn with_config(mut self, config: Config) -> Self {
        if (config.connect_timeout, config.read_timeout)
            != (self.config.connect_timeout, self.config.read_timeout)
        {
            self.http = http_client(&config);
        }
        self.config = config;
        self
    }

    /// Runs `hook` around every attempt of every request (after the hooks added before it).
    pub fn with_hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// The settings in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sets the credential of the security scheme `scheme`, replacing any earlier one.
    pub fn with_credential(mut self, scheme: &str, credential: Credential) -> Self {
        self.credentials.retain(|(key, _)| key != scheme);
        self.credentials.push((scheme.to_owned(), credential));
        self
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A `GET` request for `path`, a template with `{name}` placeholders.
    pub fn get(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::GET, path)
    }

    /// A `PUT` request for `path`, a template with `{name}` placeholders.
    pub fn put(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::PUT, path)
    }

    /// A `POST` request for `path`, a template with `{name}` placeholders.
    pub fn post(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::POST, path)
    }

    /// A `DELETE` request for `path`, a template with `{name}` placeholders.
    pub fn delete(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::DELETE, path)
    }

    /// A `OPTIONS` request for `path`, a template with `{name}` placeholders.
    pub fn options(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::OPTIONS, path)
    }

    /// A `HEAD` request for `path`, a template with `{name}` placeholders.
    pub fn head(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::HEAD, path)
    }

    /// A `PATCH` request for `path`, a template with `{name}` placeholders.
    pub fn patch(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::PATCH, path)
    }

    /// A `TRACE` request for `path`, a template with `{name}` placeholders.
    pub fn trace(&self, path: &'static str) -> Request<'_> {
        Request::new(self, reqwest::Method::TRACE, path)
    }

    fn credential(&self, scheme: &str) -> Option<&Credential> {
        self.credentials.iter().find(|(key, _)| key == scheme).map(|(_, credential)| credential)
    }

    /// The credentials of the first alternative of `security` that this client can satisfy.
    fn credentials_for(&self, security: &[&[&str]]) -> Vec<&Credential> {
        security
            .iter()
            .filter(|schemes| !schemes.is_empty())
            .find_map(|schemes| {
                schemes.iter().map(|scheme| self.credential(scheme)).collect::<Option<Vec<_>>>()
            })
            .unwrap_or_default()
    }

    async fn prepare<E>(&self, request: Request<'_>) -> Result<Prepared, Error<E>> {
        let mut parts = request.into_parts().map_err(Error::InvalidRequest)?;
        let url = match &parts.link {
            // A next link: absolute, or relative to the base URL.
            Some(link) => reqwest::Url::parse(&format!("{}/", self.base_url))
                .and_then(|base| base.join(link))
                .map_err(|error| Error::InvalidRequest(format!("invalid next link `{link}`: {error}")))?,
            None => reqwest::Url::parse(&format!("{}{}", self.base_url, parts.path)).map_err(|error| {
                Error::InvalidRequest(format!("invalid URL `{}{}`: {error}", self.base_url, parts.path))
            })?,
        };
        // Credentials go only to the base URL's host: a next link elsewhere gets none.
        let same_origin = reqwest::Url::parse(&self.base_url).is_ok_and(|base| base.origin() == url.origin());
        let security = if same_origin { parts.security } else { &[] };
        for credential in self.credentials_for(security) {
            match credential {
                Credential::Basic { username, password } => {
                    use base64::Engine as _;
                    let encoded =
                        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
                    parts.headers.push(("Authorization".into(), format!("Basic {encoded}")));
                }
                Credential::Token { prefix, token } => {
                    parts.headers.push(("Authorization".into(), format!("{prefix} {token}")));
                }
                Credential::Source { prefix, source } => {
                    let token = source.token().await.map_err(Error::Credential)?;
                    parts.headers.push(("Authorization".into(), format!("{prefix} {token}")));
                }
                Credential::ApiKey { location: ApiKeyLocation::Header, name, key } => {
                    parts.headers.push((name.clone(), key.clone()));
                }
                Credential::ApiKey { location: ApiKeyLocation::Query, name, key } => {
                    let pair = format!("{}={}", encode_component(name), encode_component(key));
                    parts.query.push(pair);
                }
                Credential::ApiKey { location: ApiKeyLocation::Cookie, name, key } => {
                    parts.cookies.push((name.clone(), key.clone()));
                }
            }
        }

        let mut url = url;
        if !parts.query.is_empty() {
            url.set_query(Some(&parts.query.join("&")));
        }
        if !parts.cookies.is_empty() {
            let cookie = parts
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            parts.headers.push(("Cookie".into(), cookie));
        }
        let mut headers = reqwest::header::HeaderMap::with_capacity(parts.headers.len() + 2);
        headers.insert(reqwest::header::USER_AGENT, reqwest::header::HeaderValue::from_static(USER_AGENT));
        // A form's media type names its boundary: reqwest writes it for each attempt.
        if let Some((content_type, Payload::Body(_))) = &parts.body {
            parts.headers.push(("Content-Type".into(), content_type.clone()));
        }
        for (name, value) in &parts.headers {
            let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?;
            let header_value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidRequest(format!(
                    "the value of header `{name}` contains characters a header cannot carry"
                ))
            })?;
            headers.append(header_name, header_value);
        }
        Ok(Prepared {
            method: parts.method,
            template: parts.template,
            url,
            headers,
            body: parts.body.map(|(_, body)| body),
            stream_statuses: parts.stream_statuses,
        })
    }

    /// Sends `request`, retrying as `retry` allows, and reads the whole response.
    pub(super) async fn execute<E>(
        &self,
        request: Request<'_>,
        retry: &RetryPolicy,
        connect_timeout: Option<Duration>,
    ) -> Result<RawResponse, Error<E>> {
        let prepared = self.prepare(request).await?;
        // reqwest sets connect timeouts per client: a request with its own uses a client (and
        // connection pool) of its own.
        let own_http = connect_timeout
            .map(|timeout| http_client(&Config { connect_timeout: Some(timeout), ..self.config.clone() }));
        let http = own_http.as_ref().unwrap_or(&self.http);
        // A stream body can be sent once only.
        let may_retry =
            retry.allows(&prepared.method) && prepared.body.as_ref().is_none_or(Payload::replayable);
        let mut attempt = 1;
        loop {
            let mut builder =
                http.request(prepared.method.clone(), prepared.url.clone()).headers(prepared.headers.clone());
            let unreadable = |error: std::io::Error| {
                Error::InvalidRequest(format!("the request body cannot be read: {error}"))
            };
            match &prepared.body {
                Some(Payload::Body(body)) => {
                    let body = body.for_attempt().await.map_err(unreadable)?;
                    builder = builder.body(body.unwrap_or_else(|| Vec::new().into()));
                }
                Some(Payload::Form(form)) => {
                    if let Some(form) = form.for_attempt().await.map_err(unreadable)? {
                        builder = builder.multipart(form);
                    }
                }
                None => {}
            }
            let retries_left = may_retry && attempt < retry.max_attempts;
            let mut request = builder.build()?;
            self.hooks.before_attempt(&mut request).await.map_err(Error::Hook)?;
            let started = std::time::Instant::now();
            let sent = traced(http.execute(request), &prepared, attempt).await;
            if !self.hooks.is_empty() {
                let outcome = sent.as_ref().map(|response| (response.status(), response.headers()));
                let finished = Attempt {
                    method: &prepared.method,
                    url: &prepared.url,
                    template: prepared.template,
                    number: attempt,
                    elapsed: started.elapsed(),
                    outcome,
                };
                self.hooks.after_attempt(&finished).await;
            }
            let wait = match sent {
                Ok(response) if retries_left && retryable_status(response.status()) => {
                    match retry_after(response.headers()) {
                        Some(asked) if asked > retry.max_retry_after => {
                            return self.read(response, prepared.stream_statuses).await;
                        }
                        Some(asked) => asked,
                        None => retry.backoff(attempt),
                    }
                }
                Ok(response) => return self.read(response, prepared.stream_statuses).await,
                Err(error) if retries_left && (error.is_connect() || error.is_request()) => {
                    retry.backoff(attempt)
                }
                Err(error) => return Err(Error::Transport(error)),
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Reads a response body, refusing one larger than the configured limit, unless its
    /// status is one of `stream_statuses`: that body is left to the caller's stream.
    async fn read<E>(
        &self,
        mut response: reqwest::Response,
        stream_statuses: &[(u16, u16)],
    ) -> Result<RawResponse, Error<E>> {
        let status = response.status();
        let code = status.as_u16();
        if stream_statuses.iter().any(|(low, high)| (*low..=*high).contains(&code)) {
            return Ok(RawResponse::streaming(response));
        }
        let limit = self.config.max_response_bytes;
        let too_large = || Error::ResponseTooLarge { status, limit };
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(too_large());
        }
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse::new(status, response.headers().clone(), body.freeze()))
    }
}

/// Sends one attempt; with the `tracing` feature, inside a span naming the method, the path
/// template (never values, which may be secret), the attempt and the status.
#[cfg(feature = "tracing")]
async fn traced(
    send: impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    prepared: &Prepared,
    attempt: u32,
) -> reqwest::Result<reqwest::Response> {
    use tracing::Instrument as _;
    let span = tracing::info_span!(
        "http_request",
        method = %prepared.method,
        path = prepared.template,
        attempt,
        status = tracing::field::Empty,
    );
    let sent = send.instrument(span.clone()).await;
    if let Ok(response) = &sent {
        span.record("status", response.status().as_u16());
    }
    sent
}

#[cfg(not(feature = "tracing"))]
async fn traced(
    send: impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    _prepared: &Prepared,
    _attempt: u32,
) -> reqwest::Result<reqwest::Response> {
    send.await
}

/// A reqwest client with the connect and read timeouts of `config`.
fn http_client(config: &Config) -> reqwest::Client {
    let mut builder = reqwest::Client::builder();
    if let Some(timeout) = config.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = config.read_timeout {
        builder = builder.read_timeout(timeout);
    }
    // Building fails only when the TLS backend cannot start; the plain client reports the
    // same problem on first use instead of here.
    builder.build().unwrap_or_default()
}
