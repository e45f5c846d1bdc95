//! The one way a form control binds to a flow's configuration: a [`Path`] into it.

use leptos::prelude::*;
use protocol::flow::{Field, FlowConfig, Registration, ServerRole};

use crate::store::FlowSlot;

/// A value in a flow's configuration.
#[derive(Clone, Copy)]
pub enum Path {
    /// A step parameter.
    Param(&'static Field),
    /// A server's issuer (or a resource's URL).
    Issuer(&'static ServerRole),
    /// A client's ID.
    ClientId(&'static Registration),
    /// A client's secret.
    Secret(&'static Registration),
    /// A client's private key.
    Key(&'static Registration),
}

impl Path {
    /// The value.
    pub fn read(self, c: &FlowConfig) -> String {
        match self {
            Path::Param(f) => c.params.get(f.key).cloned().unwrap_or_default(),
            Path::Issuer(r) => c.server(r).issuer.clone(),
            Path::ClientId(r) => c.client(r).id.clone(),
            Path::Secret(r) => c.client(r).secret.expose().to_string(),
            Path::Key(r) => c.client(r).key.expose().to_string(),
        }
    }

    /// Sets the value.
    pub fn write(self, c: &mut FlowConfig, v: String) {
        match self {
            Path::Param(f) => c.set_param(f, v),
            Path::Issuer(r) => c.server_mut(r).issuer = v,
            Path::ClientId(r) => c.client_mut(r).id = v,
            Path::Secret(r) => c.client_mut(r).secret = v.into(),
            Path::Key(r) => c.client_mut(r).key = v.into(),
        }
    }
}

/// A value of `slot`'s configuration as a signal and a setter.
pub fn bind(slot: FlowSlot, path: Path) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || slot.config.with(|c| path.read(c))),
        Callback::new(move |v: String| slot.config.update(|c| path.write(c, v))),
    )
}
