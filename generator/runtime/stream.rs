//! Bodies that are not read into memory at once: binary downloads and server-sent events as
//! they arrive, and request bodies from a file or a stream.

use bytes::Bytes;
use futures_core::Stream;
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
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
        Some(response) => Box::pin(EndsAtError(Some(Box::pin(response.bytes_stream())))),
        None => Box::pin(OneChunk(Some(body))),
    }
}

/// A body that ends with its first error. reqwest's does not: once its read timeout has
/// passed it fails every later read at once, so a reader that goes on after an error (to the
/// end of the stream) would spin for as long as the server keeps the connection open.
struct EndsAtError(Option<Chunks>);

impl Stream for EndsAtError {
    type Item = reqwest::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(inner) = self.0.as_mut() else { return Poll::Ready(None) };
        let next = inner.as_mut().poll_next(context);
        if let Poll::Ready(None | Some(Err(_))) = next {
            self.0 = None;
        }
        next
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

/// A byte order mark, which an event stream may start with.
const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

/// Reads `text/event-stream` as the HTML standard's "interpreting an event stream" says, one
/// chunk at a time, in time linear in the body however the server splits it.
///
/// Written here rather than taken from `eventsource-stream` 0.2, which panics on a leading
/// byte order mark, parses its whole buffer again for every chunk (a long line sent in small
/// chunks takes quadratic time), and after one byte that is not UTF-8 holds back every later
/// event until the connection ends.
#[derive(Default)]
struct EventParser {
    /// The bytes of the line being received.
    line: Vec<u8>,
    /// The last line ended with a CR: an LF first in the next chunk belongs to that ending.
    after_cr: bool,
    /// A line has been read: a byte order mark is skipped only at the very start.
    started: bool,
    /// The `event` field of the event being built.
    event: String,
    /// Its `data` lines, each followed by an LF.
    data: String,
    /// Its `retry` field, when valid.
    retry: Option<Duration>,
    /// One of its lines was not UTF-8 or too long: it is dropped at its blank line.
    broken: bool,
    /// The line being received is longer than [`MAX_LINE`]: its bytes are not kept.
    overlong: bool,
    /// The last `id` the stream set; it carries over to later events.
    id: String,
}

/// An event, or why the lines of one were dropped.
type Parsed = Result<Event<String>, String>;

/// The longest line, and the most data of one event, kept in memory: a server that never ends
/// a line cannot make the client hold an unbounded buffer.
const MAX_LINE: usize = 16 * 1024 * 1024;

impl EventParser {
    /// Reads `chunk`, adding every event it completes to `parsed`.
    fn feed(&mut self, mut chunk: &[u8], parsed: &mut VecDeque<Parsed>) {
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            chunk = chunk.strip_prefix(b"\n").unwrap_or(chunk);
        }
        while let Some(end) = chunk.iter().position(|byte| matches!(byte, b'\n' | b'\r')) {
            self.keep(&chunk[..end]);
            let cr = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if cr {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            if std::mem::take(&mut self.overlong) {
                self.too_long(parsed);
                continue;
            }
            let line = std::mem::take(&mut self.line);
            self.read_line(&line, parsed);
            // The line's allocation serves the next one.
            self.line = line;
            self.line.clear();
        }
        self.keep(chunk);
    }

    /// Adds `bytes` to the line being received, unless it grows past [`MAX_LINE`].
    fn keep(&mut self, bytes: &[u8]) {
        if self.overlong || self.line.len() + bytes.len() > MAX_LINE {
            self.overlong = true;
            self.line = Vec::new();
        } else {
            self.line.extend_from_slice(bytes);
        }
    }

    /// The event being built had a line, or data, too long to keep: it is dropped.
    fn too_long(&mut self, parsed: &mut VecDeque<Parsed>) {
        self.started = true;
        if !std::mem::replace(&mut self.broken, true) {
            parsed.push_back(Err(format!(
                "a line or an event's data is over {MAX_LINE} bytes; the event is dropped"
            )));
        }
        self.data = String::new();
    }

    fn read_line(&mut self, mut line: &[u8], parsed: &mut VecDeque<Parsed>) {
        if !self.started {
            self.started = true;
            line = line.strip_prefix(BYTE_ORDER_MARK).unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(parsed);
            return;
        }
        if self.broken {
            return;
        }
        let line = match std::str::from_utf8(line) {
            Ok(line) => line,
            Err(error) => {
                self.broken = true;
                parsed.push_back(Err(format!("a line is not UTF-8 ({error}); its event is dropped")));
                return;
            }
        };
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" if self.data.len() + value.len() >= MAX_LINE => self.too_long(parsed),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => value.clone_into(&mut self.id),
            "retry" if value.bytes().all(|byte| byte.is_ascii_digit()) => {
                if let Ok(millis) = value.parse() {
                    self.retry = Some(Duration::from_millis(millis));
                }
            }
            _ => {}
        }
    }

    /// A blank line: the event built so far, if it has data, is complete.
    fn dispatch(&mut self, parsed: &mut VecDeque<Parsed>) {
        let event = std::mem::take(&mut self.event);
        let mut data = std::mem::take(&mut self.data);
        let retry = self.retry.take();
        if std::mem::take(&mut self.broken) || data.is_empty() {
            return;
        }
        data.pop();
        let event = if event.is_empty() { "message".to_owned() } else { event };
        parsed.push_back(Ok(Event { event, id: self.id.clone(), retry, data }));
    }
}

/// How an event becomes the `T` the spec describes.
type Decode<T> = fn(&Event<String>) -> Result<T, serde_json::Error>;

/// Server-sent events (`text/event-stream`), each yielded as soon as its blank line arrives.
///
/// `T` is what the spec describes: each event's `data` (`String` when the spec describes it
/// as text, otherwise its JSON type), or, when the spec describes whole events (`{event,
/// data, id, retry}`, often one alternative per event name), the whole event.
pub struct EventStream<T> {
    /// The body; `None` once it has ended or failed.
    chunks: Option<Chunks>,
    parser: EventParser,
    /// Events read and not yet yielded.
    parsed: VecDeque<Parsed>,
    decode: Decode<T>,
}

impl<T> EventStream<T> {
    fn new(chunks: Chunks, decode: Decode<T>) -> Self {
        Self { chunks: Some(chunks), parser: EventParser::default(), parsed: VecDeque::new(), decode }
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

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match this.parsed.pop_front() {
                Some(Ok(event)) => {
                    return Poll::Ready(Some(match (this.decode)(&event) {
                        Ok(data) => Ok(Event { event: event.event, id: event.id, retry: event.retry, data }),
                        Err(source) => Err(EventError::Decode { event, source }),
                    }));
                }
                Some(Err(message)) => return Poll::Ready(Some(Err(EventError::Malformed(message)))),
                None => {}
            }
            let Some(chunks) = this.chunks.as_mut() else { return Poll::Ready(None) };
            match chunks.as_mut().poll_next(context) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.parser.feed(&chunk, &mut this.parsed),
                // A failed body is not read again: the stream ends after the error.
                Poll::Ready(Some(Err(error))) => {
                    this.chunks = None;
                    return Poll::Ready(Some(Err(EventError::Transport(error))));
                }
                // An unfinished line or event at the end is dropped, as the format says.
                Poll::Ready(None) => this.chunks = None,
            }
        }
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

#[cfg(test)]
mod tests {
    use super::{Chunks, EventError, EventStream, MAX_LINE};
    use bytes::Bytes;
    use futures_core::Stream;
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll, Waker};

    /// A body that arrives in the given pieces.
    struct Pieces(VecDeque<&'static [u8]>);

    impl Stream for Pieces {
        type Item = reqwest::Result<Bytes>;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.pop_front().map(|piece| Ok(Bytes::from_static(piece))))
        }
    }

    /// The data of every event in a body sent in `pieces`, or why an event was not had.
    fn events(pieces: &[&'static [u8]]) -> Vec<Result<String, String>> {
        let chunks: Chunks = Box::pin(Pieces(pieces.iter().copied().collect()));
        let mut stream = EventStream::text(chunks);
        let mut context = Context::from_waker(Waker::noop());
        let mut events = Vec::new();
        while let Poll::Ready(Some(event)) = Pin::new(&mut stream).poll_next(&mut context) {
            events.push(event.map(|event| event.data).map_err(|error: EventError| error.to_string()));
        }
        events
    }

    #[test]
    fn a_line_that_never_ends_is_not_kept_whole() {
        let long: &'static [u8] = Box::leak(vec![b'a'; MAX_LINE + 1].into_boxed_slice());
        let found = events(&[b"data: ", long, b"\n\n", b"data: next\n\n"]);
        assert_eq!(
            found.len(),
            2,
            "{:?}",
            found.iter().map(|e| e.as_ref().map(String::len)).collect::<Vec<_>>()
        );
        assert!(
            found[0].as_ref().is_err_and(|message| message.contains("over")),
            "the long event is dropped"
        );
        assert_eq!(found[1], Ok("next".to_owned()), "the stream goes on");
        let many_lines: &'static [u8] =
            Box::leak(b"data: aaaaaaaa\n".repeat(MAX_LINE / 8).into_boxed_slice());
        let found = events(&[many_lines, b"\n", b"data: next\n\n"]);
        assert!(found[0].is_err(), "too much data in one event is dropped too");
        assert_eq!(found.last(), Some(&Ok("next".to_owned())));
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped_not_a_panic() {
        let a = || vec![Ok("a".to_owned())];
        assert_eq!(events(&[b"\xef\xbb\xbfdata: a\n\n"]), a());
        assert_eq!(events(&[b"\xef", b"\xbb", b"\xbf", b"data: a\n\n"]), a(), "a mark split across chunks");
        assert_eq!(events(&[b"\xef\xbb\xbf"]), vec![], "a body of a mark alone");
        assert_eq!(events(&[b"data: a\n\n"]), a(), "no mark");
        assert_eq!(events(&[b"", b"d", b"ata: a\n\n"]), a(), "a first piece too short to tell");
        // A second mark is text: the first field's name is then not `data`, per the format.
        assert_eq!(events(&[b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n"]), vec![Ok("b".to_owned())]);
        assert_eq!(events(&[b"\n\xef\xbb\xbfdata: a\n\n"]), vec![], "a mark later is text too");
    }

    #[test]
    fn every_line_ending_ends_lines_wherever_the_chunks_split() {
        let two = || vec![Ok("a\nb".to_owned()), Ok("c".to_owned())];
        for ending in ["\n", "\r", "\r\n"] {
            let body =
                format!("data: a{ending}data:b{ending}{ending}: comment{ending}data: c{ending}{ending}");
            let body: &'static [u8] = body.into_bytes().leak();
            assert_eq!(events(&[body]), two(), "{ending:?} in one chunk");
            let bytes: Vec<&'static [u8]> = body.chunks(1).collect();
            assert_eq!(events(&bytes), two(), "{ending:?} one byte at a time");
        }
        assert_eq!(events(&[b"data: a\r", b"\n", b"\r", b"\n"]), vec![Ok("a".to_owned())], "CR LF split");
        assert_eq!(
            events(&[b"data: a\n\ndata: unfinished\n"]),
            vec![Ok("a".to_owned())],
            "the last event had no blank line"
        );
    }

    #[test]
    fn fields_follow_the_format() {
        let chunks: Chunks = Box::pin(Pieces(
            [
                b"event: tick\nid: 1\nretry: 1500\ndata\n\n".as_slice(),
                b"id: a\0b\nretry: x\ndata:  two spaces\n\n",
            ]
            .into_iter()
            .collect(),
        ));
        let mut stream = EventStream::text(chunks);
        let mut context = Context::from_waker(Waker::noop());
        let Poll::Ready(Some(Ok(first))) = Pin::new(&mut stream).poll_next(&mut context) else {
            panic!("an event")
        };
        assert_eq!((first.event.as_str(), first.id.as_str(), first.data.as_str()), ("tick", "1", ""));
        assert_eq!(first.retry, Some(std::time::Duration::from_millis(1500)));
        let Poll::Ready(Some(Ok(second))) = Pin::new(&mut stream).poll_next(&mut context) else {
            panic!("an event")
        };
        assert_eq!(
            (second.event.as_str(), second.id.as_str(), second.data.as_str(), second.retry),
            ("message", "1", " two spaces", None),
            "an id with NUL and a retry that is not digits are ignored; one space is removed"
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_costs_its_event_only() {
        let parsed = events(&[b"data: a\n\ndata: \xff\ndata: more\n\ndata: b\n\n"]);
        assert_eq!(parsed.len(), 3, "{parsed:?}");
        assert_eq!(parsed[0], Ok("a".to_owned()));
        assert!(matches!(&parsed[1], Err(message) if message.contains("UTF-8")), "{parsed:?}");
        assert_eq!(parsed[2], Ok("b".to_owned()), "later events are not held back");
    }

    #[test]
    fn a_long_line_in_tiny_chunks_is_read_in_linear_time() {
        // 200 KB one byte at a time: a parser that reads its buffer again per chunk takes
        // minutes here.
        let body: &'static [u8] = [b"data: ".as_slice(), &[b'x'; 200_000], b"\n\n"].concat().leak();
        let bytes: Vec<&'static [u8]> = body.chunks(1).collect();
        let parsed = events(&bytes);
        assert!(matches!(&parsed[..], [Ok(data)] if data.len() == 200_000));
    }
}
