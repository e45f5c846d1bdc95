//! Why a step failed and what to do: what a failure's card says, from whichever layer found it
//! (a response, the transport, the configuration).

use serde::{Deserialize, Serialize};

/// Why a step failed and what to do, for a failure's card.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// What happened, in a sentence or two.
    pub cause: String,
    /// What to change, for the server actually configured.
    pub fix: String,
    /// Sending this server's requests through the local relay would help.
    pub relay: bool,
}
