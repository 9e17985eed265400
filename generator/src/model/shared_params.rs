//! Operations that take the same parameters share one parameter struct.
//!
//! Large APIs repeat parameter sets: Microsoft Graph's 6,991 parameter structs have 866
//! distinct shapes (every OData list takes `$top`, `$skip`, `$filter`…). Each struct costs
//! its derived `Debug`, `Clone`, `PartialEq` and `Default` at every compile of the crate, so
//! the later operations of a shape name the first one's struct through a type alias: the
//! caller still writes `ListChatsParams { top: Some(5), ..Default::default() }`.

use super::{Api, Parameter};
use std::collections::HashMap;

/// Points the `params_shared_with` of each operation whose parameters equal an earlier
/// operation's (same names, wire names, places, types, requiredness, docs and deprecation, in
/// order) at that operation's struct.
pub fn share_params(api: &mut Api) {
    let mut first_of_shape: HashMap<Vec<Shape<'_>>, &str> = HashMap::new();
    let mut shared = Vec::with_capacity(api.operations.len());
    for operation in &api.operations {
        let earlier = operation.params_type.as_deref().and_then(|own| {
            let shape = operation.params.iter().map(Shape::of).collect();
            let first = *first_of_shape.entry(shape).or_insert(own);
            (first != own).then(|| first.to_owned())
        });
        shared.push(earlier);
    }
    for (operation, earlier) in api.operations.iter_mut().zip(shared) {
        operation.params_shared_with = earlier;
    }
}

/// What of a parameter shows in its struct's field.
#[derive(PartialEq, Eq, Hash)]
struct Shape<'a> {
    name: &'a str,
    wire: &'a str,
    location: super::ParameterLocation,
    ty: &'a super::Type,
    required: bool,
    doc: Option<&'a str>,
    deprecated: Option<&'a str>,
}

impl<'a> Shape<'a> {
    fn of(param: &'a Parameter) -> Self {
        Shape {
            name: &param.name,
            wire: &param.wire,
            location: param.location,
            ty: &param.ty,
            required: param.required,
            doc: param.doc.as_deref(),
            deprecated: param.deprecated.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Api, build};

    fn api(spec: &str) -> Api {
        build(&crate::load::parse(spec).expect("the test spec loads")).expect("the test spec builds")
    }

    fn shared(api: &Api) -> Vec<(&str, Option<&str>)> {
        api.operations.iter().map(|op| (op.name.as_str(), op.params_shared_with.as_deref())).collect()
    }

    #[test]
    fn only_operations_with_equal_parameters_share_the_first_ones_struct() {
        let api = api(r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: a
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {"204": {description: done}}
  /b:
    get:
      operationId: b
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {"204": {description: done}}
  /c:
    get:
      operationId: c
      parameters: [{name: q, in: query, schema: {type: string}, description: Other docs.}]
      responses: {"204": {description: done}}
  /d:
    get:
      operationId: d
      parameters: [{name: q, in: header, schema: {type: string}}]
      responses: {"204": {description: done}}
  /e:
    get:
      operationId: e
      responses: {"204": {description: done}}
"#);
        assert_eq!(
            shared(&api),
            vec![("a", None), ("b", Some("AParams")), ("c", None), ("d", None), ("e", None)]
        );
    }
}
