//! Named types: structs, string enums, unions, aliases and newtypes.

use super::docs::doc_attrs;
use super::parse_items;
use super::syntax::{self, fixed};
use crate::model::{Api, Field, FloatType, IntType, StringEnum, Struct, Type, TypeDef, TypeKind, Union};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, ImplItem, Item};

/// The Rust type for `ty`.
pub fn rust_type(api: &Api, ty: &Type) -> syn::Type {
    type_in(api, ty, "crate")
}

/// The Rust type for `ty` in code outside the generated crate, whose name is `krate` there
/// (`crate` inside): the runtime's types are named through it; the API's own are taken to be
/// in scope.
pub fn type_in(api: &Api, ty: &Type, krate: &str) -> syn::Type {
    match ty {
        Type::Bool => syntax::named_type("bool"),
        Type::Int(int) => syntax::named_type(match int {
            IntType::I8 => "i8",
            IntType::I16 => "i16",
            IntType::I32 => "i32",
            IntType::I64 => "i64",
            IntType::U8 => "u8",
            IntType::U16 => "u16",
            IntType::U32 => "u32",
            IntType::U64 => "u64",
        }),
        Type::Float(FloatType::F32) => syntax::named_type("f32"),
        Type::Float(FloatType::F64) => syntax::named_type("f64"),
        Type::String => syntax::named_type("String"),
        Type::DateTime => {
            syntax::generic_type("chrono::DateTime", [syntax::named_type("chrono::FixedOffset")])
        }
        Type::Date => syntax::named_type("chrono::NaiveDate"),
        Type::Uuid => syntax::named_type("uuid::Uuid"),
        Type::Base64 => syntax::named_type(&format!("{krate}::runtime::Base64")),
        Type::Json => syntax::named_type("serde_json::Value"),
        Type::JsonObject => syntax::generic_type(
            "serde_json::Map",
            [syntax::named_type("String"), syntax::named_type("serde_json::Value")],
        ),
        Type::Array(item) => syntax::generic_type("Vec", [type_in(api, item, krate)]),
        Type::Map(value) => syntax::generic_type(
            "std::collections::BTreeMap",
            [syntax::named_type("String"), type_in(api, value, krate)],
        ),
        Type::Named(id) => syntax::ident_type(syntax::name(&api.types[id.0].name)),
    }
}

/// Spec text that says something.
pub fn non_blank(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.trim().is_empty())
}

/// The type's description, or where it comes from when the spec gives none.
fn type_doc(def: &TypeDef) -> Vec<Attribute> {
    let origin = format!("Schema `{}`.", def.pointer);
    doc_attrs([Some(non_blank(def.doc.as_deref()).unwrap_or(&origin))])
}

/// The items of one named type: its definition and impls.
pub fn type_def(api: &Api, def: &TypeDef) -> Result<Vec<Item>, String> {
    let name = syntax::name(&def.name);
    let mut doc = type_doc(def);
    if let TypeKind::Alias(Type::Named(target)) = &def.kind {
        let same = format!(" The same type as [`{}`].", api.types[target.0].name);
        doc.extend(syntax::doc_attributes(["".to_owned(), same]));
    }
    doc.extend(def.deprecated.as_deref().map(syntax::deprecated_attribute));
    for attribute in &def.attributes {
        // The model checked that each is one attribute.
        let parsed = syn::parse::Parser::parse_str(Attribute::parse_outer, attribute);
        doc.extend(parsed.map_err(|error| format!("`{attribute}`: {error}"))?);
    }
    let mut items = match &def.kind {
        TypeKind::Struct(s) => struct_def(api, name, doc, s),
        TypeKind::Enum(string_enum) => enum_def(name, doc, string_enum),
        TypeKind::Union(union) => parse_items(union_def(api, name, doc, union))?.items,
        TypeKind::Alias(ty) => alias(doc, name, rust_type(api, ty))?,
        // The model checked that the user's path parses.
        TypeKind::External(path) => {
            alias(doc, name, syn::parse_str(path).map_err(|error| format!("`{path}`: {error}"))?)?
        }
        TypeKind::Newtype { inner, boxed } => {
            let inner = boxed_if(rust_type(api, inner), *boxed);
            parse_items(quote! {
                #(#doc)*
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #inner);
            })?
            .items
        }
    };
    add_derives(&mut items, &def.derives);
    Ok(items)
}

/// `pub type Name = ty;`.
fn alias(doc: Vec<Attribute>, name: syn::Ident, ty: syn::Type) -> Result<Vec<Item>, String> {
    Ok(parse_items(quote! {
        #(#doc)*
        pub type #name = #ty;
    })?
    .items)
}

/// Adds the user's `derives` to the type's struct or enum, leaving out those it derives or
/// implements already (a second `Debug` would not compile).
fn add_derives(items: &mut [Item], derives: &[String]) {
    let attrs = match items.first_mut() {
        Some(Item::Struct(item)) => &mut item.attrs,
        Some(Item::Enum(item)) => &mut item.attrs,
        _ => return,
    };
    let last_segment = |path: &syn::Path| path.segments.last().map(|segment| segment.ident.to_string());
    let mut present: Vec<String> = vec!["Serialize".into(), "Deserialize".into()];
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            present.extend(last_segment(&meta.path));
            Ok(())
        });
    }
    let mut added: Vec<syn::Path> = Vec::new();
    for path in derives.iter().filter_map(|derive| syn::parse_str::<syn::Path>(derive).ok()) {
        if let Some(name) = last_segment(&path).filter(|name| !present.contains(name)) {
            present.push(name);
            added.push(path);
        }
    }
    if !added.is_empty() {
        attrs.push(syntax::list_attribute("derive", quote!(#(#added),*)));
    }
}

/// A string enum with a catch-all variant, and its conversions.
///
/// Serde goes through `as_str` and `From<String>` rather than derives: an untagged catch-all
/// variant makes serde buffer every value, which is slow to run and, over the thousands of
/// enums of a large spec, slow to compile.
fn enum_def(name: syn::Ident, mut attrs: Vec<Attribute>, string_enum: &StringEnum) -> Vec<Item> {
    let variants = &string_enum.variants;
    let self_type = || syntax::ident_type(name.clone());
    let other = syntax::name(&string_enum.other);
    attrs.push(syntax::list_attribute("derive", quote!(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)));
    let mut enum_variants: Vec<syn::Variant> = variants
        .iter()
        .map(|v| {
            syntax::variant(syntax::doc_attributes([format!(" `{}`", v.wire)]), syntax::name(&v.name), None)
        })
        .collect();
    enum_variants.push(syntax::variant(
        syntax::doc_attributes([" A value the spec does not list, kept as sent."]),
        other.clone(),
        Some(syntax::named_type("String")),
    ));
    let other_value = syntax::tuple_pattern(syntax::self_path(other.clone()), syntax::name("value"));
    let as_str_arms = variants
        .iter()
        .map(|v| (syntax::path_pattern(syntax::self_path(syntax::name(&v.name))), syntax::string(&v.wire)))
        .chain([(other_value, syntax::var("value"))]);
    let as_str = syntax::function(
        syntax::doc_attributes([" The value as written on the wire."]),
        true,
        syntax::signature(
            syntax::name("as_str"),
            syntax::SelfArg::Borrowed,
            Vec::new(),
            syntax::reference(syntax::named_type("str")),
        ),
        vec![syntax::tail(syntax::match_expr(syntax::var("self"), as_str_arms))],
    );
    let from_arms = variants
        .iter()
        .map(|v| {
            (syntax::string_pattern(&v.wire), syntax::path_expr(syntax::self_path(syntax::name(&v.name))))
        })
        .chain([(
            syntax::wildcard(),
            syntax::call(syntax::path_expr(syntax::self_path(other.clone())), [syntax::var("value")]),
        )]);
    let from = syntax::function(
        Vec::new(),
        false,
        syntax::signature(
            syntax::name("from"),
            syntax::SelfArg::None,
            vec![(syntax::name("value"), syntax::named_type("String"))],
            syntax::named_type("Self"),
        ),
        vec![syntax::tail(syntax::match_expr(
            syntax::method_call(syntax::var("value"), "as_str", []),
            from_arms,
        ))],
    );
    let no_generics = syn::Generics::default;
    vec![
        syntax::public_enum(attrs, name.clone(), enum_variants),
        syntax::impl_block(no_generics(), None, self_type(), vec![as_str]),
        syntax::impl_block(no_generics(), Some(fixed!(syn::Path: From<String>)), self_type(), vec![from]),
        syntax::impl_block(
            no_generics(),
            Some(fixed!(syn::Path: std::fmt::Display)),
            self_type(),
            vec![fixed!(ImplItem:
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            )],
        ),
        syntax::impl_block(
            no_generics(),
            Some(fixed!(syn::Path: serde::Serialize)),
            self_type(),
            vec![fixed!(ImplItem:
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            )],
        ),
        deserialize_impl(
            self_type(),
            fixed!(ImplItem:
                fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
                    <String as serde::Deserialize>::deserialize(input).map(Self::from)
                }
            ),
        ),
    ]
}

/// `impl<'de> serde::Deserialize<'de> for self_type { function }`.
///
/// The functions name their argument `input`: named `deserializer`, the signature passes
/// prettyplease's 89 columns and takes three lines in every impl.
fn deserialize_impl(self_type: syn::Type, function: ImplItem) -> Item {
    syntax::impl_block(
        fixed!(syn::Generics: <'de>),
        Some(fixed!(syn::Path: serde::Deserialize<'de>)),
        self_type,
        vec![function],
    )
}

fn boxed_if(ty: syn::Type, boxed: bool) -> syn::Type {
    if boxed { syntax::generic_type("Box", [ty]) } else { ty }
}

fn struct_def(api: &Api, name: syn::Ident, mut attrs: Vec<Attribute>, s: &Struct) -> Vec<Item> {
    let default = s.fields.iter().all(Field::optional).then(|| quote!(Default,));
    attrs.push(syntax::list_attribute("derive", quote!(Debug, Clone, PartialEq, #default)));
    let mut fields: Vec<syn::Field> = s.fields.iter().map(|field| struct_field(api, field)).collect();
    if let Some(additional) = &s.additional {
        let attrs = syntax::doc_attributes([" Members not listed among the properties, kept as received."]);
        let ty = syntax::generic_type(
            "std::collections::BTreeMap",
            [syntax::named_type("String"), rust_type(api, &additional.ty)],
        );
        fields.push(syntax::public_field(attrs, syntax::name(&additional.name), ty));
    }
    let self_type = syntax::ident_type(name.clone());
    let mut items = vec![syntax::public_struct(attrs, name.clone(), fields)];
    if default.is_none() {
        items.push(constructor(api, &name, s));
    }
    items.push(serialize_struct(self_type.clone(), s));
    items.push(deserialize_struct(self_type, s));
    items
}

/// `Name::new(required…)` for a struct that has no `Default`: the fields a value must have
/// are its arguments (anything that converts into them), every other field starts empty, so
/// a caller need not spell out each optional field.
fn constructor(api: &Api, name: &syn::Ident, s: &Struct) -> Item {
    let needed = |field: &&Field| !field.optional();
    let arguments = s
        .fields
        .iter()
        .filter(needed)
        .map(|field| {
            let ty = boxed_if(rust_type(api, &field.ty), field.boxed);
            (
                syntax::name(&field.name),
                syntax::impl_trait(syntax::path_with(syntax::path("Into"), [syn::GenericArgument::Type(ty)])),
            )
        })
        .collect();
    let values = s
        .fields
        .iter()
        .map(|field| {
            let value = if field.optional() {
                syntax::var("None")
            } else {
                syntax::method_call(syntax::var(&field.name), "into", [])
            };
            (syntax::name(&field.name), value)
        })
        .chain(s.additional.iter().map(|additional| {
            (syntax::name(&additional.name), syntax::call(syntax::var("Default::default"), []))
        }));
    let literal = syntax::struct_literal(syntax::path("Self"), values);
    let signature =
        syntax::signature(syntax::name("new"), syntax::SelfArg::None, arguments, syntax::named_type("Self"));
    let doc = syntax::doc_attributes([" From the required fields; the optional ones start empty."]);
    let function = syntax::function(doc, true, signature, vec![syntax::tail(literal)]);
    syntax::impl_block(syn::Generics::default(), None, syntax::ident_type(name.clone()), vec![function])
}

fn struct_field(api: &Api, field: &Field) -> syn::Field {
    let notes = [
        (!field.required && field.nullable)
            .then_some("`None` leaves the field out; `Some(None)` sends `null`."),
        field.read_only.then_some("Read-only: set by the server."),
    ];
    let fallback = format!("The `{}` property.", field.wire);
    let mut attrs =
        doc_attrs([Some(non_blank(field.doc.as_deref()).unwrap_or(&fallback))].into_iter().chain(notes));
    attrs.extend(field.deprecated.as_deref().map(syntax::deprecated_attribute));
    let ty = boxed_if(rust_type(api, &field.ty), field.boxed);
    // An optional nullable field has three states: left out, `null`, or a value.
    let ty = match (field.required, field.nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => syntax::generic_type("Option", [ty]),
        (false, true) => syntax::generic_type("Option", [syntax::generic_type("Option", [ty])]),
    };
    syntax::public_field(attrs, syntax::name(&field.name), ty)
}

/// How a field is read and written: a required field always, an optional one only when
/// present, an optional nullable one (`Option<Option<T>>`) with `null` apart from absent.
fn field_presence(field: &Field) -> &'static str {
    match (field.required, field.nullable) {
        (true, _) => "required",
        (false, false) => "optional",
        (false, true) => "nullable",
    }
}

/// `Serialize` through the runtime's `ObjectWriter`: one call per field.
///
/// serde's derive checks each field's serializer calls against the generic serializer's
/// associated types; over a large spec's fields that was a quarter of `cargo check`. The
/// writer holds each field as `&dyn erased_serde::Serialize` and writes them in one
/// non-generic loop, so a field costs one plain call.
fn serialize_struct(self_type: syn::Type, s: &Struct) -> Item {
    let object = || syntax::var("object");
    let mut statements: Vec<syn::Stmt> = s
        .fields
        .iter()
        .map(|field| {
            let value = syntax::borrow(syntax::field(syntax::var("self"), syntax::name(&field.name)));
            syntax::statement(syntax::method_call(
                object(),
                field_presence(field),
                [syntax::string(&field.wire), value],
            ))
        })
        .collect();
    if let Some(additional) = &s.additional {
        let value = syntax::borrow(syntax::field(syntax::var("self"), syntax::name(&additional.name)));
        statements.push(syntax::statement(syntax::method_call(object(), "rest", [value])));
    }
    let mutable = !statements.is_empty();
    let writer = syntax::call(syntax::var("crate::runtime::ObjectWriter::new"), []);
    statements.insert(0, syntax::let_statement(syntax::binding(syntax::name("object"), mutable), writer));
    statements.push(syntax::tail(syntax::method_call(object(), "write", [syntax::var("output")])));
    let function = syntax::function(
        Vec::new(),
        false,
        fixed!(syn::Signature:
            fn serialize<S: serde::Serializer>(&self, output: S) -> Result<S::Ok, S::Error>
        ),
        statements,
    );
    syntax::impl_block(
        syn::Generics::default(),
        Some(fixed!(syn::Path: serde::Serialize)),
        self_type,
        vec![function],
    )
}

/// `Deserialize` through the runtime's `Object`: one call per field.
///
/// serde's derive expands every field into several match arms (field identifiers, map and
/// sequence visitors); over the tens of thousands of fields of a large spec that dominated
/// compile time and memory. Decoding through a JSON object costs an intermediate value at run
/// time, which is small next to a network round trip. The fields are read in a closure whose
/// error type is the runtime's own, not the generic deserializer's, which halves the borrow
/// checker's work on these functions; optional fields return no `Result` at all (the runtime
/// keeps their error), which halves the type checker's; required fields are read together,
/// as tuples of up to 16, with one `?` for each tuple.
fn deserialize_struct(self_type: syn::Type, s: &Struct) -> Item {
    // The closure's parameter must not be shadowed by a required field's local.
    let taken = |name: &str| s.fields.iter().any(|field| field.name == name);
    let parameter = std::iter::successors(Some(String::from("object")), |name| Some(format!("{name}_")))
        .find(|name| !taken(name))
        .map(|name| syntax::name(&name))
        .unwrap_or_else(|| syntax::name("object"));
    let required: Vec<&Field> = s.fields.iter().filter(|field| field.required).collect();
    let read_required = required.chunks(MAX_TUPLE).map(|chunk| {
        let names = chunk.iter().map(|field| syntax::name(&field.name));
        let wires = chunk.iter().map(|field| field.wire.as_str());
        quote!(let (#(#names,)*) = #parameter.required(&[#(#wires),*])?;)
    });
    let fields = s.fields.iter().map(|field| {
        let name = syntax::name(&field.name);
        match field_presence(field) {
            "required" => quote!(#name),
            presence => {
                let (method, wire) = (syntax::name(presence), field.wire.as_str());
                quote!(#name: #parameter.#method(#wire))
            }
        }
    });
    let rest = s.additional.iter().map(|additional| {
        let name = syntax::name(&additional.name);
        quote!(#name: #parameter.rest()?)
    });
    let parameter =
        if s.fields.is_empty() && s.additional.is_none() { quote!(_object) } else { quote!(#parameter) };
    let function = syn::parse_quote! {
        fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
            crate::runtime::Object::decode(input, |#parameter| {
                #(#read_required)*
                Ok(Self { #(#fields,)* #(#rest,)* })
            })
        }
    };
    deserialize_impl(self_type, function)
}

/// The most members `runtime::Object::required` reads as one tuple: serde's largest.
const MAX_TUPLE: usize = 16;

fn union_def(api: &Api, name: syn::Ident, doc: Vec<Attribute>, union: &Union) -> TokenStream {
    let doc = quote!(#(#doc)*);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = syntax::name(&variant.name);
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
    let other = syntax::name(&discriminator.other);
    let other_doc =
        format!(" A `{property}` this client does not know, kept as received and sent back unchanged.");
    let decode_arms = discriminator.mapping.iter().map(|(value, index)| {
        let variant = &union.variants[*index];
        let variant_name = syntax::name(&variant.name);
        let wrap = if variant.boxed {
            quote!(|value| Self::#variant_name(Box::new(value)))
        } else {
            quote!(Self::#variant_name)
        };
        quote!(Some(#value) => crate::runtime::from_json_value(value).map(#wrap),)
    });
    let encode_arms = union.variants.iter().zip(&discriminator.tags).map(|(variant, tag)| {
        let variant_name = syntax::name(&variant.name);
        quote!(Self::#variant_name(value) => crate::runtime::tagged(output, #property, #tag, value),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            #[doc = #other_doc]
            #other(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, output: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#encode_arms)*
                    Self::#other(value) => serde::Serialize::serialize(value, output),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(input)?;
                match crate::runtime::discriminator(&value, #property) {
                    #(#decode_arms)*
                    _ => Ok(Self::#other(value)),
                }
            }
        }
    }
}
