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
    fn component_names_are_unescaped() {
        assert_eq!(component_name("#/components/schemas/a~1b%20c", "schemas").as_deref(), Some("a/b c"));
        assert_eq!(component_name("#/components/schemas/A/properties/b", "schemas"), None);
    }
}
