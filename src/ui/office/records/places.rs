//! The editable list of townships/streets and their villages/communities.

use leptos::prelude::*;

use crate::domain::order::{natural_cmp, sort_by};
use crate::domain::{FieldErrors, Place, PlaceForm, Record};
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::form::{field, DeleteButton, Done, EditForm, Editor, Pending};
use crate::ui::widgets::{app_state, TextArea, TextInput, Undo};

#[component]
pub fn PlacesPage() -> impl IntoView {
    let places = data::resource::<Place>();
    view! {
        <section class="page">
            <h1>"乡镇与村（社区）"</h1>
            <p class="muted">"这里的乡镇会在登记时作为候选。村（社区）每行一个，或用顿号隔开。"</p>
            <PlaceEditor record=None/>
            {move || match places.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) => {
                    let (mut gone, mut list): (Vec<Record<Place>>, Vec<Record<Place>>) = list.iter().cloned().partition(|p| p.deleted);
                    sort_by(&mut list, |a, b| natural_cmp(&a.body.township, &b.body.township));
                    sort_by(&mut gone, |a, b| natural_cmp(&a.body.township, &b.body.township));
                    view! {
                        {list.into_iter().map(|p| view! {
                            <details class="group">
                                <summary>{format!("{}（{}个村/社区）", p.body.township, p.body.villages.len())}</summary>
                                <PlaceEditor record=Some(p)/>
                            </details>
                        }).collect_view()}
                        {(!gone.is_empty()).then(|| view! {
                            <h2>"已删除"</h2>
                            <ul class="list">{gone.into_iter().map(deleted_row).collect_view()}</ul>
                        })}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

fn deleted_row(p: Record<Place>) -> impl IntoView {
    let state = app_state();
    let undo = Undo { store: Place::STORE, id: p.id.clone(), name: p.body.township.clone() };
    let restore = move |_| data::undelete(state, undo.clone());
    view! {
        <li class="row">
            <span class="row-main"><span class="name">{p.body.township}</span></span>
            <button type="button" class="button small" on:click=restore>"恢复"</button>
        </li>
    }
}

/// A township's form: a new one at the top (cleared after each), or an existing one's.
#[component]
fn PlaceEditor(record: Option<Record<Place>>) -> impl IntoView {
    let names = ("place", "乡镇", "township");
    let (form, ed) = Editor::inline(record.as_ref(), PlaceForm::from_place, PlaceForm::default, names, "/settings/places");
    let save_id = ed.id();
    let on_save = move || -> Result<Pending, FieldErrors> {
        let place = form.get_untracked().validate()?;
        let id = save_id.clone();
        Ok(Box::pin(async move {
            let new = id.is_none();
            let p = data::save(id, place).await.map_err(|e| e.to_string())?;
            Ok(Done::then(format!("已保存 {}", p.body.township), move || {
                if new {
                    form.set(PlaceForm::default());
                }
            }))
        }))
    };
    let delete = move |()| {
        if let Some(id) = ed.id() {
            ed.delete::<Place>(id, |p| p.township.clone(), || Done::stay(""));
        }
    };
    let existing = record.is_some();
    let actions = move || existing.then(|| view! { <DeleteButton on_delete=delete what="这个乡镇"/> });
    view! {
        <EditForm editor=ed on_save=on_save actions=actions sticky=false save_label=if existing { "保存" } else { "添加乡镇" }>
            <TextInput label="乡镇（街道）" required=true value=field!(form.township) error=ed.error("township")/>
            <TextArea label="村（社区）" value=field!(form.villages)/>
        </EditForm>
    }
}
