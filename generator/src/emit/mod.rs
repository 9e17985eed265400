//! Stage 3: the model as Rust tokens, one token stream per generated file.

mod client;
pub mod docs;
mod operations;
mod types;

use crate::model::Api;
use crate::names;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The token streams of one spec module.
#[derive(Debug, Clone)]
pub struct ModuleTokens {
    /// `mod.rs`: module docs, `Server`, `Client`.
    pub root: TokenStream,
    /// `types.rs`: the schemas' types; `None` when the spec has none.
    pub types: Option<TokenStream>,
    /// `operations.rs`: one method per operation and its own types; `None` without operations.
    pub operations: Option<TokenStream>,
}

/// Emits the tokens of a spec module.
pub fn module(api: &Api) -> ModuleTokens {
    let heading = format!("{} (version {})", api.title, api.version);
    let module_doc = docs::inner_doc_attrs([Some(heading.as_str()), api.description.as_deref()]);
    let client = client::client(api);
    let types = (!api.type_order.is_empty()).then(|| {
        let types = types::types(api);
        quote! {
            //! Types of the spec's schemas.

            #[allow(unused_imports)]
            use super::*;

            #types
        }
    });
    let operations = (!api.operations.is_empty()).then(|| {
        let operations = operations::operations(api);
        quote! {
            //! One method per operation, with the parameter, response and error types it uses.

            use super::*;

            #operations
        }
    });
    let types_mod = types.is_some().then(|| {
        quote!(
            mod types;
            pub use types::*;
        )
    });
    // Operations without parameter, response or error types only add methods to `Client`.
    let operation_types = api.operations.iter().any(|operation| {
        operation.params_type.is_some() || operation.response_enum.is_some() || operation.error_enum.is_some()
    });
    let operations_mod = operations.as_ref().map(|_| {
        let reexport = operation_types.then(|| {
            quote!(
                pub use operations::*;
            )
        });
        quote!(mod operations; #reexport)
    });
    let root = quote! {
        #module_doc

        #operations_mod
        #types_mod

        #client
    };
    ModuleTokens { root, types, operations }
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
