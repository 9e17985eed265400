//! Sample values for a spec's parameters and bodies, as JSON: the spec's own `example`s where
//! it gives them, otherwise values synthesised from the schema (formats, enums, bounds,
//! required properties, the first alternative of a union), so that a request built from them
//! is one the spec accepts. Generated per-operation tests send them to a mock of the spec.

mod fits;

use fits::fits;
use serde_json::{Map, Value, json};

/// How deep schemas are followed before a sample gives up and is `null` (recursive schemas).
const MAX_DEPTH: usize = 12;

/// A sample for the parameter object at `pointer` in `raw` (the object may be a `$ref`).
pub fn parameter(raw: &Value, pointer: &str) -> Value {
    let Some(parameter) = resolve(raw, raw.pointer(pointer.strip_prefix('#').unwrap_or(pointer))) else {
        return Value::Null;
    };
    let schema = parameter
        .get("schema")
        .or_else(|| parameter.get("content").and_then(first_media).and_then(|media| media.get("schema")));
    // A client should not send what the spec deprecates (a mock warns of it).
    let required = parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
    if !required && parameter.get("deprecated").and_then(Value::as_bool).unwrap_or(false) {
        return Value::Null;
    }
    if let Some(text_alone) = resolve(raw, schema).and_then(|schema| one_of_as_text(raw, schema)) {
        return text_alone;
    }
    if let Some(example) = example_of(parameter) {
        let fit = match resolve(raw, schema) {
            Some(schema) => fitted(raw, schema, &example),
            None => Some(example),
        };
        if let Some(example) = fit {
            return example;
        }
    }
    schema.map_or(json!("sample"), |schema| sample(raw, schema, 0))
}

/// A sample for the `content_type` content of the request body object at `pointer`.
pub fn body(raw: &Value, pointer: &str, content_type: &str) -> Value {
    let body = resolve(raw, raw.pointer(pointer.strip_prefix('#').unwrap_or(pointer)));
    let Some(media) = body.and_then(|body| body.get("content")).and_then(|content| content.get(content_type))
    else {
        return Value::Null;
    };
    // (A `null` example says nothing a body argument can carry.)
    if let Some(example) =
        example_of(media).filter(|example| !example.is_null() && fits_media(raw, media, example))
    {
        return example;
    }
    media.get("schema").map_or(Value::Null, |schema| sample(raw, schema, 0))
}

/// For a parameter whose schema is a `oneOf` of scalars: the first alternative's sample whose
/// text (a parameter travels as text) reads as that alternative only. `1` for `oneOf:
/// [integer, string]` reads as both once it is text, `"sample"` as the string only.
fn one_of_as_text(raw: &Value, schema: &Value) -> Option<Value> {
    let variants: Vec<&Value> =
        schema.get("oneOf")?.as_array()?.iter().filter_map(|variant| resolve(raw, Some(variant))).collect();
    let reads_as = |variant: &Value, text: &str| match variant.get("type").and_then(Value::as_str) {
        Some("integer") => text.parse::<i64>().is_ok(),
        Some("number") => text.parse::<f64>().is_ok(),
        Some("boolean") => text == "true" || text == "false",
        Some("string") => true,
        _ => false,
    };
    variants.iter().map(|variant| sample(raw, variant, 1)).find(|value| {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => return false,
        };
        variants.iter().filter(|variant| reads_as(variant, &text)).count() == 1
    })
}

/// A sample value `schema` allows.
pub fn sample(raw: &Value, schema: &Value, depth: usize) -> Value {
    sampled(raw, schema, depth, Detail::Full)
}

/// How much a synthesised sample shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Optional properties too, near the top, and two items per array: for a mock to check.
    Full,
    /// Required properties only and one item per array: for a reader.
    Minimal,
}

/// The sample of the body object at `pointer` a reader needs: the spec's own example when it
/// is short, otherwise a synthesised one with the required properties only.
pub fn minimal_body(raw: &Value, pointer: &str, content_type: &str) -> Value {
    /// Longer examples are left to the spec's own documentation.
    const SHORT: usize = 240;
    let body = resolve(raw, raw.pointer(pointer.strip_prefix('#').unwrap_or(pointer)));
    let Some(media) = body.and_then(|body| body.get("content")).and_then(|content| content.get(content_type))
    else {
        return Value::Null;
    };
    if let Some(example) = example_of(media)
        .filter(|example| example.to_string().len() <= SHORT && fits_media(raw, media, example))
    {
        return example;
    }
    media.get("schema").map_or(Value::Null, |schema| sampled(raw, schema, 0, Detail::Minimal))
}

fn sampled(raw: &Value, schema: &Value, depth: usize, detail: Detail) -> Value {
    let Some(schema) = resolve(raw, Some(schema)) else { return Value::Null };
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(example) = schema.get("example").or_else(|| schema.get("default")).filter(|v| !v.is_null())
        && let Some(example) = fitted(raw, schema, example)
    {
        return example;
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        // (An `enum` beside another `type`, as on an array, is no value of that type.)
        if let Some(value) = values.iter().find(|value| !value.is_null() && fits(raw, schema, value)) {
            return value.clone();
        }
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        // Members that only annotate (a description next to a `$ref`) add no value.
        let substantive: Vec<&Value> = members.iter().filter(|member| !is_annotation(raw, member)).collect();
        let own = schema.get("properties").is_some() || schema.get("required").is_some();
        if let ([only], false) = (substantive.as_slice(), own) {
            return sampled(raw, only, depth + 1, detail);
        }
        let mut merged = Map::new();
        for member in substantive {
            if let Value::Object(object) = sampled(raw, member, depth + 1, detail) {
                merged.extend(object);
            }
        }
        // The schema's own properties fill gaps; a required name it only lists (declared in
        // a member) keeps the member's sample.
        if let Value::Object(own) = object(raw, schema, depth, detail) {
            for (name, value) in own {
                merged.entry(name).or_insert(value);
            }
        }
        return Value::Object(merged);
    }
    for keyword in ["oneOf", "anyOf"] {
        let Some(variants) = schema.get(keyword).and_then(Value::as_array) else { continue };
        let mut candidates = variants.iter().filter(|variant| !is_null_schema(raw, variant)).map(|variant| {
            let mut value = sampled(raw, variant, depth + 1, detail);
            set_discriminator(schema, variant, &mut value);
            value
        });
        let Some(first) = candidates.next() else { continue };
        // A `oneOf` value must match exactly one alternative: the first sample that does.
        if keyword == "oneOf" && !fits(raw, schema, &first) {
            if let Some(unique) = candidates.find(|candidate| fits(raw, schema, candidate)) {
                return unique;
            }
        }
        return first;
    }
    let json_type = match schema.get("type") {
        Some(Value::String(json_type)) => json_type.as_str(),
        Some(Value::Array(types)) => {
            types.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null")
        }
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => "object",
    };
    match json_type {
        "string" => string(schema),
        "integer" => json!(number(schema, true) as i64),
        "number" => json!(number(schema, false)),
        "boolean" => json!(true),
        "array" => {
            let item =
                schema.get("items").map_or(json!("sample"), |items| sampled(raw, items, depth + 1, detail));
            // Two items where allowed: one item of an exploded form or query array reads like
            // a scalar to a server.
            // (Not when items must be unique: the two would be equal.)
            let unique = schema.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false);
            let max =
                if unique { 1 } else { schema.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX) };
            let wanted = if detail == Detail::Full { 2 } else { 1 };
            let count =
                schema.get("minItems").and_then(Value::as_u64).unwrap_or(0).max(wanted.min(max)).max(1);
            let items = (0..count).map(|index| if unique { distinct(&item, index) } else { item.clone() });
            Value::Array(items.collect())
        }
        "null" => Value::Null,
        _ => object(raw, schema, depth, detail),
    }
}

fn object(raw: &Value, schema: &Value, depth: usize, detail: Detail) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |names| names.iter().filter_map(Value::as_str).collect());
    let mut object = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let read_only = resolve(raw, Some(property))
                .and_then(|property| property.get("readOnly"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            // Required properties always; optional ones too, near the top, so the sample shows
            // (and a mock checks) more than the minimum. Read-only ones are the server's.
            if required.contains(&name.as_str()) || (detail == Detail::Full && !read_only && depth < 2) {
                object.insert(name.clone(), sampled(raw, property, depth + 1, detail));
            }
        }
    }
    for name in required {
        object.entry(name).or_insert_with(|| json!("sample"));
    }
    // A map with `minProperties` gets that many entries of its values' sample.
    let least = schema.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
    if let Some(values) = schema.get("additionalProperties").filter(|values| values.is_object()) {
        for index in 1.. {
            if object.len() >= least {
                break;
            }
            let value = sampled(raw, values, depth + 1, detail);
            object.entry(format!("key{index}")).or_insert(value);
        }
    }
    Value::Object(object)
}

fn string(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or_default();
    let text = match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "12:00:00",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" => "https://example.com/",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "c2FtcGxl",
        // ISO 8601, as JSON Schema's `duration` format says.
        "duration" => "P1D",
        _ => "sample",
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map(|max| max as usize);
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
        && let Some(matching) = matching_pattern(pattern, text, min, max)
    {
        return json!(matching);
    }
    let mut text = text.to_owned();
    if format.is_empty()
        || format == "password"
        || !matches!(format, "date-time" | "date" | "uuid" | "duration")
    {
        while text.len() < min {
            text.push('x');
        }
        if let Some(max) = max {
            text.truncate(max.max(min));
        }
    }
    json!(text)
}

/// A string `pattern` matches within the length bounds: the format's sample if it does, else
/// one built from the pattern itself (each class's plainest character, each alternation's first
/// branch, each repetition its least count, or at least once so an optional part still shows,
/// or often enough to be long enough).
/// `None` when the pattern is not a regex this crate reads or nothing built fits.
fn matching_pattern(pattern: &str, preferred: &str, min: usize, max: Option<usize>) -> Option<String> {
    let regex = regex::Regex::new(pattern).ok()?;
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    // The least count, at least once, and growing counts until `minLength` is reached
    // (`^[0-9a-f]+$` of 40), each repetition as often.
    let counts = [0, 1].into_iter().chain(std::iter::successors(Some(2_u32), |count| {
        (*count < min as u32).then(|| (count * 2).min(min as u32))
    }));
    let built = counts.map(|at_least| {
        let mut built = String::new();
        build_match(&hir, at_least, &mut built);
        built
    });
    std::iter::once(preferred.to_owned()).chain(built).find(|candidate| {
        let length = candidate.chars().count();
        regex.is_match(candidate) && length >= min && max.is_none_or(|max| length <= max)
    })
}

/// Appends to `out` a plain string `hir` matches (anchors match nothing), each repetition at
/// least `at_least` times.
fn build_match(hir: &regex_syntax::hir::Hir, at_least: u32, out: &mut String) {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<(char, char)> = class.ranges().iter().map(|r| (r.start(), r.end())).collect();
            out.extend(plainest(&ranges));
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges: Vec<(char, char)> =
                class.ranges().iter().map(|r| (char::from(r.start()), char::from(r.end()))).collect();
            out.extend(plainest(&ranges));
        }
        HirKind::Repetition(repetition) => {
            let count = repetition.min.max(at_least.min(repetition.max.unwrap_or(u32::MAX)));
            for _ in 0..count {
                build_match(&repetition.sub, at_least, out);
            }
        }
        HirKind::Capture(capture) => build_match(&capture.sub, at_least, out),
        HirKind::Concat(parts) => parts.iter().for_each(|part| build_match(part, at_least, out)),
        HirKind::Alternation(branches) => {
            branches.iter().take(1).for_each(|branch| build_match(branch, at_least, out))
        }
        HirKind::Empty | HirKind::Look(_) => {}
    }
}

/// The character of a class a reader expects (`.` gives `a`, not NUL): a letter or digit if
/// the class has one, else its first printable ASCII character, else its first.
fn plainest(ranges: &[(char, char)]) -> Option<char> {
    let contains = |c: char| ranges.iter().any(|(start, end)| (*start..=*end).contains(&c));
    ['a', 'A', '0']
        .into_iter()
        .chain('!'..='~')
        .find(|c| contains(*c))
        .or_else(|| ranges.first().map(|(start, _)| *start))
}

fn number(schema: &Value, integer: bool) -> f64 {
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    let maximum = schema.get("maximum").and_then(Value::as_f64);
    let exclusive = |key| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    let step = if integer { 1.0 } else { 0.5 };
    let mut value = match (minimum, maximum) {
        (Some(min), _) => min + if exclusive("exclusiveMinimum") { step } else { 0.0 },
        (None, Some(max)) => (max - if exclusive("exclusiveMaximum") { step } else { 0.0 }).min(1.0),
        (None, None) => 1.0,
    };
    if let Some(multiple) = schema.get("multipleOf").and_then(Value::as_f64).filter(|m| *m > 0.0) {
        value = (value / multiple).ceil() * multiple;
    }
    if integer { value.ceil() } else { value }
}

/// The `index`th of several items that must differ: numbers counted up, strings numbered.
fn distinct(item: &Value, index: u64) -> Value {
    match item {
        _ if index == 0 => item.clone(),
        Value::Number(number) if number.is_i64() || number.is_u64() => {
            json!(number.as_i64().unwrap_or(0).saturating_add(index as i64))
        }
        Value::Number(number) => json!(number.as_f64().unwrap_or(0.0) + index as f64),
        Value::String(text) => json!(format!("{text}{index}")),
        _ => item.clone(),
    }
}

/// Under a discriminator, the sample of an alternative carries the value that selects it.
fn set_discriminator(union: &Value, chosen: &Value, value: &mut Value) {
    let Some(property) = union.pointer("/discriminator/propertyName").and_then(Value::as_str) else { return };
    let Some(reference) = chosen.get("$ref").and_then(Value::as_str) else { return };
    let mapped = union
        .pointer("/discriminator/mapping")
        .and_then(Value::as_object)
        .and_then(|mapping| {
            mapping.iter().find(|(_, target)| {
                target
                    .as_str()
                    .is_some_and(|target| target == reference || reference.ends_with(&format!("/{target}")))
            })
        })
        .map(|(tag, _)| tag.clone())
        .or_else(|| reference.rsplit('/').next().map(str::to_owned));
    if let (Some(tag), Value::Object(object)) = (mapped, value) {
        object.insert(property.to_owned(), json!(tag));
    }
}

fn is_null_schema(raw: &Value, schema: &Value) -> bool {
    resolve(raw, Some(schema)).is_some_and(|schema| {
        schema.get("type").and_then(Value::as_str) == Some("null")
            || (schema.get("nullable") == Some(&json!(true))
                && schema.get("properties").is_none()
                && schema.get("type").is_none_or(|t| t == "object"))
    })
}

/// Whether a media type's own example fits its schema (any example fits no schema).
fn fits_media(raw: &Value, media: &Value, example: &Value) -> bool {
    media.get("schema").is_none_or(|schema| fits(raw, schema, example))
}

/// `example` as the schema's scalar type wants it (`"false"` for a boolean is `false`, `2017`
/// for a string is `"2017"`) if the schema then allows it; `None` when it does not, so a value
/// is synthesised instead. Specs often write examples in the wrong JSON type, and the
/// generated types are strict.
fn fitted(raw: &Value, schema: &Value, example: &Value) -> Option<Value> {
    coerced(schema, example).filter(|example| fits(raw, schema, example))
}

fn coerced(schema: &Value, example: &Value) -> Option<Value> {
    let json_type = schema.get("type").and_then(Value::as_str);
    Some(match (json_type, example) {
        (Some("string"), Value::String(_)) | (Some("boolean"), Value::Bool(_)) => example.clone(),
        (Some("string"), Value::Number(_) | Value::Bool(_)) => json!(example.to_string()),
        (Some("boolean"), Value::String(text)) => json!(text.parse::<bool>().ok()?),
        (Some("integer"), Value::Number(number)) if number.is_i64() || number.is_u64() => example.clone(),
        (Some("integer"), Value::String(text)) => json!(text.parse::<i64>().ok()?),
        (Some("number"), Value::Number(_)) => example.clone(),
        (Some("number"), Value::String(text)) => json!(text.parse::<f64>().ok()?),
        (Some("integer" | "number" | "boolean" | "string"), _) => return None,
        (Some("array"), Value::Array(_)) | (Some("object"), Value::Object(_)) => example.clone(),
        (Some("array" | "object"), _) => return None,
        _ => example.clone(),
    })
}

/// A schema that only annotates: no type, no structure, no reference.
fn is_annotation(raw: &Value, schema: &Value) -> bool {
    const STRUCTURE: &[&str] = &[
        "$ref",
        "type",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "additionalProperties",
        "format",
    ];
    schema.get("$ref").is_none()
        && resolve(raw, Some(schema))
            .and_then(Value::as_object)
            .is_some_and(|object| !object.keys().any(|key| STRUCTURE.contains(&key.as_str())))
}

/// The spec's own example of a parameter or media type: `example`, or the first of `examples`.
fn example_of(object: &Value) -> Option<Value> {
    if let Some(example) = object.get("example") {
        return Some(example.clone());
    }
    object
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|examples| examples.values().next())
        .and_then(|example| example.get("value"))
        .cloned()
}

fn first_media(content: &Value) -> Option<&Value> {
    content.as_object().and_then(|content| content.values().next())
}

/// Follows `$ref`s (a few levels: cycles of pure references give `None`).
fn resolve<'v>(raw: &'v Value, mut value: Option<&'v Value>) -> Option<&'v Value> {
    for _ in 0..16 {
        let current = value?;
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => value = crate::model::refs::target(raw, reference, "#").ok(),
            None => return Some(current),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_follow_formats_enums_bounds_and_required_properties() {
        let raw = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name", "born"], "properties": {
                "name": {"type": "string", "minLength": 8},
                "born": {"type": "string", "format": "date-time"},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "age": {"type": "integer", "minimum": 3},
                "id": {"type": "string", "readOnly": true}
            }}
        }}});
        let pet = sample(&raw, &json!({"$ref": "#/components/schemas/Pet"}), 0);
        assert_eq!(pet, json!({"name": "samplexx", "born": "2024-01-01T00:00:00Z", "kind": "cat", "age": 3}));
        let interval = json!({"type": "string", "format": "duration", "minLength": 4});
        assert_eq!(
            sample(&json!({}), &interval, 0),
            json!("P1D"),
            "a duration is not padded out of its format"
        );
    }

    #[test]
    fn the_spec_s_examples_come_first() {
        let raw = json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "query", "example": "cats", "schema": {"type": "string"}},
            {"name": "n", "in": "query", "schema": {"type": "integer", "example": 7}}
        ]}}}});
        assert_eq!(parameter(&raw, "#/paths/~1a/get/parameters/0"), json!("cats"));
        assert_eq!(parameter(&raw, "#/paths/~1a/get/parameters/1"), json!(7));
    }

    #[test]
    fn a_discriminated_union_sample_carries_its_tag() {
        let raw = json!({"components": {"schemas": {
            "Circle": {"type": "object", "properties": {"kind": {"type": "string"}, "r": {"type": "number"}}},
            "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}],
                      "discriminator": {"propertyName": "kind", "mapping": {"circle": "#/components/schemas/Circle"}}}
        }}});
        let shape = sample(&raw, &json!({"$ref": "#/components/schemas/Shape"}), 0);
        assert_eq!(shape["kind"], json!("circle"));
    }

    #[test]
    fn strings_match_their_pattern() {
        let twilio = json!({"type": "string", "pattern": "^DC[0-9a-fA-F]{32}$"});
        let value = sample(&json!({}), &twilio, 0);
        assert!(
            regex::Regex::new("^DC[0-9a-fA-F]{32}$")
                .is_ok_and(|regex| regex.is_match(value.as_str().unwrap_or_default()))
        );
        let uuid = json!({"type": "string", "pattern": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"});
        assert_eq!(sample(&json!({}), &uuid, 0), json!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"));
        assert_eq!(sample(&json!({}), &json!({"type": "string", "pattern": "^\\d+$"}), 0), json!("0"));
        let identifier = json!({"type": "string", "minLength": 36, "maxLength": 36,
            "pattern": ".*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*"});
        assert_eq!(sample(&json!({}), &identifier, 0), json!("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"));
        let key =
            json!({"type": "string", "pattern": "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) "});
        assert_eq!(sample(&json!({}), &key, 0), json!("ssh-rsa "));
    }

    #[test]
    fn a_one_of_sample_matches_one_alternative_only() {
        let distinct = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        assert_eq!(sample(&json!({}), &distinct, 0), json!("sample"));
        // `1` is an integer and a number too; `1.0` is a number only.
        let overlapping = json!({"oneOf": [{"type": "integer"}, {"type": "number"}]});
        assert_eq!(sample(&json!({}), &overlapping, 0), json!(1.0));
    }

    #[test]
    fn required_names_without_a_property_get_a_value() {
        let schema =
            json!({"type": "object", "required": ["host"], "properties": {"port": {"type": "integer"}}});
        assert_eq!(sample(&json!({}), &schema, 0), json!({"port": 1, "host": "sample"}));
    }

    #[test]
    fn an_all_of_of_one_member_keeps_its_own_required_properties() {
        let raw = json!({"components": {"schemas": {
            "Resource": {"type": "object", "properties": {"location": {"type": "string"}}},
            "Source": {"allOf": [{"$ref": "#/components/schemas/Resource"}], "required": ["properties"],
                       "properties": {"properties": {"type": "object"}}}
        }}});
        let source = sample(&raw, &json!({"$ref": "#/components/schemas/Source"}), 0);
        assert_eq!(source, json!({"location": "sample", "properties": {}}));
        let twin = json!({"allOf": [{"type": "object", "properties": {"sku": {"type": "object"}}}],
            "required": ["sku"]});
        assert_eq!(sample(&raw, &twin, 0), json!({"sku": {}}), "required here, declared in the member");
    }

    #[test]
    fn an_example_its_schema_refuses_gives_way_to_a_synthesised_sample() {
        let raw = json!({"paths": {"/a": {"post": {
            "parameters": [
                {"name": "old", "in": "query", "deprecated": true, "schema": {"type": "integer"}},
                {"name": "id", "in": "query", "example": "", "schema": {"type": "string", "format": "uuid"}}
            ],
            "requestBody": {"content": {"application/json": {"example": {"phone": 3108147982_u64},
                "schema": {"type": "object", "required": ["phone"], "properties": {"phone": {"type": "string"}}}}}}
        }}}});
        assert_eq!(parameter(&raw, "#/paths/~1a/post/parameters/0"), Value::Null, "deprecated: not sent");
        let workflow = json!({"paths": {"/w/{id}": {"get": {"parameters": [{"name": "id", "in": "path",
            "required": true, "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}]}}}});
        assert_eq!(
            parameter(&workflow, "#/paths/~1w~1{id}/get/parameters/0"),
            json!("sample"),
            "text of one"
        );
        let cells =
            json!({"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}});
        assert_eq!(sample(&raw, &cells, 0), json!({"key1": 1, "key2": 1}));
        assert_eq!(
            parameter(&raw, "#/paths/~1a/post/parameters/1"),
            json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        );
        assert_eq!(
            body(&raw, "#/paths/~1a/post/requestBody", "application/json"),
            json!({"phone": "sample"})
        );
        let conditions = json!({"type": "array", "items": {"type": "string"}, "enum": ["all", "new"]});
        assert_eq!(sample(&raw, &conditions, 0), json!(["sample", "sample"]), "an enum of another type");
        let groups =
            json!({"type": "array", "uniqueItems": true, "minItems": 2, "items": {"type": "integer"}});
        assert_eq!(sample(&raw, &groups, 0), json!([1, 2]), "unique items differ");
    }

    #[test]
    fn recursive_schemas_end() {
        let raw = json!({"components": {"schemas": {"Node": {"type": "object", "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}});
        let node = sample(&raw, &json!({"$ref": "#/components/schemas/Node"}), 0);
        assert!(node.pointer("/next/next/next").is_some());
    }
}
