//! 面对面传, the sending side: the export made on the exchange page shown as an endless run of
//! QR codes (`sync::frames`), large, at a rate the user can lower, until they say the other
//! phone has it or stop.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use crate::sync::chat::Packing;
use crate::sync::frames::Frames;
use crate::sync::qr::Code;
use crate::ui::data::{self, ExportFile};
use crate::ui::files;
use crate::ui::shell::router::{use_navigate, A};
use crate::ui::widgets::app_state;

use super::js::{call, call_async, get, sleep, style};

/// Frames a second offered, in words; the default is what a phone four times slower than the
/// test machine still reads in time (docs/file-format.md, "As QR codes").
const RATES: [(u32, &str); 5] = [(10, "快"), (8, "较快"), (6, "中等"), (4, "较慢"), (2, "慢")];
const DEFAULT_RATE: u32 = 6;

/// Screen pixels the code is drawn at, before CSS fits it to the page.
const DRAWN: u32 = 480;

#[component]
pub fn QrSend() -> impl IntoView {
    match files::take_handed::<ExportFile>() {
        Some(f) => view! { <Sending file=f/> }.into_any(),
        None => view! {
            <section class="page">
                <h1>"面对面传"</h1>
                <p class="muted">"请先在“设置 → 导出与导入”里选好要导出的内容，生成文件后点“面对面传”。"</p>
                <p><A href="/exchange" attr:class="button primary">"去导出"</A></p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn Sending(file: ExportFile) -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let speed = NodeRef::<leptos::html::Select>::new();
    // A drop-down of five words needs no page's width.
    Effect::new(move |_| {
        if let Some(s) = speed.get() {
            style(&s.into(), &[("maxWidth", "12rem")]);
        }
    });
    let frames = StoredValue::new_local(None::<Frames>);
    let fragments = RwSignal::new(0usize);
    let shown = RwSignal::new(0usize);
    let rate = RwSignal::new(DEFAULT_RATE);
    let failed = RwSignal::new(None::<String>);

    let text = file.text.clone();
    spawn_local(async move {
        let made = match files::deflate(text.as_bytes()).await {
            Some(packed) => Frames::new(&packed, Packing::Deflate),
            None => Frames::new(text.as_bytes(), Packing::Plain),
        };
        match made {
            Ok(f) => {
                fragments.try_set(f.fragments());
                frames.try_set_value(Some(f));
            }
            Err(e) => {
                failed.try_set(Some(e.to_string()));
            }
        }
    });

    // The next frame, drawn, at the rate chosen, until the page is left.
    let showing = StoredValue::new(true);
    let step = move || {
        let Some(text) = frames.try_update_value(|f| f.as_mut().map(Frames::next_frame)).flatten() else { return };
        let (Some(code), Some(el)) = (Code::of(&text), canvas.get_untracked()) else { return };
        draw(&el, &code);
        shown.try_update(|n| *n += 1);
        let _ = el.set_attribute("data-frame", &shown.try_get_untracked().unwrap_or(0).to_string());
    };
    spawn_local(async move {
        while showing.try_get_value() == Some(true) {
            step();
            let every = 1000 / rate.try_get_untracked().unwrap_or(DEFAULT_RATE).max(1);
            sleep(every as i32).await;
        }
    });
    let awake = keep_screen_on();
    on_cleanup(move || {
        showing.try_set_value(false);
        if let Some(lock) = awake.try_get_value().flatten() {
            release(&lock);
        }
    });

    let received = {
        let file = file.clone();
        let navigate = navigate.clone();
        move |_| {
            spawn_local(data::exported(state, file.clone(), "（已面对面传出）", "已面对面扫码传出"));
            navigate("/exchange", Default::default());
        }
    };
    let stop = move |_| navigate("/exchange", Default::default());
    view! {
        <section class="page qr-page">
            <h1>"面对面传"</h1>
            <p class="notice">"请对方打开桑榆，点“设置 → 导出与导入 → 扫码接收”，用摄像头对准这个屏幕。屏幕请调到最亮。"</p>
            {move || failed.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <canvas node_ref=canvas data-test="qr-canvas" width=DRAWN height=DRAWN
                aria-label="正在显示桑榆数据的二维码"></canvas>
            // The fewest frames that can carry the export, for the tests and the bench.
            <p class="muted" role="status" data-test="qr-status" data-fragments=move || fragments.get().to_string()>{move || {
                if fragments.get() == 0 {
                    "正在准备…".to_owned()
                } else {
                    format!("共 {} 条记录。二维码会一直变，对方随时开始扫都可以。等对方手机出现导入预览，再点“对方已收到”。", file.records)
                }
            }}</p>
            <label class="field"><span class="field-label">"换码速度（对方扫不上就选慢一些）"</span>
                <select node_ref=speed data-test="qr-rate" prop:value=move || rate.get().to_string()
                    on:change=move |ev| rate.set(event_target_value(&ev).parse().unwrap_or(DEFAULT_RATE))>
                    {RATES.map(|(r, words)| view! { <option value=r.to_string()>{words}</option> }).into_iter().collect_view()}
                </select>
            </label>
            <div class="form-actions">
                <button type="button" class="button primary" data-test="qr-received" on:click=received>"对方已收到"</button>
                <button type="button" class="button" on:click=stop>"不传了"</button>
            </div>
        </section>
    }
}

/// The code on the canvas, a quiet zone of four modules around it, each module whole pixels.
fn draw(canvas: &web_sys::HtmlCanvasElement, code: &Code) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let modules = code.size as u32 + 8;
    let scale = (DRAWN / modules).max(1);
    let side = modules * scale;
    canvas.set_width(side);
    canvas.set_height(side);
    style(canvas, &[("display", "block"), ("width", "min(92vw, 440px)"), ("height", "auto"), ("margin", "0 auto"), ("imageRendering", "pixelated")]);
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, f64::from(side), f64::from(side));
    ctx.set_fill_style_str("#000");
    for y in 0..code.size {
        for x in 0..code.size {
            if code.dark(x, y) {
                let (px, py) = ((x as u32 + 4) * scale, (y as u32 + 4) * scale);
                ctx.fill_rect(f64::from(px), f64::from(py), f64::from(scale), f64::from(scale));
            }
        }
    }
}

/// Asks the browser to keep the screen on while codes show (the Screen Wake Lock API, where
/// there is one); the lock, once granted.
fn keep_screen_on() -> StoredValue<Option<JsValue>, LocalStorage> {
    let lock = StoredValue::new_local(None::<JsValue>);
    let Some(window) = web_sys::window() else { return lock };
    let wake = get(&window.navigator().into(), "wakeLock");
    if !wake.is_undefined() {
        spawn_local(async move {
            if let Ok(l) = call_async(&wake, "request", &[&"screen".into()]).await {
                lock.try_set_value(Some(l));
            }
        });
    }
    lock
}

fn release(lock: &JsValue) {
    let _ = call(lock, "release", &[]);
}
