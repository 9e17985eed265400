//! Local `$ref`s: JSON pointers in a URI fragment, so percent-encoded (`%7Bid%7D`) as well as
//! `~`-escaped.

use crate::error::Located;
use percent_encoding::percent_decode_str;
use serde_json::Value;

/// The value `reference` points to in `raw`; `pointer` locates the reference for errors.
pub fn target<'v>(raw: &'v Value, reference: &str, pointer: &str) -> Result<&'v Value, Located> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(Located::new(
            pointer,
            format!(
                "`$ref: {reference}` points into another document; bundle the spec into one file first \
                 (for example with `redocly bundle`)"
            ),
        ));
    };
    let decoded = percent_decode_str(fragment).decode_utf8_lossy();
    raw.pointer(&decoded)
        .ok_or_else(|| Located::new(pointer, format!("`$ref: {reference}` points to nothing")))
}

/// `reference` as a plain JSON pointer with its `#`: percent-decoded, `~` escapes kept.
pub fn canonical(reference: &str) -> String {
    percent_decode_str(reference).decode_utf8_lossy().into_owned()
}

/// The value at `pointer` in `raw` and the pointer where it is written, following each `$ref`
/// met on the way: the model names things by the path that reached them, which may pass
/// through references (`#/paths/~1a/get/responses/200/content/…` where the response is a
/// `$ref` to `#/components/responses/…`). A `$ref` at the end is not followed.
pub fn follow<'v>(raw: &'v Value, pointer: &str) -> Option<(String, &'v Value)> {
    let mut current = raw;
    let mut at = String::from("#");
    for token in pointer.strip_prefix('#')?.split('/').skip(1) {
        (at, current) = dereference(raw, at, current)?;
        let key = token.replace("~1", "/").replace("~0", "~");
        current = match current {
            Value::Object(members) => members.get(&key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
        at.push('/');
        at.push_str(token);
    }
    Some((at, current))
}

/// `value` (written at `at`) with its `$ref`s followed, and where the result is written;
/// `None` for a reference that points to nothing or a cycle of them.
pub fn dereference<'v>(raw: &'v Value, mut at: String, mut value: &'v Value) -> Option<(String, &'v Value)> {
    for _ in 0..32 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else { return Some((at, value)) };
        value = target(raw, reference, "#").ok()?;
        at = canonical(reference);
    }
    None
}

/// The component name in a reference to `#/components/<kind>/<name>`.
pub fn component_name(reference: &str, kind: &str) -> Option<String> {
    let token = reference.strip_prefix("#/components/")?.strip_prefix(kind)?.strip_prefix('/')?;
    if token.contains('/') {
        return None;
    }
    let decoded = percent_decode_str(token).decode_utf8_lossy();
    Some(decoded.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn percent_encoded_pointers_resolve() {
        let raw = json!({"paths": {"/a/{id}": {"get": 1}}});
        assert_eq!(target(&raw, "#/paths/~1a~1%7Bid%7D/get", "#"), Ok(&json!(1)));
    }

    #[test]
    fn dangling_and_external_references_are_errors() {
        let raw = json!({});
        assert!(target(&raw, "#/nope", "#/x").is_err_and(|e| e.message.contains("points to nothing")));
        assert!(target(&raw, "other.yaml#/a", "#/x").is_err_and(|e| e.message.contains("another document")));
    }

    #[test]
    fn pointers_are_followed_through_references() {
        let raw = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}}},
            "components": {"responses": {"R": {"content": {"application/json": {"example": 1}}}}}
        });
        let (at, value) =
            follow(&raw, "#/paths/~1a/get/responses/200/content/application~1json/example").expect("found");
        assert_eq!(at, "#/components/responses/R/content/application~1json/example");
        assert_eq!(value, &json!(1));
        let (at, _) = follow(&raw, "#/paths/~1a/get/responses/200").expect("found");
        assert_eq!(at, "#/paths/~1a/get/responses/200");
        assert!(follow(&raw, "#/paths/~1b").is_none());
    }

    #[test]
    fn component_names_are_unescaped() {
        assert_eq!(component_name("#/components/schemas/a~1b%20c", "schemas").as_deref(), Some("a/b c"));
        assert_eq!(component_name("#/components/schemas/A/properties/b", "schemas"), None);
    }
}
