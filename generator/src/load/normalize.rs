//! Bringing real-world documents into the shape `openapiv3` reads.
//!
//! `openapiv3` reads OpenAPI 3.0 strictly. Two kinds of input need help:
//! - **OpenAPI 3.1** (JSON Schema 2020-12): `type: [string, "null"]`, `const`, numeric
//!   `exclusiveMinimum`, boolean schemas. Each is rewritten to its 3.0 equivalent
//!   (`nullable`, a one-value `enum`, `minimum` + `exclusiveMinimum: true`, `{}` / `{not: {}}`);
//!   a type list with several non-null types becomes an `anyOf`. A string with a
//!   `contentMediaType` and no `format` is binary (`format: binary`, or `byte` when its
//!   `contentEncoding` is base64), as 3.0 writes file parts.
//! - **Sequential media types** (OpenAPI 3.2's `itemSchema`, used by 3.1 documents too): a
//!   media type with an `itemSchema` and no `schema` describes each item (for
//!   `text/event-stream`, each event: `{event, data, id, retry}`); it is read as the schema,
//!   and an event's `data` described by `contentSchema` takes that schema, since the client
//!   decodes the data it carries.
//! - **Keywords of the wrong JSON type** (`pattern: 0`, `required: true` on a property,
//!   `type: {…}`): validation keywords are never used by the generator and a malformed `type`
//!   only widens the schema to any JSON value, so they are removed instead of failing the whole
//!   document.
//!
//! The rewrite works on the raw JSON before typed parsing, so every later stage sees 3.0 only.

use serde_json::{Map, Value, json};

/// The check of a keyword that must have a particular JSON type, or `None` for any other key.
/// Most of them only validate values, which the generator never reads; a malformed `type`
/// widens the schema to any JSON value.
///
/// A `match` rather than lookups by name: each schema object is visited once, key by key, and
/// real specs hold hundreds of thousands of them.
fn typed_keyword(keyword: &str) -> Option<fn(&Value) -> bool> {
    Some(match keyword {
        "type" | "pattern" | "format" | "title" | "description" => Value::is_string,
        "required" | "enum" => Value::is_array,
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            Value::is_u64
        }
        "uniqueItems" | "readOnly" | "writeOnly" | "nullable" | "deprecated" => Value::is_boolean,
        "exclusiveMinimum" | "exclusiveMaximum" => Value::is_boolean,
        "minimum" | "maximum" | "multipleOf" => Value::is_number,
        _ => return None,
    })
}

/// How a keyword holds subschemas.
enum Subschemas {
    One,
    List,
    Map,
}

fn subschemas(keyword: &str) -> Option<Subschemas> {
    match keyword {
        "items" | "additionalProperties" | "not" | "contains" | "propertyNames" => Some(Subschemas::One),
        "allOf" | "oneOf" | "anyOf" | "prefixItems" => Some(Subschemas::List),
        "properties" | "patternProperties" | "$defs" | "definitions" => Some(Subschemas::Map),
        _ => None,
    }
}

/// Rewrites `document` in place; `openapi_31` enables the 3.1 conversions.
pub fn normalize(document: &mut Value, openapi_31: bool) {
    visit_document(document, openapi_31);
}

/// Finds schemas wherever the document holds them: under `schema` keys and in
/// `components.schemas`.
fn visit_document(value: &mut Value, openapi_31: bool) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(media_types)) = object.get_mut("content") {
                media_types.values_mut().for_each(item_schema_as_schema);
            }
            for (key, child) in object.iter_mut() {
                match key.as_str() {
                    "schema" => schema(child, openapi_31),
                    // Examples are data, not description: leave them as they are.
                    "example" | "examples" | "default" => {}
                    "schemas" => match child.as_object_mut() {
                        Some(schemas) => schemas.values_mut().for_each(|s| schema(s, openapi_31)),
                        None => visit_document(child, openapi_31),
                    },
                    _ => visit_document(child, openapi_31),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| visit_document(item, openapi_31)),
        _ => {}
    }
}

/// A media type's `itemSchema` (when it has no `schema`) read as its schema.
fn item_schema_as_schema(media_type: &mut Value) {
    let Some(media_type) = media_type.as_object_mut() else { return };
    if !media_type.contains_key("schema")
        && let Some(mut items) = media_type.remove("itemSchema")
    {
        decoded_event_data(&mut items);
        media_type.insert("schema".into(), items);
    }
}

/// Gives the `data` property of an event schema (and of each of its alternatives) the
/// `contentSchema` that describes what the data encodes.
fn decoded_event_data(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else { return };
    if let Some(data) = object.get_mut("properties").and_then(|properties| properties.get_mut("data"))
        && let Some(content) = data.get_mut("contentSchema").map(Value::take)
    {
        *data = content;
    }
    for keyword in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(alternatives)) = object.get_mut(keyword) {
            alternatives.iter_mut().for_each(decoded_event_data);
        }
    }
}

fn schema(value: &mut Value, openapi_31: bool) {
    if let Value::Bool(allowed) = value {
        *value = if *allowed { json!({}) } else { json!({"not": {}}) };
        return;
    }
    let Some(object) = value.as_object_mut() else { return };
    if object.contains_key("$ref") {
        // A reference's siblings are ignored when reading, but other references may point
        // into them, so they stay as written.
        return;
    }
    if openapi_31 {
        json_schema_2020(object);
    }
    let mistyped: Vec<String> = object
        .iter()
        .filter(|(keyword, value)| typed_keyword(keyword).is_some_and(|valid| !valid(value)))
        .map(|(keyword, _)| keyword.clone())
        .collect();
    for keyword in &mistyped {
        object.remove(keyword);
    }
    if object.get("items").is_some_and(Value::is_array) {
        // Tuple items (`items: [a, b]`) have no 3.0 form; the items stay untyped.
        object.insert("items".into(), json!({}));
    }
    for (keyword, child) in object.iter_mut() {
        match (subschemas(keyword), child) {
            // `additionalProperties: true/false` is valid 3.0 and means something: keep it.
            (Some(Subschemas::One), Value::Bool(_)) if keyword == "additionalProperties" => {}
            (Some(Subschemas::One), child) => schema(child, openapi_31),
            (Some(Subschemas::List), Value::Array(children)) => {
                children.iter_mut().for_each(|child| schema(child, openapi_31));
            }
            (Some(Subschemas::Map), Value::Object(children)) => {
                children.values_mut().for_each(|child| schema(child, openapi_31));
            }
            _ => {}
        }
    }
}

/// The JSON Schema 2020-12 keywords of OpenAPI 3.1, in their 3.0 form.
fn json_schema_2020(object: &mut Map<String, Value>) {
    match object.remove("type") {
        Some(Value::Array(types)) => {
            let mut names: Vec<String> = types.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            if names.iter().any(|name| name == "null") {
                names.retain(|name| name != "null");
                object.insert("nullable".into(), Value::Bool(true));
            }
            match names.as_slice() {
                [] => {}
                [only] => {
                    object.insert("type".into(), Value::String(only.clone()));
                }
                several if !object.contains_key("anyOf") && !object.contains_key("oneOf") => {
                    let alternatives = several.iter().map(|name| json!({"type": name})).collect();
                    object.insert("anyOf".into(), Value::Array(alternatives));
                }
                _ => {}
            }
        }
        Some(Value::String(name)) if name == "null" => {
            object.insert("nullable".into(), Value::Bool(true));
        }
        Some(other) => {
            object.insert("type".into(), other);
        }
        None => {}
    }
    // Text that encodes JSON, XML or plain text stays text.
    let binary_media = |media: &str| {
        let media = media.to_ascii_lowercase();
        !(media.starts_with("text/") || media.ends_with("json") || media.ends_with("xml"))
    };
    if object.get("type").and_then(Value::as_str) == Some("string")
        && !object.contains_key("format")
        && object.get("contentMediaType").and_then(Value::as_str).is_some_and(binary_media)
    {
        let base64 = object.get("contentEncoding").and_then(Value::as_str) == Some("base64");
        object.insert("format".into(), Value::String(if base64 { "byte" } else { "binary" }.into()));
    }
    if let Some(constant) = object.remove("const") {
        object.entry("enum").or_insert_with(|| Value::Array(vec![constant]));
    }
    if let Some(Value::Array(examples)) = object.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            object.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit) = object.get(exclusive).filter(|value| value.is_number()).cloned() {
            object.insert(bound.into(), limit);
            object.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(schema_json: Value, openapi_31: bool) -> Value {
        let mut document = json!({"components": {"schemas": {"S": schema_json}}});
        normalize(&mut document, openapi_31);
        document["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        assert_eq!(
            normalized(json!({"type": ["string", "null"]}), true),
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn several_types_become_any_of() {
        assert_eq!(
            normalized(json!({"type": ["string", "integer"]}), true),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn const_and_exclusive_bounds_take_their_30_form() {
        assert_eq!(normalized(json!({"const": "a"}), true), json!({"enum": ["a"]}));
        assert_eq!(
            normalized(json!({"type": "number", "exclusiveMinimum": 0}), true),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0})
        );
    }

    #[test]
    fn content_media_types_mark_binary_strings() {
        let file = json!({"type": "string", "contentMediaType": "image/png"});
        assert_eq!(normalized(file, true)["format"], "binary");
        let encoded = json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"});
        assert_eq!(normalized(encoded, true)["format"], "byte");
        let dated = json!({"type": "string", "format": "date", "contentMediaType": "image/png"});
        assert_eq!(normalized(dated, true)["format"], "date");
        let json_text = json!({"type": "string", "contentMediaType": "application/json"});
        assert!(normalized(json_text, true).get("format").is_none(), "JSON in a string stays text");
    }

    #[test]
    fn an_item_schema_describes_each_event_and_its_data_takes_its_content_schema() {
        let data = json!({"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}});
        let mut document = json!({"content": {"text/event-stream": {"itemSchema": {
            "oneOf": [{"properties": {"event": {"const": "a"}, "data": data}}]
        }}}});
        normalize(&mut document, true);
        let media = &document["content"]["text/event-stream"];
        assert!(media.get("itemSchema").is_none());
        let alternative = &media["schema"]["oneOf"][0]["properties"];
        assert_eq!(alternative["data"], json!({"type": "object"}));
        assert_eq!(alternative["event"], json!({"enum": ["a"]}));
    }

    #[test]
    fn boolean_schemas_and_nested_ones_are_rewritten() {
        assert_eq!(
            normalized(json!({"properties": {"a": false, "b": {"type": ["null", "integer"]}}}), true),
            json!({"properties": {"a": {"not": {}}, "b": {"type": "integer", "nullable": true}}})
        );
    }

    #[test]
    fn mistyped_validation_keywords_are_dropped_in_any_version() {
        assert_eq!(
            normalized(json!({"type": "string", "pattern": 0, "required": true}), false),
            json!({"type": "string"})
        );
        assert_eq!(normalized(json!({"type": {"type": "string"}}), false), json!({}));
    }

    #[test]
    fn additional_properties_booleans_keep_their_meaning() {
        assert_eq!(
            normalized(json!({"type": "object", "additionalProperties": false}), true),
            json!({"type": "object", "additionalProperties": false})
        );
    }
}
