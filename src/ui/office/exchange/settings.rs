//! Settings: the office name and default township (localStorage), 大字, the device lock
//! (`ui/lock/settings.rs`), and this device's identity.

use crate::ui::shell::router::A;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::domain::money::tenths_text;
use crate::storage::web;
use crate::ui::data;
use crate::ui::settings::{apply_large_text, Settings, Whose};
use crate::ui::widgets::app_state;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = app_state();
    let whose = Whose::load();
    let Whose { office, township } = whose;
    let large_text = RwSignal::new(Settings::load().large_text);
    let who = RwSignal::new(Settings::load().author);
    let toggle_large = move |ev| {
        let on = event_target_checked(&ev);
        large_text.set(on);
        apply_large_text(on);
        if let Err(e) = (Settings { large_text: on, ..Settings::load() }).save() {
            state.say(e);
        }
    };
    let device = data::reread(move || {
        async move {
            let db = data::db().await?;
            let device = db.device().await?;
            let persisted = web::is_persisted().await;
            let estimate = web::storage_estimate().await;
            Ok::<_, crate::storage::StorageError>((device, db.version(), persisted, estimate))
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match whose.typed().save() {
            Ok(()) => state.say("设置已保存"),
            Err(e) => state.say(e),
        }
    };

    view! {
        <section class="page">
            <h1>"设置"</h1>
            <form class="form" on:submit=on_submit>
                <label class="field">
                    <span class="field-label">"单位名称"</span>
                    <input type="text" name="office" placeholder="如：城关镇老干部工作站"
                        prop:value=move || office.get() on:input=move |ev| office.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">"本机所在乡镇（新登记默认）"</span>
                    <input type="text" name="township"
                        prop:value=move || township.get() on:input=move |ev| township.set(event_target_value(&ev))/>
                </label>
                <div class="form-actions"><button type="submit" class="button primary">"保存设置"</button></div>
            </form>
            <label class="choice check large-text">
                <input type="checkbox" data-test="large-text" prop:checked=move || large_text.get() on:change=toggle_large/>
                "大字（整个界面放大，只对本机有效）"
            </label>
            <crate::ui::author::AuthorPick picked=Callback::new(move |name: String| {
                // Someone with a PIN of their own becomes the 记录人 only by unlocking with it
                // (last: locking disposes this page and its signals).
                let own = crate::ui::lock::has_own_pin(&name);
                who.set(name);
                if own {
                    crate::ui::lock::lock_now(state);
                }
            })/>
            <crate::ui::lock::LockSettings who=who/>
            <p class="form-actions">
                <A href="/exchange" attr:class="button">"导出与导入"</A>
                <A href="/settings/places" attr:class="button">"管理乡镇与村（社区）"</A>
            </p>
            <h2>"本机信息"</h2>
            {move || match device.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok((d, version, persisted, estimate))) => view! {
                    <dl class="facts">
                        <dt>"在本机做过的修改"</dt><dd>{format!("{} 处", d.changes)}</dd>
                        <dt>"持久存储"</dt><dd data-test="persisted">{match persisted {
                            Some(true) => "已开启：浏览器不会自动清除本机数据",
                            Some(false) => "未开启：存储空间不足时浏览器可能清除数据，请定期导出",
                            None => "此浏览器不支持",
                        }}</dd>
                        <dt>"存储空间"</dt><dd>{estimate.map_or_else(|| "未知".to_owned(), |(used, quota)| megabytes(used, quota))}</dd>
                    </dl>
                    // For whoever helps with a problem, folded away from volunteers.
                    <details class="tech">
                        <summary>"技术信息（排查问题时用）"</summary>
                        <dl class="facts">
                            <dt>"设备编号"</dt><dd class="mono" data-test="device-id">{d.device.to_string()}</dd>
                            <dt>"数据库版本"</dt><dd>{version}</dd>
                        </dl>
                    </details>
                }.into_any(),
            }}
        </section>
    }
}

/// "已用 1.2 MB，可用 2048 MB", with integer arithmetic: formatting an `f64` would pull
/// Rust's float printing (~10 KB brotli) into the download.
fn megabytes(used: f64, quota: f64) -> String {
    // Browsers report whole bytes; `as` saturates, so odd values cannot panic.
    let (used, quota) = (used as u64, quota as u64);
    let free = quota.saturating_sub(used);
    format!("已用 {} MB，可用 {} MB", tenths_text(used / 100_000), free / 1_000_000)
}
