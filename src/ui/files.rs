//! Files in and out of the browser: a picked file's text, and saving or sharing an export.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A file the user picked, read whole.
pub struct Picked {
    pub name: String,
    pub text: String,
}

thread_local! {
    static HANDED: std::cell::RefCell<Option<Box<dyn std::any::Any>>> = const { std::cell::RefCell::new(None) };
}

/// Hands a value to the page the app goes to next (an export to the QR sender; what the
/// scanner read to the import, which previews it as a picked file); in memory only, so a
/// reload there starts afresh.
pub fn hand_over<T: 'static>(value: T) {
    HANDED.with(|h| *h.borrow_mut() = Some(Box::new(value)));
}

/// The value handed over, if it is a `T` (taken once).
pub fn take_handed<T: 'static>() -> Option<T> {
    HANDED.with(|h| {
        let mut h = h.borrow_mut();
        match h.take()?.downcast::<T>() {
            Ok(v) => Some(*v),
            Err(other) => {
                *h = Some(other);
                None
            }
        }
    })
}

/// Reads the first file of `input`; refuses one above `limit` bytes before reading it.
pub async fn read_picked(input: &web_sys::HtmlInputElement, limit: usize) -> Result<Option<Picked>, String> {
    let Some(file) = input.files().and_then(|l| l.get(0)) else { return Ok(None) };
    let name = file.name();
    let size = file.size();
    if size > limit as f64 {
        return Err(format!("文件 {name}：文件太大（{} MB），超过 {} MB 的上限", size as u64 >> 20, limit >> 20));
    }
    let bytes = JsFuture::from(file.array_buffer()).await.map_err(|_| format!("文件 {name}：无法读取这个文件"))?;
    // The bytes copied in once, at their size, and kept as the text when they are UTF-8 (as
    // they should be): a JS string brought across is re-encoded in a buffer three times its
    // length, which for a large file was the import's highest point of memory.
    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // Not UTF-8 (a GBK spreadsheet): read as a browser would, the parser then says so.
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(Some(Picked { name, text }))
}

fn blob_parts(text: &str) -> js_sys::Array {
    js_sys::Array::of1(&JsValue::from_str(text))
}

/// Saves `text` as a download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), String> {
    let fail = |_| "浏览器无法保存文件".to_owned();
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&blob_parts(text), &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("没有浏览器窗口")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has its own reference to the blob once started; free ours a little later.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

fn share_data(name: &str, text: &str, mime: &str) -> Option<js_sys::Object> {
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    let file = web_sys::File::new_with_str_sequence_and_options(&blob_parts(text), name, &options).ok()?;
    let data = js_sys::Object::new();
    js_sys::Reflect::set(&data, &"files".into(), &js_sys::Array::of1(&file)).ok()?;
    js_sys::Reflect::set(&data, &"title".into(), &name.into()).ok()?;
    Some(data)
}

fn navigator_fn(name: &str) -> Option<(JsValue, js_sys::Function)> {
    let nav: JsValue = web_sys::window()?.navigator().into();
    let f = js_sys::Reflect::get(&nav, &name.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Some((nav, f))
}

/// Whether this browser offers to hand a file to the phone's share sheet (WeChat, Bluetooth...).
/// Chrome answers yes without checking the file's type, so [`share_or_save`] still handles
/// a refusal.
pub fn can_share_files() -> bool {
    let Some((nav, can)) = navigator_fn("canShare") else { return false };
    share_data("a.txt", "", "text/plain")
        .and_then(|d| can.call1(&nav, &d).ok())
        .is_some_and(|ok| ok.as_bool() == Some(true))
}

/// What became of a file offered to the share sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shared {
    /// Handed to another app.
    Handed,
    /// The share sheet refused it (type, size, no file sharing): saved as a download instead.
    Saved,
    /// The user closed the sheet: nothing happened, and nothing is to be said.
    Closed,
}

/// The name of a DOMException (or TypeError) a rejected promise carries.
fn error_name(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default()
}

/// Opens the share sheet with the file; where the browser refuses it (`NotAllowedError`: a
/// type Chrome Android does not share, or past its 50 MiB; `TypeError`: no file sharing at
/// all), saves it as a download instead. Closing the sheet (`AbortError`) does nothing.
pub async fn share_or_save(name: &str, text: &str, mime: &str) -> Result<Shared, String> {
    let Some((nav, share)) = navigator_fn("share") else {
        return download(name, text, mime).map(|()| Shared::Saved);
    };
    let data = share_data(name, text, mime).ok_or("无法生成要分享的文件")?;
    let outcome = match share.call1(&nav, &data) {
        Ok(promise) => JsFuture::from(js_sys::Promise::from(promise)).await.map(drop),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(Shared::Handed),
        Err(e) if error_name(&e) == "AbortError" => Ok(Shared::Closed),
        Err(_) => download(name, text, mime).map(|()| Shared::Saved),
    }
}

/// Opens the share sheet with text for a chat. `Ok(false)` when it was closed or refused.
pub async fn share_text(text: &str) -> bool {
    let Some((nav, share)) = navigator_fn("share") else { return false };
    let data = js_sys::Object::new();
    if js_sys::Reflect::set(&data, &"text".into(), &text.into()).is_err() {
        return false;
    }
    match share.call1(&nav, &data) {
        Ok(p) => JsFuture::from(js_sys::Promise::from(p)).await.is_ok(),
        Err(_) => false,
    }
}

/// Whether the browser has a share sheet at all (Android System WebView, WeChat's browser,
/// has none).
pub fn can_share() -> bool {
    navigator_fn("share").is_some()
}

/// Puts text on the clipboard. `false` where the browser will not (no secure context, or
/// permission refused): the page then shows the text to select by hand.
pub async fn copy_text(text: &str) -> bool {
    let Some((clipboard, write)) = clipboard_fn("writeText") else { return false };
    match write.call1(&clipboard, &text.into()) {
        Ok(p) => JsFuture::from(js_sys::Promise::from(p)).await.is_ok(),
        Err(_) => false,
    }
}

/// Reads a spreadsheet's text: UTF-8 (with or without BOM) if it is valid UTF-8, else
/// GB18030 (what Excel and WPS save in China), both by the browser's own TextDecoder.
pub async fn read_spreadsheet(input: &web_sys::HtmlInputElement, limit: usize) -> Result<Option<Picked>, String> {
    let Some(file) = input.files().and_then(|l| l.get(0)) else { return Ok(None) };
    let name = file.name();
    if file.size() > limit as f64 {
        return Err(format!("文件 {name}：文件太大，超过 {} MB 的上限", limit >> 20));
    }
    let unreadable = || format!("文件 {name}：无法读取这个文件");
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|_| unreadable())?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let strict = web_sys::TextDecoderOptions::new();
    strict.set_fatal(true);
    let utf8 = web_sys::TextDecoder::new_with_label_and_options("utf-8", &strict).map_err(|_| unreadable())?;
    let text = match utf8.decode_with_buffer_source(&bytes) {
        Ok(t) => t,
        Err(_) => web_sys::TextDecoder::new_with_label("gb18030")
            .and_then(|d| d.decode_with_buffer_source(&bytes))
            .map_err(|_| format!("文件 {name}：既不是 UTF-8 也不是 GB18030/GBK 编码的文本"))?,
    };
    Ok(Some(Picked { name, text }))
}

/// Sends `bytes` through the browser's `CompressionStream` or `DecompressionStream`
/// (`class`) in zlib's format: no compression code in the wasm. `Ok(None)` where the browser
/// has no such stream (Chrome before 80, Safari before 16.4).
async fn through_stream(class: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>, JsValue> {
    let global = js_sys::global();
    let Ok(ctor) = js_sys::Reflect::get(&global, &class.into()).and_then(|c| c.dyn_into::<js_sys::Function>()) else {
        return Ok(None);
    };
    let transform = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&"deflate".into()))?;
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)))?;
    let stream = js_sys::Reflect::get(&blob, &"stream".into())?.dyn_into::<js_sys::Function>()?.call0(&blob)?;
    let piped = js_sys::Reflect::get(&stream, &"pipeThrough".into())?
        .dyn_into::<js_sys::Function>()?
        .call1(&stream, &transform)?;
    let response_ctor = js_sys::Reflect::get(&global, &"Response".into())?.dyn_into::<js_sys::Function>()?;
    let response: web_sys::Response =
        js_sys::Reflect::construct(&response_ctor, &js_sys::Array::of1(&piped))?.dyn_into()?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// The bytes deflated by the browser, or `None` where it cannot.
pub async fn deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    through_stream("CompressionStream", bytes).await.ok().flatten()
}

/// The bytes inflated by the browser.
pub async fn inflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    match through_stream("DecompressionStream", bytes).await {
        Ok(Some(out)) => Ok(out),
        Ok(None) => Err("这个浏览器不能解压这段文字：请更新浏览器，或请对方改发文件".into()),
        Err(_) => Err("文字已损坏，无法解压：请让对方重新发送".into()),
    }
}

fn clipboard_fn(name: &str) -> Option<(JsValue, js_sys::Function)> {
    let nav: JsValue = web_sys::window()?.navigator().into();
    let clipboard = js_sys::Reflect::get(&nav, &"clipboard".into()).ok().filter(|c| !c.is_undefined())?;
    let f = js_sys::Reflect::get(&clipboard, &name.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Some((clipboard, f))
}

/// Whether the page may offer a button that reads the clipboard (the browser still asks).
pub fn can_read_clipboard() -> bool {
    clipboard_fn("readText").is_some()
}

/// The clipboard's text, where the browser allows it.
pub async fn paste_text() -> Option<String> {
    let (clipboard, read) = clipboard_fn("readText")?;
    let p = read.call0(&clipboard).ok()?;
    JsFuture::from(js_sys::Promise::from(p)).await.ok()?.as_string()
}
