//! `openapi-client`: writes a Rust client crate for OpenAPI documents.

use clap::Parser;
use generator::changes::{self, PublicApi};
use generator::config::{self, Config};
use generator::krate::{self, CrateOptions};
use generator::model::{Filter, TypeOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// glibc's allocator was a third of all instructions (callgrind on GitHub's spec): the
// generator makes many small, short-lived allocations (tokens, strings, serde buffers).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Writes a Rust client crate (Cargo.toml and src/) for OpenAPI documents: typed models, and
/// one async method per operation over reqwest.
///
/// Given no SPEC, reads `openapi-client.toml` in the current folder (or the file --config
/// names); flags override what the file says.
///
/// Examples:
///   openapi-client petstore.yaml --out petstore
///   openapi-client graph-v1.yaml --out graph --tag chats --exclude-operation 'chats.*.delete*'
///   openapi-client                      # everything from ./openapi-client.toml
#[derive(Parser)]
#[command(name = "openapi-client", version, verbatim_doc_comment)]
struct Args {
    /// OpenAPI documents (YAML or JSON, 3.0 or 3.1); each becomes a module of the crate.
    specs: Vec<PathBuf>,
    /// The folder to write the crate into.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The configuration file to read (default: ./openapi-client.toml, when no SPEC is given).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Package name (default: the first document's file name).
    #[arg(long)]
    name: Option<String>,
    /// Leave out the `[workspace]` table, for crates that join an existing workspace.
    #[arg(long)]
    workspace_member: bool,
    /// Add `tests/operations.rs`: one test per operation, run against a mock of the spec whose
    /// URL `<CRATE>_MOCK_URL` gives (skipped when it is not set).
    #[arg(long)]
    tests: bool,
    /// Leave out the `no_run` example in each method's doc (smaller crates for large APIs).
    #[arg(long)]
    no_doc_examples: bool,
    /// Keep the members a schema without `additionalProperties` does not declare, in each
    /// struct's `additional_properties`, so that values read from a server are sent back
    /// unchanged (by default they are ignored, as serde's derive does).
    #[arg(long)]
    keep_unknown_members: bool,
    /// Compile the schemas' types and the runtime as a second crate, `<name>-types` in
    /// `<out>/types`, re-exported at the same paths, so that each compiler run holds about half
    /// the code. The default for crates of 2,000 types or more.
    #[arg(long, conflicts_with = "no_split_types")]
    split_types: bool,
    /// Write one crate however many types the APIs have.
    #[arg(long)]
    no_split_types: bool,
    /// Before replacing the crate already in --out, print to stderr how its public API
    /// changes: methods, parameters, fields, variants and types added, removed or retyped, one
    /// line each marked `breaking` or `compatible`, then a count of each.
    #[arg(long)]
    changes: bool,
    /// Keep the operations with this tag (repeatable; includes add up).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Keep the operations whose operationId matches this glob (repeatable).
    #[arg(long = "operation", value_name = "GLOB")]
    operations: Vec<String>,
    /// Keep the operations whose path matches this glob: `*` one segment, `**` any (repeatable).
    #[arg(long = "path", value_name = "GLOB")]
    paths: Vec<String>,
    /// Leave out the operations with this tag (repeatable; excludes win over includes).
    #[arg(long = "exclude-tag", value_name = "TAG")]
    exclude_tags: Vec<String>,
    /// Leave out the operations whose operationId matches this glob (repeatable).
    #[arg(long = "exclude-operation", value_name = "GLOB")]
    exclude_operations: Vec<String>,
    /// Leave out the operations whose path matches this glob (repeatable).
    #[arg(long = "exclude-path", value_name = "GLOB")]
    exclude_paths: Vec<String>,
}

fn main() -> ExitCode {
    // A panic is a bug in the generator, never the user's fault: one line, no backtrace,
    // and exit code 101 so scripts can tell it from a spec error (1).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error in the generator (please report it): {info}");
    }));
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let config = match &args.config {
        Some(path) => Config::read(path).map_err(|error| error.to_string())?,
        None if args.specs.is_empty() && Path::new(config::FILE_NAME).exists() => {
            Config::read(Path::new(config::FILE_NAME)).map_err(|error| error.to_string())?
        }
        None => Config::default(),
    };
    let specs = if args.specs.is_empty() { config.specs.clone() } else { args.specs.clone() };
    let Some(first) = specs.first() else {
        return Err(format!(
            "no OpenAPI document given: name one (`openapi-client api.yaml --out client`) or write {}",
            config::FILE_NAME
        ));
    };
    let Some(out) = args.out.clone().or(config.out.clone()) else {
        return Err("no folder to write to: give --out DIR, or `out` in the configuration file".into());
    };
    let options = CrateOptions {
        name: args.name.clone().or(config.name.clone()).unwrap_or_else(|| krate::package_name(first)),
        command: "openapi-client".into(),
        standalone: !(args.workspace_member || config.workspace_member),
        dev_dependencies: Vec::new(),
        tests: args.tests || config.tests,
        filter: filter(&args, config.filter),
        doc_examples: !args.no_doc_examples && config.doc_examples.unwrap_or(true),
        split_types: match (args.split_types, args.no_split_types) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => config.split_types,
        },
        types: TypeOptions {
            keep_unknown_members: args.keep_unknown_members || config.types.keep_unknown_members,
            ..config.types
        },
    };
    let generated = krate::generate(&specs, &options).map_err(|error| error.to_string())?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    if args.changes || config.changes {
        eprintln!("{}", changes_report(&out, &generated.files)?);
    }
    krate::write(&out, &generated.files)
        .map_err(|error| format!("cannot write to {}: {error}", out.display()))?;
    eprintln!("wrote {} files to {}", generated.files.len(), out.display());
    let removed = krate::remove_stale_files(&out, &generated.files, &options.command)
        .map_err(|error| format!("cannot remove stale files from {}: {error}", out.display()))?;
    for path in removed {
        eprintln!("removed {}, which is no longer generated", out.join(path).display());
    }
    if options.split_types.is_none() && generated.types_crate_written() {
        eprintln!(
            "note: a large API: its types and the runtime are a crate of their own in {} (--no-split-types for one crate)",
            out.join(krate::TYPES_DIR).display()
        );
    }
    Ok(())
}

/// How the public API of the crate in `out` changes with `files`, or why it cannot be told.
fn changes_report(out: &Path, files: &[krate::File]) -> Result<String, String> {
    let new = PublicApi::of_files(files).map_err(|error| format!("internal error: {error}"))?;
    Ok(match PublicApi::read(out) {
        Ok(Some(old)) => {
            format!("changes to the crate in {}:\n{}", out.display(), changes::compare(&old, &new))
        }
        Ok(None) => format!("changes: {} holds no crate yet, nothing to compare with", out.display()),
        // The previous crate is about to be replaced anyway: comparing is not worth failing for.
        Err(error) => format!("warning: cannot compare with the crate in {}: {error}", out.display()),
    })
}

/// The configuration's filter, each list replaced by the command line's when it gives one.
fn filter(args: &Args, config: Filter) -> Filter {
    let pick = |flags: &Vec<String>, file: Vec<String>| if flags.is_empty() { file } else { flags.clone() };
    Filter {
        tags: pick(&args.tags, config.tags),
        exclude_tags: pick(&args.exclude_tags, config.exclude_tags),
        operations: pick(&args.operations, config.operations),
        exclude_operations: pick(&args.exclude_operations, config.exclude_operations),
        paths: pick(&args.paths, config.paths),
        exclude_paths: pick(&args.exclude_paths, config.exclude_paths),
    }
}
