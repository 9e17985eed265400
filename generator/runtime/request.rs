//! Building a request from an operation's path template, parameters and body.
//!
//! The builder methods never fail: the first problem (a value that does not serialize, a
//! parameter that cannot be placed) is kept and reported by `Client::send`, so generated code
//! is a flat list of calls.

use super::{Body, Call, Client, Decoder, Multipart};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

/// Characters left as they are in a path segment: RFC 3986 unreserved ones. Everything else,
/// including `/`, `?`, `#`, `:` and `@`, is percent-encoded so a value stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How a query parameter's value is written (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueryStyle {
    /// `a=1&a=2` when exploded, `a=1,2` when not.
    Form {
        /// Whether each item is its own `name=value` pair.
        explode: bool,
    },
    /// `a=1%202`.
    SpaceDelimited,
    /// `a=1|2`.
    PipeDelimited,
    /// `a[key]=value`.
    DeepObject,
}

/// The parts of a request, ready to send.
pub(super) struct Parts {
    pub method: reqwest::Method,
    /// The path template as the spec writes it, for logs that must not carry values.
    pub template: &'static str,
    pub path: String,
    /// Query parameters, each already encoded as `name=value`.
    pub query: Vec<String>,
    pub headers: Vec<(String, String)>,
    pub cookies: Vec<(String, String)>,
    /// The body and its media type (reqwest writes a form's, with its boundary).
    pub body: Option<(String, Payload)>,
    pub security: &'static [&'static [&'static str]],
    /// Statuses (inclusive ranges) whose body the operation streams instead of reading.
    pub stream_statuses: &'static [(u16, u16)],
    /// A next page's link, sent as given instead of `path` and the query.
    pub link: Option<String>,
}

/// What a request sends.
pub(super) enum Payload {
    Body(Body),
    Form(Multipart),
}

impl Payload {
    /// A copy to send with another request; `None` for a form or a stream, which are kept
    /// for one request only.
    fn duplicate(&self) -> Option<Payload> {
        match self {
            Payload::Body(body) => body.duplicate().map(Payload::Body),
            Payload::Form(_) => None,
        }
    }

    /// Whether the payload can be sent again for a retry.
    pub(super) fn replayable(&self) -> bool {
        match self {
            Payload::Body(body) => body.replayable(),
            Payload::Form(form) => form.replayable(),
        }
    }
}

/// A request being built by a generated method, for the client that will send it.
pub struct Request<'c> {
    client: &'c Client,
    parts: Parts,
    problem: Option<String>,
}

impl<'c> Request<'c> {
    /// A request for `path`, a template with `{name}` placeholders.
    pub(super) fn new(client: &'c Client, method: reqwest::Method, path: &'static str) -> Self {
        Self {
            client,
            parts: Parts {
                method,
                template: path,
                path: path.to_owned(),
                query: Vec::new(),
                headers: Vec::new(),
                cookies: Vec::new(),
                body: None,
                security: &[],
                stream_statuses: &[],
                link: None,
            },
            problem: None,
        }
    }

    /// The call that sends the request and turns its response into a result with `decode`.
    pub fn call<T, E>(self, decode: Decoder<T, E>) -> Call<'c, T, E> {
        Call::new(self.client, self, decode)
    }

    /// A `GET` of `link` (a next page) for the same operation: its credentials and streamed
    /// statuses, no parameters or body.
    pub(super) fn follow(&self, link: &str) -> Request<'c> {
        let mut request = Request::new(self.client, reqwest::Method::GET, self.parts.template);
        request.parts.security = self.parts.security;
        request.parts.stream_statuses = self.parts.stream_statuses;
        request.parts.link = Some(link.to_owned());
        request
    }

    /// The same request again (to reconnect an event stream); `None` when its body can be
    /// sent once only.
    pub(super) fn duplicate(&self) -> Option<Request<'c>> {
        let body = match &self.parts.body {
            Some((media_type, payload)) => Some((media_type.clone(), payload.duplicate()?)),
            None => None,
        };
        let parts = Parts {
            method: self.parts.method.clone(),
            template: self.parts.template,
            path: self.parts.path.clone(),
            query: self.parts.query.clone(),
            headers: self.parts.headers.clone(),
            cookies: self.parts.cookies.clone(),
            body,
            security: self.parts.security,
            stream_statuses: self.parts.stream_statuses,
            link: self.parts.link.clone(),
        };
        Some(Request { client: self.client, parts, problem: self.problem.clone() })
    }

    /// Adds a header the spec does not describe, as given.
    pub(super) fn extra_header(&mut self, name: &str, value: &str) {
        if let Some(problem) = line_break("header", name, value) {
            return self.fail(problem);
        }
        self.parts.headers.push((name.to_owned(), value.to_owned()));
    }

    /// Adds a query parameter the spec does not describe, percent-encoded.
    pub(super) fn extra_query(&mut self, name: &str, value: &str) {
        if let Some(problem) = line_break("query parameter", name, value) {
            return self.fail(problem);
        }
        self.parts.query.push(format!("{}={}", encode_component(name), encode_component(value)));
    }

    fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Option<Value> {
        match serde_json::to_value(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(format!("`{name}` cannot be serialized: {error}"));
                None
            }
        }
    }

    /// Fills the placeholder `{name}` with `value`, percent-encoded.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let Some(value) = self.serialize_value(name, value) else { return };
        let Some(text) = simple(&value) else {
            return self.fail(format!("path parameter `{name}` has no value"));
        };
        // URL parsing removes dot segments even when percent-encoded (`%2E%2E`), so such a
        // value would change the path: it is refused.
        if text.is_empty() || text == "." || text == ".." {
            return self.fail(format!("path parameter `{name}` cannot be `{text}`"));
        }
        let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
        self.parts.path = self.parts.path.replace(&format!("{{{name}}}"), &encoded);
    }

    /// Adds the query parameter `name` in OpenAPI's default style, `form` exploded:
    /// `a=1&a=2`, an object's members as `key=value` pairs. `None` adds nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_in(name, value, QueryStyle::Form { explode: true });
    }

    /// Adds the query parameter `name` in style `form` with `explode: false`: `a=1,2`.
    pub fn query_unexploded<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_in(name, value, QueryStyle::Form { explode: false });
    }

    /// Adds the query parameter `name` in style `spaceDelimited`: `a=1%202`.
    pub fn query_space_delimited<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_in(name, value, QueryStyle::SpaceDelimited);
    }

    /// Adds the query parameter `name` in style `pipeDelimited`: `a=1|2`.
    pub fn query_pipe_delimited<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_in(name, value, QueryStyle::PipeDelimited);
    }

    /// Adds the query parameter `name` in style `deepObject`: `a[key]=value`.
    pub fn query_deep_object<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_in(name, value, QueryStyle::DeepObject);
    }

    fn query_in<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: QueryStyle) {
        let Some(value) = self.serialize_value(name, value) else { return };
        // The delimiter is written as is (RFC 6570's form style: `a=1,2`); each item is
        // percent-encoded, so a `,` inside a value cannot split it. A space is never literal.
        let delimiter = match style {
            QueryStyle::Form { explode: true } | QueryStyle::DeepObject => None,
            QueryStyle::Form { explode: false } => Some(","),
            QueryStyle::SpaceDelimited => Some("%20"),
            QueryStyle::PipeDelimited => Some("|"),
        };
        let pair = |key: &str, value: String| format!("{}={value}", encode_component(key));
        let item = |value: &Value| encode_component(&scalar(value));
        match (&value, delimiter) {
            (Value::Null, _) => {}
            (Value::Array(items), None) => {
                for value in items {
                    self.parts.query.push(pair(name, item(value)));
                }
            }
            (Value::Object(members), None) => {
                for (key, member) in members {
                    let key =
                        if style == QueryStyle::DeepObject { format!("{name}[{key}]") } else { key.clone() };
                    self.parts.query.push(pair(&key, item(member)));
                }
            }
            (Value::Array(items), Some(delimiter)) => {
                let joined = items.iter().map(item).collect::<Vec<_>>().join(delimiter);
                self.parts.query.push(pair(name, joined));
            }
            (Value::Object(members), Some(delimiter)) => {
                let joined = members
                    .iter()
                    .flat_map(|(key, member)| [encode_component(key), item(member)])
                    .collect::<Vec<_>>()
                    .join(delimiter);
                self.parts.query.push(pair(name, joined));
            }
            (scalar_value, _) => self.parts.query.push(pair(name, item(scalar_value))),
        }
    }

    /// Adds the header `name` (simple style: arrays comma-separated); `None` adds nothing.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let Some(value) = self.serialize_value(name, value) else { return };
        if let Some(text) = simple(&value) {
            self.parts.headers.push((name.to_owned(), text));
        }
    }

    /// Adds the cookie `name`; `None` adds nothing.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let Some(value) = self.serialize_value(name, value) else { return };
        if let Some(text) = simple(&value) {
            self.parts.cookies.push((name.to_owned(), text));
        }
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, content_type: &str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.parts.body = Some((content_type.to_owned(), Payload::Body(bytes.into()))),
            Err(error) => self.fail(format!("the body cannot be serialized: {error}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    ///
    /// Arrays repeat their key (`tag=a&tag=b`, OpenAPI's default `form` style) and nested
    /// objects name their members in brackets (`address[city]=Paris`).
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        let Some(value) = self.serialize_value("the body", body) else { return };
        let Value::Object(members) = value else {
            return self.fail("a form body must be an object".to_owned());
        };
        let mut pairs = Vec::with_capacity(members.len());
        for (name, member) in &members {
            form_pairs(name, member, &mut pairs);
        }
        let body = Payload::Body(pairs.join("&").into());
        self.parts.body = Some(("application/x-www-form-urlencoded".to_owned(), body));
    }

    /// Sets a text body.
    pub fn text(&mut self, content_type: &str, body: &str) {
        self.parts.body = Some((content_type.to_owned(), Payload::Body(body.to_owned().into())));
    }

    /// Sets a binary body: bytes, a file or a stream.
    pub fn bytes(&mut self, content_type: &str, body: Body) {
        self.parts.body = Some((content_type.to_owned(), Payload::Body(body)));
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: Multipart) {
        if let Some(problem) = form.problem() {
            return self.fail(problem.to_owned());
        }
        self.parts.body = Some(("multipart/form-data".to_owned(), Payload::Form(form)));
    }

    /// Leaves the body of responses with these statuses to a stream instead of reading it.
    pub fn stream_statuses(&mut self, statuses: &'static [(u16, u16)]) {
        self.parts.stream_statuses = statuses;
    }

    /// The security requirement alternatives of the operation, each a list of scheme keys.
    pub fn security(&mut self, alternatives: &'static [&'static [&'static str]]) {
        self.parts.security = alternatives;
    }

    pub(super) fn into_parts(self) -> Result<Parts, String> {
        match self.problem {
            Some(problem) => Err(problem),
            None => Ok(self.parts),
        }
    }
}

/// Why an extra `kind` named `name` cannot carry `value`: a line break would let it add
/// headers or lines of its own.
fn line_break(kind: &str, name: &str, value: &str) -> Option<String> {
    let breaks = |text: &str| text.contains(['\r', '\n']);
    (breaks(name) || breaks(value))
        .then(|| format!("the {kind} `{}` holds a line break", name.escape_debug()))
}

/// A scalar as parameter text; nested values as JSON text.
/// The `name=value` pairs of one form member.
fn form_pairs(name: &str, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Array(items) => items.iter().for_each(|item| form_pairs(name, item, out)),
        Value::Object(members) => {
            for (key, member) in members {
                form_pairs(&format!("{name}[{key}]"), member, out);
            }
        }
        scalar_value => {
            out.push(format!("{}={}", encode_component(name), encode_component(&scalar(scalar_value))))
        }
    }
}

/// A query name or value with everything but RFC 3986's unreserved characters escaped.
pub(super) fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Simple style (path, header): arrays and objects comma-separated; `None` for null.
fn simple(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(items.iter().map(scalar).collect::<Vec<_>>().join(",")),
        Value::Object(members) => Some(
            members
                .iter()
                .flat_map(|(key, member)| [key.clone(), scalar(member)])
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => Some(scalar(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The query string `add` makes.
    fn query_of(add: impl FnOnce(&mut Request<'_>)) -> String {
        let client = Client::new("http://127.0.0.1");
        let mut request = client.get("/items");
        add(&mut request);
        request.into_parts().expect("a valid request").query.join("&")
    }

    #[test]
    fn query_styles_write_arrays_as_openapi_says() {
        let ids = [1, 2];
        assert_eq!(query_of(|request| request.query("id", &ids)), "id=1&id=2");
        assert_eq!(query_of(|request| request.query_unexploded("id", &ids)), "id=1,2");
        assert_eq!(query_of(|request| request.query_space_delimited("id", &ids)), "id=1%202");
        assert_eq!(query_of(|request| request.query_pipe_delimited("id", &ids)), "id=1|2");
    }

    #[test]
    fn delimiters_inside_values_are_escaped_and_the_delimiter_is_not() {
        let names = ["a,b", "c|d", "e f&g=h"];
        assert_eq!(query_of(|request| request.query_unexploded("n", &names)), "n=a%2Cb,c%7Cd,e%20f%26g%3Dh");
        assert_eq!(
            query_of(|request| request.query_pipe_delimited("n", &names)),
            "n=a%2Cb|c%7Cd|e%20f%26g%3Dh"
        );
        assert_eq!(query_of(|request| request.query("a b", &"ü")), "a%20b=%C3%BC");
    }

    #[test]
    fn query_styles_write_objects_as_openapi_says() {
        let filter = BTreeMap::from([("a", "x"), ("b", "y")]);
        assert_eq!(query_of(|request| request.query("f", &filter)), "a=x&b=y");
        assert_eq!(query_of(|request| request.query_unexploded("f", &filter)), "f=a,x,b,y");
        assert_eq!(query_of(|request| request.query_deep_object("f", &filter)), "f%5Ba%5D=x&f%5Bb%5D=y");
    }

    #[test]
    fn forms_repeat_array_keys_and_bracket_nested_members() {
        let client = Client::new("http://127.0.0.1");
        let mut request = client.post("/rate_plans");
        // A struct, not `json!`: the order of a JSON object's members depends on serde_json's
        // features, which the workspace unifies.
        #[derive(Serialize)]
        struct RatePlan {
            name: &'static str,
            tags: [&'static str; 2],
            limits: BTreeMap<&'static str, u32>,
            gone: Option<u32>,
        }
        let body =
            RatePlan { name: "a b", tags: ["x", "y"], limits: BTreeMap::from([("data", 5)]), gone: None };
        request.form(&body);
        let parts = request.into_parts().expect("a valid request");
        let Some((content_type, Payload::Body(body))) = parts.body else { panic!("a form body") };
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        let super::super::stream::BodySource::Bytes(bytes) = body.0 else { panic!("bytes in memory") };
        assert_eq!(bytes.as_ref(), b"name=a%20b&tags=x&tags=y&limits%5Bdata%5D=5");
    }

    #[test]
    fn absent_values_add_nothing() {
        assert_eq!(query_of(|request| request.query("page", &None::<u32>)), "");
    }
}
