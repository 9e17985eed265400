//! Stage 2: the intermediate model, a resolved and named description of the API.
//!
//! Everything the emitter needs is decided here: every `$ref` is resolved, every inline schema
//! that needs a Rust type has a unique name, every operation knows its parameters, body and
//! responses. No tokens are produced in this stage, so it can be tested on its own and the
//! emitter stays a plain translation.

mod api;
mod customize;
mod dedupe;
mod events;
mod filter;
mod form;
mod formats;
mod operation;
mod pagination;
mod reach;
mod recursion;
pub mod refs;
mod schema;
mod shared_params;

pub use api::{CLIENT_METHODS, build, build_with};
pub use customize::{TypeOptions, customize};
pub use filter::{Filter, Matcher};
pub use operation::RESERVED_ARGUMENTS;

/// Merges component schemas of equal shape, each later one kept as an alias of the first, once
/// [`customize`] has settled which types the user replaced or added derives to. Operations'
/// parameter structs are shared again, since merged types can make them equal.
pub fn merge_components(api: &mut Api) {
    dedupe::dedupe(api, dedupe::Merge::Components);
    recursion::break_cycles(&mut api.types);
    shared_params::share_params(api);
}

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A whole API: what one spec file becomes.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The `servers`, first one the default.
    pub servers: Vec<Server>,
    /// Where the generated module lives, as a dependent crate names it
    /// (`generated_client::graph_v1`): set by [`crate::krate`], for doc examples.
    pub module_path: Option<String>,
    /// Where the module's types are compiled when they are a crate of their own
    /// (`graph_beta_types::graph_beta`): set by [`crate::krate`] for
    /// [`split_types`](crate::krate::CrateOptions::split_types); `mod.rs` then re-exports them
    /// from there instead of declaring `types.rs`.
    pub types_crate: Option<String>,
    /// `components.securitySchemes`, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Named types; indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// The order in which to print types: each component followed by the inline types it owns.
    pub type_order: Vec<TypeId>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
}

impl Api {
    /// `Title (version 1.2)`, or the title alone when the spec gives no version.
    pub fn heading(&self) -> String {
        if self.version.is_empty() {
            self.title.clone()
        } else {
            format!("{} (version {})", self.title, self.version)
        }
    }
}

/// A Rust type as used in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Int(IntType),
    Float(FloatType),
    String,
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    /// `format: uuid`.
    Uuid,
    /// `format: byte`: base64 text on the wire, bytes in Rust.
    Base64,
    /// Any JSON value: free-form schemas and the fallback for what cannot be expressed.
    Json,
    /// A JSON object with arbitrary members.
    JsonObject,
    Array(Box<Type>),
    /// A JSON object whose members all have the same type (`additionalProperties: schema`).
    Map(Box<Type>),
    Named(TypeId),
}

/// Integer widths from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntType {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

/// Float widths from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FloatType {
    F32,
    F64,
}

/// A named type definition.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Unique `UpperCamelCase` name.
    pub name: String,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// JSON pointer of the schema it came from.
    pub pointer: String,
    pub kind: TypeKind,
    /// The note of its `#[deprecated]`, when the spec deprecates the schema ([`deprecation`]).
    pub deprecated: Option<String>,
    /// Derives the user adds (`Hash`), each checked to be a path ([`customize`]).
    pub derives: Vec<String>,
    /// Attributes the user adds (`#[non_exhaustive]`), each checked to parse ([`customize`]).
    pub attributes: Vec<String>,
    /// The earlier type of the same shape that stands for this one everywhere, when
    /// `dedupe` merged it (such a type is not printed).
    pub same_as: Option<TypeId>,
}

/// The note of `#[deprecated]` for something the spec marks `deprecated: true`: the sentence
/// of its description that speaks of deprecation (which usually says why, or what to use
/// instead), or a plain statement when none does.
pub fn deprecation(deprecated: bool, description: Option<&str>) -> Option<String> {
    if !deprecated {
        return None;
    }
    let sentence = description.and_then(|text| {
        text.split_inclusive(['.', '\n'])
            .map(|sentence| sentence.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|sentence| sentence.to_lowercase().contains("deprecat"))
    });
    Some(sentence.unwrap_or_else(|| "Deprecated by the API description.".to_owned()))
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum.
    Enum(StringEnum),
    /// `oneOf`/`anyOf`.
    Union(Union),
    /// `pub type Name = Type;` for named schemas that are not structs, enums or unions.
    Alias(Type),
    /// A transparent wrapper, used instead of an alias where an alias would be recursive.
    Newtype {
        inner: Type,
        boxed: bool,
    },
    /// A Rust type of the user's in place of the schema's (`x-rust-type`, or the
    /// configuration's `[types.replace]`): `pub type Name = path;`.
    External(String),
}

/// An object schema with properties.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Where members that are not properties are kept (`additionalProperties`).
    pub additional: Option<Additional>,
}

/// Where a struct keeps members that are not among its properties.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Additional {
    /// Rust field name, unique among the struct's fields.
    pub name: String,
    pub ty: Type,
    /// The schema has no `additionalProperties`, which allows any member: such members are
    /// kept only with [`TypeOptions::keep_unknown_members`], and ignored otherwise.
    pub implied: bool,
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// Rust field name (a keyword is emitted as a raw identifier).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    pub ty: Type,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true` (or a null variant).
    pub nullable: bool,
    /// Whether the type must be boxed to break a recursive cycle.
    pub boxed: bool,
    pub doc: Option<String>,
    pub read_only: bool,
    /// The note of its `#[deprecated]`, when the spec deprecates it ([`deprecation`]).
    pub deprecated: Option<String>,
}

impl Field {
    /// Whether Rust holds the field as an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enum: its listed values and the catch-all variant that keeps any other value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// Variant name for values the spec does not list (`Other`, unless a listed value took it).
    pub other: String,
}

impl StringEnum {
    /// An open enum of `variants`, whose names must already be unique.
    pub fn new(variants: Vec<EnumVariant>) -> Self {
        let other = catch_all_name(variants.iter().map(|variant| variant.name.as_str()));
        StringEnum { variants, other }
    }

    /// The variant that holds `value`: a listed one, or `None` for the catch-all.
    pub fn variant_of(&self, value: &str) -> Option<&EnumVariant> {
        self.variants.iter().find(|variant| variant.wire == value)
    }
}

/// The name of an open enum's catch-all variant: `Other`, unless one of `taken` is so named.
pub fn catch_all_name<'a>(taken: impl Iterator<Item = &'a str> + Clone) -> String {
    ["Other", "UnknownValue", "Unlisted"]
        .into_iter()
        .map(str::to_owned)
        .chain((2..).map(|n| format!("Other{n}")))
        .find(|candidate| !taken.clone().any(|name| name == candidate))
        .unwrap_or_default()
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
}

/// `oneOf`/`anyOf` of several schemas.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// Decode by this property's value instead of by shape.
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Type,
    pub boxed: bool,
}

/// `discriminator` of a union whose every variant is reachable through its mapping.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Discriminator {
    pub property: String,
    /// Discriminator value and the index of the variant it selects.
    pub mapping: Vec<(String, usize)>,
    /// Per variant, the value it writes: its first in `mapping`.
    pub tags: Vec<String>,
    /// Variant name for values no variant is mapped to, kept as raw JSON so that a server
    /// adding a kind does not fail every response that lists one.
    pub other: String,
}

/// An entry of `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// Variant name of the `Server` enum.
    pub name: String,
    /// The URL template, with `{variable}` placeholders.
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// Placeholder name in the URL.
    pub wire: String,
    /// Rust field name.
    pub name: String,
    pub default: String,
    /// The string enum of allowed values, when they are listed.
    pub values: Option<TypeId>,
    pub description: Option<String>,
}

/// An entry of `components.securitySchemes`.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Key in `securitySchemes`, which operations refer to.
    pub key: String,
    /// Its variant of the `SecurityScheme` enum, which `Client::with_credential` takes.
    pub variant: String,
    /// Name of the client method that sets its credential.
    pub method: String,
    /// The OAuth 2.0 client credentials flow, when the scheme has one.
    pub client_credentials: Option<ClientCredentialsFlow>,
    pub kind: SecuritySchemeKind,
    pub description: Option<String>,
}

/// The setters of an OAuth 2.0 client credentials flow.
#[derive(Debug, Clone)]
pub struct ClientCredentialsFlow {
    /// Sets a client id and secret; tokens come from [`Self::token_url`].
    pub method: String,
    /// The same with a token URL of the caller's: OpenAPI gives one static `tokenUrl`, but
    /// identity providers often need a tenant or a regional host in it.
    pub method_with_token_url: String,
    /// The spec's `tokenUrl`.
    pub token_url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecuritySchemeKind {
    /// `http` with `scheme: basic`.
    Basic,
    /// `http` with `scheme: bearer` (or another scheme sent as `Authorization: <scheme> <token>`),
    /// `oauth2` and `openIdConnect`, whose tokens are bearer tokens.
    Token { prefix: String },
    /// `apiKey`.
    ApiKey { location: ApiKeyLocation, name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `snake_case` method name on the client.
    pub name: String,
    /// `UpperCamelCase` prefix for the operation's own types.
    pub type_prefix: String,
    pub method: HttpMethod,
    /// Path template as written in the spec.
    pub path: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The note of its `#[deprecated]`, when the spec deprecates it ([`deprecation`]).
    pub deprecated: Option<String>,
    /// Path parameters, in template order; positional arguments.
    pub path_params: Vec<Parameter>,
    /// Query, header and cookie parameters the caller sets; fields of the params struct.
    pub params: Vec<Parameter>,
    /// Required parameters with a single allowed value, sent without the caller.
    pub constants: Vec<Constant>,
    pub body: Option<RequestBody>,
    pub success: Vec<Response>,
    pub errors: Vec<Response>,
    /// Alternatives of security scheme keys; empty means no authentication.
    pub security: Vec<Vec<String>>,
    /// Name of the struct holding [`Operation::params`], when there are any.
    pub params_type: Option<String>,
    /// The `params_type` of an earlier operation with the same parameters: this one's
    /// `params_type` is then a type alias of it.
    pub params_shared_with: Option<String>,
    /// Name of the enum of success bodies, when they differ in type.
    pub response_enum: Option<String>,
    /// Name of the enum of documented error bodies, when they differ in type.
    pub error_enum: Option<String>,
    /// How a paged list operation reaches its next page, when the spec makes it clear.
    pub pagination: Option<Pagination>,
    /// Sample arguments for the method's doc example.
    pub samples: CallSamples,
}

/// Sample arguments of an operation as JSON, for a reader: the spec's examples where short,
/// otherwise values with only what is required ([`crate::samples`]).
#[derive(Debug, Clone, Default)]
pub struct CallSamples {
    /// One per path parameter.
    pub path: Vec<serde_json::Value>,
    /// One per parameter of the params struct: `None` for an optional one, left out.
    pub params: Vec<Option<serde_json::Value>>,
    /// The request body's.
    pub body: Option<serde_json::Value>,
}

/// A paged list operation: how to reach the next page and the items, and the names of the
/// methods that stream them.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub next: NextPage,
    /// The page field holding the items; `None` when the page is the array itself.
    pub items: Option<FieldAccess>,
    pub item_type: Type,
    /// `…_pages` and `…_items` client methods.
    pub pages_method: String,
    pub items_method: String,
}

#[derive(Debug, Clone)]
pub enum NextPage {
    /// A page field holds the next page's URL.
    BodyField(FieldAccess),
    /// The `Link` header's `rel="next"`.
    LinkHeader,
    /// A token the page gives is sent back in a query parameter for the next page.
    Cursor {
        token: CursorToken,
        /// The parameter's field in the operation's params struct.
        param: String,
    },
    /// The operation again with the next page number or offset in a query parameter.
    Number {
        /// The parameter's field in the operation's params struct.
        param: String,
        numbering: Numbering,
        /// The page number or offset the server starts at when none is sent.
        first: u64,
    },
}

/// How a numbered list moves on to its next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// The next page is one more.
    Pages,
    /// The next page starts after this page's items.
    Offset,
}

#[derive(Debug, Clone)]
pub enum CursorToken {
    /// A page field holds the next page's token (`nextPageToken`, `next_cursor`).
    Field(FieldAccess),
    /// While a boolean page field says there is more, the last item's `id` (Stripe's
    /// `has_more` + `starting_after`).
    LastItemId { has_more: FieldAccess, id: FieldAccess },
}

/// What the schema of an event stream describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSchema {
    /// Each event's `data`.
    Data,
    /// Each whole event, `{event, data, id, retry}` (OpenAPI 3.2's `itemSchema`), often one
    /// alternative per event name.
    Whole,
}

/// A struct field as the Rust type holds it.
#[derive(Debug, Clone)]
pub struct FieldAccess {
    pub name: String,
    /// `Option<T>`.
    pub optional: bool,
    /// `Option<Option<T>>` (optional and nullable).
    pub nested: bool,
}

/// The HTTP methods a path item can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method of a path item's key (`get`), `None` for any other key.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// As written in a request line: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    pub location: ParameterLocation,
    pub ty: Type,
    pub required: bool,
    pub doc: Option<String>,
    /// The note of its `#[deprecated]`, when the spec deprecates it ([`deprecation`]).
    pub deprecated: Option<String>,
    /// The schema's `default`, the value the server assumes when none is sent.
    pub default: Option<serde_json::Value>,
    /// JSON pointer of the parameter object (which may be a `$ref`); `None` for a path
    /// placeholder the spec does not declare.
    pub pointer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterLocation {
    Path,
    Query(QueryStyle),
    Header,
    Cookie,
}

/// How a query parameter's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    Form { explode: bool },
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// A parameter sent with a fixed value.
#[derive(Debug, Clone)]
pub struct Constant {
    pub wire: String,
    pub location: ParameterLocation,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    pub content_type: String,
    pub kind: BodyKind,
    pub doc: Option<String>,
    /// JSON pointer of the `requestBody` object (which may be a `$ref`).
    pub pointer: String,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json(Type),
    /// `application/x-www-form-urlencoded`.
    Form(Type),
    Text,
    /// Bytes: a request body from memory, a file or a stream; a documented error body read
    /// in full.
    Bytes,
    /// A binary success body, handed to the caller as a stream rather than read into memory.
    ByteStream,
    /// `text/event-stream`: server-sent events described by this type (`String` when the
    /// spec describes text), either each event's `data` or the whole event.
    EventStream(Type, EventSchema),
    /// `multipart/form-data`: a struct of its own, one part per field.
    Multipart(FormBody),
    /// No content.
    Empty,
}

/// The fields of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormBody {
    /// Name of the struct the caller fills in.
    pub name: String,
    pub doc: Option<String>,
    pub fields: Vec<FormField>,
}

/// One property of a form: one part, or one per item of an array.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    /// Rust field name.
    pub name: String,
    /// Part name on the wire.
    pub wire: String,
    pub kind: FormFieldKind,
    pub required: bool,
    pub doc: Option<String>,
    /// The `encoding` object's `contentType` for this part.
    pub content_type: Option<String>,
    /// The `encoding` object's headers whose value the spec fixes (one `enum` value or a
    /// `default`), sent with every part of this field.
    pub headers: Vec<(String, String)>,
    /// The `encoding` object's other headers, which the caller sets (`FilePart::header`).
    pub caller_headers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormFieldKind {
    /// File contents (`format: binary`); `repeated` for an array of them.
    File { repeated: bool },
    /// Scalars and arrays of scalars, as text.
    Text(Type),
    /// Anything else, as a JSON part.
    Json(Type),
}

impl BodyKind {
    /// How a success body is received: binary bodies are streamed.
    pub fn for_success(self) -> Self {
        match self {
            BodyKind::Bytes => BodyKind::ByteStream,
            other => other,
        }
    }

    /// How an error body is received: always read in full (events as their text).
    pub fn for_error(self) -> Self {
        match self {
            BodyKind::ByteStream => BodyKind::Bytes,
            BodyKind::EventStream(..) => BodyKind::Text,
            other => other,
        }
    }

    /// Whether the body reaches the caller as a stream.
    pub fn is_streamed(&self) -> bool {
        matches!(self, BodyKind::ByteStream | BodyKind::EventStream(..))
    }
}

/// One documented response of an operation.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusMatch,
    /// Variant name in the operation's response or error enum.
    pub variant: String,
    pub body: BodyKind,
    /// JSON pointer of the response object (which may be a `$ref`).
    pub pointer: String,
    /// The media type `body` was read from (empty when there is none).
    pub content_type: String,
    pub description: Option<String>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    /// `default`, or every 2xx when only `default` is documented.
    Default,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants(names: &[&str]) -> Vec<EnumVariant> {
        names.iter().map(|name| EnumVariant { name: (*name).into(), wire: name.to_lowercase() }).collect()
    }

    #[test]
    fn the_catch_all_variant_never_takes_a_listed_name() {
        assert_eq!(StringEnum::new(variants(&["Active"])).other, "Other");
        assert_eq!(StringEnum::new(variants(&["Other", "UnknownValue"])).other, "Unlisted");
        assert_eq!(StringEnum::new(variants(&["Other", "UnknownValue", "Unlisted"])).other, "Other2");
    }

    #[test]
    fn a_value_belongs_to_its_listed_variant_or_to_the_catch_all() {
        let string_enum = StringEnum::new(variants(&["Eu", "Us"]));
        assert_eq!(string_enum.variant_of("eu").map(|variant| variant.name.as_str()), Some("Eu"));
        assert!(string_enum.variant_of("br").is_none());
    }

    #[test]
    fn every_path_item_key_is_a_method_written_in_capitals() {
        for key in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
            let method = HttpMethod::from_key(key).expect("a method");
            assert_eq!(method.as_str(), key.to_ascii_uppercase());
        }
        assert_eq!(HttpMethod::from_key("parameters"), None);
    }
}
