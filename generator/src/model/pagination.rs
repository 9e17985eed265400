//! Recognising paged list operations from the spec alone.
//!
//! Three forms are recognised, where the reading is unambiguous:
//! - `x-ms-pageable` (Azure): its `nextLinkName` field of the page holds the next page's URL,
//!   its `itemName` (default `value`) the items;
//! - a page with `@odata.nextLink` or `nextLink` beside exactly one array (OData, Microsoft
//!   Graph);
//! - a `Link` response header declared on a success whose body is an array (RFC 8288, GitHub).
//!
//! Anything else (cursors fed back as parameters, page numbers) is left alone: guessing wrong
//! would loop or skip pages.

use super::{
    BodyKind, FieldAccess, HttpMethod, NextPage, Pagination, Response, StatusMatch, Struct, Type, TypeDef,
    TypeKind,
};
use serde_json::Value;

/// Page fields that hold the next page's URL by convention.
const NEXT_LINK_FIELDS: &[&str] = &["@odata.nextLink", "nextLink"];

/// The pagination of an operation, if it has one the spec makes clear (method names left for
/// the caller to claim).
pub fn detect(
    method: HttpMethod,
    extensions: &indexmap::IndexMap<String, Value>,
    success: &[Response],
    link_header: bool,
    types: &[TypeDef],
) -> Option<Pagination> {
    let pageable = extensions.get("x-ms-pageable");
    if method != HttpMethod::Get && pageable.is_none() {
        return None;
    }
    // One documented success, decoded from JSON.
    let [response] = success else { return None };
    if !matches!(response.status, StatusMatch::Code(200..=299) | StatusMatch::Range(2)) {
        return None;
    }
    let BodyKind::Json(body) = &response.body else { return None };
    if let Type::Array(item) = body {
        return link_header.then(|| Pagination {
            next: NextPage::LinkHeader,
            items: None,
            item_type: (**item).clone(),
            pages_method: String::new(),
            items_method: String::new(),
        });
    }
    let Type::Named(id) = body else { return None };
    let TypeKind::Struct(page) = &types[id.0].kind else { return None };
    let (next_wire, items_wire) = match pageable {
        Some(pageable) => {
            let next = pageable.get("nextLinkName")?.as_str()?;
            let items = pageable.get("itemName").and_then(Value::as_str).unwrap_or("value");
            (next.to_owned(), Some(items.to_owned()))
        }
        None => (NEXT_LINK_FIELDS.iter().find(|wire| field(page, wire).is_some())?.to_string(), None),
    };
    let next = field(page, &next_wire).filter(|(_, ty)| *ty == Type::String)?.0;
    let (items, item_type) = match items_wire {
        Some(wire) => {
            let (access, ty) = field(page, &wire)?;
            let Type::Array(item) = ty else { return None };
            (access, *item)
        }
        None => {
            // Exactly one array beside the link, or the reading is ambiguous.
            let mut arrays = page.fields.iter().filter(|field| matches!(field.ty, Type::Array(_)));
            let only = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            let (access, ty) = field(page, &only.wire)?;
            let Type::Array(item) = ty else { return None };
            (access, *item)
        }
    };
    Some(Pagination {
        next: NextPage::BodyField(next),
        items: Some(items),
        item_type,
        pages_method: String::new(),
        items_method: String::new(),
    })
}

/// How to reach the page field `wire`, and its type.
fn field(page: &Struct, wire: &str) -> Option<(FieldAccess, Type)> {
    let field = page.fields.iter().find(|field| field.wire == wire)?;
    let access = FieldAccess {
        name: field.name.clone(),
        optional: !field.required || field.nullable,
        nested: !field.required && field.nullable,
    };
    Some((access, field.ty.clone()))
}
