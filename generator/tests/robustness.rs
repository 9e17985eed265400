//! Property tests: the generator never panics, on any input, and whatever it generates parses
//! as Rust (and, in the ignored `random_specs_compile`, compiles).
//!
//! Targets (one property test each):
//! - `mutated_fixtures_never_panic`, `random_specs_generate_parsable_code_or_a_clear_error`: the
//!   whole pipeline, in memory (this file);
//! - `text::load_returns_a_document_or_a_located_error`: loading arbitrary text
//!   (`robustness/text.rs`);
//! - `normalizer::*`: the 3.1 / malformed-keyword normaliser on OpenAPI-shaped JSON trees
//!   (`robustness/normalizer.rs`);
//! - `compiles::random_specs_compile` (ignored): `cargo check` on a crate of random specs
//!   (`robustness/compiles.rs`).
//!
//! Each target runs a CI-sized number of cases unless `PROPTEST_CASES` says otherwise; the long
//! run's commands are in README.md ("Measuring generality and robustness"). Failures proptest
//! finds are kept in `*.proptest-regressions` beside each file and replayed first.

// Files of this test target (not targets of their own: `tests/robustness/` has no `main.rs`).
#[path = "robustness/compiles.rs"]
mod compiles;
#[path = "robustness/normalizer.rs"]
mod normalizer;
#[path = "robustness/text.rs"]
mod text;

use generator::{krate, load, model};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::path::Path;
use std::sync::LazyLock;

/// proptest's configuration (which reads the `PROPTEST_*` variables) with `cases` as the
/// number of cases unless `PROPTEST_CASES` is set: a fixed `cases` would override the variable.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

/// Runs the whole pipeline in memory; `Ok` only when every file parses as Rust.
fn generate(text: &str) -> Result<(), String> {
    let document = load::parse(text).map_err(|error| error.to_string())?;
    let api = model::build(&document).map_err(|error| error.message)?;
    for (name, source) in krate::module_sources(&api, &[]).map_err(|error| format!("emit: {error}"))? {
        syn::parse_file(&source).map_err(|error| format!("{name} does not parse: {error}"))?;
    }
    Ok(())
}

/// Checks `test` on values of `strategy` as `proptest!` does (same configuration, regressions
/// file beside `source_file`), on a thread with a main thread's 8 MiB stack instead of a test
/// thread's 2 MiB.
///
/// The generator is written for that stack (the command line's main thread; `threads.rs` gives
/// its workers as much): serde, syn and prettyplease recurse once per level of nesting, and a
/// document nested as deep as the YAML and JSON parsers allow (128 levels) needs 2 to 4 MiB to
/// load in a debug build. On 8 MiB it must never overflow.
fn check_on_main_sized_stack<S: Strategy>(
    source_file: &'static str,
    cases: u32,
    strategy: fn() -> S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError> + Send,
) {
    std::thread::scope(|scope| {
        let run = move || {
            let config = ProptestConfig { source_file: Some(source_file), ..config(cases) };
            if let Err(failure) = proptest::test_runner::TestRunner::new(config).run(&strategy(), test) {
                panic!("{failure}");
            }
        };
        let thread = std::thread::Builder::new().stack_size(8 << 20).spawn_scoped(scope, run);
        let outcome = thread.expect("a test thread").join();
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Every fixture's path and text, read once.
static FIXTURE_TEXTS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| (path.display().to_string(), std::fs::read_to_string(path).expect("fixture reads")))
        .collect()
});

/// Every fixture, as JSON, for mutation.
static FIXTURES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    FIXTURE_TEXTS
        .iter()
        .map(|(path, text)| {
            let yaml: serde_yaml::Value =
                serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            serde_json::to_value(yaml).expect("fixture converts to JSON")
        })
        .collect()
});

/// Words OpenAPI documents are made of, so random values hit meaningful shapes.
const WORDS: &[&str] = &[
    "type",
    "object",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "null",
    "$ref",
    "#/components/schemas/A",
    "#/components/schemas/B",
    "#/nope",
    "other.yaml#/x",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "required",
    "nullable",
    "enum",
    "additionalProperties",
    "discriminator",
    "propertyName",
    "mapping",
    "format",
    "date-time",
    "int32",
    "byte",
    "binary",
    "uuid",
    "self",
    "Self",
    "",
    "{id}",
    "200",
    "2XX",
    "default",
    "content",
    "application/json",
    "text/plain",
    "*/*",
    "schema",
    "in",
    "path",
    "query",
    "header",
    "cookie",
    "name",
    "parameters",
    "responses",
    "requestBody",
    "style",
    "explode",
    "deepObject",
    "security",
    "servers",
    "url",
    "variables",
    "A",
    "B",
    "type",
    "é",
    "🦀",
    "a b",
    "2fa",
    "r#",
    "mod",
    "fn",
];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS).prop_map(str::to_owned)
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(|f| json!(f)),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((word(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(Value),
    Remove,
    Insert(String, Value),
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    let kind = prop_oneof![
        json_value().prop_map(Mutation::Replace),
        Just(Mutation::Remove),
        (word(), json_value()).prop_map(|(key, value)| Mutation::Insert(key, value)),
    ];
    (any::<usize>(), kind)
}

/// JSON pointers of every node under `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, child) in members {
                pointers(child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn apply(document: &mut Value, (selector, mutation): &(usize, Mutation)) {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let target = &all[selector % all.len()];
    match mutation {
        Mutation::Replace(value) => {
            if let Some(node) = document.pointer_mut(target) {
                *node = value.clone();
            }
        }
        Mutation::Remove => {
            let (parent, key) = target.rsplit_once('/').unwrap_or(("", ""));
            let key = key.replace("~1", "/").replace("~0", "~");
            match document.pointer_mut(parent) {
                Some(Value::Object(members)) => {
                    members.shift_remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = key.parse::<usize>() {
                        if index < items.len() {
                            items.remove(index);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Insert(key, value) => {
            if let Some(Value::Object(members)) = document.pointer_mut(target) {
                members.insert(key.clone(), value.clone());
            }
        }
    }
}

/// A random but plausible schema, referring to components `A` and `B`.
fn schema() -> impl Strategy<Value = Value> {
    let scalar = prop_oneof![
        (prop::sample::select(&["string", "integer", "number", "boolean"][..]), prop::option::of(word()))
            .prop_map(|(ty, format)| match format {
                Some(format) => json!({"type": ty, "format": format}),
                None => json!({"type": ty}),
            }),
        prop::collection::vec(word(), 1..4).prop_map(|values| json!({"type": "string", "enum": values})),
        prop::sample::select(
            &["#/components/schemas/A", "#/components/schemas/B", "#/components/schemas/Missing"][..]
        )
        .prop_map(|reference| json!({"$ref": reference})),
        Just(json!({})),
    ];
    scalar.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (
                prop::collection::vec((word(), inner.clone()), 0..4),
                any::<bool>(),
                prop::option::of(inner.clone())
            )
                .prop_map(|(properties, all_required, additional)| {
                    let names: Vec<Value> = properties.iter().map(|(name, _)| json!(name)).collect();
                    let mut object = json!({"type": "object", "properties": Map::from_iter(properties)});
                    if all_required {
                        object["required"] = Value::Array(names);
                    }
                    if let Some(additional) = additional {
                        object["additionalProperties"] = additional;
                    }
                    object
                }),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            (
                prop::sample::select(&["allOf", "oneOf", "anyOf"][..]),
                prop::collection::vec(inner.clone(), 1..4),
                any::<bool>()
            )
                .prop_map(|(keyword, members, discriminated)| {
                    let mut composed = json!({keyword: members});
                    if discriminated {
                        composed["discriminator"] = json!({"propertyName": "type"});
                    }
                    composed
                }),
            inner.prop_map(|mut schema| {
                if let Some(object) = schema.as_object_mut() {
                    object.insert("nullable".into(), Value::Bool(true));
                }
                schema
            }),
        ]
    })
}

/// A schema that is not an object: `boolean`, `integer`, `number` or `string`, with or without
/// a format.
fn primitive() -> impl Strategy<Value = Value> {
    const FORMATS: &[&str] =
        &["int32", "int64", "float", "double", "date-time", "date", "uuid", "byte", "binary"];
    (
        prop::sample::select(&["boolean", "integer", "number", "string"][..]),
        prop::option::of(prop::sample::select(FORMATS)),
    )
        .prop_map(|(ty, format)| match format {
            Some(format) => json!({"type": ty, "format": format}),
            None => json!({"type": ty}),
        })
}

/// A request or response body's schema. Besides the random schemas, the shapes that once made
/// a crate that did not compile (a primitive JSON body taken by value where `request.json`
/// takes a reference): primitives, arrays of anything, and `nullable` versions of both.
fn body_schema() -> impl Strategy<Value = Value> {
    let shape = prop_oneof![
        2 => schema(),
        2 => primitive(),
        1 => prop_oneof![primitive(), schema()].prop_map(|items| json!({"type": "array", "items": items})),
    ];
    (shape, any::<bool>()).prop_map(|(mut schema, nullable)| {
        if nullable && let Some(object) = schema.as_object_mut() {
            object.insert("nullable".into(), Value::Bool(true));
        }
        schema
    })
}

/// Media types bodies are generated for: JSON first, forms, and some that are not.
const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/problem+json",
    "*/*",
    "text/plain",
    "application/octet-stream",
];

/// A `content` map of one or two media types.
fn content() -> impl Strategy<Value = Value> {
    let media_type = prop_oneof![
        3 => prop::sample::select(&MEDIA_TYPES[..3]),
        1 => prop::sample::select(MEDIA_TYPES),
    ];
    prop::collection::vec((media_type, body_schema()), 1..3).prop_map(|entries| {
        Value::Object(
            entries
                .into_iter()
                .map(|(media, schema)| (media.to_owned(), json!({"schema": schema})))
                .collect(),
        )
    })
}

/// An operation with a path parameter, maybe a request body (required or not), and one to
/// three responses, each with a body or none.
fn operation() -> impl Strategy<Value = Value> {
    const STATUSES: &[&str] = &["200", "201", "204", "2XX", "400", "404", "default"];
    (
        prop::option::of((content(), any::<bool>())),
        prop::collection::vec((prop::sample::select(STATUSES), prop::option::of(content())), 1..4),
    )
        .prop_map(|(body, responses)| {
            let mut operation = json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {},
            });
            if let Some((content, required)) = body {
                operation["requestBody"] = json!({"required": required, "content": content});
            }
            for (status, content) in responses {
                let mut response = json!({"description": status});
                if let Some(content) = content {
                    response["content"] = content;
                }
                operation["responses"][status] = response;
            }
            operation
        })
}

fn random_spec() -> impl Strategy<Value = Value> {
    (schema(), schema(), prop::collection::vec(operation(), 1..4), prop::collection::vec(word(), 1..3))
        .prop_map(|(a, b, operations, segments)| {
            let path = format!("/{}", segments.join("/"));
            let methods = ["post", "put", "patch"];
            let item: Map<String, Value> = methods
                .iter()
                .zip(operations)
                .map(|(method, operation)| ((*method).to_owned(), operation))
                .collect();
            json!({
                "openapi": "3.0.3",
                "info": {"title": "Random", "version": "1"},
                "paths": {path: item},
                "components": {"schemas": {"A": a, "B": b}}
            })
        })
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn mutated_fixtures_never_panic(index in any::<usize>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let mut document = FIXTURES[index % FIXTURES.len()].clone();
        for step in &mutations {
            apply(&mut document, step);
        }
        // Either a clear error or code that parses; a panic fails the test.
        let result = generate(&document.to_string());
        if let Err(message) = &result {
            prop_assert!(!message.contains("does not parse"), "{message}");
            prop_assert!(!message.starts_with("emit:"), "{message}");
        }
    }

    #[test]
    fn random_specs_generate_parsable_code_or_a_clear_error(spec in random_spec()) {
        let result = generate(&spec.to_string());
        if let Err(message) = &result {
            prop_assert!(!message.contains("does not parse"), "{message}");
            prop_assert!(!message.starts_with("emit:"), "{message}");
            // A dangling `Missing` reference is the only error a well-formed random spec has.
            prop_assert!(message.contains("points to nothing"), "{message}");
        }
    }
}

/// Spec file names become the crate's module, feature and package names: keywords, leading
/// digits and non-ASCII letters must give a crate whose every file parses, like names from
/// inside a spec do.
#[test]
fn awkward_file_names_make_valid_modules() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("awkward-file-names");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let spec = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}}"#;
    let names = ["MATCH.json", "type.yaml", "3d.yaml", "Ünïcødé.yaml", "self.json", "crate.yaml"];
    for name in names {
        std::fs::write(dir.join(name), spec).expect("spec written");
    }
    let specs: Vec<_> = names.iter().map(std::path::PathBuf::from).collect();
    let options = krate::CrateOptions {
        name: krate::package_name(Path::new("MATCH.json")),
        command: "test".into(),
        standalone: true,
        dev_dependencies: Vec::new(),
        tests: false,
        filter: Default::default(),
        doc_examples: true,
        split_types: None,
        types: Default::default(),
    };
    assert_eq!(options.name, "match-api");
    let files = krate::generate_in(&dir, &specs, &options).expect("generates").files;
    let lib = files.iter().find(|file| file.path == Path::new("src/lib.rs")).expect("lib.rs");
    for module in ["r#match", "r#type", "n3d", "ncd", "self_", "crate_"] {
        assert!(lib.contents.contains(&format!("pub mod {module};")), "{module} in {}", lib.contents);
    }
    for file in files.iter().filter(|file| file.path.extension().is_some_and(|e| e == "rs")) {
        syn::parse_file(&file.contents)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", file.path.display()));
    }
}
