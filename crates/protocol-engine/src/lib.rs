//! The engine of Agent Token Playground: what a flow is made of ([`flow::FlowDef`], its
//! configuration and state), and the one sans-IO driver that runs a step of any flow
//! ([`engine`]: sign, build, route, send, read, judge, verify signatures, record) through a
//! [`engine::Host`], the only way out to a clock, random bytes, keys, the network and the
//! user's sign-in. Sign-in is data here ([`signin`]); signature checks are in [`verify`].
//!
//! It knows no flow of its own: the catalogue (`protocol-catalogue`) declares them.

pub mod engine;
pub mod flow;
pub mod signin;
pub mod verify;
