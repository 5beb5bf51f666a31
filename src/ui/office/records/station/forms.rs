//! The station's two small forms: a room's name (new, or a rename), and one day's duty.

use leptos::prelude::*;

use super::weekday;
use crate::domain::station::{Duty, Room};
use crate::domain::{Date, FieldErrors, Record, RecordId};
use crate::ui::data;
use crate::ui::draft::DraftOf;
use crate::ui::form::{field, Done, EditForm, Editor, Pending};
use crate::ui::widgets::{PersonPicker, TextInput};

/// A room's name as typed, and which room it renames (none: a new room). Its serde shape is
/// the draft's.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct RoomForm {
    pub name: String,
    pub renaming: Option<RecordId>,
}

/// Adds a room, or renames the one picked in the list.
#[component]
pub fn RoomEditor(form: RwSignal<RoomForm>, rooms: LocalResource<data::Loaded<Room>>) -> impl IntoView {
    let ed = Editor::new(form, DraftOf::record("room", "功能室", "name", None, None, "/station".into()));
    let on_save = move || -> Result<Pending, FieldErrors> {
        let RoomForm { name, renaming } = form.get_untracked();
        let name = name.trim().to_owned();
        if name.is_empty() {
            let mut e = FieldErrors::default();
            e.push("name", "功能室名称", "请填写功能室名称");
            return Err(e);
        }
        // A room deleted since the draft began is added again rather than renamed.
        let renamed = renaming.and_then(|id| {
            rooms.with_untracked(|r| r.as_ref()?.as_ref().ok()?.iter().find(|x| x.id == id && !x.deleted).cloned())
        });
        Ok(Box::pin(async move {
            let (id, notes) = renamed.map_or((None, String::new()), |r| (Some(r.id), r.body.notes));
            let said = if id.is_some() { "已改名为" } else { "已添加" };
            let r = data::save(id, Room { name, notes }).await.map_err(|e| e.to_string())?;
            Ok(Done::then(format!("{said} {}", r.body.name), move || form.set(RoomForm::default())))
        }))
    };
    let label = Signal::derive(move || if form.with(|f| f.renaming.is_some()) { "改名" } else { "添加" }.to_owned());
    view! {
        <EditForm editor=ed on_save=on_save sticky=false save_label=label>
            <TextInput label="功能室名称（如 阅览室、健身室、调解室）" required=true value=field!(form.name) error=ed.error("name")/>
        </EditForm>
    }
}

/// One day's duty as picked. Its serde shape is the draft's.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct DutyForm {
    date: Date,
    people: Vec<RecordId>,
}

/// One day's duty being arranged; its picks are kept as a draft per date.
#[component]
pub fn DutyEditor(
    date: Date,
    existing: Option<Record<Duty>>,
    candidates: Signal<Vec<crate::ui::widgets::Candidate>>,
    editing: RwSignal<Option<Date>>,
) -> impl IntoView {
    let people = existing.as_ref().map(|d| d.body.people.clone()).unwrap_or_default();
    let form = RwSignal::new(DutyForm { date, people });
    let of = DraftOf {
        form: "duty",
        part: Some(date.to_string()),
        path: format!("/station?day={date}"),
        label: "值班",
        name_field: "date",
        base: existing.as_ref().map(|d| d.updated.to_string()),
    };
    let ed = Editor::new(form, of);
    let on_save = move || -> Result<Pending, FieldErrors> {
        let people = form.with_untracked(|f| f.people.clone());
        let existing = existing.clone();
        Ok(Box::pin(async move {
            let notes = existing.as_ref().map(|d| d.body.notes.clone()).unwrap_or_default();
            data::save(existing.map(|d| d.id), Duty { date, people, notes }).await.map_err(|e| e.to_string())?;
            Ok(Done::then(format!("已保存 {}月{}日 的值班", date.month(), date.day()), move || {
                editing.set(None)
            }))
        }))
    };
    let cancel = move |_| {
        ed.draft().forget();
        editing.set(None);
    };
    let actions = move || view! { <button type="button" class="button" on:click=cancel>"取消"</button> };
    view! {
        <div class="card" data-test="rota-editor">
            <p>{format!("{}月{}日 {} 值班人员", date.month(), date.day(), weekday(date))}</p>
            <EditForm editor=ed on_save=on_save actions=actions sticky=false save_label="保存值班" required_hint=false>
                <PersonPicker label="值班人员" candidates=candidates selected=field!(form.people)/>
            </EditForm>
        </div>
    }
}
