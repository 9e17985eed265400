//! Tokens for a spec module's entry points: the `Server` enum and the `Client` struct with
//! its constructors and credential setters.

use super::docs::doc_attrs;
use super::ident;
use crate::model::{Api, ApiKeyLocation, SecuritySchemeKind, Server, TypeKind};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `Server` (when the spec lists servers) and `Client`.
pub fn client(api: &Api) -> TokenStream {
    let servers = servers(api);
    let default_constructors = (!api.servers.is_empty()).then(|| {
        let url = &api.servers[0].url;
        let doc = format!(" A client for the spec's first server, `{url}`.");
        quote! {
            #[doc = #doc]
            pub fn new() -> Self {
                Self::with_server(Server::default())
            }

            /// A client for one of the servers the spec lists.
            pub fn with_server(server: Server) -> Self {
                Self::with_base_url(server.url())
            }
        }
    });
    let default_impl = (!api.servers.is_empty()).then(|| {
        quote! {
            impl Default for Client {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let credentials = api.security_schemes.iter().map(|scheme| {
        let method = ident(&scheme.method);
        let key = &scheme.key;
        let what = match &scheme.kind {
            SecuritySchemeKind::Basic => "HTTP Basic credentials".to_owned(),
            SecuritySchemeKind::Token { prefix } => format!("the token sent as `Authorization: {prefix} <token>`"),
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
        match &scheme.kind {
            SecuritySchemeKind::Basic => quote! {
                #(#doc)*
                pub fn #method(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.runtime = self.runtime.with_credential(#key, crate::runtime::Credential::basic(username, password));
                    self
                }
            },
            SecuritySchemeKind::Token { prefix } => {
                let client_credentials = scheme.client_credentials.as_ref().map(|(method, token_url)| {
                    let method = ident(method);
                    let doc = format!(
                        " Gets tokens for the `{key}` scheme with the OAuth 2.0 client credentials grant from \
                         `{token_url}`, and reuses each until shortly before it expires."
                    );
                    quote! {
                        #[doc = #doc]
                        pub fn #method(mut self, client_id: impl Into<String>, client_secret: impl Into<String>, scopes: &[&str]) -> Self {
                            let source = crate::runtime::ClientCredentials::new(#token_url, client_id, client_secret, scopes);
                            self.runtime = self.runtime.with_credential(#key, crate::runtime::Credential::token_source(#prefix, source));
                            self
                        }
                    }
                });
                quote! {
                    #(#doc)*
                    pub fn #method(mut self, token: impl Into<String>) -> Self {
                        self.runtime = self.runtime.with_credential(#key, crate::runtime::Credential::token(#prefix, token));
                        self
                    }

                    #client_credentials
                }
            }
            SecuritySchemeKind::ApiKey { location, name } => {
                let location = match location {
                    ApiKeyLocation::Header => quote!(Header),
                    ApiKeyLocation::Query => quote!(Query),
                    ApiKeyLocation::Cookie => quote!(Cookie),
                };
                quote! {
                    #(#doc)*
                    pub fn #method(mut self, key: impl Into<String>) -> Self {
                        self.runtime = self.runtime.with_credential(
                            #key,
                            crate::runtime::Credential::api_key(crate::runtime::ApiKeyLocation::#location, #name, key),
                        );
                        self
                    }
                }
            }
        }
    });
    let title = format!(" Client for {} (version {}).", api.title, api.version);
    quote! {
        #servers

        #[doc = #title]
        ///
        /// Each operation method returns a [`Call`](crate::runtime::Call): `.await` it to send
        /// the request, or first set per-request options such as `.timeout(…)`.
        /// Cloning is cheap: clones share one connection pool and their credentials.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: crate::runtime::Client,
        }

        #default_impl

        impl Client {
            #default_constructors

            /// A client for any base URL, such as a proxy or a test server.
            pub fn with_base_url(base_url: impl Into<String>) -> Self {
                Self { runtime: crate::runtime::Client::new(base_url) }
            }

            /// Sends requests with `http`, for custom timeouts, proxies or TLS settings.
            pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
                self.runtime = self.runtime.with_http_client(http);
                self
            }

            /// Uses `config` for retries, timeouts and response size limits.
            pub fn with_config(mut self, config: crate::runtime::Config) -> Self {
                self.runtime = self.runtime.with_config(config);
                self
            }

            /// Sets the credential of the security scheme `scheme` (a key of the spec's
            /// `securitySchemes`), such as a [`TokenSource`](crate::runtime::TokenSource).
            pub fn with_credential(mut self, scheme: &str, credential: crate::runtime::Credential) -> Self {
                self.runtime = self.runtime.with_credential(scheme, credential);
                self
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            #(#credentials)*
        }
    }
}

fn servers(api: &Api) -> TokenStream {
    let Some(first) = api.servers.first() else { return TokenStream::new() };
    let variants = api.servers.iter().map(|server| {
        let name = ident(&server.name);
        let doc = doc_attrs([server.description.as_deref(), Some(&format!("`{}`", server.url))]);
        if server.variables.is_empty() {
            return quote!(#(#doc)* #name,);
        }
        let fields = server.variables.iter().map(|variable| {
            let field = ident(&variable.name);
            let ty = match variable.values {
                Some(id) => ident(&api.types[id.0].name),
                None => quote::format_ident!("String"),
            };
            let fallback = format!("Value of the `{{{}}}` server variable.", variable.wire);
            let doc = doc_attrs([Some(
                super::types::non_blank(variable.description.as_deref()).unwrap_or(&fallback),
            )]);
            quote!(#(#doc)* #field: #ty,)
        });
        quote!(#(#doc)* #name { #(#fields)* },)
    });
    let arms = api.servers.iter().map(url_arm);
    let default = server_value(api, first);
    quote! {
        /// The servers the spec lists.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Server {
            #(#variants)*
        }

        impl Server {
            /// The base URL, with variables filled in.
            pub fn url(&self) -> String {
                match self {
                    #(#arms)*
                }
            }
        }

        impl Default for Server {
            /// The first server, with its variables' default values.
            fn default() -> Self {
                #default
            }
        }
    }
}

fn url_arm(server: &Server) -> TokenStream {
    let name = ident(&server.name);
    if server.variables.is_empty() {
        let url = &server.url;
        return quote!(Self::#name => #url.to_owned(),);
    }
    // Bind each variable to a plain local name so the format string can name it inline.
    let locals: Vec<_> = server
        .variables
        .iter()
        .map(|variable| format_ident!("{}", names::value_name(&format!("{}_value", variable.name))))
        .collect();
    let fields = server.variables.iter().map(|variable| ident(&variable.name));
    let mut format = server.url.replace('{', "{{").replace('}', "}}");
    for (variable, local) in server.variables.iter().zip(&locals) {
        format = format.replace(&format!("{{{{{}}}}}", variable.wire), &format!("{{{local}}}"));
    }
    quote!(Self::#name { #(#fields: #locals),* } => format!(#format),)
}

fn server_value(api: &Api, server: &Server) -> TokenStream {
    let name = ident(&server.name);
    if server.variables.is_empty() {
        return quote!(Self::#name);
    }
    let fields = server.variables.iter().map(|variable| {
        let field = ident(&variable.name);
        let default = &variable.default;
        let value = match variable.values.map(|id| &api.types[id.0]) {
            Some(def) => {
                let ty = ident(&def.name);
                let listed = match &def.kind {
                    TypeKind::Enum(variants) => variants.iter().find(|v| &v.wire == default),
                    _ => None,
                };
                match listed {
                    Some(variant) => {
                        let variant = ident(&variant.name);
                        quote!(#ty::#variant)
                    }
                    None => {
                        let other = ident(&super::types::other_variant(
                            match &def.kind {
                                TypeKind::Enum(variants) => {
                                    variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>()
                                }
                                _ => Vec::new(),
                            }
                            .into_iter(),
                        ));
                        quote!(#ty::#other(#default.to_owned()))
                    }
                }
            }
            None => quote!(#default.to_owned()),
        };
        quote!(#field: #value)
    });
    quote!(Self::#name { #(#fields),* })
}
