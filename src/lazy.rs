//! The parts of the app loaded on first use: each split point ([`split`], declared beside what
//! it wraps: `ui::parts` for views, `flows::parts` for protocol work) is cut out of the main
//! wasm module by `wasm-split-cli` (scripts/post-build.mjs) into a chunk the browser fetches
//! the first time it is called. Every split point is fallible: a chunk that cannot be loaded is
//! a [`ChunkError`] shown in the page (`ui::lazy_view::Lazy`), with a Retry (network) or a
//! Reload (the chunk of an older build is gone), never a panic.
//!
//! Split points live only in this crate (the protocol crates stay free of Leptos). With the
//! `nosplit` feature they are plain async functions in one module (wasm-bindgen-test cannot
//! link split code).

use std::future::Future;

/// Why a part of the app could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChunkError {
    /// The server no longer has it (404, 410): the page is older than the files deployed now.
    Gone {
        /// The file.
        file: String,
    },
    /// The network failed (offline, reset, a refused integrity check, a server error).
    Network {
        /// The file, if known.
        file: String,
        /// What failed.
        reason: String,
    },
}

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChunkError::Gone { file } => write!(
                f,
                "this page is older than the version now deployed ({file} is no longer on the server); reload to use the new version"
            ),
            ChunkError::Network { file, reason } => write!(
                f,
                "{} could not be loaded ({reason}); check the connection, then try again",
                if file.is_empty() {
                    "a part of the app"
                } else {
                    file
                }
            ),
        }
    }
}

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    /// What the loader recorded about the failed fetch (`atpChunkFailure`, written by the
    /// chunk fetcher that scripts/post-build.mjs adds to the loader).
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        let global = js_sys::global();
        let key = wasm_bindgen::JsValue::from_str("atpChunkFailure");
        let failure = js_sys::Reflect::get(&global, &key).unwrap_or_default();
        // Kept, not taken: a load shared by two callers (a prefetch and a click) reports to
        // both; the next failure replaces it.
        let field = |k: &str| js_sys::Reflect::get(&failure, &k.into()).ok();
        let file = field("file")
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let status = field("status").and_then(|v| v.as_f64()).unwrap_or(0.0) as u16;
        match status {
            404 | 410 => ChunkError::Gone { file },
            0 => ChunkError::Network {
                file,
                reason: field("reason")
                    .and_then(|v| v.as_string())
                    .unwrap_or_else(|| "the network failed".into()),
            },
            s => ChunkError::Network {
                file,
                reason: format!("the server answered HTTP {s}"),
            },
        }
    }
}

/// Declares a split point: `split!(chunk, preload_fn, pub fn name(args) -> Type { body })`
/// becomes an `async fn name(args) -> Result<Type, ChunkError>` whose body lives in the chunk
/// `chunk` (split points that name the same chunk share it), and `async fn preload_fn()` that
/// fetches the chunk without running anything.
macro_rules! split_point {
    ($chunk:ident, $preload:ident, $(#[$meta:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(not(feature = "nosplit"))]
        $(#[$meta])*
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        pub fn $name($($arg: $ty),*) -> Result<$ret, $crate::lazy::ChunkError> {
            Ok($body)
        }
        #[cfg(feature = "nosplit")]
        $(#[$meta])*
        pub async fn $name($($arg: $ty),*) -> Result<$ret, $crate::lazy::ChunkError> {
            Ok($body)
        }
        /// Fetches this split point's chunk without running it (a no-op in one module).
        #[cfg(feature = "nosplit")]
        pub async fn $preload() -> Result<(), leptos::wasm_split::SplitLoaderError> {
            Ok(())
        }
    };
}

pub(crate) use split_point as split;

/// A future made in a chunk, run from the main module.
pub type ChunkFuture = std::pin::Pin<Box<dyn Future<Output = ()>>>;
