//! How an operation's method turns a response into its result: a `match` on the status, one
//! arm per way of decoding.
//!
//! When no arm wraps its body in an operation's own enum, the `match` depends only on the
//! statuses and the kinds of body, and many operations share it (Microsoft Graph's 11,219
//! operations have four). Such a `match` becomes one generic function per module, named after
//! what it does (`decode_json_2xx_json_error_4xx_to_5xx`), which the methods name instead of
//! writing a closure each: a closure costs its method about half of its type and borrow
//! checking.

use super::syntax;
use crate::model::{BodyKind, EventSchema, Operation, StatusMatch, Type};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeMap;
use syn::{Expr, Item, Pat};

/// Inclusive ranges of HTTP statuses.
pub type Statuses = Vec<(u16, u16)>;

/// The decoding of one operation's responses.
pub struct Decoding {
    /// Each way of decoding and the statuses (folded ranges) it takes, in `match` order.
    arms: Vec<(Decode, Statuses)>,
    /// How any other status is decoded; `None`: as an unexpected response.
    otherwise: Option<Decode>,
    /// The statuses whose body is streamed, left unread by the runtime.
    pub streamed: Statuses,
}

impl Decoding {
    pub fn of(operation: &Operation) -> Self {
        let success = operation.success.iter().map(|response| (response, false, &operation.response_enum));
        let errors = operation.errors.iter().map(|response| (response, true, &operation.error_enum));
        let mut responses: Vec<(StatusMatch, bool, Decode)> = success
            .chain(errors)
            .map(|(response, error, enum_name)| {
                let decode = Decode::new(&response.body, error, enum_name.as_deref(), &response.variant);
                (response.status, !error, decode)
            })
            .collect();
        // Exact codes before ranges before the catch-all, as OpenAPI gives them precedence.
        responses.sort_by_key(|(status, success, _)| match status {
            StatusMatch::Code(code) => (0, *code),
            StatusMatch::Range(_) => (1, 0),
            StatusMatch::Default if *success => (2, 0),
            StatusMatch::Default => (3, 0),
        });
        // Neighbouring statuses decoded alike share an arm: `403 | 404 => response.json_error()`.
        // A range leaves out the codes earlier arms took (`400` then `401..=499`), so no two arms
        // overlap.
        let mut arms: Vec<(Decode, Statuses)> = Vec::new();
        let mut claimed: Statuses = Vec::new();
        let mut otherwise = None;
        for (status, success, decode) in responses {
            let Some(range) = status_range(status, success) else {
                otherwise = Some(decode);
                continue;
            };
            let free = without(range, &claimed);
            claimed.push(range);
            if free.is_empty() {
                continue;
            }
            match arms.last_mut() {
                Some((last, ranges)) if *last == decode => ranges.extend(free),
                _ => arms.push((decode, free)),
            }
        }
        // Statuses decoded as the catch-all decodes them need no arm of their own.
        arms.retain(|(decode, _)| otherwise.as_ref() != Some(decode));
        for (_, ranges) in &mut arms {
            *ranges = folded(std::mem::take(ranges));
        }
        let streamed = arms
            .iter()
            .filter(|(decode, _)| decode.streamed)
            .flat_map(|(_, ranges)| ranges.iter().copied())
            .collect();
        Decoding { arms, otherwise, streamed }
    }

    /// The function an operation's method passes to `Request::call`: the shared decoder's name,
    /// or a closure of its own.
    pub fn decoder(&self) -> Expr {
        match self.shared_name() {
            Some(name) => syntax::var(&name),
            None => syntax::closure(syntax::name("response"), self.match_expr()),
        }
    }

    /// `match response.status().as_u16() { … }`.
    fn match_expr(&self) -> Expr {
        let status =
            syntax::method_call(syntax::method_call(syntax::var("response"), "status", []), "as_u16", []);
        let mut arms: Vec<(Pat, Expr)> =
            self.arms.iter().map(|(decode, ranges)| (pattern(ranges), decode.expr())).collect();
        let otherwise = match &self.otherwise {
            Some(decode) => decode.expr(),
            None => syntax::method_call(syntax::var("response"), "unexpected", []),
        };
        arms.push((syntax::wildcard(), otherwise));
        syntax::match_expr(status, arms)
    }

    /// The decoders in use: every arm is generic in the operation (no enum of its own), and
    /// none reads an event stream, whose item type is the operation's.
    fn shared_name(&self) -> Option<String> {
        let decodes = || self.arms.iter().map(|(decode, _)| decode).chain(&self.otherwise);
        if decodes().any(|decode| decode.variant.is_some() || decode.method.contains("event_stream")) {
            return None;
        }
        let mut name = String::from("decode");
        for (decode, ranges) in &self.arms {
            name.push('_');
            name.push_str(decode.method);
            for (low, high) in ranges {
                name.push('_');
                name.push_str(&status_name(*low, *high));
            }
        }
        if let Some(decode) = &self.otherwise {
            name.push_str("_otherwise_");
            name.push_str(decode.method);
        }
        Some(name)
    }

    /// `fn decode_…<T, E>(response: RawResponse) -> Result<Response<T>, Error<E>> { match … }`.
    fn shared_function(&self, name: &str) -> Item {
        let methods: Vec<&str> = self
            .arms
            .iter()
            .map(|(decode, _)| decode)
            .chain(&self.otherwise)
            .map(|decode| decode.method)
            .collect();
        let success = methods.iter().find_map(|method| success_type(method)).unwrap_or(quote!(()));
        let error =
            methods.iter().find_map(|method| error_type(method)).unwrap_or(quote!(std::convert::Infallible));
        let mut generics = Vec::new();
        if methods.contains(&"json") {
            generics.push(quote!(T: serde::de::DeserializeOwned));
        }
        if methods.contains(&"json_error") {
            generics.push(quote!(E: serde::de::DeserializeOwned));
        }
        let name: Ident = syntax::name(name);
        let body = self.match_expr();
        syn::parse_quote! {
            /// Decodes a response by its status, for the operations whose responses the spec
            /// documents alike.
            fn #name<#(#generics),*>(
                response: crate::runtime::RawResponse,
            ) -> Result<crate::runtime::Response<#success>, crate::runtime::Error<#error>> {
                #body
            }
        }
    }
}

/// The shared decoders `operations` use, each once, ordered by name.
pub fn shared_decoders<'a>(operations: impl IntoIterator<Item = &'a Operation>) -> Vec<Item> {
    let mut decoders = BTreeMap::new();
    for operation in operations {
        let decoding = Decoding::of(operation);
        if let Some(name) = decoding.shared_name() {
            decoders.entry(name).or_insert(decoding);
        }
    }
    decoders.iter().map(|(name, decoding)| decoding.shared_function(name)).collect()
}

/// The success body type a decoding method gives (`T` for JSON, the operation's type).
fn success_type(method: &str) -> Option<TokenStream> {
    Some(match method {
        "json" => quote!(T),
        "text" => quote!(String),
        "bytes" => quote!(bytes::Bytes),
        "empty" => quote!(()),
        "byte_stream" => quote!(crate::runtime::ByteStream),
        _ => return None,
    })
}

/// The error body type an error decoding method gives (`E` for JSON).
fn error_type(method: &str) -> Option<TokenStream> {
    Some(match method {
        "json_error" => quote!(E),
        "text_error" => quote!(String),
        "bytes_error" => quote!(bytes::Bytes),
        "empty_error" => quote!(()),
        _ => return None,
    })
}

/// `404`, `2xx` for a class, `401_to_403` for any other range: part of a decoder's name.
fn status_name(low: u16, high: u16) -> String {
    if low == high {
        low.to_string()
    } else if low % 100 == 0 && high % 100 == 99 {
        let (first, last) = (low / 100, high / 100);
        if first == last { format!("{first}xx") } else { format!("{first}xx_to_{last}xx") }
    } else {
        format!("{low}_to_{high}")
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

/// Ranges sorted, contiguous ones joined, as clippy asks of a pattern (`400..=499 | 500..=599`
/// is `400..=599`).
fn folded(mut ranges: Statuses) -> Statuses {
    ranges.sort_unstable();
    let mut folded: Statuses = Vec::with_capacity(ranges.len());
    for (low, high) in ranges {
        match folded.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
            _ => folded.push((low, high)),
        }
    }
    folded
}

/// A `match` pattern for folded ranges.
fn pattern(ranges: &[(u16, u16)]) -> Pat {
    let alternatives = ranges.iter().map(|&(low, high)| {
        if low == high { syntax::integer_pattern(low) } else { syntax::range_pattern(low, high) }
    });
    syntax::or_pattern(alternatives.collect())
}

/// How one response is decoded: the runtime method, named `{body}[_error][_with]`, and the
/// enum variant it wraps the body in, if any.
#[derive(PartialEq, Eq)]
struct Decode {
    method: &'static str,
    /// Whether the body reaches the caller as a stream.
    streamed: bool,
    /// Enum and variant.
    variant: Option<(Ident, Ident)>,
}

impl Decode {
    fn new(body: &BodyKind, error: bool, enum_name: Option<&str>, variant: &str) -> Self {
        let wrapped = enum_name.is_some();
        // Every decoding method of `runtime::UnexpectedResponse`, spelled out so a search for
        // one finds its callers.
        let method = match (body, error, wrapped) {
            (BodyKind::Json(_) | BodyKind::Form(_), false, false) => "json",
            (BodyKind::Json(_) | BodyKind::Form(_), false, true) => "json_with",
            (BodyKind::Json(_) | BodyKind::Form(_), true, false) => "json_error",
            (BodyKind::Json(_) | BodyKind::Form(_), true, true) => "json_error_with",
            (BodyKind::Text, false, false) => "text",
            (BodyKind::Text, false, true) => "text_with",
            (BodyKind::Text, true, false) => "text_error",
            (BodyKind::Text, true, true) => "text_error_with",
            (BodyKind::Bytes | BodyKind::Multipart(_), false, false) => "bytes",
            (BodyKind::Bytes | BodyKind::Multipart(_), false, true) => "bytes_with",
            (BodyKind::Bytes | BodyKind::Multipart(_), true, false) => "bytes_error",
            (BodyKind::Bytes | BodyKind::Multipart(_), true, true) => "bytes_error_with",
            (BodyKind::Empty, false, false) => "empty",
            (BodyKind::Empty, false, true) => "empty_with",
            (BodyKind::Empty, true, false) => "empty_error",
            (BodyKind::Empty, true, true) => "empty_error_with",
            (BodyKind::ByteStream, false, false) => "byte_stream",
            (BodyKind::ByteStream, false, true) => "byte_stream_with",
            (BodyKind::EventStream(_, EventSchema::Whole), false, false) => "whole_event_stream",
            (BodyKind::EventStream(_, EventSchema::Whole), false, true) => "whole_event_stream_with",
            (BodyKind::EventStream(Type::String, _), false, false) => "text_event_stream",
            (BodyKind::EventStream(Type::String, _), false, true) => "text_event_stream_with",
            (BodyKind::EventStream(..), false, false) => "event_stream",
            (BodyKind::EventStream(..), false, true) => "event_stream_with",
            // The model reads error bodies in full (`BodyKind::for_error`); responses are never
            // forms, which only requests are.
            (BodyKind::ByteStream, true, false) => "bytes_error",
            (BodyKind::ByteStream, true, true) => "bytes_error_with",
            (BodyKind::EventStream(..), true, false) => "text_error",
            (BodyKind::EventStream(..), true, true) => "text_error_with",
        };
        let variant = enum_name.map(|enum_name| (syntax::name(enum_name), syntax::name(variant)));
        Decode { method, variant, streamed: !error && body.is_streamed() }
    }

    fn expr(&self) -> Expr {
        let wrap = self.variant.iter().map(|(ty, variant)| {
            syntax::path_expr(syn::Path {
                leading_colon: None,
                segments: [ty.clone(), variant.clone()].into_iter().map(syn::PathSegment::from).collect(),
            })
        });
        syntax::method_call(syntax::var("response"), self.method, wrap)
    }
}

/// The parts of the inclusive range `low..=high` that none of `taken` covers, in order.
fn without((low, high): (u16, u16), taken: &[(u16, u16)]) -> Vec<(u16, u16)> {
    let mut free = vec![(low, high)];
    for &(taken_low, taken_high) in taken {
        free = free
            .into_iter()
            .flat_map(|(low, high)| {
                if taken_high < low || taken_low > high {
                    return vec![(low, high)];
                }
                let below = (taken_low > low).then(|| (low, taken_low - 1));
                let above = (taken_high < high).then(|| (taken_high + 1, high));
                below.into_iter().chain(above).collect()
            })
            .collect();
    }
    free
}

#[cfg(test)]
mod tests {
    use super::{status_name, without};

    #[test]
    fn a_range_leaves_out_the_codes_already_taken() {
        assert_eq!(without((400, 499), &[(400, 400), (401, 401)]), vec![(402, 499)]);
        assert_eq!(without((200, 299), &[(204, 204)]), vec![(200, 203), (205, 299)]);
        assert_eq!(without((500, 599), &[(400, 400)]), vec![(500, 599)]);
        assert_eq!(without((404, 404), &[(400, 499)]), Vec::<(u16, u16)>::new());
    }

    #[test]
    fn statuses_are_named_by_code_class_or_range() {
        assert_eq!(status_name(404, 404), "404");
        assert_eq!(status_name(200, 299), "2xx");
        assert_eq!(status_name(400, 599), "4xx_to_5xx");
        assert_eq!(status_name(401, 403), "401_to_403");
        assert_eq!(status_name(200, 203), "200_to_203");
    }
}
