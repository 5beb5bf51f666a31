//! The editable list of townships/streets and their villages/communities.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::order::sort_by;
use crate::domain::{Place, Record, RecordId};
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::widgets::{app_state, TextArea, TextInput, Undo};

#[component]
pub fn PlacesPage() -> impl IntoView {
    let places = data::resource::<Place>();
    view! {
        <section class="page">
            <h1>"乡镇与村（社区）"</h1>
            <p class="muted">"这里的乡镇会在登记时作为候选。村（社区）每行一个，或用顿号隔开。"</p>
            <PlaceForm id=None township=String::new() villages=String::new()/>
            {move || match places.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) => {
                    let (mut gone, mut list): (Vec<Record<Place>>, Vec<Record<Place>>) = list.iter().cloned().partition(|p| p.deleted);
                    sort_by(&mut list, |a, b| a.body.township.cmp(&b.body.township));
                    sort_by(&mut gone, |a, b| a.body.township.cmp(&b.body.township));
                    view! {
                        {list.into_iter().map(|p| view! {
                            <details class="group">
                                <summary>{format!("{}（{}个村/社区）", p.body.township, p.body.villages.len())}</summary>
                                <PlaceForm id=Some(p.id.clone()) township=p.body.township.clone() villages=p.body.villages.join("\n")/>
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

#[component]
fn PlaceForm(id: Option<RecordId>, township: String, villages: String) -> impl IntoView {
    let state = app_state();
    let editing = id.is_some();
    let township = RwSignal::new(township);
    let villages = RwSignal::new(villages);
    let error = RwSignal::new(None::<String>);
    let of = DraftOf::record("place", "乡镇", "township", id.as_ref(), None, "/settings/places".into());
    let draft = draft::keep(
        of,
        move || serde_json::json!({ "township": township.get(), "villages": villages.get() }),
        move |v| {
            let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            township.set(text("township"));
            villages.set(text("villages"));
        },
    );
    let save_draft = draft.clone();
    let save_id = id.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let place = match Place::from_form(&township.get_untracked(), &villages.get_untracked()) {
            Ok(p) => p,
            Err(e) => {
                error.set(e.get("township").map(str::to_owned));
                return;
            }
        };
        error.set(None);
        let (id, draft) = (save_id.clone(), save_draft.clone());
        spawn_local(async move {
            match data::save(id.clone(), place).await {
                Ok(p) => {
                    state.say(format!("已保存 {}", p.body.township));
                    if id.is_none() {
                        township.set(String::new());
                        villages.set(String::new());
                    }
                    draft.finished().await;
                }
                Err(e) => state.say(e.to_string()),
            }
            state.changed();
        });
    };
    let delete_draft = draft.clone();
    let on_delete = move |_| {
        let Some(id) = id.clone() else { return };
        let draft = delete_draft.clone();
        spawn_local(async move {
            match data::set_deleted::<Place>(&id, true).await {
                Ok(p) => {
                    draft.finished().await;
                    state.say(format!("已删除 {}", p.body.township))
                }
                Err(e) => state.say(e.to_string()),
            }
            state.changed();
        });
    };
    view! {
        <form class="form" on:submit=on_submit novalidate>
            {draft.notice()}
            <TextInput label="乡镇（街道）" required=true value=township error=Signal::derive(move || error.get())/>
            <TextArea label="村（社区）" value=villages/>
            <div class="form-actions">
                <button type="submit" class="button primary">{if editing { "保存" } else { "添加乡镇" }}</button>
                {editing.then(|| view! { <button type="button" class="button danger" on:click=on_delete.clone()>"删除"</button> })}
            </div>
        </form>
    }
}
