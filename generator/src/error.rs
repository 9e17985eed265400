//! The one error type of the generator: what went wrong, in which file, and where in it.

use std::fmt;
use std::path::PathBuf;

/// A problem with an input document, located by file and JSON pointer.
///
/// Displayed as `FILE: #/json/pointer: message`, or `FILE:LINE:COLUMN: message` for syntax errors
/// that happen before there is a document to point into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The document the problem is in.
    pub file: PathBuf,
    /// Where in the document, as a JSON pointer (`#/paths/~1chats~1{chat-id}/patch`), or a
    /// `line:column` position for syntax errors.
    pub location: String,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let separator = if self.location.starts_with('#') { ": " } else { ":" };
        write!(f, "{}{separator}{}: {}", self.file.display(), self.location, self.message)
    }
}

impl std::error::Error for Error {}

/// An error not yet tied to a file: the model and emit stages work on one document and leave the
/// file name to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// JSON pointer, starting with `#`.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl Located {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), message: message.into() }
    }

    /// Ties the problem to `file`.
    pub fn in_file(self, file: impl Into<PathBuf>) -> Error {
        Error { file: file.into(), location: self.pointer, message: self.message }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_push("#/paths", "/chats/{chat-id}"), "#/paths/~1chats~1{chat-id}");
        assert_eq!(pointer_push("#", "a~b"), "#/a~0b");
    }

    #[test]
    fn display_names_file_and_pointer() {
        let error = Located::new("#/paths/~1a/get", "no responses").in_file("spec.yaml");
        assert_eq!(error.to_string(), "spec.yaml: #/paths/~1a/get: no responses");
    }
}
