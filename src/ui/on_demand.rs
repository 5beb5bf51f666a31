//! Every page but home, downloaded apart from the shell.
//!
//! The first download is the shell and the home screen. The field pages a volunteer uses every
//! day (people, a person, the month's log, the activity and payment forms, the due list) are
//! one chunk, fetched as soon as the app runs ([`prefetch_field`]); the office pages come in
//! three chunks (reports; import, export and settings; the record-keeping pages), fetched when
//! first opened (and, for offline use, by the service worker in the background). Every function below is a split point: the build (`scripts/build`,
//! wasm-split) moves it, and all code only it reaches, into its chunk. Leptos 0.8's
//! `#[lazy_route]` panics when a chunk fails to download, which kills the app; the `fallible`
//! form used here returns the failure, and `OnDemand` shows it with a retry.
//!
//! Nothing in the shell may name these pages' types directly, or their code stays in the
//! first download (see ARCHITECTURE.md).

use std::future::Future;
use std::pin::Pin;

use leptos::__reexports::send_wrapper::SendWrapper;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::pages;

type Loaded = Result<AnyView, SplitLoaderError>;
type Loader = fn() -> Pin<Box<dyn Future<Output = Loaded>>>;

/// Shows an on-demand page: a quiet line while its chunk downloads, then the page; if the
/// download fails, a Chinese message and a retry, while the rest of the app keeps working.
#[component]
fn OnDemand(load: Loader) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    let loading = || view! { <section class="page"><p class="muted loading-page">"正在载入本页…"</p></section> };
    view! {
        <Suspense fallback=loading>
            {move || {
                attempt.track();
                let page = SendWrapper::new(load());
                Suspend::new(SendWrapper::new(async move {
                    match page.await {
                        Ok(view) => view,
                        Err(_) => view! {
                            <section class="page">
                                <div class="load-failed" role="alert">
                                    <p>"本页没能下载下来。请检查网络后重试；已保存的记录不受影响，其他页面照常可用。"</p>
                                    <button type="button" class="button primary"
                                        on:click=move |_| attempt.update(|n| *n += 1)>"重试"</button>
                                </div>
                            </section>
                        }
                        .into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

/// One on-demand page: its split point and the route's view.
macro_rules! on_demand {
    ($route:ident, $chunk:ident, $split:ident, $page:path $(, preload = $preload:ident)?) => {
        #[wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split $(, preload($preload))?)]
        fn $split() -> Loaded {
            Ok(view! { <$page/> }.into_any())
        }

        #[component]
        pub fn $route() -> impl IntoView {
            view! { <OnDemand load=|| Box::pin($split())/> }
        }
    };
}

// The field app: one chunk, fetched right after the shell starts.
on_demand!(PeopleList, field, people_list_page, pages::people::PeopleList, preload = preload_field);
on_demand!(PersonView, field, person_view_page, pages::person_view::PersonView);
on_demand!(PersonEdit, field, person_edit_page, pages::person_edit::PersonEdit);
on_demand!(Log, field, log_page, pages::log::LogPage);
on_demand!(ActivityEdit, field, activity_edit_page, pages::activity_edit::ActivityEdit);
on_demand!(BenefitEdit, field, benefit_edit_page, pages::benefit_edit::BenefitEdit);
on_demand!(Due, field, due_page, pages::due::DuePage);
on_demand!(Welcome, field, welcome_card, pages::welcome::Welcome);

/// Fetches the field pages in the background once the shell runs, so a tap on 人员 or 记录活动
/// opens at once; a failure here is silent (opening the page retries and says so).
pub fn prefetch_field() {
    leptos::task::spawn_local(async {
        let _ = preload_field().await;
    });
}

// The office pages, in three chunks of pages that share most of their code. A chunk per page
// was measured first: wasm-split then gives every set of pages sharing a function a chunk of
// its own, and the field pages came to need some 120 files (~0.3 s more to the roster's first
// row with everything cached, a round trip each on a first visit).
on_demand!(Reports, reports, reports_page, pages::reports::ReportsPage);
on_demand!(Exchange, exchange, exchange_page, pages::exchange::ExchangePage);
on_demand!(RosterImport, exchange, roster_import_page, pages::roster_import::RosterImport);
on_demand!(Duplicates, exchange, duplicates_page, pages::duplicates::DuplicatesPage);
on_demand!(Settings, exchange, settings_page, pages::settings::SettingsPage);
on_demand!(Repair, exchange, repair_page, pages::repair::RepairPage);
on_demand!(Review, exchange, review_page, pages::review::ReviewPage);
on_demand!(Orgs, records, org_list_page, pages::orgs::OrgList);
on_demand!(OrgView, records, org_view_page, pages::org_view::OrgView);
on_demand!(OrgEdit, records, org_edit_page, pages::org_edit::OrgEdit);
on_demand!(Station, records, station_page, pages::station::StationPage);
on_demand!(Cases, records, cases_page, pages::cases::CasesPage);
on_demand!(Feedback, records, feedback_page, pages::feedback::FeedbackPage);
on_demand!(Places, records, places_page, pages::places::PlacesPage);
