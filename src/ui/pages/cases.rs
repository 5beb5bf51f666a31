//! Dispute mediation cases (矛盾调解): the form at the top, the list below; a case in the
//! list opens in the form for editing.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::order::sort_by;
use crate::domain::{CaseForm, CaseStatus, DisputeKind, FieldErrors, MediationCase, Person, Record, RecordId};
use crate::storage::web;
use crate::ui::data;
use crate::ui::settings::Settings;
use crate::ui::widgets::{app_state, candidates, Choices, PersonPicker, TextArea, TextInput};

#[component]
pub fn CasesPage() -> impl IntoView {
    let state = app_state();
    let cases = data::resource::<MediationCase>();
    let people = data::resource::<Person>();
    let editing = RwSignal::new(None::<RecordId>);
    let blank = move || CaseForm {
        opened: web::today().to_string(),
        status: CaseStatus::Open.key().into(),
        township: Settings::load().township,
        ..CaseForm::default()
    };
    let (parties, kind, township, room) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (opened, closed, status, outcome) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let beneficiaries = RwSignal::new(String::new());
    let mediators = RwSignal::new(Vec::<RecordId>::new());
    let errors = RwSignal::new(FieldErrors::default());
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
        errors.set(FieldErrors::default());
    };
    fill(blank());
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));
    let candidates = candidates(people, |_| true, |p| p.township.clone());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = CaseForm {
            parties: parties.get_untracked(),
            kind: kind.get_untracked(),
            mediators: mediators.get_untracked(),
            township: township.get_untracked(),
            room: room.get_untracked(),
            opened: opened.get_untracked(),
            closed: closed.get_untracked(),
            status: status.get_untracked(),
            outcome: outcome.get_untracked(),
            beneficiaries: beneficiaries.get_untracked(),
        };
        let case = match form.validate(web::today()) {
            Ok(c) => c,
            Err(e) => return errors.set(e),
        };
        spawn_local(async move {
            match data::save(editing.get_untracked(), case).await {
                Ok(r) => {
                    state.say(format!("已保存调解案件：{}", r.body.parties));
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
            match data::set_deleted::<MediationCase>(&id, true).await {
                Ok(r) => {
                    state.deleted::<MediationCase>(id, &r.body.parties);
                    editing.set(None);
                    fill(blank());
                }
                Err(e) => state.say(e.to_string()),
            }
        });
    };
    let open = move |r: Record<MediationCase>| {
        editing.set(Some(r.id.clone()));
        fill(CaseForm::from_case(&r.body));
    };
    let kinds: Vec<(&'static str, &'static str)> = DisputeKind::ALL.iter().map(|k| (k.key(), k.label())).collect();
    let statuses: Vec<(&'static str, &'static str)> = CaseStatus::ALL.iter().map(|k| (k.key(), k.label())).collect();

    view! {
        <section class="page">
            <h1>"矛盾调解"</h1>
            <form class="form" on:submit=on_submit novalidate>
                <h2>{move || if editing.get().is_some() { "修改案件" } else { "登记案件" }}</h2>
                <TextInput label="当事人" value=parties error=error_of("parties")/>
                <Choices label="纠纷类型" name="kind" options=kinds value=kind error=error_of("kind")/>
                <PersonPicker label="调解员" candidates=candidates selected=mediators/>
                <TextInput label="乡镇（街道）" value=township/>
                <TextInput label="调解室" value=room/>
                <TextInput label="受理日期" kind="date" value=opened error=error_of("opened")/>
                <Choices label="状态" name="status" options=statuses value=status error=error_of("status")/>
                <TextInput label="结案日期" kind="date" value=closed error=error_of("closed")/>
                <TextArea label="调解结果" value=outcome/>
                <TextInput label="受益群众（人）" inputmode="numeric" value=beneficiaries error=error_of("beneficiaries")/>
                <div class="form-actions">
                    <button type="submit" class="button primary">"保存"</button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button" on:click=move |_| { editing.set(None); fill(blank()) }>"取消修改"</button>
                        <button type="button" class="button danger" on:click=delete>"删除"</button>
                    </Show>
                </div>
            </form>
            {move || cases.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let mut list: Vec<Record<MediationCase>> = list.iter().filter(|c| !c.deleted).cloned().collect();
                    sort_by(&mut list, |a, b| b.body.opened.cmp(&a.body.opened));
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
