//! An OpenAPI 3.0 document's schemas as JSON Schema (draft 7), so that a standard validator
//! can say whether an example fits its own schema (`cargo xtask examples`).
//!
//! OpenAPI 3.0 schemas are a dialect of JSON Schema; the differences that change what is valid
//! are few: `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, siblings of `$ref`
//! (ignored in 3.0), and the formats OpenAPI defines (`byte`, `int32`…). The generator reads
//! the document through `load`, which already brought 3.1 into the 3.0 form; this works on
//! that form. Formats are kept only where the generated types depend on them (`date-time`,
//! `date`, `uuid`, `byte`, integer widths): an example that breaks `format: email` still
//! round-trips through a `String`, and must not count as contradicting its schema.

use serde_json::{Map, Value, json};

/// Base URI under which the converted document is registered.
pub const DOCUMENT_URI: &str = "urn:openapi:document";

/// The document with every schema converted; `patterns` keeps `pattern` keywords (whose
/// ECMAScript regexes the validator may not read).
pub fn document(raw: &Value, patterns: bool) -> Value {
    let mut converted = raw.clone();
    visit(&mut converted, patterns);
    if let Value::Object(root) = &mut converted {
        root.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    }
    converted
}

/// Finds schemas where OpenAPI puts them: under `schema` keys and in `components.schemas`.
fn visit(value: &mut Value, patterns: bool) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match key.as_str() {
                    "schema" => schema(child, patterns),
                    "example" | "examples" | "default" => {}
                    "schemas" => match child.as_object_mut() {
                        Some(schemas) => schemas.values_mut().for_each(|s| schema(s, patterns)),
                        None => visit(child, patterns),
                    },
                    _ => visit(child, patterns),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| visit(item, patterns)),
        _ => {}
    }
}

fn schema(value: &mut Value, patterns: bool) {
    let Value::Object(object) = value else { return };
    if object.contains_key("$ref") {
        object.retain(|key, _| key == "$ref");
        return;
    }
    for (keyword, child) in object.iter_mut() {
        match keyword.as_str() {
            "items" | "additionalProperties" | "not" => schema(child, patterns),
            "allOf" | "oneOf" | "anyOf" => {
                child.as_array_mut().into_iter().flatten().for_each(|child| schema(child, patterns))
            }
            "properties" => {
                child.as_object_mut().into_iter().flatten().for_each(|(_, child)| schema(child, patterns))
            }
            _ => {}
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match object.get(exclusive) {
            Some(Value::Bool(true)) => match object.remove(bound) {
                Some(limit) => {
                    object.insert(exclusive.into(), limit);
                }
                None => {
                    object.remove(exclusive);
                }
            },
            Some(Value::Bool(false)) => {
                object.remove(exclusive);
            }
            _ => {}
        }
    }
    if !patterns {
        object.remove("pattern");
    }
    // A schema that lists properties (or items) without a `type` describes an object (an
    // array), as the generator and OpenAPI tools read it; JSON Schema alone would let any
    // other type through.
    if !object.contains_key("type") {
        if object.contains_key("properties") || object.contains_key("additionalProperties") {
            object.insert("type".into(), json!("object"));
        } else if object.contains_key("items") {
            object.insert("type".into(), json!("array"));
        }
    }
    let format = object.remove("format");
    let mut extra = Vec::new();
    match format.as_ref().and_then(Value::as_str) {
        Some(format @ ("date-time" | "date" | "uuid" | "byte")) => {
            object.insert("format".into(), json!(format));
        }
        Some(format) => {
            if let Some((min, max)) = integer_range(format)
                && object.get("type") == Some(&json!("integer"))
            {
                extra.push(json!({"minimum": min, "maximum": max}));
            }
        }
        None => {}
    }
    if !extra.is_empty() {
        let members = take_all_of(object).into_iter().chain(extra).collect();
        object.insert("allOf".into(), Value::Array(members));
    }
    if object.remove("nullable") == Some(Value::Bool(true)) {
        allow_null(object);
    }
}

/// Lets `null` through every keyword that could refuse it, leaving every subschema at its
/// pointer (other schemas may refer into this one).
fn allow_null(object: &mut Map<String, Value>) {
    if let Some(Value::String(name)) = object.get("type") {
        let name = name.clone();
        object.insert("type".into(), json!([name, "null"]));
    }
    if let Some(Value::Array(values)) = object.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = object.get_mut(keyword) {
            members.push(json!({"type": "null"}));
        }
    }
    if let Some(members) = object.remove("allOf") {
        object.insert("if".into(), json!({"type": "null"}));
        object.insert("else".into(), json!({"allOf": members}));
    }
}

fn take_all_of(object: &mut Map<String, Value>) -> Vec<Value> {
    match object.remove("allOf") {
        Some(Value::Array(members)) => members,
        _ => Vec::new(),
    }
}

/// The values an integer `format` the generator maps to a Rust width allows.
fn integer_range(format: &str) -> Option<(Value, Value)> {
    Some(match format {
        "int8" => (json!(i8::MIN), json!(i8::MAX)),
        "int16" => (json!(i16::MIN), json!(i16::MAX)),
        "int32" => (json!(i32::MIN), json!(i32::MAX)),
        "int64" => (json!(i64::MIN), json!(i64::MAX)),
        "uint8" => (json!(0), json!(u8::MAX)),
        "uint16" => (json!(0), json!(u16::MAX)),
        "uint32" => (json!(0), json!(u32::MAX)),
        "uint64" => (json!(0), json!(u64::MAX)),
        _ => return None,
    })
}

/// Whether `text` is base64 (`format: byte`): the standard or URL-safe alphabet, padded or not.
pub fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    let standard = body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let url_safe = body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (standard || url_safe) && padding <= 2 && body.len() % 4 != 1 && (padding == 0 || text.len() % 4 == 0)
}

/// Whether `text` is a UUID written as RFC 4122 does (hex digits in groups of 8-4-4-4-12).
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, length)| group.len() == length && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(schema: Value) -> Value {
        document(&json!({"components": {"schemas": {"S": schema}}}), true)["components"]["schemas"]["S"]
            .take()
    }

    #[test]
    fn openapi_keywords_become_json_schema() {
        assert_eq!(
            converted(json!({"type": "string", "nullable": true})),
            json!({"type": ["string", "null"]})
        );
        assert_eq!(
            converted(json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})),
            json!({"if": {"type": "null"}, "else": {"allOf": [{"$ref": "#/components/schemas/T"}]}})
        );
        assert_eq!(
            converted(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true})),
            json!({"type": "integer", "exclusiveMinimum": 1})
        );
        assert_eq!(
            converted(json!({"$ref": "#/components/schemas/T", "description": "ignored"})),
            json!({"$ref": "#/components/schemas/T"})
        );
        assert_eq!(converted(json!({"type": "string", "format": "email"})), json!({"type": "string"}));
        assert_eq!(
            converted(json!({"properties": {"a": {}}})),
            json!({"type": "object", "properties": {"a": {}}})
        );
        assert_eq!(
            converted(json!({"type": "integer", "format": "int32"})),
            json!({"type": "integer", "allOf": [{"minimum": i32::MIN, "maximum": i32::MAX}]})
        );
        assert_eq!(
            converted(json!({"type": "object", "properties": {"a": {"type": "string", "nullable": true}}})),
            json!({"type": "object", "properties": {"a": {"type": ["string", "null"]}}})
        );
    }

    #[test]
    fn formats_the_generated_types_read() {
        assert!(is_base64("c2FtcGxl") && is_base64("c2FtcGw=") && is_base64("c2FtcGw") && is_base64("a-_b"));
        assert!(!is_base64("not base64!") && !is_base64("a"));
        assert!(is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(!is_uuid("3fa85f64571745624562b3fc2c963f66afa6") && !is_uuid("sample"));
    }
}
