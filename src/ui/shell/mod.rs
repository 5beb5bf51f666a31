//! The first download: the app's frame (routes, navigation, flash line), the router, the home
//! screen, and how the other pages are fetched. Nothing here names another page's type
//! (ARCHITECTURE.md, "The shell names no page").

pub mod app;
mod home;
mod not_found;
pub mod on_demand;
pub mod router;
