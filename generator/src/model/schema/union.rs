//! `oneOf`/`anyOf`: an enum of the alternatives, decoded by a discriminator's value when every
//! alternative is reachable through it, otherwise by shape.

use super::{Shape, Target, TypeBuilder};
use crate::error::{Located, pointer_push};
use crate::model::refs;
use crate::model::{Discriminator, Type, TypeKind, Union, UnionVariant};
use crate::names::{self, Scope};
use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

impl TypeBuilder<'_> {
    pub(super) fn union(
        &mut self,
        schema: &Schema,
        variants: &[ReferenceOr<Schema>],
        pointer: &str,
        target: Target,
    ) -> Result<Shape, Located> {
        let mut nullable = schema.schema_data.nullable;
        let mut kept = Vec::with_capacity(variants.len());
        for (index, variant) in variants.iter().enumerate() {
            if is_null_schema(variant) {
                nullable = true;
            } else {
                kept.push((index, variant));
            }
        }
        match kept.as_slice() {
            [] => return Ok(Shape { ty: Type::Json, nullable }),
            [(index, only)] => {
                let mut shape = self.lower(only, &pointer_push(pointer, &index.to_string()), target)?;
                shape.nullable |= nullable;
                return Ok(shape);
            }
            _ => {}
        }
        let id = self.reserve(&target, pointer);
        let union_name = self.name_of(id);
        let mut scope = Scope::default();
        let mut lowered = Vec::with_capacity(kept.len());
        let indices: Vec<usize> = kept.iter().map(|(index, _)| *index).collect();
        for (index, variant) in kept {
            let name = scope.claim(variant_name(variant, index));
            let hint = format!("{union_name}{name}");
            let shape =
                self.lower(variant, &pointer_push(pointer, &index.to_string()), Target::Name(hint))?;
            nullable |= shape.nullable;
            let reference = match variant {
                ReferenceOr::Reference { reference } => Some(reference.clone()),
                ReferenceOr::Item(_) => None,
            };
            lowered.push((UnionVariant { name, ty: shape.ty, boxed: false }, reference));
        }
        let discriminator = match &schema.schema_data.discriminator {
            Some(discriminator) => discriminator_mapping(discriminator, &lowered),
            None => self.implied_discriminator(&indices, pointer, &lowered),
        };
        let def = &mut self.types[id.0];
        def.doc = schema.schema_data.description.clone();
        def.kind = TypeKind::Union(Union {
            variants: lowered.into_iter().map(|(variant, _)| variant).collect(),
            discriminator,
        });
        Ok(Shape { ty: Type::Named(id), nullable })
    }
}

impl TypeBuilder<'_> {
    /// The discriminator the alternatives imply when the spec names none: a property every
    /// alternative (at `pointer`/`index`) declares with one string value of its own, such as
    /// `type: {enum: [message]}` or an event's `event: {const: delta}`. Decoding by that value
    /// is exact where decoding by shape takes the first alternative that fits.
    fn implied_discriminator(
        &self,
        indices: &[usize],
        pointer: &str,
        lowered: &[(UnionVariant, Option<String>)],
    ) -> Option<Discriminator> {
        let resolved = |value: &'_ Value| -> Option<Value> {
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => refs::target(self.raw, reference, pointer).ok().cloned(),
                None => Some(value.clone()),
            }
        };
        let properties = indices
            .iter()
            .map(|index| {
                let at = pointer_push(pointer, &index.to_string());
                let alternative = resolved(refs::target(self.raw, &at, pointer).ok()?)?;
                alternative.get("properties")?.as_object().cloned()
            })
            .collect::<Option<Vec<_>>>()?;
        let single_value = |schema: &Value| -> Option<String> {
            match resolved(schema)?.get("enum")?.as_array()?.as_slice() {
                [Value::String(value)] => Some(value.clone()),
                _ => None,
            }
        };
        let (first, rest) = properties.split_first()?;
        first.keys().find_map(|property| {
            let tags = std::iter::once(first)
                .chain(rest)
                .map(|alternative| single_value(alternative.get(property)?))
                .collect::<Option<Vec<String>>>()?;
            let distinct = tags.iter().enumerate().all(|(index, tag)| !tags[..index].contains(tag));
            distinct.then(|| Discriminator {
                property: property.clone(),
                mapping: tags.iter().cloned().zip(0..).collect(),
                other: crate::model::catch_all_name(lowered.iter().map(|(variant, _)| variant.name.as_str())),
                tags,
            })
        })
    }
}

/// A variant that only allows `null`: `{nullable: true}`, `{type: object, nullable: true}`
/// without properties (Microsoft Graph's idiom) or `{enum: [null]}`.
pub(super) fn is_null_schema(schema: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else { return false };
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(object)) => {
            schema.schema_data.nullable
                && object.properties.is_empty()
                && object.additional_properties.is_none()
        }
        SchemaKind::Any(any) => {
            let empty = any.properties.is_empty()
                && any.items.is_none()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty();
            (any.typ.as_deref() == Some("null") && empty)
                || (schema.schema_data.nullable && empty && any.typ.is_none() && any.enumeration.is_empty())
                || (!any.enumeration.is_empty() && any.enumeration.iter().all(Value::is_null))
        }
        _ => false,
    }
}

fn variant_name(schema: &ReferenceOr<Schema>, index: usize) -> String {
    match schema {
        ReferenceOr::Reference { reference } => {
            names::type_name(reference.rsplit('/').next().unwrap_or_default())
        }
        ReferenceOr::Item(schema) => {
            if let Some(title) = &schema.schema_data.title {
                return names::type_name(title);
            }
            match &schema.schema_kind {
                SchemaKind::Type(openapiv3::Type::String(_)) => "String".into(),
                SchemaKind::Type(openapiv3::Type::Integer(_)) => "Integer".into(),
                SchemaKind::Type(openapiv3::Type::Number(_)) => "Number".into(),
                SchemaKind::Type(openapiv3::Type::Boolean(_)) => "Boolean".into(),
                SchemaKind::Type(openapiv3::Type::Array(_)) => "Array".into(),
                SchemaKind::Type(openapiv3::Type::Object(_)) => "Object".into(),
                _ => format!("Variant{index}"),
            }
        }
    }
}

/// The discriminator's value → variant table, or `None` when some variant cannot be reached
/// by a value (then the union is decoded by shape).
fn discriminator_mapping(
    discriminator: &openapiv3::Discriminator,
    variants: &[(UnionVariant, Option<String>)],
) -> Option<Discriminator> {
    let mut mapping = Vec::new();
    for (value, reference) in &discriminator.mapping {
        // A mapping value is a reference or, by the spec's shorthand, a bare schema name.
        let matches = |candidate: &Option<String>| {
            candidate.as_deref().is_some_and(|candidate| {
                candidate == reference || candidate.rsplit('/').next() == Some(reference.as_str())
            })
        };
        let index = variants.iter().position(|(_, candidate)| matches(candidate))?;
        mapping.push((value.clone(), index));
    }
    for (index, (_, reference)) in variants.iter().enumerate() {
        if mapping.iter().any(|(_, mapped)| *mapped == index) {
            continue;
        }
        mapping.push((refs::component_name(reference.as_deref()?, "schemas")?, index));
    }
    let tags = (0..variants.len())
        .map(|index| mapping.iter().find(|(_, mapped)| *mapped == index).map(|(value, _)| value.clone()))
        .collect::<Option<Vec<String>>>()?;
    let other = crate::model::catch_all_name(variants.iter().map(|(variant, _)| variant.name.as_str()));
    Some(Discriminator { property: discriminator.property_name.clone(), mapping, tags, other })
}
