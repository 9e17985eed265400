//! Snapshots of generated code: one small fixture per mapping rule (`tests/fixtures/`) and the
//! full output for every spec in `specs/`. A generator change shows up here as a reviewable
//! diff; accept intended ones with `cargo insta review`.

use generator::krate::{self, CrateOptions};
use std::path::{Path, PathBuf};

fn options() -> CrateOptions {
    CrateOptions {
        name: "snapshot".into(),
        command: "snapshot".into(),
        standalone: true,
        dev_dependencies: Vec::new(),
    }
}

/// The generated module files of `spec`, concatenated with their paths as headings.
fn generated_module(spec: &Path) -> String {
    let files = krate::generate(&[spec.to_path_buf()], &options())
        .unwrap_or_else(|error| panic!("{} does not generate: {error}", spec.display()));
    files
        .iter()
        .filter(|file| {
            !file.path.starts_with("src/runtime") && file.path.extension().is_some_and(|e| e == "rs")
        })
        .filter(|file| file.path != Path::new("src/lib.rs"))
        .map(|file| format!("==> {} <==\n{}", file.path.display(), file.contents))
        .collect::<Vec<_>>()
        .join("\n")
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

fn snapshot_all(dir: &Path, prefix: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("the crate directory exists");
    let specs = yaml_files(dir);
    assert!(!specs.is_empty(), "no specs in {}", dir.display());
    for spec in specs {
        let relative = spec.strip_prefix(root).map(Path::to_path_buf).unwrap_or(spec.clone());
        let name = format!("{prefix}{}", spec.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default());
        insta::assert_snapshot!(name, generated_module(&relative));
    }
}

#[test]
fn fixtures() {
    snapshot_all(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"), "fixture_");
}

#[test]
fn specs() {
    snapshot_all(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"), "spec_");
}
