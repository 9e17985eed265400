//! Collecting operations: parameters, bodies, responses and security of every path item.

use super::filter::Matcher;
use super::refs;
use super::schema::{Target, TypeBuilder};
use super::{
    BodyKind, CallSamples, Constant, HttpMethod, Operation, Parameter, ParameterLocation, QueryStyle,
    RequestBody, Response, SecurityScheme, StatusMatch, Type,
};
use crate::error::{Located, pointer_push};
use crate::load::Document;
use crate::names::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{MediaType, ParameterSchemaOrContent, ReferenceOr, SchemaKind};
use serde::de::DeserializeOwned;

/// Header parameters OpenAPI says to ignore: the client sets them itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Argument names the generated methods use themselves.
pub const RESERVED_ARGUMENTS: &[&str] = &["params", "body", "request", "response", "form"];

/// An operation's parameters, sorted by how the generated method takes them.
struct Parameters {
    path_params: Vec<Parameter>,
    params: Vec<Parameter>,
    constants: Vec<Constant>,
}

pub struct OperationBuilder<'a, 'b> {
    document: &'a Document,
    types: &'b mut TypeBuilder<'a>,
    methods: &'b mut Scope,
    schemes: &'b [SecurityScheme],
}

impl<'a, 'b> OperationBuilder<'a, 'b> {
    pub fn new(
        document: &'a Document,
        types: &'b mut TypeBuilder<'a>,
        methods: &'b mut Scope,
        schemes: &'b [SecurityScheme],
    ) -> Self {
        Self { document, types, methods, schemes }
    }

    /// Every operation of the document, or those `filter` keeps.
    pub fn build_all(mut self, filter: Option<&Matcher>) -> Result<Vec<Operation>, Located> {
        let mut operations = Vec::new();
        for (path, item) in &self.document.api.paths.paths {
            let item_pointer = pointer_push("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item.clone(),
                ReferenceOr::Reference { reference } => {
                    self.resolve::<openapiv3::PathItem>(reference, &item_pointer)?
                }
            };
            for (method, operation) in item.iter() {
                let kept = filter.is_none_or(|filter| {
                    filter.keeps(path, &operation.tags, operation.operation_id.as_deref())
                });
                if !kept {
                    continue;
                }
                let pointer = pointer_push(&item_pointer, method);
                operations.push(self.operation(path, method, operation, &item.parameters, &pointer)?);
            }
        }
        Ok(operations)
    }

    /// Follows a local `$ref` (through chains of them) and reads what it points to as `T`.
    fn resolve<T: DeserializeOwned>(&self, reference: &str, pointer: &str) -> Result<T, Located> {
        let mut reference = reference.to_owned();
        for _ in 0..32 {
            let value = refs::target(&self.document.raw, &reference, pointer)?;
            if let Some(next) = value.get("$ref").and_then(|next| next.as_str()) {
                reference = next.to_owned();
                continue;
            }
            return serde_path_to_error::deserialize(value).map_err(|error| {
                Located::new(reference.clone(), format!("{} at {}", error.inner(), error.path()))
            });
        }
        Err(Located::new(pointer, format!("`$ref: {reference}` is part of a reference cycle")))
    }

    fn resolve_or<T: DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        pointer: &str,
    ) -> Result<T, Located> {
        match item {
            ReferenceOr::Item(item) => Ok(item.clone()),
            ReferenceOr::Reference { reference } => self.resolve(reference, pointer),
        }
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        operation: &openapiv3::Operation,
        shared: &[ReferenceOr<openapiv3::Parameter>],
        pointer: &str,
    ) -> Result<Operation, Located> {
        let name = self.methods.claim(match &operation.operation_id {
            Some(id) => names::value_name(id),
            None => names::value_name(&format!("{method} {path}")),
        });
        let type_prefix = names::type_name(&name);
        let method = HttpMethod::from_key(method)
            .ok_or_else(|| Located::new(pointer, format!("`{method}` is not an HTTP method")))?;

        let Parameters { path_params, params, constants } =
            self.parameters(path, operation, shared, pointer, &type_prefix)?;
        let body = match &operation.request_body {
            Some(body) => {
                let body_pointer = pointer_push(pointer, "requestBody");
                let body: openapiv3::RequestBody = self.resolve_or(body, &body_pointer)?;
                let content_pointer = pointer_push(&body_pointer, "content");
                let hint = format!("{type_prefix}Body");
                let (content_type, kind) = self.content(&body.content, &content_pointer, hint, true)?;
                Some(RequestBody {
                    required: body.required,
                    content_type,
                    kind,
                    doc: body.description,
                    pointer: body_pointer,
                })
            }
            None => None,
        };
        let (success, errors) = self.responses(&operation.responses, pointer, &type_prefix)?;
        let security = self.security(operation, pointer)?;

        let params_type = (!params.is_empty()).then(|| self.types.claim_name(format!("{type_prefix}Params")));
        // Responses of one body type need no enum (for errors, `Error::Api` carries the status).
        let response_enum =
            bodies_differ(&success).then(|| self.types.claim_name(format!("{type_prefix}Response")));
        let error_enum = bodies_differ(&errors).then(|| self.types.claim_name(format!("{type_prefix}Error")));
        let link_header = operation.responses.responses.iter().any(|(status, response)| {
            let success = match status {
                openapiv3::StatusCode::Code(code) => (200..300).contains(code),
                openapiv3::StatusCode::Range(range) => *range == 2,
            };
            success
                && self.resolve_or(response, pointer).is_ok_and(|response| {
                    response.headers.keys().any(|name| name.eq_ignore_ascii_case("link"))
                })
        });
        let pagination = super::pagination::detect(
            method,
            &operation.extensions,
            &success,
            link_header,
            &params,
            &self.types.types,
        )
        // The next pages' calls keep the arguments: only bodies that can be kept (JSON, forms).
        .filter(|pagination| {
            !matches!(pagination.next, super::NextPage::Cursor { .. } | super::NextPage::Number { .. })
                || body.as_ref().is_none_or(|body| matches!(body.kind, BodyKind::Json(_) | BodyKind::Form(_)))
        })
        .map(|pagination| super::Pagination {
            pages_method: self.methods.claim(format!("{name}_pages")),
            items_method: self.methods.claim(format!("{name}_items")),
            ..pagination
        });

        let samples = self.samples(&path_params, &params, body.as_ref());
        Ok(Operation {
            samples,
            name,
            type_prefix,
            method,
            path: path.to_owned(),
            pointer: pointer.to_owned(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: super::deprecation(operation.deprecated, operation.description.as_deref()),
            path_params,
            params,
            constants,
            body,
            success,
            errors,
            security,
            params_type,
            params_shared_with: None,
            response_enum,
            error_enum,
            pagination,
        })
    }

    fn samples(
        &self,
        path_params: &[Parameter],
        params: &[Parameter],
        body: Option<&RequestBody>,
    ) -> CallSamples {
        let raw = &self.document.raw;
        let parameter = |param: &Parameter| {
            param.pointer.as_deref().map_or(serde_json::Value::String("sample".into()), |pointer| {
                crate::samples::parameter(raw, pointer)
            })
        };
        CallSamples {
            path: path_params.iter().map(parameter).collect(),
            params: params.iter().map(|param| param.required.then(|| parameter(param))).collect(),
            body: body.map(|body| crate::samples::minimal_body(raw, &body.pointer, &body.content_type)),
        }
    }

    fn parameters(
        &mut self,
        path: &str,
        operation: &openapiv3::Operation,
        shared: &[ReferenceOr<openapiv3::Parameter>],
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Parameters, Located> {
        // Operation parameters override path-item ones with the same name and location.
        let mut declared: IndexMap<(String, &'static str), (openapiv3::Parameter, String)> = IndexMap::new();
        for (list, list_pointer) in [
            (shared, pointer.rsplit_once('/').map_or(pointer.to_owned(), |(item, _)| item.to_owned())),
            (operation.parameters.as_slice(), pointer.to_owned()),
        ] {
            for (index, parameter) in list.iter().enumerate() {
                let parameter_pointer =
                    pointer_push(&pointer_push(&list_pointer, "parameters"), &index.to_string());
                let parameter: openapiv3::Parameter = self.resolve_or(parameter, &parameter_pointer)?;
                let location = match &parameter {
                    openapiv3::Parameter::Path { .. } => "path",
                    openapiv3::Parameter::Query { .. } => "query",
                    openapiv3::Parameter::Header { .. } => "header",
                    openapiv3::Parameter::Cookie { .. } => "cookie",
                };
                let key = (parameter.parameter_data_ref().name.clone(), location);
                declared.insert(key, (parameter, parameter_pointer));
            }
        }

        let mut arguments = Scope::with_reserved(RESERVED_ARGUMENTS);
        let mut path_params = Vec::new();
        for placeholder in placeholders(path) {
            let declaration = declared.get(&(placeholder.to_owned(), "path"));
            let pointer = declaration.map(|(_, parameter_pointer)| parameter_pointer.clone());
            let (ty, doc, deprecated) = match declaration {
                Some((parameter, parameter_pointer)) => {
                    let data = parameter.parameter_data_ref();
                    let hint = format!("{type_prefix}{}", names::type_name(&data.name));
                    let ty = self.parameter_type(&data.format, parameter_pointer, hint)?;
                    let deprecated = data.deprecated.unwrap_or(false);
                    (
                        ty,
                        data.description.clone(),
                        super::deprecation(deprecated, data.description.as_deref()),
                    )
                }
                None => (Type::String, Some("Not declared in the spec; sent as text.".into()), None),
            };
            path_params.push(Parameter {
                name: arguments.claim(names::value_name(placeholder)),
                wire: placeholder.to_owned(),
                location: ParameterLocation::Path,
                ty,
                required: true,
                doc,
                deprecated,
                default: None,
                pointer,
            });
        }

        let mut fields = Scope::default();
        let mut params = Vec::new();
        let mut constants = Vec::new();
        let secured = operation
            .security
            .as_ref()
            .or(self.document.api.security.as_ref())
            .is_some_and(|requirements| requirements.iter().any(|requirement| !requirement.is_empty()));
        for ((wire, _), (parameter, parameter_pointer)) in &declared {
            let location = match parameter {
                openapiv3::Parameter::Path { .. } => continue,
                openapiv3::Parameter::Query { style, parameter_data, .. } => {
                    let explode =
                        parameter_data.explode.unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
                    ParameterLocation::Query(match style {
                        openapiv3::QueryStyle::Form => QueryStyle::Form { explode },
                        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                    })
                }
                openapiv3::Parameter::Header { .. } => {
                    let lower = wire.to_ascii_lowercase();
                    // OpenAPI says to ignore an `Authorization` parameter, as security sets the
                    // header; many specs declare no security and only the parameter, which is
                    // then the one way to send credentials.
                    if IGNORED_HEADERS.contains(&lower.as_str()) && (lower != "authorization" || secured) {
                        continue;
                    }
                    ParameterLocation::Header
                }
                openapiv3::Parameter::Cookie { .. } => ParameterLocation::Cookie,
            };
            let data = parameter.parameter_data_ref();
            if data.required
                && let Some(value) = self.single_value(&data.format, parameter_pointer)?
            {
                constants.push(Constant { wire: wire.clone(), location, value });
                continue;
            }
            let hint = format!("{type_prefix}{}", names::type_name(wire));
            let ty = self.parameter_type(&data.format, parameter_pointer, hint)?;
            let default = self.parameter_default(&data.format, parameter_pointer)?;
            params.push(Parameter {
                name: fields.claim(names::value_name(wire)),
                wire: wire.clone(),
                location,
                ty,
                required: data.required,
                doc: data.description.clone(),
                deprecated: super::deprecation(data.deprecated.unwrap_or(false), data.description.as_deref()),
                default,
                pointer: Some(parameter_pointer.clone()),
            });
        }
        Ok(Parameters { path_params, params, constants })
    }

    fn parameter_type(
        &mut self,
        format: &ParameterSchemaOrContent,
        pointer: &str,
        hint: String,
    ) -> Result<Type, Located> {
        let (schema, schema_pointer) = match format {
            ParameterSchemaOrContent::Schema(schema) => (Some(schema), pointer_push(pointer, "schema")),
            ParameterSchemaOrContent::Content(content) => match content.first() {
                Some((media, media_type)) => (
                    media_type.schema.as_ref(),
                    pointer_push(&pointer_push(&pointer_push(pointer, "content"), media), "schema"),
                ),
                None => (None, pointer.to_owned()),
            },
        };
        match schema {
            Some(schema) => Ok(self.types.lower(schema, &schema_pointer, Target::Name(hint))?.ty),
            None => Ok(Type::String),
        }
    }

    /// The `default` of a parameter's schema.
    fn parameter_default(
        &self,
        format: &ParameterSchemaOrContent,
        pointer: &str,
    ) -> Result<Option<serde_json::Value>, Located> {
        let ParameterSchemaOrContent::Schema(schema) = format else { return Ok(None) };
        Ok(match schema {
            ReferenceOr::Item(schema) => schema.schema_data.default.clone(),
            ReferenceOr::Reference { reference } => {
                self.types.resolve(reference, pointer)?.1.schema_data.default
            }
        })
    }

    /// The value of a parameter whose schema allows exactly one string.
    fn single_value(
        &self,
        format: &ParameterSchemaOrContent,
        pointer: &str,
    ) -> Result<Option<String>, Located> {
        let ParameterSchemaOrContent::Schema(schema) = format else { return Ok(None) };
        let schema = match schema {
            ReferenceOr::Item(schema) => schema.clone(),
            ReferenceOr::Reference { reference } => self.types.resolve(reference, pointer)?.1,
        };
        Ok(match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(string)) => match string.enumeration.as_slice() {
                [Some(value)] => Some(value.clone()),
                _ => None,
            },
            _ => None,
        })
    }

    /// Picks the media type to use from `content` and lowers its schema.
    fn content(
        &mut self,
        content: &IndexMap<String, MediaType>,
        pointer: &str,
        hint: String,
        request: bool,
    ) -> Result<(String, BodyKind), Located> {
        let Some((media, media_type, class)) = pick_media(content, request) else {
            return Ok((String::new(), BodyKind::Empty));
        };
        let schema_pointer = pointer_push(&pointer_push(pointer, media), "schema");
        let mut lower = |schema: Option<&ReferenceOr<openapiv3::Schema>>| -> Result<Type, Located> {
            match schema {
                Some(schema) => Ok(self.types.lower(schema, &schema_pointer, Target::Name(hint.clone()))?.ty),
                None => Ok(Type::Json),
            }
        };
        let kind = match class {
            MediaClass::Json => BodyKind::Json(lower(media_type.schema.as_ref())?),
            MediaClass::Form => BodyKind::Form(lower(media_type.schema.as_ref())?),
            MediaClass::Text => BodyKind::Text,
            MediaClass::EventStream => {
                let ty = match lower(media_type.schema.as_ref())? {
                    // Data described as JSON (or not at all) decodes as JSON; a string is text.
                    Type::String | Type::Json if media_type.schema.is_none() => Type::String,
                    ty => ty,
                };
                let schema = super::events::event_schema(&self.types.types, &ty);
                BodyKind::EventStream(ty, schema)
            }
            MediaClass::Multipart => {
                let name = |types: &mut TypeBuilder<'_>| types.claim_name(hint.clone());
                match super::form::multipart_form(self.types, media_type, &schema_pointer, name)? {
                    Some(form) => BodyKind::Multipart(form),
                    None => BodyKind::Bytes,
                }
            }
            MediaClass::Bytes => BodyKind::Bytes,
        };
        Ok((media.clone(), kind))
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<(Vec<Response>, Vec<Response>), Located> {
        let responses_pointer = pointer_push(pointer, "responses");
        let mut entries: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .map(|(status, response)| {
                let status_match = match status {
                    openapiv3::StatusCode::Code(code) => StatusMatch::Code(*code),
                    openapiv3::StatusCode::Range(range) => StatusMatch::Range(*range),
                };
                (status_match, status.to_string(), response)
            })
            .collect();
        if let Some(default) = &responses.default {
            entries.push((StatusMatch::Default, "default".to_owned(), default));
        }
        if entries.is_empty() {
            // Nothing documented (allowed in 3.1): any 2xx is a success whose body is ignored.
            let success = Response {
                status: StatusMatch::Range(2),
                variant: "Success".into(),
                body: BodyKind::Empty,
                pointer: responses_pointer,
                content_type: String::new(),
                description: Some("No responses are documented; any 2xx is a success.".into()),
            };
            return Ok((vec![success], Vec::new()));
        }
        let is_success = |status: &StatusMatch| match status {
            StatusMatch::Code(code) => (200..300).contains(code),
            StatusMatch::Range(range) => *range == 2,
            StatusMatch::Default => false,
        };
        let success_count = entries.iter().filter(|(status, ..)| is_success(status)).count();
        let default_is_success = success_count == 0;

        let mut success_variants = Scope::default();
        let mut error_variants = Scope::default();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (status, key, response) in entries {
            let response_pointer = pointer_push(&responses_pointer, &key);
            let response: openapiv3::Response = self.resolve_or(response, &response_pointer)?;
            let content_pointer = pointer_push(&response_pointer, "content");
            let label = status_label(status);
            let as_success = is_success(&status) || (status == StatusMatch::Default && default_is_success);
            let hint = if as_success && success_count <= 1 {
                format!("{type_prefix}Response")
            } else if as_success {
                format!("{type_prefix}{label}Response")
            } else {
                format!("{type_prefix}{label}Body")
            };
            let (content_type, body) = self.content(&response.content, &content_pointer, hint, false)?;
            let description = Some(response.description.clone()).filter(|text| !text.is_empty());
            if as_success {
                let variant = success_variants.claim(label.clone());
                success.push(Response {
                    status,
                    variant,
                    body: body.clone().for_success(),
                    pointer: response_pointer.clone(),
                    content_type: content_type.clone(),
                    description: description.clone(),
                });
            }
            if !is_success(&status) {
                let variant = error_variants.claim(label);
                errors.push(Response {
                    status,
                    variant,
                    body: body.for_error(),
                    pointer: response_pointer,
                    content_type,
                    description,
                });
            }
        }
        Ok((success, errors))
    }

    fn security(&self, operation: &openapiv3::Operation, pointer: &str) -> Result<Vec<Vec<String>>, Located> {
        let (requirements, requirements_pointer) = match &operation.security {
            Some(requirements) => (requirements, pointer_push(pointer, "security")),
            None => match &self.document.api.security {
                Some(requirements) => (requirements, "#/security".to_owned()),
                None => return Ok(Vec::new()),
            },
        };
        let mut alternatives = Vec::with_capacity(requirements.len());
        for (index, requirement) in requirements.iter().enumerate() {
            let mut keys = Vec::with_capacity(requirement.len());
            for key in requirement.keys() {
                if !self.schemes.iter().any(|scheme| &scheme.key == key) {
                    return Err(Located::new(
                        pointer_push(&requirements_pointer, &index.to_string()),
                        format!("security scheme `{key}` is not defined in components.securitySchemes"),
                    ));
                }
                keys.push(key.clone());
            }
            // Alternatives that differ only in scopes need the same credentials.
            if !alternatives.contains(&keys) {
                alternatives.push(keys);
            }
        }
        Ok(alternatives)
    }
}

/// `{name}` placeholders of a path template, in order.
pub fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaClass {
    Json,
    Form,
    /// `text/event-stream` in a response.
    EventStream,
    /// `multipart/form-data` in a request, with a schema.
    Multipart,
    Text,
    Bytes,
}

fn classify(media: &str, has_schema: bool, request: bool) -> MediaClass {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let json = essence == "application/json" || essence.ends_with("+json") || essence == "text/json";
    // `*/*` with a schema is how many generated specs say "JSON".
    if json || (essence == "*/*" && has_schema) {
        MediaClass::Json
    } else if essence == "application/x-www-form-urlencoded" && request && has_schema {
        MediaClass::Form
    } else if essence == "multipart/form-data" && request && has_schema {
        MediaClass::Multipart
    } else if essence == "text/event-stream" && !request {
        MediaClass::EventStream
    } else if essence.starts_with("text/") {
        MediaClass::Text
    } else {
        MediaClass::Bytes
    }
}

/// The media type to generate for: JSON first, then forms, text and bytes.
fn pick_media(
    content: &IndexMap<String, MediaType>,
    request: bool,
) -> Option<(&String, &MediaType, MediaClass)> {
    content
        .iter()
        .map(|(media, media_type)| (media, media_type, classify(media, media_type.schema.is_some(), request)))
        .min_by_key(|(_, _, class)| *class)
}

/// A readable name for a status: its reason phrase, or the class of a range.
fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|status| status.canonical_reason())
            .map_or_else(|| format!("Status{code}"), names::type_name),
        StatusMatch::Range(1) => "Informational".into(),
        StatusMatch::Range(2) => "Success".into(),
        StatusMatch::Range(3) => "Redirection".into(),
        StatusMatch::Range(4) => "ClientError".into(),
        StatusMatch::Range(5) => "ServerError".into(),
        StatusMatch::Range(range) => format!("Status{range}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

/// Whether `responses` have bodies of more than one type.
fn bodies_differ(responses: &[Response]) -> bool {
    responses.iter().skip(1).any(|response| response.body != responses[0].body)
}
