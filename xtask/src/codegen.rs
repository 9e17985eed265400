//! `cargo xtask codegen`: keeps `generated-client/` equal to what the generator makes of `specs/`.

use generator::krate::{self, CrateOptions, File};
use similar::TextDiff;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const CLIENT_DIR: &str = "generated-client";

/// How `generated-client/` differs from what the generator makes of `specs/`.
struct Staleness {
    files: Vec<File>,
    /// Generated files whose contents differ, with what is on disk now (empty when missing).
    changed: Vec<(File, String)>,
    /// Files on disk that no spec generates.
    extra: Vec<PathBuf>,
}

impl Staleness {
    fn of(root: &Path) -> Result<Self, String> {
        let files = generate(root)?;
        let client = root.join(CLIENT_DIR);
        let wanted: BTreeSet<PathBuf> = files.iter().map(|file| file.path.clone()).collect();
        let extra = owned_files(&client)?.into_iter().filter(|path| !wanted.contains(path)).collect();
        let changed = files
            .iter()
            .filter_map(|file| {
                let current = std::fs::read_to_string(client.join(&file.path)).unwrap_or_default();
                (current != file.contents).then(|| (file.clone(), current))
            })
            .collect();
        Ok(Staleness { files, changed, extra })
    }

    fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.extra.is_empty()
    }

    /// A unified diff of every change and a line per extra file.
    fn report(&self) -> String {
        let mut text = String::new();
        for (file, current) in &self.changed {
            let path = Path::new(CLIENT_DIR).join(&file.path).display().to_string();
            let diff = TextDiff::from_lines(current.as_str(), file.contents.as_str());
            text.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{path}"), &format!("b/{path}"))
                    .to_string(),
            );
        }
        for path in &self.extra {
            text.push_str(&format!("{CLIENT_DIR}/{} is not generated from any spec\n", path.display()));
        }
        text.push_str(&format!(
            "{CLIENT_DIR} is stale ({} changed, {} extra files); run `cargo xtask codegen`",
            self.changed.len(),
            self.extra.len()
        ));
        text
    }
}

/// Regenerates the client, or with `check` only compares and reports.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let staleness = Staleness::of(root)?;
    if check {
        if staleness.is_fresh() {
            println!("{CLIENT_DIR} is up to date ({} files)", staleness.files.len());
            return Ok(());
        }
        return Err(staleness.report());
    }
    let client = root.join(CLIENT_DIR);
    for (file, current) in &staleness.changed {
        let verb = if current.is_empty() { "created" } else { "updated" };
        println!("{verb} {CLIENT_DIR}/{}", file.path.display());
    }
    let changed: Vec<File> = staleness.changed.iter().map(|(file, _)| file.clone()).collect();
    krate::write(&client, &changed).map_err(|error| format!("cannot write {CLIENT_DIR}: {error}"))?;
    for path in &staleness.extra {
        std::fs::remove_file(client.join(path))
            .map_err(|error| format!("cannot remove {}: {error}", path.display()))?;
        println!("removed {CLIENT_DIR}/{}", path.display());
    }
    println!(
        "{} files changed, {} removed, {} unchanged",
        changed.len(),
        staleness.extra.len(),
        staleness.files.len() - changed.len()
    );
    Ok(())
}

/// The crate as the generator makes it from every `specs/*.yaml`.
fn generate(root: &Path) -> Result<Vec<File>, String> {
    let specs: Vec<PathBuf> = crate::spec_files(root)?
        .into_iter()
        .filter_map(|path| path.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
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
    // Paths relative to the root keep `@generated` lines the same on every machine.
    let generated = krate::generate_in(root, &specs, &options).map_err(|error| error.to_string())?;
    // specs/ are lint-clean: anything read leniently there is a mistake to fix.
    match generated.warnings.first() {
        Some(warning) => Err(format!("{warning} (specs/ must not need lenient reading)")),
        None => Ok(generated.files),
    }
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

#[cfg(test)]
mod tests {
    use super::Staleness;

    /// `cargo test` fails as soon as a spec, the generator or its runtime changes without
    /// `cargo xtask codegen`, instead of testing the old copy in `generated-client`.
    #[test]
    fn generated_client_is_up_to_date() {
        let staleness = Staleness::of(&crate::root()).unwrap_or_else(|error| panic!("{error}"));
        assert!(staleness.is_fresh(), "{}", staleness.report());
    }
}
