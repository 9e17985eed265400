//! Stage 3: the model as Rust syntax trees, each generated file as a sequence of independent
//! pieces.

mod client;
mod decoding;
mod doc_examples;
pub mod docs;
pub mod example_tests;
pub mod operation_tests;
mod operations;
mod syntax;
mod types;

use crate::model::{Api, BodyKind};
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
    /// The files of `api`'s module: `types.rs` only when it has types (and they are not compiled
    /// in a crate of their own), `operations.rs` only when it has operations.
    pub fn of(api: &Api) -> Vec<ModuleFile> {
        let mut files = vec![ModuleFile::Root];
        if !api.type_order.is_empty() && api.types_crate.is_none() {
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

    /// How many pieces the file is emitted in: a prelude (module docs, imports, and for
    /// operations the response decoders they share), then one piece per type or operation,
    /// and for operations one more with all their methods. Pieces are independent items, so a
    /// printer can emit and format them in chunks, on several threads, without holding the
    /// whole file's tokens.
    pub fn pieces(self, api: &Api) -> usize {
        match self {
            ModuleFile::Root => 1,
            ModuleFile::Types => 1 + api.type_order.len(),
            // Each operation's types, then each one's methods (in one `impl Client` block).
            ModuleFile::Operations => 1 + 2 * api.operations.len(),
        }
    }

    /// The pieces in `range`, in order, as one syntax tree.
    ///
    /// Fails only if code written with `quote!` does not parse, which is a bug in the emitter;
    /// the error says so rather than writing code that does not compile.
    pub fn emit(self, api: &Api, range: Range<usize>) -> Result<syn::File, String> {
        let mut file = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
        let mut methods = Vec::new();
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
                    if self == ModuleFile::Operations {
                        file.items.extend(decoding::shared_decoders(&api.operations));
                    }
                }
                (ModuleFile::Types, index) => {
                    file.items.extend(types::type_def(api, &api.types[api.type_order[index - 1].0])?);
                }
                (ModuleFile::Operations, index) => match api.operations.get(index - 1) {
                    Some(operation) => file.items.extend(operations::operation_types(api, operation)),
                    None => {
                        let operation = &api.operations[index - 1 - api.operations.len()];
                        methods.extend(operations::operation_methods(api, operation));
                    }
                },
            }
        }
        if !methods.is_empty() {
            file.items.push(syntax::impl_block(
                syn::Generics::default(),
                None,
                syntax::named_type("Client"),
                methods,
            ));
        }
        Ok(file)
    }

    /// The first line of the block whose members are emitted piece by piece, so that the
    /// printer joins the chunks' shares of it into one block.
    pub fn continued_block(self) -> Option<&'static str> {
        match self {
            ModuleFile::Operations => Some("impl Client {"),
            ModuleFile::Root | ModuleFile::Types => None,
        }
    }
}

/// Code written with `quote!`, for what is emitted once per spec or seldom, read back as syntax.
fn parse_items(tokens: TokenStream) -> Result<syn::File, String> {
    syn::parse2(tokens).map_err(|error| format!("internal error: the generated code does not parse: {error}"))
}

/// `mod.rs`: module docs, the other files' declarations, `Server` and `Client`.
fn root(api: &Api) -> syn::File {
    let heading = api.heading();
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
                || operation.body.as_ref().is_some_and(|body| matches!(body.kind, BodyKind::Multipart(_)))
        });
        if operation_types {
            items.push(syntax::glob_use(Vec::new(), syntax::public(), "operations"));
        }
    }
    if !api.type_order.is_empty() {
        match &api.types_crate {
            Some(path) => items.push(syntax::glob_use(Vec::new(), syntax::public(), path)),
            None => {
                items.push(syntax::module("types"));
                items.push(syntax::glob_use(Vec::new(), syntax::public(), "types"));
            }
        }
    }
    items.extend(client::client(api));
    syn::File { shebang: None, attrs, items }
}

#[cfg(test)]
mod tests {
    //! The model reserves the names that emitted code uses itself; these tests hold the two
    //! lists to what emit actually writes.

    use super::ModuleFile;
    use crate::model::{self, Api, CLIENT_METHODS, RESERVED_ARGUMENTS};
    use proc_macro2::{TokenStream, TokenTree};
    use quote::ToTokens;
    use std::collections::BTreeSet;

    /// Two servers (so `with_server` exists), a scheme, an operation with every kind of
    /// argument and response, and a form.
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
servers: [{url: "https://a.example"}, {url: "https://b.example"}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /items/{id}:
    put:
      operationId: putItem
      security: [{key: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
        "404": {description: missing, content: {application/json: {schema: {type: integer}}}}
        "500": {description: failed, content: {text/plain: {schema: {type: string}}}}
  /upload:
    post:
      operationId: upload
      requestBody:
        content: {multipart/form-data: {schema: {type: object, properties: {f: {type: string, format: binary}}}}}
      responses:
        "204": {description: stored}
"#;

    fn api() -> Api {
        let document = crate::load::parse(SPEC).expect("the test spec loads");
        model::build(&document).expect("the test spec builds")
    }

    fn file(api: &Api, file: ModuleFile) -> syn::File {
        file.emit(api, 0..file.pieces(api)).expect("emits")
    }

    /// The functions of every `impl Client` block, and `Client`'s fields.
    fn client_members(file: &syn::File) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for item in &file.items {
            match item {
                syn::Item::Impl(block) if block.trait_.is_none() => {
                    let is_client =
                        matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client"));
                    for member in block.items.iter().filter(|_| is_client) {
                        if let syn::ImplItem::Fn(function) = member {
                            names.insert(function.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Struct(client) if client.ident == "Client" => {
                    names.extend(
                        client.fields.iter().filter_map(|f| f.ident.as_ref().map(ToString::to_string)),
                    );
                }
                _ => {}
            }
        }
        names
    }

    #[test]
    fn client_methods_emit_writes_are_the_ones_the_model_reserves() {
        let api = api();
        let from_spec: BTreeSet<String> = api
            .security_schemes
            .iter()
            .map(|scheme| scheme.method.clone())
            .chain(api.operations.iter().map(|operation| operation.name.clone()))
            .collect();
        let mut written = client_members(&file(&api, ModuleFile::Root));
        written.extend(client_members(&file(&api, ModuleFile::Operations)));
        let fixed: BTreeSet<String> = written.difference(&from_spec).cloned().collect();
        let reserved: BTreeSet<String> = CLIENT_METHODS.iter().map(|name| (*name).to_owned()).collect();
        assert_eq!(fixed, reserved, "emit writes these `Client` members; CLIENT_METHODS must list them");
    }

    /// Identifiers that follow `let`, `let mut` or `|` in `tokens`: the names code binds.
    fn bound_names(tokens: TokenStream, out: &mut BTreeSet<String>) {
        let mut previous: Vec<String> = Vec::new();
        for tree in tokens {
            match &tree {
                TokenTree::Group(group) => bound_names(group.stream(), out),
                TokenTree::Ident(ident) => {
                    let after = previous.last().map(String::as_str);
                    let binds = matches!(after, Some("let" | "|"))
                        || (after == Some("mut") && previous.iter().rev().nth(1).is_some_and(|p| p == "let"));
                    // `let Some(x)` is a pattern, not a name; `|response| match` binds `response`.
                    let name = ident.to_string();
                    let pattern =
                        name.starts_with(char::is_uppercase) || matches!(name.as_str(), "mut" | "match");
                    if binds && !pattern {
                        out.insert(name);
                    }
                }
                _ => {}
            }
            previous.push(tree.to_string());
        }
    }

    #[test]
    fn names_operation_methods_bind_are_reserved_arguments() {
        let api = api();
        let operations = file(&api, ModuleFile::Operations);
        let mut bound = BTreeSet::new();
        for item in &operations.items {
            let syn::Item::Impl(block) = item else { continue };
            if !matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client")) {
                continue;
            }
            for member in &block.items {
                let syn::ImplItem::Fn(function) = member else { continue };
                bound_names(function.block.to_token_stream(), &mut bound);
                for input in &function.sig.inputs {
                    if let syn::FnArg::Typed(typed) = input {
                        bound.insert(typed.pat.to_token_stream().to_string());
                    }
                }
            }
        }
        let path_params: BTreeSet<String> =
            api.operations.iter().flat_map(|op| op.path_params.iter().map(|p| p.name.clone())).collect();
        let fixed: BTreeSet<&str> =
            bound.iter().filter(|name| !path_params.contains(*name)).map(String::as_str).collect();
        let reserved: BTreeSet<&str> = RESERVED_ARGUMENTS.iter().copied().collect();
        assert_eq!(fixed, reserved, "emit binds these names; RESERVED_ARGUMENTS must list them");
    }
}
