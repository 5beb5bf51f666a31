//! The frames around an editor: the form with its sticky save bar ([`EditForm`]), 删除 that
//! asks once ([`DeleteButton`]), a record's read-only page ([`RecordPage`]), and the pages
//! that open a record from its address ([`edit_page`], [`view_page`]).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::delete::DeleteButton;
use super::editor::{Editor, OnSave};
use crate::domain::{Record, RecordId};
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::shell::router::{use_navigate, use_params_map, use_query_map, ParamsMap, A};
use crate::ui::widgets::{page_note, AppState};

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
            editor.submit(on_save.call());
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

/// The head of a person's or an organisation's page: the name with 编辑 beside it, and
/// `deleted` (what to do about it) when the record is deleted.
pub fn view_head(title: String, edit: String, deleted: Option<&'static str>) -> impl IntoView {
    view! {
        <div class="page-head">
            <h1>{title}</h1>
            <A href=edit attr:class="button">"编辑"</A>
        </div>
        {deleted.map(|note| view! { <p class="warning">{note}</p> })}
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
