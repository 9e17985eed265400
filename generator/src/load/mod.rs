//! Stage 1: reading a file into an OpenAPI document.
//!
//! The text is first read into a `serde_json::Value` (from YAML or JSON) and kept: `$ref`s that
//! point outside `#/components/schemas` are resolved against it later. The typed `openapiv3`
//! document is then deserialized from that value with `serde_path_to_error`, so a type mismatch
//! is reported at its JSON pointer instead of as "data did not match any variant".

mod lenient;
mod locate;
mod normalize;
mod typed;

use crate::error::{Error, Located, pointer_push};
use serde_json::Value;
use std::path::Path;

/// A parsed OpenAPI document and the raw JSON tree it came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document as JSON, for resolving arbitrary JSON-pointer references.
    pub raw: Value,
    /// The typed view of the document.
    pub api: openapiv3::OpenAPI,
    /// What was read leniently: rules the document breaks in a way whose intent is clear.
    pub warnings: Vec<Located>,
}

/// Reads and parses the OpenAPI document at `path`.
pub fn load(path: &Path) -> Result<Document, Error> {
    let text = std::fs::read_to_string(path).map_err(|io| Error {
        file: path.into(),
        location: "#".into(),
        message: format!("cannot read the file: {io}"),
    })?;
    parse(&text).map_err(|error| Error { file: path.into(), ..error })
}

/// The normalisation pass alone (`load/normalize.rs`): OpenAPI 3.1 keywords (with
/// `openapi_31`) and malformed validation keywords rewritten in place to the 3.0 form
/// `openapiv3` reads. [`parse`] runs it; it is public only so property tests can feed it
/// arbitrary trees, and may change without notice.
#[doc(hidden)]
pub fn normalize(document: &mut Value, openapi_31: bool) {
    normalize::normalize(document, openapi_31);
}

/// Parses a document from text, YAML or JSON; errors carry an empty file name.
pub fn parse(text: &str) -> Result<Document, Error> {
    let mut raw = parse_tree(text)?;
    let version = check_version(&raw).map_err(|located| located.in_file(""))?;
    let openapi_31 = version.starts_with("3.1");
    let warnings = lenient::read_leniently(&mut raw, openapi_31);
    normalize::normalize(&mut raw, openapi_31);
    // Path tracking costs a tenth of generation time on large specs: it runs only to explain a
    // failure.
    if let Some(api) = typed::read(&mut raw) {
        return Ok(Document { raw, api, warnings });
    }
    let error = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw) {
        Ok(api) => return Ok(Document { raw, api, warnings }),
        Err(error) => error,
    };
    // The walk finds the innermost bad part; the whole-document error is the fallback.
    Err(locate::locate(&raw)
        .unwrap_or_else(|| Located::new(path_pointer("#", error.path()), error.into_inner().to_string()))
        .in_file(""))
}

/// `base` extended by the segments of a serde path.
fn path_pointer(base: &str, path: &serde_path_to_error::Path) -> String {
    path.iter().fold(base.to_owned(), |pointer, segment| {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer_push(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => pointer,
        }
    })
}

fn parse_tree(text: &str) -> Result<Value, Error> {
    let syntax_error = |line: usize, column: usize, message: String| Error {
        file: Default::default(),
        location: format!("{line}:{column}"),
        message,
    };
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|error| syntax_error(error.line(), error.column(), format!("invalid JSON: {error}")));
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let (line, column) = error.location().map_or((1, 1), |at| (at.line(), at.column()));
        syntax_error(line, column, format!("invalid YAML: {error}"))
    })?;
    yaml.apply_merge().map_err(|error| syntax_error(1, 1, format!("invalid YAML merge: {error}")))?;
    yaml_to_json(yaml, "#").map_err(|located| located.in_file(""))
}

/// Converts YAML to JSON. YAML allows non-string keys (`200:` is an integer); OpenAPI means
/// their text, so scalars keys become strings. Anything else has no JSON form and is an error.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, Located> {
    use serde_yaml::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f).map(Value::Number).ok_or_else(|| {
                    Located::new(pointer, format!("the number {n} has no JSON representation"))
                })?
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &pointer_push(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut map = serde_json::Map::with_capacity(entries.len());
            for (key, value) in entries {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => {
                        return Err(Located::new(
                            pointer,
                            format!("a mapping key must be a scalar, found {other:?}"),
                        ));
                    }
                };
                let value = yaml_to_json(value, &pointer_push(pointer, &key))?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// The `openapi` version, when it is one this generator reads.
fn check_version(raw: &Value) -> Result<String, Located> {
    let Some(object) = raw.as_object() else {
        return Err(Located::new("#", "an OpenAPI document must be a mapping at the top level"));
    };
    if object.contains_key("swagger") {
        return Err(Located::new(
            "#/swagger",
            "Swagger 2.0 documents are not supported; convert them to OpenAPI 3.0 first",
        ));
    }
    match object.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.") => Ok(version.clone()),
        Some(other) => {
            Err(Located::new("#/openapi", format!("expected an OpenAPI 3.x version string, found {other}")))
        }
        None => Err(Located::new("#", "missing the `openapi` version field")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_status_keys_become_strings() {
        let document = parse(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n",
        )
        .expect("valid document");
        assert!(document.raw["paths"]["/a"]["get"]["responses"].get("200").is_some());
    }

    #[test]
    fn type_errors_name_the_pointer() {
        let error = parse(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}}"#,
        )
        .expect_err("description must be a string");
        assert_eq!(error.location, "#/paths/~1a/get/responses/200", "{error}");
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = parse("openapi: 3.0.3\ninfo: [unclosed\n").expect_err("bad YAML");
        assert!(error.location.contains(':'), "{error}");
        assert!(error.message.contains("invalid YAML"), "{error}");
    }

    #[test]
    fn swagger_two_is_refused_clearly() {
        let error = parse(r#"{"swagger": "2.0"}"#).expect_err("not OpenAPI 3");
        assert_eq!(error.location, "#/swagger");
    }
}
