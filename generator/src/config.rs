//! `openapi-client.toml`: what the command line can say, kept beside the specs so that
//! regenerating is one command with no flags to remember.
//!
//! ```toml
//! specs = ["specs/graph-v1.yaml"]   # relative to this file; `*` in a file name is a glob
//! out = "graph-client"              # the crate's folder, relative to this file
//! name = "graph-client"             # package name (default: the first spec's file name)
//! tests = false                     # add tests/operations.rs (one test per operation)
//! workspace-member = false          # leave out the crate's own [workspace] table
//! doc-examples = true               # a no_run example in each method's doc
//! split-types = true                # types and runtime in a crate of their own, `out`/types
//!                                   # (default: for crates of 2,000 types or more)
//! changes = false                   # print how the public API differs from the crate in `out`
//!
//! [filter]                          # only these operations, and the types they reach
//! tags = ["chats"]
//! operations = ["chats.*"]          # operationId globs
//! paths = ["/chats/**"]             # path globs: `*` one segment, `**` any
//! exclude-tags = []
//! exclude-operations = []
//! exclude-paths = []
//!
//! [types]                           # keys are the spec's schema names
//! derives = ["Eq"]                  # added to every struct and enum
//! replace = { DateTimeOffset = "chrono::DateTime<chrono::Utc>" }  # or `x-rust-type` on the schema
//! rename = { Chat = "GraphChat" }
//! derive = { Chat = ["Hash"] }
//! attributes = { Chat = ["#[non_exhaustive]"] }
//! keep-unknown-members = false      # keep undeclared members in `additional_properties`
//! ```

use crate::Error;
use crate::model::{Filter, TypeOptions};
use std::path::{Path, PathBuf};

/// The file the command line reads when it is given no spec.
pub const FILE_NAME: &str = "openapi-client.toml";

/// A configuration file's contents, paths relative to the file's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The OpenAPI documents, one module each.
    #[serde(default)]
    pub specs: Vec<PathBuf>,
    /// The folder the crate is written to.
    pub out: Option<PathBuf>,
    /// The package name.
    pub name: Option<String>,
    /// Adds `tests/operations.rs`.
    #[serde(default)]
    pub tests: bool,
    /// Leaves out the crate's own `[workspace]` table.
    #[serde(default)]
    pub workspace_member: bool,
    /// Writes a `no_run` example in each method's doc (default: yes). Large APIs may leave
    /// them out: Graph's are 157,000 lines.
    pub doc_examples: Option<bool>,
    /// Compiles the types and the runtime as a crate of their own (default: for crates of
    /// 2,000 types or more).
    pub split_types: Option<bool>,
    /// Prints how the public API differs from the crate already in `out` before replacing it.
    #[serde(default)]
    pub changes: bool,
    /// Which operations to generate.
    #[serde(default)]
    pub filter: Filter,
    /// Types replaced, renamed or given derives and attributes.
    #[serde(default)]
    pub types: TypeOptions,
}

impl Config {
    /// Reads `path`, with its relative paths made relative to the current folder.
    pub fn read(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|error| Error {
            file: path.into(),
            location: "#".into(),
            message: format!("cannot read the file: {error}"),
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|error| Error {
            file: path.into(),
            location: error.span().map(|span| line_column(&text, span.start)).unwrap_or_default(),
            message: error.message().to_owned(),
        })?;
        let folder = path.parent().unwrap_or(Path::new(""));
        let mut specs = Vec::with_capacity(config.specs.len());
        for spec in &config.specs {
            specs.extend(expanded(&folder.join(spec)).map_err(|message| Error {
                file: path.into(),
                location: "#/specs".into(),
                message,
            })?);
        }
        config.specs = specs;
        config.out = config.out.map(|out| folder.join(out));
        Ok(config)
    }
}

/// `path`, or when its file name holds a `*`, the files of its folder that match it, sorted.
fn expanded(path: &Path) -> Result<Vec<PathBuf>, String> {
    let Some(name) = path.file_name().and_then(|name| name.to_str()).filter(|name| name.contains('*')) else {
        return Ok(vec![path.to_path_buf()]);
    };
    let pattern = globset::Glob::new(name).map_err(|error| format!("`{name}` is not a glob: {error}"))?;
    let matcher = pattern.compile_matcher();
    let folder = path.parent().unwrap_or(Path::new(""));
    let listing = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let entries =
        std::fs::read_dir(listing).map_err(|error| format!("cannot list {}: {error}", listing.display()))?;
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| matcher.is_match(entry.file_name()))
        .map(|entry| folder.join(entry.file_name()))
        .collect();
    found.sort();
    Ok(found)
}

/// `line:column` (from 1) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
    format!("{line}:{column}")
}

#[cfg(test)]
mod tests {
    use super::Config;
    use std::path::PathBuf;

    fn written(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("openapi-client-config-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let path = dir.join(super::FILE_NAME);
        std::fs::write(&path, text).expect("written");
        path
    }

    #[test]
    fn paths_are_read_relative_to_the_file() {
        let path = written("ok", "specs = [\"api.yaml\"]\nout = \"client\"\n[filter]\ntags = [\"chats\"]\n");
        let config = Config::read(&path).expect("reads");
        let folder = path.parent().expect("a folder");
        assert_eq!(config.specs, [folder.join("api.yaml")]);
        assert_eq!(config.out, Some(folder.join("client")));
        assert_eq!(config.filter.tags, ["chats"]);
    }

    #[test]
    fn a_star_in_a_spec_file_name_takes_the_matching_files_in_order() {
        let path = written("glob", "specs = [\"*.yaml\"]\n");
        let folder = path.parent().expect("a folder");
        for name in ["b.yaml", "a.yaml", "notes.txt"] {
            std::fs::write(folder.join(name), "").expect("written");
        }
        let config = Config::read(&path).expect("reads");
        assert_eq!(config.specs, [folder.join("a.yaml"), folder.join("b.yaml")]);
    }

    #[test]
    fn a_misspelt_key_is_refused_with_its_position() {
        let path = written("typo", "specs = []\n[filter]\ntag = [\"chats\"]\n");
        let error = Config::read(&path).expect_err("refused");
        assert_eq!(error.location, "3:1");
        assert!(error.message.contains("unknown field `tag`"), "{}", error.message);
    }
}
