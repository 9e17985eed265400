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
        let discriminator = schema
            .schema_data
            .discriminator
            .as_ref()
            .and_then(|discriminator| discriminator_mapping(discriminator, &lowered));
        let def = &mut self.types[id.0];
        def.doc = schema.schema_data.description.clone();
        def.kind = TypeKind::Union(Union {
            variants: lowered.into_iter().map(|(variant, _)| variant).collect(),
            discriminator,
        });
        Ok(Shape { ty: Type::Named(id), nullable })
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
