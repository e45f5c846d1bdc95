//! Agent Token Playground's protocol, free of any browser API, under one name for the app and
//! the tests. It is cut into crates along its seams, each depending only on those before it:
//!
//! - `protocol-wire`: requests, encodings, client authentication, JWT, keys, PKCE, cURL,
//!   responses, checks, masking (no flow in it);
//! - `protocol-engine`: the flow types, configuration, state, sign-in and the sans-IO driver
//!   with its `Host` seam;
//! - `protocol-catalogue`: the four flows as data, share links, settings migration;
//! - `protocol-render`: code generators, Explain, run export and Markdown, lineage SVG;
//! - `protocol-probe`: the probe's cases, battery, judge and report.
//!
//! Their modules are re-exported here under their own names (`protocol::jwt`,
//! `protocol::engine`, `protocol::flows`, ...).

pub use protocol_catalogue::*;
pub use protocol_engine::*;
pub use protocol_probe::*;
pub use protocol_render::*;
pub use protocol_wire::*;
