//! What Agent Token Playground renders on demand from a request or a run (the app loads it in
//! a lazy chunk): code in six languages ([`codegen`]), Explain ([`explain`]), the run export
//! and Markdown report ([`export`]) and the token lineage as SVG ([`lineage`]).

pub mod codegen;
pub mod explain;
pub mod export;
pub mod lineage;
