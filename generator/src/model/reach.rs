//! The types an API's operations reach: through parameters, bodies and responses, then
//! through fields, additional properties, union alternatives (discriminator mappings are
//! alternatives too), aliases, arrays and maps. A filtered API prints only these.

use super::recursion::named_anywhere;
use super::{Api, BodyKind, FormFieldKind, TypeId, TypeKind};

/// Keeps in `api.type_order` only the types its operations or server variables reach.
pub fn keep_reachable(api: &mut Api) {
    let mut reached = vec![false; api.types.len()];
    let mut pending: Vec<TypeId> = Vec::new();
    for operation in &api.operations {
        for param in operation.path_params.iter().chain(&operation.params) {
            named_anywhere(&param.ty, &mut pending);
        }
        if let Some(pagination) = &operation.pagination {
            named_anywhere(&pagination.item_type, &mut pending);
        }
        let bodies = operation.body.iter().map(|body| &body.kind);
        let responses = operation.success.iter().chain(&operation.errors).map(|response| &response.body);
        for body in bodies.chain(responses) {
            match body {
                BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::EventStream(ty, _) => {
                    named_anywhere(ty, &mut pending)
                }
                BodyKind::Multipart(form) => {
                    for field in &form.fields {
                        if let FormFieldKind::Text(ty) | FormFieldKind::Json(ty) = &field.kind {
                            named_anywhere(ty, &mut pending);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    pending.extend(
        api.servers.iter().flat_map(|server| &server.variables).filter_map(|variable| variable.values),
    );
    while let Some(id) = pending.pop() {
        if std::mem::replace(&mut reached[id.0], true) {
            continue;
        }
        match &api.types[id.0].kind {
            TypeKind::Struct(fields) => {
                for field in &fields.fields {
                    named_anywhere(&field.ty, &mut pending);
                }
                if let Some(additional) = &fields.additional {
                    named_anywhere(&additional.ty, &mut pending);
                }
            }
            TypeKind::Union(union) => {
                union.variants.iter().for_each(|variant| named_anywhere(&variant.ty, &mut pending))
            }
            TypeKind::Alias(ty) | TypeKind::Newtype { inner: ty, .. } => named_anywhere(ty, &mut pending),
            TypeKind::Enum(_) | TypeKind::External(_) => {}
        }
    }
    api.type_order.retain(|id| reached[id.0]);
}
