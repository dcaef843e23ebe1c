//! claimdesk: review the claims of a news article from the keyboard.
//!
//! The core (`model`, `store`, `query`, `text`) knows nothing of terminals;
//! `app` is the desk's state machine (a session and a screen, and the one
//! loop that drives them), `ui` draws it, `term` and `serve` are its two
//! front ends, and `config` decides how each session runs.

pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod import;
pub mod merge;
pub mod model;
pub mod query;
pub mod scale;
#[cfg(feature = "serve")]
pub mod serve;
pub mod store;
pub mod sync;
pub mod synth;
pub mod term;
pub mod text;
pub mod ui;
