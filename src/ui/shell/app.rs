//! The shell: router, navigation (bottom bar on phones, side bar on wide screens), flash line.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::home::Home;
use super::not_found::NotFound;
use super::router::{provide_router, Route, Routes, A};
use crate::ui::data;
use crate::ui::field;
use crate::ui::office::{exchange, qr, records, reports};
use crate::ui::pinyin::Pinyin;
use crate::ui::lock::LockScreen;
use crate::ui::settings::Marker;
use crate::ui::state::gate;
use crate::ui::widgets::AppState;

/// Every page by its address; the first pattern that fits wins, so `new` comes before `:id`.
const ROUTES: &[Route] = &[
    ("/", || view! { <Home/> }.into_any()),
    ("/people", || view! { <field::PeopleList/> }.into_any()),
    ("/people/new", || view! { <field::PersonEdit/> }.into_any()),
    ("/people/import", || view! { <exchange::RosterImport/> }.into_any()),
    ("/people/duplicates", || view! { <exchange::Duplicates/> }.into_any()),
    ("/people/:id", || view! { <field::PersonView/> }.into_any()),
    ("/people/:id/edit", || view! { <field::PersonEdit/> }.into_any()),
    ("/log", || view! { <field::Log/> }.into_any()),
    ("/due", || view! { <field::Due/> }.into_any()),
    ("/activities/new", || view! { <field::ActivityEdit/> }.into_any()),
    ("/activities/:id", || view! { <field::ActivityView/> }.into_any()),
    ("/activities/:id/edit", || view! { <field::ActivityEdit/> }.into_any()),
    ("/benefits/new", || view! { <field::BenefitEdit/> }.into_any()),
    ("/benefits/:id", || view! { <field::BenefitView/> }.into_any()),
    ("/benefits/:id/edit", || view! { <field::BenefitEdit/> }.into_any()),
    ("/orgs", || view! { <records::Orgs/> }.into_any()),
    ("/orgs/new", || view! { <records::OrgEdit/> }.into_any()),
    ("/orgs/:id", || view! { <records::OrgView/> }.into_any()),
    ("/orgs/:id/edit", || view! { <records::OrgEdit/> }.into_any()),
    ("/exchange", || view! { <exchange::Exchange/> }.into_any()),
    ("/exchange/qr", || view! { <qr::QrSend/> }.into_any()),
    ("/exchange/scan", || view! { <qr::QrScan/> }.into_any()),
    ("/reports", || view! { <reports::Reports/> }.into_any()),
    ("/cases", || view! { <records::Cases/> }.into_any()),
    ("/feedback", || view! { <records::Feedback/> }.into_any()),
    ("/station", || view! { <records::Station/> }.into_any()),
    ("/settings", || view! { <exchange::Settings/> }.into_any()),
    ("/settings/places", || view! { <records::Places/> }.into_any()),
    ("/repair", || view! { <exchange::Repair/> }.into_any()),
    ("/review", || view! { <exchange::Review/> }.into_any()),
];

#[component]
pub fn App() -> impl IntoView {
    provide_router();
    let state = AppState::new();
    provide_context(state);
    crate::ui::state::listen_for_changes(state);
    provide_context(Pinyin::new());
    field::prefetch_field();
    crate::ui::author::apply();
    // No page, and so no record, before the lock's row says whether a lock is set.
    let gate = state.gate;
    spawn_local(async move {
        let locked = match data::db().await {
            Ok(db) => db.has_lock().await,
            Err(_) => false,
        };
        crate::storage::web::mark("gate");
        gate.set(if locked { gate::LOCKED } else { gate::OPEN });
    });

    view! {
        <div class="shell">
                <header class="topbar">
                    <span class="brand">"桑榆"</span>
                    <span class="tagline">"老干部工作记录"</span>
                </header>
                <nav class="nav" aria-label="主导航">
                    <A href="/" exact=true>"首页"</A>
                    <A href="/people">"人员"</A>
                    <A href="/log">"记录"</A>
                    <A href="/orgs">"组织"</A>
                    <A href="/reports">"报表"</A>
                    <A href="/settings">"设置"</A>
                </nav>
                <UnreadableLine/>
                <main class="content">
                    {move || match gate.get() {
                        gate::OPEN => view! { <Routes routes=ROUTES fallback=|| view! { <NotFound/> }.into_any()/> }.into_any(),
                        gate::LOCKED => view! { <LockScreen/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </main>
                <LostDataWarning/>
                <FlashLine/>
        </div>
    }
}

/// One line while stored records could not be read, leading to where they can be seen.
#[component]
fn UnreadableLine() -> impl IntoView {
    let state = use_context::<AppState>().unwrap_or_else(AppState::new);
    view! {
        <Show when=move || { state.unreadable.get() > 0 }>
            <p class="unreadable" role="status">
                {move || format!("本机有 {} 条记录无法读取，其余记录照常可用 · ", state.unreadable.get())}
                <A href="/repair">"查看"</A>
            </p>
        </Show>
    }
}

/// Says plainly when the browser has emptied the database this device had saved into.
#[component]
fn LostDataWarning() -> impl IntoView {
    let lost = RwSignal::new(None::<u64>);
    spawn_local(async move {
        if let Ok(found) = data::check_storage().await {
            lost.set(found);
        }
    });
    let acknowledge = move |_| {
        spawn_local(async move {
            if let Ok(db) = data::db().await {
                if let Ok(d) = db.device().await {
                    Marker::acknowledge(d.device.as_str());
                }
            }
            lost.set(None);
        });
    };
    view! {
        <Show when=move || lost.get().is_some()>
            <div class="lost-data" role="alert">
                <p>{move || format!(
                    "本机的数据库是空的，但这台设备之前保存过{}次修改。浏览器可能在存储空间不足时清除了数据。请用最近一次导出的文件恢复数据，恢复前不要清理浏览器。",
                    lost.get().unwrap_or(0)
                )}</p>
                <button type="button" class="button small" on:click=acknowledge>"我知道了"</button>
            </div>
        </Show>
    }
}

#[component]
fn FlashLine() -> impl IntoView {
    let state = use_context::<AppState>().unwrap_or_else(AppState::new);
    // A message leaves by itself so it never hides the list for long; an undo stays longer.
    Effect::new(move || {
        let Some(shown) = state.flash.get() else { return };
        let secs = if shown.undo.is_some() { 10 } else { 5 };
        set_timeout(
            move || {
                if state.flash.get_untracked().as_ref() == Some(&shown) {
                    state.flash.set(None);
                }
            },
            std::time::Duration::from_secs(secs),
        );
    });
    let undo = move |_| {
        if let Some(undo) = state.flash.get_untracked().and_then(|f| f.undo) {
            data::undelete_from_shell(state, undo);
        }
    };
    view! {
        <Show when=move || state.flash.with(Option::is_some)>
            <div class="flash" role="status">
                <span>{move || state.flash.with(|f| f.as_ref().map(|f| f.message.clone()))}</span>
                <Show when=move || state.flash.with(|f| f.as_ref().is_some_and(|f| f.undo.is_some()))>
                    <button type="button" class="link" on:click=undo>"撤销"</button>
                </Show>
                <button type="button" class="link" aria-label="关闭" on:click=move |_| state.flash.set(None)>"×"</button>
            </div>
        </Show>
    }
}
