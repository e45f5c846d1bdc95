//! Running flows in the browser: sign, send, record what the protocol crate concluded.

pub mod agentic;
pub mod autonomous;
pub mod obo;
pub mod signin;

use protocol::flows::StepOutcome;
use protocol::response::HttpCapture;
use protocol::transport::TransportFailure;

use crate::browser::http::Exchange;

/// The protocol crate's reading of a response, or the transport failure explained (a CORS
/// block on a direct request suggests the relay).
pub fn judge(exchange: &Exchange, read: impl FnOnce(&HttpCapture) -> StepOutcome) -> StepOutcome {
    match &exchange.result {
        Ok(capture) => read(capture),
        Err(f) => {
            let mut o = StepOutcome::failed(format!("{}: {}", f.title(), f.explain()));
            o.suggest_relay = matches!(f, TransportFailure::Cors { .. }) && exchange.via.is_none();
            o
        }
    }
}
