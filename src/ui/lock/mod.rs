//! 本机密码: the lock screen (chunk `lock`, fetched only on a device with a lock set), the
//! guard that locks an idle or long-backgrounded app, and the settings section that sets,
//! changes and removes the PIN. The shell knows only `AppState::gate`: while it is not
//! `gate::OPEN` the shell renders no page, so a locked app holds no record in the DOM or in
//! the signals the pages own (they are disposed with the pages).

mod guard;
mod keys;
mod screen;
mod settings;

use std::cell::RefCell;

use leptos::prelude::*;

use crate::domain::lock::LockRow;
use crate::ui::data;
use crate::ui::shell::on_demand::on_demand;
use crate::ui::state::{gate, AppState};

pub use guard::arm;
pub use settings::LockSettings;

on_demand!(LockScreen, lock, lock_page, screen::LockPage);

thread_local! {
    /// The data key while the app is open (kept for sealing fields at rest); dropped, and
    /// zeroed, when it locks.
    static KEY: RefCell<Option<keys::DataKey>> = const { RefCell::new(None) };
    /// The 记录人 with a PIN of their own, as the lock's row last read or written said.
    static OWN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn remember(row: Option<&LockRow>) {
    OWN.with(|o| *o.borrow_mut() = row.map(|r| r.own.iter().map(|p| p.name.clone()).collect()).unwrap_or_default());
}

/// Whether `name` set a PIN of their own: becoming the 记录人 then takes unlocking with it.
pub fn has_own_pin(name: &str) -> bool {
    OWN.with(|o| o.borrow().iter().any(|n| n == name))
}

/// The data key held while open (setting a 记录人's own PIN wraps it).
fn held_key() -> Option<keys::DataKey> {
    KEY.with(|k| k.borrow().as_ref().map(|k| keys::DataKey(k.0.clone())))
}

/// Locks now, in every tab: the pages go (and with them every record they held), the flash
/// line too (it may name someone); the lock screen then lets go of the rest ([`forget`]).
pub fn lock_now(state: AppState) {
    state.flash.set(None);
    set_gate(state, gate::LOCKED);
    crate::ui::state::announce("locked");
}

/// What a locked app still held beside its pages: the data key and the raw text of records that
/// did not read. Called by the lock screen, however the app was locked (here, or by another tab).
fn forget(state: AppState) {
    KEY.with(|k| k.borrow_mut().take());
    crate::storage::seal::lock();
    crate::storage::unreadable::forget_all();
    state.unreadable.set(0);
}

/// Only a change of gate redraws the pages: setting it again would dispose the page that set it.
fn set_gate(state: AppState, to: u32) {
    if state.gate.get_untracked() != to {
        state.gate.set(to);
    }
}

/// Opens the app with `key`, and arms the guard.
fn open(state: AppState, key: keys::DataKey, row: &LockRow) -> Result<(), String> {
    crate::storage::seal::unlock(Box::new(keys::Cipher::new(&key)?));
    KEY.with(|k| *k.borrow_mut() = Some(key));
    seal_photos();
    arm(state, row.idle_minutes);
    set_gate(state, gate::OPEN);
    Ok(())
}

/// The stored lock, if set.
async fn stored() -> Result<Option<LockRow>, String> {
    let db = data::db().await.map_err(|e| e.to_string())?;
    let row = match db.lock_row().await.map_err(|e| e.to_string())? {
        Some(json) => LockRow::from_json(&json).map(Some),
        None => Ok(None),
    };
    if let Ok(r) = &row {
        remember(r.as_ref());
    }
    row
}

/// Whether a lock is set on this device (a failed read says no: the import that asks then
/// offers to set one, which says what failed).
pub async fn is_set() -> bool {
    matches!(stored().await, Ok(Some(_)))
}

/// Whether this device's exports ask the receiver for a lock (the `lock` header field).
pub async fn files_need_lock() -> bool {
    matches!(stored().await, Ok(Some(row)) if row.files_need_lock)
}

async fn store(row: &LockRow) -> Result<(), String> {
    let db = data::db().await.map_err(|e| e.to_string())?;
    db.put_lock_row(&row.to_json()).await.map_err(|e| e.to_string())?;
    remember(Some(row));
    Ok(())
}

/// Sets the lock (`row` and its data key) or removes it (`None`), and seals or opens every
/// sensitive field stored to match, in one transaction (`Db::seal_all`).
async fn seal(set: Option<(&LockRow, &keys::DataKey)>) -> Result<(), String> {
    let db = data::db().await.map_err(|e| e.to_string())?;
    let (json, sealer) = match set {
        Some((row, key)) => {
            (Some(row.to_json()), Some(Box::new(keys::Cipher::new(key)?) as Box<dyn crate::storage::seal::Sealer>))
        }
        None => (None, None),
    };
    db.seal_all(json.as_deref(), sealer).await.map(drop).map_err(|e| e.to_string())?;
    remember(set.map(|(row, _)| row));
    Ok(())
}

/// Seals, in the background, the photos still stored plain while the key is held (stored before
/// the lock was set, or left by a tab closed while sealing them): at every opening, the one that
/// follows setting a lock included.
fn seal_photos() {
    leptos::task::spawn_local(async {
        if let Ok(db) = data::db().await {
            // A photo that fails stays plain and readable; the next unlock tries again.
            let _ = db.seal_photos().await;
        }
    });
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
