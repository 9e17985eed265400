//! `generator SPEC --out DIR [--name CRATE]`: writes a standalone client crate for one spec.

use clap::Parser;
use generator::krate::{self, CrateOptions};
use std::path::PathBuf;
use std::process::ExitCode;

// glibc's allocator was a third of all instructions (callgrind on GitHub's spec): the
// generator makes many small, short-lived allocations (tokens, strings, serde buffers).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates a Rust client crate (Cargo.toml + src/) from an OpenAPI 3.0 document.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The OpenAPI document, YAML or JSON.
    spec: PathBuf,
    /// Directory to write the crate into.
    #[arg(long)]
    out: PathBuf,
    /// Package name; defaults to the spec's file name.
    #[arg(long)]
    name: Option<String>,
    /// Leave out the `[workspace]` table, for crates that join an existing workspace.
    #[arg(long)]
    workspace_member: bool,
    /// Add `tests/operations.rs`: one test per operation, run against a mock of the spec whose
    /// URL `<CRATE>_MOCK_URL` gives (skipped when it is not set).
    #[arg(long)]
    tests: bool,
}

fn main() -> ExitCode {
    // A panic is a bug in the generator, never the user's fault: one line, no backtrace,
    // and exit code 101 so scripts can tell it from a spec error (1).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error in the generator (please report it): {info}");
    }));
    let args = Args::parse();
    let name = args.name.clone().unwrap_or_else(|| krate::package_name(&args.spec));
    let options = CrateOptions {
        name,
        command: "generator".into(),
        standalone: !args.workspace_member,
        dev_dependencies: Vec::new(),
        tests: args.tests,
    };
    let files = match krate::generate(std::slice::from_ref(&args.spec), &options) {
        Ok(generated) => {
            for warning in &generated.warnings {
                eprintln!("warning: {warning}");
            }
            generated.files
        }
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = krate::write(&args.out, &files) {
        eprintln!("error: cannot write to {}: {error}", args.out.display());
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {} files to {}", files.len(), args.out.display());
    ExitCode::SUCCESS
}
