//! Recognising paged list operations from the spec alone.
//!
//! Three forms are recognised, where the reading is unambiguous:
//! - `x-ms-pageable` (Azure): its `nextLinkName` field of the page holds the next page's URL,
//!   its `itemName` (default `value`) the items;
//! - a page with `@odata.nextLink` or `nextLink` beside exactly one array (OData, Microsoft
//!   Graph);
//! - a `Link` response header declared on a success whose body is an array (RFC 8288, GitHub);
//! - a token the page gives sent back in a query parameter of the same name (`nextPageToken` →
//!   `pageToken`, `next_cursor` → `cursor`, `NextMarker` → `Marker`), or Stripe's
//!   `starting_after` set to the last item's `id` while `has_more` is true;
//! - failing all of those, numbered pages: an integer query parameter `page` (`page_number`,
//!   `pageNo`), or `offset` (`skip`) beside a page-size parameter (`limit`, `per_page`, …),
//!   read until a page has no items.
//!
//! Anything less clear (two numbering parameters, a page of several arrays) is left alone:
//! guessing wrong would loop or skip pages.

use super::{
    BodyKind, CursorToken, FieldAccess, HttpMethod, NextPage, Numbering, Pagination, Parameter,
    ParameterLocation, Response, StatusMatch, Struct, Type, TypeDef, TypeKind,
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
    params: &[Parameter],
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
        if !link_header {
            return numbered(None, (**item).clone(), params);
        }
        return Some(Pagination {
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
        None => match NEXT_LINK_FIELDS.iter().find(|wire| field(page, wire).is_some()) {
            Some(wire) => (wire.to_string(), None),
            None => {
                return cursor(page, params, types).or_else(|| {
                    let (items, item_type) = only_array(page)?;
                    numbered(Some(items), item_type, params)
                });
            }
        },
    };
    let next = field(page, &next_wire).filter(|(_, ty)| *ty == Type::String)?.0;
    let (items, item_type) = match items_wire {
        Some(wire) => {
            let (access, ty) = field(page, &wire)?;
            let Type::Array(item) = ty else { return None };
            (access, *item)
        }
        // Exactly one array beside the link, or the reading is ambiguous.
        None => only_array(page)?,
    };
    Some(Pagination {
        next: NextPage::BodyField(next),
        items: Some(items),
        item_type,
        pages_method: String::new(),
        items_method: String::new(),
    })
}

/// Cursor paging: a query parameter the page's token (or last item's id) is sent back in.
fn cursor(page: &Struct, params: &[Parameter], types: &[TypeDef]) -> Option<Pagination> {
    let (items, item_type) = only_array(page)?;
    let query = |param: &&Parameter| {
        matches!(param.location, ParameterLocation::Query(_)) && param.ty == Type::String
    };
    let paginated = |token: CursorToken, param: &Parameter| Pagination {
        next: NextPage::Cursor { token, param: param.name.clone() },
        items: Some(items.clone()),
        item_type: item_type.clone(),
        pages_method: String::new(),
        items_method: String::new(),
    };
    // Stripe: `starting_after` + `has_more` + items with an `id`.
    if let Some(param) = params.iter().filter(query).find(|param| param.wire == "starting_after")
        && let Some((has_more, Type::Bool)) = field(page, "has_more")
        && let Type::Named(id) = &item_type
        && let TypeKind::Struct(item) = &types[id.0].kind
        && let Some((id, Type::String)) = field(item, "id")
    {
        return Some(paginated(CursorToken::LastItemId { has_more, id }, param));
    }
    // A token field named like the parameter, once `next` and separators are set aside.
    let key = |name: &str| {
        let lower = name.to_ascii_lowercase().replace(['_', '-'], "");
        lower.strip_prefix("next").map(str::to_owned).unwrap_or(lower)
    };
    let tokens = page
        .fields
        .iter()
        .filter(|field| field.ty == Type::String && field.wire.to_ascii_lowercase().starts_with("next"));
    for token in tokens {
        if let Some(param) = params.iter().filter(query).find(|param| key(&param.wire) == key(&token.wire)) {
            let (access, _) = field(page, &token.wire)?;
            return Some(paginated(CursorToken::Field(access), param));
        }
    }
    None
}

/// Numbered pages: one integer query parameter numbers the pages or offsets the list.
fn numbered(items: Option<FieldAccess>, item_type: Type, params: &[Parameter]) -> Option<Pagination> {
    const PAGE: &[&str] = &["page", "pagenumber", "pageno", "pagenum"];
    const OFFSET: &[&str] = &["offset", "skip"];
    const SIZE: &[&str] =
        &["limit", "pagesize", "perpage", "size", "count", "top", "take", "maxresults", "maxitems"];
    let key = |param: &Parameter| param.wire.to_ascii_lowercase().replace(['_', '-'], "");
    let integer_query = |param: &&Parameter| {
        matches!(param.location, ParameterLocation::Query(_)) && matches!(param.ty, Type::Int(_))
    };
    let mut candidates = params.iter().filter(integer_query).filter_map(|param| {
        let key = key(param);
        if PAGE.contains(&key.as_str()) {
            Some((param, Numbering::Pages))
        } else if OFFSET.contains(&key.as_str()) {
            Some((param, Numbering::Offset))
        } else {
            None
        }
    });
    let (param, numbering) = candidates.next()?;
    if candidates.next().is_some() {
        return None;
    }
    // A token or cursor parameter beside the number (Twilio's `Page` + `PageToken`) means
    // the number alone may not reach the next page.
    const CURSORS: &[&str] = &["token", "cursor", "marker", "after", "continuation"];
    let cursor_like = |param: &Parameter| CURSORS.iter().any(|cursor| key(param).contains(cursor));
    if params.iter().any(|param| matches!(param.location, ParameterLocation::Query(_)) && cursor_like(param))
    {
        return None;
    }
    // An offset alone may be a position in something else; beside a page size it pages.
    if numbering == Numbering::Offset
        && !params.iter().filter(integer_query).any(|size| SIZE.contains(&key(size).as_str()))
    {
        return None;
    }
    let first = match (&param.default, numbering) {
        (Some(default), _) => default.as_u64()?,
        (None, Numbering::Pages) => 1,
        (None, Numbering::Offset) => 0,
    };
    Some(Pagination {
        next: NextPage::Number { param: param.name.clone(), numbering, first },
        items,
        item_type,
        pages_method: String::new(),
        items_method: String::new(),
    })
}

/// The page's one array field, or `None` when it has none or several.
fn only_array(page: &Struct) -> Option<(FieldAccess, Type)> {
    let mut arrays = page.fields.iter().filter(|field| matches!(field.ty, Type::Array(_)));
    let only = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let (access, ty) = field(page, &only.wire)?;
    let Type::Array(item) = ty else { return None };
    Some((access, *item))
}

/// How to reach the page field `wire`, and its type.
fn field(page: &Struct, wire: &str) -> Option<(FieldAccess, Type)> {
    let field = page.fields.iter().find(|field| field.wire == wire)?;
    let access = FieldAccess {
        name: field.name.clone(),
        optional: field.optional(),
        nested: !field.required && field.nullable,
    };
    Some((access, field.ty.clone()))
}
