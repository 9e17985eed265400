//! `cargo xtask bench-filter`: what filtering saves a user who needs a few operations of a
//! large API. The spec is generated whole and filtered to one tag, both crates are checked
//! with their dependencies already built, and generation and `cargo check` are timed (peak
//! memory of rustc by `/usr/bin/time`).

use crate::compile_bench;
use crate::corpus;
use std::path::Path;

/// Graph v1.0 in the corpus collection, and one of its tags.
const DEFAULT_SPEC: &str = "microsoft.com/graph.json";
const DEFAULT_TAG: &str = "chats.chat";

pub fn run(root: &Path, spec: Option<String>, tag: Option<String>) -> Result<(), String> {
    let spec = spec.unwrap_or_else(|| DEFAULT_SPEC.to_owned());
    let tag = tag.unwrap_or_else(|| DEFAULT_TAG.to_owned());
    let generator = crate::build_release(root, "generator", "openapi-client")?;
    let spec_path = corpus::install_directory(root)?.join(&spec);
    let scratch = root.join("target/bench-filter");
    compile_bench::prepare_workspace(&scratch, &["whole", "filtered"])?;
    let mut rows = Vec::new();
    for (name, filter) in [("filtered", vec!["--tag", tag.as_str()]), ("whole", Vec::new())] {
        let (generate_s, lines) =
            compile_bench::generate_member(&generator, &spec_path, &scratch, name, &filter)?;
        rows.push((name, generate_s, lines));
    }
    compile_bench::build_dependencies(&scratch, "check")?;
    println!("{:<9} {:>12} {:>10} {:>10} {:>12}", "crate", "generate s", "lines", "check s", "peak MB");
    let mut checks = Vec::new();
    for (name, generate_s, lines) in rows {
        let check = compile_bench::timed_cargo(&scratch, "check", name)?;
        println!("{name:<9} {generate_s:>12.2} {lines:>10} {:>10.1} {:>12.0}", check.seconds, check.peak_mb);
        checks.push(check.seconds);
    }
    if let [filtered, whole] = checks.as_slice() {
        println!("filtered to tag `{tag}`: {:.1} % of the whole spec's check time", filtered / whole * 100.0);
    }
    Ok(())
}
