//! Turning arbitrary spec strings into Rust identifiers that are valid, readable and unique.
//!
//! Spec names are free text (`@odata.type`, `2XX`, `foo-bar`, `type`), so every identifier the
//! generator emits passes through here. Uniqueness is per scope and decided in the order names are
//! requested, which the model keeps equal to document order: that is what makes output stable.

use heck::{ToSnakeCase, ToUpperCamelCase};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// Words that cannot be identifiers even as raw identifiers (`r#self` is rejected by rustc).
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Strict and reserved keywords of Rust 2024, written as `r#kw` when used as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps only characters that may appear in an identifier, turning the rest into word breaks.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// Names already converted on this thread. Real specs repeat the same property and parameter
/// names thousands of times, and heck's conversion costs about fifty times a lookup. Entries
/// are dropped past `MEMO_LIMIT`, so a long-lived process does not grow without bound.
struct Memo {
    type_names: FxHashMap<Box<str>, String>,
    value_names: FxHashMap<Box<str>, String>,
}

const MEMO_LIMIT: usize = 1 << 16;

thread_local! {
    static MEMO: RefCell<Memo> =
        RefCell::new(Memo { type_names: FxHashMap::default(), value_names: FxHashMap::default() });
}

fn memoized(
    raw: &str,
    table: fn(&mut Memo) -> &mut FxHashMap<Box<str>, String>,
    convert: fn(&str) -> String,
) -> String {
    MEMO.with_borrow_mut(|memo| {
        let table = table(memo);
        if let Some(name) = table.get(raw) {
            return name.clone();
        }
        if table.len() >= MEMO_LIMIT {
            table.clear();
        }
        let name = convert(raw);
        table.insert(raw.into(), name.clone());
        name
    })
}

/// `UpperCamelCase` name for a type or variant; never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    memoized(raw, |memo| &mut memo.type_names, convert_type_name)
}

fn convert_type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    // Non-ASCII letters are valid in identifiers, but keep output ASCII so it reads everywhere.
    name.retain(|c| c.is_ascii_alphanumeric());
    if name.is_empty() {
        name.push_str("Value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `snake_case` name for a field, function or module; never empty, never starting with a digit.
pub fn value_name(raw: &str) -> String {
    memoized(raw, |memo| &mut memo.value_names, convert_value_name)
}

fn convert_value_name(raw: &str) -> String {
    let snake = words(raw).to_snake_case();
    // Dropping a non-ASCII word leaves its separators behind (`put_é_binary` → `put__binary`),
    // which rustc's `non_snake_case` lint refuses.
    let mut name = String::with_capacity(snake.len());
    for part in snake.split('_').map(|part| part.replace(|c: char| !c.is_ascii_alphanumeric(), "")) {
        if !part.is_empty() {
            if !name.is_empty() {
                name.push('_');
            }
            name.push_str(&part);
        }
    }
    if name.is_empty() {
        name.push_str("value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Whether `name` must be written as a raw identifier (`r#type`).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// How an identifier the model chose is written in Rust source: raw (`r#match`) when it is a
/// keyword. Every identifier the generator writes, as syntax or as text, goes through here.
pub fn source_text(name: &str) -> std::borrow::Cow<'_, str> {
    if is_keyword(name) { format!("r#{name}").into() } else { name.into() }
}

/// Names Cargo refuses for a package (keywords and the standard library's crates).
const RESERVED_PACKAGE_NAMES: &[&str] = &["alloc", "core", "proc_macro", "proc-macro", "std", "test"];

/// A Cargo package name from free text (a spec's file name): kebab case, never a keyword, never
/// starting with a digit, never one of the names Cargo reserves (`match` becomes `match-api`).
pub fn package_name(raw: &str) -> String {
    let name = value_name(raw);
    let name = name.trim_end_matches('_');
    if is_keyword(name) || NON_RAW_KEYWORDS.contains(&name) || RESERVED_PACKAGE_NAMES.contains(&name) {
        format!("{name}-api")
    } else {
        name.replace('_', "-")
    }
}

/// What is wrong with `name`, given by the user, as a generated package's name, each message
/// suggesting the name [`package_name`] makes of it: `Err` for a name Cargo refuses (empty, a
/// keyword or a name it reserves, a leading digit, other characters than ASCII letters, digits,
/// `-` and `_`); `Ok(Some(warning))` for one Cargo takes but whose library name (`-` read as
/// `_`) is not snake case (`My-Api`, `a--b`), so that every build of the crate warns.
pub fn check_package_name(name: &str) -> Result<Option<String>, String> {
    let suggested = package_name(name);
    let library = name.replace('-', "_");
    let refused = !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || is_keyword(&library)
        || NON_RAW_KEYWORDS.contains(&library.as_str())
        || RESERVED_PACKAGE_NAMES.contains(&name);
    if refused {
        return Err(format!("`{name}` cannot name a package (for instance `{suggested}` can)"));
    }
    Ok((suggested != name.replace('_', "-")).then(|| {
        format!(
            "`{name}` makes the library name `{library}`, which is not snake case, so every build \
             of the crate warns; `{suggested}` would not"
        )
    }))
}

/// A set of identifiers that must not collide, such as the fields of one struct.
///
/// The first claimant keeps the plain name; later ones get `_2`, `_3`… (or `2`, `3`… for type
/// names), so two spec names that differ only in case or punctuation both survive.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self { taken: reserved.iter().map(|name| (*name).to_owned()).collect() }
    }

    /// Claims `name`, or the first free numbered variant of it.
    ///
    /// `name` may be composed of converted names (`{struct}{property}`, `with_{scheme}`,
    /// `{operation}_pages`): the underscore that escapes a keyword part (`Self_`, `self_`) is
    /// dropped inside it, since only a whole identifier can be a keyword. `ASelf_V2fa` becomes
    /// `ASelfV2fa` and `self__pages` `self_pages`, names rustc's case lints accept.
    pub fn claim(&mut self, name: String) -> String {
        let type_name = name.starts_with(|c: char| c.is_ascii_uppercase());
        let name = without_inner_escapes(&name, type_name);
        if self.taken.insert(name.clone()) {
            return name;
        }
        // After a number no keyword escape is needed either: `self_2`, `Self2`.
        let base = name.trim_end_matches('_');
        let separator = if type_name { "" } else { "_" };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

/// `name` with its underscores where its case wants them: none in a type name, single ones
/// between the words of a value name; and a keyword escape only when the whole is a keyword.
fn without_inner_escapes(name: &str, type_name: bool) -> String {
    let separator = if type_name { "" } else { "_" };
    let mut tidy = name.split('_').filter(|part| !part.is_empty()).collect::<Vec<_>>().join(separator);
    if tidy.is_empty() {
        return name.to_owned();
    }
    if NON_RAW_KEYWORDS.contains(&tidy.as_str()) {
        tidy.push('_');
    }
    tidy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_valid_identifiers() {
        assert_eq!(type_name("microsoft.graph.chat"), "MicrosoftGraphChat");
        assert_eq!(type_name("2XX"), "V2xx");
        assert_eq!(type_name("@odata.type"), "OdataType");
        assert_eq!(type_name("---"), "Value");
        assert_eq!(type_name("self"), "Self_");
    }

    #[test]
    fn value_names_are_valid_identifiers() {
        assert_eq!(value_name("chat-id"), "chat_id");
        assert_eq!(value_name("@odata.context"), "odata_context");
        assert_eq!(value_name("updateMask.paths"), "update_mask_paths");
        assert_eq!(value_name("3d"), "n3d");
        assert_eq!(value_name("self"), "self_");
        assert!(is_keyword(&value_name("type")));
    }

    #[test]
    fn keywords_are_written_raw() {
        assert_eq!(source_text("match"), "r#match");
        assert_eq!(source_text("matches"), "matches");
        assert_eq!(source_text("self_"), "self_");
    }

    #[test]
    fn package_names_are_accepted_by_cargo() {
        assert_eq!(package_name("MATCH"), "match-api");
        assert_eq!(package_name("self"), "self-api");
        assert_eq!(package_name("test"), "test-api");
        assert_eq!(package_name("3d-secure"), "n3d-secure");
        assert_eq!(package_name("sinch-conversation"), "sinch-conversation");
        assert_eq!(package_name("Ünïcødé API"), "ncd-api");
        assert_eq!(package_name("日本"), "value");
    }

    #[test]
    fn a_given_package_name_cargo_refuses_is_an_error_and_one_rustc_lints_a_warning() {
        for accepted in ["graph-client", "graph_client", "api-v2", "s3", "openapi-client-3"] {
            assert_eq!(check_package_name(accepted), Ok(None), "{accepted}");
        }
        let warning = check_package_name("c_random--facts").expect("Cargo takes it").expect("a warning");
        assert!(warning.contains("`c_random__facts`") && warning.contains("`c-random-facts`"), "{warning}");
        assert!(check_package_name("MyApi").is_ok_and(|warning| warning.is_some()));
        for refused in ["self", "match", "std", "3d", "a b", "api.v2", ""] {
            assert!(check_package_name(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn scope_numbers_collisions_in_claim_order() {
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(scope.claim("Client".into()), "Client2");
        assert_eq!(scope.claim("FooBar".into()), "FooBar");
        assert_eq!(scope.claim("FooBar".into()), "FooBar2");
        assert_eq!(scope.claim("foo_bar".into()), "foo_bar");
        assert_eq!(scope.claim("foo_bar".into()), "foo_bar_2");
    }

    /// Names composed of converted names carry their parts' keyword escapes; rustc's
    /// `non_camel_case_types` and `non_snake_case` lints refuse them inside a name (found by
    /// `random_specs_compile` in `tests/robustness/compiles.rs`).
    #[test]
    fn keyword_escapes_stay_at_the_end_of_whole_names() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(type_name("self")), "Self_");
        assert_eq!(scope.claim(type_name("self")), "Self2");
        assert_eq!(scope.claim(format!("A{}V2fa", type_name("self"))), "ASelfV2fa");
        assert_eq!(scope.claim(format!("{}String", type_name("self"))), "SelfString");
        assert_eq!(scope.claim(value_name("self")), "self_");
        assert_eq!(scope.claim(value_name("self")), "self_2");
        assert_eq!(scope.claim(format!("{}_pages", value_name("self"))), "self_pages");
        assert_eq!(scope.claim(format!("with_{}", value_name("self"))), "with_self");
        assert_eq!(value_name("put /é/binary"), "put_binary");
        assert_eq!(value_name("é-x"), "x");
    }
}
