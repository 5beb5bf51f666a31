//! Public feedback (群众反馈): what people raised and how it was handled. The form at the
//! top, the list below; an item in the list opens in the form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::order::sort_by;
use crate::domain::{Feedback, FeedbackForm, FeedbackStatus, FieldErrors, Record, RecordId};
use crate::storage::web;
use crate::ui::data;
use crate::ui::widgets::{app_state, Choices, TextArea, TextInput};

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let state = app_state();
    let items = data::resource::<Feedback>();
    let editing = RwSignal::new(None::<RecordId>);
    let blank = move || FeedbackForm {
        date: web::today().to_string(),
        status: FeedbackStatus::Open.key().into(),
        ..FeedbackForm::default()
    };
    let (content, source, date) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (status, response) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let handled_by = RwSignal::new(None::<RecordId>);
    let errors = RwSignal::new(FieldErrors::default());
    let fill = move |f: FeedbackForm| {
        content.set(f.content);
        source.set(f.source);
        date.set(f.date);
        status.set(f.status);
        response.set(f.response);
        handled_by.set(f.handled_by);
        errors.set(FieldErrors::default());
    };
    fill(blank());
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = FeedbackForm {
            content: content.get_untracked(),
            source: source.get_untracked(),
            date: date.get_untracked(),
            status: status.get_untracked(),
            response: response.get_untracked(),
            handled_by: handled_by.get_untracked(),
        };
        let item = match form.validate(web::today()) {
            Ok(f) => f,
            Err(e) => return errors.set(e),
        };
        spawn_local(async move {
            match data::save(editing.get_untracked(), item).await {
                Ok(_) => {
                    state.say("已保存群众反馈");
                    editing.set(None);
                    fill(blank());
                }
                Err(e) => state.say(e.to_string()),
            }
            state.changed();
        });
    };
    let delete = move |_| {
        let Some(id) = editing.get_untracked() else { return };
        spawn_local(async move {
            match data::set_deleted::<Feedback>(&id, true).await {
                Ok(r) => {
                    state.deleted::<Feedback>(id, &r.body.content.chars().take(20).collect::<String>());
                    editing.set(None);
                    fill(blank());
                }
                Err(e) => state.say(e.to_string()),
            }
        });
    };
    let open = move |r: Record<Feedback>| {
        editing.set(Some(r.id.clone()));
        fill(FeedbackForm::from_feedback(&r.body));
    };
    let statuses: Vec<(&'static str, &'static str)> =
        FeedbackStatus::ALL.iter().map(|s| (s.key(), s.label())).collect();

    view! {
        <section class="page">
            <h1>"群众反馈"</h1>
            <form class="form" on:submit=on_submit novalidate>
                <h2>{move || if editing.get().is_some() { "修改反馈" } else { "登记反馈" }}</h2>
                <TextArea label="反馈内容" value=content error=error_of("content")/>
                <TextInput label="反映人（选填）" value=source/>
                <TextInput label="日期" kind="date" value=date error=error_of("date")/>
                <Choices label="状态" name="status" options=statuses value=status error=error_of("status")/>
                <TextArea label="处理情况" value=response error=error_of("response")/>
                <div class="form-actions">
                    <button type="submit" class="button primary">"保存"</button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button" on:click=move |_| { editing.set(None); fill(blank()) }>"取消修改"</button>
                        <button type="button" class="button danger" on:click=delete>"删除"</button>
                    </Show>
                </div>
            </form>
            {move || items.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let mut list: Vec<Record<Feedback>> = list.iter().filter(|f| !f.deleted).cloned().collect();
                    sort_by(&mut list, |a, b| b.body.date.cmp(&a.body.date));
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
