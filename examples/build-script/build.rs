//! Generates the HighLevel client into `OUT_DIR` from `openapi-client.toml`; cargo runs this
//! again when the configuration or a spec changes.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=openapi-client.toml");
    let out_dir = std::env::var("OUT_DIR")?;
    generator::Builder::from_config("openapi-client.toml")?.generate_to(out_dir)?;
    Ok(())
}
