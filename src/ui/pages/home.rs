//! Home: who this device is and the registry's counts.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::report::figures::PeopleCounts;
use crate::ui::data;
use crate::ui::settings::Settings;

#[component]
pub fn Home() -> impl IntoView {
    let people = data::people_resource();
    let office = Settings::load().office;

    view! {
        <section class="page">
            <h1>{if office.is_empty() { "桑榆".to_owned() } else { office }}</h1>
            {move || match people.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) => {
                    let c = PeopleCounts::of(&list);
                    view! {
                        <div class="stats">
                            <div class="stat"><span class="num" data-test="count-total">{c.total()}</span><span>"在册人员"</span></div>
                            <div class="stat"><span class="num" data-test="count-lixiu">{c.lixiu}</span><span>"离休"</span></div>
                            <div class="stat"><span class="num" data-test="count-tuixiu">{c.tuixiu}</span><span>"退休"</span></div>
                        </div>
                    }
                    .into_any()
                }
            }}
            <p class="actions">
                <A href="/people/new" attr:class="button primary">"登记老干部"</A>
                <A href="/people" attr:class="button">"查看名册"</A>
            </p>
        </section>
    }
}
