//! The form kit every editor uses. A form is its struct (`PersonForm`, `OrgForm`...) held in
//! one signal; each input is bound to one field of it by a lens ([`bind`], [`field!`]); one
//! [`Editor`] owns what every editor does the same way: the errors and the focus on the first,
//! the busy guard, the draft (the form struct itself, kept as typed), the save and delete
//! sequences, and the frame around the fields ([`EditForm`]: notices, the required hint,
//! the sticky save bar). An editor keeps only what is its own: which fields, in which order,
//! and what its save means.
//!
//! The kit is not generic where that would copy code into every chunk: the sequences take
//! boxed futures, the lenses are two closures behind Leptos's type-erased signals.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{FieldErrors, Hlc, Record, RecordId};
use crate::storage::Kind;
pub(crate) use crate::ui::bind::{bind, field, id_choice, id_pick, Bind};
use crate::ui::data;
use crate::ui::draft::{self, DraftOf, Keeper};
pub(crate) use crate::ui::shell::router::ParamsMap;
use crate::ui::shell::router::{use_navigate, use_params_map, use_query_map, A};
use crate::ui::widgets::{app_state, page_note, show_first_error, AppState};

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

/// An editor's shared state: `Copy`, so buttons and closures take it as they are.
#[derive(Clone, Copy)]
pub struct Editor {
    pub errors: RwSignal<FieldErrors>,
    pub busy: RwSignal<bool>,
    draft: StoredValue<Keeper, LocalStorage>,
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
            state: app_state(),
        }
    }

    /// The form of a record's own page (`initial`, for the record `id` or a new one) with its
    /// editor, its draft kept as `form` (titled `label` and the `name_field`'s text) for the
    /// page's address, and whether the record changes elsewhere while it is open.
    pub fn open<T, F>(
        initial: F,
        form: &'static str,
        label: &'static str,
        name_field: &'static str,
        id: Option<&RecordId>,
        base: Option<Hlc>,
    ) -> (RwSignal<F>, Editor, Signal<bool>)
    where
        T: Kind + Clone + Send + Sync + 'static,
        F: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        let signal = RwSignal::new(initial);
        let of = DraftOf::record(form, label, name_field, id, base, draft::here());
        let (ed, changed) = Editor::record::<T, F>(signal, of, id, base);
        (signal, ed, changed)
    }

    /// The form's draft keeper.
    pub fn draft(&self) -> Keeper {
        self.draft.get_value()
    }

    /// An editor for a record of kind `T` (`id`, or a new one), and whether that record has
    /// changed elsewhere since the form opened at `base`.
    pub fn record<T, F>(
        form: RwSignal<F>,
        of: DraftOf,
        id: Option<&RecordId>,
        base: Option<Hlc>,
    ) -> (Editor, Signal<bool>)
    where
        T: Kind + Clone + Send + Sync + 'static,
        F: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        (Editor::new(form, of), data::changed_since::<T>(id.cloned(), base))
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
                let save_again = move |_| again.with_value(|a| ed.submit((a.0)()));
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
        id: Option<RecordId>,
        name: fn(&T) -> String,
        close: impl Fn() + Copy + Send + Sync + 'static,
    ) -> ViewFn {
        let ed = *self;
        let id = StoredValue::new(id);
        ViewFn::from(move || {
            id.get_value().map(|id| {
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

impl<F: Fn() -> Result<Pending, FieldErrors> + 'static> From<F> for OnSave {
    fn from(f: F) -> Self {
        OnSave(Box::new(f))
    }
}

/// The frame of every edit form: an optional heading, the notices about its draft and about
/// the record changing elsewhere, the required-fields hint, the fields, and the bar with 保存
/// and the editor's own buttons (`actions`), sticky on a page of its own.
#[component]
pub fn EditForm(
    editor: Editor,
    /// What 保存 does: builds the save from the form, or its errors.
    #[prop(into)]
    on_save: OnSave,
    #[prop(optional, into)] changed: Option<Signal<bool>>,
    #[prop(optional, into)] heading: Option<String>,
    #[prop(optional, into)] actions: ViewFn,
    #[prop(default = true)] sticky: bool,
    /// The save button's words where 保存 says too little (添加乡镇, 保存值班).
    #[prop(optional, into)]
    save_label: Option<Signal<String>>,
    /// Off for a form with no required field (a day's duty).
    #[prop(default = true)]
    required_hint: bool,
    children: Children,
) -> impl IntoView {
    let busy = editor.busy;
    // Checked here too: while a save runs, a second tap must not even build another one.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !busy.get_untracked() {
            editor.submit((on_save.0)());
        }
    };
    let draft = editor.draft();
    view! {
        <form class="form" on:submit=on_submit novalidate>
            {heading.map(|h| view! { <h2>{h}</h2> })}
            {changed.map(|c| draft.changed_notice(c))}
            {draft.notice()}
            {required_hint.then(|| view! { <p class="form-hint">"带 * 的为必填项"</p> })}
            {children()}
            <div class=if sticky { "form-actions sticky" } else { "form-actions" }>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || save_label.map_or_else(|| "保存".to_owned(), |l| l.get())}
                </button>
                {actions.run()}
            </div>
        </form>
    }
}

/// 删除 that asks once: the first tap asks 删除这条记录？ with 确定删除 and 不删 beside it (a
/// shaking hand's tap deletes nothing); 确定删除 deletes, and the undo line follows as for every
/// delete.
#[component]
pub fn DeleteButton(
    #[prop(into)] on_delete: Callback<()>,
    /// What the question names: 这条记录, 这个组织...
    #[prop(default = "这条记录")]
    what: &'static str,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="button danger" disabled=move || disabled.get() on:click=move |_| asking.set(true)>"删除"</button>
            }
        >
            // The question on its own line; 不删 first, 确定删除 solid red and away from where
            // 删除 was, so a double tap does not delete.
            <span class="confirm" role="group" data-test="confirm-delete">
                <span class="confirm-question">{format!("删除{what}？")}</span>
                <span class="confirm-buttons">
                    <button type="button" class="button" on:click=move |_| asking.set(false)>"不删"</button>
                    <button type="button" class="button danger solid" disabled=move || disabled.get()
                        on:click=move |_| { asking.set(false); on_delete.run(()) }>"确定删除"</button>
                </span>
            </span>
        </Show>
    }
}

/// The frame of a record's read-only page: its title with 修改 at the top, what it holds, and
/// 删除 apart at the foot, asking once (`what` names the record in the question).
#[component]
pub fn RecordPage(
    title: String,
    /// The form's address.
    edit: String,
    what: &'static str,
    #[prop(into)] on_delete: Callback<()>,
    /// The page it came from, for the way back.
    back: String,
    children: Children,
) -> impl IntoView {
    let back_to = match back.split('?').next().unwrap_or_default() {
        "/log" => "‹ 返回工作记录",
        "/due" => "‹ 返回待办",
        p if p.starts_with("/people/") => "‹ 返回人员页",
        _ => "‹ 返回",
    };
    view! {
        <section class="page" data-test="record-view">
            <A href=back attr:class="back-link">{back_to}</A>
            <div class="page-head">
                <h1>{title}</h1>
                <A href=edit attr:class="button primary">"修改"</A>
            </div>
            {children()}
            <div class="danger-zone">
                <DeleteButton on_delete=on_delete what=what/>
            </div>
        </section>
    }
}

/// Deletes record `id` from its own page (its undo line named by `name`), then goes to `to`.
/// `state` is taken when the page is made: an event handler has no context to ask.
pub fn delete_and_leave<T: Kind + 'static>(state: AppState, id: RecordId, name: fn(&T) -> String, to: String) {
    let navigate = use_navigate();
    spawn_local(async move {
        match data::delete::<T>(state, &id, name).await {
            Ok(()) => navigate(&to, Default::default()),
            Err(e) => state.say(e),
        }
    });
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

/// A record's edit page: `…/new` (`new`, given the address's query: `?kind=`, `?person=`) or
/// `…/:id/edit` (`edit`, once the record is read; a deleted one only where `open_deleted`).
pub fn edit_page<T: Kind + Clone + Send + Sync + 'static>(
    open_deleted: bool,
    new: impl Fn(&ParamsMap) -> AnyView + Send + Sync + 'static,
    edit: fn(Record<T>) -> AnyView,
) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    move || match params.with(|p| p.get("id")) {
        None => query.with(|q| new(q)),
        Some(text) => existing::<T>(&text, open_deleted, edit),
    }
}

/// A record's own read-only page (`/activities/:id`): `shown` once the record the address
/// names is read; a plain line when the link or the record is wrong.
pub fn view_page<T: Kind + Clone + Send + Sync + 'static>(shown: fn(Record<T>) -> AnyView) -> impl IntoView {
    let params = use_params_map();
    move || match params.with(|p| p.get("id")) {
        Some(text) => existing::<T>(&text, false, shown),
        None => page_note("error", "链接中的编号无效"),
    }
}

/// The editor for the record a link names (`text`, the address's id): "正在读取…" until it is
/// read, a plain line when the link or the record is wrong. A deleted record opens only where
/// the editor can say so and restore it (`open_deleted`).
pub fn existing<T: Kind + Clone + Send + Sync + 'static>(
    text: &str,
    open_deleted: bool,
    editor: impl Fn(Record<T>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let Ok(id) = RecordId::parse(text) else { return page_note("error", "链接中的编号无效") };
    let found = data::record_once::<T>(id);
    (move || match found.get() {
        Some(Ok(Some(r))) if open_deleted || !r.deleted => editor(r),
        Some(Ok(Some(_))) => page_note("error", "找不到这条记录，可能已被删除"),
        Some(Ok(None)) => page_note("error", "找不到这条记录"),
        Some(Err(e)) => page_note("error", e.to_string()),
        None => page_note("muted", "正在读取…"),
    })
    .into_any()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
