//! The first visit's welcome, on the home screen: the office and township, how Sangyu works
//! in three lines, keeping this device's data, and adding the app to the home screen where
//! the browser offers it. Shown until 开始使用; downloaded with the field pages, not the shell.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::storage::web;
use crate::ui::shell::router::A;
use crate::ui::settings::{Settings, Whose};
use crate::ui::widgets::{app_state, TextInput};

/// The browser's install offer, kept by static/boot.js (`beforeinstallprompt` fires once,
/// early, before this page may have loaded).
fn install_offer() -> Option<js_sys::Object> {
    let window = web_sys::window()?;
    let offer = js_sys::Reflect::get(&window, &"sangyuInstall".into()).ok()?;
    offer.dyn_into::<js_sys::Object>().ok()
}

#[component]
pub fn Welcome() -> impl IntoView {
    let state = app_state();
    let whose = Whose::load();
    let done = RwSignal::new(false);
    let kept = RwSignal::new(None::<&'static str>);
    let installable = RwSignal::new(install_offer().is_some());
    let listener = window_event_listener_untyped("sangyu-installable", move |_| installable.set(true));
    on_cleanup(move || listener.remove());

    let keep_data = move |_| {
        spawn_local(async move {
            kept.set(Some(match web::request_persistence().await {
                Some(true) => "已开启：浏览器不会自动清除本机数据。",
                Some(false) => "浏览器这次没有开启。请定期导出数据，留一份备份。",
                None => "这个浏览器不支持。请定期导出数据，留一份备份。",
            }));
        });
    };
    let install = move |_| {
        let Some(offer) = install_offer() else { return };
        if let Ok(prompt) = js_sys::Reflect::get(&offer, &"prompt".into()) {
            if let Ok(prompt) = prompt.dyn_into::<js_sys::Function>() {
                let _ = prompt.call0(&offer);
            }
        }
        installable.set(false);
    };
    let start = move |_| {
        let settings = Settings {
            welcomed: true,
            ..whose.typed()
        };
        match settings.save() {
            Ok(()) => {
                done.set(true);
                state.say("设置已保存，可随时在“设置”里修改");
            }
            Err(e) => state.say(e),
        }
    };

    view! {
        <Show when=move || !done.get()>
            <section class="card welcome" data-test="welcome">
                <h2>"欢迎使用桑榆"</h2>
                <ul class="plain steps">
                    <li>"没有信号也能用：记录都保存在这部手机的浏览器里。"</li>
                    <li>"数据只在本机：换手机、清除浏览器数据会丢失，请定期“导出”留一份备份。"</li>
                    <li>"和县里、其他乡镇共享：导出文件发给对方，对方“导入”即可合并。"</li>
                    <li>"手机有时借给别人或放在桌上？可以在"<A href="/settings#lock">"设置"</A>"里给桑榆设一个密码。"</li>
                </ul>
                <TextInput label="单位名称" value=whose.office placeholder="如：城关镇老干部工作站" name="office"/>
                <TextInput label="本机所在乡镇（新登记默认）" value=whose.township name="township"/>
                <div class="actions">
                    <button type="button" class="button" data-test="keep-data" on:click=keep_data>"保留本机数据"</button>
                    <Show when=move || installable.get()>
                        <button type="button" class="button" data-test="install" on:click=install>"添加到主屏幕"</button>
                    </Show>
                </div>
                {move || kept.get().map(|t| view! { <p class="muted" role="status" data-test="kept">{t}</p> })}
                <button type="button" class="button primary" data-test="start" on:click=start>"开始使用"</button>
            </section>
        </Show>
    }
}
