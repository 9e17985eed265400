//! `cargo xtask bench-compile`: what a user pays every day for the largest real APIs, the
//! time and memory of `cargo check` and `cargo build` of their generated crates.
//!
//! GitHub's current description comes from npm (`@octokit/openapi`, pinned), both Microsoft
//! Graph descriptions from the corpus collection. Each crate is generated into one scratch
//! workspace, the shared dependencies are compiled first, and then each crate alone is checked
//! and built from clean under `/usr/bin/time` (peak memory is rustc's resident maximum).
//! Incremental compilation is off: the figures are those of a first build, as in CI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// npm package holding GitHub's current description.
const OCTOKIT: &str = "@octokit/openapi@23.0.2";

/// The measured specs: a name for the crate, where the spec comes from, the targets.
const SPECS: &[Spec] = &[
    Spec { name: "github", source: Source::Octokit("api.github.com.json"), check_target_s: 45.0 },
    Spec { name: "graph", source: Source::Corpus("microsoft.com/graph.json"), check_target_s: 45.0 },
    Spec {
        name: "graph-beta",
        source: Source::Corpus("microsoft.com/graph-beta.json"),
        check_target_s: 120.0,
    },
];

struct Spec {
    name: &'static str,
    source: Source,
    check_target_s: f64,
}

enum Source {
    /// A file of `@octokit/openapi`'s `generated/` folder.
    Octokit(&'static str),
    /// A path in the corpus collection's `api/` folder.
    Corpus(&'static str),
}

/// One timed cargo run.
pub struct Measured {
    pub seconds: f64,
    pub peak_mb: f64,
}

pub fn run(root: &Path, only: &[String], build: bool) -> Result<(), String> {
    let specs: Vec<&Spec> =
        SPECS.iter().filter(|spec| only.is_empty() || only.iter().any(|name| name == spec.name)).collect();
    if specs.is_empty() {
        let names: Vec<&str> = SPECS.iter().map(|spec| spec.name).collect();
        return Err(format!("no such spec; the specs are {}", names.join(", ")));
    }
    let generator = crate::build_release(root, "generator", "openapi-client")?;
    let scratch = root.join("target/bench-compile");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .map_err(|error| format!("cannot create {}: {error}", scratch.display()))?;
    let members: Vec<String> = specs.iter().map(|spec| format!("\"{}\"", spec.name)).collect();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )
    .map_err(|error| format!("cannot write the workspace: {error}"))?;

    let mut generated = Vec::new();
    for spec in &specs {
        let path = spec_path(root, &spec.source)?;
        let out = scratch.join(spec.name);
        let started = Instant::now();
        let output = Command::new(&generator)
            .arg(&path)
            .args(["--out", &out.to_string_lossy(), "--name", spec.name, "--workspace-member"])
            .output()
            .map_err(|error| format!("cannot run the generator: {error}"))?;
        if !output.status.success() {
            return Err(format!("{}: {}", spec.name, String::from_utf8_lossy(&output.stderr).trim()));
        }
        let lines = crate::openapi_generator::rust_lines(&out.join("src"));
        generated.push((spec, started.elapsed().as_secs_f64(), lines));
    }

    println!(
        "{:<11} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "crate", "generate s", "lines", "check s", "check MB", "target s", "build s", "build MB"
    );
    for (spec, generate_s, lines) in generated {
        // Dependencies first (they are shared), so the figures below are the crate's own.
        timed_cargo(&scratch, "check", spec.name)?;
        clean(&scratch, spec.name)?;
        let check = timed_cargo(&scratch, "check", spec.name)?;
        let built = if build {
            timed_cargo(&scratch, "build", spec.name)?;
            clean(&scratch, spec.name)?;
            Some(timed_cargo(&scratch, "build", spec.name)?)
        } else {
            None
        };
        let (build_s, build_mb) = built.map_or_else(
            || ("-".to_owned(), "-".to_owned()),
            |built| (format!("{:.1}", built.seconds), format!("{:.0}", built.peak_mb)),
        );
        println!(
            "{:<11} {generate_s:>10.2} {lines:>10} {:>9.1} {:>9.0} {:>9.0} {build_s:>9} {build_mb:>9}",
            spec.name, check.seconds, check.peak_mb, spec.check_target_s
        );
        // Graph beta's build leaves gigabytes behind; the next spec does not need them.
        clean(&scratch, spec.name)?;
    }
    Ok(())
}

fn spec_path(root: &Path, source: &Source) -> Result<PathBuf, String> {
    match source {
        Source::Corpus(path) => Ok(crate::corpus::install_directory(root)?.join(path)),
        Source::Octokit(file) => {
            let cache = root.join("target/compile-cache");
            let path = cache.join("node_modules/@octokit/openapi/generated").join(file);
            if !path.is_file() {
                crate::corpus::npm_install(&cache, OCTOKIT)?;
            }
            Ok(path)
        }
    }
}

/// `cargo SUBCOMMAND -p name` under `/usr/bin/time`, incremental compilation off: seconds and
/// the peak memory of the largest child (rustc) in MB.
pub fn timed_cargo(scratch: &Path, subcommand: &str, name: &str) -> Result<Measured, String> {
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([subcommand, "--quiet", "-p", name])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|error| format!("cannot run /usr/bin/time cargo {subcommand}: {error}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("cargo {subcommand} -p {name} failed: {}", stderr.trim()));
    }
    let kilobytes: f64 = stderr.lines().last().and_then(|line| line.trim().parse().ok()).unwrap_or(0.0);
    Ok(Measured { seconds, peak_mb: kilobytes / 1024.0 })
}

/// `cargo clean -p name`, so the next run compiles the crate again but not its dependencies.
pub fn clean(scratch: &Path, name: &str) -> Result<(), String> {
    let status = crate::cargo()
        .args(["clean", "--quiet", "-p", name])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .status()
        .map_err(|error| format!("cannot run cargo clean: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("cargo clean -p {name} failed")) }
}
