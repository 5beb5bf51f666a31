//! The station (老干部驿站): its rooms, and the duty rota for the coming two weeks with the
//! days nobody covers, weekends and holidays included.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::order::{natural_cmp, sort_by};
use crate::domain::station::{classes_since, rota_gaps, Duty, Room};
use crate::domain::{Activity, Date, Person, Record, RecordId};
use crate::storage::web;
use crate::ui::data;
use crate::ui::widgets::{app_state, candidates};

/// Days of rota shown ahead.
const DAYS: i64 = 14;
/// Days of past classes listed.
const CLASS_DAYS: i64 = 90;
mod forms;

use forms::{DutyEditor, RoomEditor, RoomForm};

const WEEKDAYS: [&str; 7] = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

pub(crate) fn weekday(d: Date) -> &'static str {
    // 1970-01-01 was a Thursday.
    WEEKDAYS[(d.to_days() + 4).rem_euclid(7) as usize]
}

#[component]
pub fn StationPage() -> impl IntoView {
    let state = app_state();
    let rooms = data::resource::<Room>();
    let duties = data::resource::<Duty>();
    let people = data::resource::<Person>();
    let activities = data::resource::<Activity>();
    // A new room's name, or a new name for the room being renamed.
    let room = RwSignal::new(RoomForm::default());
    // A link from the list of drafts (`?day=2026-12-05`) opens that day's editor.
    let asked = crate::ui::shell::router::use_query_map().with_untracked(|q| q.get("day")).and_then(|d| d.parse().ok());
    let editing = RwSignal::new(asked);
    let today = web::today();
    // The fortnight shown: 0 from today, ±1 the ones after or before, for planning ahead.
    let fortnight = RwSignal::new(0i64);
    let days = move || -> Vec<Date> {
        let start = today.to_days() + fortnight.get() * DAYS;
        (0..DAYS).filter_map(|i| Date::from_days(start + i)).collect()
    };

    let remove_room = move |id: RecordId| {
        spawn_local(async move {
            match data::set_deleted::<Room>(&id, true).await {
                Ok(r) => state.deleted::<Room>(r.id, &r.body.name),
                Err(e) => {
                    state.say(e.to_string());
                    state.changed();
                }
            }
        });
    };
    let candidates = candidates(people, |_| true, |p| p.township.clone());
    let live_duties = move || -> Vec<Record<Duty>> {
        duties
            .with(|r| {
                r.as_ref().and_then(|r| r.as_ref().ok()).map(|v| v.iter().filter(|d| !d.deleted).cloned().collect())
            })
            .unwrap_or_default()
    };
    let name_of =
        move |id: &RecordId| candidates.with(|c| c.iter().find(|(i, _, _)| i == id).map(|(_, n, _)| n.clone()));

    view! {
        <section class="page">
            <h1>"老干部驿站"</h1>
            <h2>"功能室"</h2>
            {move || rooms.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let mut list: Vec<Record<Room>> = list.iter().filter(|r| !r.deleted).cloned().collect();
                    sort_by(&mut list, |a, b| natural_cmp(&a.body.name, &b.body.name));
                    view! { <ul class="list" data-test="rooms">{list.into_iter().map(|r| {
                        let id = r.id.clone();
                        let name = r.body.name.clone();
                        view! { <li class="row"><span class="row-main"><span class="name">{name}</span></span>
                            <button type="button" class="button small" on:click=move |_| room.set(RoomForm { name: r.body.name.clone(), renaming: Some(r.id.clone()) })>"改名"</button>
                            <button type="button" class="button small" on:click=move |_| remove_room(id.clone())>"删除"</button></li> }
                    }).collect_view()}</ul> }.into_any()
                }
            })}
            <RoomEditor form=room rooms=rooms/>
            <h2>"值班安排"</h2>
            <div class="month-nav">
                <button type="button" class="button small" aria-label="前两周" on:click=move |_| fortnight.update(|f| *f -= 1)>"‹"</button>
                <strong data-test="fortnight">{move || {
                    let d = days();
                    match (d.first(), d.last()) {
                        (Some(a), Some(b)) => format!("{}月{}日至{}月{}日", a.month(), a.day(), b.month(), b.day()),
                        _ => String::new(),
                    }
                }}</strong>
                <button type="button" class="button small" aria-label="后两周" on:click=move |_| fortnight.update(|f| *f += 1)>"›"</button>
            </div>
            {move || {
                let list = live_duties();
                let plain: Vec<Duty> = list.iter().map(|d| d.body.clone()).collect();
                let days = days();
                let (Some(&first), Some(&last)) = (days.first(), days.last()) else { return ().into_any() };
                let gaps = rota_gaps(&plain, first, last);
                let rows = days.into_iter().map(|d| {
                    let who: Vec<String> = list.iter().filter(|x| x.body.date == d).flat_map(|x| x.body.people.iter().filter_map(name_of)).collect();
                    let empty = who.is_empty();
                    view! {
                        <li class="row">
                            <span class="row-main">
                                <span class="name">{format!("{}月{}日 {}", d.month(), d.day(), weekday(d))}</span>
                                {if empty {
                                    view! { <span class="badge dead">"无人值班"</span> }.into_any()
                                } else {
                                    view! { <span class="meta">{who.join("、")}</span> }.into_any()
                                }}
                            </span>
                            <button type="button" class="button small" on:click=move |_| editing.set(Some(d))>"安排"</button>
                        </li>
                    }
                }).collect_view();
                view! {
                    <p class=if gaps.is_empty() { "muted" } else { "nudge urgent" } data-test="rota-gaps">{if gaps.is_empty() {
                        "这两周每天都有人值班。".to_owned()
                    } else {
                        format!("有 {} 天无人值班：{}", gaps.len(), gaps.iter().map(|d| format!("{}月{}日", d.month(), d.day())).collect::<Vec<_>>().join("、"))
                    }}</p>
                    <ul class="list" data-test="rota">{rows}</ul>
                }.into_any()
            }}
            {move || editing.get().map(|d| {
                let existing = live_duties().into_iter().find(|x| x.body.date == d);
                view! { <DutyEditor date=d existing=existing candidates=candidates editing=editing/> }
            })}
            <div class="page-head">
                <h2>{format!("驿站授课（近 {CLASS_DAYS} 天）")}</h2>
                <a href="/activities/new?kind=class" class="button small primary">"＋ 记一次授课"</a>
            </div>
            {move || activities.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let since = Date::from_days(today.to_days() - CLASS_DAYS).unwrap_or(today);
                    let rows: Vec<_> = classes_since(&list, since).into_iter().map(|a| {
                        let teachers: Vec<String> = a.body.participants.iter().filter_map(|p| name_of(&p.person)).collect();
                        let meta = format!("{} · 授课：{} · 听课 {} 人", a.body.date,
                            if teachers.is_empty() { "未填".to_owned() } else { teachers.join("、") }, a.body.audience);
                        view! { <li class="row"><a href=format!("/activities/{}", a.id) class="row-main">
                            <span class="name">{a.body.theme.clone()}</span><span class="meta">{meta}</span></a></li> }
                    }).collect();
                    if rows.is_empty() {
                        view! { <p class="muted">"近期没有驿站授课记录。"</p> }.into_any()
                    } else {
                        view! { <ul class="list" data-test="classes">{rows}</ul> }.into_any()
                    }
                }
            })}
        </section>
    }
}
