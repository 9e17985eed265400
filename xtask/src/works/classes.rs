//! Why an operation of `cargo xtask works` failed, told apart without reading each by hand.
//!
//! Prism serves the spec's own examples (or, without one, placeholders such as `"string"` for
//! a `date-time`), and routes by path alone. A failure therefore means one of: our client
//! sent what the spec refuses, it could not decode what the spec allows, or the mock could not
//! stand in for the API. The last is recognised from the spec and from a second run against
//! answers generated from the schemas (Prism's dynamic mode): a response that fails from the
//! example but decodes when it follows the schema was the example's fault, not ours.

/// A failure's class; the first two are the mock's limits, not the generator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The operation's path has a fragment (`/#X-Amz-Target=…`, `#overload=…`): never sent
    /// over HTTP, so Prism routes the request to another operation of the same path.
    MockFragmentRouting,
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
    pub const ALL: [Class; 6] = [
        Class::MockFragmentRouting,
        Class::MockAnswerBreaksSchema,
        Class::TestArguments,
        Class::Decoding,
        Class::Refused,
        Class::Transport,
    ];

    /// The class's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Class::MockFragmentRouting => "mock-fragment-routing",
            Class::MockAnswerBreaksSchema => "mock-answer-breaks-schema",
            Class::TestArguments => "test-arguments",
            Class::Decoding => "decoding",
            Class::Refused => "refused",
            Class::Transport => "transport",
        }
    }

    /// Whether the failure is the mock's, not the client's.
    pub fn is_mock_limit(self) -> bool {
        matches!(self, Class::MockFragmentRouting | Class::MockAnswerBreaksSchema)
    }
}

/// The class of a failure from its message alone (before the schema-generated re-run) and
/// whether the operation's path has a fragment.
pub fn first_class(message: &str, fragment_path: bool) -> Class {
    if fragment_path {
        Class::MockFragmentRouting
    } else if message.starts_with("the sample ") {
        Class::TestArguments
    } else if is_decoding(message) {
        Class::Decoding
    } else if message.contains("transport error") {
        Class::Transport
    } else {
        Class::Refused
    }
}

/// Whether a message says a response did not decode, so a schema-generated answer may tell.
pub fn is_decoding(message: &str) -> bool {
    message.contains("does not match the spec")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_their_class() {
        let decoding = "get_v1: the 200 OK response body does not match the spec: missing field `a`";
        assert_eq!(first_class(decoding, false), Class::Decoding);
        assert_eq!(first_class(decoding, true), Class::MockFragmentRouting);
        assert_eq!(
            first_class("the sample {} does not decode: missing field `a`", false),
            Class::TestArguments
        );
        assert_eq!(first_class("a: transport error: error sending request", false), Class::Transport);
        assert_eq!(first_class("a: the server answered 422 Unprocessable Entity", false), Class::Refused);
        assert!(Class::MockAnswerBreaksSchema.is_mock_limit() && !Class::Decoding.is_mock_limit());
    }
}
