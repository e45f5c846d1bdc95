//! UI components. They show what the protocol crate computed; they hold no protocol logic.

pub mod autonomous_tab;
pub mod config_tab;
pub mod curl_block;
pub mod findings;
pub mod log_view;
pub mod obo_tab;
pub mod step_card;
pub mod steps_tab;
pub mod token_view;
