//! Only the operations a user asks for: include and exclude lists of tags, operationIds and
//! path globs. Types no kept operation reaches are then left out ([`super::reach`]).

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// Which operations to generate. Empty lists leave everything in.
///
/// An operation is kept when it matches any include (a tag it has, a glob its operationId
/// matches, a glob its path matches), or when there are no includes, and no exclude matches
/// it. In path globs `*` is one segment, `**` any number, and `{name}` the spec's placeholder
/// as written (`/chats/{chat-id}/*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Filter {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    #[serde(default)]
    pub operations: Vec<String>,
    #[serde(default)]
    pub exclude_operations: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub exclude_paths: Vec<String>,
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The filter ready to match, or which glob is not one.
    pub fn compile(&self) -> Result<Matcher, String> {
        Ok(Matcher {
            tags: self.tags.clone(),
            exclude_tags: self.exclude_tags.clone(),
            operations: globs(&self.operations, false)?,
            exclude_operations: globs(&self.exclude_operations, false)?,
            paths: globs(&self.paths, true)?,
            exclude_paths: globs(&self.exclude_paths, true)?,
            includes: !(self.tags.is_empty() && self.operations.is_empty() && self.paths.is_empty()),
        })
    }
}

/// A compiled [`Filter`].
#[derive(Debug, Clone)]
pub struct Matcher {
    tags: Vec<String>,
    exclude_tags: Vec<String>,
    operations: GlobSet,
    exclude_operations: GlobSet,
    paths: GlobSet,
    exclude_paths: GlobSet,
    includes: bool,
}

impl Matcher {
    /// Whether the operation at `path` with `tags` and `operation_id` is kept.
    pub fn keeps(&self, path: &str, tags: &[String], operation_id: Option<&str>) -> bool {
        let id = operation_id.unwrap_or_default();
        let included = !self.includes
            || tags.iter().any(|tag| self.tags.contains(tag))
            || (operation_id.is_some() && self.operations.is_match(id))
            || self.paths.is_match(path);
        let excluded = tags.iter().any(|tag| self.exclude_tags.contains(tag))
            || (operation_id.is_some() && self.exclude_operations.is_match(id))
            || self.exclude_paths.is_match(path);
        included && !excluded
    }
}

fn globs(patterns: &[String], path: bool) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = if path {
            // Braces are the spec's placeholders here, not alternatives.
            let literal_braces = pattern.replace('{', "[{]").replace('}', "[}]");
            GlobBuilder::new(&literal_braces).literal_separator(true).build()
        } else {
            Glob::new(pattern)
        };
        set.add(glob.map_err(|error| format!("`{pattern}` is not a glob: {error}"))?);
    }
    set.build().map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::Filter;

    fn keeps(filter: &Filter, path: &str, tags: &[&str], id: &str) -> bool {
        let tags: Vec<String> = tags.iter().map(|tag| (*tag).to_owned()).collect();
        filter.compile().expect("valid globs").keeps(path, &tags, Some(id))
    }

    #[test]
    fn includes_add_up_and_excludes_win() {
        let filter = Filter {
            tags: vec!["chats".into()],
            operations: vec!["users.*".into()],
            exclude_paths: vec!["/chats/{chat-id}/members/**".into()],
            ..Filter::default()
        };
        assert!(keeps(&filter, "/chats/{chat-id}", &["chats"], "chats.get"));
        assert!(keeps(&filter, "/users", &["users"], "users.list"), "an operationId glob includes too");
        assert!(!keeps(&filter, "/groups", &["groups"], "groups.list"));
        assert!(!keeps(&filter, "/chats/{chat-id}/members/{id}", &["chats"], "chats.members.get"));
        assert!(keeps(&Filter::default(), "/anything", &[], "x"), "no filter keeps everything");
    }

    #[test]
    fn path_globs_match_segments_and_placeholders_as_written() {
        let filter =
            Filter { paths: vec!["/chats/*".into(), "/teams/{team-id}/**".into()], ..Filter::default() };
        assert!(keeps(&filter, "/chats/{chat-id}", &[], "a"));
        assert!(!keeps(&filter, "/chats/{chat-id}/messages", &[], "a"), "`*` is one segment");
        assert!(keeps(&filter, "/teams/{team-id}/channels/{id}", &[], "a"));
        assert!(!keeps(&filter, "/teams/{other}/channels", &[], "a"));
    }

    #[test]
    fn a_broken_glob_is_named() {
        let filter = Filter { operations: vec!["[".into()], ..Filter::default() };
        assert!(filter.compile().expect_err("refused").contains("`[`"));
    }
}
