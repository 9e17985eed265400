//! `syn` nodes built directly, for the items every spec repeats thousands of times.
//!
//! Writing them with `quote!` and parsing the tokens back with `syn` cost about a third of
//! generation time; building the nodes costs a fraction of that. These constructors keep the
//! emitters close to the code they produce: `method_call(var("request"), "query", args)` is
//! `request.query(args)`. Items emitted once per spec still use `quote!`.

use crate::names;
use proc_macro2::{Ident, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::token;
use syn::{
    AngleBracketedGenericArguments, Arm, Attribute, Block, Expr, ExprLit, Field, FieldValue, FnArg,
    GenericArgument, Generics, ImplItem, ImplItemFn, Item, ItemImpl, Lit, LitStr, Local, LocalInit, Member,
    Meta, MetaList, MetaNameValue, Pat, PatIdent, PatType, Path, PathArguments, PathSegment, ReturnType,
    Signature, Stmt, Type, TypePath, TypeReference, Visibility,
};

/// A node that never changes, parsed once per thread and cloned after (`syn` nodes cannot be
/// shared across threads). The tokens are ours, not the spec's: every test run parses them.
macro_rules! fixed {
    ($ty:ty: $($tokens:tt)*) => {{
        thread_local!(static FIXED: $ty = syn::parse_quote!($($tokens)*));
        FIXED.with(Clone::clone)
    }};
}
pub(crate) use fixed;

/// The identifier for a name the model chose, or for a fixed one of ours (`crate`, `Self`):
/// raw (`r#type`) when it is a keyword, by the same rule as every other identifier
/// ([`names::source_text`]).
pub fn name(text: &str) -> Ident {
    if names::is_keyword(text) {
        Ident::new_raw(text, Span::call_site())
    } else {
        Ident::new(text, Span::call_site())
    }
}

/// `a::b::C` from its text; segments are plain identifiers.
pub fn path(text: &str) -> Path {
    Path {
        leading_colon: None,
        segments: text.split("::").map(|segment| PathSegment::from(name(segment))).collect(),
    }
}

/// `Self::variant`, for a variant of the enum being implemented.
pub fn self_path(variant: Ident) -> Path {
    let mut path = path("Self");
    path.segments.push(PathSegment::from(variant));
    path
}

/// A path from one identifier, such as a generated type's name.
pub fn ident_path(ident: Ident) -> Path {
    Path::from(PathSegment::from(ident))
}

/// `path<args>`: the arguments go on the last segment.
pub fn path_with(mut path: Path, args: impl IntoIterator<Item = GenericArgument>) -> Path {
    if let Some(last) = path.segments.last_mut() {
        last.arguments = PathArguments::AngleBracketed(AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: token::Lt::default(),
            args: args.into_iter().collect(),
            gt_token: token::Gt::default(),
        });
    }
    path
}

pub fn path_type(path: Path) -> Type {
    Type::Path(TypePath { qself: None, path })
}

/// The type named by `text`, such as `String` or `crate::runtime::Config`.
pub fn named_type(text: &str) -> Type {
    path_type(path(text))
}

/// The type named by one identifier, such as a generated type's.
pub fn ident_type(ident: Ident) -> Type {
    path_type(ident_path(ident))
}

/// `path<types>`, such as `Option<T>` or `std::collections::BTreeMap<String, T>`.
pub fn generic_type(text: &str, types: impl IntoIterator<Item = Type>) -> Type {
    path_type(path_with(path(text), types.into_iter().map(GenericArgument::Type)))
}

pub fn lifetime(text: &str) -> GenericArgument {
    GenericArgument::Lifetime(syn::Lifetime::new(text, Span::call_site()))
}

/// `&ty`.
pub fn reference(ty: Type) -> Type {
    Type::Reference(TypeReference {
        and_token: token::And::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(ty),
    })
}

/// `&[ty]`.
pub fn slice_reference(ty: Type) -> Type {
    reference(Type::Slice(syn::TypeSlice { bracket_token: token::Bracket::default(), elem: Box::new(ty) }))
}

/// `impl path`, such as `impl Into<String>`.
pub fn impl_trait(path: Path) -> Type {
    let bound =
        syn::TraitBound { paren_token: None, modifier: syn::TraitBoundModifier::None, lifetimes: None, path };
    Type::ImplTrait(syn::TypeImplTrait {
        impl_token: token::Impl::default(),
        bounds: Punctuated::from_iter([syn::TypeParamBound::Trait(bound)]),
    })
}

/// `()`.
pub fn unit_type() -> Type {
    Type::Tuple(syn::TypeTuple { paren_token: token::Paren::default(), elems: Punctuated::new() })
}

/// `#[doc = "line"]` for each line.
pub fn doc_attributes<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Vec<Attribute> {
    lines
        .into_iter()
        .map(|line| {
            outer_attribute(Meta::NameValue(MetaNameValue {
                path: path("doc"),
                eq_token: token::Eq::default(),
                value: string(line.as_ref()),
            }))
        })
        .collect()
}

/// `#![doc = "line"]` for each line: a module's own documentation.
pub fn inner_doc_attributes<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Vec<Attribute> {
    doc_attributes(lines)
        .into_iter()
        .map(|attr| Attribute { style: syn::AttrStyle::Inner(token::Not::default()), ..attr })
        .collect()
}

/// `#[deprecated(note = "…")]`: users of the item get a compiler warning, not only a doc line.
pub fn deprecated_attribute(note: &str) -> Attribute {
    let note = LitStr::new(note, Span::call_site());
    list_attribute("deprecated", quote::quote!(note = #note))
}

/// `#[name(tokens)]`, such as `#[derive(Debug)]` or `#[serde(rename = "x")]`.
pub fn list_attribute(name: &str, tokens: TokenStream) -> Attribute {
    outer_attribute(Meta::List(MetaList {
        path: path(name),
        delimiter: syn::MacroDelimiter::Paren(token::Paren::default()),
        tokens,
    }))
}

fn outer_attribute(meta: Meta) -> Attribute {
    Attribute {
        pound_token: token::Pound::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: token::Bracket::default(),
        meta,
    }
}

/// `pub name: ty` with `attrs` above it.
pub fn public_field(attrs: Vec<Attribute>, name: Ident, ty: Type) -> Field {
    Field { vis: public(), ..private_field(attrs, name, ty) }
}

/// `name: ty` with `attrs` above it: a private field, or a field of an enum variant.
pub fn private_field(attrs: Vec<Attribute>, name: Ident, ty: Type) -> Field {
    Field {
        attrs,
        vis: Visibility::Inherited,
        mutability: syn::FieldMutability::None,
        ident: Some(name),
        colon_token: Some(token::Colon::default()),
        ty,
    }
}

pub fn public() -> Visibility {
    Visibility::Public(token::Pub::default())
}

/// `pub struct name { fields }`.
pub fn public_struct(attrs: Vec<Attribute>, name: Ident, fields: Vec<Field>) -> Item {
    Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: token::Struct::default(),
        ident: name,
        generics: Generics::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: token::Brace::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// One variant of an enum: `Name`, or `Name(ty)`.
pub fn variant(attrs: Vec<Attribute>, name: Ident, ty: Option<Type>) -> syn::Variant {
    let fields = match ty {
        None => syn::Fields::Unit,
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: token::Paren::default(),
            unnamed: Punctuated::from_iter([Field {
                attrs: Vec::new(),
                vis: Visibility::Inherited,
                mutability: syn::FieldMutability::None,
                ident: None,
                colon_token: None,
                ty,
            }]),
        }),
    };
    syn::Variant { attrs, ident: name, fields, discriminant: None }
}

/// A variant with named fields: `Name { fields }`.
pub fn struct_variant(attrs: Vec<Attribute>, name: Ident, fields: Vec<Field>) -> syn::Variant {
    let fields =
        syn::FieldsNamed { brace_token: token::Brace::default(), named: fields.into_iter().collect() };
    syn::Variant { attrs, ident: name, fields: syn::Fields::Named(fields), discriminant: None }
}

/// `pub enum name { variants }`.
pub fn public_enum(attrs: Vec<Attribute>, name: Ident, variants: Vec<syn::Variant>) -> Item {
    Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: token::Enum::default(),
        ident: name,
        generics: Generics::default(),
        brace_token: token::Brace::default(),
        variants: variants.into_iter().collect(),
    })
}

/// `mod name;`
pub fn module(name: &str) -> Item {
    Item::Mod(syn::ItemMod {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        unsafety: None,
        mod_token: token::Mod::default(),
        ident: self::name(name),
        content: None,
        semi: Some(token::Semi::default()),
    })
}

/// `[pub] use path::*;`, for a path such as `super` or `graph_types::graph_v1`.
pub fn glob_use(attrs: Vec<Attribute>, vis: Visibility, path: &str) -> Item {
    let glob = syn::UseTree::Glob(syn::UseGlob { star_token: token::Star::default() });
    let tree = path.rsplit("::").fold(glob, |tree, segment| {
        syn::UseTree::Path(syn::UsePath {
            ident: self::name(segment),
            colon2_token: token::PathSep::default(),
            tree: Box::new(tree),
        })
    });
    Item::Use(syn::ItemUse {
        attrs,
        vis,
        use_token: token::Use::default(),
        leading_colon: None,
        tree,
        semi_token: token::Semi::default(),
    })
}

/// `impl [trait_ for] self_ty { items }`, with `generics` on the `impl`.
pub fn impl_block(generics: Generics, trait_: Option<Path>, self_ty: Type, items: Vec<ImplItem>) -> Item {
    Item::Impl(ItemImpl {
        attrs: Vec::new(),
        defaultness: None,
        unsafety: None,
        impl_token: token::Impl::default(),
        generics,
        trait_: trait_.map(|path| (None, path, token::For::default())),
        self_ty: Box::new(self_ty),
        brace_token: token::Brace::default(),
        items,
    })
}

/// A function of an impl block: `signature { statements }`, public or not.
pub fn function(attrs: Vec<Attribute>, public_: bool, sig: Signature, stmts: Vec<Stmt>) -> ImplItem {
    ImplItem::Fn(ImplItemFn {
        attrs,
        vis: if public_ { public() } else { Visibility::Inherited },
        defaultness: None,
        sig,
        block: Block { brace_token: token::Brace::default(), stmts },
    })
}

/// How a function takes `self`.
#[derive(Clone, Copy)]
pub enum SelfArg {
    /// An associated function: no `self`.
    None,
    /// `&self`.
    Borrowed,
    /// `mut self`, for builder methods.
    Owned,
    /// `self`, for `Copy` types.
    Value,
}

/// `fn name(self_arg, arguments) -> output`.
pub fn signature(name: Ident, self_arg: SelfArg, arguments: Vec<(Ident, Type)>, output: Type) -> Signature {
    let receiver = match self_arg {
        SelfArg::None => None,
        SelfArg::Borrowed => Some(syn::Receiver {
            attrs: Vec::new(),
            reference: Some((token::And::default(), None)),
            mutability: None,
            self_token: token::SelfValue::default(),
            colon_token: None,
            ty: Box::new(reference(named_type("Self"))),
        }),
        SelfArg::Owned | SelfArg::Value => Some(syn::Receiver {
            attrs: Vec::new(),
            reference: None,
            mutability: matches!(self_arg, SelfArg::Owned).then(token::Mut::default),
            self_token: token::SelfValue::default(),
            colon_token: None,
            ty: Box::new(named_type("Self")),
        }),
    };
    let arguments = arguments.into_iter().map(|(name, ty)| {
        FnArg::Typed(PatType {
            attrs: Vec::new(),
            pat: Box::new(binding(name, false)),
            colon_token: token::Colon::default(),
            ty: Box::new(ty),
        })
    });
    Signature {
        constness: None,
        asyncness: None,
        unsafety: None,
        abi: None,
        fn_token: token::Fn::default(),
        ident: name,
        generics: Generics::default(),
        paren_token: token::Paren::default(),
        inputs: receiver.map(FnArg::Receiver).into_iter().chain(arguments).collect(),
        variadic: None,
        output: ReturnType::Type(token::RArrow::default(), Box::new(output)),
    }
}

/// The pattern `name` or `mut name`.
pub fn binding(name: Ident, mutable: bool) -> Pat {
    Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: mutable.then(token::Mut::default),
        ident: name,
        subpat: None,
    })
}

/// `let pattern = init;`.
pub fn let_statement(pattern: Pat, init: Expr) -> Stmt {
    Stmt::Local(Local {
        attrs: Vec::new(),
        let_token: token::Let::default(),
        pat: pattern,
        init: Some(LocalInit { eq_token: token::Eq::default(), expr: Box::new(init), diverge: None }),
        semi_token: token::Semi::default(),
    })
}

/// `expr;`.
pub fn statement(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(token::Semi::default()))
}

/// A block's final expression, its value.
pub fn tail(expr: Expr) -> Stmt {
    Stmt::Expr(expr, None)
}

/// A local variable or other path as an expression.
pub fn var(text: &str) -> Expr {
    path_expr(path(text))
}

pub fn path_expr(path: Path) -> Expr {
    Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path })
}

/// The string literal `"text"`.
pub fn string(text: &str) -> Expr {
    Expr::Lit(string_literal(text))
}

fn string_literal(text: &str) -> ExprLit {
    ExprLit { attrs: Vec::new(), lit: Lit::Str(LitStr::new(text, Span::call_site())) }
}

/// `receiver.method(args)`.
pub fn method_call(receiver: Expr, method: &str, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: token::Dot::default(),
        method: name(method),
        turbofish: None,
        paren_token: token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// `function(args)`.
pub fn call(function: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(function),
        paren_token: token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// `base.member`.
pub fn field(base: Expr, member: Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: token::Dot::default(),
        member: Member::Named(member),
    })
}

/// `&expr`.
pub fn borrow(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: token::And::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `&mut expr`.
pub fn mut_borrow(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: token::And::default(),
        mutability: Some(token::Mut::default()),
        expr: Box::new(expr),
    })
}

/// `left = right`.
pub fn assign(left: Expr, right: Expr) -> Expr {
    Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(left),
        eq_token: token::Eq::default(),
        right: Box::new(right),
    })
}

/// `name!(tokens)`.
pub fn macro_call(name: &str, tokens: TokenStream) -> Expr {
    Expr::Macro(syn::ExprMacro {
        attrs: Vec::new(),
        mac: syn::Macro {
            path: path(name),
            bang_token: token::Not::default(),
            delimiter: syn::MacroDelimiter::Paren(token::Paren::default()),
            tokens,
        },
    })
}

/// `[elements]`.
pub fn array(elements: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: token::Bracket::default(),
        elems: elements.into_iter().collect(),
    })
}

/// `path { name: value, … }`.
pub fn struct_literal(path: Path, fields: impl IntoIterator<Item = (Ident, Expr)>) -> Expr {
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: token::Brace::default(),
        fields: fields
            .into_iter()
            .map(|(member, expr)| FieldValue {
                attrs: Vec::new(),
                member: Member::Named(member),
                colon_token: Some(token::Colon::default()),
                expr,
            })
            .collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `|parameter| body`.
pub fn closure(parameter: Ident, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        constness: None,
        movability: None,
        asyncness: None,
        capture: None,
        or1_token: token::Or::default(),
        inputs: Punctuated::from_iter([binding(parameter, false)]),
        or2_token: token::Or::default(),
        output: ReturnType::Default,
        body: Box::new(body),
    })
}

/// `match scrutinee { pattern => body, … }`.
pub fn match_expr(scrutinee: Expr, arms: impl IntoIterator<Item = (Pat, Expr)>) -> Expr {
    Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: token::Match::default(),
        expr: Box::new(scrutinee),
        brace_token: token::Brace::default(),
        arms: arms
            .into_iter()
            .map(|(pat, body)| Arm {
                attrs: Vec::new(),
                pat,
                guard: None,
                fat_arrow_token: token::FatArrow::default(),
                body: Box::new(body),
                comma: Some(token::Comma::default()),
            })
            .collect(),
    })
}

/// `if let pattern = value { then }`.
pub fn if_let(pattern: Pat, value: Expr, then: Vec<Stmt>) -> Expr {
    Expr::If(syn::ExprIf {
        attrs: Vec::new(),
        if_token: token::If::default(),
        cond: Box::new(Expr::Let(syn::ExprLet {
            attrs: Vec::new(),
            let_token: token::Let::default(),
            pat: Box::new(pattern),
            eq_token: token::Eq::default(),
            expr: Box::new(value),
        })),
        then_branch: Block { brace_token: token::Brace::default(), stmts: then },
        else_branch: None,
    })
}

/// The pattern `path { field: binding, … }`.
pub fn struct_pattern(path: Path, fields: impl IntoIterator<Item = (Ident, Ident)>) -> Pat {
    Pat::Struct(syn::PatStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: token::Brace::default(),
        fields: fields
            .into_iter()
            .map(|(member, name)| syn::FieldPat {
                attrs: Vec::new(),
                member: Member::Named(member),
                colon_token: Some(token::Colon::default()),
                pat: Box::new(binding(name, false)),
            })
            .collect(),
        rest: None,
    })
}

/// The pattern `path(binding)`, such as `Some(body)`.
pub fn tuple_pattern(path: Path, binding_name: Ident) -> Pat {
    Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        paren_token: token::Paren::default(),
        elems: Punctuated::from_iter([binding(binding_name, false)]),
    })
}

/// The pattern `path`, such as `Self::Variant`.
pub fn path_pattern(path: Path) -> Pat {
    Pat::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path })
}

/// The pattern `"text"`.
pub fn string_pattern(text: &str) -> Pat {
    Pat::Lit(string_literal(text))
}

/// The pattern `a | b | …`, or the single alternative.
pub fn or_pattern(mut alternatives: Vec<Pat>) -> Pat {
    if alternatives.len() == 1 {
        return alternatives.remove(0);
    }
    Pat::Or(syn::PatOr { attrs: Vec::new(), leading_vert: None, cases: alternatives.into_iter().collect() })
}

/// The pattern `()`.
pub fn unit_pattern() -> Pat {
    Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: token::Paren::default(),
        elems: Punctuated::new(),
    })
}

/// The pattern `_`.
pub fn wildcard() -> Pat {
    Pat::Wild(syn::PatWild { attrs: Vec::new(), underscore_token: token::Underscore::default() })
}

/// An unsuffixed integer literal.
pub fn integer(value: u16) -> Expr {
    Expr::Lit(integer_literal(value))
}

fn integer_literal(value: u16) -> ExprLit {
    ExprLit {
        attrs: Vec::new(),
        lit: Lit::Int(syn::LitInt::from(proc_macro2::Literal::u16_unsuffixed(value))),
    }
}

/// The pattern `value`.
pub fn integer_pattern(value: u16) -> Pat {
    Pat::Lit(integer_literal(value))
}

/// The pattern `low..=high`.
pub fn range_pattern(low: u16, high: u16) -> Pat {
    Pat::Range(syn::PatRange {
        attrs: Vec::new(),
        start: Some(Box::new(integer(low))),
        limits: syn::RangeLimits::Closed(token::DotDotEq::default()),
        end: Some(Box::new(integer(high))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// prettyplease's text for `items`.
    fn printed(items: Vec<Item>) -> String {
        prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items })
    }

    fn parsed(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("valid Rust"))
    }

    #[test]
    fn built_items_print_as_their_source_does() {
        let field_type = generic_type("Option", [generic_type("Vec", [path_type(path("crate::a::B"))])]);
        let item = public_struct(
            doc_attributes([" A thing."]),
            name("Thing"),
            vec![public_field(vec![list_attribute("serde", quote!(rename = "x"))], name("x"), field_type)],
        );
        let body = vec![
            let_statement(
                binding(name("request"), true),
                method_call(field(var("self"), name("runtime")), "get", [string("/p")]),
            ),
            statement(method_call(
                var("request"),
                "query",
                [string("q"), borrow(field(var("params"), name("q")))],
            )),
            statement(if_let(
                tuple_pattern(path("Some"), name("body")),
                var("body"),
                vec![statement(method_call(var("request"), "json", [var("body")]))],
            )),
            tail(method_call(
                var("request"),
                "call",
                [closure(
                    name("response"),
                    match_expr(
                        var("status"),
                        [
                            (or_pattern(vec![integer_pattern(200), range_pattern(400, 599)]), var("a")),
                            (wildcard(), struct_literal(path("Self"), [(name("x"), array([string("y")]))])),
                        ],
                    ),
                )],
            )),
        ];
        let output = path_type(path_with(
            path("crate::runtime::Call"),
            [
                lifetime("'_"),
                GenericArgument::Type(unit_type()),
                GenericArgument::Type(slice_reference(path_type(path("str")))),
            ],
        ));
        let method = function(
            Vec::new(),
            true,
            signature(
                name("send"),
                SelfArg::Borrowed,
                vec![(name("body"), reference(path_type(path("str"))))],
                output,
            ),
            body,
        );
        let block = impl_block(Generics::default(), None, path_type(path("Client")), vec![method]);
        let expected = parsed(quote! {
            #[doc = " A thing."]
            pub struct Thing {
                #[serde(rename = "x")]
                pub x: Option<Vec<crate::a::B>>,
            }
            impl Client {
                pub fn send(&self, body: &str) -> crate::runtime::Call<'_, (), &[str]> {
                    let mut request = self.runtime.get("/p");
                    request.query("q", &params.q);
                    if let Some(body) = body { request.json(body); }
                    request.call(|response| match status {
                        200 | 400..=599 => a,
                        _ => Self { x: ["y"] },
                    })
                }
            }
        });
        assert_eq!(printed(vec![item, block]), expected);
    }
}
