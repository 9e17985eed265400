//! Project automation: `cargo xtask codegen [--check]`, `smoke`, `corpus`, `works`, `examples`,
//! `contract`, `bench` and `bench-compile`.

mod bench;
mod codegen;
mod compile_bench;
mod contract;
mod corpus;
mod examples;
mod filter_bench;
mod json_schema;
mod openapi_generator;
mod smoke;
mod works;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

// `bench` measures the generator as its binary runs it, allocator included.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerates `generated-client/` from `specs/` and `fixture-client/` from its fixtures,
    /// and prints how each one's public API changed (breaking or compatible).
    Codegen {
        /// Changes nothing; fails with a diff and the public API changes when a crate is stale.
        #[arg(long)]
        check: bool,
    },
    /// Generates a crate for every spec in ../shared/corpus/smoke and runs clippy on them all.
    Smoke,
    /// Runs the client's contract tests against Prism mocks of every spec.
    Contract,
    /// Times each generator stage and peak memory on large specs (median of 5 runs).
    Bench {
        /// One JSON object per spec instead of a table.
        #[arg(long)]
        json: bool,
        /// Instead, compare with progenitor on every spec of this list both can generate
        /// (needs `--features progenitor`).
        #[arg(long)]
        compare: Option<PathBuf>,
        /// Then the compile figures of `bench-compile --build` (several minutes).
        #[arg(long)]
        compile: bool,
    },
    /// Measures one spec (run by `bench` in a child process, for its own peak memory).
    #[command(hide = true)]
    BenchOne {
        spec: PathBuf,
        /// Time each stage alone instead of the whole pipeline.
        #[arg(long)]
        stages: bool,
    },
    /// Compile cost of the largest real APIs: generates GitHub (current, from npm) and both
    /// Microsoft Graph descriptions, then times `cargo check` (and `cargo build`) of each crate
    /// alone, with its peak memory.
    BenchCompile {
        /// Only these crates (`github`, `graph`, `graph-beta`; default: all three).
        specs: Vec<String>,
        /// Also time `cargo build` (debug), what a user runs.
        #[arg(long)]
        build: bool,
    },
    /// Generates each spec with its per-operation tests and runs them against Prism mocks.
    Works {
        /// Spec paths relative to the collection's `api/` folder (default: the smoke corpus).
        #[arg(long)]
        list: Option<PathBuf>,
        /// Where to write the JSON report.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Fails when fewer operations pass (percent of those Prism could mock), when a test's
        /// own arguments do not decode, or when a spec does not generate.
        #[arg(long)]
        min_passed: Option<f64>,
        /// Fails when fewer operations pass once the failures that are the mock's limits
        /// (`works/classes.rs`) are left out.
        #[arg(long)]
        min_passed_ours: Option<f64>,
    },
    /// Generates a large spec whole and filtered to one tag, and checks both crates: what
    /// filtering saves a user who needs a few operations.
    BenchFilter {
        /// A spec path relative to the collection's `api/` folder (default: Graph v1.0).
        #[arg(long)]
        spec: Option<String>,
        /// The tag to keep (default: `chats.chat`).
        #[arg(long)]
        tag: Option<String>,
    },
    /// Generates each spec with its tests and checks that the spec's examples decode into
    /// their generated types and encode back the same; each failure is put down to the spec
    /// (the example contradicts its own schema) or to the round trip.
    Examples {
        /// Spec paths relative to the collection's `api/` folder (default: the smoke corpus).
        #[arg(long)]
        list: Option<PathBuf>,
        /// Where to write the JSON report.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Generates with `--keep-unknown-members`, so that structs keep the members their
        /// schema does not declare.
        #[arg(long)]
        keep_unknown_members: bool,
    },
    /// Generates and compiles a list of public specs and reports per spec.
    Corpus {
        /// Spec paths relative to the collection's `api/` folder, one per line.
        #[arg(long)]
        list: Option<PathBuf>,
        /// Where to write the JSON report.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[cfg(feature = "progenitor")]
fn compare(list: &std::path::Path) -> Result<(), String> {
    bench::compare(&root(), list)
}

#[cfg(not(feature = "progenitor"))]
fn compare(_: &std::path::Path) -> Result<(), String> {
    Err("the comparison needs progenitor: cargo run --release -p xtask --features progenitor -- bench --compare LIST".into())
}

/// The files of `dir` whose extension is `extension`, sorted so every task sees one order.
fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot read {}: {error}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|found| found == extension))
        .collect();
    files.sort();
    Ok(files)
}

/// The API descriptions of `specs/`: every `*.yaml` there is one module of `generated-client`.
fn spec_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    files_with_extension(&root.join("specs"), "yaml")
}

/// `cargo`: the one running this task (which sets `CARGO`), or the one on `PATH`.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds `package` with the release profile (timings of a debug build mean nothing)
/// and returns the path of its `binary`.
fn build_release(root: &Path, package: &str, binary: &str) -> Result<PathBuf, String> {
    let status = cargo()
        .args(["build", "--quiet", "--release", "-p", package])
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err(format!("`{package}` does not build in release mode"));
    }
    Ok(root.join("target/release").join(binary))
}

/// The workspace root, whatever directory cargo was run from.
fn root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}

fn main() -> ExitCode {
    let result = match Args::parse().task {
        Task::Codegen { check } => codegen::run(&root(), check),
        Task::Smoke => smoke::run(&root()),
        Task::Corpus { list, report } => corpus::run(&root(), list, report),
        Task::Works { list, report, min_passed, min_passed_ours } => {
            works::run(&root(), list, report, [min_passed, min_passed_ours])
        }
        Task::Examples { list, report, keep_unknown_members } => {
            examples::run(&root(), list, report, keep_unknown_members)
        }
        Task::Contract => contract::run(&root()),
        Task::BenchFilter { spec, tag } => filter_bench::run(&root(), spec, tag),
        Task::Bench { compare: Some(list), .. } => compare(&list),
        Task::Bench { json, compare: None, compile } => bench::run(&root(), json)
            .and_then(|()| if compile { compile_bench::run(&root(), &[], true) } else { Ok(()) }),
        Task::BenchCompile { specs, build } => compile_bench::run(&root(), &specs, build),
        Task::BenchOne { spec, stages } => bench::run_one(&spec, stages),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
