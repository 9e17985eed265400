//! `allOf`: the members' object parts merged into one struct.

use super::{MAX_DEPTH, Merged, Shape, Target, TypeBuilder, owned, with_pointer, with_pointers};
use crate::error::{Located, pointer_push};
use crate::model::Type;
use crate::model::refs;
use openapiv3::{ReferenceOr, Schema, SchemaKind};

impl TypeBuilder<'_> {
    /// `allOf`: the members' object parts merged into one struct. A member that is not an
    /// object (a string, a union) cannot be merged: then a lone such member stands for the
    /// whole, and anything else falls back to JSON.
    pub(super) fn all_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        siblings: &[&openapiv3::AnySchema],
        pointer: &str,
        target: Target,
    ) -> Result<Shape, Located> {
        let nullable = schema.schema_data.nullable;
        let sibling_properties = siblings.iter().any(|any| !any.properties.is_empty());
        // Members that add structure, each once: `allOf: [A, A]` is `A`.
        let mut substantive: Vec<(usize, &ReferenceOr<Schema>)> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            if !is_annotation_only(member) && !substantive.iter().any(|(_, seen)| *seen == member) {
                substantive.push((index, member));
            }
        }
        if let [(index, only)] = substantive.as_slice()
            && !sibling_properties
        {
            let mut shape =
                self.lower(only, &pointer_push(&pointer_push(pointer, "allOf"), &index.to_string()), target)?;
            shape.nullable |= nullable;
            return Ok(shape);
        }
        let mut merged = Merged {
            description: schema.schema_data.description.clone(),
            seen: vec![pointer.to_owned()],
            ..Merged::default()
        };
        for any in siblings {
            merged.properties.extend(with_pointers(&any.properties, pointer));
            merged.required.extend(any.required.iter().cloned());
            merged.additional =
                merged.additional.take().or_else(|| with_pointer(&any.additional_properties, pointer));
        }
        for (index, member) in members.iter().enumerate() {
            let member_pointer = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
            if !self.merge_member(member, &member_pointer, &mut merged, 0)? {
                return Ok(Shape { ty: Type::Json, nullable });
            }
        }
        Ok(Shape { ty: self.object(merged, pointer, target)?, nullable })
    }

    /// Adds an `allOf` member's object parts to `merged`; `false` when it has parts that are
    /// not an object's.
    fn merge_member(
        &self,
        member: &ReferenceOr<Schema>,
        pointer: &str,
        merged: &mut Merged,
        depth: usize,
    ) -> Result<bool, Located> {
        if depth > MAX_DEPTH {
            return Err(Located::new(pointer, format!("`allOf` nests deeper than {MAX_DEPTH} levels")));
        }
        let (pointer, schema) = match member {
            ReferenceOr::Reference { reference } => {
                let (target, schema) = match refs::component_name(reference, "schemas") {
                    Some(key) => match self.components.get(&key) {
                        Some(ReferenceOr::Item(schema)) => (reference.clone(), schema.clone()),
                        _ => self.resolve(reference, pointer)?,
                    },
                    None => self.resolve(reference, pointer)?,
                };
                (target, schema)
            }
            ReferenceOr::Item(schema) => (pointer.to_owned(), schema.clone()),
        };
        if merged.seen.contains(&pointer) {
            return Ok(true);
        }
        merged.seen.push(pointer.clone());
        let data = &schema.schema_data;
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(object)) => {
                let properties =
                    with_pointers(&object.properties, &pointer).map(|(name, part)| (name, owned(part)));
                merged.properties.extend(properties);
                merged.required.extend(object.required.iter().cloned());
                merged.additional = merged
                    .additional
                    .take()
                    .or_else(|| with_pointer(&object.additional_properties, &pointer).map(owned));
            }
            SchemaKind::AllOf { all_of } => {
                for (index, inner) in all_of.iter().enumerate() {
                    let inner_pointer = pointer_push(&pointer_push(&pointer, "allOf"), &index.to_string());
                    if !self.merge_member(inner, &inner_pointer, merged, depth + 1)? {
                        return Ok(false);
                    }
                }
            }
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                let properties =
                    with_pointers(&any.properties, &pointer).map(|(name, part)| (name, owned(part)));
                merged.properties.extend(properties);
                merged.required.extend(any.required.iter().cloned());
                merged.additional = merged
                    .additional
                    .take()
                    .or_else(|| with_pointer(&any.additional_properties, &pointer).map(owned));
                for (index, inner) in any.all_of.iter().enumerate() {
                    let inner_pointer = pointer_push(&pointer_push(&pointer, "allOf"), &index.to_string());
                    if !self.merge_member(inner, &inner_pointer, merged, depth + 1)? {
                        return Ok(false);
                    }
                }
                let only_annotations = any.properties.is_empty()
                    && any.all_of.is_empty()
                    && any.typ.as_deref().is_none_or(|t| t == "object");
                if !only_annotations && any.properties.is_empty() && any.all_of.is_empty() {
                    return Ok(false);
                }
            }
            _ => return Ok(false),
        }
        if merged.description.is_none() {
            merged.description = data.description.clone();
        }
        Ok(true)
    }
}

/// An `allOf` member that only annotates (a description, `nullable`), adding no structure.
fn is_annotation_only(schema: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else { return false };
    match &schema.schema_kind {
        SchemaKind::Any(any) => *any == openapiv3::AnySchema::default(),
        _ => false,
    }
}
