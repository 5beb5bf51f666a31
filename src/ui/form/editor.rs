//! The editor: one form's state and the sequences every editor shares (submit, delete,
//! finish), and how a page's or a list's editor opens on its record.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{FieldErrors, Hlc, Record, RecordId};
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf, Keeper};
use crate::ui::shell::router::use_navigate;
use crate::ui::widgets::{app_state, show_first_error, AppState};

use super::delete::DeleteButton;

/// What a save or delete did: the line to say, then where the form goes.
pub struct Done {
    /// Empty when the action has said what it did itself (a delete's line with its undo).
    said: String,
    next: Next,
}

enum Next {
    Leave(String),
    Stay,
    /// Closes a form shown inside a page (a case, a feedback item): run once its draft is
    /// gone, so closing cannot write it again.
    Then(Box<dyn FnOnce()>),
}

impl Done {
    /// Goes to `to` after.
    pub fn leave(said: impl Into<String>, to: impl Into<String>) -> Done {
        Done { said: said.into(), next: Next::Leave(to.into()) }
    }

    /// Stays on the form (保存并继续).
    pub fn stay(said: impl Into<String>) -> Done {
        Done { said: said.into(), next: Next::Stay }
    }

    /// Runs `then` after (closing an inline form).
    pub fn then(said: impl Into<String>, then: impl FnOnce() + 'static) -> Done {
        Done { said: said.into(), next: Next::Then(Box::new(then)) }
    }
}

/// A save or delete under way; its error is said and the form stays as typed.
pub type Pending = Pin<Box<dyn Future<Output = Result<Done, String>>>>;

/// What a record's editor opens on: the record's id and stamp (none for a new record) and
/// the form it starts from.
#[derive(Clone)]
pub struct Opening<F> {
    pub id: Option<RecordId>,
    pub base: Option<Hlc>,
    pub initial: F,
}

impl<F> Opening<F> {
    /// A new record's form.
    pub fn new(initial: F) -> Self {
        Opening { id: None, base: None, initial }
    }

    /// An existing record's form, made from it by `form`.
    pub fn of<T>(r: &Record<T>, form: fn(&T) -> F) -> Self {
        Opening { id: Some(r.id.clone()), base: Some(r.updated), initial: form(&r.body) }
    }
}

/// An editor's shared state: `Copy`, so buttons and closures take it as they are.
#[derive(Clone, Copy)]
pub struct Editor {
    pub errors: RwSignal<FieldErrors>,
    pub busy: RwSignal<bool>,
    draft: StoredValue<Keeper, LocalStorage>,
    /// The record a page's editor saves over; none for a new one (and for inline editors,
    /// which keep their own).
    id: StoredValue<Option<RecordId>>,
    /// Taken when the editor is made: context is not there in an event handler.
    state: AppState,
}

impl Editor {
    /// Starts an editor over the form in `form`, keeping its draft under `of` (restored now if
    /// one is stored).
    pub fn new<F>(form: RwSignal<F>, of: DraftOf) -> Editor
    where
        F: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        Editor {
            errors: RwSignal::new(FieldErrors::default()),
            busy: RwSignal::new(false),
            draft: StoredValue::new_local(draft::keep_form(of, move || form.get(), move |f| form.set(f))),
            id: StoredValue::new(None),
            state: app_state(),
        }
    }

    /// The form of a record's own page (`opening`) with its editor, its draft kept as `form`
    /// (titled `label` and the `name_field`'s text) for the page's address, and whether the
    /// record changes elsewhere while it is open.
    pub fn open<T, F>(
        opening: Opening<F>,
        form: &'static str,
        label: &'static str,
        name_field: &'static str,
    ) -> (RwSignal<F>, Editor, Signal<bool>)
    where
        T: Kind + Clone + Send + Sync + 'static,
        F: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        let Opening { id, base, initial } = opening;
        let signal = RwSignal::new(initial);
        let of = DraftOf::record(form, label, name_field, id.as_ref(), base, draft::here());
        let ed = Editor::new(signal, of);
        ed.id.set_value(id.clone());
        (signal, ed, data::changed_since::<T>(id, base))
    }

    /// The form of a record shown inside its list's page (a case at `/cases`): `record`'s own
    /// form (made by `to_form`), or `new` for a new one, its draft kept under `names` (the
    /// form, its label, the field that names it) for `page?edit=<id>`.
    pub fn inline<T, F>(
        record: Option<&Record<T>>,
        to_form: fn(&T) -> F,
        new: impl FnOnce() -> F,
        names: (&'static str, &'static str, &'static str),
        page: &str,
    ) -> (RwSignal<F>, Editor)
    where
        F: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        let form = RwSignal::new(record.map_or_else(new, |r| to_form(&r.body)));
        let id = record.map(|r| r.id.clone());
        let path = id.as_ref().map_or_else(|| page.to_owned(), |i| format!("{page}?edit={i}"));
        let (name, label, name_field) = names;
        let ed = Editor::new(form, DraftOf::record(name, label, name_field, id.as_ref(), record.map(|r| r.updated), path));
        ed.id.set_value(id);
        (form, ed)
    }

    /// The record this editor saves over, if it exists.
    pub fn id(&self) -> Option<RecordId> {
        self.id.get_value()
    }

    /// Whether the form edits an existing record (else it makes a new one).
    pub fn editing(&self) -> bool {
        self.id.with_value(Option::is_some)
    }

    /// The form's draft keeper.
    pub fn draft(&self) -> Keeper {
        self.draft.get_value()
    }

    /// The message for one field, for the input that shows it.
    pub fn error(&self, field: &'static str) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)))
    }

    /// The submit sequence: while one runs, another tap does nothing; a refused form shows its
    /// messages and puts the cursor in the first; a save that works ends the draft before it
    /// says so and leaves; one that fails says why and keeps what was typed.
    pub fn submit(&self, attempt: Result<Pending, FieldErrors>) {
        if self.busy.get_untracked() {
            return;
        }
        match attempt {
            Err(e) => {
                self.errors.set(e);
                show_first_error();
            }
            Ok(saving) => {
                self.errors.set(FieldErrors::default());
                self.finish(saving);
            }
        }
    }

    /// Deletes the record (`id`) this form edits, with the undo line named by `name`, then
    /// does what `after` says (leave for a list, close an inline form).
    pub fn delete<T: Kind + 'static>(
        &self,
        id: RecordId,
        name: fn(&T) -> String,
        after: impl FnOnce() -> Done + 'static,
    ) {
        let state = self.state;
        self.finish(Box::pin(async move {
            data::delete::<T>(state, &id, name).await?;
            Ok(after())
        }));
    }

    /// 保存并继续 beside 保存 on a new record's form, for an editor whose save can stay
    /// (`again`). An existing record is deleted from its own page, not from its form.
    pub fn again_action(&self, new: bool, again: OnSave) -> ViewFn {
        let (ed, busy) = (*self, self.busy);
        let again = StoredValue::new_local(again);
        ViewFn::from(move || {
            new.then(|| {
                let save_again = move |_| again.with_value(|a| ed.submit(a.call()));
                view! {
                    <button type="button" class="button" disabled=move || busy.get() on:click=save_again>"保存并继续"</button>
                }
            })
        })
    }

    /// 取消修改 and 删除 for a form shown inside its list's page (a case, a feedback item): both
    /// end with `close`; a new record's form has neither.
    pub fn inline_actions<T: Kind + 'static>(
        &self,
        name: fn(&T) -> String,
        close: impl Fn() + Copy + Send + Sync + 'static,
    ) -> ViewFn {
        let ed = *self;
        ViewFn::from(move || {
            ed.id().map(|id| {
                let cancel = move |_| {
                    ed.draft().forget();
                    close();
                };
                let delete = move |()| ed.delete::<T>(id.clone(), name, move || Done::then("", close));
                view! {
                    <button type="button" class="button" on:click=cancel>"取消修改"</button>
                    <DeleteButton on_delete=delete disabled=ed.busy/>
                }
            })
        })
    }

    /// A delete (or another action that ends the form): the same sequence without the checks.
    pub fn finish(&self, pending: Pending) {
        let (state, navigate, busy) = (self.state, use_navigate(), self.busy);
        // Taken now: an inline form may be gone by the time the action ends.
        let draft = self.draft();
        busy.set(true);
        spawn_local(async move {
            match pending.await {
                Ok(done) => {
                    draft.finished().await;
                    if !done.said.is_empty() {
                        state.say(done.said);
                    }
                    state.changed();
                    match done.next {
                        Next::Leave(to) => navigate(&to, Default::default()),
                        Next::Stay => {
                            busy.try_set(false);
                        }
                        Next::Then(then) => {
                            // A form that stays on the page (a new township's) takes the next.
                            busy.try_set(false);
                            then()
                        }
                    }
                }
                Err(e) => {
                    state.say(e);
                    busy.try_set(false);
                }
            }
        });
    }
}

/// What 保存 does, boxed: the frame is one function for every editor, not a copy per form.
pub struct OnSave(Box<dyn Fn() -> Result<Pending, FieldErrors>>);

impl OnSave {
    /// Builds the save from the form, or its errors.
    pub fn call(&self) -> Result<Pending, FieldErrors> {
        (self.0)()
    }
}

impl<F: Fn() -> Result<Pending, FieldErrors> + 'static> From<F> for OnSave {
    fn from(f: F) -> Self {
        OnSave(Box::new(f))
    }
}

/// The usual save: the form's record (`body`, or the form's errors) stored as `id` (or as a new
/// record), then `done` with what was stored.
pub fn save_record<T: Kind + 'static>(
    id: Option<RecordId>,
    body: Result<T, FieldErrors>,
    done: impl FnOnce(Record<T>) -> Done + 'static,
) -> Result<Pending, FieldErrors> {
    let body = body?;
    Ok(Box::pin(async move {
        let r = data::save(id, body).await.map_err(|e| e.to_string())?;
        Ok(done(r))
    }))
}
