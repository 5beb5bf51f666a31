//! A record's 改动历史 on its page: each write it still holds, newest first, with who
//! (记录人), when and which fields (`sync::history`). Folded: it is looked at when asked.

use leptos::prelude::*;
use serde::Serialize;

use crate::domain::Record;
use crate::storage::web::local_time_text;
use crate::sync::history::{history, Change};
use crate::sync::merge::{Doc, DELETED};
use crate::sync::SyncKind;

fn line(kind: SyncKind, c: &Change, deleted: bool) -> String {
    let who = c.by.clone().unwrap_or_else(|| "（未填记录人）".into());
    let what = if c.created {
        "新建了这条记录".to_owned()
    } else if c.fields == [DELETED] {
        if deleted { "删除了这条记录" } else { "恢复了这条记录" }.to_owned()
    } else {
        let names: Vec<&str> = c.fields.iter().map(|f| kind.field_label(f)).collect();
        format!("改了{}", names.join("、"))
    };
    format!("{} {who}{what}", local_time_text(c.stamp.hlc.ms))
}

/// The 改动历史 of `record`, a `kind`.
pub fn history_of<T: Serialize>(kind: SyncKind, record: &Record<T>) -> impl IntoView {
    let doc: Option<Doc> = serde_json::to_value(record).ok().and_then(|v| serde_json::from_value(v).ok());
    let lines: Vec<String> =
        doc.map(|d| history(&d).iter().map(|c| line(kind, c, d.deleted)).collect()).unwrap_or_default();
    (!lines.is_empty()).then(|| {
        view! {
            <details class="history" data-test="history">
                <summary>"改动历史"</summary>
                <ul class="plain">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            </details>
        }
    })
}
