//! Who took part in an activity, and each one's hours: picked from the living people, the whole
//! organiser's membership in one tap, hours that follow the default until typed over.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::{ActivityForm, Org, Person, RecordId};
use crate::ui::data::Loaded;
use crate::ui::form::{bind, Bind};
use crate::ui::widgets::{candidates, category_and_township, PersonPicker, TextInput};

#[component]
pub fn Participants(
    form: RwSignal<ActivityForm>,
    /// The organiser's id as chosen (its members can be added at once).
    organiser: Bind<String>,
    /// Each participant's hours start at this; until typed over, they follow it.
    default_hours: RwSignal<String>,
    people: LocalResource<Loaded<Person>>,
    orgs: LocalResource<Loaded<Org>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let candidates = candidates(people, |p| p.is_living(), category_and_township);
    let picked = bind(
        form,
        |f| f.participants.iter().map(|(p, _)| p.clone()).collect(),
        |f, v: Vec<RecordId>| {
            let mut old: HashMap<RecordId, String> = std::mem::take(&mut f.participants).into_iter().collect();
            f.participants = v.into_iter().map(|p| (p.clone(), old.remove(&p).unwrap_or_default())).collect();
        },
    );
    let set_default = move |v: String| {
        let before = default_hours.get_untracked();
        form.update(|f| {
            for (_, h) in f.participants.iter_mut().filter(|(_, h)| h.is_empty() || *h == before) {
                h.clone_from(&v);
            }
        });
        default_hours.set(v);
    };
    // The living members of the chosen organiser (a team's list, a branch's people), for
    // "添加全部成员": a team's lecture is usually the whole team.
    let members = move || -> Vec<RecordId> {
        let Ok(org_id) = RecordId::parse(&organiser.get()) else { return Vec::new() };
        let org = orgs.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).and_then(|v| v.iter().find(|o| o.id == org_id).cloned())
        });
        let Some(org) = org else { return Vec::new() };
        people.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).map_or_else(Vec::new, |p| {
                crate::report::figures::members_of(&org, p)
                    .into_iter()
                    .filter(|p| !p.deleted && p.body.is_living())
                    .map(|p| p.id.clone())
                    .collect()
            })
        })
    };
    let missing_members = move || {
        let chosen = picked.get();
        members().into_iter().filter(|m| !chosen.contains(m)).collect::<Vec<_>>()
    };
    let name_of = move |id: &RecordId| {
        candidates.with(|c| c.iter().find(|(i, _, _)| i == id).map(|(_, n, _)| n.clone())).unwrap_or_default()
    };
    let hours_of = move |p: &RecordId| {
        form.with(|f| f.participants.iter().find(|(q, _)| q == p).map(|(_, h)| h.clone())).unwrap_or_default()
    };

    view! {
        <section class="group">
            <h2>"参加的老干部"</h2>
            <PersonPicker label="参加人员" candidates=candidates selected=picked error=error/>
            {move || {
                let missing = missing_members();
                (!missing.is_empty()).then(|| {
                    let n = missing.len();
                    view! {
                        <button type="button" class="button small" data-test="add-members"
                            on:click=move |_| picked.update(|v| v.extend(missing.iter().cloned()))>
                            {format!("添加全部成员（{n}人）")}
                        </button>
                    }
                })
            }}
            <TextInput label="默认每人时长（小时）" value=Bind::new(default_hours, set_default) inputmode="decimal"/>
            <ul class="plain hours">
                {move || picked.get().into_iter().map(|p| {
                    let name = name_of(&p);
                    let key = p.clone();
                    view! {
                        <li><label class="inline">{format!("{name} 时长（小时）")}
                            <input type="text" inputmode="decimal" class="short"
                                prop:value=move || { let h = hours_of(&p); if h.is_empty() { default_hours.get() } else { h } }
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    form.update(|f| {
                                        if let Some((_, h)) = f.participants.iter_mut().find(|(q, _)| *q == key) {
                                            *h = v;
                                        }
                                    });
                                }/>
                        </label></li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
