//! Operations: each one's parameter struct, response and error enums, and the client methods
//! that send them.

use super::decoding::Decoding;
use super::docs::doc_attrs;
use super::syntax;
use super::types::rust_type;
use crate::model::{
    Api, BodyKind, CursorToken, FieldAccess, FormBody, FormFieldKind, HttpMethod, IntType, NextPage,
    Numbering, Operation, Pagination, Parameter, ParameterLocation, QueryStyle, RequestBody, Response,
    StatusMatch, Type,
};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{Expr, ImplItem, Item, Stmt};

/// The types of one operation: its parameter struct, multipart form, response and error enums.
pub fn operation_types(api: &Api, operation: &Operation) -> Vec<Item> {
    let method_link = format!("[`Client::{}`]", operation.name);
    let mut items = Vec::with_capacity(4);
    if let (Some(params_type), Some(shared)) = (&operation.params_type, &operation.params_shared_with) {
        let doc =
            syntax::doc_attributes([format!(" Parameters of {method_link}: the same as [`{shared}`].")]);
        let (name, shared) = (syntax::name(params_type), syntax::name(shared));
        items.push(syn::parse_quote!(#(#doc)* pub type #name = #shared;));
    } else if let Some(params_type) = &operation.params_type {
        let default = operation.params.iter().all(|p| !p.required).then(|| quote!(Default,));
        let mut attrs = syntax::doc_attributes([format!(" Parameters of {method_link}.")]);
        attrs.push(syntax::list_attribute("derive", quote!(Debug, Clone, PartialEq, #default)));
        let fields = operation.params.iter().map(|param| {
            let ty = rust_type(api, &param.ty);
            let ty = if param.required { ty } else { syntax::generic_type("Option", [ty]) };
            let place = match param.location {
                ParameterLocation::Query(_) => "query parameter",
                ParameterLocation::Header => "header",
                ParameterLocation::Cookie => "cookie",
                ParameterLocation::Path => "path parameter",
            };
            let wire = format!("Sent as the `{}` {place}.", param.wire);
            let mut attrs = doc_attrs([param.doc.as_deref(), Some(&wire)]);
            attrs.extend(param.deprecated.as_deref().map(syntax::deprecated_attribute));
            syntax::public_field(attrs, syntax::name(&param.name), ty)
        });
        items.push(syntax::public_struct(attrs, syntax::name(params_type), fields.collect()));
        items.push(add_params_method(params_type, &operation.params));
    }
    if let Some(BodyKind::Multipart(form)) = operation.body.as_ref().map(|body| &body.kind) {
        items.push(form_struct(api, form, &method_link));
    }
    if let Some(enum_name) = &operation.response_enum {
        let doc = format!(" Successful responses of {method_link}.");
        items.push(body_enum(api, enum_name, doc, &operation.success));
    }
    if let Some(enum_name) = &operation.error_enum {
        let doc = format!(" Documented error responses of {method_link}.");
        items.push(body_enum(api, enum_name, doc, &operation.errors));
    }
    items
}

/// `fn add_to(&self, request)`, which puts each parameter where the spec places it.
///
/// The parameters are added here rather than in the operation's method because operations
/// share parameter structs: the calls are checked once per struct, not once per operation.
fn add_params_method(params_type: &str, params: &[Parameter]) -> Item {
    let name = syntax::name(params_type);
    let statements = params.iter().map(|param| {
        let value = syntax::borrow(syntax::field(syntax::var("self"), syntax::name(&param.name)));
        send_value(param.location, &param.wire, value)
    });
    syn::parse_quote! {
        impl #name {
            /// Adds the parameters to `request`, each where the spec places it.
            fn add_to(&self, request: &mut crate::runtime::Request<'_>) {
                #(#statements)*
            }
        }
    }
}

/// The client methods of one operation: the one that sends it, and its paging methods.
///
/// They go into one `impl Client` block for all operations, not one block per operation:
/// rustc looks a method of `Client` up in each of its inherent impl blocks, so with Graph's
/// 11,000 blocks every call of one operation's method from another (the paging methods do)
/// cost 2.7 ms of type checking, 11 s in all.
pub fn operation_methods(api: &Api, operation: &Operation) -> Vec<ImplItem> {
    let mut methods = vec![method(api, operation)];
    if let Some(pagination) = &operation.pagination {
        methods.extend(paging_methods(api, operation, pagination));
    }
    methods
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(range) => format!("{range}XX"),
        StatusMatch::Default => "Any other status".to_owned(),
    }
}

/// `404: Not found`, or the status alone when the spec does not describe it.
fn status_line(response: &Response) -> String {
    let status = status_text(response.status);
    match response.description.as_deref().map(str::trim) {
        Some(description) if !description.is_empty() => format!("{status}: {description}"),
        _ => status,
    }
}

fn body_type(api: &Api, body: &BodyKind) -> Option<syn::Type> {
    match body {
        BodyKind::Json(ty) | BodyKind::Form(ty) => Some(rust_type(api, ty)),
        BodyKind::Text => Some(syntax::named_type("String")),
        BodyKind::Bytes => Some(syntax::named_type("bytes::Bytes")),
        BodyKind::ByteStream => Some(syntax::named_type("crate::runtime::ByteStream")),
        BodyKind::EventStream(data, _) => {
            Some(syntax::generic_type("crate::runtime::EventStream", [rust_type(api, data)]))
        }
        BodyKind::Multipart(form) => Some(syntax::ident_type(syntax::name(&form.name))),
        BodyKind::Empty => None,
    }
}

fn body_enum(api: &Api, enum_name: &str, doc: String, responses: &[Response]) -> Item {
    let mut attrs = syntax::doc_attributes([doc]);
    // A stream is received once: it can be neither cloned nor compared.
    let derives = if responses.iter().any(|response| response.body.is_streamed()) {
        quote!(Debug)
    } else {
        quote!(Debug, Clone, PartialEq)
    };
    attrs.push(syntax::list_attribute("derive", derives));
    let variants = responses.iter().map(|response| {
        let doc = doc_attrs([Some(status_line(response).as_str())]);
        syntax::variant(doc, syntax::name(&response.variant), body_type(api, &response.body))
    });
    syntax::public_enum(attrs, syntax::name(enum_name), variants.collect())
}

/// The argument type for a value the caller lends: `&str` for strings, slices for arrays,
/// plain copies for small scalars.
pub(super) fn argument_type(api: &Api, ty: &Type) -> (syn::Type, bool) {
    match ty {
        Type::String => (syntax::reference(syntax::named_type("str")), true),
        Type::Array(item) => (syntax::slice_reference(rust_type(api, item)), true),
        Type::Bool | Type::Int(_) | Type::Float(_) | Type::Uuid | Type::Date | Type::DateTime => {
            (rust_type(api, ty), false)
        }
        _ => (syntax::reference(rust_type(api, ty)), true),
    }
}

fn request() -> Expr {
    syntax::var("request")
}

/// A statement adding one value to the request.
fn send_value(location: ParameterLocation, wire: &str, value: Expr) -> Stmt {
    let method = match location {
        ParameterLocation::Path => "path_param",
        ParameterLocation::Query(QueryStyle::Form { explode: true }) => "query",
        ParameterLocation::Query(QueryStyle::Form { explode: false }) => "query_unexploded",
        ParameterLocation::Query(QueryStyle::SpaceDelimited) => "query_space_delimited",
        ParameterLocation::Query(QueryStyle::PipeDelimited) => "query_pipe_delimited",
        ParameterLocation::Query(QueryStyle::DeepObject) => "query_deep_object",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    };
    syntax::statement(syntax::method_call(request(), method, [syntax::string(wire), value]))
}

/// The client method: `pub fn name(&self, arguments) -> Call<…> { build the request; decode }`.
fn method(api: &Api, operation: &Operation) -> syn::ImplItem {
    let (arguments, mut statements) = request_statements(api, operation);
    // The runtime has one request constructor per HTTP method (`get`, `post`, …).
    let path = syntax::string(&operation.path);
    let new_request =
        syntax::method_call(super::client::runtime(), request_constructor(operation.method), [path]);
    let decoding = Decoding::of(operation);
    if !decoding.streamed.is_empty() {
        statements.push(stream_statuses(&decoding.streamed));
    }
    let binding = syntax::binding(syntax::name("request"), !statements.is_empty());
    statements.insert(0, syntax::let_statement(binding, new_request));
    statements.push(syntax::tail(syntax::method_call(request(), "call", [decoding.decoder()])));
    let signature = syntax::signature(
        syntax::name(&operation.name),
        syntax::SelfArg::Borrowed,
        arguments,
        call_type(api, operation),
    );
    let mut attrs = method_doc(operation);
    attrs.extend(syntax::doc_attributes(super::doc_examples::example_lines(api, operation)));
    attrs.extend(operation.deprecated.as_deref().map(syntax::deprecated_attribute));
    syntax::function(attrs, true, signature, statements)
}

/// Summary, description, `METHOD /path`, and the documented errors when no enum lists them.
fn method_doc(operation: &Operation) -> Vec<syn::Attribute> {
    let signature_line = format!("`{} {}`", operation.method.as_str(), operation.path);
    let errors_list = (operation.error_enum.is_none() && !operation.errors.is_empty()).then(|| {
        let mut list = String::from("Documented errors:");
        for response in &operation.errors {
            let line = status_line(response);
            list.push_str("\n- ");
            list.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        list
    });
    doc_attrs([
        operation.summary.as_deref().filter(|summary| !repeats(summary, operation.description.as_deref())),
        operation.description.as_deref(),
        Some(&signature_line),
        errors_list.as_deref(),
    ])
}

/// The method's arguments, and the statements that put each value into `request`.
fn request_statements(api: &Api, operation: &Operation) -> (Vec<(Ident, syn::Type)>, Vec<Stmt>) {
    let mut arguments = Vec::new();
    let mut statements = Vec::new();
    for param in &operation.path_params {
        let (ty, borrowed) = argument_type(api, &param.ty);
        let arg = syntax::name(&param.name);
        let value = syntax::path_expr(syntax::ident_path(arg.clone()));
        let value = if borrowed { value } else { syntax::borrow(value) };
        arguments.push((arg, ty));
        statements.push(send_value(ParameterLocation::Path, &param.wire, value));
    }
    if let Some(params_type) = &operation.params_type {
        let params_ref = syntax::reference(syntax::ident_type(syntax::name(params_type)));
        let add_params =
            syntax::method_call(syntax::var("params"), "add_to", [syntax::mut_borrow(request())]);
        let send_params = vec![syntax::statement(add_params)];
        // When every parameter is optional the caller may pass `None` instead of an empty struct.
        if operation.params.iter().all(|param| !param.required) {
            arguments.push((syntax::name("params"), syntax::generic_type("Option", [params_ref])));
            let some_params = syntax::tuple_pattern(syntax::path("Some"), syntax::name("params"));
            statements.push(syntax::statement(syntax::if_let(
                some_params,
                syntax::var("params"),
                send_params,
            )));
        } else {
            arguments.push((syntax::name("params"), params_ref));
            statements.extend(send_params);
        }
    }
    for constant in &operation.constants {
        statements.push(send_value(constant.location, &constant.wire, syntax::string(&constant.value)));
    }
    if let Some(body) = &operation.body {
        let (ty, send) = body_argument(api, body);
        if body.required || body.kind == BodyKind::Bytes {
            arguments.push((syntax::name("body"), ty));
            statements.extend(send);
        } else {
            arguments.push((syntax::name("body"), syntax::generic_type("Option", [ty])));
            let some_body = syntax::tuple_pattern(syntax::path("Some"), syntax::name("body"));
            statements.push(syntax::statement(syntax::if_let(some_body, syntax::var("body"), send)));
        }
    }
    if !operation.security.is_empty() {
        let alternatives = operation
            .security
            .iter()
            .map(|keys| syntax::borrow(syntax::array(keys.iter().map(|key| syntax::string(key)))));
        let alternatives = syntax::borrow(syntax::array(alternatives));
        statements.push(syntax::statement(syntax::method_call(request(), "security", [alternatives])));
    }
    (arguments, statements)
}

/// The type of the `body` argument and the statements that send it.
fn body_argument(api: &Api, body: &RequestBody) -> (syn::Type, Vec<Stmt>) {
    let content_type = || syntax::string(&body.content_type);
    let body_value = || syntax::var("body");
    let send =
        |method: &str, args: Vec<Expr>| vec![syntax::statement(syntax::method_call(request(), method, args))];
    // Scalars are taken by value; the runtime encodes from a reference.
    let encoded = |ty: &Type| {
        let (argument, borrowed) = argument_type(api, ty);
        (argument, if borrowed { body_value() } else { syntax::borrow(body_value()) })
    };
    match &body.kind {
        BodyKind::Json(ty) => {
            let (argument, value) = encoded(ty);
            (argument, send("json", vec![content_type(), value]))
        }
        BodyKind::Form(ty) => {
            let (argument, value) = encoded(ty);
            (argument, send("form", vec![value]))
        }
        BodyKind::Text => {
            (syntax::reference(syntax::named_type("str")), send("text", vec![content_type(), body_value()]))
        }
        // Request bodies are never streamed responses; all binary kinds send a `Body`.
        BodyKind::Bytes | BodyKind::ByteStream | BodyKind::EventStream(..) => (
            syntax::impl_trait(syntax::path_with(
                syntax::path("Into"),
                [syn::GenericArgument::Type(syntax::named_type("crate::runtime::Body"))],
            )),
            send("bytes", vec![content_type(), syntax::method_call(body_value(), "into", [])]),
        ),
        BodyKind::Multipart(form) => (syntax::ident_type(syntax::name(&form.name)), form_statements(form)),
        BodyKind::Empty => {
            (syntax::unit_type(), vec![syntax::let_statement(syntax::unit_pattern(), body_value())])
        }
    }
}

/// `let mut form = Multipart::new();`, one call per field, then `request.multipart(form)`.
fn form_statements(form: &FormBody) -> Vec<Stmt> {
    let new_form = syntax::call(syntax::var("crate::runtime::Multipart::new"), []);
    let mut statements = vec![syntax::let_statement(syntax::binding(syntax::name("form"), true), new_form)];
    for field in &form.fields {
        let value = syntax::field(syntax::var("body"), syntax::name(&field.name));
        let wire = syntax::string(&field.wire);
        let call = match &field.kind {
            FormFieldKind::File { .. } => {
                let media_type = field.content_type.as_deref().unwrap_or("application/octet-stream");
                syntax::method_call(syntax::var("form"), "file", [wire, value, syntax::string(media_type)])
            }
            FormFieldKind::Text(_) => {
                syntax::method_call(syntax::var("form"), "text", [wire, syntax::borrow(value)])
            }
            FormFieldKind::Json(_) => {
                let media_type = field.content_type.as_deref().unwrap_or("application/json");
                let args = [wire, syntax::borrow(value), syntax::string(media_type)];
                syntax::method_call(syntax::var("form"), "json", args)
            }
        };
        statements.push(syntax::statement(call));
        for (header, header_value) in &field.headers {
            let args = [syntax::string(&field.wire), syntax::string(header), syntax::string(header_value)];
            statements.push(syntax::statement(syntax::method_call(syntax::var("form"), "part_header", args)));
        }
    }
    statements.push(syntax::statement(syntax::method_call(request(), "multipart", [syntax::var("form")])));
    statements
}

/// The struct a `multipart/form-data` body is given as: one field per part.
fn form_struct(api: &Api, form: &FormBody, method_link: &str) -> Item {
    let summary = format!("The `multipart/form-data` body of {method_link}: one part per field.");
    let mut attrs = doc_attrs([Some(summary.as_str()), form.doc.as_deref()]);
    // File parts may be streams: received once, neither cloned nor compared.
    attrs.push(syntax::list_attribute("derive", quote!(Debug)));
    let fields = form.fields.iter().map(|field| {
        let ty = match &field.kind {
            FormFieldKind::File { repeated: false } => syntax::named_type("crate::runtime::FilePart"),
            FormFieldKind::File { repeated: true } => {
                syntax::generic_type("Vec", [syntax::named_type("crate::runtime::FilePart")])
            }
            FormFieldKind::Text(ty) | FormFieldKind::Json(ty) => rust_type(api, ty),
        };
        let ty = if field.required { ty } else { syntax::generic_type("Option", [ty]) };
        let fallback = format!("The `{}` part.", field.wire);
        let settable = matches!(field.kind, FormFieldKind::File { .. }) && !field.caller_headers.is_empty();
        let headers = settable.then(|| {
            let names: Vec<String> = field.caller_headers.iter().map(|name| format!("`{name}`")).collect();
            format!(
                "The spec describes the part headers {}: set them with `FilePart::header`.",
                names.join(", ")
            )
        });
        let doc = doc_attrs([Some(field.doc.as_deref().unwrap_or(&fallback)), headers.as_deref()]);
        syntax::public_field(doc, syntax::name(&field.name), ty)
    });
    syntax::public_struct(attrs, syntax::name(&form.name), fields.collect())
}

/// `crate::runtime::Call<'_, Success, Error>`.
fn call_type(api: &Api, operation: &Operation) -> syn::Type {
    let (success_type, error_type) = call_types(api, operation);
    let generics = [syntax::lifetime("'_"), syn::GenericArgument::Type(success_type)]
        .into_iter()
        .chain(error_type.map(syn::GenericArgument::Type));
    syntax::path_type(syntax::path_with(syntax::path("crate::runtime::Call"), generics))
}

/// The success type and, when errors are documented, the error type of an operation's call.
fn call_types(api: &Api, operation: &Operation) -> (syn::Type, Option<syn::Type>) {
    let success_type = match &operation.response_enum {
        Some(enum_name) => syntax::ident_type(syntax::name(enum_name)),
        None => operation
            .success
            .first()
            .and_then(|response| body_type(api, &response.body))
            .unwrap_or_else(syntax::unit_type),
    };
    // Without documented errors, `Call`'s error type keeps its default, `Infallible`.
    let error_type = match (&operation.error_enum, operation.errors.first()) {
        (Some(enum_name), _) => Some(syntax::ident_type(syntax::name(enum_name))),
        (None, Some(error)) => Some(body_type(api, &error.body).unwrap_or_else(syntax::unit_type)),
        (None, None) => None,
    };
    (success_type, error_type)
}

/// How a page leads to the next one: `|page| …` giving its link or cursor token, if any, or
/// for numbered pages how many items it holds.
fn next_page_closure(pagination: &Pagination) -> TokenStream {
    match &pagination.next {
        NextPage::Number { .. } => match &pagination.items {
            None => quote!(|page| page.len()),
            Some(field) => {
                let name = syntax::name(&field.name);
                match (field.optional, field.nested) {
                    (_, true) => {
                        quote!(|page| page.#name.as_ref().and_then(Option::as_ref).map_or(0, Vec::len))
                    }
                    (true, false) => quote!(|page| page.#name.as_ref().map_or(0, Vec::len)),
                    (false, false) => quote!(|page| page.#name.len()),
                }
            }
        },
        NextPage::LinkHeader => quote!(|page| crate::runtime::link_header_next(page.headers())),
        NextPage::BodyField(field) | NextPage::Cursor { token: CursorToken::Field(field), .. } => {
            let value = optional_clone(quote!(page), field);
            quote!(|page| #value)
        }
        NextPage::Cursor { token: CursorToken::LastItemId { has_more, id }, .. } => {
            let flag = syntax::name(&has_more.name);
            let more = match (has_more.optional, has_more.nested) {
                (_, true) => quote!(page.#flag.flatten().unwrap_or(false)),
                (true, false) => quote!(page.#flag.unwrap_or(false)),
                (false, false) => quote!(page.#flag),
            };
            let last = match &pagination.items {
                Some(field) => {
                    let name = syntax::name(&field.name);
                    match (field.optional, field.nested) {
                        (_, true) => {
                            quote!(page.#name.as_ref().and_then(Option::as_ref).and_then(|items| items.last()))
                        }
                        (true, false) => quote!(page.#name.as_ref().and_then(|items| items.last())),
                        (false, false) => quote!(page.#name.last()),
                    }
                }
                None => quote!(page.last()),
            };
            let id_name = syntax::name(&id.name);
            let last_id = match (id.optional, id.nested) {
                (_, true) => quote!(#last.and_then(|item| item.#id_name.clone().flatten())),
                (true, false) => quote!(#last.and_then(|item| item.#id_name.clone())),
                (false, false) => quote!(#last.map(|item| item.#id_name.clone())),
            };
            quote!(|page| if #more { #last_id } else { None })
        }
    }
}

/// `value.field` as an `Option` of an owned copy, whatever `Option` nesting the field has.
fn optional_clone(value: TokenStream, field: &FieldAccess) -> TokenStream {
    let name = syntax::name(&field.name);
    match (field.optional, field.nested) {
        (_, true) => quote!(#value.#name.clone().flatten()),
        (true, false) => quote!(#value.#name.clone()),
        (false, false) => quote!(Some(#value.#name.clone())),
    }
}

/// `let name = …;` keeping an argument owned for the next pages' calls.
fn owned_argument(api: &Api, operation: &Operation, name: &Ident) -> TokenStream {
    if name == "params" {
        let all_optional = operation.params.iter().all(|param| !param.required);
        return if all_optional {
            quote!(let params = params.cloned().unwrap_or_default();)
        } else {
            quote!(let params = params.clone();)
        };
    }
    if let Some((ty, required)) = json_body(operation).filter(|_| name == "body") {
        return match (ty, argument_type(api, ty).1, required) {
            (_, false, _) => TokenStream::new(),
            (Type::String, true, true) => quote!(let body = body.to_owned();),
            (Type::Array(_), true, true) => quote!(let body = body.to_vec();),
            (_, true, true) => quote!(let body = body.clone();),
            (Type::String, true, false) => quote!(let body = body.map(str::to_owned);),
            (Type::Array(_), true, false) => quote!(let body = body.map(<[_]>::to_vec);),
            (_, true, false) => quote!(let body = body.cloned();),
        };
    }
    let param = operation.path_params.iter().find(|param| syntax::name(&param.name) == *name);
    match param.map(|param| (&param.ty, argument_type(api, &param.ty).1)) {
        Some((Type::String, true)) => quote!(let #name = #name.to_owned();),
        Some((Type::Array(_), true)) => quote!(let #name = #name.to_vec();),
        Some((_, true)) => quote!(let #name = #name.clone();),
        _ => TokenStream::new(),
    }
}

/// The type of a JSON or form body, and whether it is required.
fn json_body(operation: &Operation) -> Option<(&Type, bool)> {
    let body = operation.body.as_ref()?;
    match &body.kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => Some((ty, body.required)),
        _ => None,
    }
}

/// How a kept argument is passed again: borrowed where the method borrows it.
fn borrowed_argument(api: &Api, operation: &Operation, name: &Ident) -> TokenStream {
    if name == "params" {
        return if operation.params.iter().all(|param| !param.required) {
            quote!(Some(&params))
        } else {
            quote!(&params)
        };
    }
    if let Some((ty, required)) = json_body(operation).filter(|_| name == "body") {
        return match (ty, argument_type(api, ty).1, required) {
            (_, false, _) => quote!(body),
            (_, true, true) => quote!(&body),
            (Type::String | Type::Array(_), true, false) => quote!(body.as_deref()),
            (_, true, false) => quote!(body.as_ref()),
        };
    }
    match operation.path_params.iter().find(|param| syntax::name(&param.name) == *name) {
        Some(param) if argument_type(api, &param.ty).1 => quote!(&#name),
        _ => quote!(#name),
    }
}

/// `…_pages` and `…_items`: the operation's pages and items as streams, following next links.
fn paging_methods(api: &Api, operation: &Operation, pagination: &Pagination) -> Vec<syn::ImplItem> {
    let (arguments, _) = request_statements(api, operation);
    let names: Vec<&Ident> = arguments.iter().map(|(name, _)| name).collect();
    let parameters = arguments.iter().map(|(name, ty)| quote!(#name: #ty));
    let parameters: Vec<TokenStream> = parameters.collect();
    let (page, error) = call_types(api, operation);
    let error = error.unwrap_or_else(|| syntax::named_type("std::convert::Infallible"));
    let item = rust_type(api, &pagination.item_type);
    let operation_method = syntax::name(&operation.name);
    let pages_method = syntax::name(&pagination.pages_method);
    let items_method = syntax::name(&pagination.items_method);
    let next = next_page_closure(pagination);
    let items = match &pagination.items {
        None => quote!(|page| page),
        Some(field) => {
            let name = syntax::name(&field.name);
            match (field.optional, field.nested) {
                (_, true) => quote!(|page| page.#name.flatten().unwrap_or_default()),
                (true, false) => quote!(|page| page.#name.unwrap_or_default()),
                (false, false) => quote!(|page| page.#name),
            }
        }
    };
    let first_call = quote!(self.#operation_method(#(#names),*));
    // Cursor and numbered pages keep the arguments (owned) to call the operation again.
    let owned: Vec<TokenStream> =
        arguments.iter().map(|(name, _)| owned_argument(api, operation, name)).collect();
    let kept_args: Vec<TokenStream> =
        arguments.iter().map(|(name, _)| borrowed_argument(api, operation, name)).collect();
    let pages_body = match &pagination.next {
        NextPage::Cursor { param, .. } => {
            let param_field = syntax::name(param);
            let token = if required_param(operation, param) { quote!(token) } else { quote!(Some(token)) };
            quote! {
                #(#owned)*
                let first = self.#operation_method(#(#kept_args),*);
                crate::runtime::Pages::with_cursor(first, #next, move |token| {
                    let mut params = params.clone();
                    params.#param_field = #token;
                    self.#operation_method(#(#kept_args),*)
                })
            }
        }
        NextPage::Number { param, numbering, first } => {
            let param_field = syntax::name(param);
            let first = proc_macro2::Literal::u64_unsuffixed(*first);
            let int = operation.params.iter().find(|p| p.name == *param).map(|p| &p.ty);
            // Conversions to and from the runtime's `u64` that clippy accepts for each width.
            let to_u64 = |value: TokenStream, required: bool| match (int, required) {
                (Some(Type::Int(IntType::U64)), true) => value,
                (Some(Type::Int(IntType::U8 | IntType::U16 | IntType::U32)), true) => {
                    quote!(u64::from(#value))
                }
                (_, true) => quote!(u64::try_from(#value).unwrap_or(#first)),
                (Some(Type::Int(IntType::U64)), false) => quote!(#value.unwrap_or(#first)),
                (Some(Type::Int(IntType::U8 | IntType::U16 | IntType::U32)), false) => {
                    quote!(#value.map_or(#first, u64::from))
                }
                (_, false) => quote!(#value.and_then(|value| u64::try_from(value).ok()).unwrap_or(#first)),
            };
            let from_u64 = match int {
                Some(Type::Int(IntType::U64)) => quote!(position),
                _ => quote!(position.try_into().ok()?),
            };
            let required = required_param(operation, param);
            let start = to_u64(quote!(params.#param_field), required);
            let position = if required { from_u64 } else { quote!(Some(#from_u64)) };
            let numbering = match numbering {
                Numbering::Pages => quote!(crate::runtime::Numbering::Pages),
                Numbering::Offset => quote!(crate::runtime::Numbering::Offset),
            };
            quote! {
                #(#owned)*
                let first = self.#operation_method(#(#kept_args),*);
                let start = #start;
                crate::runtime::Pages::numbered(first, #numbering, start, #next, move |position| {
                    let mut params = params.clone();
                    params.#param_field = #position;
                    Some(self.#operation_method(#(#kept_args),*))
                })
            }
        }
        _ => quote!(crate::runtime::Pages::new(#first_call, #next)),
    };
    let pages_doc =
        format!(" The pages of [`Client::{}`], each fetched when the stream reaches it.", operation.name);
    let items_doc = format!(" The items of every page of [`Client::{}`], in order.", operation.name);
    // The tokens are ours around names the model made valid: the fixtures parse them.
    let block: syn::ItemImpl = syn::parse_quote! {
        impl Client {
            #[doc = #pages_doc]
            pub fn #pages_method(&self, #(#parameters),*) -> crate::runtime::Pages<'_, #page, #error> {
                #pages_body
            }

            #[doc = #items_doc]
            pub fn #items_method(&self, #(#parameters),*) -> crate::runtime::Items<'_, #page, #item, #error> {
                crate::runtime::Items::new(self.#pages_method(#(#names),*), #items)
            }
        }
    };
    block.items
}

/// Whether the operation's parameter field `param` is required (not an `Option`).
fn required_param(operation: &Operation, param: &str) -> bool {
    operation.params.iter().any(|p| p.name == param && p.required)
}

/// The runtime client's method that starts a request with `method`.
fn request_constructor(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Put => "put",
        HttpMethod::Post => "post",
        HttpMethod::Delete => "delete",
        HttpMethod::Options => "options",
        HttpMethod::Head => "head",
        HttpMethod::Patch => "patch",
        HttpMethod::Trace => "trace",
    }
}

/// Whether `description` already starts with what `summary` says: many specs repeat the summary
/// as the description's first sentence, or as the whole description.
fn repeats(summary: &str, description: Option<&str>) -> bool {
    let summary = summary.trim().trim_end_matches('.');
    description
        .is_some_and(|description| !summary.is_empty() && description.trim_start().starts_with(summary))
}

/// `request.stream_statuses(&[(200, 200)])`: the runtime leaves these bodies unread.
fn stream_statuses(ranges: &[(u16, u16)]) -> Stmt {
    let tuples = ranges.iter().map(|(low, high)| {
        Expr::Tuple(syn::ExprTuple {
            attrs: Vec::new(),
            paren_token: syn::token::Paren::default(),
            elems: [syntax::integer(*low), syntax::integer(*high)].into_iter().collect(),
        })
    });
    let statuses = syntax::borrow(syntax::array(tuples));
    syntax::statement(syntax::method_call(request(), "stream_statuses", [statuses]))
}

#[cfg(test)]
mod tests {
    use super::repeats;

    #[test]
    fn a_summary_the_description_starts_with_is_left_out() {
        assert!(repeats("Gets a list.", Some("Gets a list. The list is paged.")));
        assert!(repeats("Retrieve call logs", Some("Retrieve call logs")));
        assert!(!repeats("Get chat", Some("Retrieve a single chat.")));
        assert!(!repeats("Get chat", None));
        assert!(!repeats(" ", Some("Anything")));
    }
}
