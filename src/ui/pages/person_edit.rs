//! Add or edit one retired cadre; soft delete with undo.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::domain::{Category, FieldErrors, Gender, PersonForm, RecordId};
use crate::storage::web;
use crate::ui::data;
use crate::ui::settings::Settings;
use crate::ui::widgets::{app_state, Choices, Field, Flash};

#[component]
pub fn PersonEdit() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id"));

    move || match id() {
        None => {
            let initial = PersonForm { township: Settings::load().township, ..PersonForm::default() };
            view! { <Editor id=None initial=initial deleted=false/> }.into_any()
        }
        Some(text) => match RecordId::parse(&text) {
            Err(_) => view! { <section class="page"><p class="error">"链接中的编号无效"</p></section> }.into_any(),
            Ok(rid) => view! { <Existing id=rid/> }.into_any(),
        },
    }
}

#[component]
fn Existing(id: RecordId) -> impl IntoView {
    let state = app_state();
    let key = id.clone();
    let found = LocalResource::new(move || {
        state.revision.track();
        let key = key.clone();
        async move { data::person(&key).await }
    });
    move || match found.get() {
        None => view! { <section class="page"><p class="muted">"正在读取…"</p></section> }.into_any(),
        Some(Err(e)) => view! { <section class="page"><p class="error">{e.to_string()}</p></section> }.into_any(),
        Some(Ok(None)) => view! { <section class="page"><p class="error">"找不到这条记录"</p></section> }.into_any(),
        Some(Ok(Some(r))) => {
            view! { <Editor id=Some(id.clone()) initial=PersonForm::from_person(&r.body) deleted=r.deleted/> }.into_any()
        }
    }
}

#[component]
fn Editor(id: Option<RecordId>, initial: PersonForm, deleted: bool) -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let editing = id.is_some();

    let name = RwSignal::new(initial.name);
    let gender = RwSignal::new(initial.gender);
    let birth_date = RwSignal::new(initial.birth_date);
    let category = RwSignal::new(initial.category);
    let township = RwSignal::new(initial.township);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));

    let save_id = id.clone();
    let save_nav = navigate.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let form = PersonForm {
            name: name.get_untracked(),
            gender: gender.get_untracked(),
            birth_date: birth_date.get_untracked(),
            category: category.get_untracked(),
            township: township.get_untracked(),
        };
        let person = match form.validate(web::today()) {
            Ok(p) => p,
            Err(e) => {
                errors.set(e);
                return;
            }
        };
        errors.set(FieldErrors::default());
        busy.set(true);
        let (id, navigate) = (save_id.clone(), save_nav.clone());
        spawn_local(async move {
            match data::save_person(id, person).await {
                Ok(r) => {
                    state.say(format!("已保存 {}", r.body.name));
                    state.changed();
                    navigate("/people", Default::default());
                }
                Err(e) => {
                    // The form keeps what was typed; nothing was written.
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };

    let delete_id = id.clone();
    let on_delete = move |_| {
        let Some(id) = delete_id.clone() else { return };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match data::set_person_deleted(&id, true).await {
                Ok(r) => {
                    state.flash.set(Some(Flash { message: format!("已删除 {}", r.body.name), undo_delete: Some(r.id) }));
                    state.changed();
                    navigate("/people", Default::default());
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };

    let today = web::today().to_string();
    view! {
        <section class="page">
            <h1>{if editing { "编辑人员" } else { "登记老干部" }}</h1>
            {deleted.then(|| view! { <p class="warning">"此记录已删除。保存修改不会恢复它；请在名册的“已删除”中恢复。"</p> })}
            <form class="form" on:submit=on_submit novalidate>
                <Field label="姓名" error=error_of("name")>
                    <input type="text" name="name" autocomplete="off" required
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </Field>
                <Choices label="性别" name="gender" value=gender error=error_of("gender")
                    options=Gender::ALL.iter().map(|g| (g.key(), g.label())).collect()/>
                <Field label="出生日期" error=error_of("birth_date")>
                    <input type="date" name="birth_date" min="1900-01-01" max=today.clone()
                        prop:value=move || birth_date.get() on:input=move |ev| birth_date.set(event_target_value(&ev))/>
                </Field>
                <Choices label="类别" name="category" value=category error=error_of("category")
                    options=Category::ALL.iter().map(|c| (c.key(), c.label())).collect()/>
                <Field label="乡镇（街道）" error=error_of("township")>
                    <input type="text" name="township" autocomplete="off"
                        prop:value=move || township.get() on:input=move |ev| township.set(event_target_value(&ev))/>
                </Field>
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || busy.get()>"保存"</button>
                    {(editing && !deleted).then(|| view! {
                        <button type="button" class="button danger" disabled=move || busy.get() on:click=on_delete.clone()>"删除"</button>
                    })}
                </div>
            </form>
        </section>
    }
}
