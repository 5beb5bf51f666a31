//! Sangyu (桑榆): an offline-first record book for a county's retired-cadre work.
//!
//! Layers, each using only those below it (see ARCHITECTURE.md):
//! `ui` → `storage` → `domain`. `domain` is plain Rust and builds natively.

pub mod domain;
pub mod report;
pub mod sync;

#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod ui;
