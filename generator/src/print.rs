//! Stage 4: syntax trees to formatted source text.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Pieces (types or operations) emitted and formatted together: enough to make a thread's
/// work worth handing out, few enough that the chunks balance across threads.
const CHUNK: usize = 64;

/// Formats `file` with `header` comment lines on top, on this thread.
pub fn print(file: &syn::File, header: &[String]) -> String {
    with_header(header, &separate_items(&prettyplease::unparse(file)))
}

/// Formats a file of `pieces` independent pieces, `emit` giving the syntax of a range of them.
///
/// Chunks of pieces are emitted and formatted on every available core; the text is the same
/// as [`print()`] of the whole file, whatever the number of threads. A chunk's syntax tree
/// lives only while it is formatted, so memory does not grow with the file.
///
/// A block that spans chunks is emitted by each chunk for its share of members: when a chunk
/// ends with a block whose first line is `continued` and the next chunk starts with the same
/// line, the two are printed as one block.
pub fn print_pieces(
    pieces: usize,
    emit: impl Fn(Range<usize>) -> Result<syn::File, String> + Sync,
    header: &[String],
    continued: Option<&str>,
) -> Result<String, String> {
    let chunks: Vec<Range<usize>> =
        (0..pieces).step_by(CHUNK).map(|start| start..(start + CHUNK).min(pieces)).collect();
    let threads = crate::threads::workers(chunks.len(), 1);
    let format = |range: Range<usize>| emit(range).map(|file| prettyplease::unparse(&file));
    let formatted: Vec<String> = if threads <= 1 {
        chunks.into_iter().map(format).collect::<Result<_, _>>()?
    } else {
        // Syntax trees cannot cross threads, so each thread emits its own chunks.
        let next = AtomicUsize::new(0);
        let worker = || {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(range) = chunks.get(index) else { return done };
                done.push((index, format(range.clone())));
            }
        };
        let mut results: Vec<(usize, Result<String, String>)> = std::thread::scope(|scope| {
            let handles =
                (0..threads).map(|_| crate::threads::spawn(scope, worker)).collect::<Result<Vec<_>, _>>()?;
            Ok::<_, String>(handles.into_iter().flat_map(crate::threads::join).collect())
        })?;
        results.sort_by_key(|(index, _)| *index);
        results.into_iter().map(|(_, text)| text).collect::<Result<_, _>>()?
    };
    let code = match continued {
        Some(opener) => join_continued(formatted, opener),
        None => formatted.concat(),
    };
    Ok(with_header(header, &separate_items(&code)))
}

/// Concatenates formatted chunks, joining a block that one chunk ends and the next starts
/// with the line `opener` into one. Each chunk is read once, so joining stays linear.
fn join_continued(chunks: Vec<String>, opener: &str) -> String {
    let mut code = String::with_capacity(chunks.iter().map(String::len).sum());
    let mut block_open = false;
    for chunk in chunks {
        let ends_in_block = last_item_opens_with(&chunk, opener);
        match chunk.strip_prefix(opener).and_then(|rest| rest.strip_prefix('\n')) {
            Some(members) if block_open => {
                code.truncate(code.len() - "}\n".len());
                code.push_str(members);
            }
            _ => code.push_str(&chunk),
        }
        block_open = ends_in_block;
    }
    code
}

/// Whether `code` ends with a top-level block whose first line is `opener`: its last line is
/// `}` and the last unindented line before that is `opener`.
fn last_item_opens_with(code: &str, opener: &str) -> bool {
    let Some(body) = code.strip_suffix("\n}\n") else { return false };
    let last_top_line = body.lines().rev().find(|line| line.starts_with(|c: char| !c.is_whitespace()));
    last_top_line == Some(opener)
}

fn with_header(header: &[String], code: &str) -> String {
    let mut text = String::with_capacity(code.len() + 256);
    for line in header {
        text.push_str("// ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(code);
    text
}

/// Puts a blank line between consecutive items, which prettyplease prints back to back, so
/// diffs of generated code read item by item.
fn separate_items(code: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "impl ",
        "impl<",
        "fn ",
        "async fn ",
        "mod ",
        "use ",
        "struct ",
        "enum ",
        "type ",
        "const ",
        "static ",
        "trait ",
    ];
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous: Option<&str> = None;
    for line in code.lines() {
        if let Some(previous) = previous {
            let indent = line.len() - line.trim_start().len();
            let previous_indent = previous.len() - previous.trim_start().len();
            let body = line.trim_start();
            let previous_body = previous.trim_start();
            // Doc comments end in `;` when their text does (`&gt;`): they are not items.
            let after_item = indent == previous_indent
                && !previous_body.starts_with("//")
                && (previous_body.ends_with('}') || previous_body.ends_with(';'));
            let after_module_doc = previous_body.starts_with("//!") && !body.starts_with("//!");
            // `mod x;` and `pub use x::*;` read as one declaration.
            let declarations = [&previous_body, &body].iter().all(|line| {
                ["mod ", "use ", "pub use ", "pub mod "].iter().any(|start| line.starts_with(start))
            });
            let after_item = after_item && !declarations;
            if (after_item && ITEM_STARTS.iter().any(|start| body.starts_with(start))) || after_module_doc {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Piece 0 is a prelude with inner attributes; the others are a struct and its impl.
    fn piece(index: usize) -> syn::File {
        let name = quote::format_ident!("Type{index}");
        let tokens = if index == 0 {
            quote::quote!(#![doc = " Module."] use super::*;)
        } else {
            quote::quote! {
                #[doc = " A type."]
                pub struct #name { pub field: Vec<#name> }
                impl #name { fn f(&self) -> usize { self.field.len() } }
            }
        };
        syn::parse2(tokens).expect("valid tokens")
    }

    fn pieces(range: Range<usize>) -> syn::File {
        let mut file = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
        for piece in range.map(piece) {
            file.attrs.extend(piece.attrs);
            file.items.extend(piece.items);
        }
        file
    }

    #[test]
    fn printing_in_chunks_gives_the_text_of_printing_at_once() {
        // Enough pieces for several chunks, so more than one thread works where cores allow.
        let count = CHUNK * 3 + 5;
        let header = ["@generated".to_owned()];
        let at_once = print(&pieces(0..count), &header);
        let in_chunks = print_pieces(count, |range| Ok(pieces(range)), &header, None).expect("no emit error");
        assert_eq!(in_chunks, at_once);
        assert!(at_once.contains("pub struct Type196 {"), "{at_once}");
    }

    /// Pieces 1..=10 are structs, 11..=20 the methods of one `impl Block`, emitted in chunks.
    fn block_pieces(range: Range<usize>) -> syn::File {
        let mut file = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
        let mut methods: Vec<syn::ImplItem> = Vec::new();
        for index in range {
            let name = quote::format_ident!("T{index}");
            let method = quote::format_ident!("m{index}");
            if index <= 10 {
                file.items.push(syn::parse_quote!(pub struct #name { pub field: i32 }));
            } else {
                methods.push(syn::parse_quote!(#[doc = " A method."] pub fn #method(&self) -> i32 { 1 }));
            }
        }
        if !methods.is_empty() {
            file.items.push(syn::parse_quote!(impl Block { #(#methods)* }));
        }
        file
    }

    #[test]
    fn a_block_emitted_in_chunks_prints_as_one() {
        let at_once = print(&block_pieces(1..21), &[]);
        assert_eq!(at_once.matches("impl Block {").count(), 1, "{at_once}");
        // 9..11 ends with a struct, so the block that 11..14 starts is not joined to it.
        let chunks: Vec<String> = [1..9, 9..11, 11..14, 14..15, 15..21]
            .into_iter()
            .map(|range| prettyplease::unparse(&block_pieces(range)))
            .collect();
        let joined = with_header(&[], &separate_items(&join_continued(chunks, "impl Block {")));
        assert_eq!(joined, at_once);
    }

    #[test]
    fn an_emit_error_is_the_printing_error() {
        let error = print_pieces(
            CHUNK * 2,
            |range| {
                if range.contains(&CHUNK) {
                    Err("internal error: broken".to_owned())
                } else {
                    Ok(pieces(range))
                }
            },
            &[],
            None,
        )
        .expect_err("the second chunk fails");
        assert_eq!(error, "internal error: broken");
    }

    #[test]
    fn items_are_separated_but_fields_and_statements_are_not() {
        let code = "//! Doc.\nuse a::b;\n/// Ends in &gt;\n///\nfn g() {}\nstruct A {\n    x: i32,\n    y: i32,\n}\nimpl A {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n    fn h() {}\n}\n";
        let expected = "//! Doc.\n\nuse a::b;\n\n/// Ends in &gt;\n///\nfn g() {}\n\nstruct A {\n    x: i32,\n    y: i32,\n}\n\nimpl A {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n\n    fn h() {}\n}\n";
        assert_eq!(separate_items(code), expected);
    }
}
