//! The `# Example` section of a generated method's doc: a call with sample arguments, compiled
//! as a `no_run` doctest, so a reader sees how each argument is built and the example cannot
//! drift from the signature.

use super::operations::argument_type;
use super::types::rust_type;
use crate::model::{Api, BodyKind, FormFieldKind, Operation, Type};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// The doc lines of the example for `operation`, or none when the module's path is unknown.
pub fn example_lines(api: &Api, operation: &Operation) -> Vec<String> {
    let Some(module_path) = api.module_path.as_deref() else { return Vec::new() };
    let krate = module_path.split("::").next().unwrap_or(module_path);
    let runtime: TokenStream = match format!("{krate}::runtime").parse() {
        Ok(path) => path,
        Err(_) => return Vec::new(),
    };
    let mut statements = Vec::new();
    let mut arguments = Vec::new();
    for (param, sample) in operation.path_params.iter().zip(&operation.samples.path) {
        arguments.push(argument(api, &param.ty, sample));
    }
    if let Some(params_type) = &operation.params_type {
        if operation.params.iter().all(|param| !param.required) {
            arguments.push(quote!(None));
        } else {
            let params_type = super::syntax::name(params_type);
            let fields = operation.params.iter().zip(&operation.samples.params).map(|(param, sample)| {
                let field = super::syntax::name(&param.name);
                match sample {
                    Some(sample) => {
                        let value = owned(&param.ty, sample);
                        quote!(#field: #value)
                    }
                    None => quote!(#field: None),
                }
            });
            statements.push(quote!(let params = #params_type { #(#fields),* };));
            arguments.push(quote!(&params));
        }
    }
    if let Some(body) = &operation.body {
        let sample = operation.samples.body.clone().unwrap_or(Value::Null);
        let value = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) => {
                let rust = rust_type(api, ty);
                let parsed = from_json(&sample);
                statements.push(quote!(let body: #rust = #parsed;));
                let (_, borrowed) = argument_type(api, ty);
                match (borrowed, ty) {
                    (false, _) => quote!(body),
                    (true, Type::String) => quote!(body.as_str()),
                    (true, Type::Array(_)) => quote!(body.as_slice()),
                    (true, _) => quote!(&body),
                }
            }
            BodyKind::Text => {
                let text = sample.as_str().unwrap_or("text").to_owned();
                quote!(#text)
            }
            BodyKind::Multipart(form) => {
                let form_type = super::syntax::name(&form.name);
                let fields = form.fields.iter().map(|field| {
                    let name = super::syntax::name(&field.name);
                    let value = match &field.kind {
                        FormFieldKind::File { repeated } => {
                            let file = format!(
                                "{}.bin",
                                field.wire.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                            );
                            let part = quote!(#runtime::FilePart::file(#file));
                            if *repeated { quote!(vec![#part]) } else { part }
                        }
                        FormFieldKind::Text(ty) | FormFieldKind::Json(ty) => {
                            let sample = sample.get(&field.wire).cloned().unwrap_or(Value::Null);
                            if !field.required {
                                return quote!(#name: None);
                            }
                            owned(ty, &sample)
                        }
                    };
                    if field.required { quote!(#name: #value) } else { quote!(#name: Some(#value)) }
                });
                statements.push(quote!(let body = #form_type { #(#fields),* };));
                quote!(body)
            }
            BodyKind::Bytes | BodyKind::ByteStream | BodyKind::EventStream(..) => {
                quote!(std::fs::read("upload.bin")?)
            }
            BodyKind::Empty => quote!(()),
        };
        // Bytes are taken as they are; any other body the spec makes optional is an `Option`.
        let by_value =
            matches!(body.kind, BodyKind::Bytes | BodyKind::ByteStream | BodyKind::EventStream(..));
        let optional = !body.required && !by_value;
        arguments.push(if optional { quote!(Some(#value)) } else { value });
    }
    let method = super::syntax::name(&operation.name);
    statements.push(quote!(let response = client.#method(#(#arguments),*).await?;));
    let Some(body) = printed_statements(quote!(#(#statements)*)) else { return Vec::new() };
    let mut lines = vec![
        String::new(),
        " # Example".to_owned(),
        String::new(),
        " ```no_run".to_owned(),
        format!(" # use {module_path}::*;"),
        " # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
    ];
    lines.extend(body.lines().map(|line| format!(" {line}")));
    lines.extend([" # Ok(())".to_owned(), " # }".to_owned(), " ```".to_owned()]);
    lines
}

/// An argument of type `ty` as the method takes it, from its sample.
fn argument(api: &Api, ty: &Type, sample: &Value) -> TokenStream {
    match (ty, argument_type(api, ty).1) {
        (Type::String, _) => {
            let text = sample.as_str().map_or_else(|| sample.to_string(), str::to_owned);
            quote!(#text)
        }
        (_, false) => owned(ty, sample),
        (Type::Array(item), true) => {
            // A slice's element type cannot be inferred through `as_slice`: name the vector.
            let item = rust_type(api, item);
            let literal = json_literal(sample);
            quote!(serde_json::from_str::<Vec<#item>>(#literal)?.as_slice())
        }
        (_, true) => {
            let value = from_json(sample);
            quote!(&#value)
        }
    }
}

/// An owned value of type `ty` from its sample: a literal where Rust has one, otherwise the
/// sample's JSON decoded.
fn owned(ty: &Type, sample: &Value) -> TokenStream {
    match (ty, sample) {
        (Type::String, Value::String(text)) => quote!(#text.to_owned()),
        (Type::Bool, Value::Bool(flag)) => quote!(#flag),
        (Type::Int(_), Value::Number(number)) if number.is_i64() || number.is_u64() => {
            match number.to_string().parse::<TokenStream>() {
                Ok(literal) => literal,
                Err(_) => from_json(sample),
            }
        }
        _ => from_json(sample),
    }
}

/// `serde_json::from_str(r#"…"#)?`: the sample decoded into whatever type the place needs.
fn from_json(sample: &Value) -> TokenStream {
    let literal = json_literal(sample);
    quote!(serde_json::from_str(#literal)?)
}

/// The sample's JSON as a raw string literal, `r#"…"#`.
fn json_literal(sample: &Value) -> TokenStream {
    let json = sample.to_string();
    // Enough `#`s that the JSON cannot close the raw string.
    let mut hashes = String::from("#");
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{json}\"{hashes}");
    literal.parse().unwrap_or_else(|_| quote!("null"))
}

/// The statements as prettyplease prints them in a function body, unindented.
fn printed_statements(statements: TokenStream) -> Option<String> {
    let file: syn::File = syn::parse2(quote!(fn example() { #statements })).ok()?;
    let printed = prettyplease::unparse(&file);
    let body: Vec<&str> = printed.lines().collect();
    let inner = body.get(1..body.len().checked_sub(1)?)?;
    Some(inner.iter().map(|line| line.strip_prefix("    ").unwrap_or(line)).collect::<Vec<_>>().join("\n"))
}
