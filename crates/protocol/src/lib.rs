//! The wire protocol of every flow Agent Token Playground runs, free of any browser API.
//!
//! One [`request::HttpRequest`] value is built per step; the same value renders the cURL
//! shown to the user ([`curl`]), is sent by the browser shell, and is logged. Responses are
//! interpreted by [`response`], tokens decoded and checked by [`jwt`] and [`checks`], and
//! the progress of a flow is tracked by [`flow`].
//!
//! Nothing here reads a clock or a random source: callers pass `now` and random bytes, so
//! the crate behaves identically natively and in wasm32.

pub mod checks;
pub mod client_auth;
pub mod constants;
pub mod curl;
pub mod encoding;
pub mod endpoints;
pub mod flow;
pub mod flows;
pub mod jwt;
pub mod keys;
pub mod pkce;
pub mod request;
pub mod requests;
pub mod response;
pub mod scope;
pub mod timefmt;
pub mod transport;

#[cfg(feature = "native-crypto")]
pub mod native;
