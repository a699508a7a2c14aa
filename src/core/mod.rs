//! The engine: pure Rust, no browser. Data flows one way —
//! file → [`import`] → [`model::Portfolio`] → [`analysis::analyze`] → [`export`] or the UI.

pub mod analysis;
pub mod chart;
pub mod date;
pub mod demo;
pub mod edit;
pub mod export;
pub mod generate;
pub mod import;
pub mod merge;
pub mod model;
pub mod order;
pub mod plan;
pub mod snapshot;
pub mod wire;
