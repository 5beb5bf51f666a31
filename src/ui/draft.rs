//! Drafts for every form: what is typed is written to IndexedDB as it is typed, and comes
//! back when the form is opened again: after a tap on another tab, a back gesture, a reload,
//! or the phone closing the browser. One non-generic keeper serves every form; a form gives it
//! a closure that reads its fields as JSON (reading the signals, so typing is tracked) and one
//! that puts JSON back into them.
//!
//! Writes wait for a pause in typing (never blocking a keystroke) and happen at once when the
//! page is hidden or the form closes. A form equal to how it opened has no draft.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::domain::draft::{self, Draft};
use crate::storage::web;
use crate::ui::data;

mod open;
pub use open::{open_asked, OpenDrafts};

/// Long enough that a word being typed is one write, short enough that a phone killing the
/// browser a moment later loses almost nothing (and `pagehide` writes at once anyway).
const PAUSE: Duration = Duration::from_millis(400);

/// A page being closed or reloaded may go before an IndexedDB write even starts (it waits for
/// the database handle). What waits then is written to localStorage, which is synchronous,
/// under this prefix, and moved into IndexedDB when the app next reads drafts.
const UNLOAD_PREFIX: &str = "sangyu-draft:";

/// Which form, which record, where to come back to.
pub struct DraftOf {
    /// `person`, `activity`, ... : the first half of the key.
    pub form: &'static str,
    /// The record edited (its id), or another thing the form is for (a duty's date).
    pub part: Option<String>,
    /// The page that shows this form.
    pub path: String,
    /// "人员": the start of the draft's title.
    pub label: &'static str,
    /// The field whose text completes the title ("name", "theme").
    pub name_field: &'static str,
    /// The edited record's `updated` stamp when the form opened.
    pub base: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Restored {
    No,
    Yes,
    /// Restored, but the record was changed elsewhere after the draft began.
    OverNewer,
}

struct State {
    /// The form as it opened (or was last saved): equal to this, there is no draft.
    baseline: Value,
    /// What the form held when the keeper was made; discarding goes back to it.
    initial: Value,
    /// Waiting for a pause in typing.
    pending: Option<Value>,
    /// Bumped on every change: a timer from an older change does nothing.
    generation: u32,
    /// Whether a draft may be stored (so an unchanged form does not delete on every keystroke).
    stored: bool,
}

struct Inner {
    key: String,
    of: DraftOf,
    read: Box<dyn Fn() -> Value>,
    fill: Box<dyn Fn(Value)>,
    state: RefCell<State>,
    restored: RwSignal<Restored>,
}

/// A form's draft keeper. Cheap to clone; every clone is the same draft.
#[derive(Clone)]
pub struct Keeper(Rc<Inner>);

/// Starts keeping the form's draft: restores a stored one now (when it differs from how the
/// form opened), then writes every change. Call inside the form's component.
pub fn keep(of: DraftOf, read: impl Fn() -> Value + 'static, fill: impl Fn(Value) + 'static) -> Keeper {
    let initial = untrack(&read);
    let key = draft::key(of.form, of.part.as_deref());
    let keeper = Keeper(Rc::new(Inner {
        key,
        of,
        read: Box::new(read),
        fill: Box::new(fill),
        state: RefCell::new(State { baseline: initial.clone(), initial, pending: None, generation: 0, stored: false }),
        restored: RwSignal::new(Restored::No),
    }));

    // False until the stored draft has been looked for: nothing is written before.
    let ready = RwSignal::new(false);
    let load = keeper.clone();
    spawn_local(async move {
        adopt_unload_copies().await;
        let found = match data::db().await {
            Ok(db) => db.draft(&load.0.key).await.ok().flatten(),
            Err(_) => None,
        };
        let now = web::now_ms() as i64;
        if let Some(d) = found {
            let differs = load.0.state.borrow().baseline != d.fields;
            if !d.expired(now) && differs {
                let over_newer = d.base.is_some() && d.base != load.0.of.base;
                let fields = if over_newer {
                    draft::rebase(&load.0.state.borrow().baseline, &d.opened, &d.fields)
                } else {
                    d.fields
                };
                (load.0.fill)(fields);
                load.0.restored.set(if over_newer { Restored::OverNewer } else { Restored::Yes });
            }
            load.0.state.borrow_mut().stored = true;
        }
        ready.set(true);
    });

    let watch = keeper.clone();
    Effect::new(move |_| {
        let value = (watch.0.read)();
        if ready.get() {
            watch.changed(value);
        }
    });

    let hidden = keeper.clone();
    let on_hide = window_event_listener_untyped("visibilitychange", move |_| {
        let is_hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
        if is_hidden {
            hidden.flush_now();
        }
    });
    let gone = keeper.clone();
    let on_pagehide = window_event_listener_untyped("pagehide", move |_| gone.flush_now());
    let closing = send_wrapper::SendWrapper::new(keeper.clone());
    on_cleanup(move || {
        on_hide.remove();
        on_pagehide.remove();
        // Leaving by the navigation: what waits for a pause is written now.
        closing.flush();
    });
    keeper
}

impl Keeper {
    fn changed(&self, value: Value) {
        let mut s = self.0.state.borrow_mut();
        s.generation = s.generation.wrapping_add(1);
        if value == s.baseline {
            s.pending = None;
            if std::mem::take(&mut s.stored) {
                drop(s);
                self.delete();
            }
            return;
        }
        s.pending = Some(value);
        let generation = s.generation;
        let me = self.clone();
        set_timeout(
            move || {
                if me.0.state.borrow().generation == generation {
                    me.flush();
                }
            },
            PAUSE,
        );
    }

    /// The page is going (hidden, closed, reloaded): what waits is written at once, to
    /// localStorage too, since the page may not live to see the IndexedDB write start.
    /// Not to localStorage with a lock set: its copy would be plain text on disk (a typed ID
    /// number), where IndexedDB's is sealed; a closed tab may then lose the last pause's typing.
    fn flush_now(&self) {
        if let Some(draft) = self.take_pending() {
            if !crate::storage::seal::sealing() {
                let _ = LocalStorage::set(format!("{UNLOAD_PREFIX}{}", draft.key), &draft);
            }
            write(draft);
        }
    }

    /// Writes what waits for a pause, now.
    fn flush(&self) {
        if let Some(draft) = self.take_pending() {
            write(draft);
        }
    }

    fn take_pending(&self) -> Option<Draft> {
        let fields = self.0.state.borrow_mut().pending.take()?;
        self.0.state.borrow_mut().stored = true;
        let opened = self.0.state.borrow().initial.clone();
        let of = &self.0.of;
        let name = fields.get(of.name_field).and_then(Value::as_str).unwrap_or_default();
        let draft = Draft {
            key: self.0.key.clone(),
            path: of.path.clone(),
            title: draft::title(of.label, name),
            saved_ms: web::now_ms() as i64,
            base: of.base.clone(),
            fields,
            opened,
        };
        Some(draft)
    }

    fn delete(&self) {
        spawn_local(forget_key(self.0.key.clone()));
    }

    /// The form as it now stands (cleared for the next entry, or the saved values) is the new
    /// baseline: nothing waits to be written, and no notice stands.
    fn rebase(&self) {
        {
            let mut s = self.0.state.borrow_mut();
            s.generation = s.generation.wrapping_add(1);
            s.pending = None;
            s.stored = false;
            s.baseline = untrack(&self.0.read);
        }
        self.0.restored.set(Restored::No);
    }

    /// After a tap that ends the form (discard, cancel): the draft is forgotten.
    pub fn forget(&self) {
        self.rebase();
        self.delete();
    }

    /// After a save or a delete, before leaving the page: the draft is gone before the next
    /// page loads (a reload right after could otherwise find it still there).
    pub async fn finished(&self) {
        self.rebase();
        forget_key(self.0.key.clone()).await;
    }

    /// Puts the form back as it opened and forgets the draft.
    pub fn discard(&self) {
        let initial = self.0.state.borrow().initial.clone();
        (self.0.fill)(initial);
        self.forget();
    }

    fn show_newer(&self) {
        let me = self.clone();
        spawn_local(async move {
            me.finished().await;
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
    }

    /// "已恢复上次未保存的内容 · 放弃", while a restored draft is on the form.
    pub fn notice(&self) -> impl IntoView {
        let restored = self.0.restored;
        let me = StoredValue::new_local(self.clone());
        view! {
            <Show when=move || restored.get() != Restored::No>
                <div class="notice" role="status" data-test="draft-restored">
                    <span>{move || match restored.get() {
                        Restored::OverNewer => "已恢复上次未保存的内容。此后这条记录在别处被修改过，保存时以你填写的为准。",
                        _ => "已恢复上次未保存的内容。",
                    }}</span>
                    <button type="button" class="button small" on:click=move |_| me.with_value(Keeper::discard)>"放弃"</button>
                </div>
            </Show>
        }
    }

    /// Above an edit form whose record was changed in another tab or by an import meanwhile:
    /// what is typed stays, and saving keeps it; the newer version is one tap away (which
    /// drops the draft first, or the reload would bring it back).
    pub fn changed_notice(&self, changed: Signal<bool>) -> impl IntoView {
        let me = StoredValue::new_local(self.clone());
        view! {
            <Show when=move || changed.get()>
                <div class="warning" role="status" data-test="changed-elsewhere">
                    <p>"这条记录刚在别处被修改（另一个标签页或导入的文件）。你填写的内容还在，保存时以你填写的为准。"</p>
                    <button type="button" class="button small" on:click=move |_| me.with_value(Keeper::show_newer)>
                        "放弃我填写的，查看新内容"
                    </button>
                </div>
            </Show>
        }
    }
}

/// Removes a draft from both places it may be: the unload copy and IndexedDB.
async fn forget_key(key: String) {
    LocalStorage::delete(format!("{UNLOAD_PREFIX}{key}"));
    if let Ok(db) = data::db().await {
        let _ = db.delete_draft(&key).await;
    }
}

fn write(draft: Draft) {
    spawn_local(async move {
        // Best effort: a draft that cannot be written (a full disk) must not stop typing;
        // saving the form reports such errors.
        if let Ok(db) = data::db().await {
            let _ = db.put_draft(&draft).await;
        }
    });
}

/// Moves drafts written to localStorage as a page went (`flush_now`) into IndexedDB, unless
/// IndexedDB holds a newer one; each leaves localStorage once IndexedDB has it.
pub(super) async fn adopt_unload_copies() {
    let Ok(db) = data::db().await else { return };
    let storage = LocalStorage::raw();
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(UNLOAD_PREFIX))
        .collect();
    for key in keys {
        if let Ok(copy) = LocalStorage::get::<Draft>(&key) {
            let stored = db.draft(&copy.key).await.ok().flatten();
            if stored.is_some_and(|s| s.saved_ms > copy.saved_ms) || db.put_draft(&copy).await.is_ok() {
                LocalStorage::delete(&key);
            }
        } else {
            LocalStorage::delete(&key);
        }
    }
}

/// [`keep`] for a form that has a type of its own (`PersonForm`...): its serde shape is the
/// draft's fields, so a draft restores whatever the form can hold.
pub fn keep_form<F>(of: DraftOf, read: impl Fn() -> F + 'static, fill: impl Fn(F) + 'static) -> Keeper
where
    F: serde::Serialize + serde::de::DeserializeOwned,
{
    keep(
        of,
        move || serde_json::to_value(read()).unwrap_or(Value::Null),
        move |v| {
            // A draft from another version that no longer fits the form is dropped, not forced.
            if let Ok(f) = serde_json::from_value(v) {
                fill(f)
            }
        },
    )
}

impl DraftOf {
    /// The usual case: a form for one record (`id`), new or existing.
    pub fn record(
        form: &'static str,
        label: &'static str,
        name_field: &'static str,
        id: Option<&crate::domain::RecordId>,
        base: Option<crate::domain::Hlc>,
        path: String,
    ) -> DraftOf {
        DraftOf { form, part: id.map(|i| i.to_string()), path, label, name_field, base: base.map(|b| b.to_string()) }
    }
}

/// The page's own address, so a draft's link opens the same form (query included).
pub fn here() -> String {
    web_sys::window()
        .and_then(|w| Some(format!("{}{}", w.location().pathname().ok()?, w.location().search().ok()?)))
        .unwrap_or_else(|| "/".into())
}
