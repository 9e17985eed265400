//! `cargo xtask codegen`: keeps the checked-in generated crates equal to what the generator
//! makes of their specs: `generated-client/` from `specs/`, and `fixture-client/` from the
//! fixtures whose constructs are tested over HTTP (streams, events…). When a spec module's
//! files change, both modes also print how its public API changes (`generator::changes`),
//! each change marked breaking or compatible: what a reviewer of the regenerated code wants
//! first.

use generator::changes::{self, PublicApi};
use generator::config::Config;
use generator::krate::{self, CrateOptions, File};
use similar::TextDiff;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A checked-in generated crate, described by its configuration file (relative to the
/// workspace root): the specs, output folder, name and options a user's
/// `openapi-client.toml` would hold.
struct Target {
    config: &'static str,
}

const TARGETS: &[Target] = &[
    Target { config: "specs/openapi-client.toml" },
    Target { config: "generator/tests/fixtures/openapi-client.toml" },
];

/// How a checked-in crate differs from what the generator makes of its specs.
struct Staleness {
    dir: String,
    files: Vec<File>,
    /// Generated files whose contents differ, with what is on disk now (empty when missing).
    changed: Vec<(File, String)>,
    /// Files on disk that no spec generates.
    extra: Vec<PathBuf>,
    /// How the public API changes, when some spec module's files do.
    api: Option<String>,
}

impl Staleness {
    fn of(root: &Path, target: &Target) -> Result<Self, String> {
        let (dir, files) = generate(root, target)?;
        let client = root.join(&dir);
        let wanted: BTreeSet<PathBuf> = files.iter().map(|file| file.path.clone()).collect();
        let extra = owned_files(&client)?.into_iter().filter(|path| !wanted.contains(path)).collect();
        let changed = files
            .iter()
            .filter_map(|file| {
                let current = std::fs::read_to_string(client.join(&file.path)).unwrap_or_default();
                (current != file.contents).then(|| (file.clone(), current))
            })
            .collect();
        let mut staleness = Staleness { dir, files, changed, extra, api: None };
        staleness.api = staleness.api_changes(&client);
        Ok(staleness)
    }

    /// The public API changes between the crate in `client` and the generated files, when a
    /// spec module changes (the runtime, `Cargo.toml` and tests are not its API).
    fn api_changes(&self, client: &Path) -> Option<String> {
        let touched = self
            .changed
            .iter()
            .map(|(file, _)| file.path.as_path())
            .chain(self.extra.iter().map(PathBuf::as_path));
        if !touched.into_iter().any(|path| changes::module_of(path).is_some()) {
            return None;
        }
        let compared = PublicApi::read(client).and_then(|old| {
            let new = PublicApi::of_files(&self.files)?;
            Ok(changes::compare(&old.unwrap_or_default(), &new))
        });
        Some(match compared {
            Ok(changes) => format!("public API of {}:\n{changes}\n", self.dir),
            // A hand-edited file that no longer parses is for the diff to show.
            Err(error) => format!("public API of {}: cannot compare: {error}\n", self.dir),
        })
    }

    fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.extra.is_empty()
    }

    /// A unified diff of every change and a line per extra file.
    fn report(&self) -> String {
        let mut text = String::new();
        for (file, current) in &self.changed {
            let path = Path::new(&self.dir).join(&file.path).display().to_string();
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
        if let Some(api) = &self.api {
            text.push('\n');
            text.push_str(api);
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
                println!("{} is up to date ({} files)", staleness.dir, staleness.files.len());
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
        let dir = &self.dir;
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
        if let Some(api) = &self.api {
            print!("{api}");
        }
        Ok(())
    }
}

/// The crate as the generator makes it from the target's configuration: its folder
/// (relative to the root) and files.
fn generate(root: &Path, target: &Target) -> Result<(String, Vec<File>), String> {
    let config = Config::read(&root.join(target.config)).map_err(|error| error.to_string())?;
    let relative = |path: &Path| -> Result<PathBuf, String> {
        let real = path.canonicalize().map_err(|error| format!("{}: {error}", path.display()))?;
        let root = root.canonicalize().map_err(|error| format!("{}: {error}", root.display()))?;
        real.strip_prefix(&root)
            .map(Path::to_path_buf)
            .map_err(|_| format!("{} is outside the workspace", path.display()))
    };
    let specs = config.specs.iter().map(|spec| relative(spec)).collect::<Result<Vec<_>, _>>()?;
    let out = config.out.as_deref().ok_or_else(|| format!("{}: no `out`", target.config))?;
    let dir = relative(out)?.to_string_lossy().into_owned();
    let options = CrateOptions {
        name: config.name.clone().unwrap_or_else(|| dir.clone()),
        command: "cargo xtask codegen".into(),
        standalone: !config.workspace_member,
        dev_dependencies: vec![
            r#"serde_json = "1""#.into(),
            r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#.into(),
            r#"tracing = "0.1""#.into(),
            r#"wiremock = "0.6""#.into(),
            r#"futures-util = "0.3""#.into(),
            r#"serde_urlencoded = "0.7""#.into(),
            r#"multer = "3""#.into(),
            // Property tests of the runtime against hostile servers (`tests/hostile.rs`).
            r#"proptest = "1""#.into(),
        ],
        tests: config.tests,
        filter: config.filter,
        doc_examples: config.doc_examples.unwrap_or(true),
        split_types: config.split_types,
        types: config.types,
    };
    // Paths relative to the root keep `@generated` lines the same on every machine.
    let generated = krate::generate_in(root, &specs, &options).map_err(|error| error.to_string())?;
    // Checked-in specs are lint-clean: anything read leniently there is a mistake to fix.
    match generated.warnings.first() {
        Some(warning) => Err(format!("{warning} (checked-in crates must not need lenient reading)")),
        None => Ok((dir, generated.files)),
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
    use super::{File, Staleness, TARGETS};
    use std::path::PathBuf;

    /// `cargo test` fails as soon as a spec, the generator or its runtime changes without
    /// `cargo xtask codegen`, instead of testing the old copy in `generated-client`.
    #[test]
    fn generated_client_is_up_to_date() {
        for target in TARGETS {
            let staleness = Staleness::of(&crate::root(), target).unwrap_or_else(|error| panic!("{error}"));
            assert!(staleness.is_fresh(), "{}", staleness.report());
        }
    }

    /// The public API report comes with a change to a spec module, not with one to the runtime.
    #[test]
    fn api_changes_are_told_when_a_module_changes() {
        let client = std::env::temp_dir().join(format!("xtask-codegen-api-{}", std::process::id()));
        let file = |path: &str, contents: &str| File { path: PathBuf::from(path), contents: contents.into() };
        let old = [
            file("src/pets/types.rs", "pub struct Pet { pub name: String }"),
            file("src/runtime/mod.rs", ""),
        ];
        generator::krate::write(&client, &old).expect("written");
        let new = vec![
            file("src/pets/types.rs", "pub struct Pet { pub name: String, pub tag: Option<String> }"),
            file("src/runtime/mod.rs", "// changed"),
        ];
        let staleness = |changed: &[usize]| Staleness {
            dir: "pets-client".into(),
            changed: changed.iter().map(|&index| (new[index].clone(), String::new())).collect(),
            files: new.clone(),
            extra: Vec::new(),
            api: None,
        };
        assert_eq!(staleness(&[1]).api_changes(&client), None);
        assert_eq!(
            staleness(&[0, 1]).api_changes(&client).as_deref(),
            Some(
                "public API of pets-client:\ncompatible pets: Pet::tag: field added: Option<String>\n\
                 0 breaking, 1 compatible change to the public API\n"
            )
        );
        let _ = std::fs::remove_dir_all(&client);
    }
}
