//! Running flows in the browser: sign, send, interpret (the protocol crate decides what).

pub mod agentic;
