//! Snapshots of generated code: one small fixture per mapping rule (`tests/fixtures/`). A
//! generator change shows up here as a reviewable diff; accept intended ones with
//! `cargo insta review`. The output for `specs/` is not snapshotted: it is checked in as
//! `generated-client/`, which xtask's `generated_client_is_up_to_date` test keeps current.

use generator::krate::{self, CrateOptions};
use std::path::{Path, PathBuf};

fn options() -> CrateOptions {
    CrateOptions {
        name: "snapshot".into(),
        command: "snapshot".into(),
        standalone: true,
        dev_dependencies: Vec::new(),
        tests: false,
    }
}

/// The generated module files of `spec` (relative to `root`), concatenated with their paths as
/// headings.
fn generated_module(root: &Path, spec: &Path) -> String {
    let generated = krate::generate_in(root, &[spec.to_path_buf()], &options())
        .unwrap_or_else(|error| panic!("{} does not generate: {error}", spec.display()));
    let warnings = generated.warnings.iter().map(|warning| format!("warning: {warning}\n"));
    let files = generated.files.iter().filter(|file| {
        !file.path.starts_with("src/runtime") && file.path.extension().is_some_and(|e| e == "rs")
    });
    let sources = files
        .filter(|file| file.path != Path::new("src/lib.rs"))
        .map(|file| format!("==> {} <==\n{}", file.path.display(), file.contents))
        .collect::<Vec<_>>()
        .join("\n");
    warnings.collect::<String>() + &sources
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = yaml_files(&root.join("tests/fixtures"));
    assert!(!specs.is_empty(), "no fixtures");
    for spec in specs {
        let relative = spec.strip_prefix(root).map(Path::to_path_buf).unwrap_or(spec.clone());
        let name = format!("fixture_{}", spec.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default());
        insta::assert_snapshot!(name, generated_module(root, &relative));
    }
}

/// The example tests `--tests` adds (`tests/examples.rs`), for the fixture written to show
/// where examples are taken from; `fixture-client` compiles and runs them.
#[test]
fn example_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = CrateOptions { tests: true, ..options() };
    let generated = krate::generate_in(root, &[PathBuf::from("tests/fixtures/examples.yaml")], &options)
        .unwrap_or_else(|error| panic!("the examples fixture does not generate: {error}"));
    let file = generated.files.iter().find(|file| file.path == Path::new("tests/examples.rs"));
    insta::assert_snapshot!("example_tests", file.map(|file| file.contents.as_str()).unwrap_or("(none)"));
}
