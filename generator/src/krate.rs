//! Stage 5: a whole crate from one or more specs, as a list of files.
//!
//! Each spec becomes a module behind a cargo feature of the same name; the hand-written runtime
//! (`generator/runtime/`) is copied beside them. A crate of [`SPLIT_TYPES_FROM`] types or more
//! puts the types and the runtime in a second crate, `types/`. Nothing here touches the disk
//! except [`write()`] and [`remove_stale_files()`], so the same file list serves the command line,
//! `cargo xtask codegen` and its `--check`.

use crate::emit;
use crate::error::Error;
use crate::load;
use crate::model;
use crate::names::{self, Scope};
use crate::print::print_pieces;
use std::path::{Path, PathBuf};

/// The runtime's source files, relative to `src/runtime/`.
const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("call.rs", include_str!("../runtime/call.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("config.rs", include_str!("../runtime/config.rs")),
    ("encoding.rs", include_str!("../runtime/encoding.rs")),
    ("hooks.rs", include_str!("../runtime/hooks.rs")),
    ("multipart.rs", include_str!("../runtime/multipart.rs")),
    ("pages.rs", include_str!("../runtime/pages.rs")),
    ("reconnect.rs", include_str!("../runtime/reconnect.rs")),
    ("request.rs", include_str!("../runtime/request.rs")),
    ("response.rs", include_str!("../runtime/response.rs")),
    ("stream.rs", include_str!("../runtime/stream.rs")),
    ("token.rs", include_str!("../runtime/token.rs")),
];

/// Dependencies of every generated crate, as `Cargo.toml` lines.
pub const DEPENDENCIES: &[&str] = &[
    r#"base64 = "0.22""#,
    r#"bytes = "1""#,
    r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#,
    r#"erased-serde = "0.4""#,
    r#"fastrand = "2""#,
    r#"futures-core = "0.3""#,
    r#"httpdate = "1""#,
    r#"percent-encoding = "2""#,
    r#"reqwest = { version = "0.12", default-features = false, features = ["json", "multipart", "rustls-tls", "stream"] }"#,
    r#"serde = { version = "1.0.190", features = ["derive"] }"#,
    r#"serde_json = { version = "1", features = ["preserve_order"] }"#,
    r#"thiserror = "2""#,
    r#"tokio = { version = "1", features = ["fs", "sync", "time"] }"#,
    r#"tracing = { version = "0.1", optional = true }"#,
    r#"uuid = { version = "1", features = ["serde"] }"#,
];

/// How to lay out the generated crate.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// Package name.
    pub name: String,
    /// The command that regenerates the crate, named in every file's `@generated` line.
    pub command: String,
    /// Adds an empty `[workspace]` so the crate builds on its own wherever it is written.
    pub standalone: bool,
    /// Extra `[dev-dependencies]` lines, such as test servers.
    pub dev_dependencies: Vec<String>,
    /// Adds `tests/operations.rs`: one test per operation against a mock of the spec; and
    /// `tests/examples.rs`, when the specs give examples: each decodes into its generated type
    /// and encodes back to the same JSON.
    pub tests: bool,
    /// Only these operations, and the types they reach.
    pub filter: model::Filter,
    /// Writes each method's `no_run` doc example (compiled by `cargo test --doc` of the
    /// crate); off for sources a build script includes, whose crate path is not this one.
    pub doc_examples: bool,
    /// Types replaced, renamed or given derives and attributes.
    pub types: model::TypeOptions,
    /// Compiles the schemas' types and the runtime as a crate of their own, `<name>-types` in
    /// `types/`, which the client crate depends on and re-exports at the same paths. For the
    /// largest APIs: each rustc then holds about half the code (Microsoft Graph beta's
    /// `cargo check` peaks at 3.8 GB instead of 5.5 GB). `None`: when the crate has
    /// [`SPLIT_TYPES_FROM`] types or more.
    pub split_types: Option<bool>,
}

/// The folder of the types crate inside the client crate's folder, when the crate is split.
pub const TYPES_DIR: &str = "types";

/// How many types make a crate large enough to compile in two (GitHub's has 2,512, Microsoft
/// Graph's 3,876). Below it, one crate compiles about as fast and is one less thing to read.
pub const SPLIT_TYPES_FROM: usize = 2_000;

/// A generated crate, and what the specs said that was read leniently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub files: Vec<File>,
    /// One per rule a spec breaks in a way whose intent is clear (see `load/lenient.rs`),
    /// with its file and JSON pointer: for the user to read, never silently dropped.
    pub warnings: Vec<Error>,
}

/// The package name of crate `name`'s types crate.
pub fn types_package(name: &str) -> String {
    format!("{name}-types")
}

impl Generated {
    /// Whether the types and the runtime are a crate of their own, in [`TYPES_DIR`].
    pub fn types_crate_written(&self) -> bool {
        let manifest = Path::new(TYPES_DIR).join("Cargo.toml");
        self.files.iter().any(|file| file.path == manifest)
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the crate root.
    pub path: PathBuf,
    pub contents: String,
}

/// The package name a crate generated from `spec` gets unless told otherwise: the file name,
/// as an identifier in kebab case (`sinch-conversation` for `sinch-conversation.yaml`).
pub fn package_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    names::package_name(&stem)
}

/// Generates the crate for `specs` (paths as they should appear in `@generated` lines).
///
/// Modules are ordered by name, so the output does not depend on the order of `specs`.
pub fn generate(specs: &[PathBuf], options: &CrateOptions) -> Result<Generated, Error> {
    generate_in(Path::new(""), specs, options)
}

/// [`generate()`] for `specs` relative to `dir`: files are read from `dir`, while `@generated`
/// lines and errors name the paths as given, so output does not depend on where it was made.
pub fn generate_in(dir: &Path, specs: &[PathBuf], options: &CrateOptions) -> Result<Generated, Error> {
    let mut modules = Vec::with_capacity(specs.len());
    // `tracing` is a cargo feature of every generated crate, beside the modules' own.
    let mut module_names = Scope::with_reserved(&["runtime", "tracing"]);
    let mut warnings = Vec::new();
    let mut tests = Vec::new();
    let mut example_tests = Vec::new();
    let name_error = |message| Error { file: "name".into(), location: "#".into(), message };
    warnings.extend(names::check_package_name(&options.name).map_err(name_error)?.map(name_error));
    let mut sorted = specs.to_vec();
    sorted.sort();
    let filter = match options.filter.is_empty() {
        true => None,
        false => Some(options.filter.compile().map_err(|message| Error {
            file: "filter".into(),
            location: "#".into(),
            message,
        })?),
    };
    for spec in &sorted {
        let document = load::load(&dir.join(spec)).map_err(|error| Error { file: spec.clone(), ..error })?;
        warnings.extend(document.warnings.iter().map(|warning| warning.clone().in_file(spec)));
        let mut api =
            model::build_with(&document, filter.as_ref()).map_err(|located| located.in_file(spec))?;
        model::customize(&mut api, &document.raw, &options.types).map_err(|located| located.in_file(spec))?;
        model::merge_components(&mut api);
        let stem = spec.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
        let module = module_names.claim(names::value_name(&stem));
        let crate_ident = options.name.replace('-', "_");
        if options.doc_examples {
            api.module_path =
                Some(format!("{}::{}", names::source_text(&crate_ident), names::source_text(&module)));
        }
        if options.tests {
            let env_var = mock_url_variable(&options.name, (sorted.len() > 1).then_some(module.as_str()));
            tests.push(emit::operation_tests::module_tests(
                &api,
                &document.raw,
                &options.name,
                &module,
                &env_var,
            ));
            let examples = crate::examples::collect(&api, &document.raw);
            example_tests.push(emit::example_tests::module_tests(&api, &examples, &options.name, &module));
        }
        modules.push((module, spec, api));
    }
    let types: usize = modules.iter().map(|(.., api)| api.type_order.len()).sum();
    let split = options.split_types.unwrap_or(types >= SPLIT_TYPES_FROM);
    let types_crate = split.then(|| types_package(&options.name));
    if let Some(types_crate) = &types_crate {
        let ident = types_crate.replace('-', "_");
        for (module, _, api) in modules.iter_mut().filter(|(.., api)| !api.type_order.is_empty()) {
            api.types_crate = Some(format!("{ident}::{module}"));
        }
    }

    let generated = |source: &Path| {
        vec![format!("@generated by `{}` from `{}`. Do not edit by hand.", options.command, source.display())]
    };
    let internal = |spec: &Path, message: String| Error { file: spec.into(), location: "#".into(), message };

    let module_names: Vec<&str> = modules.iter().map(|(name, ..)| name.as_str()).collect();
    let mut files = vec![
        File {
            path: "Cargo.toml".into(),
            contents: manifest(options, &module_names, types_crate.as_deref()),
        },
        File { path: "src/lib.rs".into(), contents: lib_rs(options, &modules, types_crate.as_deref()) },
    ];
    // The runtime lives where the types are: they decode through it.
    let types_src = Path::new(TYPES_DIR).join("src");
    let runtime_dir = match &types_crate {
        Some(types_crate) => {
            files.push(File {
                path: Path::new(TYPES_DIR).join("Cargo.toml"),
                contents: types_manifest(options, types_crate, &module_names),
            });
            files.push(File { path: types_src.join("lib.rs"), contents: types_lib_rs(options, &modules) });
            types_src.join("runtime")
        }
        None => Path::new("src/runtime").to_path_buf(),
    };
    for (file_name, source) in RUNTIME {
        let header = format!(
            "// @generated by `{}`: copied from the generator's runtime/{file_name}. Do not edit by hand.\n\n",
            options.command
        );
        files.push(File { path: runtime_dir.join(file_name), contents: format!("{header}{source}") });
    }
    if options.tests {
        files.push(File { path: "tests/operations.rs".into(), contents: operation_tests(options, tests)? });
        if example_tests.iter().any(|module| !module.is_empty()) {
            files.push(File {
                path: "tests/examples.rs".into(),
                contents: example_tests_file(options, example_tests)?,
            });
        }
    }
    for (name, spec, api) in &modules {
        let dir = Path::new("src").join(name);
        for (file_name, contents) in
            module_sources(api, &generated(spec)).map_err(|message| internal(spec, message))?
        {
            files.push(File { path: dir.join(file_name), contents });
        }
        if api.types_crate.is_some() {
            let dir = types_src.join(name);
            let header = generated(spec);
            let types = print_module_file(api, emit::ModuleFile::Types, &header)
                .map_err(|message| internal(spec, message))?;
            files.push(File { path: dir.join("mod.rs"), contents: types_module_root(&header) });
            files.push(File { path: dir.join("types.rs"), contents: types });
        }
    }
    Ok(Generated { files, warnings })
}

/// `PETSTORE_MOCK_URL` for crate `petstore`; with several modules, one variable each
/// (`MY_CLIENT_GRAPH_V1_MOCK_URL`).
pub fn mock_url_variable(crate_name: &str, module: Option<&str>) -> String {
    let mut name = crate_name.replace('-', "_").to_ascii_uppercase();
    if let Some(module) = module {
        name.push('_');
        name.push_str(&module.to_ascii_uppercase());
    }
    name.push_str("_MOCK_URL");
    name
}

/// `tests/operations.rs`: every module's tests, printed.
fn operation_tests(options: &CrateOptions, modules: Vec<proc_macro2::TokenStream>) -> Result<String, Error> {
    let tokens = quote::quote! {
        //! One test per operation against a mock of the spec (for example
        //! `npx @stoplight/prism-cli mock spec.yaml`), whose URL the `…_MOCK_URL` variables give.
        // The spec's deprecated operations are tested too.
        #![allow(deprecated)]
        #(#modules)*
    };
    print_test_file(options, "tests/operations.rs", tokens)
}

/// `tests/examples.rs`: the round-trip helpers, then every module's examples.
fn example_tests_file(
    options: &CrateOptions,
    modules: Vec<proc_macro2::TokenStream>,
) -> Result<String, Error> {
    let helpers = emit::example_tests::helpers();
    let tokens = quote::quote! {
        //! Every example the spec gives, where its generated type is known, decodes into that
        //! type and encodes back to the same JSON. A failure prints `example <pointer>: <reason>`;
        //! each module's test ends with `examples: P passed, F failed`.
        // The spec's deprecated types have examples too.
        #![allow(deprecated)]
        #helpers
        #(#modules)*
    };
    print_test_file(options, "tests/examples.rs", tokens)
}

/// A test file's tokens, printed with the `@generated` header.
fn print_test_file(
    options: &CrateOptions,
    path: &str,
    tokens: proc_macro2::TokenStream,
) -> Result<String, Error> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| Error {
        file: path.into(),
        location: "#".into(),
        message: format!("internal error: the generated tests do not parse: {error}"),
    })?;
    let header = format!("// @generated by `{}`. Do not edit by hand.\n\n", options.command);
    Ok(header + &prettyplease::unparse(&file))
}

/// The printed files of one spec module (`mod.rs`, and `types.rs` / `operations.rs` when the
/// spec has types / operations), each starting with the `header` comment lines.
pub fn module_sources(api: &model::Api, header: &[String]) -> Result<Vec<(&'static str, String)>, String> {
    emit::ModuleFile::of(api)
        .into_iter()
        .map(|file| Ok((file.file_name(), print_module_file(api, file, header)?)))
        .collect()
}

/// One file of a spec module, printed.
fn print_module_file(api: &model::Api, file: emit::ModuleFile, header: &[String]) -> Result<String, String> {
    print_pieces(file.pieces(api), |range| file.emit(api, range), header, file.continued_block())
}

/// `[package]` and `[features]`: one feature per module (all on by default) and `tracing`,
/// each enabling the feature of the same name of the crate `forward_to` when there is one.
fn package_and_features(command: &str, name: &str, modules: &[&str], forward_to: Option<&str>) -> String {
    let mut text = format!(
        "# @generated by `{command}`. Do not edit by hand.\n\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n",
    );
    let quoted: Vec<String> = modules.iter().map(|name| format!("\"{name}\"")).collect();
    text.push_str(&format!("[features]\ndefault = [{}]\n", quoted.join(", ")));
    let enables = |feature: &str| match forward_to {
        Some(types_crate) => format!("\"{types_crate}/{feature}\""),
        None if feature == "tracing" => "\"dep:tracing\"".to_owned(),
        None => String::new(),
    };
    for name in modules {
        text.push_str(&format!("{name} = [{}]\n", enables(name)));
    }
    text.push_str(&format!(
        "# A span per HTTP attempt (method, path template, attempt, status).\ntracing = [{}]\n",
        enables("tracing")
    ));
    text
}

/// The crate's `Cargo.toml`; with `types_crate`, a client crate that depends on it, whose
/// runtime (and so `tracing`) is there.
fn manifest(options: &CrateOptions, modules: &[&str], types_crate: Option<&str>) -> String {
    let mut text = package_and_features(&options.command, &options.name, modules, types_crate);
    text.push_str("\n[dependencies]\n");
    for line in DEPENDENCIES {
        if types_crate.is_some() && line.starts_with("tracing ") {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    if let Some(types_crate) = types_crate {
        text.push_str(&format!("{types_crate} = {{ path = \"{TYPES_DIR}\", default-features = false }}\n"));
    }
    let mut dev_dependencies = options.dev_dependencies.clone();
    if options.tests && !dev_dependencies.iter().any(|line| line.starts_with("tokio ")) {
        dev_dependencies
            .push(r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#.into());
    }
    if !dev_dependencies.is_empty() {
        text.push_str("\n[dev-dependencies]\n");
        for line in &dev_dependencies {
            text.push_str(line);
            text.push('\n');
        }
    }
    if options.standalone {
        text.push_str("\n[workspace]\n");
    }
    text
}

/// Lints each spec module allows. The spec decides names, sizes and argument counts, and its
/// descriptions are third-party Markdown: these lints would ask for a different API or text
/// than the one documented. Items the spec deprecates warn their users, not the module that
/// defines and decodes them.
const MODULE_ALLOWS: &[&str] = &[
    "deprecated",
    "clippy::large_enum_variant",
    "clippy::enum_variant_names",
    "clippy::too_many_arguments",
    "clippy::doc_lazy_continuation",
    "clippy::doc_overindented_list_items",
    "clippy::doc_nested_refdefs",
];

/// The types crate's `Cargo.toml`: the same features and dependencies, no tests; it is a
/// member of the client crate's workspace, being its path dependency inside its folder.
fn types_manifest(options: &CrateOptions, types_crate: &str, modules: &[&str]) -> String {
    let mut text = package_and_features(&options.command, types_crate, modules, None);
    text.push_str("\n[dependencies]\n");
    for line in DEPENDENCIES {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// The types crate's `src/lib.rs`: the runtime, and each module that has types.
fn types_lib_rs(options: &CrateOptions, modules: &[(String, &PathBuf, model::Api)]) -> String {
    let mut text = format!("// @generated by `{}`. Do not edit by hand.\n\n", options.command);
    text.push_str(&format!(
        "//! The types and runtime of `{}`, compiled as a crate of their own so that a large API\n\
         //! compiles in two halves. Use them through `{}`, which re-exports them at the same paths.\n",
        options.name, options.name
    ));
    text.push_str("\n#![warn(missing_docs)]\n\npub mod runtime;\n");
    for (name, ..) in modules.iter().filter(|(.., api)| api.types_crate.is_some()) {
        text.push_str(&module_declaration(name));
    }
    text
}

/// A types crate module's `mod.rs`.
fn types_module_root(header: &[String]) -> String {
    let mut text: String = header.iter().map(|line| format!("// {line}\n")).collect();
    text.push_str("\n//! Types of the spec's schemas.\n\nmod types;\npub use types::*;\n");
    text
}

/// A spec module's declaration in a `lib.rs`: behind its feature, with the lints it allows.
fn module_declaration(name: &str) -> String {
    format!(
        "\n#[cfg(feature = \"{name}\")]\n\
         // The spec decides names, sizes and argument counts, and its descriptions are\n\
         // third-party Markdown: these lints would ask for a different API or text than the\n\
         // one documented. Items the spec deprecates warn their users, not the module that\n\
         // defines and decodes them.\n\
         #[allow(\n{}\n)]\n\
         // Printed by prettyplease, which the generator uses; rustfmt would disagree.\n\
         #[rustfmt::skip]\n\
         pub mod {};\n",
        MODULE_ALLOWS.iter().map(|lint| format!("    {lint}")).collect::<Vec<_>>().join(",\n"),
        names::source_text(name)
    )
}

fn lib_rs(
    options: &CrateOptions,
    modules: &[(String, &PathBuf, model::Api)],
    types_crate: Option<&str>,
) -> String {
    let mut text = format!("// @generated by `{}`. Do not edit by hand.\n\n", options.command);
    text.push_str("//! API clients generated from OpenAPI documents, one module per document, each behind\n");
    text.push_str("//! a cargo feature of the same name (all on by default).\n//!\n");
    for (name, spec, api) in modules {
        let title = emit::docs::doc_lines([Some(api.title.as_str())]).join(" ");
        text.push_str(&format!("//! - [`{}`] —{title} (`{}`)\n", names::source_text(name), spec.display()));
    }
    let runtime = match types_crate {
        Some(types_crate) => format!("pub use {}::runtime;", types_crate.replace('-', "_")),
        None => "pub mod runtime;".to_owned(),
    };
    text.push_str(&format!("\n#![warn(missing_docs)]\n\n{runtime}\n"));
    for (name, ..) in modules {
        text.push_str(&module_declaration(name));
    }
    // A crate of one spec is that API: `my_client::Client`, as users of other generators expect.
    if let [(name, ..)] = modules {
        text.push_str(&format!(
            "\n// The crate's one API, also at its root.\n#[cfg(feature = \"{name}\")]\npub use self::{}::*;\n",
            names::source_text(name)
        ));
    }
    text
}

/// The file a build script's crate `include!`s: the runtime and each module, declared by
/// their absolute paths under `folder` (an included file's `mod` would be looked for beside
/// the including one). No cargo features: every module is in.
pub fn embedded_entry(command: &str, folder: &Path, modules: &[String]) -> String {
    let declare = |name: &str, file: PathBuf, allow: &str| {
        format!(
            "\n#[allow({allow})]\n#[rustfmt::skip]\n#[path = {:?}]\npub mod {};\n",
            file.display().to_string(),
            names::source_text(name)
        )
    };
    let mut text = format!("// @generated by `{command}`. Do not edit by hand.\n");
    // What the including crate does not use is not its concern; the runtime's `tracing`
    // feature is not one of its features.
    text.push_str(&declare("runtime", folder.join("runtime/mod.rs"), "dead_code, unexpected_cfgs"));
    let allow = format!("dead_code, {}", MODULE_ALLOWS.join(", "));
    for module in modules {
        text.push_str(&declare(module, folder.join(module).join("mod.rs"), &allow));
    }
    if let [module] = modules {
        text.push_str(&format!("\npub use self::{}::*;\n", names::source_text(module)));
    }
    text
}

/// Removes the files under `root` that an earlier generation by `command` wrote (their first
/// line says `@generated by `command``) and `files` no longer holds: a module or a spec gone,
/// or the types moved by [`CrateOptions::split_types`]; then the folders that leaves empty.
/// Hand-written files, and other tools' generated ones, are never touched. Returns the removed
/// files, relative to `root`, sorted.
pub fn remove_stale_files(root: &Path, files: &[File], command: &str) -> std::io::Result<Vec<PathBuf>> {
    let stale = stale_files(root, files, command)?;
    for path in &stale {
        let path = root.join(path);
        std::fs::remove_file(&path)?;
        // `remove_dir` refuses a folder that holds anything, which ends the climb.
        let mut folder = path.parent();
        while let Some(dir) = folder.filter(|dir| *dir != root && dir.starts_with(root)) {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
    }
    Ok(stale)
}

/// The files [`remove_stale_files`] removes.
fn stale_files(root: &Path, files: &[File], command: &str) -> std::io::Result<Vec<PathBuf>> {
    let wanted: std::collections::BTreeSet<&Path> = files.iter().map(|file| file.path.as_path()).collect();
    let mut stale = Vec::new();
    let mut folders: Vec<PathBuf> =
        ["src", "tests", TYPES_DIR].iter().map(|folder| root.join(folder)).collect();
    while let Some(folder) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path);
            if !wanted.contains(relative) && generated_by(&path, command) {
                stale.push(relative.to_path_buf());
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// Whether the file at `path` starts with the `@generated` line this module writes for
/// `command` (`// @generated by `openapi-client`…`, `# @generated by …` in `Cargo.toml`).
fn generated_by(path: &Path, command: &str) -> bool {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else { return false };
    let mut first_line = String::new();
    let marker = format!("@generated by `{command}`");
    std::io::BufReader::new(file).read_line(&mut first_line).is_ok()
        && (first_line.strip_prefix("// ").or_else(|| first_line.strip_prefix("# ")))
            .is_some_and(|rest| rest.starts_with(&marker))
}

/// Writes `files` under `root`, creating directories as needed.
pub fn write(root: &Path, files: &[File]) -> std::io::Result<()> {
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.contents)?;
    }
    Ok(())
}
