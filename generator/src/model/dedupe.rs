//! Merging inline types that are the same type.
//!
//! Real specs repeat inline schemas: GitHub's writes the same `state: [open, closed]` enum and
//! the same small objects in hundreds of places. Each copy would be a Rust type of its own,
//! and generated code would grow, and compile, in proportion. Here an inline type whose shape
//! (kind, fields with their names, types and docs, variants) equals an earlier type's is
//! replaced by that type everywhere. Component schemas are never removed, since users name
//! them, but an inline copy of one becomes that component. Type-level docs and names are not
//! part of the shape: the earliest type, in document order, keeps its own.

use super::{Api, BodyKind, FormFieldKind, Type, TypeDef, TypeId, TypeKind};
use rustc_hash::FxHashMap;

/// Replaces duplicate inline types by their earliest equal, and removes them from the print
/// order. `components` is how many leading types are component schemas.
pub fn dedupe(api: &mut Api, components: usize) {
    let mut representative: Vec<TypeId> = (0..api.types.len()).map(TypeId).collect();
    // Merging two types can make types that refer to them equal: repeat until nothing merges.
    loop {
        let mut first_with_shape: FxHashMap<TypeKind, TypeId> = FxHashMap::default();
        let mut merged = false;
        for index in 0..api.types.len() {
            if representative[index].0 != index {
                continue;
            }
            let shape = shape_key(&api.types[index], &representative);
            match first_with_shape.get(&shape) {
                Some(&earlier) if index >= components => {
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
    rewrite(api, &representative);
    api.type_order.retain(|id| representative[id.0] == *id);
    for (index, def) in api.types.iter_mut().enumerate() {
        def.same_as = Some(representative[index]).filter(|id| id.0 != index);
    }
}

/// What makes two types the same type: everything but their name, pointer and own doc.
fn shape_key(def: &TypeDef, representative: &[TypeId]) -> TypeKind {
    let mut kind = def.kind.clone();
    visit_kind(&mut kind, &mut |ty| remap(ty, representative));
    kind
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
