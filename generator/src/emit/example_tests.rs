//! The generated crate's example tests (`generator --tests`, `tests/examples.rs`): every
//! example the spec gives whose generated type is known (`crate::examples`) decodes into that
//! type and encodes back to the same JSON. Each module's examples are one table, checked by
//! one test, so the file stays small to compile: an entry is a pointer, the JSON text and the
//! check's instance for its type.

use super::syntax;
use super::types::type_in;
use crate::examples::Example;
use crate::model::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The test of the spec module `module` of crate `crate_name`: one entry per example; nothing
/// when there are none.
pub fn module_tests(api: &Api, examples: &[Example], crate_name: &str, module: &str) -> TokenStream {
    if examples.is_empty() {
        return TokenStream::new();
    }
    let krate_text = crate_name.replace('-', "_");
    let krate = syntax::name(&krate_text);
    let module_ident = syntax::name(module);
    let entries = examples.iter().map(|example| {
        let mut ty = type_in(api, &example.ty, &krate_text);
        if example.optional {
            ty = syntax::generic_type("Option", [ty]);
        }
        let pointer = &example.pointer;
        let json = json_literal(&example.value.to_string());
        quote!((#pointer, #json, super::round_trip::<#ty>),)
    });
    quote! {
        // Printed by prettyplease, which the generator uses; rustfmt would disagree.
        #[rustfmt::skip]
        mod #module_ident {
            #[allow(unused_imports)]
            use #krate::#module_ident::*;

            #[test]
            fn examples() {
                super::check(#module, &[
                    #(#entries)*
                ]);
            }
        }
    }
}

/// JSON text as a raw string literal (`r#"{"a":1}"#`), which reads like the spec; as an
/// escaped one when it holds anything but printable ASCII (a raw literal would carry control
/// or text-direction characters as they are).
fn json_literal(text: &str) -> TokenStream {
    if !text.bytes().all(|byte| (b' '..=b'~').contains(&byte)) {
        return quote!(#text);
    }
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}").parse().unwrap_or_else(|_| quote!(#text))
}

/// The items every example test file starts with: the round trip and the comparison.
pub fn helpers() -> TokenStream {
    // Each function is printed by prettyplease, which the generator uses; rustfmt would
    // disagree.
    quote! {
        use serde_json::Value;

        /// An example: where the spec writes it, its JSON text, and the round trip through
        /// its generated type.
        type Example = (&'static str, &'static str, fn(&str) -> Result<(), String>);

        /// Runs the round trip of every example, printing a line per failure and a summary.
        #[rustfmt::skip]
        fn check(module: &str, examples: &[Example]) {
            let mut failed = 0;
            for (pointer, json, round_trip) in examples {
                if let Err(reason) = round_trip(json) {
                    failed += 1;
                    println!("example {pointer}: {reason}");
                }
            }
            println!("examples: {} passed, {failed} failed", examples.len() - failed);
            assert!(failed == 0, "{failed} of the {} examples of `{module}` do not round-trip", examples.len());
        }

        /// Decodes `json` as `T` as a response body is decoded, encodes it as a request body
        /// is, and says where the result differs from `json`.
        #[rustfmt::skip]
        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<(), String> {
            let typed: T = serde_json::from_slice(json.as_bytes()).map_err(|error| format!("decode: {error}"))?;
            let encoded = serde_json::to_string(&typed).map_err(|error| format!("encode: {error}"))?;
            let expected: Value = serde_json::from_str(json).map_err(|error| format!("json: {error}"))?;
            let actual: Value = serde_json::from_str(&encoded).map_err(|error| format!("json: {error}"))?;
            difference(&expected, &actual, "").map_or(Ok(()), Err)
        }

        /// Where `actual` first differs from `expected`, as `differs at /pointer: …`. Values
        /// that are the same but spelled differently are equal: numbers by value (`1` is `1.0`, and
        /// `0.1234567891` is `0.12345679` at single precision),
        /// date-times by instant, UUIDs by value (any case) and base64 by the bytes it encodes.
        #[rustfmt::skip]
        fn difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
            match (expected, actual) {
                (Value::Number(a), Value::Number(b)) if same_number(a, b) => None,
                (Value::String(a), Value::String(b)) if a == b || same_spelled(a, b) => None,
                (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
                    .iter()
                    .zip(b)
                    .enumerate()
                    .find_map(|(index, (a, b))| difference(a, b, &format!("{path}/{index}"))),
                (Value::Object(a), Value::Object(b)) => {
                    for (key, value) in a {
                        let at = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                        match b.get(key) {
                            Some(other) => {
                                if let Some(found) = difference(value, other, &at) {
                                    return Some(found);
                                }
                            }
                            None => return Some(format!("differs at {at}: left out")),
                        }
                    }
                    b.iter()
                        .find(|(key, _)| !a.contains_key(*key))
                        .map(|(key, value)| format!("differs at {path}/{key}: added {}", short(value)))
                }
                _ if expected == actual => None,
                _ => Some(format!("differs at {path}: {} became {}", short(expected), short(actual))),
            }
        }

        #[rustfmt::skip]
        fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
            match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(a), Some(b), ..) => a == b,
                (.., Some(a), Some(b)) => a == b,
                // Equal at single precision too: that is what `format: float` declares, and
                // what its `f32` keeps of a longer example.
                _ => match (a.as_f64(), b.as_f64()) {
                    (Some(a), Some(b)) => a == b || a as f32 == b as f32,
                    _ => false,
                },
            }
        }

        #[rustfmt::skip]
        fn same_spelled(a: &str, b: &str) -> bool {
            use base64::Engine as _;
            use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
            let instant = chrono::DateTime::parse_from_rfc3339;
            let bytes = |text: &str| {
                [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|engine| engine.decode(text).ok())
            };
            matches!((instant(a), instant(b)), (Ok(a), Ok(b)) if a == b)
                || matches!((uuid::Uuid::parse_str(a), uuid::Uuid::parse_str(b)), (Ok(a), Ok(b)) if a == b)
                || matches!((bytes(a), bytes(b)), (Some(a), Some(b)) if a == b)
        }

        /// A value's JSON, cut to a line's worth.
        #[rustfmt::skip]
        fn short(value: &Value) -> String {
            let text = value.to_string();
            match text.char_indices().nth(60) {
                Some((end, _)) => format!("{}…", &text[..end]),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_written_raw_when_it_is_plain_ascii() {
        assert_eq!(json_literal(r#"{"a":"b"}"#).to_string(), r##"r#"{"a":"b"}"#"##);
        assert_eq!(json_literal(r##"{"a":"#"}"##).to_string(), r###"r##"{"a":"#"}"##"###);
        assert_eq!(json_literal("\"\u{202e}\"").to_string(), quote!("\"\u{202e}\"").to_string());
    }
}
