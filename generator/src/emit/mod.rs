//! Stage 3: the model as Rust syntax trees, each generated file as a sequence of independent
//! pieces.

mod client;
pub mod docs;
mod operations;
mod syntax;
mod types;

use crate::model::Api;
use crate::names;
use proc_macro2::{Ident, Span, TokenStream};
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
                (ModuleFile::Types, index) if index > 0 => {
                    file.items.extend(types::type_def(api, &api.types[api.type_order[index - 1].0])?);
                }
                (ModuleFile::Operations, index) if index > 0 => {
                    file.items.extend(operations::operation_items(api, &api.operations[index - 1]));
                }
                (file_kind, _) => {
                    let prelude = parse_items(file_kind.prelude(api))?;
                    file.attrs.extend(prelude.attrs);
                    file.items.extend(prelude.items);
                }
            }
        }
        Ok(file)
    }

    /// The file's first piece: module docs and imports (all of `mod.rs`).
    fn prelude(self, api: &Api) -> TokenStream {
        match self {
            ModuleFile::Root => root(api),
            ModuleFile::Types => quote! {
                //! Types of the spec's schemas.

                #[allow(unused_imports)]
                use super::*;
            },
            ModuleFile::Operations => quote! {
                //! One method per operation, with the parameter, response and error types it uses.

                use super::*;
            },
        }
    }
}

/// Code written with `quote!`, for what is emitted once per spec or seldom, read back as syntax.
fn parse_items(tokens: TokenStream) -> Result<syn::File, String> {
    syn::parse2(tokens).map_err(|error| format!("internal error: the generated code does not parse: {error}"))
}

/// `mod.rs`: module docs, the other files' declarations, `Server` and `Client`.
fn root(api: &Api) -> TokenStream {
    let heading = format!("{} (version {})", api.title, api.version);
    let module_doc = docs::inner_doc_attrs([Some(heading.as_str()), api.description.as_deref()]);
    let client = client::client(api);
    let types_mod = (!api.type_order.is_empty()).then(|| {
        quote!(
            mod types;
            pub use types::*;
        )
    });
    // Operations without parameter, response or error types only add methods to `Client`.
    let operation_types = api.operations.iter().any(|operation| {
        operation.params_type.is_some() || operation.response_enum.is_some() || operation.error_enum.is_some()
    });
    let operations_mod = (!api.operations.is_empty()).then(|| {
        let reexport = operation_types.then(|| {
            quote!(
                pub use operations::*;
            )
        });
        quote!(mod operations; #reexport)
    });
    quote! {
        #module_doc

        #operations_mod
        #types_mod

        #client
    }
}

/// An identifier for a type or value name, raw when it is a keyword (type names never are,
/// once camel-cased).
fn ident(name: &str) -> Ident {
    if names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}
