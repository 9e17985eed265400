//! The report of public API changes on a fixture pair: `fixtures/changes/before/pets.yaml` and
//! `after/pets.yaml`, which differ in each way the report tells apart. Both are generated and
//! compared as `openapi-client --changes` and `cargo xtask codegen` compare them.

use generator::changes::{self, PublicApi};
use generator::krate::{self, CrateOptions};
use std::path::Path;

fn options() -> CrateOptions {
    CrateOptions {
        name: "pets".into(),
        command: "changes".into(),
        standalone: true,
        dev_dependencies: Vec::new(),
        tests: false,
        filter: Default::default(),
        doc_examples: true,
        split_types: None,
        types: Default::default(),
    }
}

fn api(spec: &str) -> PublicApi {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = krate::generate_in(root, &[spec.into()], &options())
        .unwrap_or_else(|error| panic!("{spec} does not generate: {error}"));
    PublicApi::of_files(&generated.files).unwrap_or_else(|error| panic!("{spec}: {error}"))
}

#[test]
fn the_fixture_pair_reports_each_kind_of_change() {
    let before = api("tests/fixtures/changes/before/pets.yaml");
    let after = api("tests/fixtures/changes/after/pets.yaml");
    insta::assert_snapshot!("changes_pets", changes::compare(&before, &after).to_string());
}

#[test]
fn every_fixture_is_read_and_equal_to_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty());
    for spec in specs {
        let relative = spec.strip_prefix(root).unwrap_or(&spec).display().to_string();
        let api = api(&relative);
        assert_eq!(changes::compare(&api, &api).to_string(), "no change to the public API", "{relative}");
    }
}

#[test]
fn splitting_the_types_into_a_crate_of_their_own_changes_no_public_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = Path::new("tests/fixtures/changes/after/pets.yaml").to_path_buf();
    let whole = krate::generate_in(root, std::slice::from_ref(&spec), &options()).expect("generates");
    let split = krate::generate_in(root, &[spec], &CrateOptions { split_types: Some(true), ..options() })
        .expect("generates split");
    let whole = PublicApi::of_files(&whole.files).expect("reads");
    let in_memory = PublicApi::of_files(&split.files).expect("reads split");
    assert_eq!(changes::compare(&whole, &in_memory).to_string(), "no change to the public API");
    // And from disk, as `--changes` reads the crate it replaces.
    let dir = std::env::temp_dir().join(format!("openapi-client-split-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    krate::write(&dir, &split.files).expect("written");
    let on_disk = PublicApi::read(&dir).expect("reads").expect("a crate");
    assert_eq!(changes::compare(&whole, &on_disk).to_string(), "no change to the public API");
}
