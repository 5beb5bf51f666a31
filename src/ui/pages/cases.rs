//! Dispute mediation cases (矛盾调解): the form at the top, the list below; a case in the
//! list opens in the form for editing.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::order::sort_by;
use crate::domain::{CaseForm, CaseStatus, DisputeKind, FieldErrors, MediationCase, Person, Record};
use crate::storage::web;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::settings::Settings;
use crate::ui::widgets::{app_state, candidates, show_first_error, Choices, PersonPicker, TextArea, TextInput};

#[component]
pub fn CasesPage() -> impl IntoView {
    let cases = data::resource::<MediationCase>();
    // The case open in the form; the form is made afresh for each, so a draft belongs to one.
    let editing = RwSignal::new(None::<Record<MediationCase>>);
    draft::open_asked(cases, editing);
    let open = move |r: Record<MediationCase>| editing.set(Some(r));

    view! {
        <section class="page">
            <h1>"矛盾调解"</h1>
            {move || {
                let record = editing.get();
                view! { <CaseEditor record=record editing=editing/> }
            }}
            {move || cases.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let mut list: Vec<Record<MediationCase>> = list.iter().filter(|c| !c.deleted).cloned().collect();
                    sort_by(&mut list, |a, b| b.body.opened.cmp(&a.body.opened));
                    if list.is_empty() {
                        return view! { <p class="muted empty">"还没有调解案件。在上面填写当事人和纠纷类型即可登记第一件。"</p> }.into_any();
                    }
                    view! {
                        <h2>{format!("案件（{}）", list.len())}</h2>
                        <ul class="list" data-test="cases">{list.into_iter().map(|c| {
                            let text = format!("{} · {} · {}", c.body.opened, c.body.kind.label(), c.body.status.label());
                            let name = c.body.parties.clone();
                            view! {
                                <li class="row"><button type="button" class="row-main link" on:click=move |_| open(c.clone())>
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
fn CaseEditor(
    record: Option<Record<MediationCase>>,
    editing: RwSignal<Option<Record<MediationCase>>>,
) -> impl IntoView {
    let state = app_state();
    let people = data::resource::<Person>();
    let id = record.as_ref().map(|r| r.id.clone());
    let initial = match &record {
        Some(r) => CaseForm::from_case(&r.body),
        None => CaseForm {
            opened: web::today().to_string(),
            status: CaseStatus::Open.key().into(),
            township: Settings::load().township,
            ..CaseForm::default()
        },
    };
    let parties = RwSignal::new(initial.parties);
    let kind = RwSignal::new(initial.kind);
    let township = RwSignal::new(initial.township);
    let room = RwSignal::new(initial.room);
    let opened = RwSignal::new(initial.opened);
    let closed = RwSignal::new(initial.closed);
    let status = RwSignal::new(initial.status);
    let outcome = RwSignal::new(initial.outcome);
    let beneficiaries = RwSignal::new(initial.beneficiaries);
    let mediators = RwSignal::new(initial.mediators);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));
    let candidates = candidates(people, |_| true, |p| p.township.clone());
    let read = move || CaseForm {
        parties: parties.get(),
        kind: kind.get(),
        mediators: mediators.get(),
        township: township.get(),
        room: room.get(),
        opened: opened.get(),
        closed: closed.get(),
        status: status.get(),
        outcome: outcome.get(),
        beneficiaries: beneficiaries.get(),
    };
    let fill = move |f: CaseForm| {
        parties.set(f.parties);
        kind.set(f.kind);
        township.set(f.township);
        room.set(f.room);
        opened.set(f.opened);
        closed.set(f.closed);
        status.set(f.status);
        outcome.set(f.outcome);
        beneficiaries.set(f.beneficiaries);
        mediators.set(f.mediators);
    };
    let path = id.as_ref().map_or_else(|| "/cases".to_owned(), |i| format!("/cases?edit={i}"));
    let of = DraftOf::record("case", "调解案件", "parties", id.as_ref(), record.as_ref().map(|r| r.updated), path);
    let draft = draft::keep_form(of, read, fill);

    let save_id = id.clone();
    let save_draft = draft.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let case = match untrack(read).validate(web::today()) {
            Ok(c) => c,
            Err(e) => {
                errors.set(e);
                show_first_error();
                return;
            }
        };
        busy.set(true);
        let (id, draft) = (save_id.clone(), save_draft.clone());
        spawn_local(async move {
            match data::save(id, case).await {
                Ok(r) => {
                    draft.finished().await;
                    state.say(format!("已保存调解案件：{}", r.body.parties));
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
            match data::set_deleted::<MediationCase>(&id, true).await {
                Ok(r) => {
                    draft.finished().await;
                    state.deleted::<MediationCase>(id, &r.body.parties);
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
    let kinds: Vec<(&'static str, &'static str)> = DisputeKind::ALL.iter().map(|k| (k.key(), k.label())).collect();
    let statuses: Vec<(&'static str, &'static str)> = CaseStatus::ALL.iter().map(|k| (k.key(), k.label())).collect();
    let existing = record.is_some();
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <h2>{if existing { "修改案件" } else { "登记案件" }}</h2>
            {draft.notice()}
            <p class="form-hint">"带 * 的为必填项"</p>
            <TextInput label="当事人" required=true value=parties error=error_of("parties") name="parties"/>
            <Choices label="纠纷类型" required=true name="kind" options=kinds value=kind error=error_of("kind")/>
            <PersonPicker label="调解员" candidates=candidates selected=mediators/>
            <TextInput label="乡镇（街道）" value=township/>
            <TextInput label="调解室" value=room/>
            <TextInput label="受理日期" required=true kind="date" value=opened error=error_of("opened")/>
            <Choices label="状态" required=true name="status" options=statuses value=status error=error_of("status")/>
            <TextInput label="结案日期" kind="date" value=closed error=error_of("closed")/>
            <TextArea label="调解结果" value=outcome/>
            <TextInput label="受益群众（人）" inputmode="numeric" value=beneficiaries error=error_of("beneficiaries")/>
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
