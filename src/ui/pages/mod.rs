//! One file per page.

pub mod home;
pub mod not_found;
pub mod people;
pub mod person_edit;
pub mod settings;
