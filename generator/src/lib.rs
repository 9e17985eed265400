//! Generates Rust API clients from OpenAPI 3.0 documents.
//!
//! The pipeline has one module per stage, each usable alone:
//! [`load`] (file → document) → [`model`] (document → named, resolved API) →
//! [`emit`] (API → syntax trees) → [`print`](mod@print) (syntax → formatted source) → [`krate`] (sources → files).
//! Beside it, [`changes`] tells how two versions of a generated crate's public API differ.

mod builder;
pub mod changes;
pub mod config;
pub mod emit;
pub mod error;
pub mod examples;
pub mod krate;
pub mod load;
pub mod model;
pub mod names;
pub mod print;
pub mod samples;
mod threads;

pub use builder::Builder;
pub use error::Error;
