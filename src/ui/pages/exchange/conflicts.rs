//! The exchange page's conflict log: concurrent edits that lost a merge, each with what was
//! lost and a way to put it back.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::days_ago;
use crate::sync::merge::{Conflict, DELETED};
use crate::sync::SyncKind;
use crate::ui::data;
use crate::ui::widgets::app_state;

fn field_label(field: &str) -> &str {
    match field {
        DELETED => "删除状态",
        "name" => "姓名/名称",
        "phone" => "联系电话",
        "id_number" => "身份证号",
        "township" => "乡镇",
        "village" => "村（社区）",
        "health" => "健康状况",
        "branch" => "所属支部",
        "birth_date" => "出生日期",
        "former_unit" => "原单位",
        "post" => "职务",
        "date" => "日期",
        "amount" => "金额",
        "theme" => "主题",
        "notes" => "备注",
        "members" => "成员",
        other => other,
    }
}

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
        _ => "/settings/places".to_owned(),
    }
}

#[component]
pub fn ConflictPart() -> impl IntoView {
    let state = app_state();
    let log = LocalResource::new(move || {
        state.revision.track();
        data::conflicts()
    });
    let restore = move |c: Conflict| {
        spawn_local(async move {
            match data::restore_conflict(&c).await {
                Ok(()) => state.say(format!("已恢复{}：{}", field_label(&c.field), value_text(&c.value))),
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
                <ul class="list" data-test="conflicts">{list.into_iter().map(|c| {
                    let kind = SyncKind::from_key(&c.kind).map_or("记录", SyncKind::label);
                    let href = record_link(&c.kind, c.record.as_str());
                    let value = value_text(&c.value);
                    let when = days_ago(c.stamp.hlc.ms);
                    let again = c.clone();
                    view! {
                        <li class="row">
                            <span class="row-main">
                                <a href=href>{format!("{kind} · {}", field_label(&c.field))}</a>
                                <span class="sub">{format!("被覆盖的值：{value} · {when}")}</span>
                            </span>
                            <button type="button" class="button small" on:click=move |_| restore(again.clone())>"恢复此值"</button>
                        </li>
                    }
                }).collect_view()}</ul>
            }.into_any(),
        })}
    }
}
