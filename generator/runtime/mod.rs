//! Runtime shared by the generated modules: sending requests, credentials, responses, errors.
//!
//! This code is written once, by hand, and copied into every generated crate, so that generated
//! code stays a thin list of calls into it and a generated crate needs nothing but crates.io.

mod call;
mod client;
mod config;
mod encoding;
mod hooks;
mod multipart;
mod pages;
mod reconnect;
mod request;
mod response;
mod stream;
mod token;

pub use call::{Call, Decoder};
pub use client::{ApiKeyLocation, Client, Credential};
pub use config::{Config, RetryPolicy};
pub use encoding::{Base64, FieldError, Object, ObjectWriter, discriminator, from_json_value, tagged};
pub use hooks::{AfterAttempt, Attempt, BeforeAttempt, Hook, HookError, HookFuture};
pub use multipart::{FilePart, FileParts, Multipart};
pub use pages::{Items, Numbering, Pages, link_header_next};
pub use reconnect::{Reconnect, Reconnecting};
pub use request::Request;
pub use response::{Error, RawResponse, Response};
pub use stream::{Body, ByteStream, Event, EventError, EventStream};
pub use token::{ClientCredentials, TokenError, TokenFuture, TokenSource};
