//! Locks an open app when it has been idle past its minutes, or comes back from more than two
//! minutes in the background (`domain::lock::due`). Listeners are installed once per page and
//! do nothing while no lock is set.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::domain::lock::due;
use crate::storage::web;
use crate::ui::state::{gate, AppState};

thread_local! {
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
    /// Minutes idle before locking; 0 while no lock is set.
    static IDLE: Cell<u32> = const { Cell::new(0) };
    static LAST: Cell<u64> = const { Cell::new(0) };
    static HIDDEN: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Starts guarding an open app (`idle_minutes` 0: the lock was removed, guard nothing).
pub fn arm(state: AppState, idle_minutes: u32) {
    IDLE.set(idle_minutes);
    LAST.set(web::now_ms());
    HIDDEN.set(None);
    if INSTALLED.replace(true) {
        return;
    }
    for event in ["pointerdown", "keydown", "input", "wheel", "touchstart"] {
        // Kept for the page's life: the guard never leaves.
        let _ = window_event_listener_untyped(event, |_| LAST.set(web::now_ms()));
    }
    set_interval(move || check(state), Duration::from_secs(10));
    let on_visibility = Closure::<dyn Fn()>::new(move || {
        if document().hidden() {
            HIDDEN.set(Some(web::now_ms()));
        } else {
            check(state);
            HIDDEN.set(None);
        }
    });
    let _ = document().add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
    on_visibility.forget();
}

fn check(state: AppState) {
    let idle = IDLE.get();
    if idle > 0 && state.gate.get_untracked() == gate::OPEN && due(web::now_ms(), LAST.get(), idle, HIDDEN.get()) {
        super::lock_now(state);
    }
}
