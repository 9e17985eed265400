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
        filter: Default::default(),
        doc_examples: true,
        split_types: None,
        types: Default::default(),
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

#[test]
fn a_filtered_fixture_keeps_the_operations_asked_for_and_the_types_they_reach() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let filter = generator::model::Filter {
        tags: vec!["chats".into()],
        operations: vec!["audit*".into()],
        exclude_operations: vec!["delete*".into()],
        ..Default::default()
    };
    let options = CrateOptions { filter, ..options() };
    let spec = Path::new("tests/fixtures/filtered/tagged.yaml");
    let generated = krate::generate_in(root, &[spec.to_path_buf()], &options).expect("generates");
    let sources = generated
        .files
        .iter()
        .filter(|file| file.path.starts_with("src/tagged"))
        .map(|file| format!("==> {} <==\n{}", file.path.display(), file.contents))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("filtered_tagged", sources);
}

#[test]
fn configured_types_are_replaced_renamed_and_given_derives_and_attributes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let types: generator::model::TypeOptions = toml::from_str(
        r##"
        derives = ["Eq"]
        replace = { Timestamp = "chrono::DateTime<chrono::Utc>" }
        rename = { Order = "PurchaseOrder" }
        derive = { Order = ["Hash", "Eq"] }
        attributes = { Order = ["#[non_exhaustive]"] }
        "##,
    )
    .expect("the [types] table reads");
    let options = CrateOptions { types, ..options() };
    let spec = Path::new("tests/fixtures/rust_types.yaml");
    let generated = krate::generate_in(root, &[spec.to_path_buf()], &options).expect("generates");
    let types = generated.files.iter().find(|file| file.path.ends_with("types.rs")).expect("a types file");
    insta::assert_snapshot!("customized_types", types.contents);
}

#[test]
fn kept_unknown_members_give_every_open_struct_a_map_and_leave_closed_ones_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let types = generator::model::TypeOptions { keep_unknown_members: true, ..Default::default() };
    let options = CrateOptions { types, ..options() };
    let spec = Path::new("tests/fixtures/unknown_members.yaml");
    let generated = krate::generate_in(root, &[spec.to_path_buf()], &options).expect("generates");
    let types = generated.files.iter().find(|file| file.path.ends_with("types.rs")).expect("a types file");
    insta::assert_snapshot!("unknown_members_kept", types.contents);
}

#[test]
fn a_configured_name_that_is_no_schema_is_an_error_naming_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let types: generator::model::TypeOptions = toml::from_str("rename = { Ordr = \"X\" }").expect("reads");
    let options = CrateOptions { types, ..options() };
    let spec = Path::new("tests/fixtures/rust_types.yaml");
    let error = krate::generate_in(root, &[spec.to_path_buf()], &options).expect_err("refused");
    assert_eq!(error.location, "#/types/rename/Ordr");
    assert!(error.message.contains("no schema `Ordr`"), "{error}");
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

/// With `split_types`, the types and the runtime move unchanged to a crate in `types/`, and
/// the client crate depends on it and re-exports them where they were.
#[test]
fn split_types_move_to_a_crate_the_client_re_exports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Types and operations; only operations; only types.
    let specs =
        ["paging", "mutual_tls", "enums"].map(|name| PathBuf::from(format!("tests/fixtures/{name}.yaml")));
    let whole = krate::generate_in(root, &specs, &options()).expect("generates");
    let split = krate::generate_in(root, &specs, &CrateOptions { split_types: Some(true), ..options() })
        .expect("generates split");
    let contents = |generated: &krate::Generated, path: &str| {
        let file = generated.files.iter().find(|file| file.path == Path::new(path));
        file.map(|file| file.contents.clone()).unwrap_or_else(|| panic!("no {path}"))
    };
    let mut moved = Vec::new();
    for module in ["paging", "enums"] {
        moved.push((format!("src/{module}/types.rs"), format!("types/src/{module}/types.rs")));
    }
    for file in whole.files.iter().filter(|file| file.path.starts_with("src/runtime")) {
        let path = file.path.display().to_string();
        moved.push((path.clone(), format!("types/{path}")));
    }
    for (from, to) in &moved {
        assert_eq!(contents(&whole, from), contents(&split, to), "{from} is not {to}");
    }
    assert_eq!(contents(&whole, "src/paging/operations.rs"), contents(&split, "src/paging/operations.rs"));
    let mut rest: Vec<&krate::File> = split
        .files
        .iter()
        .filter(|file| !moved.iter().any(|(_, to)| file.path == Path::new(to)))
        .filter(|file| !file.path.ends_with("operations.rs"))
        .collect();
    rest.sort_by(|a, b| a.path.cmp(&b.path));
    let shown: Vec<String> =
        rest.iter().map(|file| format!("==> {} <==\n{}", file.path.display(), file.contents)).collect();
    insta::assert_snapshot!("split_types", shown.join("\n"));
}

/// Unless told, a crate splits from `SPLIT_TYPES_FROM` types on, not below.
#[test]
fn crates_of_many_types_split_by_default() {
    let dir = std::env::temp_dir().join(format!("openapi-client-many-types-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let spec_with = |types: usize| {
        let schemas: String = (0..types)
            .map(|index| {
                format!("    S{index}: {{type: object, properties: {{p{index}: {{type: string}}}}}}\n")
            })
            .collect();
        let path = dir.join(format!("types{types}.yaml"));
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        std::fs::write(&path, text).expect("written");
        path
    };
    let split = |spec: PathBuf, split_types: Option<bool>| {
        let generated =
            krate::generate(&[spec], &CrateOptions { split_types, ..options() }).expect("generates");
        generated.types_crate_written()
    };
    let (below, at) = (spec_with(krate::SPLIT_TYPES_FROM - 1), spec_with(krate::SPLIT_TYPES_FROM));
    assert!(!split(below.clone(), None), "one type fewer than the threshold: one crate");
    assert!(split(at.clone(), None), "at the threshold: two crates");
    assert!(!split(at, Some(false)), "told not to split");
    assert!(split(below, Some(true)), "told to split");
}
