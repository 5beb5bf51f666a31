//! Plain-Rust domain: the records Sangyu keeps and the rules they obey.
//!
//! Invariant: nothing here imports web-sys, js-sys, rexie or Leptos. Time and randomness come
//! in as arguments, so every rule is testable natively and deterministically.

pub mod activity;
pub mod benefit;
pub mod casework;
pub mod clock;
pub mod columns;
pub mod date;
pub mod device;
pub mod draft;
pub mod hlc;
mod keyed;
pub mod lock;
pub mod money;
pub mod order;
pub mod org;
pub mod person;
pub mod photo;
pub mod place;
pub mod record;
pub mod resident;
pub mod search;
pub mod station;
pub mod validate;

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
pub(crate) mod fixtures;

pub use activity::{Activity, ActivityForm, ActivityKind, Participant, Venue};
pub use benefit::{Benefit, BenefitForm, BenefitKind};
pub use casework::{CaseForm, CaseStatus, DisputeKind, Feedback, FeedbackForm, FeedbackStatus, MediationCase};
pub use clock::{Clock, Stamp};
pub use date::Date;
pub use device::DeviceState;
pub use hlc::Hlc;
pub use money::Fen;
pub use org::{Level, MonthTheme, Org, OrgForm, OrgKind};
pub use person::{Category, Gender, Person, PersonForm, Role, WuLao};
pub use photo::Photo;
pub use place::{Place, PlaceForm};
pub use record::{id_bits, DeviceId, Record, RecordId};
pub use validate::{FieldError, FieldErrors};
