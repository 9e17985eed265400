//! `cargo xtask smoke`: every spec of the smoke corpus must generate, and the generated crates
//! must pass `cargo clippy -D warnings`, checked together in one scratch workspace. The
//! generator's own fixtures join them as one crate with a module per fixture.

use generator::krate::{self, CrateOptions};
use std::path::Path;

/// Where the smoke corpus lives, relative to the workspace root.
const CORPUS: &str = "../shared/corpus/smoke";

pub fn run(root: &Path) -> Result<(), String> {
    let corpus = root.join(CORPUS);
    let specs = crate::files_with_extension(&corpus, "json")?;
    let scratch = root.join("target/smoke");
    let _ = std::fs::remove_dir_all(&scratch);

    let mut members = Vec::new();
    let mut failures = Vec::new();
    for spec in &specs {
        let name = krate::package_name(spec);
        let options = CrateOptions {
            name: name.clone(),
            command: "cargo xtask smoke".into(),
            standalone: false,
            dev_dependencies: Vec::new(),
            tests: false,
            filter: Default::default(),
            doc_examples: true,
            split_types: None,
            types: Default::default(),
        };
        match krate::generate(std::slice::from_ref(spec), &options) {
            Ok(generated) => {
                krate::write(&scratch.join(&name), &generated.files)
                    .map_err(|error| format!("cannot write: {error}"))?;
                members.push(name);
            }
            Err(error) => failures.push(error.to_string()),
        }
    }
    println!("generated {}/{} smoke specs", members.len(), specs.len());
    let fixtures = crate::files_with_extension(&root.join("generator/tests/fixtures"), "yaml")?;
    let options = CrateOptions {
        name: "fixtures".into(),
        command: "cargo xtask smoke".into(),
        standalone: false,
        dev_dependencies: Vec::new(),
        tests: false,
        filter: Default::default(),
        doc_examples: true,
        // The smoke specs hold the one-crate layout to clippy; the fixtures, every construct
        // and a module without types, hold the split one.
        split_types: Some(true),
        types: Default::default(),
    };
    let generated =
        krate::generate(&fixtures, &options).map_err(|error| format!("a fixture fails: {error}"))?;
    krate::write(&scratch.join("fixtures"), &generated.files)
        .map_err(|error| format!("cannot write: {error}"))?;
    members.push("fixtures".into());
    for failure in &failures {
        println!("  failed: {failure}");
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.iter().map(|member| format!("\"{member}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).map_err(|error| format!("cannot write: {error}"))?;
    let status = crate::cargo()
        .args(["clippy", "--workspace", "--keep-going", "--quiet", "--", "-D", "warnings"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target/smoke-target"))
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("generated smoke crates do not pass `cargo clippy -D warnings`".into());
    }
    println!("{} generated crates pass `cargo clippy -D warnings`", members.len());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{} smoke specs failed to generate", failures.len()))
    }
}
