//! `cargo xtask codegen`: keeps the checked-in generated crates equal to what the generator
//! makes of their specs: `generated-client/` from `specs/`, and `fixture-client/` from the
//! fixtures whose constructs are tested over HTTP (streams, events…).

use generator::krate::{self, CrateOptions, File};
use similar::TextDiff;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A checked-in generated crate.
struct Target {
    dir: &'static str,
    /// The specs it is made of, relative to the workspace root.
    specs: fn(&Path) -> Result<Vec<PathBuf>, String>,
}

/// The fixtures whose constructs `fixture-client/tests/` exercise over real HTTP, and the one
/// whose generated example tests show each kind of example round-tripping.
const FIXTURE_CLIENT_SPECS: &[&str] = &[
    "generator/tests/fixtures/composition.yaml",
    "generator/tests/fixtures/examples.yaml",
    "generator/tests/fixtures/multipart.yaml",
    "generator/tests/fixtures/paging.yaml",
    "generator/tests/fixtures/streaming.yaml",
];

const TARGETS: &[Target] = &[
    Target { dir: "generated-client", specs: |root| crate::spec_files(root) },
    Target {
        dir: "fixture-client",
        specs: |root| Ok(FIXTURE_CLIENT_SPECS.iter().map(|spec| root.join(spec)).collect()),
    },
];

/// How a checked-in crate differs from what the generator makes of its specs.
struct Staleness {
    dir: &'static str,
    files: Vec<File>,
    /// Generated files whose contents differ, with what is on disk now (empty when missing).
    changed: Vec<(File, String)>,
    /// Files on disk that no spec generates.
    extra: Vec<PathBuf>,
}

impl Staleness {
    fn of(root: &Path, target: &Target) -> Result<Self, String> {
        let files = generate(root, target)?;
        let client = root.join(target.dir);
        let wanted: BTreeSet<PathBuf> = files.iter().map(|file| file.path.clone()).collect();
        let extra = owned_files(&client)?.into_iter().filter(|path| !wanted.contains(path)).collect();
        let changed = files
            .iter()
            .filter_map(|file| {
                let current = std::fs::read_to_string(client.join(&file.path)).unwrap_or_default();
                (current != file.contents).then(|| (file.clone(), current))
            })
            .collect();
        Ok(Staleness { dir: target.dir, files, changed, extra })
    }

    fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.extra.is_empty()
    }

    /// A unified diff of every change and a line per extra file.
    fn report(&self) -> String {
        let mut text = String::new();
        for (file, current) in &self.changed {
            let path = Path::new(self.dir).join(&file.path).display().to_string();
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
            text.push_str(&format!("{}/{} is not generated from any spec\n", self.dir, path.display()));
        }
        text.push_str(&format!(
            "{} is stale ({} changed, {} extra files); run `cargo xtask codegen`",
            self.dir,
            self.changed.len(),
            self.extra.len()
        ));
        text
    }
}

/// Regenerates the checked-in crates, or with `check` only compares and reports.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let mut problems = Vec::new();
    for target in TARGETS {
        let staleness = Staleness::of(root, target)?;
        if check {
            if staleness.is_fresh() {
                println!("{} is up to date ({} files)", target.dir, staleness.files.len());
            } else {
                problems.push(staleness.report());
            }
            continue;
        }
        staleness.write(root)?;
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

impl Staleness {
    fn write(&self, root: &Path) -> Result<(), String> {
        let dir = self.dir;
        let client = root.join(dir);
        for (file, current) in &self.changed {
            let verb = if current.is_empty() { "created" } else { "updated" };
            println!("{verb} {dir}/{}", file.path.display());
        }
        let changed: Vec<File> = self.changed.iter().map(|(file, _)| file.clone()).collect();
        krate::write(&client, &changed).map_err(|error| format!("cannot write {dir}: {error}"))?;
        for path in &self.extra {
            std::fs::remove_file(client.join(path))
                .map_err(|error| format!("cannot remove {}: {error}", path.display()))?;
            println!("removed {dir}/{}", path.display());
        }
        println!(
            "{dir}: {} files changed, {} removed, {} unchanged",
            changed.len(),
            self.extra.len(),
            self.files.len() - changed.len()
        );
        Ok(())
    }
}

/// The crate as the generator makes it from the target's specs.
fn generate(root: &Path, target: &Target) -> Result<Vec<File>, String> {
    let specs: Vec<PathBuf> = (target.specs)(root)?
        .into_iter()
        .filter_map(|path| path.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    let options = CrateOptions {
        name: target.dir.into(),
        command: "cargo xtask codegen".into(),
        standalone: false,
        dev_dependencies: vec![
            r#"serde_json = "1""#.into(),
            r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#.into(),
            r#"tracing = "0.1""#.into(),
            r#"wiremock = "0.6""#.into(),
            r#"futures-util = "0.3""#.into(),
            r#"serde_urlencoded = "0.7""#.into(),
            r#"multer = "3""#.into(),
        ],
        tests: true,
    };
    // Paths relative to the root keep `@generated` lines the same on every machine.
    let generated = krate::generate_in(root, &specs, &options).map_err(|error| error.to_string())?;
    // Checked-in specs are lint-clean: anything read leniently there is a mistake to fix.
    match generated.warnings.first() {
        Some(warning) => Err(format!("{warning} (checked-in crates must not need lenient reading)")),
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
    use super::{Staleness, TARGETS};

    /// `cargo test` fails as soon as a spec, the generator or its runtime changes without
    /// `cargo xtask codegen`, instead of testing the old copy in `generated-client`.
    #[test]
    fn generated_client_is_up_to_date() {
        for target in TARGETS {
            let staleness = Staleness::of(&crate::root(), target).unwrap_or_else(|error| panic!("{error}"));
            assert!(staleness.is_fresh(), "{}", staleness.report());
        }
    }
}
