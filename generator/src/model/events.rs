//! What the schema of a `text/event-stream` describes: each event's `data` (the common
//! reading, OpenAI's), or the whole event with its `event`, `data`, `id` and `retry` fields
//! (OpenAPI 3.2's `itemSchema`, and `oneOf`s with one alternative per event name).

use super::{EventSchema, Type, TypeDef, TypeKind};

/// The fields of an event on the wire.
const EVENT_FIELDS: &[&str] = &["event", "data", "id", "retry"];

/// Whether `ty` describes whole events: an object of event fields only, holding `data` and
/// `event` or `retry` (an object of `id` and `data` alone is more likely data that has an id),
/// or alternatives that all are.
pub fn event_schema(types: &[TypeDef], ty: &Type) -> EventSchema {
    if describes_whole_events(types, ty) { EventSchema::Whole } else { EventSchema::Data }
}

fn describes_whole_events(types: &[TypeDef], ty: &Type) -> bool {
    let Type::Named(id) = ty else { return false };
    match &types[id.0].kind {
        TypeKind::Struct(fields) => {
            let has = |wire: &str| fields.fields.iter().any(|field| field.wire == wire);
            fields.fields.iter().all(|field| EVENT_FIELDS.contains(&field.wire.as_str()))
                && has("data")
                && (has("event") || has("retry"))
        }
        TypeKind::Union(union) => {
            union.variants.iter().all(|variant| describes_whole_events(types, &variant.ty))
        }
        _ => false,
    }
}
