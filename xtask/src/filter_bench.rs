//! `cargo xtask bench-filter`: what filtering saves a user who needs a few operations of a
//! large API. The spec is generated whole and filtered to one tag, both crates are checked
//! with their dependencies already built, and generation and `cargo check` are timed (peak
//! memory of rustc by `/usr/bin/time`).

use crate::compile_bench;
use crate::corpus;
use std::path::Path;
use std::time::Instant;

/// Graph v1.0 in the corpus collection, and one of its tags.
const DEFAULT_SPEC: &str = "microsoft.com/graph.json";
const DEFAULT_TAG: &str = "chats.chat";

pub fn run(root: &Path, spec: Option<String>, tag: Option<String>) -> Result<(), String> {
    let spec = spec.unwrap_or_else(|| DEFAULT_SPEC.to_owned());
    let tag = tag.unwrap_or_else(|| DEFAULT_TAG.to_owned());
    let generator = crate::build_release(root, "generator", "openapi-client")?;
    let spec_path = corpus::install_directory(root)?.join(&spec);
    let scratch = root.join("target/bench-filter");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .map_err(|error| format!("cannot create {}: {error}", scratch.display()))?;
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"whole\", \"filtered\"]\n",
    )
    .map_err(|error| format!("cannot write the workspace: {error}"))?;

    let mut rows = Vec::new();
    for (name, filter) in [("filtered", vec!["--tag", tag.as_str()]), ("whole", Vec::new())] {
        let out = scratch.join(name);
        let started = Instant::now();
        let generated = std::process::Command::new(&generator)
            .arg(&spec_path)
            .args(["--out", &out.to_string_lossy(), "--name", name, "--workspace-member"])
            .args(&filter)
            .output()
            .map_err(|error| format!("cannot run the generator: {error}"))?;
        if !generated.status.success() {
            return Err(format!("{name}: {}", String::from_utf8_lossy(&generated.stderr).trim()));
        }
        let generate_s = started.elapsed().as_secs_f64();
        let lines = crate::openapi_generator::rust_lines(&out.join("src"));
        rows.push((name, generate_s, lines));
    }

    // Dependencies first, so that each check below compiles the client crate only.
    check(&scratch, "filtered")?;
    compile_bench::clean(&scratch, "filtered")?;
    println!("{:<9} {:>12} {:>10} {:>10} {:>12}", "crate", "generate s", "lines", "check s", "peak MB");
    let mut checks = Vec::new();
    for (name, generate_s, lines) in rows {
        let (check_s, peak_mb) = check(&scratch, name)?;
        println!("{name:<9} {generate_s:>12.2} {lines:>10} {check_s:>10.1} {peak_mb:>12.0}");
        checks.push(check_s);
    }
    if let [filtered, whole] = checks.as_slice() {
        println!("filtered to tag `{tag}`: {:.1} % of the whole spec's check time", filtered / whole * 100.0);
    }
    Ok(())
}

/// `cargo check -p name`: seconds and rustc's peak memory in MB.
fn check(scratch: &Path, name: &str) -> Result<(f64, f64), String> {
    let measured = compile_bench::timed_cargo(scratch, "check", name)?;
    Ok((measured.seconds, measured.peak_mb))
}
