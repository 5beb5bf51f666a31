//! Figures computed from records. Plain Rust: the UI shows these, it never counts itself.

pub mod charts;
pub mod due;
pub mod figures;
pub mod organisers;
pub mod photos;
pub mod phrasing;
pub mod scope;
pub mod summary;
pub mod table;
pub mod totals;

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod article;
