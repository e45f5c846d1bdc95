//! UI components. They show what the protocol crate computed and what a flow declares; they
//! hold no protocol knowledge.

pub mod bind;
pub mod config_view;
pub mod curl_block;
pub mod diagnosis;
pub mod explain_view;
pub mod fields;
pub mod findings;
pub mod flow_view;
pub mod imported_run;
pub mod lazy_view;
pub mod lineage_view;
pub mod link_offer;
pub mod log_view;
pub mod notice;
pub mod outcome_view;
pub mod parts;
pub mod probe_bar;
pub mod probe_view;
pub mod step_card;
pub mod tabs;
pub mod token_view;
