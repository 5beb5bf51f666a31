//! Record or edit a payment or service to a person; the amount is typed in yuan and kept as
//! exact fen.

use crate::ui::router::{use_navigate, use_params_map, use_query_map};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{Benefit, BenefitForm, BenefitKind, Category, FieldErrors, Hlc, Person, RecordId};
use crate::storage::web;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::settings::Recent;
use crate::ui::widgets::{
    app_state, candidates, category_and_township, page_note, show_first_error, Choices, Field, PersonPicker, TextArea,
    TextInput,
};

#[component]
pub fn BenefitEdit() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    move || match params.with(|p| p.get("id")) {
        None => {
            let recent = Recent::load().benefit_kind;
            let kind = query.with(|q| q.get("kind")).unwrap_or(if recent.is_empty() {
                BenefitKind::HolidayVisit.key().into()
            } else {
                recent
            });
            let person = query.with(|q| q.get("person")).and_then(|p| RecordId::parse(&p).ok());
            let initial = BenefitForm { kind, person, date: web::today().to_string(), ..BenefitForm::default() };
            view! { <Editor id=None base=None initial=initial/> }.into_any()
        }
        Some(text) => match RecordId::parse(&text) {
            Err(_) => page_note("error", "链接中的编号无效"),
            Ok(id) => {
                let found = data::record_once::<Benefit>(id.clone());
                view! {
                    {move || match found.get() {
                        Some(Ok(Some(b))) if !b.deleted => view! {
                            <Editor id=Some(id.clone()) base=Some(b.updated) initial=BenefitForm::from_benefit(&b.body)/>
                        }.into_any(),
                        Some(Ok(_)) => page_note("error", "找不到这条记录，可能已被删除"),
                        Some(Err(e)) => page_note("error", e.to_string()),
                        None => page_note("muted", "正在读取…"),
                    }}
                }
                .into_any()
            }
        },
    }
}

#[component]
fn Editor(id: Option<RecordId>, base: Option<Hlc>, initial: BenefitForm) -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let editing = id.is_some();
    let people = data::resource::<Person>();

    let kind = RwSignal::new(initial.kind);
    let person = RwSignal::new(initial.person.into_iter().collect::<Vec<_>>());
    let date = RwSignal::new(initial.date);
    let amount = RwSignal::new(initial.amount);
    let notes = RwSignal::new(initial.notes);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));

    // Registry people first; widow(er)s and 离休 cadres are who most benefits go to.
    let candidates = candidates(people, |p| p.category != Category::Other, category_and_township);

    let read = move || BenefitForm {
        kind: kind.get(),
        person: person.get().into_iter().next(),
        date: date.get(),
        amount: amount.get(),
        notes: notes.get(),
    };
    let fill = move |f: BenefitForm| {
        kind.set(f.kind);
        person.set(f.person.into_iter().collect());
        date.set(f.date);
        amount.set(f.amount);
        notes.set(f.notes);
    };
    let of = DraftOf::record("benefit", "待遇发放", "amount", id.as_ref(), base, draft::here());
    let draft = draft::keep_form(of, read, fill);
    let changed = data::changed_since::<Benefit>(id.clone(), base);

    let save_id = id.clone();
    let save_draft = draft.clone();
    let submit = move |again: bool| {
        if busy.get_untracked() {
            return;
        }
        let form = untrack(read);
        let benefit = match form.validate(web::today()) {
            Ok(b) => b,
            Err(e) => {
                errors.set(e);
                show_first_error();
                return;
            }
        };
        errors.set(FieldErrors::default());
        busy.set(true);
        Recent { benefit_kind: kind.get_untracked(), ..Recent::load() }.save();
        let (id, navigate, draft) = (save_id.clone(), navigate.clone(), save_draft.clone());
        spawn_local(async move {
            match data::save(id, benefit).await {
                Ok(r) => {
                    state.say(format!("已保存 {} ¥{}", r.body.kind.label(), r.body.amount));
                    state.changed();
                    if again {
                        person.set(Vec::new());
                        notes.set(String::new());
                        draft.finished().await;
                        busy.set(false);
                    } else {
                        draft.finished().await;
                        navigate("/log", Default::default());
                    }
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };
    let on_submit = {
        let submit = submit.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            submit(false);
        }
    };
    let delete_id = id.clone();
    let delete_nav = use_navigate();
    let delete_draft = draft.clone();
    let on_delete = move |_| {
        let Some(id) = delete_id.clone() else { return };
        let (navigate, draft) = (delete_nav.clone(), delete_draft.clone());
        spawn_local(async move {
            match data::set_deleted::<Benefit>(&id, true).await {
                Ok(r) => {
                    draft.finished().await;
                    state.deleted::<Benefit>(r.id, r.body.kind.label());
                    navigate("/log", Default::default());
                }
                Err(e) => state.say(e.to_string()),
            }
        });
    };

    view! {
        <section class="page">
            <h1>{if editing { "编辑待遇发放" } else { "记录待遇发放" }}</h1>
            {draft.changed_notice(changed)}
            {draft.notice()}
            <form class="form" on:submit=on_submit novalidate>
                <p class="form-hint">"带 * 的为必填项"</p>
                <Choices label="类型" required=true name="kind" value=kind error=error_of("kind")
                    options=BenefitKind::ALL.iter().map(|k| (k.key(), k.label())).collect()/>
                <PersonPicker label="发放对象" required=true candidates=candidates selected=person multiple=false error=error_of("person")/>
                <Field label="日期" required=true error=error_of("date")>
                    <input type="date" name="date" max=web::today().to_string()
                        prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                </Field>
                <TextInput label="金额（元）" required=true value=amount error=error_of("amount") inputmode="decimal" name="amount" placeholder="如 1234.56"/>
                <TextArea label="备注" value=notes/>
                <div class="form-actions sticky">
                    <button type="submit" class="button primary" disabled=move || busy.get()>"保存"</button>
                    {(!editing).then(|| view! {
                        <button type="button" class="button" disabled=move || busy.get() on:click=move |_| submit(true)>"保存并继续"</button>
                    })}
                    {editing.then(|| view! { <button type="button" class="button danger" on:click=on_delete.clone()>"删除"</button> })}
                </div>
            </form>
        </section>
    }
}
