//! Tokens for operations: each one's parameter struct, response and error enums, and the
//! client method that sends it.

use super::docs::doc_attrs;
use super::types::rust_type;
use super::{ident, type_ident};
use crate::model::{
    Api, BodyKind, Operation, Parameter, ParameterLocation, QueryStyle, Response, StatusMatch, Type,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// The items of one operation: its parameter struct, response and error enums, and method.
pub fn operation_items(api: &Api, operation: &Operation) -> TokenStream {
    let method_link = format!("[`Client::{}`]", operation.name);
    let params = operation.params_type.as_ref().map(|params_type| {
        let name = type_ident(params_type);
        let all_optional = operation.params.iter().all(|p| !p.required);
        let default = all_optional.then(|| quote!(Default,));
        let fields = operation.params.iter().map(|param| {
            let field = ident(&param.name);
            let ty = rust_type(api, &param.ty);
            let ty = if param.required { ty } else { quote!(Option<#ty>) };
            let place = match param.location {
                ParameterLocation::Query(_) => "query parameter",
                ParameterLocation::Header => "header",
                ParameterLocation::Cookie => "cookie",
                ParameterLocation::Path => "path parameter",
            };
            let wire = format!("Sent as the `{}` {place}.", param.wire);
            let doc =
                doc_attrs([param.doc.as_deref(), Some(&wire), param.deprecated.then_some("Deprecated.")]);
            quote!(#doc pub #field: #ty,)
        });
        let doc = format!(" Parameters of {method_link}.");
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name {
                #(#fields)*
            }
        }
    });
    let response_enum = operation.response_enum.as_ref().map(|enum_name| {
        let doc = format!(" Successful responses of {method_link}.");
        body_enum(api, enum_name, &doc, &operation.success)
    });
    let error_enum = operation.error_enum.as_ref().map(|enum_name| {
        let doc = format!(" Documented error responses of {method_link}.");
        body_enum(api, enum_name, &doc, &operation.errors)
    });
    let method = method(api, operation);
    quote! {
        #params
        #response_enum
        #error_enum
        impl Client {
            #method
        }
    }
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

fn body_type(api: &Api, body: &BodyKind) -> Option<TokenStream> {
    match body {
        BodyKind::Json(ty) | BodyKind::Form(ty) => Some(rust_type(api, ty)),
        BodyKind::Text => Some(quote!(String)),
        BodyKind::Bytes => Some(quote!(bytes::Bytes)),
        BodyKind::Empty => None,
    }
}

fn body_enum(api: &Api, enum_name: &str, doc: &str, responses: &[Response]) -> TokenStream {
    let name = type_ident(enum_name);
    let variants = responses.iter().map(|response| {
        let variant = type_ident(&response.variant);
        let doc = doc_attrs([Some(status_line(response).as_str())]);
        match body_type(api, &response.body) {
            Some(ty) => quote!(#doc #variant(#ty),),
            None => quote!(#doc #variant,),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The argument type for a value the caller lends: `&str` for strings, slices for arrays,
/// plain copies for small scalars.
fn argument_type(api: &Api, ty: &Type) -> (TokenStream, bool) {
    match ty {
        Type::String => (quote!(&str), true),
        Type::Array(item) => {
            let item = rust_type(api, item);
            (quote!(&[#item]), true)
        }
        Type::Bool | Type::Int(_) | Type::Float(_) | Type::Uuid | Type::Date | Type::DateTime => {
            (rust_type(api, ty), false)
        }
        _ => {
            let ty = rust_type(api, ty);
            (quote!(&#ty), true)
        }
    }
}

/// A statement adding one value to the request.
fn send_value(location: ParameterLocation, wire: &str, value: TokenStream) -> TokenStream {
    match location {
        ParameterLocation::Path => quote!(request.path_param(#wire, #value);),
        ParameterLocation::Query(QueryStyle::Form { explode: true }) => quote!(request.query(#wire, #value);),
        ParameterLocation::Query(QueryStyle::Form { explode: false }) => {
            quote!(request.query_unexploded(#wire, #value);)
        }
        ParameterLocation::Query(QueryStyle::SpaceDelimited) => {
            quote!(request.query_space_delimited(#wire, #value);)
        }
        ParameterLocation::Query(QueryStyle::PipeDelimited) => {
            quote!(request.query_pipe_delimited(#wire, #value);)
        }
        ParameterLocation::Query(QueryStyle::DeepObject) => quote!(request.query_deep_object(#wire, #value);),
        ParameterLocation::Header => quote!(request.header(#wire, #value);),
        ParameterLocation::Cookie => quote!(request.cookie(#wire, #value);),
    }
}

fn method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.name);
    let signature_line = format!("`{} {}`", operation.method, operation.path);
    // Without an error enum, the documented statuses and what they mean are told here.
    let errors_list = (operation.error_enum.is_none() && !operation.errors.is_empty()).then(|| {
        let mut list = String::from("Documented errors:");
        for response in &operation.errors {
            let line = status_line(response);
            list.push_str("\n- ");
            list.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        list
    });
    let doc = doc_attrs([
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(&signature_line),
        errors_list.as_deref(),
        operation.deprecated.then_some("Deprecated."),
    ]);

    let mut arguments = Vec::new();
    let mut statements = Vec::new();
    for param in &operation.path_params {
        let (ty, borrowed) = argument_type(api, &param.ty);
        let arg = ident(&param.name);
        arguments.push(quote!(#arg: #ty));
        let value = if borrowed { quote!(#arg) } else { quote!(&#arg) };
        statements.push(send_value(ParameterLocation::Path, &param.wire, value));
    }
    if let Some(params_type) = &operation.params_type {
        let ty = type_ident(params_type);
        arguments.push(quote!(params: &#ty));
        statements.extend(operation.params.iter().map(|param: &Parameter| {
            let field = ident(&param.name);
            send_value(param.location, &param.wire, quote!(&params.#field))
        }));
    }
    for constant in &operation.constants {
        let value = Literal::string(&constant.value);
        statements.push(send_value(constant.location, &constant.wire, quote!(#value)));
    }
    if let Some(body) = &operation.body {
        let content_type = &body.content_type;
        let (ty, send) = match &body.kind {
            BodyKind::Json(ty) => (argument_type(api, ty).0, quote!(request.json(#content_type, body))),
            BodyKind::Form(ty) => (argument_type(api, ty).0, quote!(request.form(body))),
            BodyKind::Text => (quote!(&str), quote!(request.text(#content_type, body))),
            BodyKind::Bytes => (quote!(Vec<u8>), quote!(request.bytes(#content_type, body))),
            BodyKind::Empty => (quote!(()), quote!(let () = body)),
        };
        if body.required || body.kind == BodyKind::Bytes {
            arguments.push(quote!(body: #ty));
            statements.push(quote!(#send;));
        } else {
            arguments.push(quote!(body: Option<#ty>));
            statements.push(quote!(if let Some(body) = body { #send; }));
        }
    }
    if !operation.security.is_empty() {
        let alternatives = operation.security.iter().map(|keys| quote!(&[#(#keys),*]));
        statements.push(quote!(request.security(&[#(#alternatives),*]);));
    }

    let success_type = match &operation.response_enum {
        Some(enum_name) => type_ident(enum_name),
        None => operation
            .success
            .first()
            .and_then(|response| body_type(api, &response.body))
            .unwrap_or_else(|| quote!(())),
    };
    let error_type = match (&operation.error_enum, operation.errors.first()) {
        (Some(enum_name), _) => type_ident(enum_name),
        (None, Some(error)) => body_type(api, &error.body).unwrap_or_else(|| quote!(())),
        (None, None) => quote!(std::convert::Infallible),
    };
    let arms = response_arms(operation);
    // The runtime has one request constructor per HTTP method (`get`, `post`, …).
    let http_method = ident(&operation.method.to_ascii_lowercase());
    let path = &operation.path;
    let binding = if statements.is_empty() { quote!(let request) } else { quote!(let mut request) };
    quote! {
        #doc
        pub fn #name(&self, #(#arguments),*) -> crate::runtime::Call<'_, #success_type, #error_type> {
            #binding = self.runtime.#http_method(#path);
            #(#statements)*
            request.call(|response| match response.status().as_u16() {
                #(#arms)*
            })
        }
    }
}

/// The statuses a response answers, as an inclusive range; `None` for the catch-all.
fn status_range(status: StatusMatch, success: bool) -> Option<(u16, u16)> {
    match status {
        StatusMatch::Code(code) => Some((code, code)),
        StatusMatch::Range(range) => Some((range * 100, range * 100 + 99)),
        StatusMatch::Default if success => Some((200, 299)),
        StatusMatch::Default => None,
    }
}

/// A `match` pattern for statuses decoded alike: contiguous ones become one range, as clippy
/// asks (`400..=499 | 500..=599` is `400..=599`).
fn pattern(mut ranges: Vec<(u16, u16)>) -> TokenStream {
    ranges.sort_unstable();
    let mut folded: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
    for (low, high) in ranges {
        match folded.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
            _ => folded.push((low, high)),
        }
    }
    let alternatives = folded.into_iter().map(|(low, high)| {
        let (low_literal, high_literal) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
        if low == high { quote!(#low_literal) } else { quote!(#low_literal..=#high_literal) }
    });
    quote!(#(#alternatives)|*)
}

/// How one response is decoded: the runtime method, named `{body}[_error][_with]`, and the
/// enum variant it wraps the body in, if any.
#[derive(PartialEq, Eq)]
struct Decode {
    method: Ident,
    /// Enum and variant.
    variant: Option<(Ident, Ident)>,
}

impl Decode {
    fn new(body: &BodyKind, error: bool, enum_name: Option<&str>, variant: &str) -> Self {
        let body = match body {
            BodyKind::Json(_) | BodyKind::Form(_) => "json",
            BodyKind::Text => "text",
            BodyKind::Bytes => "bytes",
            BodyKind::Empty => "empty",
        };
        let error = if error { "_error" } else { "" };
        let with = if enum_name.is_some() { "_with" } else { "" };
        let variant = enum_name.map(|enum_name| (ident(enum_name), ident(variant)));
        Decode { method: format_ident!("{body}{error}{with}"), variant }
    }

    fn tokens(&self) -> TokenStream {
        let method = &self.method;
        match &self.variant {
            Some((ty, variant)) => quote!(response.#method(#ty::#variant)),
            None => quote!(response.#method()),
        }
    }
}

fn response_arms(operation: &Operation) -> Vec<TokenStream> {
    let success = operation.success.iter().map(|response| (response, false, &operation.response_enum));
    let errors = operation.errors.iter().map(|response| (response, true, &operation.error_enum));
    let mut arms: Vec<(StatusMatch, bool, Decode)> = success
        .chain(errors)
        .map(|(response, error, enum_name)| {
            let decode = Decode::new(&response.body, error, enum_name.as_deref(), &response.variant);
            (response.status, !error, decode)
        })
        .collect();
    // Exact codes before ranges before the catch-all, as OpenAPI gives them precedence.
    arms.sort_by_key(|(status, success, _)| match status {
        StatusMatch::Code(code) => (0, *code),
        StatusMatch::Range(_) => (1, 0),
        StatusMatch::Default if *success => (2, 0),
        StatusMatch::Default => (3, 0),
    });
    // Neighbouring statuses decoded alike share an arm: `403 | 404 => response.json_error()`.
    let mut merged: Vec<(&Decode, Vec<(u16, u16)>)> = Vec::new();
    let mut catch_all = None;
    for (status, success, decode) in &arms {
        let Some(range) = status_range(*status, *success) else {
            catch_all = Some(decode);
            continue;
        };
        match merged.last_mut() {
            Some((last, ranges)) if *last == decode => ranges.push(range),
            _ => merged.push((decode, vec![range])),
        }
    }
    let mut tokens: Vec<TokenStream> = merged
        .into_iter()
        .map(|(decode, ranges)| {
            let (pattern, decode) = (pattern(ranges), decode.tokens());
            quote!(#pattern => #decode,)
        })
        .collect();
    tokens.push(match catch_all {
        Some(decode) => {
            let decode = decode.tokens();
            quote!(_ => #decode,)
        }
        None => quote!(_ => response.unexpected(),),
    });
    tokens
}
