//! Loading arbitrary text: random bytes, YAML- and JSON-like token soup, real fixtures cut short
//! or spliced, and deeply nested documents. `load::parse` must return a document or an `Error`
//! with a location (a JSON pointer, or `line:column` for syntax), never panic or overflow the
//! stack (which would abort the test binary) of a main thread.

use super::{FIXTURE_TEXTS, FIXTURES};
use generator::load;
use proptest::prelude::*;

/// Pieces of YAML and JSON, including the awkward ones: anchors, aliases, merge keys, tags,
/// directives, block scalars, numbers without a JSON form, duplicate keys, byte order marks.
const TOKENS: &[&str] = &[
    "openapi: 3.0.3\n",
    "openapi: 3.1.0\n",
    "openapi: 3\n",
    "swagger: '2.0'\n",
    "info:",
    "info: {title: t, version: '1'}\n",
    "title: t",
    "version: 1",
    "paths:",
    "/a:",
    "/{id}:",
    "get:",
    "post:",
    "responses:",
    "'200':",
    "200:",
    "default:",
    "description: ok",
    "content:",
    "application/json:",
    "schema:",
    "schemas:",
    "components:",
    "type: string",
    "type: [string, 'null']",
    "type:",
    "items:",
    "properties:",
    "$ref: '#/components/schemas/A'",
    "$ref:",
    "A:",
    "const: 1",
    "exclusiveMinimum: 0",
    "examples: [1]",
    "discriminator: kind",
    "nullable: true",
    "required: true",
    "enum: [a, b]",
    "- ",
    "-",
    ": ",
    ":",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\"",
    "'",
    "\n",
    "\n",
    "\n",
    " ",
    "  ",
    "    ",
    "\t",
    "&a ",
    "*a",
    "&b [*a, *a, *a]",
    "<<: *a",
    "<<: ",
    "!!str ",
    "!!binary ",
    "!tag ",
    "|\n",
    ">-\n",
    "# comment",
    "---\n",
    "...\n",
    "? ",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "~",
    "null",
    "true",
    "1e400",
    "-.inf",
    ".nan",
    "0x1F",
    "1_000",
    "18446744073709551616",
    "-9223372036854775809",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\u{feff}",
    "\u{0}",
    "é",
    "🦀",
    "{a: 1, a: 2}",
    "\"openapi\"",
    "\"3.1.0\"",
    "\"paths\"",
    "\"info\"",
    "\"components\"",
    "\"schemas\"",
    "\"type\"",
    "\"$ref\"",
    "1",
    "-0",
    "1.5",
    "1e999",
];

/// A random sequence of tokens.
fn token_soup() -> impl Strategy<Value = String> {
    let soup = prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|tokens| tokens.concat());
    // A valid start takes the text past the version check, into the later passes.
    (
        prop::sample::select(
            &[
                "",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n",
                "openapi: 3.1.0\n",
                "{\"openapi\": \"3.1.0\", ",
            ][..],
        ),
        soup,
    )
        .prop_map(|(start, soup)| format!("{start}{soup}"))
}

/// A fixture's text, as written (YAML) or as JSON, cut at any character.
fn truncated_fixture() -> impl Strategy<Value = String> {
    (any::<prop::sample::Index>(), any::<bool>(), any::<prop::sample::Index>()).prop_map(
        |(fixture, json, cut)| {
            let text = if json {
                FIXTURES[fixture.index(FIXTURES.len())].to_string()
            } else {
                FIXTURE_TEXTS[fixture.index(FIXTURE_TEXTS.len())].1.clone()
            };
            let boundaries: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            let at = boundaries.get(cut.index(boundaries.len().max(1))).copied().unwrap_or(0);
            text[..at].to_owned()
        },
    )
}

/// A fixture's text with tokens inserted at, or characters deleted from, random places.
fn spliced_fixture() -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), prop::option::of(prop::sample::select(TOKENS)), 0..8usize);
    (any::<prop::sample::Index>(), prop::collection::vec(edit, 1..6)).prop_map(|(fixture, edits)| {
        let mut chars: Vec<char> = FIXTURE_TEXTS[fixture.index(FIXTURE_TEXTS.len())].1.chars().collect();
        for (at, token, delete) in edits {
            let at = at.index(chars.len() + 1);
            match token {
                Some(token) => {
                    chars.splice(at..at, token.chars());
                }
                None => {
                    chars.drain(at..(at + delete).min(chars.len()));
                }
            }
        }
        chars.into_iter().collect()
    })
}

/// Documents nested `depth` levels deep, in every way YAML and JSON nest, closed or not.
fn nested() -> impl Strategy<Value = String> {
    let depth = prop_oneof![6 => 1..140usize, 2 => 120..135usize, 1 => Just(200usize), 1 => Just(1_000usize), 1 => Just(20_000usize)];
    (depth, 0..8u8, any::<bool>()).prop_map(|(depth, kind, closed)| nested_text(depth, kind, closed))
}

/// A document of `kind` nested `depth` levels deep. YAML nesting stops at 1,000 levels: the
/// parsers refuse more than 128 anyway, and libyaml's time grows with the square of the depth
/// of flow collections (20,000 levels of `{allOf: [` take 30 s in a debug build).
fn nested_text(depth: usize, kind: u8, closed: bool) -> String {
    let yaml = depth.min(1_000);
    let close = |text: &str, depth: usize| if closed { text.repeat(depth) } else { String::new() };
    match kind {
        // JSON (the text starts with `{`).
        0 => format!("{}1{}", "{\"a\": ".repeat(depth), close("}", depth)),
        // A schema nested through `items`, in a document that gets past the version check.
        1 => format!(
            "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"components\": {{\"schemas\": {{\"A\": {}{{\"type\": [\"string\", \"null\"]}}{}}}}}}}",
            "{\"items\": ".repeat(depth),
            close("}", depth)
        ),
        // YAML flow collections.
        2 => format!("{}{}", "[".repeat(yaml), close("]", yaml)),
        3 => format!("a: {}1{}", "{a: ".repeat(yaml), close("}", yaml)),
        4 => format!("{}1{}", "[{\"items\": ".repeat(yaml), close("}]", yaml)),
        // YAML blocks: mappings indented one space per level, sequences on one line.
        5 => (0..yaml).map(|level| format!("{}a:\n", " ".repeat(level))).collect(),
        6 => "- ".repeat(yaml),
        // A schema nested through `allOf` in an operation's response.
        _ => {
            let schema = format!("{}{{type: string}}{}", "{allOf: [".repeat(yaml), close("]}", yaml));
            let media = format!("{{application/json: {{schema: {schema}}}}}");
            let operation = format!("{{responses: {{'200': {{description: ok, content: {media}}}}}}}");
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{/a: {{get: {operation}}}}}\n")
        }
    }
}

/// Any text `load::parse` might be given.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        1 => any::<String>(),
        3 => token_soup(),
        2 => truncated_fixture(),
        2 => spliced_fixture(),
        1 => nested(),
    ]
}

/// Where an error says it is: a JSON pointer, or `line:column` for syntax errors.
fn is_location(location: &str) -> bool {
    let line_column = location.split_once(':').is_some_and(|(line, column)| {
        [line, column].iter().all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()))
    });
    location == "#" || location.starts_with("#/") || line_column
}

#[test]
fn load_returns_a_document_or_a_located_error() {
    super::check_on_main_sized_stack(file!(), 2_000, text, |text| {
        if let Err(error) = load::parse(&text) {
            prop_assert!(is_location(&error.location), "no location: {error}");
            prop_assert!(!error.message.trim().is_empty(), "no message: {error:?}");
        }
        Ok(())
    });
}
