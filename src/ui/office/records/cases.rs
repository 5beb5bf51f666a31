//! Dispute mediation cases (矛盾调解): the form at the top, the list below; a case in the
//! list opens in the form for editing.

use leptos::prelude::*;

use super::inline::{inline_page, InlinePage};
use crate::domain::{CaseForm, CaseStatus, DisputeKind, MediationCase, Person, Record};
use crate::storage::web;
use crate::ui::data;
use crate::ui::form::{field, save_record, Done, EditForm, Editor};
use crate::ui::settings::Settings;
use crate::ui::widgets::{candidates, Choices, PersonPicker, TextArea, TextInput};

/// Cases as an inline page: its words, order, rows and form.
const PAGE: InlinePage<MediationCase> = InlinePage {
    title: "矛盾调解",
    list: "案件",
    empty: "还没有调解案件。在上面填写当事人和纠纷类型即可登记第一件。",
    order: |a, b| b.opened.cmp(&a.opened),
    row: |c| (c.parties.clone(), format!("{} · {} · {}", c.opened, c.kind.label(), c.status.label())),
    editor: |record, editing| view! { <CaseEditor record=record editing=editing/> }.into_any(),
};

#[component]
pub fn CasesPage() -> impl IntoView {
    inline_page(PAGE)
}

#[component]
fn CaseEditor(
    record: Option<Record<MediationCase>>,
    editing: RwSignal<Option<Record<MediationCase>>>,
) -> impl IntoView {
    let people = data::resource::<Person>();
    let new = || CaseForm {
        opened: web::today().to_string(),
        status: CaseStatus::Open.key().into(),
        township: Settings::load().township,
        ..CaseForm::default()
    };
    let (form, ed) = Editor::inline(record.as_ref(), CaseForm::from_case, new, ("case", "调解案件", "parties"), "/cases");
    let candidates = candidates(people, |_| true, |p| p.township.clone());

    let save_id = ed.id();
    let on_save = move || {
        save_record(save_id.clone(), form.get_untracked().validate(web::today()), move |r| {
            Done::then(format!("已保存调解案件：{}", r.body.parties), move || editing.set(None))
        })
    };
    let kinds: Vec<(&'static str, &'static str)> = DisputeKind::ALL.iter().map(|k| (k.key(), k.label())).collect();
    let statuses: Vec<(&'static str, &'static str)> = CaseStatus::ALL.iter().map(|k| (k.key(), k.label())).collect();
    let existing = record.is_some();
    let actions = ed.inline_actions::<MediationCase>(|c| c.parties.clone(), move || editing.set(None));
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
