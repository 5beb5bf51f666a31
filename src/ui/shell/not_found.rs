use crate::ui::shell::router::A;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"页面不存在"</h1>
            <p><A href="/">"返回首页"</A></p>
        </section>
    }
}
