//! What went wrong in something the page does for the user (saving, discovering, exporting,
//! sharing, signing in, resetting the built-in demo), in words for the user. Each layer's own
//! error converts into it.

use protocol::export::ImportError;
use protocol::flows::share::LinkError;

use crate::browser::BrowserError;
use crate::lazy::ChunkError;

/// Why an action of the page did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionError {
    /// The browser refused or lacks something.
    Browser(BrowserError),
    /// A part of the app could not be loaded.
    Chunk(ChunkError),
    /// A share link cannot be read.
    Link(LinkError),
    /// A file is not an exported run.
    Import(ImportError),
    /// What the user gave is not acceptable: what to change.
    Input(String),
    /// Nothing was found where the page looked: where, and what came back.
    NotFound(String),
    /// What the page keeps cannot be read, or set aside: why, and what happened.
    Kept(String),
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionError::Browser(e) => write!(f, "{e}"),
            ActionError::Chunk(e) => write!(f, "{e}"),
            ActionError::Link(e) => write!(f, "{e}"),
            ActionError::Import(e) => write!(f, "{e}"),
            ActionError::Input(m) | ActionError::NotFound(m) | ActionError::Kept(m) => {
                f.write_str(m)
            }
        }
    }
}

impl From<BrowserError> for ActionError {
    fn from(e: BrowserError) -> Self {
        ActionError::Browser(e)
    }
}

impl From<ChunkError> for ActionError {
    fn from(e: ChunkError) -> Self {
        ActionError::Chunk(e)
    }
}

impl From<LinkError> for ActionError {
    fn from(e: LinkError) -> Self {
        ActionError::Link(e)
    }
}

impl From<ImportError> for ActionError {
    fn from(e: ImportError) -> Self {
        ActionError::Import(e)
    }
}
