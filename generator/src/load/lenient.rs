//! Reading documents that break a rule in a way whose intent is clear.
//!
//! Hand-written specs often leave out what the standard requires but the author plainly did
//! not mean to say: an operation without `responses` (it documents none), an `info` without
//! `version`, a 3.0 document with only `components` (the author wants the types), a
//! Swagger-2.0-style `discriminator: propertyName`, `content` on a 204 response (HTTP gives it
//! no body). Each is rewritten to what it means and
//! reported as a warning with its JSON pointer; anything without a clear meaning is still
//! refused by the typed parse. Constructs that are valid 3.1 (no `responses`, a `mutualTLS`
//! security scheme) are rewritten too, without a warning for the first; the second gets a
//! note, since the client has nothing to send for it.

use crate::error::{Located, pointer_push};
use serde_json::{Value, json};

/// The HTTP methods a path item may hold, whose operations need `responses`.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Rewrites `document` in place and returns one warning per rewrite that 3.0 (or 3.1, for
/// `openapi_31`) does not allow.
pub fn read_leniently(document: &mut Value, openapi_31: bool) -> Vec<Located> {
    let mut warnings = Vec::new();
    let Some(root) = document.as_object_mut() else { return warnings };
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut)
        && !info.contains_key("version")
    {
        info.insert("version".into(), json!(""));
        warnings.push(Located::new("#/info", "`version` is missing; read as an empty version"));
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
        if !openapi_31 {
            warnings.push(Located::new("#", "`paths` is missing; read as no operations (types only)"));
        }
    }
    let shared_with_content = shared_responses_with_content(root);
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let item_pointer = pointer_push("#/paths", path);
            let Some(item) = item.as_object_mut() else { continue };
            for method in METHODS {
                let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else { continue };
                if !operation.contains_key("responses") {
                    operation.insert("responses".into(), json!({}));
                    if !openapi_31 {
                        let pointer = pointer_push(&item_pointer, method);
                        warnings
                            .push(Located::new(pointer, "`responses` is missing; read as none documented"));
                    }
                }
                let pointer = pointer_push(&pointer_push(&item_pointer, method), "responses");
                drop_bodies_of_bodiless_statuses(operation, &pointer, &shared_with_content, &mut warnings);
            }
        }
    }
    let mutual_tls = remove_mutual_tls(root, &mut warnings);
    if !mutual_tls.is_empty() {
        drop_requirements(document, &mutual_tls);
    }
    string_discriminators(document, "#", &mut warnings);
    warnings
}

/// The statuses whose responses HTTP defines without a body (RFC 9110: 204 No Content, 205
/// Reset Content). Prism and real servers send none, whatever the spec declares.
const BODILESS: &[&str] = &["204", "205"];

/// `#/components/responses` entries that declare content: their `$ref`s under a bodiless
/// status are replaced by the description alone.
fn shared_responses_with_content(root: &serde_json::Map<String, Value>) -> Vec<(String, Value)> {
    let Some(responses) = root.get("components").and_then(|c| c.get("responses")).and_then(Value::as_object)
    else {
        return Vec::new();
    };
    responses
        .iter()
        .filter(|(_, response)| {
            response.get("content").and_then(Value::as_object).is_some_and(|c| !c.is_empty())
        })
        .map(|(name, response)| {
            let description = response.get("description").cloned().unwrap_or_else(|| json!(""));
            (pointer_push("#/components/responses", name), description)
        })
        .collect()
}

/// A 204 or 205 response with `content` is read as one without: the content cannot arrive.
fn drop_bodies_of_bodiless_statuses(
    operation: &mut serde_json::Map<String, Value>,
    pointer: &str,
    shared_with_content: &[(String, Value)],
    warnings: &mut Vec<Located>,
) {
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { return };
    for status in BODILESS {
        let Some(response) = responses.get_mut(*status) else { continue };
        let dropped = match response.get("$ref").and_then(Value::as_str) {
            Some(reference) => match shared_with_content.iter().find(|(shared, _)| shared == reference) {
                Some((_, description)) => {
                    *response = json!({"description": description});
                    true
                }
                None => false,
            },
            None => response
                .as_object_mut()
                .and_then(|object| object.remove("content"))
                .is_some_and(|content| content != json!({})),
        };
        if dropped {
            warnings.push(Located::new(
                pointer_push(pointer, status),
                format!("a {status} response has no body in HTTP; its `content` is ignored"),
            ));
        }
    }
}

/// Removes the `mutualTLS` security schemes and returns their keys.
fn remove_mutual_tls(root: &mut serde_json::Map<String, Value>, warnings: &mut Vec<Located>) -> Vec<String> {
    let Some(schemes) = root
        .get_mut("components")
        .and_then(|components| components.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut)
    else {
        return Vec::new();
    };
    let mutual_tls: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(key, _)| key.clone())
        .collect();
    for key in &mutual_tls {
        schemes.remove(key);
        warnings.push(Located::new(
            pointer_push("#/components/securitySchemes", key),
            "`mutualTLS` has nothing to send per request; give the client certificate to the \
             `reqwest::Client` passed to `with_http_client`",
        ));
    }
    mutual_tls
}

/// Removes `schemes` from every security requirement: the connection satisfies them.
fn drop_requirements(value: &mut Value, schemes: &[String]) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "security"
                    && let Value::Array(requirements) = child
                {
                    for requirement in requirements.iter_mut().filter_map(Value::as_object_mut) {
                        requirement.retain(|name, _| !schemes.contains(name));
                    }
                } else {
                    drop_requirements(child, schemes);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| drop_requirements(item, schemes)),
        _ => {}
    }
}

/// `discriminator: petType` (Swagger 2.0's form) becomes `discriminator: {propertyName: petType}`.
fn string_discriminators(value: &mut Value, pointer: &str, warnings: &mut Vec<Located>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                let child_pointer = pointer_push(pointer, key);
                match (key.as_str(), &*child) {
                    // Examples are data: a member named `discriminator` there is not a keyword.
                    ("example" | "examples" | "default", _) => {}
                    ("discriminator", Value::String(property)) => {
                        let property = property.clone();
                        warnings.push(Located::new(
                            child_pointer,
                            format!("`discriminator` is a string; read as `{{propertyName: {property}}}`"),
                        ));
                        *child = json!({ "propertyName": property });
                    }
                    _ => string_discriminators(child, &child_pointer, warnings),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                string_discriminators(item, &pointer_push(pointer, &index.to_string()), warnings);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(mut document: Value, openapi_31: bool) -> (Value, Vec<String>) {
        let warnings = read_leniently(&mut document, openapi_31);
        (document, warnings.into_iter().map(|w| format!("{}: {}", w.pointer, w.message)).collect())
    }

    #[test]
    fn missing_parts_with_a_clear_meaning_are_filled_in_and_reported() {
        let (document, warnings) = read(json!({"info": {"title": "T"}, "components": {}}), false);
        assert_eq!(document["info"]["version"], json!(""));
        assert_eq!(document["paths"], json!({}));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("#/info: `version`"), "{warnings:?}");
    }

    #[test]
    fn an_operation_without_responses_documents_none() {
        let spec = json!({"info": {"version": "1"}, "paths": {"/a": {"get": {}, "parameters": []}}});
        let (document, warnings) = read(spec.clone(), false);
        assert_eq!(document["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(warnings, ["#/paths/~1a/get: `responses` is missing; read as none documented"]);
        let (_, warnings) = read(spec, true);
        assert!(warnings.is_empty(), "optional in 3.1: {warnings:?}");
    }

    #[test]
    fn a_no_content_response_has_no_body_whatever_it_declares() {
        let content = json!({"application/json": {"schema": {"type": "object"}}});
        let spec = json!({"info": {"version": "1"}, "paths": {"/a": {
            "delete": {"responses": {"204": {"description": "gone", "content": content}}},
            "put": {"responses": {"205": {"$ref": "#/components/responses/Reset"},
                                  "200": {"$ref": "#/components/responses/Reset"}}}}},
            "components": {"responses": {"Reset": {"description": "reset", "content": content}}}});
        let (document, warnings) = read(spec, false);
        assert_eq!(document["paths"]["/a"]["delete"]["responses"]["204"], json!({"description": "gone"}));
        assert_eq!(document["paths"]["/a"]["put"]["responses"]["205"], json!({"description": "reset"}));
        assert_eq!(
            document["paths"]["/a"]["put"]["responses"]["200"],
            json!({"$ref": "#/components/responses/Reset"}),
            "other statuses keep their body"
        );
        assert_eq!(
            warnings,
            [
                "#/paths/~1a/put/responses/205: a 205 response has no body in HTTP; its `content` is ignored",
                "#/paths/~1a/delete/responses/204: a 204 response has no body in HTTP; its `content` is ignored"
            ]
        );
    }

    #[test]
    fn a_string_discriminator_names_the_property() {
        let spec = json!({"info": {"version": "1"}, "paths": {}, "components": {"schemas": {
            "Pet": {"discriminator": "className", "example": {"discriminator": "kept"}}}}});
        let (document, warnings) = read(spec, false);
        assert_eq!(
            document["components"]["schemas"]["Pet"]["discriminator"],
            json!({"propertyName": "className"})
        );
        assert_eq!(document["components"]["schemas"]["Pet"]["example"]["discriminator"], json!("kept"));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn mutual_tls_is_noted_and_satisfied_by_the_connection() {
        let spec = json!({"info": {"version": "1"}, "paths": {"/a": {"get": {"responses": {},
            "security": [{"m": []}, {"key": []}]}}},
            "components": {"securitySchemes": {"m": {"type": "mutualTLS"}, "key": {"type": "apiKey"}}}});
        let (document, warnings) = read(spec, true);
        assert_eq!(document["components"]["securitySchemes"].as_object().map(|s| s.len()), Some(1));
        assert_eq!(document["paths"]["/a"]["get"]["security"], json!([{}, {"key": []}]));
        assert_eq!(warnings.len(), 1);
    }
}
