//! Dispute mediation cases (矛盾调解): the form at the top, the list below; a case in the
//! list opens in the form for editing.

use leptos::prelude::*;

use crate::domain::order::sort_by;
use crate::domain::{CaseForm, CaseStatus, DisputeKind, FieldErrors, MediationCase, Person, Record};
use crate::storage::web;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::form::{field, Done, EditForm, Editor, Pending};
use crate::ui::settings::Settings;
use crate::ui::widgets::{candidates, Choices, PersonPicker, TextArea, TextInput};

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
    let form = RwSignal::new(initial);
    let path = id.as_ref().map_or_else(|| "/cases".to_owned(), |i| format!("/cases?edit={i}"));
    let of = DraftOf::record("case", "调解案件", "parties", id.as_ref(), record.as_ref().map(|r| r.updated), path);
    let ed = Editor::new(form, of);
    let candidates = candidates(people, |_| true, |p| p.township.clone());

    let save_id = id.clone();
    let on_save = move || -> Result<Pending, FieldErrors> {
        let case = form.get_untracked().validate(web::today())?;
        let id = save_id.clone();
        Ok(Box::pin(async move {
            let r = data::save(id, case).await.map_err(|e| e.to_string())?;
            Ok(Done::then(format!("已保存调解案件：{}", r.body.parties), move || editing.set(None)))
        }))
    };
    let delete = move |_| {
        if let Some(id) = id.clone() {
            ed.delete::<MediationCase>(id, |c| c.parties.clone(), move || Done::then("", move || editing.set(None)));
        }
    };
    let cancel = move |_| {
        ed.draft().forget();
        editing.set(None);
    };
    let kinds: Vec<(&'static str, &'static str)> = DisputeKind::ALL.iter().map(|k| (k.key(), k.label())).collect();
    let statuses: Vec<(&'static str, &'static str)> = CaseStatus::ALL.iter().map(|k| (k.key(), k.label())).collect();
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
        <EditForm editor=ed on_save=on_save heading=if existing { "修改案件" } else { "登记案件" } actions=actions sticky=false>
            <TextInput label="当事人" required=true value=field!(form.parties) error=ed.error("parties") name="parties"/>
            <Choices label="纠纷类型" required=true name="kind" options=kinds value=field!(form.kind) error=ed.error("kind")/>
            <PersonPicker label="调解员" candidates=candidates selected=field!(form.mediators)/>
            <TextInput label="乡镇（街道）" value=field!(form.township)/>
            <TextInput label="调解室" value=field!(form.room)/>
            <TextInput label="受理日期" required=true kind="date" value=field!(form.opened) error=ed.error("opened")/>
            <Choices label="状态" required=true name="status" options=statuses value=field!(form.status) error=ed.error("status")/>
            <TextInput label="结案日期" kind="date" value=field!(form.closed) error=ed.error("closed")/>
            <TextArea label="调解结果" value=field!(form.outcome)/>
            <TextInput label="受益群众（人）" inputmode="numeric" value=field!(form.beneficiaries) error=ed.error("beneficiaries")/>
        </EditForm>
    }
}
