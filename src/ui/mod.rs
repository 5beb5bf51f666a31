//! Leptos client-side UI. Components get data through [`data`], never from storage directly,
//! and get figures from `report`.

mod app;
mod bind;
pub mod crypto;
pub mod data;
mod draft;
mod files;
mod form;
mod images;
mod on_demand;
mod pages;
mod photos;
mod pinyin;
mod router;
pub mod settings;
mod state;
mod widgets;

/// Mounts the app on `<body>`; the whole of `main`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
