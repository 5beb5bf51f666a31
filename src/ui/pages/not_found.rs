use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"页面不存在"</h1>
            <p><A href="/">"返回首页"</A></p>
        </section>
    }
}
