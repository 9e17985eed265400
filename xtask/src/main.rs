//! Project automation: `cargo xtask codegen [--check]` and `cargo xtask smoke`.

mod codegen;
mod smoke;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerates `generated-client/` from `specs/`.
    Codegen {
        /// Changes nothing; fails with a diff when `generated-client/` is stale.
        #[arg(long)]
        check: bool,
    },
    /// Generates a crate for every spec in ../shared/corpus/smoke and runs clippy on them all.
    Smoke,
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
