//! 删除 that asks once, for forms and record pages alike.

use leptos::prelude::*;

/// 删除 that asks once: the first tap asks 删除这条记录？ with 确定删除 and 不删 beside it (a
/// shaking hand's tap deletes nothing); 确定删除 deletes, and the undo line follows as for every
/// delete.
#[component]
pub fn DeleteButton(
    #[prop(into)] on_delete: Callback<()>,
    /// What the question names: 这条记录, 这个组织...
    #[prop(default = "这条记录")]
    what: &'static str,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="button danger" disabled=move || disabled.get() on:click=move |_| asking.set(true)>"删除"</button>
            }
        >
            // The question on its own line; 不删 first, 确定删除 solid red and away from where
            // 删除 was, so a double tap does not delete.
            <span class="confirm" role="group" data-test="confirm-delete">
                <span class="confirm-question">{format!("删除{what}？")}</span>
                <span class="confirm-buttons">
                    <button type="button" class="button" on:click=move |_| asking.set(false)>"不删"</button>
                    <button type="button" class="button danger solid" disabled=move || disabled.get()
                        on:click=move |_| { asking.set(false); on_delete.run(()) }>"确定删除"</button>
                </span>
            </span>
        </Show>
    }
}
