//! Records this version cannot read: shown raw (as text, never as markup), exported apart so
//! someone can look at them, or deleted. Reads skip them everywhere else (`storage::unreadable`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::storage::unreadable::{self, Unreadable};
use crate::storage::{store_of, web};
use crate::sync::SyncKind;
use crate::ui::widgets::app_state;
use crate::ui::{data, files};

/// How much of a record's stored text the page shows; the export carries all of it.
const SHOWN: usize = 600;

fn label(store: &str) -> &'static str {
    SyncKind::ALL.into_iter().find(|k| store_of(*k) == store).map_or("记录", SyncKind::label)
}

#[component]
pub fn RepairPage() -> impl IntoView {
    let state = app_state();
    // Reading every store notes whatever does not read; the list shows what was found.
    let found = data::reread(move || {
        async move {
            if let Ok(db) = data::db().await {
                let _ = db.export(None).await;
            }
            state.unreadable.set(unreadable::count());
            unreadable::all()
        }
    });
    let export = move |_| {
        let all = unreadable::all();
        let text: String = all.iter().map(|u| format!("{}\n", u.raw)).collect();
        let name = format!("桑榆-无法读取的记录-{}.jsonl", web::local_stamp());
        match files::download(&name, &text, "application/jsonl") {
            Ok(()) => state.say(format!("已单独导出 {} 条无法读取的记录", all.len())),
            Err(e) => state.say(e),
        }
    };
    view! {
        <section class="page">
            <h1>"无法读取的记录"</h1>
            <p>"这些记录是其他版本的桑榆写入的，或者已经损坏，本机读不出来；其余记录照常可用，导出时不会带上它们。可以先单独导出（发给县老干部服务中心查看），再从本机删除。"</p>
            {move || found.get().map(|list| {
                if list.is_empty() {
                    view! { <p class="muted" data-test="repair-none">"本机没有无法读取的记录。"</p> }.into_any()
                } else {
                    view! {
                        <p class="actions">
                            <button type="button" class="button primary" on:click=export>
                                {format!("单独导出这 {} 条", list.len())}
                            </button>
                        </p>
                        <ul class="list" data-test="repair-list">
                            {list.into_iter().map(row).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            })}
        </section>
    }
}

fn row(u: Unreadable) -> impl IntoView {
    let state = app_state();
    let shown: String = u.raw.chars().take(SHOWN).collect();
    let (store, id) = (u.store, u.id.clone());
    let delete = move |_| {
        let id = id.clone();
        spawn_local(async move {
            match data::delete_unreadable(store, &id).await {
                Ok(()) => state.say("已从本机删除这条无法读取的记录"),
                Err(e) => state.say(e.to_string()),
            }
            state.changed();
        });
    };
    view! {
        <li class="repair-row">
            <p><strong>{label(u.store)}</strong>" "{u.id.chars().take(8).collect::<String>()}</p>
            <p class="error">{u.explained()}</p>
            <pre class="raw">{shown}{(u.raw.chars().count() > SHOWN).then_some("…")}</pre>
            <button type="button" class="button small" on:click=delete>"从本机删除"</button>
        </li>
    }
}
