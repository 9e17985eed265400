//! The spec's own examples and the generated types they should decode into, for the generated
//! round-trip tests (`tests/examples.rs`, `emit/example_tests.rs`) and the tools that measure
//! them (`cargo xtask examples`).
//!
//! An example is taken where its generated type is known: the `example` of a schema that became
//! a named type (component schemas, and inline objects, enums and unions), and the `example` and
//! `examples.*.value` of the JSON request and response bodies the operations read. An example
//! whose type holds any JSON (`serde_json::Value`) is left out: it cannot fail.

use crate::error::pointer_push;
use crate::model::refs;
use crate::model::{Api, BodyKind, Type, TypeId, TypeKind};
use rustc_hash::FxHashSet;
use serde_json::Value;

/// One example of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// JSON pointer of the example value, where the document writes it (through no `$ref`).
    pub pointer: String,
    pub value: Value,
    /// The generated type it should decode into.
    pub ty: Type,
    /// The type is `Option<ty>`: a `null` example of a schema that allows `null`.
    pub optional: bool,
    /// JSON pointer of the schema that describes it (which may be a `$ref`).
    pub schema: String,
}

/// Every example of `raw` whose generated type in `api` is known, each once (the first way it
/// is reached), in a fixed order: named types in the model's order, then operations' bodies.
pub fn collect(api: &Api, raw: &Value) -> Vec<Example> {
    let mut collector = Collector { api, raw, examples: Vec::new(), seen: FxHashSet::default() };
    for (index, def) in api.types.iter().enumerate() {
        let ty = Type::Named(def.same_as.unwrap_or(TypeId(index)));
        let Some((at, schema)) = refs::follow(raw, &def.pointer) else { continue };
        // A reference's siblings are not read (OpenAPI 3.0): its example is not this type's.
        if schema.get("$ref").is_some() || !schema.is_object() {
            continue;
        }
        if let Some(value) = schema.get("example") {
            collector.push(pointer_push(&at, "example"), value, &ty, &at);
        }
    }
    for operation in &api.operations {
        if let Some(body) = &operation.body
            && let BodyKind::Json(ty) = &body.kind
        {
            collector.media(&body.pointer, &body.content_type, ty);
        }
        for response in operation.success.iter().chain(&operation.errors) {
            if let BodyKind::Json(ty) = &response.body {
                collector.media(&response.pointer, &response.content_type, ty);
            }
        }
    }
    collector.examples
}

struct Collector<'a> {
    api: &'a Api,
    raw: &'a Value,
    examples: Vec<Example>,
    seen: FxHashSet<String>,
}

impl Collector<'_> {
    /// The examples of the `content_type` media type of the body or response at `pointer`.
    fn media(&mut self, pointer: &str, content_type: &str, ty: &Type) {
        let Some((at, object)) = refs::follow(self.raw, pointer) else { return };
        let Some((at, object)) = refs::dereference(self.raw, at, object) else { return };
        let Some(media) = object.get("content").and_then(|content| content.get(content_type)) else {
            return;
        };
        let at = pointer_push(&pointer_push(&at, "content"), content_type);
        let schema = pointer_push(&at, "schema");
        if let Some(value) = media.get("example") {
            self.push(pointer_push(&at, "example"), value, ty, &schema);
        }
        let named = media.get("examples").and_then(Value::as_object).into_iter().flatten();
        for (name, example) in named {
            let Some((example_at, example)) =
                refs::dereference(self.raw, pointer_push(&pointer_push(&at, "examples"), name), example)
            else {
                continue;
            };
            if let Some(value) = example.get("value") {
                self.push(pointer_push(&example_at, "value"), value, ty, &schema);
            }
        }
        // An inline schema's own example; one of a named type was taken with the type.
        if let Some(value) = media
            .get("schema")
            .filter(|schema| schema.get("$ref").is_none())
            .and_then(|schema| schema.get("example"))
        {
            self.push(pointer_push(&schema, "example"), value, ty, &schema);
        }
    }

    fn push(&mut self, pointer: String, value: &Value, ty: &Type, schema: &str) {
        if !checks_anything(self.api, ty) || !self.seen.insert(pointer.clone()) {
            return;
        }
        let optional = value.is_null() && self.allows_null(schema);
        self.examples.push(Example {
            pointer,
            value: value.clone(),
            ty: ty.clone(),
            optional,
            schema: schema.to_owned(),
        });
    }

    /// Whether the schema at `pointer` allows `null` (`nullable`, or `null` among its values).
    fn allows_null(&self, pointer: &str) -> bool {
        let schema = refs::follow(self.raw, pointer)
            .and_then(|(at, schema)| refs::dereference(self.raw, at, schema))
            .map(|(_, schema)| schema);
        schema.is_some_and(|schema| {
            schema.get("nullable") == Some(&Value::Bool(true))
                || schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.contains(&Value::Null))
        })
    }
}

/// Whether decoding into `ty` can fail: not when it holds any JSON.
fn checks_anything(api: &Api, ty: &Type) -> bool {
    checks(api, ty, 0)
}

fn checks(api: &Api, ty: &Type, depth: usize) -> bool {
    match ty {
        Type::Json | Type::JsonObject => false,
        Type::Array(inner) | Type::Map(inner) => checks(api, inner, depth),
        Type::Named(id) => match api.types.get(id.0).map(|def| &def.kind) {
            // Aliases can refer to each other; a long chain is taken as checking something.
            Some(TypeKind::Alias(inner)) if depth < 16 => checks(api, inner, depth + 1),
            Some(_) => true,
            None => false,
        },
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn examples_of(raw: Value) -> Vec<(String, String)> {
        let document = crate::load::parse(&raw.to_string()).expect("a valid document");
        let api = crate::model::build(&document).expect("a model");
        collect(&api, &document.raw)
            .into_iter()
            .map(|example| {
                let ty = match &example.ty {
                    Type::Named(id) => api.types[id.0].name.clone(),
                    other => format!("{other:?}"),
                };
                (example.pointer, if example.optional { format!("Option<{ty}>") } else { ty })
            })
            .collect()
    }

    #[test]
    fn examples_of_named_types_and_bodies_are_found_through_references() {
        let found = examples_of(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/pets": {"get": {"responses": {
                "200": {"$ref": "#/components/responses/Pets"},
                "404": {"description": "none", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"message": {"type": "string"}},
                               "example": {"message": "inline"}},
                    "examples": {"gone": {"$ref": "#/components/examples/Gone"}, "far": {"externalValue": "x"}}
                }}}
            }}}},
            "components": {
                "schemas": {
                    "Pet": {"type": "object", "properties": {"name": {"type": "string"}}, "example": {}},
                    "Maybe": {"type": "object", "nullable": true, "properties": {"name": {"type": "string"}},
                              "example": null},
                    "Any": {"example": 1}
                },
                "responses": {"Pets": {"description": "pets", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                    "example": [{"name": "Rex"}]
                }}}},
                "examples": {"Gone": {"value": {"message": "gone"}}}
            }
        }));
        assert_eq!(
            found,
            [
                ("#/components/schemas/Pet/example".to_owned(), "Pet".to_owned()),
                ("#/components/schemas/Maybe/example".to_owned(), "Option<Maybe>".to_owned()),
                (
                    "#/paths/~1pets/get/responses/404/content/application~1json/schema/example".to_owned(),
                    "GetPetsNotFoundBody".to_owned()
                ),
                (
                    "#/components/responses/Pets/content/application~1json/example".to_owned(),
                    "Array(Named(TypeId(0)))".to_owned()
                ),
                ("#/components/examples/Gone/value".to_owned(), "GetPetsNotFoundBody".to_owned()),
            ]
        );
    }
}
