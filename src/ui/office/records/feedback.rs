//! Public feedback (群众反馈): what people raised and how it was handled. The form at the
//! top, the list below; an item in the list opens in the form.

use leptos::prelude::*;

use crate::domain::order::sort_by;
use crate::domain::{Feedback, FeedbackForm, FeedbackStatus, FieldErrors, Record};
use crate::storage::web;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::form::{field, Done, EditForm, Editor, Pending};
use crate::ui::widgets::{Choices, TextArea, TextInput};

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
    let id = record.as_ref().map(|r| r.id.clone());
    let initial = match &record {
        Some(r) => FeedbackForm::from_feedback(&r.body),
        None => FeedbackForm {
            date: web::today().to_string(),
            status: FeedbackStatus::Open.key().into(),
            ..FeedbackForm::default()
        },
    };
    let form = RwSignal::new(initial);
    let path = id.as_ref().map_or_else(|| "/feedback".to_owned(), |i| format!("/feedback?edit={i}"));
    let of = DraftOf::record("feedback", "群众反馈", "content", id.as_ref(), record.as_ref().map(|r| r.updated), path);
    let ed = Editor::new(form, of);

    let save_id = id.clone();
    let on_save = move || -> Result<Pending, FieldErrors> {
        let item = form.get_untracked().validate(web::today())?;
        let id = save_id.clone();
        Ok(Box::pin(async move {
            data::save(id, item).await.map_err(|e| e.to_string())?;
            Ok(Done::then("已保存群众反馈", move || editing.set(None)))
        }))
    };
    let delete = move |_| {
        if let Some(id) = id.clone() {
            ed.delete::<Feedback>(
                id,
                |f| f.content.chars().take(20).collect(),
                move || Done::then("", move || editing.set(None)),
            );
        }
    };
    let cancel = move |_| {
        ed.draft().forget();
        editing.set(None);
    };
    let statuses: Vec<(&'static str, &'static str)> =
        FeedbackStatus::ALL.iter().map(|s| (s.key(), s.label())).collect();
    let existing = record.is_some();
    let actions = move || {
        existing.then(|| {
            view! {
                <button type="button" class="button" on:click=cancel>"取消修改"</button>
                <button type="button" class="button danger" on:click=delete.clone()>"删除"</button>
            }
        })
    };
    view! {
        <EditForm editor=ed on_save=on_save heading=if existing { "修改反馈" } else { "登记反馈" } actions=actions sticky=false>
            <TextArea label="反馈内容" required=true value=field!(form.content) error=ed.error("content")/>
            <TextInput label="反映人（选填）" value=field!(form.source)/>
            <TextInput label="日期" required=true kind="date" value=field!(form.date) error=ed.error("date")/>
            <Choices label="状态" required=true name="status" options=statuses value=field!(form.status) error=ed.error("status")/>
            <TextArea label="处理情况" value=field!(form.response) error=ed.error("response")/>
        </EditForm>
    }
}
