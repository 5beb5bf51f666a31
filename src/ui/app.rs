//! The shell: router, navigation (bottom bar on phones, side bar on wide screens), flash line.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::data;
use super::on_demand;
use super::pages::{home::Home, not_found::NotFound};
use super::pinyin::Pinyin;
use super::router::{provide_router, Route, Routes, A};
use super::settings::Marker;
use super::widgets::AppState;

/// Every page by its address; the first pattern that fits wins, so `new` comes before `:id`.
const ROUTES: &[Route] = &[
    ("/", || view! { <Home/> }.into_any()),
    ("/people", || view! { <on_demand::PeopleList/> }.into_any()),
    ("/people/new", || view! { <on_demand::PersonEdit/> }.into_any()),
    ("/people/import", || view! { <on_demand::RosterImport/> }.into_any()),
    ("/people/duplicates", || view! { <on_demand::Duplicates/> }.into_any()),
    ("/people/:id", || view! { <on_demand::PersonView/> }.into_any()),
    ("/people/:id/edit", || view! { <on_demand::PersonEdit/> }.into_any()),
    ("/log", || view! { <on_demand::Log/> }.into_any()),
    ("/due", || view! { <on_demand::Due/> }.into_any()),
    ("/activities/new", || view! { <on_demand::ActivityEdit/> }.into_any()),
    ("/activities/:id", || view! { <on_demand::ActivityEdit/> }.into_any()),
    ("/benefits/new", || view! { <on_demand::BenefitEdit/> }.into_any()),
    ("/benefits/:id", || view! { <on_demand::BenefitEdit/> }.into_any()),
    ("/orgs", || view! { <on_demand::Orgs/> }.into_any()),
    ("/orgs/new", || view! { <on_demand::OrgEdit/> }.into_any()),
    ("/orgs/:id", || view! { <on_demand::OrgView/> }.into_any()),
    ("/orgs/:id/edit", || view! { <on_demand::OrgEdit/> }.into_any()),
    ("/exchange", || view! { <on_demand::Exchange/> }.into_any()),
    ("/reports", || view! { <on_demand::Reports/> }.into_any()),
    ("/cases", || view! { <on_demand::Cases/> }.into_any()),
    ("/feedback", || view! { <on_demand::Feedback/> }.into_any()),
    ("/station", || view! { <on_demand::Station/> }.into_any()),
    ("/settings", || view! { <on_demand::Settings/> }.into_any()),
    ("/settings/places", || view! { <on_demand::Places/> }.into_any()),
    ("/repair", || view! { <on_demand::Repair/> }.into_any()),
    ("/review", || view! { <on_demand::Review/> }.into_any()),
];

#[component]
pub fn App() -> impl IntoView {
    provide_router();
    let state = AppState::new();
    provide_context(state);
    super::state::listen_for_changes(state);
    provide_context(Pinyin::new());
    on_demand::prefetch_field();

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
                    <Routes routes=ROUTES fallback=|| view! { <NotFound/> }.into_any()/>
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
