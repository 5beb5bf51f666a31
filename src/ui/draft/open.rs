//! Drafts seen from outside their forms: the log page's list of unsaved forms, and pages that
//! reopen a record's form from that list's link.

use leptos::prelude::*;

use super::adopt_unload_copies;
use crate::domain::draft::{self, Draft};
use crate::storage::web;
use crate::ui::data;

/// Every open draft, newest first; expired ones are deleted on the way.
async fn open_drafts() -> Vec<Draft> {
    adopt_unload_copies().await;
    let Ok(db) = data::db().await else { return Vec::new() };
    let (live, expired) = draft::sort_live(db.drafts().await.unwrap_or_default(), web::now_ms() as i64);
    for key in expired {
        let _ = db.delete_draft(&key).await;
    }
    live
}

/// "未保存的草稿（2）": the forms left unsaved on this device, each a link back to its form.
#[component]
pub fn OpenDrafts() -> impl IntoView {
    let drafts = LocalResource::new(open_drafts);
    move || {
        let list = drafts.get().unwrap_or_default();
        let count = list.len();
        (count > 0).then(|| {
            let rows = list
                .into_iter()
                .map(|d| {
                    let when = web::local_time_text(u64::try_from(d.saved_ms).unwrap_or(0));
                    view! {
                        <li><a href=d.path class="row-main">
                            <span class="name">{d.title}</span><span class="meta">{format!("{when} · 点此继续填写")}</span>
                        </a></li>
                    }
                })
                .collect_view();
            view! {
                <section class="nudge drafts" data-test="drafts">
                    <h2>{format!("未保存的草稿（{count}）")}</h2>
                    <ul class="list">{rows}</ul>
                </section>
            }
        })
    }
}

/// On a page whose form edits a record picked from its list (cases, feedback): a link from
/// the list of drafts (`?edit=<id>`) opens that record in the form once the list has read.
pub fn open_asked<T: crate::storage::Kind + Clone + Send + Sync>(
    list: LocalResource<data::Loaded<T>>,
    editing: RwSignal<Option<crate::domain::Record<T>>>,
) {
    let asked = crate::ui::shell::router::use_query_map()
        .with_untracked(|q| q.get("edit"))
        .and_then(|t| crate::domain::RecordId::parse(&t).ok());
    let Some(asked) = asked else { return };
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        list.with(|r| match r {
            None => false,
            Some(r) => {
                let found = r.as_ref().ok().and_then(|v| v.iter().find(|x| x.id == asked && !x.deleted).cloned());
                if found.is_some() {
                    editing.set(found);
                }
                true
            }
        })
    });
}
