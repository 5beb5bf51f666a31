//! How every page but home is downloaded apart from the shell: the [`on_demand!`] macro that
//! makes a split point and the [`OnDemand`] frame that shows it (a quiet line while its chunk
//! downloads, a retry if that fails). The split points themselves stand beside the folders
//! they cut: `field/mod.rs`, `office/{reports,exchange,records}/mod.rs`.
//!
//! The first download is the shell and the home screen. The field pages a volunteer uses every
//! day (people, a person, the month's log, the activity and payment forms, the due list) are
//! one chunk, fetched as soon as the app runs ([`prefetch_field`]); the office pages come in
//! four chunks (reports; import, export and settings; the record-keeping pages; QR codes), fetched when
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
use leptos::wasm_split::SplitLoaderError;

pub type Loaded = Result<AnyView, SplitLoaderError>;
pub type Loader = fn() -> Pin<Box<dyn Future<Output = Loaded>>>;

/// Shows an on-demand page: a quiet line while its chunk downloads, then the page; if the
/// download fails, a Chinese message and a retry, while the rest of the app keeps working.
#[component]
pub fn OnDemand(load: Loader) -> impl IntoView {
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
        #[::leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split $(, preload($preload))?)]
        fn $split() -> $crate::ui::shell::on_demand::Loaded {
            use ::leptos::prelude::*;
            Ok(view! { <$page/> }.into_any())
        }

        #[::leptos::prelude::component]
        pub fn $route() -> impl ::leptos::prelude::IntoView {
            use ::leptos::prelude::*;
            view! { <$crate::ui::shell::on_demand::OnDemand load=|| Box::pin($split())/> }
        }
    };
}
pub(crate) use on_demand;
