//! Why an operation of `cargo xtask works` failed, told apart without reading each by hand.
//!
//! Prism serves the spec's own examples (or, without one, placeholders such as `"string"` for
//! a `date-time`), and routes by path alone. A failure therefore means one of: our client
//! sent what the spec refuses, it could not decode what the spec allows, or the mock could not
//! stand in for the API. The last is recognised from the spec and from a second run against
//! answers generated from the schemas (Prism's dynamic mode): a response that fails from the
//! example but decodes when it follows the schema was the example's fault, not ours.

/// A failure's class; the first four are the mock's limits, not the generator's.
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
    pub const ALL: [Class; 8] = [
        Class::MockRouting,
        Class::MockObjectsAsText,
        Class::MockFormArrays,
        Class::MockAnswerBreaksSchema,
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
            Class::TestArguments => "test-arguments",
            Class::Decoding => "decoding",
            Class::Refused => "refused",
            Class::Transport => "transport",
        }
    }

    /// Whether the failure is the mock's, not the client's.
    pub fn is_mock_limit(self) -> bool {
        matches!(
            self,
            Class::MockRouting
                | Class::MockObjectsAsText
                | Class::MockFormArrays
                | Class::MockAnswerBreaksSchema
        )
    }
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
}
