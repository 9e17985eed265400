//! Lowering JSON schemas to [`Type`]s, creating named types for objects, enums and unions.
//!
//! This file walks schemas and builds structs and enums; `all_of.rs` merges `allOf` members
//! into one object, `union.rs` lowers `oneOf`/`anyOf`, and `../formats.rs` maps scalar formats.

mod all_of;
mod union;

use super::formats;
use super::refs;
use super::{Additional, EnumVariant, Field, StringEnum, Struct, Type, TypeDef, TypeId, TypeKind};
use crate::error::{Located, pointer_push};
use crate::names::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::borrow::{Borrow, Cow};

/// Names that generated code uses unqualified next to the API's own types.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Client",
    "Server",
    "SecurityScheme",
];

/// How deep nested `allOf`s may go before the document is refused.
const MAX_DEPTH: usize = 64;

/// How deep inline schemas may nest; far beyond real specs, well within the stack.
const MAX_NESTING: usize = 256;

/// Where a lowered schema that needs a named type puts it.
#[derive(Debug, Clone)]
pub enum Target {
    /// Create a new type; the string is the suggested name.
    Name(String),
    /// Fill this pre-registered slot (a component schema).
    Slot(TypeId),
}

/// A lowered schema: its type and whether `null` is also allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub ty: Type,
    pub nullable: bool,
}

impl Shape {
    fn plain(ty: Type) -> Self {
        Self { ty, nullable: false }
    }
}

/// A part of a schema and the pointer where it is written.
type Part<'s, T> = (Cow<'s, T>, String);

/// Object parts collected from an object schema or the members of an `allOf`.
///
/// Parts are borrowed from the schema being lowered where they can be: cloning each object's
/// property schemas cloned every nested schema once per level above it.
#[derive(Default)]
struct Merged<'s> {
    /// Each property's schema and pointer, by wire name.
    properties: IndexMap<String, Part<'s, ReferenceOr<Box<Schema>>>>,
    required: Vec<String>,
    /// `additionalProperties` and where it is written, so it lowers at its own pointer.
    additional: Option<Part<'s, AdditionalProperties>>,
    description: Option<String>,
    /// Schemas already merged, by pointer: a member met again adds nothing (`A ∧ A = A`),
    /// which also ends `allOf` cycles.
    seen: Vec<String>,
}

/// Builds the type table of one document.
pub struct TypeBuilder<'a> {
    raw: &'a Value,
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    pub types: Vec<TypeDef>,
    pub order: Vec<TypeId>,
    names: Scope,
    component_ids: FxHashMap<String, TypeId>,
    /// Inline schemas already lowered, by pointer, so a schema reached twice is one type.
    lowered: FxHashMap<String, Shape>,
    /// Pointers of the inline schemas being lowered, outermost first; its length is how deep
    /// they nest.
    in_progress: Vec<String>,
}

impl<'a> TypeBuilder<'a> {
    /// Registers every component schema's name, so references resolve before definitions.
    pub fn new(
        raw: &'a Value,
        components: &'a IndexMap<String, ReferenceOr<Schema>>,
        extra_reserved: &[&str],
    ) -> Self {
        let mut reserved = RESERVED_TYPE_NAMES.to_vec();
        reserved.extend_from_slice(extra_reserved);
        let mut builder = Self {
            raw,
            components,
            types: Vec::new(),
            order: Vec::new(),
            names: Scope::with_reserved(&reserved),
            component_ids: FxHashMap::default(),
            lowered: FxHashMap::default(),
            in_progress: Vec::new(),
        };
        for key in components.keys() {
            let pointer = pointer_push("#/components/schemas", key);
            let id = builder.push(names::type_name(key), pointer, false);
            builder.component_ids.insert(key.clone(), id);
        }
        builder
    }

    /// Claims a name in the type namespace (for types the operations add).
    pub fn claim_name(&mut self, name: String) -> String {
        self.names.claim(name)
    }

    fn push(&mut self, wanted: String, pointer: String, ordered: bool) -> TypeId {
        let id = TypeId(self.types.len());
        let name = self.names.claim(wanted);
        self.types.push(TypeDef {
            name,
            doc: None,
            pointer,
            kind: TypeKind::Alias(Type::Json),
            deprecated: None,
            derives: Vec::new(),
            attributes: Vec::new(),
            same_as: None,
        });
        if ordered {
            self.order.push(id);
        }
        id
    }

    fn reserve(&mut self, target: &Target, pointer: &str) -> TypeId {
        match target {
            Target::Slot(id) => *id,
            Target::Name(name) => {
                let id = self.push(name.clone(), pointer.to_owned(), true);
                // A schema that contains itself (through `allOf` of its parent, say) meets its
                // own pointer again while being lowered: it then refers to this type.
                self.lowered.insert(pointer.to_owned(), Shape::plain(Type::Named(id)));
                id
            }
        }
    }

    fn name_of(&self, id: TypeId) -> String {
        self.types[id.0].name.clone()
    }

    /// Lowers every component schema into its slot.
    pub fn define_components(&mut self) -> Result<(), Located> {
        for (key, schema) in self.components {
            let id = self.component_ids[key];
            self.order.push(id);
            let pointer = pointer_push("#/components/schemas", key);
            let shape = self.lower(schema, &pointer, Target::Slot(id))?;
            if let ReferenceOr::Item(schema) = schema {
                let data = &schema.schema_data;
                self.types[id.0].deprecated =
                    super::deprecation(data.deprecated, data.description.as_deref());
            }
            if shape.ty != Type::Named(id) {
                self.types[id.0].kind = TypeKind::Alias(shape.ty);
                if let ReferenceOr::Item(schema) = schema {
                    self.types[id.0].doc = schema.schema_data.description.clone();
                }
            }
        }
        Ok(())
    }

    /// Lowers a schema or reference found at `pointer` (openapiv3 boxes some schemas, not
    /// others; both are accepted).
    pub fn lower<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &str,
        target: Target,
    ) -> Result<Shape, Located> {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_reference(reference, pointer),
            ReferenceOr::Item(schema) => self.lower_inline(schema.borrow(), pointer, target),
        }
    }

    fn lower_reference(&mut self, reference: &str, pointer: &str) -> Result<Shape, Located> {
        if let Some(key) = refs::component_name(reference, "schemas") {
            if let Some(id) = self.component_ids.get(&key) {
                // A nullable component keeps its `null` where it is used.
                let nullable = matches!(
                    self.components.get(&key),
                    Some(ReferenceOr::Item(schema)) if schema.schema_data.nullable
                );
                return Ok(Shape { ty: Type::Named(*id), nullable });
            }
        }
        // Lowered at the target's own pointer: its cache, cycle and depth guards apply.
        let (target_pointer, schema) = self.resolve(reference, pointer)?;
        let hint = names::type_name(target_pointer.rsplit('/').next().unwrap_or("Value"));
        self.lower_inline(&schema, &target_pointer, Target::Name(hint))
    }

    /// Finds the schema a local reference points to.
    ///
    /// The pointer returned is the target's canonical form (no percent-encoding), the same
    /// the builder uses for inline schemas, so a schema reached both ways is one type.
    pub fn resolve(&self, reference: &str, pointer: &str) -> Result<(String, Schema), Located> {
        let value = refs::target(self.raw, reference, pointer)?;
        let schema = serde_json::from_value::<Schema>(value.clone())
            .map_err(|error| Located::new(reference, format!("not a valid schema: {error}")))?;
        Ok((refs::canonical(reference), schema))
    }

    fn lower_inline(&mut self, schema: &Schema, pointer: &str, target: Target) -> Result<Shape, Located> {
        if self.in_progress.len() > MAX_NESTING {
            return Err(Located::new(pointer, format!("schemas nest deeper than {MAX_NESTING} levels")));
        }
        if matches!(target, Target::Name(_))
            && let Some(shape) = self.lowered.get(pointer)
        {
            return Ok(shape.clone());
        }
        // A schema met again while it is being lowered, without a named type to refer to,
        // cannot be spelled in Rust: that occurrence is JSON.
        if self.in_progress.iter().any(|open| open == pointer) {
            return Ok(Shape::plain(Type::Json));
        }
        self.in_progress.push(pointer.to_owned());
        let shape = self.lower_inline_at_depth(schema, pointer, target);
        self.in_progress.pop();
        shape
    }

    fn lower_inline_at_depth(
        &mut self,
        schema: &Schema,
        pointer: &str,
        target: Target,
    ) -> Result<Shape, Located> {
        let creates_type = matches!(target, Target::Name(_));
        let shape = self.lower_kind(schema, pointer, target)?;
        if creates_type && matches!(shape.ty, Type::Named(_)) {
            self.lowered.insert(pointer.to_owned(), shape.clone());
        }
        Ok(shape)
    }

    fn lower_kind(&mut self, schema: &Schema, pointer: &str, target: Target) -> Result<Shape, Located> {
        let data = &schema.schema_data;
        let nullable = data.nullable;
        let with_null = |ty: Type| Shape { ty, nullable };
        Ok(match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(string)) => {
                let values: Vec<&String> = string.enumeration.iter().flatten().collect();
                let null_listed = string.enumeration.iter().any(Option::is_none);
                if values.is_empty() {
                    with_null(scalar("string", formats::string_format(&string.format)))
                } else {
                    let ty = self.string_enum(&values, data.description.clone(), pointer, target);
                    Shape { ty, nullable: nullable || null_listed }
                }
            }
            SchemaKind::Type(openapiv3::Type::Integer(integer)) => {
                with_null(scalar("integer", formats::integer_format(&integer.format)))
            }
            SchemaKind::Type(openapiv3::Type::Number(number)) => {
                with_null(scalar("number", formats::number_format(&number.format)))
            }
            SchemaKind::Type(openapiv3::Type::Boolean(_)) => with_null(Type::Bool),
            SchemaKind::Type(openapiv3::Type::Array(array)) => {
                with_null(self.array(array.items.as_ref(), pointer, &target)?)
            }
            SchemaKind::Type(openapiv3::Type::Object(object)) => {
                let merged = Merged {
                    properties: with_pointers(&object.properties, pointer).collect(),
                    required: object.required.clone(),
                    additional: with_pointer(&object.additional_properties, pointer),
                    description: data.description.clone(),
                    seen: Vec::new(),
                };
                with_null(self.object(merged, pointer, target)?)
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                let key =
                    if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                self.union(schema, variants, &pointer_push(pointer, key), target)?
            }
            SchemaKind::AllOf { all_of } => self.all_of(schema, all_of, &[], pointer, target)?,
            SchemaKind::Not { .. } => with_null(Type::Json),
            SchemaKind::Any(any) => self.lower_any(schema, any, pointer, target)?,
        })
    }

    /// Schemas without a `type` or mixing keywords, read by what they contain.
    fn lower_any(
        &mut self,
        schema: &Schema,
        any: &openapiv3::AnySchema,
        pointer: &str,
        target: Target,
    ) -> Result<Shape, Located> {
        let nullable = schema.schema_data.nullable || any.typ.as_deref() == Some("null");
        if !any.all_of.is_empty() {
            let mut shape = self.all_of(schema, &any.all_of, &[any], pointer, target)?;
            shape.nullable |= nullable;
            return Ok(shape);
        }
        let variants = if any.one_of.is_empty() { &any.any_of } else { &any.one_of };
        if !variants.is_empty() && any.properties.is_empty() {
            let key = if any.one_of.is_empty() { "anyOf" } else { "oneOf" };
            let mut shape = self.union(schema, variants, &pointer_push(pointer, key), target)?;
            shape.nullable |= nullable;
            return Ok(shape);
        }
        // A `type` decides; keywords of other types only constrain values of those types
        // (`type: string` beside `additionalProperties` is a string).
        let typ = any.typ.as_deref();
        let untyped = typ.is_none();
        let ty = if typ == Some("object")
            || (untyped && (!any.properties.is_empty() || any.additional_properties.is_some()))
        {
            let merged = Merged {
                properties: with_pointers(&any.properties, pointer).collect(),
                required: any.required.clone(),
                additional: with_pointer(&any.additional_properties, pointer),
                description: schema.schema_data.description.clone(),
                seen: Vec::new(),
            };
            self.object(merged, pointer, target)?
        } else if typ == Some("array") || (untyped && any.items.is_some()) {
            self.array(any.items.as_ref(), pointer, &target)?
        } else {
            let strings: Vec<&String> = any
                .enumeration
                .iter()
                .filter_map(|value| match value {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect();
            if !strings.is_empty() && strings.len() == any.enumeration.len() {
                self.string_enum(&strings, schema.schema_data.description.clone(), pointer, target)
            } else {
                any.typ
                    .as_deref()
                    .and_then(|json_type| formats::scalar_type(json_type, any.format.as_deref()))
                    .unwrap_or(Type::Json)
            }
        };
        Ok(Shape { ty, nullable })
    }

    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        pointer: &str,
        target: &Target,
    ) -> Result<Type, Located> {
        let Some(items) = items else {
            return Ok(Type::Array(Box::new(Type::Json)));
        };
        let hint = format!("{}Item", self.hint_base(target));
        let item = self.lower(items, &pointer_push(pointer, "items"), Target::Name(hint))?;
        // `[T, null]` items keep their nulls.
        let ty =
            if item.nullable { Type::Array(Box::new(Type::Json)) } else { Type::Array(Box::new(item.ty)) };
        Ok(ty)
    }

    /// The name an inline child type is derived from.
    fn hint_base(&self, target: &Target) -> String {
        match target {
            Target::Name(name) => name.clone(),
            Target::Slot(id) => self.name_of(*id),
        }
    }

    fn string_enum(
        &mut self,
        values: &[&String],
        doc: Option<String>,
        pointer: &str,
        target: Target,
    ) -> Type {
        let id = self.reserve(&target, pointer);
        let mut scope = Scope::default();
        let mut variants = Vec::with_capacity(values.len());
        for value in values {
            if variants.iter().any(|v: &EnumVariant| &v.wire == *value) {
                continue;
            }
            let name = scope.claim(names::type_name(value));
            variants.push(EnumVariant { name, wire: (*value).clone() });
        }
        let def = &mut self.types[id.0];
        def.doc = doc;
        def.kind = TypeKind::Enum(StringEnum::new(variants));
        Type::Named(id)
    }

    fn object(&mut self, merged: Merged<'_>, pointer: &str, target: Target) -> Result<Type, Located> {
        let Merged { properties, required, additional, description, .. } = merged;
        let additional = additional.as_ref().map(|(additional, pointer)| (&**additional, pointer));
        if properties.is_empty() {
            return Ok(match additional {
                Some((AdditionalProperties::Schema(schema), schema_pointer)) => {
                    let hint = format!("{}Value", self.hint_base(&target));
                    let value = self.lower(schema, schema_pointer, Target::Name(hint))?;
                    Type::Map(Box::new(if value.nullable { Type::Json } else { value.ty }))
                }
                _ => Type::JsonObject,
            });
        }
        let id = self.reserve(&target, pointer);
        let struct_name = self.name_of(id);
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, (schema, property_pointer)) in &properties {
            let name = scope.claim(names::value_name(wire));
            let hint = format!("{struct_name}{}", names::type_name(wire));
            let shape = self.lower(schema, property_pointer, Target::Name(hint))?;
            let (doc, read_only, deprecated) = match &**schema {
                ReferenceOr::Item(schema) => (
                    schema.schema_data.description.clone(),
                    schema.schema_data.read_only,
                    super::deprecation(
                        schema.schema_data.deprecated,
                        schema.schema_data.description.as_deref(),
                    ),
                ),
                // A reference's own `description` (3.1 allows siblings) is in the raw tree.
                ReferenceOr::Reference { .. } => (self.raw_description(property_pointer), false, None),
            };
            fields.push(Field {
                name,
                wire: wire.clone(),
                ty: shape.ty,
                required: required.contains(wire),
                nullable: shape.nullable,
                boxed: false,
                doc,
                read_only,
                deprecated,
            });
        }
        // A name `required` lists without a property: any value, so that it can still be sent;
        // optional, since such lists are often wrong (typos, names of other schemas) and real
        // responses then lack the name.
        for wire in &required {
            if fields.iter().any(|field| field.wire == *wire) {
                continue;
            }
            fields.push(Field {
                name: scope.claim(names::value_name(wire)),
                wire: wire.clone(),
                ty: Type::Json,
                required: false,
                nullable: false,
                boxed: false,
                doc: Some("Listed as required by the spec, which describes no schema for it.".into()),
                read_only: false,
                deprecated: None,
            });
        }
        let additional = match additional {
            // Absent, the keyword allows any member, as `true` does (JSON Schema's default);
            // `customize` decides whether such members are kept.
            Some((AdditionalProperties::Any(true), _)) | None => Some(Additional {
                name: scope.claim("additional_properties".into()),
                ty: Type::Json,
                implied: additional.is_none(),
            }),
            Some((AdditionalProperties::Schema(schema), schema_pointer)) => {
                let hint = format!("{struct_name}Value");
                let value = self.lower(schema, schema_pointer, Target::Name(hint))?;
                let ty = if value.nullable { Type::Json } else { value.ty };
                Some(Additional { name: scope.claim("additional_properties".into()), ty, implied: false })
            }
            Some((AdditionalProperties::Any(false), _)) => None,
        };
        let def = &mut self.types[id.0];
        def.doc = description;
        def.kind = TypeKind::Struct(Struct { fields, additional });
        Ok(Type::Named(id))
    }
}

/// The type of a scalar the typed parser recognised as one.
fn scalar(json_type: &str, format: Option<&str>) -> Type {
    formats::scalar_type(json_type, format).unwrap_or(Type::Json)
}

impl TypeBuilder<'_> {
    /// The `description` written next to a `$ref` at `pointer`, which `openapiv3` drops.
    fn raw_description(&self, pointer: &str) -> Option<String> {
        let value = self.raw.pointer(pointer.strip_prefix('#')?)?;
        value.get("description")?.as_str().map(str::to_owned)
    }
}

/// `additionalProperties` of the schema at `pointer`, with the keyword's own pointer.
fn with_pointer<'s>(
    additional: &'s Option<AdditionalProperties>,
    pointer: &str,
) -> Option<Part<'s, AdditionalProperties>> {
    additional
        .as_ref()
        .map(|additional| (Cow::Borrowed(additional), pointer_push(pointer, "additionalProperties")))
}

/// `properties` of the schema at `pointer`, each with its own pointer.
fn with_pointers<'s>(
    properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    pointer: &str,
) -> impl Iterator<Item = (String, Part<'s, ReferenceOr<Box<Schema>>>)> {
    let base = pointer_push(pointer, "properties");
    properties
        .iter()
        .map(move |(name, schema)| (name.clone(), (Cow::Borrowed(schema), pointer_push(&base, name))))
}

/// The same parts, owned: for a schema that does not outlive the merge.
fn owned<'s, T: Clone + 'static>(part: Part<'_, T>) -> Part<'s, T> {
    (Cow::Owned(part.0.into_owned()), part.1)
}

impl TypeBuilder<'_> {
    /// Adds a named type that is not a schema (a server variable's values).
    pub fn add(&mut self, name: String, doc: Option<String>, kind: TypeKind) -> TypeId {
        let id = self.push(name, "#/servers".into(), true);
        let def = &mut self.types[id.0];
        def.doc = doc;
        def.kind = kind;
        id
    }
}
