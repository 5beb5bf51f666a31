//! Plain-Rust domain: the records Sangyu keeps and the rules they obey.
//!
//! Invariant: nothing here imports web-sys, js-sys, rexie or Leptos. Time and randomness come
//! in as arguments, so every rule is testable natively and deterministically.

pub mod date;
pub mod device;
pub mod hlc;
pub mod person;
pub mod record;
pub mod validate;

pub use date::Date;
pub use device::DeviceState;
pub use hlc::Hlc;
pub use person::{Category, Gender, Person, PersonForm};
pub use record::{DeviceId, Record, RecordId};
pub use validate::{FieldError, FieldErrors};
