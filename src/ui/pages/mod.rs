//! One file per page.

pub mod activity_edit;
pub mod benefit_edit;
pub mod cases;
pub mod due;
pub mod duplicates;
pub mod exchange;
pub mod feedback;
pub mod home;
pub mod log;
pub mod not_found;
pub mod org_edit;
pub mod org_view;
pub mod orgs;
pub mod people;
pub mod person_edit;
pub mod person_view;
pub mod places;
pub mod repair;
pub mod reports;
pub mod review;
pub mod roster_import;
pub mod settings;
pub mod station;
pub mod welcome;
