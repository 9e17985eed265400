//! "Parses" is not "compiles": a batch of random specs generated into one crate (a module per
//! spec, with `--tests`' `tests/operations.rs`) and checked by `cargo check`. Ignored by default
//! (the first run builds the generated crates' dependencies, minutes on two cores); run it with
//!
//! ```sh
//! cargo test -p generator --test robustness -- --ignored random_specs_compile
//! ```
//!
//! `RANDOM_SPECS` sets the batch size (40), `RANDOM_SPECS_SEED` the seed (0), so a failing
//! batch can be made again. The crate is left in `target/tmp/random-specs/` to look at; its
//! dependencies are built once in `target/tmp/random-specs-target/` at the versions of the
//! workspace's `Cargo.lock` (the ones `generated-client` is tested with).

use super::{generate, random_spec};
use generator::krate::{self, CrateOptions};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `count` random specs that generate (specs with a dangling reference are skipped), from `seed`.
fn random_specs(count: usize, seed: u64) -> Vec<serde_json::Value> {
    let mut seed_bytes = [0; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = random_spec();
    let mut specs = Vec::with_capacity(count);
    while specs.len() < count {
        let spec = strategy.new_tree(&mut runner).expect("a random spec").current();
        if generate(&spec.to_string()).is_ok() {
            specs.push(spec);
        }
    }
    specs
}

/// Generates `count` random specs from `seed` into one crate under `scratch` and runs
/// `cargo check` on its library and tests; `Err` holds cargo's diagnostics.
fn check_random_specs(scratch: &Path, target: &Path, count: usize, seed: u64) -> Result<String, String> {
    let _ = std::fs::remove_dir_all(scratch);
    let specs_dir = scratch.join("specs");
    std::fs::create_dir_all(&specs_dir)
        .map_err(|error| format!("cannot create {}: {error}", specs_dir.display()))?;
    let mut specs = Vec::with_capacity(count);
    for (index, spec) in random_specs(count, seed).iter().enumerate() {
        let file = PathBuf::from(format!("r{index:03}.json"));
        let text = serde_json::to_string_pretty(spec).map_err(|error| error.to_string())?;
        std::fs::write(specs_dir.join(&file), text)
            .map_err(|error| format!("cannot write a spec: {error}"))?;
        specs.push(file);
    }
    let options = CrateOptions {
        name: "random-specs".into(),
        command: "robustness::random_specs_compile".into(),
        standalone: true,
        dev_dependencies: Vec::new(),
        tests: true,
        filter: Default::default(),
        doc_examples: true,
        split_types: None,
        types: Default::default(),
    };
    let generated = krate::generate_in(&specs_dir, &specs, &options).map_err(|error| error.to_string())?;
    let crate_dir = scratch.join("crate");
    krate::write(&crate_dir, &generated.files).map_err(|error| format!("cannot write the crate: {error}"))?;
    // The workspace's lock file: the dependency versions generated-client is built with, and no
    // registry lookup when they are cached.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(&lock, crate_dir.join("Cargo.lock"))
        .map_err(|error| format!("cannot copy Cargo.lock: {error}"))?;
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["check", "--lib", "--tests", "--message-format", "short"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let diagnostics = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() { Ok(diagnostics) } else { Err(diagnostics) }
}

#[test]
#[ignore = "runs cargo check on a generated crate; minutes on the first run"]
fn random_specs_compile() {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .map_or(default, |value| value.parse().unwrap_or_else(|_| panic!("{name}={value}")))
    };
    let count = number("RANDOM_SPECS", 40);
    let seed = number("RANDOM_SPECS_SEED", 0);
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let scratch = tmp.join("random-specs");
    let result = check_random_specs(&scratch, &tmp.join("random-specs-target"), count as usize, seed);
    match result {
        Ok(diagnostics) => {
            // Warnings in generated code are findings too (smoke holds real specs to
            // `clippy -D warnings`); dependencies' lines do not name the crate's files.
            let warnings: Vec<&str> = diagnostics.lines().filter(|line| line.contains("warning:")).collect();
            assert!(
                warnings.iter().all(|line| !line.starts_with("src/") && !line.starts_with("tests/")),
                "{count} random specs (seed {seed}) compile with warnings, in {}:\n{diagnostics}",
                scratch.display()
            );
        }
        Err(diagnostics) => {
            panic!(
                "{count} random specs (seed {seed}) do not compile, in {}:\n{diagnostics}",
                scratch.display()
            )
        }
    }
}
