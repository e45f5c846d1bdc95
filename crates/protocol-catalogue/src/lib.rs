//! The catalogue of Agent Token Playground: the four agentic flows as data ([`flows`]), each
//! declared once with its servers, clients, fields, steps, presets and readers, and what is
//! tied to them (share links, the first version's settings migration).

pub mod flows;
