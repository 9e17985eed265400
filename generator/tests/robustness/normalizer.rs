//! The normaliser (`load/normalize.rs`, reached through `load::normalize`) on OpenAPI-shaped
//! JSON trees mixing 3.0 and 3.1 keywords, well and badly typed, in every place a document
//! holds schemas. It must not panic, and what it promises must hold:
//! - every schema it reaches is in 3.0 form: no boolean schemas (but `additionalProperties`),
//!   no tuple `items`, validation keywords of their JSON type, and with 3.1 no `type` lists or
//!   `"null"`, no `const`, no `examples`, no numeric `exclusiveMinimum`/`exclusiveMaximum`;
//! - examples and defaults outside schemas are left exactly as they were;
//! - it is idempotent: a normalised tree is a fixed point. Equal as JSON values, that is: a
//!   rewritten keyword moves to the end of its schema object (`Map::remove` swaps, then
//!   `insert` appends), so the key order of a schema object may differ between passes. Key
//!   order inside a schema object means nothing, and the order of properties is kept.

use super::{config, json_value, word};
use generator::load;
use proptest::prelude::*;
use serde_json::{Value, json};

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null", "file", ""];

/// `type` as 3.0 writes it, as 3.1 does (a list, maybe with `"null"`), or as nobody should.
fn type_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::sample::select(TYPES).prop_map(|name| json!(name)),
        3 => prop::collection::vec(prop::sample::select(TYPES), 0..4).prop_map(|names| json!(names)),
        1 => json_value(),
    ]
}

/// Numbers of every JSON kind, booleans, strings and null: values for bounds and flags.
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(|number| json!(number)),
        any::<bool>().prop_map(Value::Bool),
        word().prop_map(Value::String),
        Just(Value::Null),
    ]
}

/// Keywords whose value is a scalar (or should be).
const SCALAR_KEYWORDS: &[&str] = &[
    "nullable",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "readOnly",
    "writeOnly",
    "deprecated",
    "pattern",
    "format",
    "title",
    "description",
    "required",
    "contentMediaType",
    "contentEncoding",
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "x-extension",
];

/// Keywords holding one subschema in some version (and `schema`, which never does inside one).
const ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "contentSchema",
    "itemSchema",
    "unevaluatedProperties",
    "if",
    "then",
    "else",
    "schema",
];
const LIST: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems", "items"];
const MAP: &[&str] =
    &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"];
/// Keywords holding data, which must never be read as schemas.
const DATA: &[&str] = &["const", "enum", "examples", "example", "default", "discriminator"];
const REFERENCES: &[&str] = &["#/components/schemas/A", "#/$defs/x", "other.yaml#/B", ""];

/// A schema of either version, or a boolean schema, or something that is no schema at all.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        Just(json!({})),
        type_value().prop_map(|ty| json!({"type": ty})),
        prop::sample::select(REFERENCES).prop_map(|reference| json!({"$ref": reference})),
        scalar(),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        let member = prop_oneof![
            3 => type_value().prop_map(|ty| ("type".to_owned(), ty)),
            4 => (prop::sample::select(SCALAR_KEYWORDS), scalar()).prop_map(|(key, value)| (key.to_owned(), value)),
            3 => (prop::sample::select(ONE), inner.clone()).prop_map(|(key, value)| (key.to_owned(), value)),
            2 => (prop::sample::select(LIST), prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(key, items)| (key.to_owned(), Value::Array(items))),
            2 => (prop::sample::select(MAP), prop::collection::vec((word(), inner), 0..4))
                .prop_map(|(key, members)| (key.to_owned(), Value::Object(members.into_iter().collect()))),
            2 => (prop::sample::select(DATA), json_value()).prop_map(|(key, value)| (key.to_owned(), value)),
            1 => prop::sample::select(REFERENCES).prop_map(|reference| ("$ref".to_owned(), json!(reference))),
        ];
        prop::collection::vec(member, 0..5).prop_map(|members| Value::Object(members.into_iter().collect()))
    })
}

/// A schema slot: mostly a schema, sometimes any JSON value.
fn slot() -> impl Strategy<Value = Value> {
    prop_oneof![5 => schema(), 1 => json_value()]
}

/// A media type object: `schema`, 3.2's `itemSchema`, and an example (which may look like a
/// schema, and must be left alone all the same).
fn media_type(example: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    (slot(), prop::option::of(slot()), example).prop_map(|(schema, item_schema, example)| {
        let mut media = json!({"schema": schema, "examples": {"e": {"value": example}}});
        if let Some(item_schema) = item_schema {
            media["itemSchema"] = item_schema;
        }
        media
    })
}

/// A document holding schemas wherever OpenAPI puts them (and data shaped like schemas where
/// it puts examples), in version 3.0 or 3.1.
fn document() -> impl Strategy<Value = (Value, bool)> {
    (
        any::<bool>(),
        prop::collection::vec((word(), slot()), 0..3),
        (slot(), slot()),
        (media_type(schema()), media_type(json_value())),
        (json_value(), json_value()),
    )
        .prop_map(|(openapi_31, schemas, (parameter, header), (request, response), (default, webhook))| {
            let document = json!({
                "openapi": if openapi_31 { "3.1.0" } else { "3.0.3" },
                "info": {"title": "t", "version": "1"},
                "paths": {"/a/{id}": {
                    "parameters": [{"name": "id", "in": "path", "schema": parameter, "example": default}],
                    "post": {
                        "requestBody": {"content": {"application/json": request}},
                        "responses": {"200": {
                            "headers": {"h": {"schema": header}},
                            "content": {"text/event-stream": response}
                        }}
                    }
                }},
                "webhooks": {"w": webhook},
                "components": {
                    "schemas": Value::Object(schemas.into_iter().collect()),
                    "parameters": {"p": {"name": "p", "in": "query", "schema": {"default": default.clone()}}},
                    "examples": {"x": {"value": default}}
                }
            });
            (document, openapi_31)
        })
}

/// The check of a keyword that must have a JSON type after normalisation (the contract of
/// `typed_keyword` in `load/normalize.rs`, restated).
fn typed(keyword: &str, value: &Value) -> Option<bool> {
    Some(match keyword {
        "type" | "pattern" | "format" | "title" | "description" => value.is_string(),
        "required" | "enum" => value.is_array(),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            value.is_u64()
        }
        "uniqueItems" | "readOnly" | "writeOnly" | "nullable" | "deprecated" => value.is_boolean(),
        "exclusiveMinimum" | "exclusiveMaximum" => value.is_boolean(),
        "minimum" | "maximum" | "multipleOf" => value.is_number(),
        _ => return None,
    })
}

/// Checks every schema of a normalised `document` is in 3.0 form; `Err` names the first one
/// that is not.
fn check_document(value: &Value, at: &str, openapi_31: bool) -> Result<(), String> {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let at = format!("{at}/{key}");
                match key.as_str() {
                    "schema" => check_schema(child, &at, openapi_31)?,
                    "example" | "examples" | "default" => {}
                    "schemas" if child.is_object() => {
                        for (name, schema) in child.as_object().into_iter().flatten() {
                            check_schema(schema, &format!("{at}/{name}"), openapi_31)?;
                        }
                    }
                    _ => check_document(child, &at, openapi_31)?,
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| check_document(item, &format!("{at}/{index}"), openapi_31)),
        _ => Ok(()),
    }
}

fn check_schema(value: &Value, at: &str, openapi_31: bool) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{at}: {what} in {value}"));
    let object = match value {
        Value::Bool(_) => return fail("a boolean schema"),
        Value::Object(object) => object,
        // Not a schema at all: left for the typed parse to refuse.
        _ => return Ok(()),
    };
    if object.contains_key("$ref") {
        return Ok(());
    }
    for (keyword, child) in object {
        if typed(keyword, child) == Some(false) {
            return fail(&format!("`{keyword}` of the wrong JSON type"));
        }
    }
    if object.get("items").is_some_and(Value::is_array) {
        return fail("tuple `items`");
    }
    if openapi_31 {
        if object.get("type").is_some_and(|ty| ty == "null") {
            return fail("`type: null`");
        }
        for keyword in ["const", "examples"] {
            if object.contains_key(keyword) {
                return fail(&format!("`{keyword}`"));
            }
        }
    }
    for (keyword, child) in object {
        let at = format!("{at}/{keyword}");
        match (keyword.as_str(), child) {
            ("additionalProperties", Value::Bool(_)) => {}
            ("items" | "additionalProperties" | "not" | "contains" | "propertyNames", child) => {
                check_schema(child, &at, openapi_31)?;
            }
            ("allOf" | "oneOf" | "anyOf" | "prefixItems", Value::Array(children)) => {
                for (index, child) in children.iter().enumerate() {
                    check_schema(child, &format!("{at}/{index}"), openapi_31)?;
                }
            }
            ("properties" | "patternProperties" | "$defs" | "definitions", Value::Object(children)) => {
                for (name, child) in children {
                    check_schema(child, &format!("{at}/{name}"), openapi_31)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Every `example`, `examples` and `default` outside schemas, by JSON pointer.
fn examples(value: &Value, at: &str, out: &mut Vec<(String, Value)>) {
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let at = format!("{at}/{}", escape(key));
                match key.as_str() {
                    "example" | "examples" | "default" => out.push((at, child.clone())),
                    // 3.2's `itemSchema` is a schema too (read as the `schema` when none is given).
                    "schema" | "itemSchema" => {}
                    "schemas" if child.is_object() => {}
                    _ => examples(child, &at, out),
                }
            }
        }
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(index, item)| examples(item, &format!("{at}/{index}"), out));
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn normalizer_leaves_schemas_in_30_form_and_examples_alone((document, openapi_31) in document()) {
        let mut normalized = document.clone();
        load::normalize(&mut normalized, openapi_31);
        if let Err(problem) = check_document(&normalized, "#", openapi_31) {
            prop_assert!(false, "{problem}\nfrom {document}");
        }
        let mut before = Vec::new();
        examples(&document, "", &mut before);
        for (pointer, example) in before {
            prop_assert_eq!(normalized.pointer(&pointer), Some(&example), "{} changed", pointer);
        }
    }

    #[test]
    fn normalizer_is_idempotent((document, openapi_31) in document()) {
        let mut once = document;
        load::normalize(&mut once, openapi_31);
        let mut twice = once.clone();
        load::normalize(&mut twice, openapi_31);
        prop_assert_eq!(twice, once);
    }

}

proptest! {
    #![proptest_config(config(2_000))]

    /// Any JSON at all, not only OpenAPI-shaped: the tree walk meets every shape.
    #[test]
    fn normalizer_never_panics_on_any_tree(tree in json_value(), openapi_31 in any::<bool>()) {
        let mut tree = json!({"components": {"schemas": {"A": tree.clone()}}, "paths": {"/a": {"schema": tree}}});
        load::normalize(&mut tree, openapi_31);
    }
}
