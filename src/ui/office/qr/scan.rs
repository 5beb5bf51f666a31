//! 扫码接收, the receiving side: the rear camera, each picture searched for QR codes (by the
//! browser's `BarcodeDetector` where it has one, else by `sync::qr` on the page's thread), the
//! frames gathered (`sync::frames`) with a progress bar that only goes up; once the export is
//! whole it goes to the import's preview exactly as a picked file would. Leaving the page, or
//! 不收了, turns the camera off.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use crate::sync::chat::Packing;
use crate::sync::frames::Gathering;
use crate::sync::qr;
use crate::ui::files::{self, Picked};
use crate::ui::shell::router::use_navigate;

use super::js::{call, call_async, get, items, number, object, set, sleep, style};

/// Pixels across a picture is searched at: a code filling a third of the view still has
/// ~3 pixels a module, and a cheap phone decodes it in well under the frame interval.
const SEARCHED: u32 = 640;
/// Between two pictures searched, so the page stays responsive on a slow phone.
const PAUSE_MS: i32 = 40;
/// The longest a worker may take over one picture (its first includes starting its wasm).
const WORKER_WAIT_MS: i32 = 5_000;

#[component]
pub fn QrScan() -> impl IntoView {
    let navigate = use_navigate();
    let video = NodeRef::<leptos::html::Video>::new();
    let bar = NodeRef::<leptos::html::Progress>::new();
    // The camera's MediaStream, while it runs.
    let stream = StoredValue::new_local(None::<JsValue>);
    let progress = RwSignal::new(0u32);
    let frames = RwSignal::new(0u32);
    let problem = RwSignal::new(None::<String>);
    let attempt = RwSignal::new(0u32);

    let stop_camera = move || {
        if let Some(s) = stream.try_update_value(Option::take).flatten() {
            for t in call(&s, "getTracks", &[]).map(|t| items(&t)).unwrap_or_default() {
                let _ = call(&t, "stop", &[]);
            }
        }
    };
    on_cleanup(stop_camera);

    let finish = {
        let navigate = navigate.clone();
        move |packing: Packing, bytes: Vec<u8>, seen: u32| {
            let navigate = navigate.clone();
            spawn_local(async move {
                let bytes = match packing {
                    Packing::Deflate => files::inflate(&bytes).await,
                    Packing::Plain => Ok(bytes),
                };
                match bytes {
                    Ok(b) => {
                        // Not UTF-8 is said by the file check, as it is for a file.
                        let text = String::from_utf8_lossy(&b).into_owned();
                        files::hand_over(Picked { name: format!("扫码收到的数据（{seen} 个画面）"), text });
                        navigate("/exchange", Default::default());
                    }
                    Err(e) => {
                        problem.try_set(Some(e));
                    }
                }
            });
        }
    };

    Effect::new(move |_| {
        let run = attempt.get();
        let Some(el) = video.get() else { return };
        let el: web_sys::HtmlElement = el.into();
        let finish = finish.clone();
        problem.set(None);
        // A retry starts afresh: the camera of an earlier attempt is let go, and its loop ends.
        stop_camera();
        spawn_local(async move {
            let s = match open_camera().await {
                Ok(s) => s,
                Err(e) => {
                    problem.try_set(Some(e));
                    return;
                }
            };
            let el: JsValue = el.into();
            set(&el, "srcObject", &s);
            stream.try_set_value(Some(s));
            style(&el, &[("display", "block"), ("width", "100%"), ("maxWidth", "480px"), ("maxHeight", "50vh"), ("background", "#000")]);
            if let Some(b) = bar.get_untracked() {
                style(&b.into(), &[("width", "100%")]);
            }
            let _ = call_async(&el, "play", &[]).await;
            let mut gathering = Gathering::default();
            let mut reader = Reader::start().await;
            let canvas = picture_canvas();
            // The page's own part of each picture (taking it, and searching it when no worker
            // does) is a User Timing measure (`sangyu-scan`), which the bench reads.
            let clock = get(&web_sys::window().map(JsValue::from).unwrap_or_default(), "performance");
            // Until complete, stopped, retried or the page left (the stream taken away).
            while stream.try_with_value(|s| s.is_some()) == Some(true) && attempt.try_get_untracked() == Some(run) {
                let texts = reader.read(&el, canvas.as_ref(), &clock).await;
                for text in texts {
                    if gathering.add(&text) == crate::sync::frames::Took::Frame {
                        frames.try_update(|n| *n += 1);
                    }
                }
                progress.try_set(gathering.progress());
                match gathering.complete() {
                    Some(Ok((packing, bytes))) => {
                        reader.stop();
                        stop_camera();
                        finish(packing, bytes, frames.try_get_untracked().unwrap_or(0));
                        return;
                    }
                    Some(Err(e)) => {
                        problem.try_set(Some(e.to_string()));
                        gathering = Gathering::default();
                    }
                    None => {}
                }
                sleep(PAUSE_MS).await;
            }
            reader.stop();
        });
    });

    let stop = move |_| {
        stop_camera();
        navigate("/exchange", Default::default());
    };
    view! {
        <section class="page qr-page">
            <h1>"扫码接收"</h1>
            <p class="muted">"请对方在桑榆“设置 → 导出与导入”里生成文件后点“面对面传”。把摄像头对准对方屏幕上的二维码，离屏幕二三十厘米，拿稳别动。不用网络。"</p>
            {move || problem.get().map(|e| view! {
                <div class="load-failed" role="alert" data-test="scan-problem">
                    <p>{e}</p>
                    <button type="button" class="button primary" on:click=move |_| attempt.update(|n| *n += 1)>"重试"</button>
                </div>
            })}
            <video node_ref=video autoplay=true muted=true playsinline=true data-test="scan-video"></video>
            <progress node_ref=bar max="1000" prop:value=move || progress.get() prop:hidden=move || frames.get() == 0></progress>
            <p role="status" data-test="scan-status">{move || match (frames.get(), progress.get()) {
                (0, _) => "正在寻找二维码…".to_owned(),
                (_, p) => format!("已收到 {}%", p / 10),
            }}</p>
            <div class="form-actions">
                <button type="button" class="button" on:click=stop>"不收了"</button>
            </div>
        </section>
    }
}

/// The rear camera's stream, or what to tell the user in Chinese.
async fn open_camera() -> Result<JsValue, String> {
    const NO_CAMERA: &str = "这个浏览器不能打开摄像头。请在手机自带的浏览器或 Chrome 中打开桑榆（微信里打开的页面不行）。";
    let navigator: JsValue = web_sys::window().ok_or(NO_CAMERA)?.navigator().into();
    let devices = get(&navigator, "mediaDevices");
    if devices.is_undefined() {
        return Err(NO_CAMERA.into());
    }
    let video = object(&[("facingMode", object(&[("ideal", "environment".into())])), ("width", 1280.into())]);
    let wanted = object(&[("video", video), ("audio", JsValue::FALSE)]);
    call_async(&devices, "getUserMedia", &[&wanted]).await.map_err(|e| {
        match get(&e, "name").as_string().unwrap_or_default().as_str() {
            "NotAllowedError" | "SecurityError" => "桑榆没有得到使用摄像头的许可。请点地址栏左边的图标（或手机的“设置 → 应用 → 浏览器 → 权限”），允许使用摄像头，然后点“重试”。",
            "NotFoundError" | "OverconstrainedError" => "这台设备上没有找到摄像头。",
            "NotReadableError" | "AbortError" => "摄像头正被其他应用使用：请关掉其他用摄像头的应用，然后点“重试”。",
            _ => NO_CAMERA,
        }
        .to_owned()
    })
}

/// The browser's own QR reader (`BarcodeDetector`: Chrome on Android has one), where it reads
/// QR codes: it works away from the page's thread. `None`: the pictures are searched here.
async fn native_reader() -> Option<JsValue> {
    let class = get(&web_sys::window()?.into(), "BarcodeDetector");
    if class.is_undefined() {
        return None;
    }
    let formats = call_async(&class, "getSupportedFormats", &[]).await.ok()?;
    if !items(&formats).iter().any(|f| f.as_string().as_deref() == Some("qr_code")) {
        return None;
    }
    let only_qr = js_sys::Array::new();
    only_qr.push(&"qr_code".into());
    let args = js_sys::Array::new();
    args.push(&object(&[("formats", only_qr.into())]));
    js_sys::Reflect::construct(class.unchecked_ref::<js_sys::Function>(), &args).ok()
}

/// The texts of the codes `reader` finds in the camera's current picture.
async fn detect(reader: &JsValue, video: &JsValue) -> Vec<String> {
    match call_async(reader, "detect", &[video]).await {
        Ok(found) => items(&found).iter().filter_map(|c| get(c, "rawValue").as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// A canvas's 2D context to take the camera's pictures on.
fn picture_canvas() -> Option<JsValue> {
    let canvas: JsValue = web_sys::window()?.document()?.create_element("canvas").ok()?.into();
    call(&canvas, "getContext", &[&"2d".into()]).ok().filter(|c| !c.is_null())
}

/// Where the camera's pictures are searched for codes.
enum Reader {
    /// The browser's `BarcodeDetector`.
    Native(JsValue),
    /// The scanner's worker (`static/qr_worker.js`), away from the page's thread.
    Worker(JsValue),
    /// Here, on the page's thread: where neither can start.
    Here,
}

impl Reader {
    async fn start() -> Reader {
        if let Some(r) = native_reader().await {
            return Reader::Native(r);
        }
        start_worker().map_or(Reader::Here, Reader::Worker)
    }

    /// The texts of the codes in the camera's current picture; a worker that fails is let go
    /// and the page searches from then on. The page's own part is measured on `clock`.
    async fn read(&mut self, video: &JsValue, ctx: Option<&JsValue>, clock: &JsValue) -> Vec<String> {
        if let Reader::Native(r) = self {
            return detect(r, video).await;
        }
        let start = call(clock, "now", &[]).unwrap_or_default();
        let measure = || {
            let _ = call(clock, "measure", &[&"sangyu-scan".into(), &object(&[("start", start.clone())])]);
        };
        let Some((w, h, rgba)) = ctx.and_then(|c| picture(video, c)) else { return Vec::new() };
        if let Reader::Worker(worker) = self {
            let asked = ask_worker(worker, w, h, &rgba);
            measure();
            let answer = match asked {
                Ok(reply) => reply.await,
                Err(e) => Err(e),
            };
            match answer {
                Ok(event) => return items(&get(&event, "data")).iter().filter_map(JsValue::as_string).collect(),
                Err(_) => {
                    let _ = call(worker, "terminate", &[]);
                    *self = Reader::Here;
                    return Vec::new();
                }
            }
        }
        let texts = qr::read(w as usize, h as usize, &qr::grey(&js_sys::Uint8Array::new(&rgba).to_vec()));
        measure();
        // Marked apart, so a test can tell this search from the worker's.
        let _ = call(clock, "mark", &[&"sangyu-scan-here".into()]);
        texts
    }

    fn stop(&self) {
        if let Reader::Worker(w) = self {
            let _ = call(w, "terminate", &[]);
        }
    }
}

/// The camera's current picture at [`SEARCHED`] pixels across at most: its width, height and
/// RGBA bytes (a `Uint8ClampedArray`).
fn picture(video: &JsValue, ctx: &JsValue) -> Option<(u32, u32, JsValue)> {
    let (w, h) = (number(video, "videoWidth"), number(video, "videoHeight"));
    if w == 0 || h == 0 {
        return None;
    }
    let (sw, sh) = if w > SEARCHED { (SEARCHED, h * SEARCHED / w) } else { (w, h) };
    let canvas = get(ctx, "canvas");
    if number(&canvas, "width") != sw || number(&canvas, "height") != sh {
        set(&canvas, "width", &sw.into());
        set(&canvas, "height", &sh.into());
    }
    let (zero, dw, dh) = (JsValue::from(0), JsValue::from(sw), JsValue::from(sh));
    call(ctx, "drawImage", &[video, &zero, &zero, &dw, &dh]).ok()?;
    let data = call(ctx, "getImageData", &[&zero, &zero, &dw, &dh]).ok()?;
    Some((sw, sh, get(&data, "data")))
}

/// The scanner's worker, from the release's folder (beside `boot.js`), if the browser starts
/// one.
fn start_worker() -> Option<JsValue> {
    let window = web_sys::window()?;
    let document: JsValue = window.document()?.into();
    let boot = call(&document, "querySelector", &[&"script[src$='/boot.js']".into()]).ok().filter(|b| !b.is_null())?;
    let folder = get(&boot, "src").as_string()?.strip_suffix("boot.js")?.to_owned();
    let args = js_sys::Array::new();
    args.push(&format!("{folder}qr_worker.js").into());
    args.push(&object(&[("type", "module".into())]));
    js_sys::Reflect::construct(get(&window.into(), "Worker").unchecked_ref::<js_sys::Function>(), &args).ok()
}

/// One picture given to the worker (its bytes handed over, not copied); the reply, a message
/// whose data is the texts, or an error if the worker could not load.
fn ask_worker(worker: &JsValue, width: u32, height: u32, rgba: &JsValue) -> Result<wasm_bindgen_futures::JsFuture, JsValue> {
    let reply = js_sys::Promise::new(&mut |resolve, reject| {
        set(worker, "onmessage", &resolve);
        set(worker, "onerror", &reject);
        // A load error fired before this picture was asked is not heard again: a worker
        // that does not answer in time is taken as failed too.
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&reject, WORKER_WAIT_MS);
        }
    });
    let buffer = get(rgba, "buffer");
    let handed = js_sys::Array::new();
    handed.push(&buffer);
    let message = object(&[("width", width.into()), ("height", height.into()), ("rgba", buffer)]);
    call(worker, "postMessage", &[&message, &handed])?;
    Ok(wasm_bindgen_futures::JsFuture::from(reply))
}
