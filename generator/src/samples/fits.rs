//! Whether a spec's own example is a value its schema allows, as far as the generated types
//! decode it strictly and a mock checks it: JSON types, required members, enums, nullability,
//! bounds, lengths, patterns and the formats that decode into their own types (`date-time`,
//! `date`, `uuid`). Specs' examples often break their schema (a number where a string is
//! declared, a required member left out, `""` for a UUID); a sample built from such an example
//! fails to decode or is refused by the mock, so it is synthesised instead.

use super::{MAX_DEPTH, resolve};
use serde_json::Value;
use std::sync::LazyLock;

/// Whether `value` is one `schema` (in document `raw`) allows.
pub fn fits(raw: &Value, schema: &Value, value: &Value) -> bool {
    fits_at(raw, schema, value, 0)
}

fn fits_at(raw: &Value, schema: &Value, value: &Value, depth: usize) -> bool {
    let Some(schema) = resolve(raw, Some(schema)) else { return true };
    if depth > MAX_DEPTH {
        return true;
    }
    if value.is_null() {
        return allows_null(raw, schema, depth);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(value)
    {
        return false;
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array)
        && !members.iter().all(|member| fits_at(raw, member, value, depth + 1))
    {
        return false;
    }
    if let Some(variants) = schema.get("anyOf").and_then(Value::as_array)
        && !variants.is_empty()
        && !variants.iter().any(|variant| fits_at(raw, variant, value, depth + 1))
    {
        return false;
    }
    // Exactly one alternative of a `oneOf`, as a validating mock checks it.
    if let Some(variants) = schema.get("oneOf").and_then(Value::as_array)
        && !variants.is_empty()
        && variants.iter().filter(|variant| fits_at(raw, variant, value, depth + 1)).count() != 1
    {
        return false;
    }
    // Without `type`, `properties` or `items` still say what the generated type decodes.
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(json_type)) => vec![json_type.as_str()],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ if schema.get("properties").is_some() => vec!["object"],
        _ if schema.get("items").is_some() => vec!["array"],
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|json_type| is_of_type(value, json_type)) {
        return false;
    }
    match value {
        Value::String(text) => string_fits(schema, text),
        Value::Number(_) => number_fits(schema, value),
        Value::Array(items) => {
            let count = items.len() as u64;
            let unique = schema.get("uniqueItems") != Some(&Value::Bool(true))
                || items.iter().enumerate().all(|(index, item)| !items[..index].contains(item));
            let within = schema.get("minItems").and_then(Value::as_u64).is_none_or(|min| count >= min)
                && schema.get("maxItems").and_then(Value::as_u64).is_none_or(|max| count <= max)
                && unique;
            within
                && schema
                    .get("items")
                    .is_none_or(|item| items.iter().all(|value| fits_at(raw, item, value, depth + 1)))
        }
        Value::Object(members) => {
            let required_present = schema.get("required").and_then(Value::as_array).is_none_or(|names| {
                names.iter().filter_map(Value::as_str).all(|name| members.contains_key(name))
            });
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            required_present
                && members.iter().all(|(name, member)| {
                    match properties.and_then(|properties| properties.get(name)) {
                        Some(declared) => fits_at(raw, declared, member, depth + 1),
                        None if additional == Some(&Value::Bool(false)) => false,
                        None => additional
                            .filter(|additional| additional.is_object())
                            .is_none_or(|additional| fits_at(raw, additional, member, depth + 1)),
                    }
                })
        }
        Value::Bool(_) | Value::Null => true,
    }
}

fn allows_null(raw: &Value, schema: &Value, depth: usize) -> bool {
    let typed_null = match schema.get("type") {
        Some(Value::String(json_type)) => json_type == "null",
        Some(Value::Array(types)) => types.iter().any(|json_type| json_type == "null"),
        _ => false,
    };
    let untyped = schema.get("type").is_none()
        && ["allOf", "oneOf", "anyOf", "enum", "properties"]
            .iter()
            .all(|keyword| schema.get(keyword).is_none());
    typed_null
        || untyped
        || schema.get("nullable").and_then(Value::as_bool).unwrap_or(false)
        || schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.contains(&Value::Null))
        || ["oneOf", "anyOf"].iter().any(|keyword| {
            schema.get(*keyword).and_then(Value::as_array).is_some_and(|variants| {
                variants.iter().any(|variant| fits_at(raw, variant, &Value::Null, depth + 1))
            })
        })
}

fn is_of_type(value: &Value, json_type: &str) -> bool {
    match json_type {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn string_fits(schema: &Value, text: &str) -> bool {
    static DATE_TIME: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$").ok()
    });
    static DATE: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"^\d{4}-\d{2}-\d{2}$").ok());
    static UUID: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(
            r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
        )
        .ok()
    });
    let format = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => &*DATE_TIME,
        Some("date") => &*DATE,
        Some("uuid") => &*UUID,
        _ => &None,
    };
    let length = text.chars().count() as u64;
    format.as_ref().is_none_or(|format| format.is_match(text))
        && schema.get("minLength").and_then(Value::as_u64).is_none_or(|min| length >= min)
        && schema.get("maxLength").and_then(Value::as_u64).is_none_or(|max| length <= max)
        && schema
            .get("pattern")
            .and_then(Value::as_str)
            .and_then(|pattern| regex::Regex::new(pattern).ok())
            .is_none_or(|pattern| pattern.is_match(text))
}

fn number_fits(schema: &Value, value: &Value) -> bool {
    let Some(number) = value.as_f64() else { return true };
    let flag = |key| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    // 3.0 writes exclusive bounds as booleans beside the bound, 3.1 as the bound itself.
    let above = match (schema.get("minimum").and_then(Value::as_f64), schema.get("exclusiveMinimum")) {
        (Some(min), _) if flag("exclusiveMinimum") => number > min,
        (Some(min), _) => number >= min,
        (None, Some(Value::Number(min))) => min.as_f64().is_none_or(|min| number > min),
        _ => true,
    };
    let below = match (schema.get("maximum").and_then(Value::as_f64), schema.get("exclusiveMaximum")) {
        (Some(max), _) if flag("exclusiveMaximum") => number < max,
        (Some(max), _) => number <= max,
        (None, Some(Value::Number(max))) => max.as_f64().is_none_or(|max| number < max),
        _ => true,
    };
    // The generated integer types are as wide as the format says.
    let in_range = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Some("int64") => value.is_i64(),
        _ => true,
    };
    // Samples stay where every JSON reader is exact (I-JSON, RFC 7493: ±2^53), as JavaScript
    // mocks check `int64`.
    let exact = number.abs() <= 9_007_199_254_740_991.0;
    above && below && exact && (schema.get("type") != Some(&Value::from("integer")) || in_range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_that_break_their_schema_do_not_fit() {
        let raw = json!({"components": {"schemas": {"Card": {"type": "object", "required": ["cvc"],
            "properties": {"cvc": {"type": "number"}, "id": {"type": "string", "format": "uuid"},
                "born": {"type": "string", "format": "date"}, "weights": {"type": "array", "items": {"type": "number"}}}}}}});
        let card = json!({"$ref": "#/components/schemas/Card"});
        assert!(fits(&raw, &card, &json!({"cvc": 123, "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})));
        assert!(!fits(&raw, &card, &json!({"cvc": "123"})), "a string where a number is declared");
        assert!(!fits(&raw, &card, &json!({})), "a required member left out");
        assert!(!fits(&raw, &card, &json!({"cvc": 1, "id": ""})), "not a UUID");
        assert!(
            !fits(&raw, &card, &json!({"cvc": 1, "born": "2020-01-31T23:59:59Z"})),
            "a date-time for a date"
        );
        assert!(
            !fits(&raw, &card, &json!({"cvc": 1, "weights": [0.2, null]})),
            "null in a non-nullable array"
        );
    }

    #[test]
    fn bounds_lengths_patterns_and_enums_are_checked() {
        let raw = json!({});
        assert!(!fits(&raw, &json!({"type": "integer", "maximum": 9007199254740991_u64}), &json!(u64::MAX)));
        let int64 = json!({"type": "integer", "format": "int64"});
        assert!(!fits(&raw, &int64, &json!(3408207428662661600_i64)), "beyond 2^53");
        assert!(!fits(&raw, &json!({"type": "string", "minLength": 40}), &json!("abc")));
        assert!(!fits(&raw, &json!({"type": "string", "pattern": "^ssh-"}), &json!("key")));
        assert!(!fits(&raw, &json!({"type": "string", "enum": ["a"]}), &json!("b")));
        assert!(fits(&raw, &json!({"type": "string", "nullable": true}), &json!(null)));
        assert!(fits(&raw, &json!({"oneOf": [{"type": "integer"}, {"type": "string"}]}), &json!("x")));
        assert!(!fits(&raw, &json!({"oneOf": [{"type": "integer"}, {"type": "boolean"}]}), &json!("x")));
        assert!(
            !fits(&raw, &json!({"oneOf": [{"type": "integer"}, {"type": "number"}]}), &json!(1)),
            "two match"
        );
        assert!(!fits(&raw, &json!({"type": "array", "uniqueItems": true}), &json!([1, 1])));
        let cycle =
            json!({"components": {"schemas": {"Node": {"oneOf": [{"$ref": "#/components/schemas/Node"}]}}}});
        let node = json!({"$ref": "#/components/schemas/Node"});
        assert!(
            fits(&cycle, &node, &json!(null)),
            "a self-referring union ends (deep enough counts as fitting)"
        );
        let untyped_object = json!({"properties": {"secretId": {"type": "string"}}});
        assert!(!fits(&raw, &untyped_object, &json!("{\"secretId\": \"a\"}")), "JSON text in a string");
    }
}
