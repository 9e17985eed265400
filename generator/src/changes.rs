//! What changed in a generated crate's public API between two versions of its sources, each
//! change marked breaking or compatible: the first thing a reviewer of a regenerated client
//! wants to know.
//!
//! Both sides are read from the generated Rust sources (`src/<module>/*.rs`, the runtime left
//! out), parsed with `syn`: that is exactly what users compile against, it needs neither the
//! old spec nor the old generator, and any previous output will do. Per spec module it keeps
//! the `Client`'s public methods (parameters with their types, return type), and every public
//! struct (public fields), enum (variants and their payloads) and type alias, with the traits
//! each derives or implements and whether it is deprecated. Other types' methods (`new`,
//! `as_str`, `url`) are not listed: they follow from the fields and variants.
//!
//! "Breaking" means code written the way the generated crate is meant to be used can stop
//! compiling: calling `Client` methods, reading fields, matching enums exhaustively, and
//! building structs with `Type::new(…)` or `..Default::default()`. Whether users build a type
//! or only read it is worked out from the sources too: a type reachable from some method's
//! parameters is *sent* (users build it), one reachable from some method's return type is
//! *received* (users read and match it); one reachable from neither, as in a crate of types
//! only, counts as both. Hence:
//!
//! - breaking: a module, method, type, field or variant removed; a parameter added, removed,
//!   retyped or moved; a return type changed; a field's type changed (including `Option<T>` ↔
//!   `T`: now required or now optional); a required field added to a sent type (its `new`
//!   takes one more argument); a variant added to a received enum (an exhaustive `match` needs
//!   an arm for it, even beside the open enums' `Other`); a variant's payload changed; a trait
//!   no longer implemented (`Default` only matters for sent types); a type changing kind;
//! - compatible: anything added otherwise (optional fields, required fields of received-only
//!   types, variants of sent-only enums, traits), a parameter renamed in place, deprecation
//!   added or removed.
//!
//! Adding a field of either kind breaks a struct literal that lists every field without
//! `..`, and adding a variant breaks a `match` with no wildcard; the rules above assume the
//! construction and matching the generated docs show.

use crate::krate::{File, TYPES_DIR};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path};

/// The public API of a generated crate's spec modules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicApi {
    modules: BTreeMap<String, Module>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Module {
    items: BTreeMap<String, Item>,
}

/// A public type of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    shape: Shape,
    /// Traits derived or implemented, as written (`serde::Serialize`, `From<String>`), without
    /// lifetime arguments.
    traits: BTreeSet<String>,
    deprecated: bool,
    /// Public methods of its inherent impls; kept for `Client` only.
    methods: BTreeMap<String, Method>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// Public fields by name (`0`, `1`… for tuple structs).
    Struct(BTreeMap<String, Member>),
    /// Variants by name, each with its payload (`(Circle)`, `{ a: T }`, or empty).
    Enum(BTreeMap<String, Member>),
    Alias(Ty),
}

impl Shape {
    fn kind(&self) -> &'static str {
        match self {
            Shape::Struct(_) => "struct",
            Shape::Enum(_) => "enum",
            Shape::Alias(_) => "type alias",
        }
    }
}

/// A field or a variant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    ty: Ty,
    deprecated: bool,
}

/// A type as written, and the names in it that may be the module's own types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Ty {
    text: String,
    names: BTreeSet<String>,
}

impl Ty {
    fn of(ty: &syn::Type) -> Ty {
        let mut names = BTreeSet::new();
        type_names(ty, &mut names);
        Ty { text: tokens_text(ty.to_token_stream()), names }
    }

    /// `T` when this is `Option<T>`.
    fn optional_inner(&self) -> Option<&str> {
        self.text.strip_prefix("Option<")?.strip_suffix('>')
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Method {
    /// `&self`, `self`, `&mut self`; `None` for constructors.
    receiver: Option<String>,
    parameters: Vec<(String, Ty)>,
    output: Ty,
    deprecated: bool,
}

/// The type whose methods are the operations.
const CLIENT: &str = "Client";

/// The spec module a crate file belongs to: `graph_v1` for `src/graph_v1/types.rs` (and for
/// `types/src/graph_v1/types.rs`, where a split crate keeps its types); `None` for
/// `Cargo.toml`, `src/lib.rs`, the runtime and tests.
pub fn module_of(path: &Path) -> Option<&str> {
    let path = path.strip_prefix(TYPES_DIR).unwrap_or(path);
    let mut components = path.components();
    let (Some(Component::Normal(src)), Some(Component::Normal(module)), Some(Component::Normal(file)), None) =
        (components.next(), components.next(), components.next(), components.next())
    else {
        return None;
    };
    let module = module.to_str()?;
    let is_source = Path::new(file).extension().is_some_and(|extension| extension == "rs");
    (src == "src" && module != "runtime" && is_source).then_some(module)
}

impl PublicApi {
    /// The API of the spec modules among `files` (paths relative to the crate root); other
    /// files are ignored.
    pub fn of_sources<'a>(files: impl IntoIterator<Item = (&'a Path, &'a str)>) -> Result<Self, String> {
        let mut readers: BTreeMap<String, ModuleReader> = BTreeMap::new();
        for (path, text) in files {
            let Some(module) = module_of(path) else { continue };
            let file = syn::parse_file(text)
                .map_err(|error| format!("{}: does not parse as Rust: {error}", path.display()))?;
            readers.entry(module.to_owned()).or_default().read(&file);
        }
        let modules = readers.into_iter().map(|(name, reader)| (name, reader.finish())).collect();
        Ok(PublicApi { modules })
    }

    /// The API of generated `files`, as [`krate::generate`](crate::krate::generate) returns them.
    pub fn of_files(files: &[File]) -> Result<Self, String> {
        Self::of_sources(files.iter().map(|file| (file.path.as_path(), file.contents.as_str())))
    }

    /// The API of the crate written in `root` (with its types crate, when it was split), or
    /// `None` when `root` holds no `src/` folder.
    pub fn read(root: &Path) -> Result<Option<Self>, String> {
        let src = root.join("src");
        if !src.is_dir() {
            return Ok(None);
        }
        let list = |dir: &Path| {
            std::fs::read_dir(dir)
                .and_then(|entries| entries.map(|entry| entry.map(|entry| entry.path())).collect())
                .map_err(|error| format!("cannot list {}: {error}", dir.display()))
        };
        let mut sources = Vec::new();
        let mut dirs: Vec<_> = list(&src)?;
        let types_src = root.join(TYPES_DIR).join("src");
        if types_src.is_dir() {
            dirs.extend(list(&types_src)?);
        }
        dirs.sort();
        for dir in dirs.into_iter().filter(|dir| dir.is_dir()) {
            let mut paths: Vec<_> = list(&dir)?;
            paths.sort();
            for path in paths {
                let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                if module_of(&relative).is_none() || !path.is_file() {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                sources.push((relative, text));
            }
        }
        Self::of_sources(sources.iter().map(|(path, text)| (path.as_path(), text.as_str()))).map(Some)
    }
}

/// A module's items as its files are read; impls may come before or after their type, and in
/// another file.
#[derive(Default)]
struct ModuleReader {
    items: BTreeMap<String, Item>,
    traits: BTreeMap<String, BTreeSet<String>>,
    methods: BTreeMap<String, Method>,
}

impl ModuleReader {
    fn read(&mut self, file: &syn::File) {
        for item in &file.items {
            match item {
                syn::Item::Struct(item) if is_public(&item.vis) => {
                    let fields = item
                        .fields
                        .iter()
                        .enumerate()
                        .filter(|(_, field)| is_public(&field.vis))
                        .map(|(index, field)| {
                            let name =
                                field.ident.as_ref().map_or_else(|| index.to_string(), ToString::to_string);
                            (name, Member { ty: Ty::of(&field.ty), deprecated: is_deprecated(&field.attrs) })
                        })
                        .collect();
                    self.add(&item.ident, &item.attrs, Shape::Struct(fields));
                }
                syn::Item::Enum(item) if is_public(&item.vis) => {
                    let variants = item
                        .variants
                        .iter()
                        .map(|variant| {
                            let member = Member {
                                ty: payload(&variant.fields),
                                deprecated: is_deprecated(&variant.attrs),
                            };
                            (variant.ident.to_string(), member)
                        })
                        .collect();
                    self.add(&item.ident, &item.attrs, Shape::Enum(variants));
                }
                syn::Item::Type(item) if is_public(&item.vis) => {
                    self.add(&item.ident, &item.attrs, Shape::Alias(Ty::of(&item.ty)));
                }
                syn::Item::Impl(block) => self.read_impl(block),
                _ => {}
            }
        }
    }

    fn add(&mut self, name: &syn::Ident, attrs: &[syn::Attribute], shape: Shape) {
        let item = Item {
            shape,
            traits: derives(attrs),
            deprecated: is_deprecated(attrs),
            methods: BTreeMap::new(),
        };
        self.items.insert(name.to_string(), item);
    }

    fn read_impl(&mut self, block: &syn::ItemImpl) {
        let syn::Type::Path(self_type) = &*block.self_ty else { return };
        let Some(self_name) = self_type.path.get_ident().map(ToString::to_string) else { return };
        if let Some((_, trait_path, _)) = &block.trait_ {
            self.traits.entry(self_name).or_default().insert(trait_text(trait_path));
            return;
        }
        if self_name != CLIENT {
            return;
        }
        for item in &block.items {
            let syn::ImplItem::Fn(function) = item else { continue };
            if !is_public(&function.vis) {
                continue;
            }
            let mut receiver = None;
            let mut parameters = Vec::new();
            for input in &function.sig.inputs {
                match input {
                    syn::FnArg::Receiver(this) => receiver = Some(receiver_text(this)),
                    syn::FnArg::Typed(typed) => {
                        let name = match &*typed.pat {
                            syn::Pat::Ident(ident) => ident.ident.to_string(),
                            other => tokens_text(other.to_token_stream()),
                        };
                        parameters.push((name, Ty::of(&typed.ty)));
                    }
                }
            }
            let output = match &function.sig.output {
                syn::ReturnType::Default => Ty { text: "()".into(), names: BTreeSet::new() },
                syn::ReturnType::Type(_, ty) => Ty::of(ty),
            };
            let method = Method { receiver, parameters, output, deprecated: is_deprecated(&function.attrs) };
            self.methods.insert(function.sig.ident.to_string(), method);
        }
    }

    fn finish(mut self) -> Module {
        for (name, traits) in self.traits {
            if let Some(item) = self.items.get_mut(&name) {
                item.traits.extend(traits);
            }
        }
        if let Some(client) = self.items.get_mut(CLIENT) {
            client.methods = self.methods;
        }
        Module { items: self.items }
    }
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

fn is_deprecated(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("deprecated"))
}

/// The traits of `#[derive(…)]` attributes.
fn derives(attrs: &[syn::Attribute]) -> BTreeSet<String> {
    let mut traits = BTreeSet::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        // A derive that does not parse names nothing we could compare.
        let _ = attr.parse_nested_meta(|meta| {
            traits.insert(trait_text(&meta.path));
            Ok(())
        });
    }
    traits
}

/// A trait's path without lifetime arguments: `serde::Deserialize` for `serde::Deserialize<'de>`,
/// so an implementation by hand and a derive read the same.
fn trait_text(path: &syn::Path) -> String {
    let mut path = path.clone();
    for segment in &mut path.segments {
        if let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments {
            arguments.args = std::mem::take(&mut arguments.args)
                .into_iter()
                .filter(|argument| !matches!(argument, syn::GenericArgument::Lifetime(_)))
                .collect();
            if arguments.args.is_empty() {
                segment.arguments = syn::PathArguments::None;
            }
        }
    }
    tokens_text(path.to_token_stream())
}

fn receiver_text(receiver: &syn::Receiver) -> String {
    match (&receiver.reference, &receiver.colon_token) {
        (Some((_, lifetime)), _) => {
            let lifetime = lifetime.as_ref().map(|lifetime| format!("{lifetime} ")).unwrap_or_default();
            let mutability = if receiver.mutability.is_some() { "mut " } else { "" };
            format!("&{lifetime}{mutability}self")
        }
        (None, Some(_)) => format!("self: {}", tokens_text(receiver.ty.to_token_stream())),
        // `mut self` binds mutably inside the method; callers see `self`.
        (None, None) => "self".into(),
    }
}

/// A variant's payload: `(Circle)`, `{ a: T, b: U }`, or nothing.
fn payload(fields: &syn::Fields) -> Ty {
    let mut names = BTreeSet::new();
    for field in fields {
        type_names(&field.ty, &mut names);
    }
    let text = match fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Unnamed(fields) => {
            let types: Vec<String> =
                fields.unnamed.iter().map(|field| tokens_text(field.ty.to_token_stream())).collect();
            format!("({})", types.join(", "))
        }
        syn::Fields::Named(fields) => {
            let types: Vec<String> = fields
                .named
                .iter()
                .map(|field| {
                    let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                    format!("{name}: {}", tokens_text(field.ty.to_token_stream()))
                })
                .collect();
            format!("{{ {} }}", types.join(", "))
        }
    };
    Ty { text, names }
}

/// Names in `ty` that may be the module's own types: single-segment paths (`Chat`,
/// `super::Chat`) anywhere in it, generic arguments included (`Call<'_, Chat, ODataError>`).
fn type_names(ty: &syn::Type, names: &mut BTreeSet<String>) {
    match ty {
        syn::Type::Path(path) => {
            if let Some(qself) = &path.qself {
                type_names(&qself.ty, names);
            }
            path_names(&path.path, names);
        }
        syn::Type::Reference(reference) => type_names(&reference.elem, names),
        syn::Type::Ptr(pointer) => type_names(&pointer.elem, names),
        syn::Type::Slice(slice) => type_names(&slice.elem, names),
        syn::Type::Array(array) => type_names(&array.elem, names),
        syn::Type::Paren(inner) => type_names(&inner.elem, names),
        syn::Type::Group(inner) => type_names(&inner.elem, names),
        syn::Type::Tuple(tuple) => tuple.elems.iter().for_each(|elem| type_names(elem, names)),
        syn::Type::ImplTrait(bounds) => bounds_names(bounds.bounds.iter(), names),
        syn::Type::TraitObject(bounds) => bounds_names(bounds.bounds.iter(), names),
        syn::Type::BareFn(function) => {
            function.inputs.iter().for_each(|input| type_names(&input.ty, names));
            if let syn::ReturnType::Type(_, output) = &function.output {
                type_names(output, names);
            }
        }
        _ => {}
    }
}

fn path_names(path: &syn::Path, names: &mut BTreeSet<String>) {
    let segments: Vec<&syn::PathSegment> = path.segments.iter().collect();
    let local = match segments.as_slice() {
        [only] if path.leading_colon.is_none() => Some(&only.ident),
        [first, second] if first.ident == "super" || first.ident == "self" => Some(&second.ident),
        _ => None,
    };
    if let Some(ident) = local {
        names.insert(ident.to_string());
    }
    argument_names(path, names);
}

/// Names in the generic arguments of `path`'s segments.
fn argument_names(path: &syn::Path, names: &mut BTreeSet<String>) {
    for segment in &path.segments {
        match &segment.arguments {
            syn::PathArguments::AngleBracketed(arguments) => {
                for argument in &arguments.args {
                    match argument {
                        syn::GenericArgument::Type(ty) => type_names(ty, names),
                        syn::GenericArgument::AssocType(assoc) => type_names(&assoc.ty, names),
                        _ => {}
                    }
                }
            }
            syn::PathArguments::Parenthesized(arguments) => {
                arguments.inputs.iter().for_each(|input| type_names(input, names));
                if let syn::ReturnType::Type(_, output) = &arguments.output {
                    type_names(output, names);
                }
            }
            syn::PathArguments::None => {}
        }
    }
}

/// The trait itself (`Into`, `crate::runtime::Hook`) is not the module's; its arguments may be
/// (`impl Into<Chat>`).
fn bounds_names<'a>(bounds: impl Iterator<Item = &'a syn::TypeParamBound>, names: &mut BTreeSet<String>) {
    for bound in bounds {
        if let syn::TypeParamBound::Trait(bound) = bound {
            argument_names(&bound.path, names);
        }
    }
}

/// Tokens as a Rust programmer writes them: `crate::runtime::Call<'_, Chat>`, `&mut T`,
/// `impl Into<String>`, `impl Hook + 'static`.
fn tokens_text(tokens: TokenStream) -> String {
    let mut text = String::new();
    write_tokens(tokens, &mut text);
    text
}

fn write_tokens(tokens: TokenStream, text: &mut String) {
    let ends_in_word = |text: &str| text.ends_with(|c: char| c.is_alphanumeric() || c == '_');
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                if ends_in_word(text) {
                    text.push(' ');
                }
                text.push_str(&ident.to_string());
            }
            TokenTree::Literal(literal) => {
                if ends_in_word(text) {
                    text.push(' ');
                }
                text.push_str(&literal.to_string());
            }
            TokenTree::Punct(punct) => match punct.as_char() {
                ',' => text.push_str(", "),
                ';' => text.push_str("; "),
                '+' | '=' => {
                    text.truncate(text.trim_end().len());
                    text.push(' ');
                    text.push(punct.as_char());
                    text.push(' ');
                }
                '\'' => {
                    if ends_in_word(text) {
                        text.push(' ');
                    }
                    text.push('\'');
                }
                '-' => {
                    text.truncate(text.trim_end().len());
                    text.push_str(" -");
                }
                '>' if text.ends_with(" -") => text.push_str("> "),
                '>' => {
                    trim_trailing_comma(text);
                    text.push('>');
                }
                other => text.push(other),
            },
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                // `&mut [u8]`, `&mut (A, B)`, but `Fn(&str)`: no type is followed by a bracket.
                let last_word =
                    text.rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
                let keyword = matches!(last_word, "mut" | "dyn" | "impl");
                if ends_in_word(text) && (keyword || group.delimiter() == Delimiter::Bracket) {
                    text.push(' ');
                }
                text.push_str(open);
                write_tokens(group.stream(), text);
                trim_trailing_comma(text);
                text.push_str(close);
            }
        }
    }
}

fn trim_trailing_comma(text: &mut String) {
    if text.ends_with(", ") {
        text.truncate(text.len() - 2);
    }
}

/// One difference between two versions of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whether code using the old version can stop compiling (see the module docs).
    pub breaking: bool,
    /// The spec module (`graph_v1`).
    pub module: String,
    /// What changed: `Client::update_chat`, `Chat`, `Chat::topic`; empty for a whole module.
    pub subject: String,
    /// How, in words: `parameter body: &Chat → &ChatPatch`.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.breaking { "breaking" } else { "compatible" };
        write!(f, "{mark:<11}{}: ", self.module)?;
        if !self.subject.is_empty() {
            write!(f, "{}: ", self.subject)?;
        }
        f.write_str(&self.what)
    }
}

/// Every difference, ordered by module, then type, then member; displayed one line each and
/// a summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub changes: Vec<Change>,
}

impl Changes {
    /// Whether the two versions have the same public API.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|change| change.breaking).count()
    }

    /// The last line of the report: `3 breaking, 5 compatible changes to the public API`.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no change to the public API".into();
        }
        let breaking = self.breaking();
        let compatible = self.changes.len() - breaking;
        let noun = if self.changes.len() == 1 { "change" } else { "changes" };
        format!("{breaking} breaking, {compatible} compatible {noun} to the public API")
    }
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        f.write_str(&self.summary())
    }
}

/// How `new` differs from `old`.
pub fn compare(old: &PublicApi, new: &PublicApi) -> Changes {
    let mut changes = Changes::default();
    let names: BTreeSet<&String> = old.modules.keys().chain(new.modules.keys()).collect();
    for name in names {
        let mut report = Report { module: name, changes: &mut changes.changes };
        match (old.modules.get(name), new.modules.get(name)) {
            (Some(_), None) => report.push(true, "", "module removed".into()),
            (None, Some(_)) => report.push(false, "", "module added".into()),
            (Some(old), Some(new)) => compare_modules(old, new, &mut report),
            (None, None) => {}
        }
    }
    changes
}

struct Report<'a> {
    module: &'a str,
    changes: &'a mut Vec<Change>,
}

impl Report<'_> {
    fn push(&mut self, breaking: bool, subject: &str, what: String) {
        self.changes.push(Change {
            breaking,
            module: self.module.to_owned(),
            subject: subject.to_owned(),
            what,
        });
    }
}

/// Which of a module's types users build (reached from parameters) and which they read
/// (reached from return types).
struct Roles {
    sent: BTreeSet<String>,
    received: BTreeSet<String>,
}

impl Roles {
    fn of(module: &Module) -> Roles {
        let methods = module.items.get(CLIENT).map(|client| client.methods.values());
        let methods: Vec<&Method> = methods.into_iter().flatten().collect();
        let sent = methods.iter().flat_map(|method| method.parameters.iter().flat_map(|(_, ty)| &ty.names));
        let received = methods.iter().flat_map(|method| &method.output.names);
        Roles { sent: reachable(module, sent), received: reachable(module, received) }
    }
}

/// The module's types reached from `roots`, through fields, variants and aliases.
fn reachable<'a>(module: &Module, roots: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&String> = roots.collect();
    while let Some(name) = pending.pop() {
        let Some(item) = module.items.get(name) else { continue };
        if name == CLIENT || !seen.insert(name.clone()) {
            continue;
        }
        match &item.shape {
            Shape::Struct(members) | Shape::Enum(members) => {
                pending.extend(members.values().flat_map(|member| &member.ty.names));
            }
            Shape::Alias(ty) => pending.extend(&ty.names),
        }
    }
    seen
}

/// How users meet a type, from both versions: sent or received in either, or, when neither
/// version reaches it from `Client`, both.
#[derive(Clone, Copy)]
struct Role {
    sent: bool,
    received: bool,
}

fn compare_modules(old: &Module, new: &Module, report: &mut Report) {
    let (old_roles, new_roles) = (Roles::of(old), Roles::of(new));
    let names: BTreeSet<&String> = old.items.keys().chain(new.items.keys()).collect();
    for name in names {
        match (old.items.get(name), new.items.get(name)) {
            (Some(item), None) => report.push(true, name, format!("{} removed", item.shape.kind())),
            (None, Some(item)) => report.push(false, name, format!("{} added", item.shape.kind())),
            (Some(old), Some(new)) => {
                let sent = old_roles.sent.contains(name) || new_roles.sent.contains(name);
                let received = old_roles.received.contains(name) || new_roles.received.contains(name);
                let role = if sent || received {
                    Role { sent, received }
                } else {
                    Role { sent: true, received: true }
                };
                compare_items(name, old, new, role, report);
            }
            (None, None) => {}
        }
    }
}

fn compare_items(name: &str, old: &Item, new: &Item, role: Role, report: &mut Report) {
    if old.shape.kind() != new.shape.kind() {
        report.push(true, name, format!("changed from {} to {}", old.shape.kind(), new.shape.kind()));
        return;
    }
    deprecation(old.deprecated, new.deprecated, name, report);
    for removed in old.traits.difference(&new.traits) {
        // Only code that builds a type calls its `default()`.
        let breaking = removed != "Default" || role.sent;
        let why = if breaking { "" } else { " (only received)" };
        report.push(breaking, name, format!("no longer implements {removed}{why}"));
    }
    for added in new.traits.difference(&old.traits) {
        report.push(false, name, format!("now implements {added}"));
    }
    match (&old.shape, &new.shape) {
        (Shape::Alias(old), Shape::Alias(new)) if old.text != new.text => {
            report.push(true, name, format!("type: {} → {}", show(&old.text), show(&new.text)));
        }
        (Shape::Struct(old), Shape::Struct(new)) => compare_fields(name, old, new, role, report),
        (Shape::Enum(old), Shape::Enum(new)) => compare_variants(name, old, new, role, report),
        _ => {}
    }
    let methods: BTreeSet<&String> = old.methods.keys().chain(new.methods.keys()).collect();
    for method in methods {
        let subject = format!("{name}::{method}");
        match (old.methods.get(method), new.methods.get(method)) {
            (Some(_), None) => report.push(true, &subject, "method removed".into()),
            (None, Some(_)) => report.push(false, &subject, "method added".into()),
            (Some(old), Some(new)) => compare_methods(&subject, old, new, report),
            (None, None) => {}
        }
    }
}

fn deprecation(old: bool, new: bool, subject: &str, report: &mut Report) {
    match (old, new) {
        (false, true) => report.push(false, subject, "now deprecated".into()),
        (true, false) => report.push(false, subject, "no longer deprecated".into()),
        _ => {}
    }
}

fn compare_fields(
    name: &str,
    old: &BTreeMap<String, Member>,
    new: &BTreeMap<String, Member>,
    role: Role,
    report: &mut Report,
) {
    let fields: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for field in fields {
        let subject = format!("{name}::{field}");
        match (old.get(field), new.get(field)) {
            (Some(_), None) => report.push(true, &subject, "field removed".into()),
            (None, Some(added)) if added.ty.optional_inner().is_some() => {
                report.push(false, &subject, format!("field added: {}", show(&added.ty.text)));
            }
            (None, Some(added)) => {
                let why = if role.sent { "" } else { " (only received)" };
                report.push(
                    role.sent,
                    &subject,
                    format!("required field added: {}{why}", show(&added.ty.text)),
                );
            }
            (Some(old), Some(new)) => {
                if old.ty.text != new.ty.text {
                    let how = if old.ty.optional_inner() == Some(new.ty.text.as_str()) {
                        " (now required)"
                    } else if new.ty.optional_inner() == Some(old.ty.text.as_str()) {
                        " (now optional)"
                    } else {
                        ""
                    };
                    let what = format!("field type: {} → {}{how}", show(&old.ty.text), show(&new.ty.text));
                    report.push(true, &subject, what);
                }
                deprecation(old.deprecated, new.deprecated, &subject, report);
            }
            (None, None) => {}
        }
    }
}

fn compare_variants(
    name: &str,
    old: &BTreeMap<String, Member>,
    new: &BTreeMap<String, Member>,
    role: Role,
    report: &mut Report,
) {
    let variants: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for variant in variants {
        let subject = format!("{name}::{variant}");
        match (old.get(variant), new.get(variant)) {
            (Some(_), None) => report.push(true, &subject, "variant removed".into()),
            (None, Some(_)) => {
                let why =
                    if role.received { " (received: an exhaustive `match` needs an arm for it)" } else { "" };
                report.push(role.received, &subject, format!("variant added{why}"));
            }
            (Some(old), Some(new)) => {
                if old.ty.text != new.ty.text {
                    let payload = |text: &str| if text.is_empty() { "none".to_owned() } else { show(text) };
                    let what =
                        format!("variant payload: {} → {}", payload(&old.ty.text), payload(&new.ty.text));
                    report.push(true, &subject, what);
                }
                deprecation(old.deprecated, new.deprecated, &subject, report);
            }
            (None, None) => {}
        }
    }
}

fn compare_methods(subject: &str, old: &Method, new: &Method, report: &mut Report) {
    if old.receiver != new.receiver {
        let receiver = |receiver: &Option<String>| receiver.clone().unwrap_or_else(|| "none".into());
        report.push(
            true,
            subject,
            format!("receiver: {} → {}", receiver(&old.receiver), receiver(&new.receiver)),
        );
    }
    compare_parameters(subject, &old.parameters, &new.parameters, report);
    if old.output.text != new.output.text {
        report.push(
            true,
            subject,
            format!("returns {} → {}", show(&old.output.text), show(&new.output.text)),
        );
    }
    deprecation(old.deprecated, new.deprecated, subject, report);
}

/// Callers pass arguments by position: the same types in the same order is compatible whatever
/// the names; otherwise each parameter is matched by name.
fn compare_parameters(subject: &str, old: &[(String, Ty)], new: &[(String, Ty)], report: &mut Report) {
    let same_types =
        old.len() == new.len() && old.iter().zip(new).all(|((_, old), (_, new))| old.text == new.text);
    if same_types {
        for ((old, _), (new, _)) in old.iter().zip(new) {
            if old != new {
                report.push(false, subject, format!("parameter {old} renamed to {new}"));
            }
        }
        return;
    }
    let find = |list: &'_ [(String, Ty)], name: &str| {
        list.iter().find(|(other, _)| other == name).map(|(_, ty)| ty.clone())
    };
    let before = report.changes.len();
    for (name, old_ty) in old {
        match find(new, name) {
            None => report.push(true, subject, format!("parameter {name} removed")),
            Some(new_ty) if new_ty.text != old_ty.text => {
                report.push(
                    true,
                    subject,
                    format!("parameter {name}: {} → {}", show(&old_ty.text), show(&new_ty.text)),
                );
            }
            Some(_) => {}
        }
    }
    for (name, ty) in new {
        if find(old, name).is_none() {
            report.push(true, subject, format!("parameter {name} added: {}", show(&ty.text)));
        }
    }
    if report.changes.len() == before {
        let names =
            |list: &[(String, Ty)]| list.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", ");
        report.push(true, subject, format!("parameters reordered: ({}) → ({})", names(old), names(new)));
    }
}

/// A type as shown in the report: the runtime's types without their `crate::runtime::` path.
fn show(text: &str) -> String {
    text.replace("crate::runtime::", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(source: &str) -> PublicApi {
        PublicApi::of_sources([(Path::new("src/pets/types.rs"), source)]).expect("parses")
    }

    fn module(source: &str) -> Module {
        api(source).modules.remove("pets").expect("module pets")
    }

    fn ty(source: &str) -> String {
        Ty::of(&syn::parse_str::<syn::Type>(source).expect("a type")).text
    }

    /// The report's lines, without the summary.
    fn changes(old: &str, new: &str) -> Vec<String> {
        compare(&api(old), &api(new)).changes.iter().map(ToString::to_string).collect()
    }

    const CLIENT_SOURCE: &str = "
        pub struct Client { runtime: crate::runtime::Client }
        impl Client {
            pub fn new() -> Self { todo!() }
            pub fn with_hook(mut self, hook: impl crate::runtime::Hook + 'static) -> Self { self }
            #[deprecated(note = \"old\")]
            pub fn get_pet(&self, pet_id: i64, params: Option<&GetPetParams>) -> crate::runtime::Call<'_, Pet, Problem> {
                todo!()
            }
            fn private(&self) {}
        }
        impl Default for Client { fn default() -> Self { Self::new() } }
    ";

    #[test]
    fn types_are_written_as_in_source() {
        assert_eq!(
            ty("crate :: runtime :: Call < '_ , Chat , ODataError >"),
            "crate::runtime::Call<'_, Chat, ODataError>"
        );
        assert_eq!(ty("impl Into<String>"), "impl Into<String>");
        assert_eq!(ty("Option<&ListThingsParams>"), "Option<&ListThingsParams>");
        assert_eq!(ty("impl crate::runtime::Hook + 'static"), "impl crate::runtime::Hook + 'static");
        assert_eq!(ty("&'a mut [u8; 4]"), "&'a mut [u8; 4]");
        assert_eq!(ty("&mut (A, B)"), "&mut (A, B)");
        assert_eq!(ty("Box<dyn Fn(&str) -> bool + Send>"), "Box<dyn Fn(&str) -> bool + Send>");
        assert_eq!(ty("Vec<(String, Option<Option<i64>>)>"), "Vec<(String, Option<Option<i64>>)>");
        assert_eq!(ty("Box<dyn Iterator<Item = Chat>>"), "Box<dyn Iterator<Item = Chat>>");
    }

    #[test]
    fn names_in_a_type_are_those_that_may_be_the_modules() {
        let names = |source: &str| {
            let mut names = BTreeSet::new();
            type_names(&syn::parse_str::<syn::Type>(source).expect("a type"), &mut names);
            names.into_iter().collect::<Vec<_>>()
        };
        assert_eq!(names("crate::runtime::Call<'_, Chat, super::ODataError>"), ["Chat", "ODataError"]);
        assert_eq!(names("impl Into<Topic>"), ["Topic"]);
        assert_eq!(names("serde_json::Value"), Vec::<String>::new());
        assert_eq!(names("Option<&[Vec<Tag>]>"), ["Option", "Tag", "Vec"]);
    }

    #[test]
    fn module_files_are_those_under_src_and_types_src_but_the_runtime() {
        assert_eq!(module_of(Path::new("src/graph_v1/types.rs")), Some("graph_v1"));
        assert_eq!(module_of(Path::new("src/runtime/client.rs")), None);
        assert_eq!(module_of(Path::new("src/lib.rs")), None);
        assert_eq!(module_of(Path::new("Cargo.toml")), None);
        assert_eq!(module_of(Path::new("tests/operations.rs")), None);
        assert_eq!(module_of(Path::new("src/graph_v1/notes.md")), None);
        assert_eq!(module_of(Path::new("types/src/graph_v1/types.rs")), Some("graph_v1"));
        assert_eq!(module_of(Path::new("types/src/runtime/client.rs")), None);
        assert_eq!(module_of(Path::new("types/src/lib.rs")), None);
    }

    #[test]
    fn client_methods_keep_their_signature() {
        let module = module(CLIENT_SOURCE);
        let client = &module.items[CLIENT];
        assert_eq!(client.methods.keys().collect::<Vec<_>>(), ["get_pet", "new", "with_hook"]);
        assert_eq!(client.traits, BTreeSet::from(["Default".to_owned()]));
        let Shape::Struct(fields) = &client.shape else { panic!("Client is a struct") };
        assert!(fields.is_empty(), "private fields are not API");
        let get_pet = &client.methods["get_pet"];
        assert_eq!(get_pet.receiver.as_deref(), Some("&self"));
        let parameters: Vec<(&str, &str)> =
            get_pet.parameters.iter().map(|(name, ty)| (name.as_str(), ty.text.as_str())).collect();
        assert_eq!(parameters, [("pet_id", "i64"), ("params", "Option<&GetPetParams>")]);
        assert_eq!(get_pet.output.text, "crate::runtime::Call<'_, Pet, Problem>");
        assert!(get_pet.deprecated);
        assert_eq!(client.methods["with_hook"].receiver.as_deref(), Some("self"));
        assert_eq!(client.methods["new"].receiver, None);
    }

    #[test]
    fn structs_enums_and_aliases_keep_their_members_and_traits() {
        let module = module(
            "
            #[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
            pub struct Pet {
                pub name: String,
                #[deprecated]
                pub tag: Option<String>,
                secret: u8,
            }
            impl<'de> serde::Deserialize<'de> for Pet {}
            impl Pet { pub fn new() -> Self { todo!() } }
            pub struct Id(pub String);
            #[derive(Debug)]
            pub enum Shape { Circle(Circle), Square { side: f64 }, Dot, Other(serde_json::Value) }
            impl From<String> for Shape {}
            pub type Tags = Vec<String>;
            struct Hidden;
            pub(crate) struct Internal;
            ",
        );
        assert_eq!(module.items.keys().collect::<Vec<_>>(), ["Id", "Pet", "Shape", "Tags"]);
        let pet = &module.items["Pet"];
        let traits: Vec<&str> = pet.traits.iter().map(String::as_str).collect();
        assert_eq!(
            traits,
            ["Clone", "Debug", "Default", "PartialEq", "serde::Deserialize", "serde::Serialize"]
        );
        assert!(pet.methods.is_empty(), "only Client's methods are kept");
        let Shape::Struct(fields) = &pet.shape else { panic!("Pet is a struct") };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["name", "tag"]);
        assert_eq!(fields["tag"].ty.optional_inner(), Some("String"));
        assert!(fields["tag"].deprecated && !fields["name"].deprecated);
        let Shape::Struct(fields) = &module.items["Id"].shape else { panic!("Id is a struct") };
        assert_eq!(fields["0"].ty.text, "String");
        let Shape::Enum(variants) = &module.items["Shape"].shape else { panic!("Shape is an enum") };
        let payloads: Vec<(&str, &str)> =
            variants.iter().map(|(name, member)| (name.as_str(), member.ty.text.as_str())).collect();
        assert_eq!(
            payloads,
            [
                ("Circle", "(Circle)"),
                ("Dot", ""),
                ("Other", "(serde_json::Value)"),
                ("Square", "{ side: f64 }")
            ]
        );
        assert!(module.items["Shape"].traits.contains("From<String>"));
        assert_eq!(module.items["Tags"].shape, Shape::Alias(Ty::of(&syn::parse_quote!(Vec<String>))));
    }

    #[test]
    fn a_file_that_does_not_parse_is_named() {
        let error =
            PublicApi::of_sources([(Path::new("src/pets/types.rs"), "pub struct {")]).expect_err("not Rust");
        assert!(error.starts_with("src/pets/types.rs: does not parse as Rust: "), "{error}");
        // Files outside the modules are not read at all.
        assert!(PublicApi::of_sources([(Path::new("src/lib.rs"), "pub struct {")]).is_ok());
    }

    #[test]
    fn roles_follow_types_from_parameters_and_return_types() {
        let module = module(
            "
            pub struct Client {}
            impl Client {
                pub fn put(&self, body: &Pet) -> crate::runtime::Call<'_, Receipt> { todo!() }
            }
            pub struct Pet { pub kind: Kind, pub tags: Tags }
            pub type Tags = Vec<Tag>;
            pub struct Tag { pub name: String }
            pub enum Kind { Cat }
            pub struct Receipt { pub pet: Option<Box<Pet>> }
            pub struct Unused {}
            ",
        );
        let roles = Roles::of(&module);
        assert_eq!(roles.sent.iter().collect::<Vec<_>>(), ["Kind", "Pet", "Tag", "Tags"]);
        assert_eq!(roles.received.iter().collect::<Vec<_>>(), ["Kind", "Pet", "Receipt", "Tag", "Tags"]);
    }

    #[test]
    fn required_fields_break_the_types_users_build() {
        let old = "
            pub struct Client {}
            impl Client { pub fn put(&self, body: &Sent) -> Received { todo!() } }
            pub struct Sent { pub a: Option<i64> }
            pub struct Received { pub a: Option<i64> }
            pub struct Neither { pub a: Option<i64> }
        ";
        let new =
            old.replace("pub a: Option<i64> }", "pub a: Option<i64>, pub b: String, pub c: Option<u8> }");
        assert_eq!(
            changes(old, &new),
            [
                "breaking   pets: Neither::b: required field added: String",
                "compatible pets: Neither::c: field added: Option<u8>",
                "compatible pets: Received::b: required field added: String (only received)",
                "compatible pets: Received::c: field added: Option<u8>",
                "breaking   pets: Sent::b: required field added: String",
                "compatible pets: Sent::c: field added: Option<u8>",
            ]
        );
    }

    #[test]
    fn new_variants_break_the_enums_users_match() {
        let old = "
            pub struct Client {}
            impl Client { pub fn put(&self, body: Sent) -> Received { todo!() } }
            #[derive(Default)]
            pub enum Sent { A, Other(String) }
            #[derive(Default)]
            pub enum Received { A, Other(String) }
        ";
        let new = old.replace("A, Other", "A, B, Other").replace("#[derive(Default)]", "");
        assert_eq!(
            changes(old, &new),
            [
                "compatible pets: Received: no longer implements Default (only received)",
                "breaking   pets: Received::B: variant added (received: an exhaustive `match` needs an arm for it)",
                "breaking   pets: Sent: no longer implements Default",
                "compatible pets: Sent::B: variant added",
            ]
        );
    }

    #[test]
    fn parameters_are_passed_by_position() {
        let old = "
            pub struct Client {}
            impl Client {
                pub fn renamed(&self, a: i64, b: &str) {}
                pub fn reordered(&self, a: i64, b: &str) {}
                pub fn retyped(&self, a: i64) -> Call<Pet> {}
                pub fn receiver(&self) {}
            }
        ";
        let new = "
            pub struct Client {}
            impl Client {
                pub fn renamed(&self, id: i64, b: &str) {}
                pub fn reordered(&self, b: &str, a: i64) {}
                pub fn retyped(&self, a: &str, c: Option<&Params>) -> Call<PetV2> {}
                pub fn receiver(self) {}
            }
        ";
        assert_eq!(
            changes(old, new),
            [
                "breaking   pets: Client::receiver: receiver: &self → self",
                "compatible pets: Client::renamed: parameter a renamed to id",
                "breaking   pets: Client::reordered: parameters reordered: (a, b) → (b, a)",
                "breaking   pets: Client::retyped: parameter a: i64 → &str",
                "breaking   pets: Client::retyped: parameter c added: Option<&Params>",
                "breaking   pets: Client::retyped: returns Call<Pet> → Call<PetV2>",
            ]
        );
    }

    #[test]
    fn modules_items_and_kinds() {
        let old = PublicApi::of_sources([
            (Path::new("src/a/types.rs"), "pub struct Gone; pub struct Kept; pub type Alias = Vec<i64>;"),
            (Path::new("src/b/types.rs"), "pub struct B;"),
        ])
        .expect("parses");
        let new = PublicApi::of_sources([
            (
                Path::new("src/a/types.rs"),
                "pub enum Kept {} #[deprecated] pub type Alias = Vec<String>; pub struct New;",
            ),
            (Path::new("src/c/mod.rs"), "pub struct C;"),
        ])
        .expect("parses");
        let report = compare(&old, &new);
        assert_eq!(
            report.to_string(),
            "compatible a: Alias: now deprecated\n\
             breaking   a: Alias: type: Vec<i64> → Vec<String>\n\
             breaking   a: Gone: struct removed\n\
             breaking   a: Kept: changed from struct to enum\n\
             compatible a: New: struct added\n\
             breaking   b: module removed\n\
             compatible c: module added\n\
             4 breaking, 3 compatible changes to the public API"
        );
        assert_eq!(compare(&new, &new).to_string(), "no change to the public API");
    }
}
