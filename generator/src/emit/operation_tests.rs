//! The generated crate's per-operation tests (`generator --tests`): each operation called once
//! with sample arguments against a mock of the spec whose URL an environment variable gives,
//! expecting a success that decodes into the documented type. Without the variable the tests
//! say so and pass, so `cargo test` never fails for lack of a server.

use super::operations::argument_type;
use super::syntax;
use crate::model::{Api, BodyKind, FormFieldKind, Operation, SecuritySchemeKind, Type};
use crate::samples;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// A module of tests for the spec module `module` of crate `crate_name`.
pub fn module_tests(api: &Api, raw: &Value, crate_name: &str, module: &str, env_var: &str) -> TokenStream {
    if api.operations.is_empty() {
        return TokenStream::new();
    }
    let krate = syntax::name(&crate_name.replace('-', "_"));
    let module_ident = syntax::name(module);
    let credentials = api.security_schemes.iter().map(|scheme| {
        let setter = syntax::name(&scheme.method);
        match &scheme.kind {
            SecuritySchemeKind::Basic => quote!(.#setter("user", "password")),
            SecuritySchemeKind::Token { .. } => quote!(.#setter("token")),
            SecuritySchemeKind::ApiKey { .. } => quote!(.#setter("key")),
        }
    });
    let skipped = format!("skipped: set {env_var} to the URL of a mock of the spec (for example Prism)");
    let tests = api.operations.iter().map(|operation| operation_test(api, raw, operation, &krate));
    let sample = api.operations.iter().any(uses_samples).then(|| {
        quote! {
            /// A value of any generated type from its JSON sample.
            fn sample<T: serde::de::DeserializeOwned>(json: &str) -> T {
                serde_json::from_str(json).unwrap_or_else(|error| panic!("the sample {json} does not decode: {error}"))
            }
        }
    });
    quote! {
        // Printed by prettyplease, which the generator uses; rustfmt would disagree.
        #[rustfmt::skip]
        mod #module_ident {
            use #krate::#module_ident::*;

            /// A client for the mock, or `None` (and a note) when no mock URL is set.
            fn client() -> Option<Client> {
                let Ok(url) = std::env::var(#env_var) else {
                    eprintln!(#skipped);
                    return None;
                };
                Some(Client::with_base_url(url) #(#credentials)*)
            }

            #sample

            #(#tests)*
        }
    }
}

/// Whether the operation's test builds an argument from a JSON sample.
fn uses_samples(operation: &Operation) -> bool {
    let body_samples = operation.body.as_ref().is_some_and(|body| match &body.kind {
        BodyKind::Json(_) | BodyKind::Form(_) => true,
        BodyKind::Multipart(form) => {
            form.fields.iter().any(|field| !matches!(field.kind, FormFieldKind::File { .. }))
        }
        _ => false,
    });
    !operation.path_params.is_empty() || operation.params_type.is_some() || body_samples
}

fn operation_test(api: &Api, raw: &Value, operation: &Operation, krate: &syn::Ident) -> TokenStream {
    let name = syntax::name(&operation.name);
    let mut arguments = Vec::new();
    for param in &operation.path_params {
        let json =
            param.pointer.as_deref().map_or(Value::String("sample".into()), |p| samples::parameter(raw, p));
        arguments.push(argument(api, &param.ty, &json));
    }
    if let Some(params_type) = &operation.params_type {
        let params_type = syntax::name(params_type);
        let fields = operation.params.iter().map(|param| {
            let field = syntax::name(&param.name);
            let json =
                param.pointer.as_deref().map_or(Value::Null, |pointer| samples::parameter(raw, pointer));
            let json = json.to_string();
            quote!(#field: sample(#json))
        });
        let value = quote!(&#params_type { #(#fields),* });
        arguments.push(if operation.params.iter().all(|param| !param.required) {
            quote!(Some(#value))
        } else {
            value
        });
    }
    if let Some(body) = &operation.body {
        let json = samples::body(raw, &body.pointer, &body.content_type);
        let value = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) => argument(api, ty, &json),
            BodyKind::Text => {
                let text = json.as_str().unwrap_or("sample").to_owned();
                quote!(#text)
            }
            BodyKind::Multipart(form) => {
                let form_type = syntax::name(&form.name);
                let fields = form.fields.iter().map(|field| {
                    let ident = syntax::name(&field.name);
                    let value = match &field.kind {
                        FormFieldKind::File { repeated } => {
                            let part = quote!(#krate::runtime::FilePart::new(b"sample".to_vec()));
                            let part = if *repeated { quote!(vec![#part]) } else { part };
                            if field.required { part } else { quote!(Some(#part)) }
                        }
                        FormFieldKind::Text(_) | FormFieldKind::Json(_) => {
                            let json = json.get(&field.wire).cloned().unwrap_or(Value::Null).to_string();
                            quote!(sample(#json))
                        }
                    };
                    quote!(#ident: #value)
                });
                quote!(#form_type { #(#fields),* })
            }
            BodyKind::Bytes | BodyKind::ByteStream | BodyKind::EventStream(..) => quote!(b"sample".to_vec()),
            BodyKind::Empty => quote!(()),
        };
        let by_value =
            matches!(body.kind, BodyKind::Bytes | BodyKind::ByteStream | BodyKind::EventStream(..));
        arguments.push(if body.required || by_value { value } else { quote!(Some(#value)) });
    }
    let label = &operation.name;
    // An operation that documents no success can only answer a documented error.
    let accepted = if operation.success.is_empty() {
        quote!(Ok(_) | Err(#krate::runtime::Error::Api(_)))
    } else {
        quote!(Ok(_))
    };
    quote! {
        #[tokio::test]
        async fn #name() {
            let Some(client) = client() else { return };
            match client.#name(#(#arguments),*).await {
                #accepted => {}
                Err(error) => panic!("{}: {error}", #label),
            }
        }
    }
}

/// An argument of type `ty` from its JSON sample, taken as the generated method takes it.
fn argument(api: &Api, ty: &Type, json: &Value) -> TokenStream {
    let text = json.to_string();
    let (_, borrowed) = argument_type(api, ty);
    match (borrowed, ty) {
        (false, _) => quote!(sample(#text)),
        (true, Type::String) => quote!(&sample::<String>(#text)),
        (true, Type::Array(_)) => quote!(&sample::<Vec<_>>(#text)),
        (true, _) => quote!(&sample(#text)),
    }
}
