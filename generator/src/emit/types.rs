//! Tokens for named types: structs, string enums, unions, aliases and newtypes.

use super::docs::doc_attrs;
use super::{ident, type_ident};
use crate::model::{Api, Field, FloatType, IntType, Struct, Type, TypeDef, TypeKind, Union};
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type for `ty`.
pub fn rust_type(api: &Api, ty: &Type) -> TokenStream {
    match ty {
        Type::Bool => quote!(bool),
        Type::Int(int) => match int {
            IntType::I8 => quote!(i8),
            IntType::I16 => quote!(i16),
            IntType::I32 => quote!(i32),
            IntType::I64 => quote!(i64),
            IntType::U8 => quote!(u8),
            IntType::U16 => quote!(u16),
            IntType::U32 => quote!(u32),
            IntType::U64 => quote!(u64),
        },
        Type::Float(FloatType::F32) => quote!(f32),
        Type::Float(FloatType::F64) => quote!(f64),
        Type::String => quote!(String),
        Type::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
        Type::Date => quote!(chrono::NaiveDate),
        Type::Uuid => quote!(uuid::Uuid),
        Type::Base64 => quote!(crate::runtime::Base64),
        Type::Json => quote!(serde_json::Value),
        Type::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Type::Array(item) => {
            let item = rust_type(api, item);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(api, value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Type::Named(id) => type_ident(&api.types[id.0].name),
    }
}

/// Spec text that says something.
pub fn non_blank(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.trim().is_empty())
}

/// The type's description, or where it comes from when the spec gives none.
fn type_doc(def: &TypeDef) -> TokenStream {
    let origin = format!("Schema `{}`.", def.pointer);
    doc_attrs([Some(non_blank(def.doc.as_deref()).unwrap_or(&origin))])
}

/// The items of one named type: its definition and impls.
pub fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let name = type_ident(&def.name);
    let doc = type_doc(def);
    match &def.kind {
        TypeKind::Struct(s) => struct_def(api, def, s),
        TypeKind::Enum(variants) => {
            let names: Vec<_> = variants.iter().map(|v| type_ident(&v.name)).collect();
            let wires: Vec<_> = variants.iter().map(|v| v.wire.as_str()).collect();
            let variant_docs: Vec<_> = wires.iter().map(|wire| format!(" `{wire}`")).collect();
            let other = type_ident(&other_variant(variants.iter().map(|v| v.name.as_str())));
            // Serde goes through `as_str` and `From<String>` rather than derives: an untagged
            // catch-all variant makes serde buffer every value, which is slow to run and, over
            // the thousands of enums of a large spec, slow to compile.
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#[doc = #variant_docs] #names,)*
                    /// A value the spec does not list, kept as sent.
                    #other(String),
                }

                impl #name {
                    /// The value as written on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(Self::#names => #wires,)*
                            Self::#other(value) => value,
                        }
                    }
                }

                impl From<String> for #name {
                    fn from(value: String) -> Self {
                        match value.as_str() {
                            #(#wires => Self::#names,)*
                            _ => Self::#other(value),
                        }
                    }
                }

                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
                    }
                }
            }
        }
        TypeKind::Union(union) => union_def(api, def, union),
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
        TypeKind::Newtype { inner, boxed } => {
            let inner = boxed_if(rust_type(api, inner), *boxed);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #inner);
            }
        }
    }
}

/// A variant name for unlisted values that no listed value took.
pub fn other_variant<'a>(taken: impl Iterator<Item = &'a str> + Clone) -> String {
    ["Other", "UnknownValue", "Unlisted"]
        .iter()
        .map(|name| (*name).to_owned())
        .chain((2..).map(|n| format!("Other{n}")))
        .find(|candidate| !taken.clone().any(|name| name == candidate))
        .unwrap_or_default()
}

fn boxed_if(ty: TokenStream, boxed: bool) -> TokenStream {
    if boxed { quote!(Box<#ty>) } else { ty }
}

fn struct_def(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = type_ident(&def.name);
    let doc = type_doc(def);
    let all_optional = s.fields.iter().all(Field::optional);
    let default = all_optional.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|field| {
        let name = ident(&field.name);
        let ty = boxed_if(rust_type(api, &field.ty), field.boxed);
        let notes = [
            (!field.required && field.nullable)
                .then_some("`None` leaves the field out; `Some(None)` sends `null`."),
            field.read_only.then_some("Read-only: set by the server."),
            field.deprecated.then_some("Deprecated."),
        ];
        let fallback = format!("The `{}` property.", field.wire);
        let doc =
            doc_attrs([Some(non_blank(field.doc.as_deref()).unwrap_or(&fallback))].into_iter().chain(notes));
        let rename = (field.wire != field.name.trim_start_matches("r#")).then(|| {
            let wire = &field.wire;
            quote!(rename = #wire,)
        });
        let skip = (!field.required).then(|| quote!(skip_serializing_if = "Option::is_none",));
        let attr = (rename.is_some() || skip.is_some()).then(|| quote!(#[serde(#rename #skip)]));
        // An optional nullable field has three states: left out, `null`, or a value.
        let ty = match (field.required, field.nullable) {
            (true, false) => ty,
            (true, true) | (false, false) => quote!(Option<#ty>),
            (false, true) => quote!(Option<Option<#ty>>),
        };
        quote! {
            #doc
            #attr
            pub #name: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|additional| {
        let name = ident(&additional.name);
        let ty = rust_type(api, &additional.ty);
        quote! {
            /// Members not listed among the properties, kept as received.
            #[serde(flatten)]
            pub #name: std::collections::BTreeMap<String, #ty>,
        }
    });
    let deserialize = deserialize_struct(&name, s);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #deserialize
    }
}

/// `Deserialize` through the runtime's `Object`: one call per field.
///
/// serde's derive expands every field into several match arms (field identifiers, map and
/// sequence visitors); over the tens of thousands of fields of a large spec that dominated
/// compile time and memory. Decoding through a JSON object costs an intermediate value at run
/// time, which is small next to a network round trip.
fn deserialize_struct(name: &TokenStream, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|field| {
        let name = ident(&field.name);
        let wire = &field.wire;
        match (field.required, field.nullable) {
            (true, _) => quote!(#name: object.required(#wire)?,),
            (false, false) => quote!(#name: object.optional(#wire)?,),
            (false, true) => quote!(#name: object.nullable(#wire)?,),
        }
    });
    let additional = s.additional.as_ref().map(|additional| {
        let name = ident(&additional.name);
        quote!(#name: object.rest()?,)
    });
    let binding =
        if s.fields.is_empty() && s.additional.is_none() { quote!(_object) } else { quote!(mut object) };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let #binding = crate::runtime::Object::deserialize(deserializer)?;
                Ok(Self {
                    #(#fields)*
                    #additional
                })
            }
        }
    }
}

fn union_def(api: &Api, def: &TypeDef, union: &Union) -> TokenStream {
    let name = type_ident(&def.name);
    let doc = type_doc(def);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = type_ident(&variant.name);
        let variant_doc = format!(" The `{}` alternative.", variant.name);
        let ty = boxed_if(rust_type(api, &variant.ty), variant.boxed);
        quote!(#[doc = #variant_doc] #variant_name(#ty),)
    });
    let Some(discriminator) = &union.discriminator else {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        };
    };
    let property = &discriminator.property;
    let arms = discriminator.mapping.iter().map(|(value, index)| {
        let variant = &union.variants[*index];
        let variant_name = type_ident(&variant.name);
        let wrap = if variant.boxed {
            quote!(|value| Self::#variant_name(Box::new(value)))
        } else {
            quote!(Self::#variant_name)
        };
        quote!(Some(#value) => crate::runtime::from_json_value(value).map(#wrap),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match crate::runtime::discriminator(&value, #property) {
                    #(#arms)*
                    other => Err(crate::runtime::unknown_discriminator(#property, other)),
                }
            }
        }
    }
}
