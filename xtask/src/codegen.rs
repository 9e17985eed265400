//! `cargo xtask codegen`: keeps `generated-client/` equal to what the generator makes of `specs/`.

use generator::krate::{self, CrateOptions, File};
use similar::TextDiff;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const CLIENT_DIR: &str = "generated-client";

/// Regenerates the client, or with `check` only compares and reports.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let files = generate(root)?;
    let client = root.join(CLIENT_DIR);
    let wanted: BTreeSet<PathBuf> = files.iter().map(|file| file.path.clone()).collect();
    let stale: Vec<PathBuf> =
        owned_files(&client)?.into_iter().filter(|path| !wanted.contains(path)).collect();

    let mut changed = Vec::new();
    for file in &files {
        let current = std::fs::read_to_string(client.join(&file.path)).unwrap_or_default();
        if current != file.contents {
            changed.push((file, current));
        }
    }
    if check {
        if changed.is_empty() && stale.is_empty() {
            println!("{CLIENT_DIR} is up to date ({} files)", files.len());
            return Ok(());
        }
        for (file, current) in &changed {
            let path = Path::new(CLIENT_DIR).join(&file.path).display().to_string();
            let diff = TextDiff::from_lines(current.as_str(), file.contents.as_str());
            print!(
                "{}",
                diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}"))
            );
        }
        for path in &stale {
            println!("{CLIENT_DIR}/{} is not generated from any spec", path.display());
        }
        return Err(format!(
            "{CLIENT_DIR} is stale ({} changed, {} extra files); run `cargo xtask codegen`",
            changed.len(),
            stale.len()
        ));
    }
    for (file, current) in &changed {
        let verb = if current.is_empty() { "created" } else { "updated" };
        println!("{verb} {CLIENT_DIR}/{}", file.path.display());
    }
    krate::write(&client, &changed.iter().map(|(file, _)| (*file).clone()).collect::<Vec<_>>())
        .map_err(|error| format!("cannot write {CLIENT_DIR}: {error}"))?;
    for path in &stale {
        std::fs::remove_file(client.join(path))
            .map_err(|error| format!("cannot remove {}: {error}", path.display()))?;
        println!("removed {CLIENT_DIR}/{}", path.display());
    }
    println!(
        "{} files changed, {} removed, {} unchanged",
        changed.len(),
        stale.len(),
        files.len() - changed.len()
    );
    Ok(())
}

/// The crate as the generator makes it from every `specs/*.yaml`.
fn generate(root: &Path) -> Result<Vec<File>, String> {
    let specs: Vec<PathBuf> = crate::spec_files(root)?
        .into_iter()
        .filter_map(|path| path.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    // Paths relative to the root keep `@generated` lines the same on every machine.
    std::env::set_current_dir(root).map_err(|error| format!("cannot enter {}: {error}", root.display()))?;
    let options = CrateOptions {
        name: CLIENT_DIR.into(),
        command: "cargo xtask codegen".into(),
        standalone: false,
        dev_dependencies: vec![
            r#"serde_json = "1""#.into(),
            r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#.into(),
            r#"tracing = "0.1""#.into(),
            r#"wiremock = "0.6""#.into(),
        ],
    };
    krate::generate(&specs, &options).map_err(|error| error.to_string())
}

/// Files under the client's `Cargo.toml` and `src/`, which the generator owns.
fn owned_files(client: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    if client.join("Cargo.toml").exists() {
        found.push(PathBuf::from("Cargo.toml"));
    }
    let mut pending = vec![PathBuf::from("src")];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(client.join(&dir)) else { continue };
        for entry in entries {
            let entry = entry.map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
            let relative = dir.join(entry.file_name());
            if entry.path().is_dir() {
                pending.push(relative);
            } else {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}
