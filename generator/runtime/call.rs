//! One operation call: built by a generated method, sent when awaited.

use super::{Client, Error, RawResponse, Request, Response, RetryPolicy};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

/// Turns the raw response of an operation into its documented result.
pub type Decoder<T, E> = fn(RawResponse) -> Result<Response<T>, Error<E>>;

/// A prepared operation call. `.await` sends it; the methods before that change how, for this
/// request only.
///
/// `T` is the success body, `E` the body of documented errors; an operation that documents
/// none has no such errors to decode (`Infallible`, the default).
///
/// ```ignore
/// let chat = client.update_chat(id, &body).timeout(Duration::from_secs(5)).await?;
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'c, T, E = std::convert::Infallible> {
    client: &'c Client,
    request: Request<'c>,
    decode: Decoder<T, E>,
    retry: Option<RetryPolicy>,
    timeout: Option<Option<Duration>>,
    connect_timeout: Option<Duration>,
}

impl<'c, T, E> Call<'c, T, E> {
    pub(super) fn new(client: &'c Client, request: Request<'c>, decode: Decoder<T, E>) -> Self {
        Self { client, request, decode, retry: None, timeout: None, connect_timeout: None }
    }

    /// Limits the whole call, retries included, to `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// Limits connecting to the server to `timeout` for this request (which then gets a
    /// connection of its own rather than one from the client's pool).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses `policy` instead of the client's retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Attempts at most `attempts` times in all (`1`: no retry).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        let policy = self.retry.take().unwrap_or_else(|| self.client.config().retry.clone());
        self.retry = Some(RetryPolicy { max_attempts: attempts, ..policy });
        self
    }

    /// Adds the header `name: value`, one the spec does not describe (a request id, `Prefer`).
    /// A name or value with a line break is refused with [`Error::InvalidRequest`].
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request.extra_header(name, value);
        self
    }

    /// Adds the query parameter `name=value`, one the spec does not describe (`$select`),
    /// percent-encoded. A name or value with a line break is refused with
    /// [`Error::InvalidRequest`].
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.request.extra_query(name, value);
        self
    }

    /// The same call again, to send once more; `None` when its body can be sent once only.
    pub(super) fn duplicate(&self) -> Option<Self> {
        Some(Self {
            client: self.client,
            request: self.request.duplicate()?,
            decode: self.decode,
            retry: self.retry.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
        })
    }

    /// A call that follows `link` (a next page) with this call's credentials, options and
    /// decoding.
    pub(super) fn follow(&self, link: &str) -> Self {
        Self {
            client: self.client,
            request: self.request.follow(link),
            decode: self.decode,
            retry: self.retry.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
        }
    }

    /// What [`Call::follow`] needs of this call, kept while the call itself is sent.
    pub(super) fn template(&self) -> Self {
        self.follow("")
    }

    /// Sends the request and decodes the response.
    pub async fn send(self) -> Result<Response<T>, Error<E>> {
        let config = self.client.config();
        let retry = self.retry.as_ref().unwrap_or(&config.retry);
        let timeout = self.timeout.unwrap_or(config.timeout);
        let exchange = self.client.execute(self.request, retry, self.connect_timeout);
        let raw = match timeout {
            Some(limit) => {
                tokio::time::timeout(limit, exchange).await.map_err(|_| Error::Timeout(limit))??
            }
            None => exchange.await?,
        };
        (self.decode)(raw)
    }
}

impl<'c, T: Send + 'c, E: Send + 'c> IntoFuture for Call<'c, T, E> {
    type Output = Result<Response<T>, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
