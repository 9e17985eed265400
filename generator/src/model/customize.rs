//! What a user adjusts without editing generated code: a schema replaced by a Rust type of
//! their own (`x-rust-type` on the schema, or the configuration's `[types.replace]`), types
//! renamed, derives or attributes added, per type or to all, and whether structs keep
//! members their schema does not declare.
//!
//! Keys are the spec's schema names (`components.schemas`), which users read in the spec,
//! not the Rust names the generator chose.

use super::{Api, TypeKind};
use crate::error::{Located, pointer_push};
use serde_json::Value;
use std::collections::BTreeMap;

/// The `[types]` table of the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TypeOptions {
    /// Schema name → the Rust type used instead (`chrono::DateTime<chrono::Utc>`,
    /// `my_crate::Money`); the generated type becomes an alias of it.
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
    /// Schema name → the Rust name of its type.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Derives added to every generated struct and enum (`Eq`, `Hash`, `serde::Deserialize`…).
    #[serde(default)]
    pub derives: Vec<String>,
    /// Schema name → derives added to its type.
    #[serde(default)]
    pub derive: BTreeMap<String, Vec<String>>,
    /// Schema name → attributes added to its type (`#[non_exhaustive]`).
    #[serde(default)]
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Keeps the members a schema without `additionalProperties` does not declare, in each
    /// struct's `additional_properties`, so that a value read from a server (members of a
    /// subtype, ones newer than the spec) is sent back unchanged. Off by default: like serde's
    /// derive, structs then ignore such members and hold exactly the spec's properties.
    #[serde(default)]
    pub keep_unknown_members: bool,
}

/// Applies `options` and the spec's `x-rust-type` extensions to `api`, whose document is
/// `raw`. A name that is no schema, a type or attribute that does not parse, or a rename
/// that collides is an error naming it.
pub fn customize(api: &mut Api, raw: &Value, options: &TypeOptions) -> Result<(), Located> {
    if !options.keep_unknown_members {
        for def in &mut api.types {
            if let TypeKind::Struct(s) = &mut def.kind {
                s.additional.take_if(|additional| additional.implied);
            }
        }
    }
    let schemas = raw.pointer("/components/schemas").and_then(Value::as_object);
    let component = |name: &str| pointer_push("#/components/schemas", name);
    let index = |api: &Api, name: &str, setting: &str| {
        let pointer = component(name);
        api.types.iter().position(|def| def.pointer == pointer).ok_or_else(|| {
            Located::new(format!("#/types/{setting}/{name}"), format!("the spec has no schema `{name}`"))
        })
    };
    let mut replacements: Vec<(String, String, String)> = Vec::new();
    for (name, schema) in schemas.into_iter().flatten() {
        if let Some(rust) = schema.get("x-rust-type").and_then(Value::as_str) {
            replacements.push((name.clone(), rust.to_owned(), format!("{}/x-rust-type", component(name))));
        }
    }
    for (name, rust) in &options.replace {
        replacements.push((name.clone(), rust.clone(), format!("#/types/replace/{name}")));
    }
    for (name, rust, location) in replacements {
        if syn::parse_str::<syn::Type>(&rust).is_err() {
            return Err(Located::new(location, format!("`{rust}` is not a Rust type")));
        }
        let position = index(api, &name, "replace")?;
        api.types[position].kind = TypeKind::External(rust);
    }
    for (name, new_name) in &options.rename {
        let position = index(api, name, "rename")?;
        if syn::parse_str::<syn::Ident>(new_name).is_err() {
            return Err(Located::new(
                format!("#/types/rename/{name}"),
                format!("`{new_name}` is not a Rust name"),
            ));
        }
        if api.types.iter().any(|def| def.name == *new_name) {
            return Err(Located::new(
                format!("#/types/rename/{name}"),
                format!("a type is already named `{new_name}`"),
            ));
        }
        api.types[position].name.clone_from(new_name);
    }
    let derive_path = |derive: &String, location: String| {
        syn::parse_str::<syn::Path>(derive)
            .map(|_| ())
            .map_err(|_| Located::new(location, format!("`{derive}` is not a derive macro's path")))
    };
    for derive in &options.derives {
        derive_path(derive, "#/types/derives".into())?;
    }
    if !options.derives.is_empty() {
        // Every struct and enum; aliases and unions the derives may not fit are left alone.
        for def in &mut api.types {
            if matches!(def.kind, TypeKind::Struct(_) | TypeKind::Enum(_)) {
                def.derives.extend(options.derives.iter().cloned());
            }
        }
    }
    for (name, derives) in &options.derive {
        for derive in derives {
            derive_path(derive, format!("#/types/derive/{name}"))?;
        }
        let position = index(api, name, "derive")?;
        api.types[position].derives.extend(derives.iter().cloned());
    }
    for (name, attributes) in &options.attributes {
        for attribute in attributes {
            let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute);
            if !matches!(parsed.as_deref(), Ok([_])) {
                let location = format!("#/types/attributes/{name}");
                return Err(Located::new(location, format!("`{attribute}` is not one attribute")));
            }
        }
        let position = index(api, name, "attributes")?;
        api.types[position].attributes.extend(attributes.iter().cloned());
    }
    Ok(())
}
