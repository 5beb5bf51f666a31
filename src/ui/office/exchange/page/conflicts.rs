//! The exchange page's conflict log: concurrent edits that lost a merge, each with what was
//! lost and a way to put it back.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::days_ago;
use crate::storage::StorageError;
use crate::sync::merge::Conflict;
use crate::sync::SyncKind;
use crate::ui::data;
use crate::ui::widgets::app_state;

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "（空）".to_owned(),
        v => v.to_string(),
    }
}

fn record_link(kind: &str, id: &str) -> String {
    match SyncKind::from_key(kind) {
        Some(SyncKind::Person) => format!("/people/{id}"),
        Some(SyncKind::Org) => format!("/orgs/{id}"),
        Some(SyncKind::Activity) => format!("/activities/{id}"),
        Some(SyncKind::Benefit) => format!("/benefits/{id}"),
        Some(SyncKind::Case) => "/cases".to_owned(),
        Some(SyncKind::Feedback) => "/feedback".to_owned(),
        Some(SyncKind::Room | SyncKind::Duty) => "/station".to_owned(),
        _ => "/settings/places".to_owned(),
    }
}

fn label_of(c: &Conflict) -> &'static str {
    SyncKind::from_key(&c.kind).map_or("其他内容", |k| k.field_label(&c.field))
}

#[component]
pub fn ConflictPart() -> impl IntoView {
    let state = app_state();
    let log = data::reread(data::conflicts_named);
    let restore = move |c: Conflict| {
        spawn_local(async move {
            match data::restore_conflict(&c).await {
                Ok(()) => state.say(format!("已恢复{}：{}", label_of(&c), value_text(&c.value))),
                // The record's own rules refused the old value: say so about this field.
                Err(StorageError::Write(_)) => state.say(format!(
                    "无法恢复{}：被覆盖的值（{}）不符合这一项现在的要求，记录保持不变",
                    label_of(&c),
                    value_text(&c.value)
                )),
                Err(e) => state.say(e.to_string()),
            }
            state.changed();
        });
    };
    view! {
        {move || log.get().map(|r| match r {
            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
            Ok(list) if list.is_empty() => ().into_any(),
            Ok(list) => view! {
                <h2>{format!("冲突记录（{}）", list.len())}</h2>
                <p class="muted">"两处同时修改了同一项，合并时保留了较晚的修改。被覆盖的值在这里，可以恢复。"</p>
                <ul class="list" data-test="conflicts">{list.into_iter().map(|(c, name)| {
                    let kind = SyncKind::from_key(&c.kind).map_or("记录", SyncKind::label);
                    let name = name.unwrap_or_else(|| "（本机没有这条记录）".to_owned());
                    let href = record_link(&c.kind, c.record.as_str());
                    let value = value_text(&c.value);
                    let when = days_ago(c.stamp.hlc.ms);
                    let who = c.by.as_deref().map(crate::sync::history::shown_name).filter(|n| !n.is_empty())
                        .map(|n| format!(" · {n}改的")).unwrap_or_default();
                    let again = c.clone();
                    view! {
                        <li class="row">
                            <span class="row-main">
                                <a href=href>{format!("{kind}「{name}」 · {}", label_of(&c))}</a>
                                <span class="sub">{format!("被覆盖的值：{value}{who} · {when}")}</span>
                            </span>
                            <button type="button" class="button small" on:click=move |_| restore(again.clone())>"恢复此值"</button>
                        </li>
                    }
                }).collect_view()}</ul>
            }.into_any(),
        })}
    }
}
