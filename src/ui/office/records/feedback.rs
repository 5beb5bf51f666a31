//! Public feedback (群众反馈): what people raised and how it was handled. The form at the
//! top, the list below; an item in the list opens in the form.

use leptos::prelude::*;

use super::inline::{inline_page, InlinePage};
use crate::domain::{Feedback, FeedbackForm, FeedbackStatus, Record};
use crate::storage::web;
use crate::ui::form::{field, save_record, Done, EditForm, Editor};
use crate::ui::widgets::{Choices, TextArea, TextInput};

/// Feedback as an inline page: its words, order, rows and form.
const PAGE: InlinePage<Feedback> = InlinePage {
    title: "群众反馈",
    list: "反馈",
    empty: "还没有群众反馈。在上面填写反馈内容即可登记第一条。",
    order: |a, b| b.date.cmp(&a.date),
    row: |f| (f.content.chars().take(40).collect(), format!("{} · {}", f.date, f.status.label())),
    editor: |record, editing| view! { <FeedbackEditor record=record editing=editing/> }.into_any(),
};

#[component]
pub fn FeedbackPage() -> impl IntoView {
    inline_page(PAGE)
}

#[component]
fn FeedbackEditor(record: Option<Record<Feedback>>, editing: RwSignal<Option<Record<Feedback>>>) -> impl IntoView {
    let new = || FeedbackForm {
        date: web::today().to_string(),
        status: FeedbackStatus::Open.key().into(),
        ..FeedbackForm::default()
    };
    let names = ("feedback", "群众反馈", "content");
    let (form, ed) = Editor::inline(record.as_ref(), FeedbackForm::from_feedback, new, names, "/feedback");

    let save_id = ed.id();
    let on_save = move || {
        save_record(save_id.clone(), form.get_untracked().validate(web::today()), move |_| {
            Done::then("已保存群众反馈", move || editing.set(None))
        })
    };
    let statuses: Vec<(&'static str, &'static str)> =
        FeedbackStatus::ALL.iter().map(|s| (s.key(), s.label())).collect();
    let existing = record.is_some();
    let actions =
        ed.inline_actions::<Feedback>(|f| f.content.chars().take(20).collect(), move || editing.set(None));
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
