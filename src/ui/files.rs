//! Files in and out of the browser: a picked file's text, and saving or sharing an export.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A file the user picked, read whole.
pub struct Picked {
    pub name: String,
    pub text: String,
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

/// Whether this browser can hand a file to the phone's share sheet (WeChat, Bluetooth...).
pub fn can_share_files() -> bool {
    let Some((nav, can)) = navigator_fn("canShare") else { return false };
    share_data("a.txt", "", "text/plain")
        .and_then(|d| can.call1(&nav, &d).ok())
        .is_some_and(|ok| ok.as_bool() == Some(true))
}

/// Opens the share sheet with the file. `Ok(false)` when the user closed it without sharing.
pub async fn share(name: &str, text: &str, mime: &str) -> Result<bool, String> {
    let (nav, share) = navigator_fn("share").ok_or("此浏览器不能分享文件，请改用“保存文件”")?;
    let data = share_data(name, text, mime).ok_or("无法生成要分享的文件")?;
    let promise = share.call1(&nav, &data).map_err(|_| "分享失败，请改用“保存文件”")?;
    match JsFuture::from(js_sys::Promise::from(promise)).await {
        Ok(_) => Ok(true),
        Err(_) => Ok(false),
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
