//! Leptos client-side UI. Components get data through [`data`], never from storage directly,
//! and get figures from `report`.

pub mod author;
mod bind;
pub mod crypto;
pub mod data;
mod draft;
mod field;
mod files;
mod form;
mod images;
mod lock;
mod office;
mod photos;
mod pinyin;
pub mod settings;
mod shell;
mod state;
mod widgets;

/// Mounts the app on `<body>`; the whole of `main`.
pub fn mount() {
    console_error_panic_hook::set_once();
    crate::storage::web::mark("start");
    leptos::mount::mount_to_body(shell::app::App);
}
