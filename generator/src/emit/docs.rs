//! Doc comments from spec text.
//!
//! Spec descriptions are CommonMark written for web pages. Rustdoc reads them as Markdown too, but
//! warns about what web pages allow: bare URLs, `[brackets]` that are not links, unclosed HTML
//! tags, and indented text that it takes for Rust code. The text is adjusted just enough that
//! `cargo doc` stays quiet, keeping its meaning.

use std::borrow::Cow;

/// Whether rustdoc compiles a code block with this info string: one without a language, or
/// with `rust` and rustdoc's own attributes only.
fn rustdoc_reads_as_rust(info: &str) -> bool {
    const RUST: &[&str] = &[
        "rust",
        "ignore",
        "no_run",
        "should_panic",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "edition2015",
        "edition2018",
        "edition2021",
        "edition2024",
    ];
    info.split([',', ' ', '\t']).filter(|token| !token.is_empty()).all(|token| RUST.contains(&token))
}

/// `#[doc = "…"]` attributes for each paragraph given, separated by blank doc lines.
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> Vec<syn::Attribute> {
    super::syntax::doc_attributes(doc_lines(paragraphs))
}

/// Spec text as Markdown lines that rustdoc reads as the spec's author meant.
pub fn doc_lines<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.into_iter().flatten() {
        let text = paragraph.trim();
        if text.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(sanitize(text));
    }
    // prettyplease prints `#[doc = " x"]` as `/// x`: the space is ours to add.
    lines.into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") }).collect()
}

fn sanitize(text: &str) -> Vec<String> {
    // A lone `\r` would end a `///` line in the printed file; tabs trip clippy.
    let text: Cow<str> = if text.chars().any(|c| c.is_control() && c != '\n') {
        Cow::Owned(
            text.replace("\r\n", "\n")
                .chars()
                .map(|c| match c {
                    '\r' => '\n',
                    c if c.is_control() && c != '\n' => ' ',
                    c => c,
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    };
    let mut in_fence = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            let opening = !in_fence;
            in_fence = !in_fence;
            // A fence rustdoc takes for Rust would be compiled as a doctest of the crate.
            let labelled = if opening && rustdoc_reads_as_rust(info) { "```text" } else { trimmed };
            lines.push(labelled.to_owned());
        } else if in_fence {
            lines.push(line.trim_end().to_owned());
        } else {
            // Four spaces would make rustdoc read the line as a Rust code block; up to three
            // keep list items' continuation lines in their item.
            let indent = (line.len() - trimmed.len()).min(3);
            let text = escape_markdown(trimmed.trim_end());
            if indent == 0 && is_paragraph_text(&text) {
                lines.extend(wrap(&text));
            } else {
                lines.push(format!("{:indent$}{text}", ""));
            }
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    lines
}

/// Width of wrapped doc text, so generated files read well in a side-by-side diff.
const WRAP_WIDTH: usize = 96;

/// Whether a line is plain paragraph text, which Markdown lets us re-wrap freely.
fn is_paragraph_text(line: &str) -> bool {
    let starts_block = ["#", "|", ">", "-", "*", "+", "="].iter().any(|marker| line.starts_with(marker))
        || line.split_once(". ").is_some_and(|(number, _)| number.chars().all(|c| c.is_ascii_digit()));
    !starts_block
}

/// Breaks `line` at spaces into lines of at most `WRAP_WIDTH`, where it can: a code span
/// (`` `GET /a/{b}` ``) stays on one line, however long, so it reads as it is written.
fn wrap(line: &str) -> Vec<String> {
    // Words, with the words of a code span joined into one.
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for word in line.split(' ').filter(|word| !word.is_empty()) {
        match words.last_mut() {
            Some(span) if in_code => {
                span.push(' ');
                span.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        in_code ^= word.matches('`').count() % 2 == 1;
    }
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in words {
        if !current.is_empty() && current.len() + 1 + word.len() > WRAP_WIDTH {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    lines.push(current);
    lines
}

/// Escapes brackets that are not links and angle brackets that are not autolinks, and wraps
/// bare URLs in `<…>`.
fn escape_markdown(line: &str) -> String {
    // Most lines have nothing to escape or link.
    if !line.contains(['`', '[', ']', '<', '>']) && !line.contains("http") {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Code spans are literal: nothing inside is escaped or linked.
                let end = chars[i + 1..].iter().position(|&c| c == '`').map(|offset| i + 1 + offset);
                match end {
                    Some(end) => {
                        out.extend(&chars[i..=end]);
                        i = end + 1;
                        continue;
                    }
                    None => out.push(c),
                }
            }
            '[' => {
                let close = chars[i..].iter().position(|&c| c == ']').map(|offset| i + offset);
                match close {
                    Some(close) if chars.get(close + 1) == Some(&'(') => {
                        // A Markdown link: keep text and target as written.
                        let end = chars[close..]
                            .iter()
                            .position(|&c| c == ')')
                            .map_or(chars.len() - 1, |o| close + o);
                        out.extend(&chars[i..=end]);
                        i = end + 1;
                        continue;
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' => out.push_str("\\]"),
            '<' => match html_tag_end(&chars[i..]) {
                // Spec text often is HTML; rustdoc renders the common tags as they are.
                Some(length) => {
                    out.extend(&chars[i..i + length]);
                    i += length;
                    continue;
                }
                None => out.push_str("&lt;"),
            },
            '>' => out.push_str("&gt;"),
            'h' if starts_url(&chars[i..]) && (i == 0 || !matches!(chars[i - 1], '(' | '<' | '"' | '\'')) => {
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | ']'))
                    .map_or(chars.len(), |offset| i + offset);
                let mut url: String = chars[i..end].iter().collect();
                let trailing: String = {
                    let kept = url.trim_end_matches(['.', ',', ';', ':', '!', '?']).len();
                    url.split_off(kept)
                };
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// HTML elements rustdoc renders and that spec descriptions use.
const HTML_TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
];

/// The length of an HTML tag of a known element starting at `chars[0] == '<'`.
fn html_tag_end(chars: &[char]) -> Option<usize> {
    let end = chars.iter().position(|&c| c == '>')?;
    let inner: String = chars[1..end].iter().collect();
    let name = inner.trim_start_matches('/').split([' ', '/']).next()?.to_ascii_lowercase();
    HTML_TAGS.contains(&name.as_str()).then_some(end + 1)
}

fn starts_url(chars: &[char]) -> bool {
    let prefix: String = chars.iter().take(8).collect();
    prefix.starts_with("http://") || prefix.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(escape_markdown("see https://example.com/a."), "see <https://example.com/a>.");
        assert_eq!(escape_markdown("[docs](https://example.com)"), "[docs](https://example.com)");
        assert_eq!(escape_markdown("`https://{a}.example.com` [x]"), "`https://{a}.example.com` \\[x\\]");
    }

    #[test]
    fn stray_brackets_and_tags_are_escaped() {
        assert_eq!(escape_markdown("a [b] <c>"), "a \\[b\\] &lt;c&gt;");
        assert_eq!(escape_markdown("<p>Text<br/></p>"), "<p>Text<br/></p>");
    }

    #[test]
    fn carriage_returns_and_tabs_do_not_break_lines() {
        assert_eq!(sanitize("a\rb\tc"), vec!["a", "b c"]);
    }

    #[test]
    fn long_paragraphs_wrap_but_lists_do_not() {
        let long = "word ".repeat(40);
        let lines = sanitize(&format!("{long}\n- {long}"));
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines.iter().all(|line| line.len() <= WRAP_WIDTH || line.starts_with("- ")));
    }

    #[test]
    fn code_spans_are_not_broken() {
        let path = format!("`GET /{}`", "segment/".repeat(12));
        let lines = wrap(&format!("{} {path} done", "word ".repeat(10)));
        assert_eq!(lines, vec!["word ".repeat(10).trim_end().to_owned(), path, "done".to_owned()]);
    }

    #[test]
    fn indentation_and_bare_fences_cannot_become_doctests() {
        assert_eq!(sanitize("a\n    code\n```\nx\n```"), vec!["a", "   code", "```text", "x", "```"]);
        assert_eq!(sanitize("```rust,no_run\nx\n```"), vec!["```text", "x", "```"]);
        assert_eq!(sanitize("```json\n{}\n```"), vec!["```json", "{}", "```"], "other languages stay");
    }
}
