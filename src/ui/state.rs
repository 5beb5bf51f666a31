//! The app's state shared through context (the flash line, the revision lists read again on,
//! what could not be read) and how other tabs hear of a write. Apart from `data` and
//! `widgets`, which both use it, so neither imports the other for it.

use leptos::prelude::*;

use crate::domain::RecordId;
use crate::storage::Kind;

/// A delete that can be undone: the record's store, its id and what to call it. Kept by store
/// name rather than type so the shell's undo button names no record kind: a typed undo would
/// pull every kind's code into the first download.
#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    pub store: &'static str,
    pub id: RecordId,
    pub name: String,
}

/// A one-line message after an action, with an optional undo for a delete.
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub message: String,
    pub undo: Option<Undo>,
}

/// Whether the shell may show pages (`AppState::gate`): `CHECKING` until it knows whether a
/// lock is set, `LOCKED` while the lock screen stands in for every page (`ui/lock`), `OPEN`.
/// Numbers rather than an enum: a signal of a type of its own costs the first download its own
/// copy of the signal code (0.6 KB brotli), a `u32` signal shares `revision`'s.
pub mod gate {
    pub const CHECKING: u32 = 0;
    pub const LOCKED: u32 = 1;
    pub const OPEN: u32 = 2;
}

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub flash: RwSignal<Option<Flash>>,
    /// Bumped after every write so lists read again.
    pub revision: RwSignal<u32>,
    /// How many stored records the reads so far had to skip (`storage::unreadable`).
    pub unreadable: RwSignal<usize>,
    pub gate: RwSignal<u32>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState { flash: RwSignal::new(None), revision: RwSignal::new(0), unreadable: RwSignal::new(0), gate: RwSignal::new(gate::CHECKING) }
    }

    /// After a write here: lists read again, in this tab and (by broadcast) in the others.
    pub fn changed(&self) {
        self.refresh();
        announce_change();
    }

    /// Lists read again (a write in another tab).
    pub fn refresh(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }

    pub fn say(&self, message: impl Into<String>) {
        self.flash.set(Some(Flash { message: message.into(), undo: None }));
    }

    /// Says a record was deleted and offers to undo it.
    pub fn deleted<T: Kind>(&self, id: RecordId, name: &str) {
        let undo = Undo { store: T::STORE, id, name: name.to_owned() };
        self.flash.set(Some(Flash { message: format!("已删除 {name}"), undo: Some(undo) }));
        self.changed();
    }
}

pub fn app_state() -> AppState {
    use_context::<AppState>().unwrap_or_else(AppState::new)
}

thread_local! {
    /// Tells the app's other open tabs that the database changed.
    static CHANNEL: Option<web_sys::BroadcastChannel> = web_sys::BroadcastChannel::new("sangyu").ok();
}

/// Lets other tabs know a write happened, so their lists read again.
pub fn announce_change() {
    announce("changed");
}

/// Tells the app's other tabs: "changed" (a write: lists read again) or "locked" (this device
/// locked: every tab does).
pub fn announce(what: &str) {
    CHANNEL.with(|c| {
        if let Some(c) = c {
            let _ = c.post_message(&what.into());
        }
    });
}

/// Refreshes this tab's lists whenever another tab writes, and locks it when another locks.
/// Call once, at start.
pub fn listen_for_changes(state: AppState) {
    CHANNEL.with(|c| {
        if let Some(c) = c {
            let on_message = wasm_bindgen::closure::Closure::<dyn Fn(wasm_bindgen::JsValue)>::new(
                move |e: wasm_bindgen::JsValue| {
                    // A lock in another tab locks this one; the lock screen lets go of the rest.
                    let data = js_sys::Reflect::get(&e, &"data".into()).ok().and_then(|d| d.as_string());
                    if data.as_deref() == Some("locked") {
                        state.flash.set(None);
                        if state.gate.get_untracked() == gate::OPEN {
                            state.gate.set(gate::LOCKED);
                        }
                    } else {
                        state.refresh();
                    }
                },
            );
            c.set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(on_message.as_ref())));
            // Lives as long as the page.
            on_message.forget();
        }
    });
}
