//! Probe a server: the refusals the specs require, tried on purpose through the engine's
//! driver and reported with the section that asks for them ([`probe`]).

pub mod probe;
