//! A record's 改动历史 on its page: each write it still holds, newest first, with who
//! (记录人), when and which fields (`sync::history`), and the writes that lost a merge (the
//! conflict log's entries for it). Folded: it is looked at when asked.

use leptos::prelude::*;
use serde::Serialize;

use crate::domain::Record;
use crate::storage::web::local_time_text;
use crate::sync::history::{history_with, Change};
use crate::sync::merge::{Doc, DELETED};
use crate::sync::SyncKind;
use crate::ui::data;

fn line(kind: SyncKind, c: &Change, deleted: bool) -> String {
    let who = c.by.clone().unwrap_or_else(|| "（未填记录人）".into());
    let names = || c.fields.iter().map(|f| kind.field_label(f)).collect::<Vec<_>>().join("、");
    let what = if c.created {
        "新建了这条记录".to_owned()
    } else if c.lost {
        // Its value is on the exchange page's 冲突记录, where it can be put back.
        format!("改了{}，被另一处更晚的修改覆盖（可在“导出与导入”页恢复）", names())
    } else if c.fields == [DELETED] {
        if deleted { "删除了这条记录" } else { "恢复了这条记录" }.to_owned()
    } else {
        format!("改了{}", names())
    };
    format!("{} {who}{what}", local_time_text(c.stamp.hlc.ms))
}

/// The 改动历史 of `record`, a `kind`.
pub fn history_of<T: Serialize>(kind: SyncKind, record: &Record<T>) -> impl IntoView {
    let doc: Option<Doc> = serde_json::to_value(record).ok().and_then(|v| serde_json::from_value(v).ok());
    let id = record.id.clone();
    // The record shows without it; a log that does not read leaves only the stamps' lines.
    let lost = LocalResource::new(move || {
        let id = id.clone();
        async move { data::lost_writes(&id).await.unwrap_or_default() }
    });
    move || {
        let log = lost.get()?;
        let d = doc.as_ref()?;
        let lines: Vec<String> = history_with(d, &log).iter().map(|c| line(kind, c, d.deleted)).collect();
        (!lines.is_empty()).then(|| {
            view! {
                <details class="history" data-test="history">
                    <summary>"改动历史"</summary>
                    <ul class="plain">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                </details>
            }
        })
    }
}
