//! Figures computed from records. Plain Rust: the UI shows these, it never counts itself.

pub mod due;
pub mod figures;
pub mod photos;
pub mod phrasing;
pub mod table;
pub mod totals;
