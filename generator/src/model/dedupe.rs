//! Merging types that are the same type.
//!
//! Real specs repeat schemas: GitHub's writes the same `state: [open, closed]` enum and the
//! same small objects in hundreds of places, inline and as components of their own. Each copy
//! would be a Rust type of its own, and generated code would grow, and compile, in proportion.
//! Here a type whose shape (kind, fields with their names, types and docs, variants, and the
//! derives and attributes the user added) equals an earlier type's is replaced by that type
//! everywhere. Type-level docs and names are not part of the shape: the earliest type, in
//! document order, keeps its own.
//!
//! An inline copy disappears. A component schema stays, since users name it: when
//! [`Merge::Components`] is asked for, it becomes an alias of its earlier equal
//! (`pub type PullRequestMinimal = PullRequestSimple;`) and costs no code of its own.

use super::{Api, BodyKind, FormFieldKind, Type, TypeDef, TypeId, TypeKind};
use rustc_hash::FxHashMap;

/// Which types [`dedupe`] may merge into an earlier equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Inline types only.
    Inline,
    /// Component schemas too (structs, enums, unions and newtypes), each kept as an alias.
    Components,
}

/// Replaces duplicate types by their earliest equal: inline ones are removed from the print
/// order, components (with [`Merge::Components`]) become aliases.
pub fn dedupe(api: &mut Api, merge: Merge) {
    let component: Vec<bool> = api.types.iter().map(is_component).collect();
    let mut representative: Vec<TypeId> = (0..api.types.len()).map(TypeId).collect();
    // Merging two types can make types that refer to them equal: repeat until nothing merges.
    loop {
        let mut first_with_shape: FxHashMap<Shape, TypeId> = FxHashMap::default();
        let mut merged = false;
        for index in 0..api.types.len() {
            if representative[index].0 != index {
                continue;
            }
            let def = &api.types[index];
            let shape = shape_key(def, &representative);
            let mergeable = !component[index] || (merge == Merge::Components && has_body(&def.kind));
            match first_with_shape.get(&shape) {
                Some(&earlier) if mergeable => {
                    representative[index] = earlier;
                    merged = true;
                }
                Some(_) => {}
                None => {
                    first_with_shape.insert(shape, TypeId(index));
                }
            }
        }
        // Follow chains so every type points straight at its final representative.
        for index in 0..representative.len() {
            let mut target = representative[index];
            while representative[target.0] != target {
                target = representative[target.0];
            }
            representative[index] = target;
        }
        if !merged {
            break;
        }
    }
    // References to a merged component keep its name, which the spec chose for that place
    // (`ServerError(ErrorDto)`, not the earlier equal `UnauthorizedDto`); it is an alias now.
    let referenced: Vec<TypeId> = (0..api.types.len())
        .map(|index| if component[index] { TypeId(index) } else { representative[index] })
        .collect();
    rewrite(api, &referenced);
    for (index, def) in api.types.iter_mut().enumerate() {
        let target = representative[index];
        if target.0 == index {
            continue;
        }
        if component[index] {
            def.kind = TypeKind::Alias(Type::Named(target));
        } else {
            def.same_as = Some(target);
        }
    }
    api.type_order.retain(|id| representative[id.0] == *id || component[id.0]);
}

/// Whether the type is a component schema (`#/components/schemas/Name`), which users name.
fn is_component(def: &TypeDef) -> bool {
    def.pointer.strip_prefix("#/components/schemas/").is_some_and(|name| !name.contains('/'))
}

/// Whether the type has code of its own that an alias would save.
fn has_body(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Newtype { .. })
}

/// The kind with its references merged, and the user's derives and attributes.
type Shape = (TypeKind, Vec<String>, Vec<String>);

/// What makes two types the same type: everything but their name, pointer and own doc.
fn shape_key(def: &TypeDef, representative: &[TypeId]) -> Shape {
    let mut kind = def.kind.clone();
    visit_kind(&mut kind, &mut |ty| remap(ty, representative));
    (kind, def.derives.clone(), def.attributes.clone())
}

fn remap(ty: &mut Type, representative: &[TypeId]) {
    match ty {
        Type::Named(id) => *id = representative[id.0],
        Type::Array(inner) | Type::Map(inner) => remap(inner, representative),
        _ => {}
    }
}

fn visit_kind(kind: &mut TypeKind, f: &mut impl FnMut(&mut Type)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            if let Some(additional) = &mut s.additional {
                f(&mut additional.ty);
            }
        }
        TypeKind::Union(union) => union.variants.iter_mut().for_each(|variant| f(&mut variant.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype { inner: ty, .. } => f(ty),
        TypeKind::Enum(_) | TypeKind::External(_) => {}
    }
}

fn rewrite(api: &mut Api, representative: &[TypeId]) {
    let mut f = |ty: &mut Type| remap(ty, representative);
    for def in &mut api.types {
        visit_kind(&mut def.kind, &mut f);
    }
    for operation in &mut api.operations {
        for param in operation.path_params.iter_mut().chain(&mut operation.params) {
            f(&mut param.ty);
        }
        if let Some(pagination) = &mut operation.pagination {
            f(&mut pagination.item_type);
        }
        let bodies = operation.body.iter_mut().map(|body| &mut body.kind);
        let responses =
            operation.success.iter_mut().chain(&mut operation.errors).map(|response| &mut response.body);
        for body in bodies.chain(responses) {
            match body {
                BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::EventStream(ty, _) => f(ty),
                BodyKind::Multipart(form) => {
                    for field in &mut form.fields {
                        if let FormFieldKind::Text(ty) | FormFieldKind::Json(ty) = &mut field.kind {
                            f(ty);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for variable in api.servers.iter_mut().flat_map(|server| &mut server.variables) {
        if let Some(id) = &mut variable.values {
            *id = representative[id.0];
        }
    }
}
