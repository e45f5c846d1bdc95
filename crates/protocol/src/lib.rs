//! The wire protocol of every flow Agent Token Playground runs, free of any browser API.
//!
//! Each flow is declared once ([`flow::FlowDef`], in [`flows`]): a table of steps whose one
//! request builder feeds the cURL shown to the user ([`curl`]), the request the browser
//! sends, and the log. Responses are read by [`response`], tokens decoded and checked by
//! [`jwt`] and [`checks`], and the progress of a flow is tracked by [`flow::FlowState`].
//!
//! Nothing here reads a clock or a random source: callers pass `now` and random bytes, so
//! the crate behaves identically natively and in wasm32.

pub mod checks;
pub mod client_auth;
pub mod codegen;
pub mod constants;
pub mod curl;
pub mod demo;
pub mod diagnosis;
pub mod encoding;
pub mod endpoints;
pub mod engine;
pub mod explain;
pub mod export;
pub mod flow;
pub mod flows;
pub mod jwt;
pub mod keys;
pub mod lineage;
pub mod maps;
pub mod mask;
pub mod pkce;
pub mod probe;
pub mod request;
pub mod requests;
pub mod response;
pub mod scope;
pub mod secret;
pub mod sse;
pub mod text;
pub mod timefmt;
pub mod transport;
pub mod verify;

#[cfg(feature = "native-crypto")]
pub mod native;
