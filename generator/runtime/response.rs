//! Responses and errors.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::stream::{ByteStream, Chunks, EventStream, chunks};

/// A decoded response body with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// Why an operation failed. `E` is the operation's documented error body: its type when every
/// documented error has the same one, otherwise an enum with a variant per response.
///
/// Responses are boxed so that `Result<_, Error<E>>` stays small on the success path.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The server answered with an error status the spec documents; the body is decoded.
    #[error("the server answered {} (a documented error response)", .0.status())]
    Api(Box<Response<E>>),
    /// The server answered with a status the spec does not document; the raw body is kept.
    #[error("the server answered {}, a status the spec does not document", .0.status())]
    UnexpectedStatus(Box<RawResponse>),
    /// The body does not decode as the spec describes it; the raw response is kept.
    #[error("the {} response body does not match the spec: {source}", .response.status())]
    Decode {
        /// The response whose body did not decode.
        response: Box<RawResponse>,
        /// What did not match.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The request could not be sent or the response not read.
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The request could not be built from the arguments given.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A hook refused the request ([`Hook::before_attempt`](super::Hook::before_attempt)).
    #[error("a hook stopped the request: {0}")]
    Hook(super::HookError),
    /// A token for the request could not be had.
    #[error("no credential: {0}")]
    Credential(Box<dyn std::error::Error + Send + Sync>),
    /// The call took longer than its timeout.
    #[error("no response within {0:?}")]
    Timeout(std::time::Duration),
    /// The response body is larger than the configured limit and was not read.
    #[error("the {status} response body is larger than the {limit}-byte limit")]
    ResponseTooLarge {
        /// The response status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
}

impl<E> Error<E> {
    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(response) => Some(response.status()),
            Self::UnexpectedStatus(response) | Self::Decode { response, .. } => Some(response.status()),
            Self::Transport(error) => error.status(),
            Self::ResponseTooLarge { status, .. } => Some(*status),
            Self::InvalidRequest(_) | Self::Timeout(_) | Self::Credential(_) | Self::Hook(_) => None,
        }
    }
}

/// A response before decoding: read in full, or, for a status whose body the operation
/// streams, still being received.
#[derive(Debug)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The response whose body has not been read, for streamed bodies.
    live: Option<reqwest::Response>,
}

impl RawResponse {
    pub(super) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Self { status, headers, body, live: None }
    }

    /// A response whose body is left to a stream.
    pub(super) fn streaming(response: reqwest::Response) -> Self {
        Self {
            status: response.status(),
            headers: response.headers().clone(),
            body: Bytes::new(),
            live: Some(response),
        }
    }

    /// The body's chunks, as they arrive or as they were read.
    fn chunks(&mut self) -> Chunks {
        chunks(self.live.take(), std::mem::take(&mut self.body))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, as received (empty for a body left to a stream).
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    fn decode_error<E>(self, source: Box<dyn std::error::Error + Send + Sync>) -> Error<E> {
        Error::Decode { response: Box::new(self), source }
    }

    fn decoded<T>(self, body: T) -> Response<T> {
        Response { status: self.status, headers: self.headers, body }
    }

    /// Decodes a JSON success body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        self.json_with(|body| body)
    }

    /// Decodes a JSON success body into the variant `wrap` makes.
    pub fn json_with<B: DeserializeOwned, T, E>(
        self,
        wrap: impl FnOnce(B) -> T,
    ) -> Result<Response<T>, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(self.decoded(wrap(body))),
            // Servers answer with no body at all where the spec describes any JSON value (a
            // content type without a schema) or a nullable one: that reads as `null`. A body
            // that must hold something still fails, with the parser's own error.
            Err(error) if self.body.trim_ascii().is_empty() => match B::deserialize(Value::Null) {
                Ok(body) => Ok(self.decoded(wrap(body))),
                Err(_) => Err(self.decode_error(error.into())),
            },
            Err(error) => Err(self.decode_error(error.into())),
        }
    }

    /// Decodes a text success body.
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        self.text_with(|text| text)
    }

    /// Decodes a text success body into the variant `wrap` makes.
    pub fn text_with<T, E>(self, wrap: impl FnOnce(String) -> T) -> Result<Response<T>, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(self.decoded(wrap(text)))
            }
            Err(error) => Err(self.decode_error(error.into())),
        }
    }

    /// Keeps a success body as bytes.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        self.bytes_with(|bytes| bytes)
    }

    /// Keeps a success body as bytes in the variant `wrap` makes.
    pub fn bytes_with<T, E>(self, wrap: impl FnOnce(Bytes) -> T) -> Result<Response<T>, Error<E>> {
        let body = wrap(self.body.clone());
        Ok(self.decoded(body))
    }

    /// Hands a binary success body to the caller as it arrives.
    pub fn byte_stream<E>(self) -> Result<Response<ByteStream>, Error<E>> {
        self.byte_stream_with(|stream| stream)
    }

    /// Hands a binary success body to the caller as it arrives, in the variant `wrap` makes.
    pub fn byte_stream_with<T, E>(
        mut self,
        wrap: impl FnOnce(ByteStream) -> T,
    ) -> Result<Response<T>, Error<E>> {
        let stream = ByteStream::new(self.chunks());
        Ok(self.decoded(wrap(stream)))
    }

    /// Server-sent events whose data is JSON, each decoded as it arrives.
    pub fn event_stream<D: DeserializeOwned, E>(self) -> Result<Response<EventStream<D>>, Error<E>> {
        self.event_stream_with(|stream| stream)
    }

    /// Server-sent events whose data is JSON, in the variant `wrap` makes.
    pub fn event_stream_with<D: DeserializeOwned, T, E>(
        mut self,
        wrap: impl FnOnce(EventStream<D>) -> T,
    ) -> Result<Response<T>, Error<E>> {
        let stream = EventStream::json(self.chunks());
        Ok(self.decoded(wrap(stream)))
    }

    /// Server-sent events the spec describes whole (`event`, `data`, `id`, `retry`), each
    /// decoded as it arrives.
    pub fn whole_event_stream<D: DeserializeOwned, E>(self) -> Result<Response<EventStream<D>>, Error<E>> {
        self.whole_event_stream_with(|stream| stream)
    }

    /// Server-sent events the spec describes whole, in the variant `wrap` makes.
    pub fn whole_event_stream_with<D: DeserializeOwned, T, E>(
        mut self,
        wrap: impl FnOnce(EventStream<D>) -> T,
    ) -> Result<Response<T>, Error<E>> {
        let stream = EventStream::whole(self.chunks());
        Ok(self.decoded(wrap(stream)))
    }

    /// Server-sent events whose data is text.
    pub fn text_event_stream<E>(self) -> Result<Response<EventStream<String>>, Error<E>> {
        self.text_event_stream_with(|stream| stream)
    }

    /// Server-sent events whose data is text, in the variant `wrap` makes.
    pub fn text_event_stream_with<T, E>(
        mut self,
        wrap: impl FnOnce(EventStream<String>) -> T,
    ) -> Result<Response<T>, Error<E>> {
        let stream = EventStream::text(self.chunks());
        Ok(self.decoded(wrap(stream)))
    }

    /// A success without a body (any body sent is ignored).
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        self.empty_with(())
    }

    /// A success without a body, answered by `value`.
    pub fn empty_with<T, E>(self, value: T) -> Result<Response<T>, Error<E>> {
        Ok(self.decoded(value))
    }

    /// Decodes a documented JSON error body.
    pub fn json_error<T, E: DeserializeOwned>(self) -> Result<T, Error<E>> {
        self.json_error_with(|body| body)
    }

    /// Decodes a documented JSON error body into the variant `wrap` makes.
    pub fn json_error_with<B: DeserializeOwned, T, E>(
        self,
        wrap: impl FnOnce(B) -> E,
    ) -> Result<T, Error<E>> {
        Err(Error::Api(Box::new(self.json_with(wrap)?)))
    }

    /// Decodes a documented text error body.
    pub fn text_error<T>(self) -> Result<T, Error<String>> {
        self.text_error_with(|text| text)
    }

    /// Decodes a documented text error body into the variant `wrap` makes.
    pub fn text_error_with<T, E>(self, wrap: impl FnOnce(String) -> E) -> Result<T, Error<E>> {
        Err(Error::Api(Box::new(self.text_with(wrap)?)))
    }

    /// Keeps a documented error body as bytes.
    pub fn bytes_error<T>(self) -> Result<T, Error<Bytes>> {
        self.bytes_error_with(|bytes| bytes)
    }

    /// Keeps a documented error body as bytes in the variant `wrap` makes.
    pub fn bytes_error_with<T, E>(self, wrap: impl FnOnce(Bytes) -> E) -> Result<T, Error<E>> {
        Err(Error::Api(Box::new(self.bytes_with(wrap)?)))
    }

    /// A documented error without a body.
    pub fn empty_error<T>(self) -> Result<T, Error<()>> {
        self.empty_error_with(())
    }

    /// A documented error without a body, answered by `error`.
    pub fn empty_error_with<T, E>(self, error: E) -> Result<T, Error<E>> {
        Err(Error::Api(Box::new(self.empty_with(error)?)))
    }

    /// A status the spec does not document.
    pub fn unexpected<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus(Box::new(self)))
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, RawResponse};
    use bytes::Bytes;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    fn answer(body: &'static str) -> RawResponse {
        RawResponse::new(StatusCode::OK, HeaderMap::new(), Bytes::from_static(body.as_bytes()))
    }

    #[test]
    fn an_empty_body_reads_as_null_where_null_is_a_value() {
        let any = answer("").json::<serde_json::Value, ()>().expect("any JSON value");
        assert_eq!(*any.body(), serde_json::Value::Null);
        let nullable = answer(" \r\n").json::<Option<u32>, ()>().expect("a nullable value");
        assert_eq!(*nullable.body(), None);
    }

    #[test]
    fn an_empty_body_where_a_value_is_needed_is_a_decode_error_with_the_parser_s_message() {
        let error = answer("").json::<Vec<u32>, ()>().expect_err("a list is needed");
        let Error::Decode { source, .. } = error else { panic!("a decode error, got {error:?}") };
        assert!(source.to_string().contains("EOF"), "{source}");
    }
}
