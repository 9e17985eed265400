//! openapi-generator's `rust` generator, measured beside ours by `cargo xtask bench`.
//!
//! It is a Java program; Maven Central does not resolve here, but the PyPI package
//! `openapi-generator-cli` ships the jar and a launcher. Where the launcher is missing the
//! comparison is skipped with a message, never failed.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The launcher the PyPI package installs.
const LAUNCHER: &str = "openapi-generator-cli";

/// How to install it, for the message when it is missing.
const INSTALL: &str = "pip install openapi-generator-cli==7.26.0 (needs Java 17)";

/// The specs it is compared on: the issue's, which take it seconds rather than minutes.
pub const SPECS: &[&str] = &["github.com/api.github.com.json", "stripe.com.json"];

/// The launcher's version, or why it cannot run.
pub fn version() -> Result<String, String> {
    let output = Command::new(LAUNCHER)
        .arg("version")
        .stderr(Stdio::null())
        .output()
        .map_err(|_| format!("{LAUNCHER} not found; install it with `{INSTALL}`"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    match text.lines().last().map(str::trim) {
        Some(version) if output.status.success() && !version.is_empty() => Ok(version.to_owned()),
        _ => Err(format!("`{LAUNCHER} version` failed; reinstall it with `{INSTALL}`")),
    }
}

/// Generates `spec` with the `rust` generator `runs` times into `scratch`: median seconds,
/// the largest peak memory (when GNU time is there to read it) and lines of Rust written.
pub fn measure(spec: &Path, scratch: &Path, runs: usize) -> Result<Value, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let mut seconds = Vec::with_capacity(runs);
    let mut peak_kb: Option<u64> = None;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(scratch);
        let mut command = if gnu_time.exists() {
            let mut command = Command::new(gnu_time);
            command.args(["-f", "peak_kb %M", LAUNCHER]);
            command
        } else {
            Command::new(LAUNCHER)
        };
        // Public specs often break one of its validation rules; ours does not validate either.
        command
            .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
            .arg(spec)
            .arg("-o")
            .arg(scratch);
        let started = Instant::now();
        let output = command
            .stdout(Stdio::null())
            .output()
            .map_err(|error| format!("cannot run {LAUNCHER}: {error}"))?;
        seconds.push(started.elapsed().as_secs_f64());
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let last = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or_default();
            return Err(format!("{LAUNCHER} failed on {}: {last}", spec.display()));
        }
        let run_peak = stderr.lines().find_map(|line| line.strip_prefix("peak_kb ")?.trim().parse().ok());
        peak_kb = peak_kb.max(run_peak);
    }
    let lines = rust_lines(&scratch.join("src"));
    let _ = std::fs::remove_dir_all(scratch);
    Ok(json!({
        "total_s": crate::bench::round(crate::bench::median(seconds)),
        "peak_rss_mb": peak_kb.map(|kb| (kb as f64 / 1024.0).round()),
        "lines_generated": lines,
    }))
}

/// Lines of the `.rs` files under `dir`, at any depth.
pub fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .map(|path| {
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                std::fs::read_to_string(&path).map_or(0, |text| text.lines().count())
            } else {
                0
            }
        })
        .sum()
}
