//! The app's wasm binary is linked with relocations, so `wasm-split-cli` (run by
//! `scripts/post-build.mjs`) can cut it into a main module and chunks loaded on first use.
//! Tests and the unsplit build (`--features nosplit`) link as usual.

fn main() {
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_NOSPLIT").is_none() {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
    println!("cargo::rerun-if-env-changed=CARGO_FEATURE_NOSPLIT");
}
