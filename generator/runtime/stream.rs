//! Bodies that are not read into memory at once: binary downloads and server-sent events as
//! they arrive, and request bodies from a file or a stream.

use bytes::Bytes;
use futures_core::Stream;
use serde::de::DeserializeOwned;
use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A response body delivered chunk by chunk as the server sends it, with no size limit.
///
/// Read it as a [`Stream`] of [`Bytes`] (with `futures::StreamExt::next`), or all at once with
/// [`ByteStream::collect`].
pub struct ByteStream {
    inner: Chunks,
}

/// Body chunks: a response being received, or one already read.
pub(super) type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The chunks of `response` as they arrive, or `body` when it was read already.
pub(super) fn chunks(response: Option<reqwest::Response>, body: Bytes) -> Chunks {
    match response {
        Some(response) => Box::pin(response.bytes_stream()),
        None => Box::pin(OneChunk(Some(body))),
    }
}

/// A body read in full, as a stream of one chunk.
struct OneChunk(Option<Bytes>);

impl Stream for OneChunk {
    type Item = reqwest::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().filter(|chunk| !chunk.is_empty()).map(Ok))
    }
}

impl ByteStream {
    pub(super) fn new(inner: Chunks) -> Self {
        Self { inner }
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> reqwest::Result<Bytes> {
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|context| self.inner.as_mut().poll_next(context)).await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body.freeze())
    }
}

impl Stream for ByteStream {
    type Item = reqwest::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(context)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream")
    }
}

/// One server-sent event, its `data` decoded as the spec describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event` field: the event's type (`"message"` when the server names none).
    pub event: String,
    /// The `id` field, the last one the stream set (empty when none).
    pub id: String,
    /// The reconnection time the server asked for, if it did.
    pub retry: Option<Duration>,
    /// The `data` lines, joined by newlines and decoded.
    pub data: T,
}

/// Why an event could not be had.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The connection failed while events were being read.
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The bytes are not a valid event stream (they are not UTF-8, say).
    #[error("malformed event stream: {0}")]
    Malformed(String),
    /// An event's `data` does not match the spec; the event is kept as received.
    #[error("event data does not match the spec: {source}")]
    Decode {
        /// The event, its data as text.
        event: Event<String>,
        /// What did not match.
        source: serde_json::Error,
    },
}

type RawEvents = eventsource_stream::EventStream<Chunks>;

/// How an event becomes the `T` the spec describes.
type Decode<T> = fn(&eventsource_stream::Event) -> Result<T, serde_json::Error>;

/// Server-sent events (`text/event-stream`), each yielded as soon as its blank line arrives.
///
/// `T` is what the spec describes: each event's `data` (`String` when the spec describes it
/// as text, otherwise its JSON type), or, when the spec describes whole events (`{event,
/// data, id, retry}`, often one alternative per event name), the whole event.
pub struct EventStream<T> {
    events: RawEvents,
    decode: Decode<T>,
}

impl<T> EventStream<T> {
    fn new(chunks: Chunks, decode: Decode<T>) -> Self {
        use eventsource_stream::Eventsource as _;
        Self { events: chunks.eventsource(), decode }
    }
}

impl EventStream<String> {
    pub(super) fn text(chunks: Chunks) -> Self {
        Self::new(chunks, |event| Ok(event.data.clone()))
    }
}

impl<T: DeserializeOwned> EventStream<T> {
    pub(super) fn json(chunks: Chunks) -> Self {
        Self::new(chunks, |event| serde_json::from_str(&event.data))
    }

    /// Events decoded whole, from `{"event": …, "data": …, "id": …, "retry": …}`: `data` as
    /// the JSON it holds, or as text when it holds none or the type wants text there.
    pub(super) fn whole(chunks: Chunks) -> Self {
        Self::new(chunks, |event| {
            let object = |data: serde_json::Value| {
                let mut object = serde_json::Map::new();
                object.insert("event".into(), event.event.clone().into());
                object.insert("data".into(), data);
                if !event.id.is_empty() {
                    object.insert("id".into(), event.id.clone().into());
                }
                if let Some(retry) = event.retry {
                    object
                        .insert("retry".into(), u64::try_from(retry.as_millis()).unwrap_or(u64::MAX).into());
                }
                serde_json::Value::Object(object)
            };
            let text = || serde_json::from_value(object(event.data.clone().into()));
            match serde_json::from_str(&event.data) {
                Ok(data) => serde_json::from_value(object(data)).or_else(|_| text()),
                Err(_) => text(),
            }
        })
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, EventError>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let decode = self.decode;
        Pin::new(&mut self.events).poll_next(context).map(|next| {
            next.map(|parsed| {
                let raw = parsed.map_err(|error| match error {
                    eventsource_stream::EventStreamError::Transport(error) => EventError::Transport(error),
                    other => EventError::Malformed(other.to_string()),
                })?;
                match decode(&raw) {
                    Ok(data) => Ok(Event { event: raw.event, id: raw.id, retry: raw.retry, data }),
                    Err(source) => Err(EventError::Decode {
                        event: Event { event: raw.event, id: raw.id, retry: raw.retry, data: raw.data },
                        source,
                    }),
                }
            })
        })
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventStream")
    }
}

/// A request body: bytes in memory, a file read as it is sent, or a stream of chunks.
///
/// Bytes and files can be sent again when a request is retried; a stream only once, so a
/// request with a stream body is never retried.
pub struct Body(pub(super) BodySource);

pub(super) enum BodySource {
    Bytes(Bytes),
    File(PathBuf),
    Stream(std::sync::Mutex<Option<reqwest::Body>>),
}

impl Body {
    /// The contents of the file at `path`, opened and read only when the request is sent.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self(BodySource::File(path.into()))
    }

    /// Chunks from `stream`, sent as they come (chunked transfer encoding).
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        Self(BodySource::Stream(std::sync::Mutex::new(Some(reqwest::Body::wrap_stream(stream)))))
    }

    pub(super) fn replayable(&self) -> bool {
        !matches!(self.0, BodySource::Stream(_))
    }

    /// A copy for another request; `None` for a stream, which is sent once only.
    pub(super) fn duplicate(&self) -> Option<Body> {
        match &self.0 {
            BodySource::Bytes(bytes) => Some(Self(BodySource::Bytes(bytes.clone()))),
            BodySource::File(path) => Some(Self(BodySource::File(path.clone()))),
            BodySource::Stream(_) => None,
        }
    }

    /// The body for one attempt; `None` when a stream was already sent.
    pub(super) async fn for_attempt(&self) -> std::io::Result<Option<reqwest::Body>> {
        Ok(match &self.0 {
            BodySource::Bytes(bytes) => Some(bytes.clone().into()),
            BodySource::File(path) => Some(tokio::fs::File::open(path).await?.into()),
            BodySource::Stream(stream) => stream.lock().ok().and_then(|mut taken| taken.take()),
        })
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self(BodySource::Bytes(bytes.into()))
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self(BodySource::Bytes(bytes))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Self(BodySource::Bytes(Bytes::from_static(bytes)))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self(BodySource::Bytes(text.into()))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Self(BodySource::Bytes(Bytes::from_static(text.as_bytes())))
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            BodySource::Bytes(bytes) => write!(f, "Body({} bytes)", bytes.len()),
            BodySource::File(path) => write!(f, "Body(file {})", path.display()),
            BodySource::Stream(_) => f.write_str("Body(stream)"),
        }
    }
}
