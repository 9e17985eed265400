//! Finding where a document fails to deserialize.
//!
//! `openapiv3` flattens extensions into most objects, and through `#[serde(flatten)]` serde
//! cannot say which member failed: an error deep in an operation surfaces as "somewhere in
//! `#/paths`". When the whole document fails, this walks it part by part, deepest first, and
//! deserializes each part alone, so the error names the innermost object that is wrong.

use crate::error::{Located, pointer_push};
use openapiv3::{
    Header, Info, MediaType, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme, Server,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Schema keywords that hold one subschema, and those that hold a list or map of them.
const SCHEMA_CHILD: &[&str] = &["items", "additionalProperties", "not"];
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// A part that failed: where and why.
type Found = Result<(), Located>;

/// The innermost part of `raw` that does not deserialize, if one can be found.
pub fn locate(raw: &Value) -> Option<Located> {
    walk(raw).err()
}

fn walk(raw: &Value) -> Found {
    if let Some(info) = raw.get("info") {
        check::<Info>(info, "#/info")?;
    }
    for (index, server) in items(raw.get("servers")) {
        check::<Server>(server, &pointer_push("#/servers", &index.to_string()))?;
    }
    for (path, item) in members(raw.get("paths")) {
        path_item(item, &pointer_push("#/paths", path))?;
    }
    if let Some(components) = raw.get("components") {
        let at = |kind: &str| pointer_push("#/components", kind);
        for (name, schema) in members(components.get("schemas")) {
            schema_tree(schema, &pointer_push(&at("schemas"), name))?;
        }
        for (name, response) in members(components.get("responses")) {
            response_of(response, &pointer_push(&at("responses"), name))?;
        }
        for (name, parameter) in members(components.get("parameters")) {
            parameter_of(parameter, &pointer_push(&at("parameters"), name))?;
        }
        for (name, body) in members(components.get("requestBodies")) {
            request_body(body, &pointer_push(&at("requestBodies"), name))?;
        }
        for (name, header) in members(components.get("headers")) {
            check::<ReferenceOr<Header>>(header, &pointer_push(&at("headers"), name))?;
        }
        for (name, scheme) in members(components.get("securitySchemes")) {
            check::<ReferenceOr<SecurityScheme>>(scheme, &pointer_push(&at("securitySchemes"), name))?;
        }
    }
    Ok(())
}

fn path_item(item: &Value, pointer: &str) -> Found {
    for (index, parameter) in items(item.get("parameters")) {
        parameter_of(parameter, &pointer_push(&pointer_push(pointer, "parameters"), &index.to_string()))?;
    }
    for method in METHODS {
        let Some(operation) = item.get(*method) else { continue };
        let pointer = pointer_push(pointer, method);
        for (index, parameter) in items(operation.get("parameters")) {
            parameter_of(
                parameter,
                &pointer_push(&pointer_push(&pointer, "parameters"), &index.to_string()),
            )?;
        }
        if let Some(body) = operation.get("requestBody") {
            request_body(body, &pointer_push(&pointer, "requestBody"))?;
        }
        for (status, response) in members(operation.get("responses")) {
            response_of(response, &pointer_push(&pointer_push(&pointer, "responses"), status))?;
        }
        check::<Operation>(operation, &pointer)?;
    }
    check::<ReferenceOr<PathItem>>(item, pointer)
}

fn parameter_of(parameter: &Value, pointer: &str) -> Found {
    if let Some(schema) = parameter.get("schema") {
        schema_tree(schema, &pointer_push(pointer, "schema"))?;
    }
    content(parameter.get("content"), pointer)?;
    check::<ReferenceOr<Parameter>>(parameter, pointer)
}

fn request_body(body: &Value, pointer: &str) -> Found {
    content(body.get("content"), pointer)?;
    check::<ReferenceOr<RequestBody>>(body, pointer)
}

fn response_of(response: &Value, pointer: &str) -> Found {
    content(response.get("content"), pointer)?;
    check::<ReferenceOr<Response>>(response, pointer)
}

fn content(content: Option<&Value>, pointer: &str) -> Found {
    for (media, media_type) in members(content) {
        let pointer = pointer_push(&pointer_push(pointer, "content"), media);
        if let Some(schema) = media_type.get("schema") {
            schema_tree(schema, &pointer_push(&pointer, "schema"))?;
        }
        check::<MediaType>(media_type, &pointer)?;
    }
    Ok(())
}

fn schema_tree(schema: &Value, pointer: &str) -> Found {
    for (name, property) in members(schema.get("properties")) {
        schema_tree(property, &pointer_push(&pointer_push(pointer, "properties"), name))?;
    }
    for keyword in SCHEMA_CHILD {
        if let Some(child) = schema.get(*keyword).filter(|child| child.is_object()) {
            schema_tree(child, &pointer_push(pointer, keyword))?;
        }
    }
    for keyword in SCHEMA_LISTS {
        for (index, child) in items(schema.get(*keyword)) {
            schema_tree(child, &pointer_push(&pointer_push(pointer, keyword), &index.to_string()))?;
        }
    }
    check::<ReferenceOr<Schema>>(schema, pointer)
}

/// Deserializes `value` alone as `T`, turning failure into an error at `pointer`.
fn check<T: DeserializeOwned>(value: &Value, pointer: &str) -> Found {
    serde_path_to_error::deserialize::<_, T>(value).map(drop).map_err(|error| {
        let inner = super::path_pointer(pointer, error.path());
        Located::new(inner, error.into_inner().to_string())
    })
}

fn members(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

fn items(value: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
    value.and_then(Value::as_array).into_iter().flatten().enumerate()
}
