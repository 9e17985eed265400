//! Stage 4: tokens to formatted source text.

use proc_macro2::TokenStream;

/// Formats `tokens` as a Rust file with `header` comment lines on top.
///
/// Fails only if the tokens are not a valid Rust file, which is a bug in the emitter; the error
/// says so rather than writing code that does not compile.
pub fn print(tokens: TokenStream, header: &[String]) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|error| format!("internal error: the generated code does not parse: {error}"))?;
    let mut text = String::new();
    for line in header {
        text.push_str("// ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&separate_items(&prettyplease::unparse(&file)));
    Ok(text)
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

    #[test]
    fn items_are_separated_but_fields_and_statements_are_not() {
        let code = "//! Doc.\nuse a::b;\n/// Ends in &gt;\n///\nfn g() {}\nstruct A {\n    x: i32,\n    y: i32,\n}\nimpl A {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n    fn h() {}\n}\n";
        let expected = "//! Doc.\n\nuse a::b;\n\n/// Ends in &gt;\n///\nfn g() {}\n\nstruct A {\n    x: i32,\n    y: i32,\n}\n\nimpl A {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n\n    fn h() {}\n}\n";
        assert_eq!(separate_items(code), expected);
    }
}
