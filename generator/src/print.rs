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
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}
