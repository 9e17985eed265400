//! The command line from outside: exit codes, messages, and byte-identical output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-client"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the generator binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs the generator on a malformed spec and returns its single stderr line.
fn failure(spec: &str) -> String {
    let out = scratch(&format!("malformed-{spec}"));
    let output = generator(&[&format!("tests/malformed/{spec}"), "--out", out.to_str().unwrap_or_default()]);
    assert_eq!(output.status.code(), Some(1), "{spec} should fail with exit code 1");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one clear line: {stderr}");
    assert!(!out.exists(), "nothing is written for a broken spec");
    stderr
}

#[test]
fn bad_yaml_names_file_and_position() {
    let message = failure("bad-yaml.yaml");
    assert!(message.starts_with("error: tests/malformed/bad-yaml.yaml:"), "{message}");
    assert!(message.contains("invalid YAML"), "{message}");
}

#[test]
fn dangling_ref_names_the_pointer() {
    let message = failure("dangling-ref.yaml");
    assert!(
        message.contains(
            "tests/malformed/dangling-ref.yaml: #/paths/~1chats~1{chat-id}/patch/requestBody/content/application~1json/schema"
        ),
        "{message}"
    );
    assert!(message.contains("#/components/schemas/Missing` points to nothing"), "{message}");
}

#[test]
fn wrong_type_names_the_pointer() {
    let message = failure("wrong-type.yaml");
    assert!(message.contains("#/paths/~1chats~1{chat-id}/patch/parameters/0"), "{message}");
    assert!(message.contains("expected a boolean"), "{message}");
}

#[test]
fn undefined_security_scheme_is_an_error() {
    let message = failure("undefined-scheme.yaml");
    assert!(message.contains("#/paths/~1a/get/security/0"), "{message}");
    assert!(message.contains("`nope`"), "{message}");
}

#[test]
fn missing_file_is_an_error_not_a_panic() {
    let message = failure("does-not-exist.yaml");
    assert!(message.contains("cannot read the file"), "{message}");
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("generated directory is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let contents = std::fs::read(&path).expect("generated file is readable");
                files.push((path.strip_prefix(dir).expect("inside dir").to_path_buf(), contents));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn two_runs_write_identical_bytes() {
    let first = scratch("determinism-a");
    let second = scratch("determinism-b");
    for out in [&first, &second] {
        let output = generator(&["../specs/graph-v1.yaml", "--out", out.to_str().unwrap_or_default()]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let (a, b) = (read_tree(&first), read_tree(&second));
    assert!(a.len() > 5, "a whole crate is written");
    assert_eq!(a, b);
}

#[test]
fn a_rule_broken_with_a_clear_intent_is_a_warning_not_an_error() {
    let out = scratch("lenient");
    let output =
        generator(&["tests/fixtures/lenient_no_responses.yaml", "--out", out.to_str().unwrap_or_default()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warning = stderr.lines().next().unwrap_or_default();
    assert_eq!(
        warning,
        "warning: tests/fixtures/lenient_no_responses.yaml: #/paths/~1ping/post: `responses` is missing; read as none documented"
    );
}

#[test]
fn tests_flag_adds_one_test_per_operation_reading_the_mock_url() {
    let out = scratch("with-tests");
    let output =
        generator(&["tests/fixtures/parameters.yaml", "--out", out.to_str().unwrap_or_default(), "--tests"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tests =
        std::fs::read_to_string(out.join("tests/operations.rs")).expect("tests/operations.rs is written");
    syn::parse_file(&tests).expect("the tests parse");
    assert!(tests.contains("std::env::var(\"PARAMETERS_MOCK_URL\")"), "{tests}");
    for operation in ["async fn update_thing()", "async fn list_things()"] {
        assert!(tests.contains(operation), "{operation} in {tests}");
    }
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("[dev-dependencies]\ntokio"), "{manifest}");
}

#[test]
fn a_one_spec_crate_has_its_api_at_the_root() {
    let out = scratch("one-spec");
    let output =
        generator(&["../specs/graph-v1.yaml", "--out", out.to_str().unwrap_or_default(), "--name", "graph"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs is written");
    assert!(lib.contains("pub mod graph_v1;"), "{lib}");
    assert!(lib.contains("#[cfg(feature = \"graph_v1\")]\npub use self::graph_v1::*;"), "{lib}");
}

#[test]
fn spec_order_does_not_change_the_crate() {
    use generator::krate::{CrateOptions, generate};
    let options = CrateOptions {
        name: "both".into(),
        command: "test".into(),
        standalone: true,
        dev_dependencies: Vec::new(),
        tests: false,
        filter: Default::default(),
        doc_examples: true,
        split_types: None,
        types: Default::default(),
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let a = root.join("tests/fixtures/enums.yaml");
    let b = root.join("tests/fixtures/objects.yaml");
    let forward = generate(&[a.clone(), b.clone()], &options).expect("fixtures generate").files;
    let backward = generate(&[b, a], &options).expect("fixtures generate").files;
    assert_eq!(forward, backward);
}

/// Runs the command in `dir` with `args`.
fn generator_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-client"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the generator binary runs")
}

#[test]
fn a_configuration_file_in_the_folder_is_all_the_command_needs() {
    let dir = scratch("configured");
    std::fs::create_dir_all(&dir).expect("a folder");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/filtered/tagged.yaml");
    std::fs::copy(&fixture, dir.join("api.yaml")).expect("the spec is copied");
    std::fs::write(
        dir.join("openapi-client.toml"),
        "specs = [\"api.yaml\"]\nout = \"client\"\nname = \"chats\"\n[filter]\ntags = [\"chats\"]\n",
    )
    .expect("written");

    let output = generator_in(&dir, &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let operations = std::fs::read_to_string(dir.join("client/src/api/operations.rs")).expect("written");
    assert!(operations.contains("pub fn get_chat("), "the configured tag is kept");
    assert!(!operations.contains("pub fn list_users("), "other tags are left out");
    let manifest = std::fs::read_to_string(dir.join("client/Cargo.toml")).expect("written");
    assert!(manifest.contains("name = \"chats\""), "{manifest}");

    // A flag replaces the file's list.
    let output = generator_in(&dir, &["--config", "openapi-client.toml", "--tag", "users"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let operations = std::fs::read_to_string(dir.join("client/src/api/operations.rs")).expect("written");
    assert!(operations.contains("pub fn list_users(") && !operations.contains("pub fn get_chat("));
    assert!(operations.contains("/// # Example"), "doc examples by default");

    let output = generator_in(&dir, &["--no-doc-examples"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let operations = std::fs::read_to_string(dir.join("client/src/api/operations.rs")).expect("written");
    assert!(!operations.contains("/// # Example"), "left out when asked");
}

#[test]
fn without_a_spec_or_a_configuration_the_command_says_what_it_needs() {
    let dir = scratch("unconfigured");
    std::fs::create_dir_all(&dir).expect("a folder");
    let output = generator_in(&dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no OpenAPI document given") && stderr.contains("openapi-client.toml"),
        "{stderr}"
    );
}

#[test]
fn a_broken_filter_glob_is_a_clear_error() {
    let out = scratch("broken-glob");
    let output = generator(&[
        "tests/fixtures/paging.yaml",
        "--out",
        out.to_str().unwrap_or_default(),
        "--operation",
        "[",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`[` is not a glob"), "{stderr}");
}

#[test]
fn changes_flag_reports_the_public_api_changes_before_replacing_the_crate() {
    let out = scratch("changes");
    let out_arg = out.to_str().unwrap_or_default();
    let run = |spec: &str| {
        let output = generator(&[spec, "--out", out_arg, "--changes"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let first = run("tests/fixtures/changes/before/pets.yaml");
    assert!(first.starts_with(&format!("changes: {out_arg} holds no crate yet")), "{first}");

    let second = run("tests/fixtures/changes/after/pets.yaml");
    let lines: Vec<&str> = second.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(format!("changes to the crate in {out_arg}:").as_str()),
        "{second}"
    );
    assert!(lines.contains(&"breaking   pets: Client::delete_pet: method removed"), "{second}");
    assert!(lines.contains(&"compatible pets: Client::update_pet: method added"), "{second}");
    // The report (whose every line the `changes` snapshot holds) comes before the crate is
    // replaced, and ends with the counts.
    let summary = lines.iter().position(|line| line.ends_with("changes to the public API"));
    let wrote = lines.iter().position(|line| line.starts_with("wrote "));
    assert!(summary.is_some() && summary < wrote, "{second}");
    assert!(second.contains("14 breaking, 10 compatible changes to the public API"), "{second}");
    let operations = std::fs::read_to_string(out.join("src/pets/operations.rs")).expect("written");
    assert!(operations.contains("pub fn update_pet("), "the new crate is written");

    // Without the flag, nothing is compared.
    let output = generator(&["tests/fixtures/changes/before/pets.yaml", "--out", out_arg]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && !stderr.contains("public API"), "{stderr}");
}

/// Generates the paging fixture into `out` with `layout` (`--split-types` or
/// `--no-split-types`), which must succeed: its stderr.
fn generate_paging(out: &Path, layout: &str) -> String {
    let output =
        generator(&["tests/fixtures/paging.yaml", "--out", out.to_str().unwrap_or_default(), layout]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

#[test]
fn regenerating_in_two_crates_removes_the_files_the_one_crate_had_and_keeps_the_others() {
    let out = scratch("relayout");
    generate_paging(&out, "--no-split-types");
    assert!(out.join("src/runtime/client.rs").exists() && out.join("src/paging/types.rs").exists());
    std::fs::create_dir_all(out.join("tests")).expect("a tests folder");
    std::fs::write(out.join("tests/mine.rs"), "// written by hand\n").expect("written");
    let other_tool = "// @generated by `prost-build`\n";
    std::fs::write(out.join("src/proto.rs"), other_tool).expect("written");

    let stderr = generate_paging(&out, "--split-types");
    assert!(!out.join("src/runtime").join("client.rs").exists(), "{stderr}");
    assert!(!out.join("src/paging/types.rs").exists(), "{stderr}");
    assert!(out.join("types/src/paging/types.rs").exists());
    assert!(out.join("tests/mine.rs").exists(), "a hand-written file is kept");
    assert!(out.join("src/proto.rs").exists(), "another tool's generated file is kept");
    assert!(stderr.contains("types.rs, which is no longer generated"), "{stderr}");
}

#[test]
fn regenerating_in_one_crate_removes_the_types_crate_and_its_folders() {
    let out = scratch("relayout-back");
    generate_paging(&out, "--split-types");
    assert!(out.join("types/src/runtime/client.rs").exists());

    generate_paging(&out, "--no-split-types");
    assert!(out.join("src/runtime/client.rs").exists());
    assert!(!out.join("types").exists(), "the types crate's folders are gone");
}
