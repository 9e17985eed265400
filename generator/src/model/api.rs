//! Building the [`Api`] of a whole document: servers, security schemes, types, operations.

use super::dedupe::{Merge, dedupe};
use super::filter::Matcher;
use super::operation::OperationBuilder;
use super::reach::keep_reachable;
use super::recursion::break_cycles;
use super::schema::TypeBuilder;
use super::shared_params::share_params;
use super::{
    Api, ApiKeyLocation, ClientCredentialsFlow, EnumVariant, SecurityScheme, SecuritySchemeKind, Server,
    ServerVariable, StringEnum, TypeKind,
};
use crate::error::{Located, pointer_push};
use crate::load::Document;
use crate::names::{self, Scope};
use openapiv3::ReferenceOr;

/// Client methods that exist whatever the spec says; operations and credential setters avoid
/// these names.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_server",
    "with_base_url",
    "with_http_client",
    "with_config",
    "with_hook",
    "with_credential",
    "base_url",
    "runtime",
];

/// Resolves and names everything in `document`.
pub fn build(document: &Document) -> Result<Api, Located> {
    build_with(document, None)
}

/// [`build`] keeping only the operations `filter` keeps, and the types they reach.
pub fn build_with(document: &Document, filter: Option<&Matcher>) -> Result<Api, Located> {
    let api = &document.api;
    let empty = Default::default();
    let schemas = api.components.as_ref().map_or(&empty, |components| &components.schemas);
    let mut types = TypeBuilder::new(&document.raw, schemas, &[]);
    types.define_components()?;

    let mut methods = Scope::with_reserved(CLIENT_METHODS);
    let security_schemes = security_schemes(api, &mut methods)?;
    let servers = servers(&api.servers, &mut types);

    let operations =
        OperationBuilder::new(document, &mut types, &mut methods, &security_schemes).build_all(filter)?;

    let mut model = Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        servers,
        module_path: None,
        types_crate: None,
        security_schemes,
        types: types.types,
        type_order: types.order,
        operations,
    };
    dedupe(&mut model, Merge::Inline);
    break_cycles(&mut model.types);
    if filter.is_some() {
        keep_reachable(&mut model);
    }
    share_params(&mut model);
    Ok(model)
}

fn servers(servers: &[openapiv3::Server], types: &mut TypeBuilder<'_>) -> Vec<Server> {
    let mut scope = Scope::default();
    servers
        .iter()
        .enumerate()
        .map(|(index, server)| {
            let label = server
                .description
                .clone()
                .filter(|description| description.split_whitespace().count() <= 6)
                .unwrap_or_else(|| host_of(&server.url).unwrap_or(format!("Server{index}")));
            let name = scope.claim(names::type_name(&label));
            let mut fields = Scope::default();
            let variables = server
                .variables
                .iter()
                .flatten()
                .map(|(wire, variable)| {
                    let values = (!variable.enumeration.is_empty()).then(|| {
                        let mut variants = Scope::default();
                        let kind = TypeKind::Enum(StringEnum::new(
                            variable
                                .enumeration
                                .iter()
                                .map(|value| EnumVariant {
                                    name: variants.claim(names::type_name(value)),
                                    wire: value.clone(),
                                })
                                .collect(),
                        ));
                        types.add(names::type_name(wire), variable.description.clone(), kind)
                    });
                    ServerVariable {
                        wire: wire.clone(),
                        name: fields.claim(names::value_name(wire)),
                        default: variable.default.clone(),
                        values,
                        description: variable.description.clone(),
                    }
                })
                .collect();
            Server { name, url: server.url.clone(), description: server.description.clone(), variables }
        })
        .collect()
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next()?;
    (!host.is_empty()).then(|| host.to_owned())
}

fn security_schemes(api: &openapiv3::OpenAPI, methods: &mut Scope) -> Result<Vec<SecurityScheme>, Located> {
    let Some(components) = &api.components else { return Ok(Vec::new()) };
    let mut schemes = Vec::with_capacity(components.security_schemes.len());
    let mut variants = Scope::default();
    for (key, scheme) in &components.security_schemes {
        let pointer = pointer_push("#/components/securitySchemes", key);
        let ReferenceOr::Item(scheme) = scheme else {
            return Err(Located::new(pointer, "a `$ref` to a security scheme is not supported"));
        };
        use openapiv3::SecurityScheme as S;
        let client_credentials = match scheme {
            S::OAuth2 { flows, .. } => flows.client_credentials.as_ref().map(|flow| flow.token_url.clone()),
            _ => None,
        };
        let (kind, description) = match scheme {
            S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                (SecuritySchemeKind::Basic, description)
            }
            S::HTTP { scheme, description, .. } => {
                let prefix =
                    if scheme.eq_ignore_ascii_case("bearer") { "Bearer".to_owned() } else { scheme.clone() };
                (SecuritySchemeKind::Token { prefix }, description)
            }
            S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                (SecuritySchemeKind::Token { prefix: "Bearer".into() }, description)
            }
            S::APIKey { location, name, description, .. } => {
                let location = match location {
                    openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                    openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                    openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                };
                (SecuritySchemeKind::ApiKey { location, name: name.clone() }, description)
            }
        };
        let method = methods.claim(format!("with_{}", names::value_name(key)));
        let client_credentials = client_credentials.map(|token_url| {
            let method = format!("with_{}_client_credentials", names::value_name(key));
            ClientCredentialsFlow {
                method_with_token_url: methods.claim(format!("{method}_from")),
                method: methods.claim(method),
                token_url,
            }
        });
        schemes.push(SecurityScheme {
            key: key.clone(),
            variant: variants.claim(names::type_name(key)),
            method,
            client_credentials,
            kind,
            description: description.clone(),
        });
    }
    Ok(schemes)
}
