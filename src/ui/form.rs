//! The form kit every editor uses. A form is its struct (`PersonForm`, `OrgForm`...) held in
//! one signal; each input is bound to one field of it by a lens ([`bind`], [`field!`]); one
//! [`Editor`] owns what every editor does the same way: the errors and the focus on the first,
//! the busy guard, the draft (the form struct itself, kept as typed), the save and delete
//! sequences, and the frame around the fields ([`EditForm`]: notices, the required hint,
//! the sticky save bar). An editor keeps only what is its own: which fields, in which order,
//! and what its save means.
//!
//! The kit is not generic where that would copy code into every chunk: the sequences take
//! boxed futures, the lenses are two closures behind Leptos's type-erased signals.

pub(crate) use crate::ui::bind::{bind, field, id_choice, id_pick, Bind};
pub(crate) use crate::ui::shell::router::ParamsMap;

mod delete;
mod editor;
mod history;
mod page;
pub use editor::{save_record, Done, Editor, OnSave, Opening, Pending};
pub use delete::DeleteButton;
pub use history::history_of;
pub use page::{delete_and_leave, edit_page, view_head, view_page, EditForm, RecordPage};

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
