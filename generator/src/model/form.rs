//! `multipart/form-data` request bodies: each property of the body's object schema becomes a
//! part. Binary properties are files; scalars (and arrays of them) text parts; anything else
//! a JSON part. The `encoding` object's `contentType` sets a part's media type.

use super::formats;
use super::schema::{Target, TypeBuilder};
use super::{FormBody, FormField, FormFieldKind, Type, TypeKind};
use crate::error::{Located, pointer_push};
use crate::names::{self, Scope};
use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind};

/// The form `media_type` describes, or `None` when its schema is not an object with
/// properties (such a body is sent as bytes the caller encodes).
pub fn multipart_form(
    types: &mut TypeBuilder<'_>,
    media_type: &MediaType,
    schema_pointer: &str,
    name: impl FnOnce(&mut TypeBuilder<'_>) -> String,
) -> Result<Option<FormBody>, Located> {
    let Some(schema) = &media_type.schema else { return Ok(None) };
    let (pointer, schema) = resolved(types, schema, schema_pointer)?;
    let (properties, required) = match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(object)) => (&object.properties, &object.required),
        SchemaKind::Any(any) if !any.properties.is_empty() => (&any.properties, &any.required),
        _ => return Ok(None),
    };
    if properties.is_empty() {
        return Ok(None);
    }
    let name = name(types);
    let mut scope = Scope::default();
    let mut fields = Vec::with_capacity(properties.len());
    for (wire, property) in properties {
        let property_pointer = pointer_push(&pointer_push(&pointer, "properties"), wire);
        let (_, resolved_property) = resolved_boxed(types, property, &property_pointer)?;
        let kind = match file_kind(types, &resolved_property, &property_pointer)? {
            Some(repeated) => FormFieldKind::File { repeated },
            None => {
                let hint = format!("{name}{}", names::type_name(wire));
                let shape = types.lower(property, &property_pointer, Target::Name(hint))?;
                if is_text(types, &shape.ty) {
                    FormFieldKind::Text(shape.ty)
                } else {
                    FormFieldKind::Json(shape.ty)
                }
            }
        };
        let encoding = media_type.encoding.get(wire);
        let content_type = encoding.and_then(|encoding| encoding.content_type.clone());
        let (headers, caller_headers) = encoding.map(part_headers).unwrap_or_default();
        fields.push(FormField {
            name: scope.claim(names::value_name(wire)),
            wire: wire.clone(),
            kind,
            required: required.contains(wire),
            doc: resolved_property.schema_data.description.clone(),
            content_type,
            headers,
            caller_headers,
        });
    }
    Ok(Some(FormBody { name, doc: schema.schema_data.description.clone(), fields }))
}

/// The headers an `encoding` describes: those whose value its schema fixes (one `enum` value
/// or a `default`), and the names of the others. `Content-Type` is set apart, and
/// `Content-Disposition` is the part's name, so neither is a header here.
fn part_headers(encoding: &openapiv3::Encoding) -> (Vec<(String, String)>, Vec<String>) {
    let mut fixed = Vec::new();
    let mut open = Vec::new();
    for (name, header) in &encoding.headers {
        if ["content-type", "content-disposition"].contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let value = match header {
            ReferenceOr::Item(openapiv3::Header {
                format: openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)),
                ..
            }) => fixed_value(schema),
            _ => None,
        };
        match value {
            Some(value) => fixed.push((name.clone(), value)),
            None => open.push(name.clone()),
        }
    }
    (fixed, open)
}

/// The one value a header schema allows, or its default.
fn fixed_value(schema: &Schema) -> Option<String> {
    if let SchemaKind::Type(openapiv3::Type::String(string)) = &schema.schema_kind
        && let [Some(only)] = string.enumeration.as_slice()
    {
        return Some(only.clone());
    }
    match schema.schema_data.default.as_ref()? {
        serde_json::Value::String(text) => Some(text.clone()),
        other @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => Some(other.to_string()),
        _ => None,
    }
}

/// `Some(repeated)` when the property holds file contents (`format: binary`), as one part or
/// as an array of them.
fn file_kind(types: &TypeBuilder<'_>, schema: &Schema, pointer: &str) -> Result<Option<bool>, Located> {
    Ok(match &schema.schema_kind {
        _ if is_binary(schema) => Some(false),
        SchemaKind::Type(openapiv3::Type::Array(array)) => match &array.items {
            Some(items) => {
                let (_, items) = resolved_boxed(types, items, &pointer_push(pointer, "items"))?;
                is_binary(&items).then_some(true)
            }
            None => None,
        },
        _ => None,
    })
}

fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(string)) => {
            formats::string_format(&string.format) == Some("binary")
        }
        SchemaKind::Any(any) => any.format.as_deref() == Some("binary"),
        _ => false,
    }
}

/// Whether values of `ty` are sent as plain text parts: scalars, string enums and arrays of
/// them (one part per item).
fn is_text(types: &TypeBuilder<'_>, ty: &Type) -> bool {
    match ty {
        Type::Bool
        | Type::Int(_)
        | Type::Float(_)
        | Type::String
        | Type::DateTime
        | Type::Date
        | Type::Uuid => true,
        Type::Array(item) => !matches!(**item, Type::Array(_)) && is_text(types, item),
        Type::Named(id) => matches!(types.types[id.0].kind, TypeKind::Enum(_)),
        _ => false,
    }
}

fn resolved(
    types: &TypeBuilder<'_>,
    schema: &ReferenceOr<Schema>,
    pointer: &str,
) -> Result<(String, Schema), Located> {
    match schema {
        ReferenceOr::Item(schema) => Ok((pointer.to_owned(), schema.clone())),
        ReferenceOr::Reference { reference } => types.resolve(reference, pointer),
    }
}

fn resolved_boxed(
    types: &TypeBuilder<'_>,
    schema: &ReferenceOr<Box<Schema>>,
    pointer: &str,
) -> Result<(String, Schema), Located> {
    match schema {
        ReferenceOr::Item(schema) => Ok((pointer.to_owned(), (**schema).clone())),
        ReferenceOr::Reference { reference } => types.resolve(reference, pointer),
    }
}
