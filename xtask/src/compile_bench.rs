//! `cargo xtask bench-compile`: what a user pays every day for the largest real APIs, the
//! time and memory of `cargo check` and `cargo build` of their generated crates.
//!
//! GitHub's current description comes from npm (`@octokit/openapi`, pinned), both Microsoft
//! Graph descriptions from the corpus collection. Each crate is generated into one scratch
//! workspace, the shared dependencies are compiled once first, and then each crate alone is
//! checked and built under `/usr/bin/time` (peak memory is rustc's resident maximum).
//! Incremental compilation is off: the figures are those of a first build, as in CI.

use generator::krate;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// npm package holding GitHub's current description.
const OCTOKIT: &str = "@octokit/openapi@23.0.2";

/// The measured specs: a name for the crate, where the spec comes from, the targets.
const SPECS: &[Spec] = &[
    Spec {
        name: "github",
        source: Source::Octokit("api.github.com.json"),
        check_target_s: 45.0,
        one_crate: false,
    },
    // The layout these APIs had before crates of 2,000 types and more were split by default.
    Spec {
        name: "github-one-crate",
        source: Source::Octokit("api.github.com.json"),
        check_target_s: 45.0,
        one_crate: true,
    },
    Spec {
        name: "graph",
        source: Source::Corpus("microsoft.com/graph.json"),
        check_target_s: 45.0,
        one_crate: false,
    },
    Spec {
        name: "graph-beta",
        source: Source::Corpus("microsoft.com/graph-beta.json"),
        check_target_s: 120.0,
        one_crate: false,
    },
];

struct Spec {
    name: &'static str,
    source: Source,
    check_target_s: f64,
    /// Generated with `--no-split-types`. Otherwise these APIs are large enough for the
    /// default to split their types into a crate of their own: the figures are then those of
    /// both crates, checked one after the other, and the peak is the larger rustc's.
    one_crate: bool,
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
    /// User plus system CPU time of cargo and its children: steadier than wall time on a
    /// shared VM, where another guest's load shows in wall time only.
    pub cpu_seconds: f64,
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
    let names: Vec<&str> = specs.iter().map(|spec| spec.name).collect();
    prepare_workspace(&scratch, &names)?;
    let mut generated = Vec::new();
    for spec in &specs {
        let extra: &[&str] = if spec.one_crate { &["--no-split-types"] } else { &[] };
        let (generate_s, lines) =
            generate_member(&generator, &spec_path(root, &spec.source)?, &scratch, spec.name, extra)?;
        generated.push((spec, generate_s, lines));
    }
    build_dependencies(&scratch, "check")?;
    if build {
        build_dependencies(&scratch, "build")?;
    }

    println!(
        "{:<11} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "crate",
        "generate s",
        "lines",
        "check s",
        "check cpu",
        "check MB",
        "target s",
        "build s",
        "build cpu",
        "build MB"
    );
    for (spec, generate_s, lines) in generated {
        let check = timed_cargo(&scratch, "check", spec.name)?;
        let built = if build { Some(timed_cargo(&scratch, "build", spec.name)?) } else { None };
        let (build_s, build_cpu, build_mb) = built.map_or_else(
            || ("-".to_owned(), "-".to_owned(), "-".to_owned()),
            |built| {
                let cpu = format!("{:.1}", built.cpu_seconds);
                (format!("{:.1}", built.seconds), cpu, format!("{:.0}", built.peak_mb))
            },
        );
        println!(
            "{:<11} {generate_s:>10.2} {lines:>10} {:>9.1} {:>9.1} {:>9.0} {:>9.0} {build_s:>9} {build_cpu:>9} {build_mb:>9}",
            spec.name, check.seconds, check.cpu_seconds, check.peak_mb, spec.check_target_s
        );
        // Graph beta's build leaves gigabytes behind; the next spec does not need them.
        clean(&scratch, spec.name)?;
        if scratch.join(spec.name).join(krate::TYPES_DIR).is_dir() {
            clean(&scratch, &krate::types_package(spec.name))?;
        }
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

/// An empty scratch workspace for generated crates named `members`, with one more member,
/// `deps`: an empty crate with the generated crates' dependencies (the same lines, so the same
/// features), which [`build_dependencies`] compiles once for them all.
pub fn prepare_workspace(scratch: &Path, members: &[&str]) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(scratch);
    let deps = scratch.join("deps");
    std::fs::create_dir_all(deps.join("src"))
        .map_err(|error| format!("cannot create {}: {error}", deps.display()))?;
    let quoted: Vec<String> = members.iter().chain(&["deps"]).map(|name| format!("\"{name}\"")).collect();
    let manifest = format!(
        "[package]\nname = \"deps\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{}\n",
        generator::krate::DEPENDENCIES.join("\n")
    );
    [
        (
            scratch.join("Cargo.toml"),
            format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", quoted.join(", ")),
        ),
        (deps.join("Cargo.toml"), manifest),
        (deps.join("src/lib.rs"), String::new()),
    ]
    .into_iter()
    .try_for_each(|(path, text)| {
        std::fs::write(&path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
    })
}

/// Generates `spec` into the workspace member `name` with `generator` and `extra` arguments:
/// seconds taken and lines of Rust written.
pub fn generate_member(
    generator: &Path,
    spec: &Path,
    scratch: &Path,
    name: &str,
    extra: &[&str],
) -> Result<(f64, usize), String> {
    let out = scratch.join(name);
    let started = Instant::now();
    let output = Command::new(generator)
        .arg(spec)
        .args(["--out", &out.to_string_lossy(), "--name", name, "--workspace-member"])
        .args(extra)
        .output()
        .map_err(|error| format!("cannot run the generator: {error}"))?;
    if !output.status.success() {
        return Err(format!("{name}: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    // A split crate's types are in `types/src`.
    let lines = crate::openapi_generator::rust_lines(&out.join("src"))
        + crate::openapi_generator::rust_lines(&out.join(krate::TYPES_DIR).join("src"));
    Ok((started.elapsed().as_secs_f64(), lines))
}

/// Compiles the generated crates' dependencies (`cargo check` or `cargo build` of `deps`),
/// so that timing a generated crate times that crate alone.
pub fn build_dependencies(scratch: &Path, subcommand: &str) -> Result<(), String> {
    timed_cargo(scratch, subcommand, "deps").map(drop)
}

/// `cargo SUBCOMMAND -p name` under `/usr/bin/time`, incremental compilation off: wall and CPU
/// seconds and the peak memory of the largest child (rustc) in MB.
pub fn timed_cargo(scratch: &Path, subcommand: &str, name: &str) -> Result<Measured, String> {
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%U %S %M"])
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
    let figures: Vec<f64> = stderr
        .lines()
        .last()
        .map(|line| line.split_whitespace().filter_map(|figure| figure.parse().ok()).collect())
        .unwrap_or_default();
    let [user, system, kilobytes] = figures[..] else {
        return Err(format!("cannot read /usr/bin/time's figures from: {}", stderr.trim()));
    };
    Ok(Measured { seconds, cpu_seconds: user + system, peak_mb: kilobytes / 1024.0 })
}

/// `cargo clean -p name`: drops the crate's own artifacts, not its dependencies'.
pub fn clean(scratch: &Path, name: &str) -> Result<(), String> {
    let status = crate::cargo()
        .args(["clean", "--quiet", "-p", name])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .status()
        .map_err(|error| format!("cannot run cargo clean: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("cargo clean -p {name} failed")) }
}
