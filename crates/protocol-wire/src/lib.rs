//! The wire layer of Agent Token Playground, free of any browser API and of any flow: HTTP
//! requests and their encodings ([`request`], [`encoding`]), client authentication
//! ([`client_auth`]), the requests of the OAuth grants ([`requests`]), JWT ([`jwt`]), keys
//! ([`keys`]), PKCE ([`pkce`]), the cURL shown to the user ([`curl`]), responses and their
//! diagnosis ([`response`], [`diagnosis`], [`transport`]), token checks ([`checks`]) and
//! the masking of secrets ([`mask`], [`secret`]).
//!
//! Nothing here reads a clock or a random source: callers pass `now` and random bytes, so
//! the crate behaves identically natively and in wasm32.

pub mod checks;
pub mod client_auth;
pub mod constants;
pub mod curl;
pub mod demo;
pub mod diagnosis;
pub mod encoding;
pub mod endpoints;
pub mod jwt;
pub mod keys;
pub mod maps;
pub mod mask;
pub mod pkce;
pub mod request;
pub mod requests;
pub mod response;
pub mod scope;
pub mod secret;
pub mod sse;
pub mod text;
pub mod timefmt;
pub mod transport;

#[cfg(not(target_arch = "wasm32"))]
pub mod base_url;
#[cfg(feature = "native-crypto")]
pub mod native;
