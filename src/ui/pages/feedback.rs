//! Public feedback (群众反馈): what people raised and how it was handled. The form at the
//! top, the list below; an item in the list opens in the form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::order::sort_by;
use crate::domain::{Feedback, FeedbackForm, FeedbackStatus, FieldErrors, Record};
use crate::storage::web;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::widgets::{app_state, show_first_error, Choices, TextArea, TextInput};

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let items = data::resource::<Feedback>();
    // The item open in the form; the form is made afresh for each, so a draft belongs to one.
    let editing = RwSignal::new(None::<Record<Feedback>>);
    draft::open_asked(items, editing);
    let open = move |r: Record<Feedback>| editing.set(Some(r));

    view! {
        <section class="page">
            <h1>"群众反馈"</h1>
            {move || {
                let record = editing.get();
                view! { <FeedbackEditor record=record editing=editing/> }
            }}
            {move || items.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let mut list: Vec<Record<Feedback>> = list.iter().filter(|f| !f.deleted).cloned().collect();
                    sort_by(&mut list, |a, b| b.body.date.cmp(&a.body.date));
                    if list.is_empty() {
                        return view! { <p class="muted empty">"还没有群众反馈。在上面填写反馈内容即可登记第一条。"</p> }.into_any();
                    }
                    view! {
                        <h2>{format!("反馈（{}）", list.len())}</h2>
                        <ul class="list" data-test="feedback">{list.into_iter().map(|f| {
                            let text = format!("{} · {}", f.body.date, f.body.status.label());
                            let name = f.body.content.chars().take(40).collect::<String>();
                            view! {
                                <li class="row"><button type="button" class="row-main link" on:click=move |_| open(f.clone())>
                                    <span class="name">{name}</span><span class="meta">{text}</span>
                                </button></li>
                            }
                        }).collect_view()}</ul>
                    }.into_any()
                }
            })}
        </section>
    }
}

#[component]
fn FeedbackEditor(record: Option<Record<Feedback>>, editing: RwSignal<Option<Record<Feedback>>>) -> impl IntoView {
    let state = app_state();
    let id = record.as_ref().map(|r| r.id.clone());
    let initial = match &record {
        Some(r) => FeedbackForm::from_feedback(&r.body),
        None => FeedbackForm {
            date: web::today().to_string(),
            status: FeedbackStatus::Open.key().into(),
            ..FeedbackForm::default()
        },
    };
    let content = RwSignal::new(initial.content);
    let source = RwSignal::new(initial.source);
    let date = RwSignal::new(initial.date);
    let status = RwSignal::new(initial.status);
    let response = RwSignal::new(initial.response);
    let handled_by = RwSignal::new(initial.handled_by);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));
    let read = move || FeedbackForm {
        content: content.get(),
        source: source.get(),
        date: date.get(),
        status: status.get(),
        response: response.get(),
        handled_by: handled_by.get(),
    };
    let fill = move |f: FeedbackForm| {
        content.set(f.content);
        source.set(f.source);
        date.set(f.date);
        status.set(f.status);
        response.set(f.response);
        handled_by.set(f.handled_by);
    };
    let path = id.as_ref().map_or_else(|| "/feedback".to_owned(), |i| format!("/feedback?edit={i}"));
    let of = DraftOf::record("feedback", "群众反馈", "content", id.as_ref(), record.as_ref().map(|r| r.updated), path);
    let draft = draft::keep_form(of, read, fill);

    let save_id = id.clone();
    let save_draft = draft.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let item = match untrack(read).validate(web::today()) {
            Ok(f) => f,
            Err(e) => {
                errors.set(e);
                show_first_error();
                return;
            }
        };
        busy.set(true);
        let (id, draft) = (save_id.clone(), save_draft.clone());
        spawn_local(async move {
            match data::save(id, item).await {
                Ok(_) => {
                    draft.finished().await;
                    state.say("已保存群众反馈");
                    editing.set(None);
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
            state.changed();
        });
    };
    let delete_draft = draft.clone();
    let delete = move |_| {
        let Some(id) = id.clone() else { return };
        let draft = delete_draft.clone();
        spawn_local(async move {
            match data::set_deleted::<Feedback>(&id, true).await {
                Ok(r) => {
                    draft.finished().await;
                    state.deleted::<Feedback>(id, &r.body.content.chars().take(20).collect::<String>());
                    editing.set(None);
                }
                Err(e) => state.say(e.to_string()),
            }
        });
    };
    let cancel_draft = draft.clone();
    let cancel = move |_| {
        cancel_draft.forget();
        editing.set(None);
    };
    let statuses: Vec<(&'static str, &'static str)> =
        FeedbackStatus::ALL.iter().map(|s| (s.key(), s.label())).collect();
    let existing = record.is_some();
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <h2>{if existing { "修改反馈" } else { "登记反馈" }}</h2>
            {draft.notice()}
            <p class="form-hint">"带 * 的为必填项"</p>
            <TextArea label="反馈内容" required=true value=content error=error_of("content")/>
            <TextInput label="反映人（选填）" value=source/>
            <TextInput label="日期" required=true kind="date" value=date error=error_of("date")/>
            <Choices label="状态" required=true name="status" options=statuses value=status error=error_of("status")/>
            <TextArea label="处理情况" value=response error=error_of("response")/>
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>"保存"</button>
                {existing.then(|| view! {
                    <button type="button" class="button" on:click=cancel.clone()>"取消修改"</button>
                    <button type="button" class="button danger" on:click=delete.clone()>"删除"</button>
                })}
            </div>
        </form>
    }
}
