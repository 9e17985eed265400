//! The library entry for build scripts: generate a client into `OUT_DIR` and `include!` it.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let out_dir = std::env::var("OUT_DIR")?;
//!     generator::Builder::new("openapi.yaml").name("petstore").generate_to(out_dir)?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs (at the crate root: generated code names `crate::runtime`)
//! include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! ```
//!
//! The including crate depends on what the runtime uses (`reqwest`, `serde`, … as listed in
//! [`crate::krate::DEPENDENCIES`]); the runtime itself is written beside the client, as it is
//! into a generated crate.

use crate::config::Config;
use crate::krate::{self, CrateOptions};
use crate::model::{Filter, TypeOptions};
use crate::{Error, names};
use std::path::{Path, PathBuf};

/// A client to generate: its specs, name and filter.
#[derive(Debug, Clone)]
pub struct Builder {
    specs: Vec<PathBuf>,
    name: Option<String>,
    filter: Filter,
    types: TypeOptions,
}

impl Builder {
    /// A client for the OpenAPI document at `spec`.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Self {
            specs: vec![spec.into()],
            name: None,
            filter: Filter::default(),
            types: TypeOptions::default(),
        }
    }

    /// The client a configuration file describes (its `out`, `tests` and `split-types` are for
    /// the command line and are not used here: a build script includes one crate's sources).
    pub fn from_config(path: impl AsRef<Path>) -> Result<Self, Error> {
        let config = Config::read(path.as_ref())?;
        Ok(Self { specs: config.specs, name: config.name, filter: config.filter, types: config.types })
    }

    /// Adds another document: each is a module of the client.
    pub fn spec(mut self, spec: impl Into<PathBuf>) -> Self {
        self.specs.push(spec.into());
        self
    }

    /// The client's name: the file to include is `<name>.rs` (default: the first spec's file
    /// name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Only the operations `filter` keeps, and the types they reach.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = filter;
        self
    }

    /// Types replaced, renamed or given derives and attributes.
    pub fn types(mut self, types: TypeOptions) -> Self {
        self.types = types;
        self
    }

    /// Writes the client's sources under `out_dir` and returns the file to `include!`,
    /// `<out_dir>/<name>.rs`. From a build script it also asks cargo to run the script again
    /// when a spec changes.
    pub fn generate_to(&self, out_dir: impl AsRef<Path>) -> Result<PathBuf, Error> {
        let out_dir =
            std::path::absolute(out_dir.as_ref()).map_err(|error| io_error(out_dir.as_ref(), error))?;
        let name = self.package_name();
        let options = CrateOptions {
            name: name.clone(),
            command: "generator::Builder".into(),
            standalone: true,
            dev_dependencies: Vec::new(),
            tests: false,
            filter: self.filter.clone(),
            doc_examples: false,
            // A build script includes one crate's sources.
            split_types: Some(false),
            types: self.types.clone(),
        };
        let generated = krate::generate(&self.specs, &options)?;
        let folder = out_dir.join(names::value_name(&name));
        let sources: Vec<krate::File> = generated
            .files
            .into_iter()
            .filter_map(|file| {
                Some(krate::File { path: file.path.strip_prefix("src").ok()?.to_path_buf(), ..file })
            })
            .filter(|file| file.path != Path::new("lib.rs"))
            .collect();
        krate::write(&folder, &sources).map_err(|error| io_error(&folder, error))?;
        // The modules are the folders beside `runtime`, in the order the crate declares them.
        let modules: Vec<String> = sources
            .iter()
            .filter(|file| file.path.file_name().is_some_and(|file_name| file_name == "mod.rs"))
            .filter_map(|file| Some(file.path.parent()?.to_str()?.to_owned()))
            .filter(|module| module != "runtime")
            .collect();
        let entry = out_dir.join(format!("{}.rs", names::value_name(&name)));
        let text = krate::embedded_entry(&options.command, &folder, &modules);
        std::fs::write(&entry, text).map_err(|error| io_error(&entry, error))?;
        // Cargo sets `OUT_DIR` for build scripts only.
        if std::env::var_os("OUT_DIR").is_some() {
            for spec in &self.specs {
                println!("cargo::rerun-if-changed={}", spec.display());
            }
            for warning in &generated.warnings {
                println!("cargo::warning={warning}");
            }
        }
        Ok(entry)
    }

    fn package_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.specs.first().map(|spec| krate::package_name(spec)).unwrap_or_default())
    }
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    Error { file: path.into(), location: "#".into(), message: format!("cannot write: {error}") }
}
