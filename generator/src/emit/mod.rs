//! Stage 3: the model as Rust tokens, each generated file as a sequence of independent pieces.

mod client;
pub mod docs;
mod operations;
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

    /// The tokens of the pieces in `range`, in order.
    pub fn emit(self, api: &Api, range: Range<usize>) -> TokenStream {
        range.map(|index| self.piece(api, index)).collect()
    }

    fn piece(self, api: &Api, index: usize) -> TokenStream {
        match (self, index) {
            (ModuleFile::Root, _) => root(api),
            (ModuleFile::Types, 0) => quote! {
                //! Types of the spec's schemas.

                #[allow(unused_imports)]
                use super::*;
            },
            (ModuleFile::Types, index) => types::type_def(api, &api.types[api.type_order[index - 1].0]),
            (ModuleFile::Operations, 0) => quote! {
                //! One method per operation, with the parameter, response and error types it uses.

                use super::*;
            },
            (ModuleFile::Operations, index) => operations::operation_items(api, &api.operations[index - 1]),
        }
    }
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

/// An identifier for a value name, raw when it is a keyword.
fn ident(name: &str) -> Ident {
    if names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// An identifier for a type name (type names are never keywords once camel-cased).
fn type_ident(name: &str) -> TokenStream {
    let ident = ident(name);
    quote!(#ident)
}
