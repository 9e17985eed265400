//! A spec module's entry points: the `Server` enum and the `Client` struct with its
//! constructors and credential setters.
//!
//! Built as `syn` nodes like the repeated items: on a small spec this is most of the code, and
//! parsing it from tokens was most of the generation time.

use super::docs::doc_attrs;
use super::syntax::{self, SelfArg};
use crate::model::{Api, ApiKeyLocation, SecurityScheme, SecuritySchemeKind, Server, TypeKind};
use crate::names;
use proc_macro2::Ident;
use quote::quote;
use syn::{Attribute, Expr, ImplItem, Item, Stmt, Type};

/// `Server` (when the spec lists servers) and `Client`.
pub fn client(api: &Api) -> Vec<Item> {
    let client_type = || syntax::named_type("Client");
    let mut items = servers(api);
    let title = format!(" Client for {}.", api.heading());
    let mut attrs = syntax::doc_attributes([
        title.as_str(),
        "",
        " Each operation method returns a [`Call`](crate::runtime::Call): `.await` it to send",
        " the request, or first set per-request options such as `.timeout(…)`.",
        " Cloning is cheap: clones share one connection pool and their credentials.",
    ]);
    attrs.push(syntax::list_attribute("derive", quote!(Debug, Clone)));
    let runtime_field = syntax::private_field(
        Vec::new(),
        syntax::name("runtime"),
        syntax::named_type("crate::runtime::Client"),
    );
    items.push(syntax::public_struct(attrs, syntax::name("Client"), vec![runtime_field]));

    let mut methods = Vec::new();
    if let Some(first) = api.servers.first() {
        items.push(default_impl(client_type(), Vec::new(), syntax::call(syntax::var("Self::new"), [])));
        let new = |doc: Vec<Attribute>, value: Expr| {
            let signature =
                syntax::signature(syntax::name("new"), SelfArg::None, Vec::new(), syntax::named_type("Self"));
            syntax::function(doc, true, signature, vec![syntax::tail(value)])
        };
        if offers_choice(api) {
            let doc = format!("A client for the spec's first server, `{}`.", first.url);
            let first_server = syntax::call(syntax::var("Server::default"), []);
            methods.push(new(
                doc_attrs([Some(doc.as_str())]),
                syntax::call(syntax::var("Self::with_server"), [first_server]),
            ));
            methods.push(function(
                " A client for one of the servers the spec lists.",
                syntax::signature(
                    syntax::name("with_server"),
                    SelfArg::None,
                    vec![(syntax::name("server"), syntax::named_type("Server"))],
                    syntax::named_type("Self"),
                ),
                syntax::call(
                    syntax::var("Self::with_base_url"),
                    [syntax::method_call(syntax::var("server"), "url", [])],
                ),
            ));
        } else {
            let doc = format!("A client for the spec's server, `{}`.", first.url);
            let url = syntax::string(&first.url);
            methods.push(new(
                doc_attrs([Some(doc.as_str()), first.description.as_deref()]),
                syntax::call(syntax::var("Self::with_base_url"), [url]),
            ));
        }
    }
    methods.push(function(
        " A client for any base URL, such as a proxy or a test server.",
        syntax::signature(
            syntax::name("with_base_url"),
            SelfArg::None,
            vec![(syntax::name("base_url"), into_string())],
            syntax::named_type("Self"),
        ),
        syntax::struct_literal(
            syntax::path("Self"),
            [(
                syntax::name("runtime"),
                syntax::call(syntax::var("crate::runtime::Client::new"), [syntax::var("base_url")]),
            )],
        ),
    ));
    // Setters passing their arguments on to the runtime client's method of the same name.
    let forwarded = [
        (
            vec![" Sends requests with `http`, for custom timeouts, proxies or TLS settings."],
            "with_http_client",
            vec![("http", syntax::named_type("reqwest::Client"))],
        ),
        (
            vec![" Uses `config` for retries, timeouts and response size limits."],
            "with_config",
            vec![("config", syntax::named_type("crate::runtime::Config"))],
        ),
        (
            vec![
                " Runs `hook` around every attempt of every request: before it is sent (to add a",
                " header or sign it) and after its response (to observe status, headers, timing).",
            ],
            "with_hook",
            vec![("hook", syn::parse_quote!(impl crate::runtime::Hook + 'static))],
        ),
    ];
    for (doc, name, arguments) in forwarded {
        let values = arguments.iter().map(|(argument, _)| syntax::var(argument)).collect();
        let arguments = arguments.into_iter().map(|(argument, ty)| (syntax::name(argument), ty)).collect();
        let doc = syntax::doc_attributes(doc);
        methods.push(runtime_setter(doc, name, arguments, None, name, values));
    }
    if !api.security_schemes.is_empty() {
        items.extend(scheme_enum(api));
        let doc = syntax::doc_attributes([
            " Sets the credential of a security scheme, such as a",
            " [`TokenSource`](crate::runtime::TokenSource) of your own.",
        ]);
        let arguments = vec![
            (syntax::name("scheme"), syntax::named_type("SecurityScheme")),
            (syntax::name("credential"), syntax::named_type("crate::runtime::Credential")),
        ];
        let values = vec![syntax::method_call(syntax::var("scheme"), "key", []), syntax::var("credential")];
        methods.push(runtime_setter(doc, "with_credential", arguments, None, "with_credential", values));
    }
    methods.push(function(
        " The base URL requests are sent to.",
        syntax::signature(
            syntax::name("base_url"),
            SelfArg::Borrowed,
            Vec::new(),
            syntax::reference(syntax::named_type("str")),
        ),
        syntax::method_call(runtime(), "base_url", []),
    ));
    for scheme in &api.security_schemes {
        methods.extend(credential_setters(scheme));
    }
    items.push(syntax::impl_block(syn::Generics::default(), None, client_type(), methods));
    items
}

/// `SecurityScheme`: the spec's schemes as a type, so a misspelt scheme does not compile
/// (a string would be ignored, and requests would go out without credentials).
fn scheme_enum(api: &Api) -> Vec<Item> {
    let variants = api.security_schemes.iter().map(|scheme| {
        let doc = doc_attrs([Some(format!("`{}`", scheme.key).as_str()), scheme.description.as_deref()]);
        syntax::variant(doc, syntax::name(&scheme.variant), None)
    });
    let mut attrs =
        syntax::doc_attributes([" The spec's security schemes, for [`Client::with_credential`]."]);
    attrs.push(syntax::list_attribute("derive", quote!(Debug, Clone, Copy, PartialEq, Eq, Hash)));
    let scheme_type = syntax::named_type("SecurityScheme");
    let arms = api.security_schemes.iter().map(|scheme| {
        (syntax::path_pattern(syntax::self_path(syntax::name(&scheme.variant))), syntax::string(&scheme.key))
    });
    let key = function(
        " The scheme's key in the spec's `securitySchemes`.",
        syntax::signature(
            syntax::name("key"),
            SelfArg::Value,
            Vec::new(),
            syntax::fixed!(syn::Type: &'static str),
        ),
        syntax::match_expr(syntax::var("self"), arms),
    );
    vec![
        syntax::public_enum(attrs, syntax::name("SecurityScheme"), variants.collect()),
        syntax::impl_block(syn::Generics::default(), None, scheme_type, vec![key]),
    ]
}

/// `impl Into<String>`.
fn into_string() -> Type {
    syntax::impl_trait(syntax::path_with(
        syntax::path("Into"),
        [syn::GenericArgument::Type(syntax::named_type("String"))],
    ))
}

/// `self.runtime`: the `Client` field every generated method sends through.
pub fn runtime() -> Expr {
    syntax::field(syntax::var("self"), syntax::name("runtime"))
}

/// A public function whose body is one expression, documented by one line.
fn function(doc: &str, signature: syn::Signature, value: Expr) -> ImplItem {
    syntax::function(syntax::doc_attributes([doc]), true, signature, vec![syntax::tail(value)])
}

/// `impl Default for self_type { fn default() -> Self { value } }`.
fn default_impl(self_type: Type, doc: Vec<Attribute>, value: Expr) -> Item {
    let default = syntax::function(
        doc,
        false,
        syntax::signature(syntax::name("default"), SelfArg::None, Vec::new(), syntax::named_type("Self")),
        vec![syntax::tail(value)],
    );
    syntax::impl_block(syn::Generics::default(), Some(syntax::path("Default")), self_type, vec![default])
}

/// A builder method that replaces the runtime client with `self.runtime.method(args)`:
/// `pub fn name(mut self, arguments) -> Self { [before] self.runtime = …; self }`.
fn runtime_setter(
    doc: Vec<Attribute>,
    name: &str,
    arguments: Vec<(Ident, Type)>,
    before: Option<Stmt>,
    method: &str,
    args: Vec<Expr>,
) -> ImplItem {
    let set = syntax::statement(syntax::assign(runtime(), syntax::method_call(runtime(), method, args)));
    let statements = before.into_iter().chain([set, syntax::tail(syntax::var("self"))]).collect();
    let signature =
        syntax::signature(syntax::name(name), SelfArg::Owned, arguments, syntax::named_type("Self"));
    syntax::function(doc, true, signature, statements)
}

/// The method setting `scheme`'s credential, and for OAuth 2.0 client credentials the one
/// fetching tokens.
fn credential_setters(scheme: &SecurityScheme) -> Vec<ImplItem> {
    let key = &scheme.key;
    let what = match &scheme.kind {
        SecuritySchemeKind::Basic => "HTTP Basic credentials".to_owned(),
        SecuritySchemeKind::Token { prefix } => {
            format!("the token sent as `Authorization: {prefix} <token>`")
        }
        SecuritySchemeKind::ApiKey { location, name } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("the API key sent in the `{name}` {place}")
        }
    };
    let summary = format!("Sets {what} for the `{key}` security scheme.");
    let doc = doc_attrs([Some(summary.as_str()), scheme.description.as_deref()]);
    let with_credential = |credential: Expr| vec![syntax::string(key), credential];
    let credential = |constructor: &str, args: Vec<Expr>| {
        syntax::call(syntax::var(&format!("crate::runtime::Credential::{constructor}")), args)
    };
    let name = |text: &str| syntax::name(text);
    match &scheme.kind {
        SecuritySchemeKind::Basic => vec![runtime_setter(
            doc,
            &scheme.method,
            vec![(name("username"), into_string()), (name("password"), into_string())],
            None,
            "with_credential",
            with_credential(credential("basic", vec![syntax::var("username"), syntax::var("password")])),
        )],
        SecuritySchemeKind::Token { prefix } => {
            let mut setters = vec![runtime_setter(
                doc,
                &scheme.method,
                vec![(name("token"), into_string())],
                None,
                "with_credential",
                with_credential(credential("token", vec![syntax::string(prefix), syntax::var("token")])),
            )];
            if let Some(flow) = &scheme.client_credentials {
                let doc = format!(
                    " Gets tokens for the `{key}` scheme with the OAuth 2.0 client credentials grant from \
                     `{}`, and reuses each until shortly before it expires.",
                    flow.token_url
                );
                let doc_with_url = format!(
                    " Like `Self::{}`, with tokens from `token_url` instead of the spec's `{}`: for \
                     identity providers whose token URL names a tenant or depends on the cloud.",
                    flow.method, flow.token_url
                );
                let credentials = || {
                    vec![
                        (name("client_id"), into_string()),
                        (name("client_secret"), into_string()),
                        (
                            name("scopes"),
                            syntax::slice_reference(syntax::reference(syntax::named_type("str"))),
                        ),
                    ]
                };
                // `token_url`: the spec's, or `None` for an argument of the caller's.
                let setter = |doc: String, method: &str, token_url: Option<&str>| {
                    let mut arguments = credentials();
                    let url = match token_url {
                        Some(url) => syntax::string(url),
                        None => {
                            arguments.insert(0, (name("token_url"), into_string()));
                            syntax::var("token_url")
                        }
                    };
                    let source = syntax::call(
                        syntax::var("crate::runtime::ClientCredentials::new"),
                        [url, syntax::var("client_id"), syntax::var("client_secret"), syntax::var("scopes")],
                    );
                    runtime_setter(
                        doc_attrs([Some(doc.trim())]),
                        method,
                        arguments,
                        Some(syntax::let_statement(syntax::binding(name("source"), false), source)),
                        "with_credential",
                        with_credential(credential(
                            "token_source",
                            vec![syntax::string(prefix), syntax::var("source")],
                        )),
                    )
                };
                setters.push(setter(doc, &flow.method, Some(&flow.token_url)));
                setters.push(setter(doc_with_url, &flow.method_with_token_url, None));
            }
            setters
        }
        SecuritySchemeKind::ApiKey { location, name: key_name } => {
            let location = match location {
                ApiKeyLocation::Header => "Header",
                ApiKeyLocation::Query => "Query",
                ApiKeyLocation::Cookie => "Cookie",
            };
            let location = syntax::var(&format!("crate::runtime::ApiKeyLocation::{location}"));
            vec![runtime_setter(
                doc,
                &scheme.method,
                vec![(name("key"), into_string())],
                None,
                "with_credential",
                with_credential(credential(
                    "api_key",
                    vec![location, syntax::string(key_name), syntax::var("key")],
                )),
            )]
        }
    }
}

/// Whether the spec's servers leave a choice (several servers, or variables in one), which the
/// `Server` enum offers. A single fixed URL is simply what `Client::new` uses.
fn offers_choice(api: &Api) -> bool {
    api.servers.len() > 1 || api.servers.iter().any(|server| !server.variables.is_empty())
}

/// The `Server` enum, its `url` and its `Default`, when the spec's servers leave a choice.
fn servers(api: &Api) -> Vec<Item> {
    let Some(first) = api.servers.first().filter(|_| offers_choice(api)) else { return Vec::new() };
    let variants = api.servers.iter().map(|server| {
        let doc = doc_attrs([server.description.as_deref(), Some(&format!("`{}`", server.url))]);
        if server.variables.is_empty() {
            return syntax::variant(doc, syntax::name(&server.name), None);
        }
        let fields = server.variables.iter().map(|variable| {
            let ty = match variable.values {
                Some(id) => syntax::ident_type(syntax::name(&api.types[id.0].name)),
                None => syntax::named_type("String"),
            };
            let fallback = format!("Value of the `{{{}}}` server variable.", variable.wire);
            let doc = doc_attrs([Some(
                super::types::non_blank(variable.description.as_deref()).unwrap_or(&fallback),
            )]);
            syntax::private_field(doc, syntax::name(&variable.name), ty)
        });
        syntax::struct_variant(doc, syntax::name(&server.name), fields.collect())
    });
    let mut attrs = syntax::doc_attributes([" The servers the spec lists."]);
    attrs.push(syntax::list_attribute("derive", quote!(Debug, Clone, PartialEq, Eq)));
    let url = syntax::function(
        syntax::doc_attributes([" The base URL, with variables filled in."]),
        true,
        syntax::signature(syntax::name("url"), SelfArg::Borrowed, Vec::new(), syntax::named_type("String")),
        vec![syntax::tail(syntax::match_expr(syntax::var("self"), api.servers.iter().map(url_arm)))],
    );
    let server_type = || syntax::named_type("Server");
    vec![
        syntax::public_enum(attrs, syntax::name("Server"), variants.collect()),
        syntax::impl_block(syn::Generics::default(), None, server_type(), vec![url]),
        default_impl(
            server_type(),
            syntax::doc_attributes([" The first server, with its variables' default values."]),
            server_value(api, first),
        ),
    ]
}

/// `Self::Name { variable: local, … } => format!("…{local}…")`.
fn url_arm(server: &Server) -> (syn::Pat, Expr) {
    let name = syntax::name(&server.name);
    if server.variables.is_empty() {
        let url = syntax::method_call(syntax::string(&server.url), "to_owned", []);
        return (syntax::path_pattern(syntax::self_path(name)), url);
    }
    // Bind each variable to a plain local name so the format string can name it inline.
    let locals: Vec<Ident> = server
        .variables
        .iter()
        .map(|variable| syntax::name(&names::value_name(&format!("{}_value", variable.name))))
        .collect();
    let mut format = server.url.replace('{', "{{").replace('}', "}}");
    for (variable, local) in server.variables.iter().zip(&locals) {
        format = format.replace(&format!("{{{{{}}}}}", variable.wire), &format!("{{{local}}}"));
    }
    let fields = server.variables.iter().map(|variable| syntax::name(&variable.name)).zip(locals);
    (syntax::struct_pattern(syntax::self_path(name), fields), syntax::macro_call("format", quote!(#format)))
}

/// The first server with its variables' default values.
fn server_value(api: &Api, server: &Server) -> Expr {
    let name = syntax::name(&server.name);
    if server.variables.is_empty() {
        return syntax::path_expr(syntax::self_path(name));
    }
    let fields = server.variables.iter().map(|variable| {
        let default = || syntax::method_call(syntax::string(&variable.default), "to_owned", []);
        let value = match variable.values.map(|id| &api.types[id.0]) {
            Some(def) => {
                let variant_path = |variant: &str| {
                    let mut path = syntax::ident_path(syntax::name(&def.name));
                    path.segments.push(syntax::name(variant).into());
                    syntax::path_expr(path)
                };
                match &def.kind {
                    TypeKind::Enum(values) => match values.variant_of(&variable.default) {
                        Some(variant) => variant_path(&variant.name),
                        None => syntax::call(variant_path(&values.other), [default()]),
                    },
                    _ => default(),
                }
            }
            None => default(),
        };
        (syntax::name(&variable.name), value)
    });
    syntax::struct_literal(syntax::self_path(name), fields)
}
