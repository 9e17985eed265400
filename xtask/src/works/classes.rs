//! Why an operation of `cargo xtask works` failed, told apart without reading each by hand.
//!
//! Prism serves the spec's own examples (or, without one, placeholders such as `"string"` for
//! a `date-time`), and routes by path alone. A failure therefore means one of: our client
//! sent what the spec refuses, it could not decode what the spec allows, or the mock could not
//! stand in for the API. The last is recognised from the spec and from a second run against
//! answers generated from the schemas (Prism's dynamic mode): a response that fails from the
//! example but decodes when it follows the schema was the example's fault, not ours. An
//! answer Prism takes from an example that its own schema refuses is the spec's fault
//! whatever the second run gives.

use generator::model::{Api, BodyKind, refs};

/// A failure's class; the first five are not the generator's: the mock's limits and the
/// spec's own examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Prism, which routes by path alone, cannot route the operation: its path has a fragment
    /// that names no parameter the proxy could route on (`#overload=stream`: never sent over
    /// HTTP, so the request reaches another operation of the same path), or its path holds a
    /// query (`/export?filename={filename}`), which Prism takes for part of the path.
    MockRouting,
    /// The operation sends or expects an object as XML, or answers one as `*/*`: Prism
    /// answers 500 ("cannot serialise complex objects as text") and cannot read an XML body
    /// as an object.
    MockObjectsAsText,
    /// Prism refused a form body with an array: it reads OpenAPI's default encoding of one
    /// (`a=1&a=2`, `style: form`, `explode: true`) as a single string.
    MockFormArrays,
    /// The static answer broke the schema (the spec's example, or Prism's placeholder) while
    /// an answer generated from the schema decodes.
    MockAnswerBreaksSchema,
    /// The answer that did not decode is the spec's own example, which contradicts the
    /// example's schema (a JSON Schema validator says so; `cargo xtask examples` lists them).
    SpecExampleBreaksSchema,
    /// The test's own arguments (the spec's examples or synthesised samples) do not decode.
    TestArguments,
    /// The answer did not decode, from the schema too: ours, or the schema faker's.
    Decoding,
    /// The mock refused the request or failed (a status the test did not expect); Prism's
    /// log holds the reason.
    Refused,
    /// No answer reached the client (a redirect to an example host this sandbox cannot reach).
    Transport,
}

impl Class {
    pub const ALL: [Class; 9] = [
        Class::MockRouting,
        Class::MockObjectsAsText,
        Class::MockFormArrays,
        Class::MockAnswerBreaksSchema,
        Class::SpecExampleBreaksSchema,
        Class::TestArguments,
        Class::Decoding,
        Class::Refused,
        Class::Transport,
    ];

    /// The class's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Class::MockRouting => "mock-routing",
            Class::MockObjectsAsText => "mock-objects-as-text",
            Class::MockFormArrays => "mock-form-arrays",
            Class::MockAnswerBreaksSchema => "mock-answer-breaks-schema",
            Class::SpecExampleBreaksSchema => "spec-example-breaks-schema",
            Class::TestArguments => "test-arguments",
            Class::Decoding => "decoding",
            Class::Refused => "refused",
            Class::Transport => "transport",
        }
    }

    /// Whether the failure is the mock's or the spec's examples', not the client's.
    pub fn is_mock_limit(self) -> bool {
        matches!(
            self,
            Class::MockRouting
                | Class::MockObjectsAsText
                | Class::MockFormArrays
                | Class::MockAnswerBreaksSchema
                | Class::SpecExampleBreaksSchema
        )
    }
}

/// The operations of `api` (read from `raw`) whose success answer Prism may take from one of
/// the `broken` examples: one written in the response itself, or the example of a component
/// schema of the type the response decodes into (which Prism uses when the response has none).
pub fn answered_from_broken_examples(
    api: &Api,
    raw: &serde_json::Value,
    broken: &[generator::examples::Example],
) -> Vec<String> {
    let answers_from = |response: &generator::model::Response| {
        let BodyKind::Json(ty) = &response.body else { return false };
        let written = refs::follow(raw, &response.pointer).map(|(at, _)| format!("{at}/"));
        broken.iter().any(|example| {
            written.as_ref().is_some_and(|written| example.pointer.starts_with(written))
                || (example.ty == *ty && example.pointer.starts_with("#/components/schemas/"))
        })
    };
    api.operations
        .iter()
        .filter(|operation| operation.success.iter().any(answers_from))
        .map(|operation| operation.name.clone())
        .collect()
}

/// The class of a failure from its message alone (before the schema-generated re-run), or
/// the operation's `limit` when the spec shows the mock cannot stand in for it.
pub fn first_class(message: &str, limit: Option<Class>) -> Class {
    let by_message = if message.starts_with("the sample ") {
        Class::TestArguments
    } else if message.contains("does not match the spec") {
        Class::Decoding
    } else if message.contains("transport error") {
        Class::Transport
    } else {
        Class::Refused
    };
    match limit {
        // A form with an array is only the mock's limit when the mock refused it.
        Some(Class::MockFormArrays) if by_message != Class::Refused => by_message,
        Some(limit) => limit,
        None => by_message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_their_class() {
        let decoding = "get_v1: the 200 OK response body does not match the spec: missing field `a`";
        assert_eq!(first_class(decoding, None), Class::Decoding);
        assert_eq!(first_class(decoding, Some(Class::MockObjectsAsText)), Class::MockObjectsAsText);
        assert_eq!(first_class(decoding, Some(Class::MockFormArrays)), Class::Decoding);
        assert_eq!(
            first_class("the sample {} does not decode: missing field `a`", None),
            Class::TestArguments
        );
        assert_eq!(first_class("a: transport error: error sending request", None), Class::Transport);
        assert_eq!(first_class("a: the server answered 422 Unprocessable Entity", None), Class::Refused);
        assert!(Class::MockAnswerBreaksSchema.is_mock_limit() && !Class::Decoding.is_mock_limit());
    }

    #[test]
    fn an_answer_is_from_a_broken_example_written_in_the_response_or_on_its_component() {
        let spec = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /own:
    get:
      operationId: own
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
              example: {id: "not a number"}
  /component:
    get:
      operationId: component
      responses:
        "200": {$ref: "#/components/responses/Stamp"}
  /valid:
    get:
      operationId: valid
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
              example: {id: 1}
components:
  responses:
    Stamp:
      description: ok
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Stamp"}
  schemas:
    Thing:
      type: object
      properties: {id: {type: integer}}
    Stamp:
      type: object
      properties: {at: {type: string, format: date-time}}
      example: {at: "yesterday"}
"##;
        let document = generator::load::parse(spec).expect("loads");
        let api = generator::model::build(&document).expect("builds");
        let broken: Vec<_> = generator::examples::collect(&api, &document.raw)
            .into_iter()
            .filter(|example| {
                example.pointer.starts_with("#/paths/~1own") || example.pointer.contains("Stamp/example")
            })
            .collect();
        assert_eq!(broken.len(), 2, "{broken:?}");
        let names = answered_from_broken_examples(&api, &document.raw, &broken);
        assert_eq!(names, ["own", "component"]);
    }
}
