//! Stage 3: the model as Rust syntax trees, each generated file as a sequence of independent
//! pieces.

mod client;
pub mod docs;
mod operations;
mod syntax;
mod types;

use crate::model::Api;
use proc_macro2::TokenStream;
use quote::quote;
use std::ops::Range;

/// One generated file of a spec module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleFile {
    /// `mod.rs`: module docs, `Server`, `Client`.
    Root,
    /// `types.rs`: the schemas' types.
    Types,
    /// `operations.rs`: one method per operation and the parameter, response and error types it uses.
    Operations,
}

impl ModuleFile {
    /// The files of `api`'s module: `types.rs` only when it has types, `operations.rs` only when
    /// it has operations.
    pub fn of(api: &Api) -> Vec<ModuleFile> {
        let mut files = vec![ModuleFile::Root];
        if !api.type_order.is_empty() {
            files.push(ModuleFile::Types);
        }
        if !api.operations.is_empty() {
            files.push(ModuleFile::Operations);
        }
        files
    }

    pub fn file_name(self) -> &'static str {
        match self {
            ModuleFile::Root => "mod.rs",
            ModuleFile::Types => "types.rs",
            ModuleFile::Operations => "operations.rs",
        }
    }

    /// How many pieces the file is emitted in: a prelude (module docs and imports), then one
    /// piece per type or operation. Pieces are independent items, so a printer can emit and
    /// format them in chunks, on several threads, without holding the whole file's tokens.
    pub fn pieces(self, api: &Api) -> usize {
        match self {
            ModuleFile::Root => 1,
            ModuleFile::Types => 1 + api.type_order.len(),
            ModuleFile::Operations => 1 + api.operations.len(),
        }
    }

    /// The pieces in `range`, in order, as one syntax tree.
    ///
    /// Fails only if code written with `quote!` does not parse, which is a bug in the emitter;
    /// the error says so rather than writing code that does not compile.
    pub fn emit(self, api: &Api, range: Range<usize>) -> Result<syn::File, String> {
        let mut file = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
        for index in range {
            match (self, index) {
                (ModuleFile::Root, _) => {
                    let root = root(api);
                    file.attrs.extend(root.attrs);
                    file.items.extend(root.items);
                }
                (ModuleFile::Types | ModuleFile::Operations, 0) => {
                    let (doc, lint) = match self {
                        ModuleFile::Types => (" Types of the spec's schemas.", Some(quote!(unused_imports))),
                        _ => (
                            " One method per operation, with the parameter, response and error types it uses.",
                            None,
                        ),
                    };
                    file.attrs.extend(syntax::inner_doc_attributes([doc]));
                    let attrs = lint.map(|lint| syntax::list_attribute("allow", lint)).into_iter().collect();
                    file.items.push(syntax::glob_use(attrs, syn::Visibility::Inherited, "super"));
                }
                (ModuleFile::Types, index) => {
                    file.items.extend(types::type_def(api, &api.types[api.type_order[index - 1].0])?);
                }
                (ModuleFile::Operations, index) => {
                    file.items.extend(operations::operation_items(api, &api.operations[index - 1]));
                }
            }
        }
        Ok(file)
    }
}

/// Code written with `quote!`, for what is emitted once per spec or seldom, read back as syntax.
fn parse_items(tokens: TokenStream) -> Result<syn::File, String> {
    syn::parse2(tokens).map_err(|error| format!("internal error: the generated code does not parse: {error}"))
}

/// `mod.rs`: module docs, the other files' declarations, `Server` and `Client`.
fn root(api: &Api) -> syn::File {
    let heading = format!("{} (version {})", api.title, api.version);
    let attrs =
        syntax::inner_doc_attributes(docs::doc_lines([Some(heading.as_str()), api.description.as_deref()]));
    let mut items = Vec::new();
    if !api.operations.is_empty() {
        items.push(syntax::module("operations"));
        // Operations without parameter, response or error types only add methods to `Client`.
        let operation_types = api.operations.iter().any(|operation| {
            operation.params_type.is_some()
                || operation.response_enum.is_some()
                || operation.error_enum.is_some()
        });
        if operation_types {
            items.push(syntax::glob_use(Vec::new(), syntax::public(), "operations"));
        }
    }
    if !api.type_order.is_empty() {
        items.push(syntax::module("types"));
        items.push(syntax::glob_use(Vec::new(), syntax::public(), "types"));
    }
    items.extend(client::client(api));
    syn::File { shebang: None, attrs, items }
}
