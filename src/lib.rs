//! # Cartera
//!
//! Cartera tells a small services or B2B company which clients to keep, grow, fix or let go —
//! and how to let go well. It runs entirely in the browser: the portfolio lives in browser
//! storage and every number is computed on the user's machine. Nothing is sent anywhere.
//!
//! The crate has two halves:
//!
//! - [`core`], the engine: the data model, importers, the analysis (profit per client,
//!   ABC–XYZ, health, score and verdict) and the exports. Pure Rust, tested natively.
//! - `ui` (in the WebAssembly build only): Yew components that display what the engine
//!   computed, the app state, storage and translations.
//!
//! The domain rules are those of the project's domain specification; each module cites the
//! section it implements.
//!
//! ## How data flows
//!
//! ```text
//! file or paste ─► ui/importer.rs ─► core::import (Job: parse, check; Applying: added to the
//!              portfolio) ─► Staged in ui/state.rs ─► confirm ─► Portfolio (core/model.rs)
//! Portfolio ─► core::analysis::analyze (or Analysing, a slice at a time in the background
//!           for a large one, ui/hook.rs) ─► Analysis ─► core::analysis::view, core::chart
//!           (sorted lists, verdict groups, who moved, chart models; memoised per revision
//!            by ui::use_derived) ─► ui/pages/* (display only)
//! Analysis ─► core::analysis::robustness (Sensing, in a Web Worker running this same wasm,
//!           ui/background.rs, or a judgement at a time on the page where none starts: the
//!           ±20% flips after each analysis, ui/hook.rs; a client's ranges and the
//!           robustness export on request, ui/pages/robustness.rs)
//! user intent ─► ui/hook.rs (use_portfolio: intent methods; reads storage, mints ids)
//!             ─► Action ─► ui/state.rs (pure reducer, calls core::edit, core::plan, core::import)
//!             ─► revision bump ─► persist effect (ui/hook.rs) ─► ui/storage.rs
//! ```
//!
//! Pages never touch storage and never compute money: they read the state through
//! [`use_portfolio`](crate::ui::use_portfolio) and call its intents.

pub mod core;
pub mod i18n;

#[cfg(target_arch = "wasm32")]
pub mod ui;
