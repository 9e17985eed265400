//! `multipart/form-data` request bodies. reqwest's `multipart` writes the boundary and part
//! headers; this module keeps the parts in a form that can be encoded again for a retry.

use super::Body;
use super::stream::BodySource;
use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// A file part of a form: its contents, and optionally its file name and media type.
///
/// ```ignore
/// let photo = FilePart::file("cat.png").content_type("image/png");
/// let notes = FilePart::new(b"hello".to_vec()).file_name("notes.txt");
/// ```
pub struct FilePart {
    body: Body,
    file_name: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
}

impl FilePart {
    /// A part from bytes, a [`Body::file`] or a [`Body::stream`].
    pub fn new(body: impl Into<Body>) -> Self {
        Self { body: body.into(), file_name: None, content_type: None, headers: Vec::new() }
    }

    /// The file at `path`, read when the request is sent, named after its file name.
    pub fn file(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let name = path.file_name().map(|name| name.to_string_lossy().into_owned());
        Self { body: Body::file(path), file_name: name, content_type: None, headers: Vec::new() }
    }

    /// Sets the file name the server sees.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's media type (default: the one the spec gives, else
    /// `application/octet-stream`).
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// Adds the part header `name: value` (the spec's `encoding` may describe some).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl<T: Into<Body>> From<T> for FilePart {
    fn from(body: T) -> Self {
        Self::new(body)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("body", &self.body)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers)
            .finish()
    }
}

/// What a generated form field holds for a file property: one part, an optional one, or
/// several (an array property repeats the part).
pub trait FileParts {
    /// The parts, in order.
    fn into_parts(self) -> Vec<FilePart>;
}

impl FileParts for FilePart {
    fn into_parts(self) -> Vec<FilePart> {
        vec![self]
    }
}

impl FileParts for Option<FilePart> {
    fn into_parts(self) -> Vec<FilePart> {
        self.into_iter().collect()
    }
}

impl FileParts for Vec<FilePart> {
    fn into_parts(self) -> Vec<FilePart> {
        self
    }
}

impl FileParts for Option<Vec<FilePart>> {
    fn into_parts(self) -> Vec<FilePart> {
        self.unwrap_or_default()
    }
}

/// One part, kept so that it can be encoded for each attempt.
enum PartValue {
    Text(String),
    File(FilePart),
}

struct StoredPart {
    name: String,
    value: PartValue,
    content_type: Option<String>,
    /// Headers the spec fixes for the part.
    headers: Vec<(String, String)>,
}

/// A `multipart/form-data` body being built by a generated method.
#[derive(Default)]
pub struct Multipart {
    parts: Vec<StoredPart>,
    problem: Option<String>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `value` as text parts: a scalar as one part, an array as one part per item;
    /// `None` adds nothing.
    pub fn text<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(Value::Null) => {}
            Ok(Value::Array(items)) => {
                for item in items {
                    self.push(name, PartValue::Text(scalar(item)), None);
                }
            }
            Ok(other) => self.push(name, PartValue::Text(scalar(other)), None),
            Err(error) => self.fail(name, error),
        }
    }

    /// Adds `value` as one part holding its JSON, with media type `content_type`; `None` adds
    /// nothing.
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, content_type: &str) {
        match serde_json::to_value(value) {
            Ok(Value::Null) => {}
            Ok(json) => self.push(name, PartValue::Text(json.to_string()), Some(content_type.to_owned())),
            Err(error) => self.fail(name, error),
        }
    }

    /// Adds file parts, with `content_type` unless a part sets its own.
    pub fn file(&mut self, name: &str, files: impl FileParts, content_type: &str) {
        for file in files.into_parts() {
            self.push(name, PartValue::File(file), Some(content_type.to_owned()));
        }
    }

    /// Adds the header `header: value` to every part named `name` added so far (a header the
    /// spec's `encoding` fixes).
    pub fn part_header(&mut self, name: &str, header: &str, value: &str) {
        for part in self.parts.iter_mut().filter(|part| part.name == name) {
            part.headers.push((header.to_owned(), value.to_owned()));
        }
    }

    fn push(&mut self, name: &str, value: PartValue, content_type: Option<String>) {
        self.parts.push(StoredPart { name: name.to_owned(), value, content_type, headers: Vec::new() });
    }

    fn fail(&mut self, name: &str, error: serde_json::Error) {
        self.problem.get_or_insert(format!("form field `{name}` cannot be serialized: {error}"));
    }

    pub(super) fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Whether the form can be encoded again (no part is a one-shot stream).
    pub(super) fn replayable(&self) -> bool {
        self.parts.iter().all(|part| match &part.value {
            PartValue::Text(_) => true,
            PartValue::File(file) => file.body.replayable(),
        })
    }

    /// The form for one attempt; `None` when a stream part was already sent.
    pub(super) async fn for_attempt(&self) -> std::io::Result<Option<reqwest::multipart::Form>> {
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            let mut encoded = match &part.value {
                PartValue::Text(text) => reqwest::multipart::Part::text(text.clone()),
                PartValue::File(file) => {
                    let mut encoded = match &file.body.0 {
                        BodySource::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(
                            Bytes::clone(bytes),
                            bytes.len() as u64,
                        ),
                        _ => match file.body.for_attempt().await? {
                            Some(body) => reqwest::multipart::Part::stream(body),
                            None => return Ok(None),
                        },
                    };
                    if let Some(name) = &file.file_name {
                        encoded = encoded.file_name(name.clone());
                    }
                    if let Some(media_type) = &file.content_type {
                        encoded = with_media_type(encoded, media_type)?;
                    }
                    encoded
                }
            };
            let own_type = matches!(&part.value, PartValue::File(file) if file.content_type.is_some());
            if let Some(media_type) = part.content_type.as_deref().filter(|_| !own_type) {
                encoded = with_media_type(encoded, media_type)?;
            }
            let own_headers = match &part.value {
                PartValue::File(file) => file.headers.as_slice(),
                PartValue::Text(_) => &[],
            };
            if !part.headers.is_empty() || !own_headers.is_empty() {
                encoded = encoded.headers(part_headers(part.headers.iter().chain(own_headers))?);
            }
            form = form.part(part.name.clone(), encoded);
        }
        Ok(Some(form))
    }
}

fn with_media_type(
    part: reqwest::multipart::Part,
    media_type: &str,
) -> std::io::Result<reqwest::multipart::Part> {
    part.mime_str(media_type).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("`{media_type}` is not a media type"))
    })
}

/// Part headers as reqwest takes them; a name or value a header cannot carry is refused.
fn part_headers<'h>(
    headers: impl Iterator<Item = &'h (String, String)>,
) -> std::io::Result<reqwest::header::HeaderMap> {
    let invalid = |name: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the part header `{name}` is not a valid header"),
        )
    };
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in headers {
        let header_name =
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid(name))?;
        let header_value = reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid(name))?;
        map.append(header_name, header_value);
    }
    Ok(map)
}

/// A scalar as form text: strings as they are, anything else as JSON.
fn scalar(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.parts.iter().map(|part| part.name.as_str()).collect();
        f.debug_struct("Multipart").field("parts", &names).finish()
    }
}
