//! Photos in the browser: a picked picture decoded and downscaled on the phone to a JPEG and
//! a thumbnail (canvas), before anything is stored. The pixels stay in the browser; wasm
//! sees a JPEG's bytes only briefly, to check it (CRC-32) or to put it in an export file.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::domain::photo::{fit, FULL_EDGE, THUMB_EDGE};
use crate::sync::format::crc32;

const FULL_QUALITY: f64 = 0.82;
const THUMB_QUALITY: f64 = 0.7;

/// A picture made ready to store.
pub struct Prepared {
    pub jpeg: web_sys::Blob,
    pub thumb: web_sys::Blob,
    pub width: u32,
    pub height: u32,
    pub bytes: u32,
    pub crc32: String,
}

/// Decodes a picture through an `<img>`, which turns it upright by its EXIF orientation on
/// every Chromium since 81 (`createImageBitmap` did so only from ~120, and older phones would
/// store a portrait photo lying on its side).
async fn decode(picture: &web_sys::Blob) -> Result<web_sys::HtmlImageElement, ()> {
    let url = web_sys::Url::create_object_url_with_blob(picture).map_err(drop)?;
    let img = web_sys::HtmlImageElement::new().map_err(drop)?;
    img.set_src(&url);
    let decoded = JsFuture::from(img.decode()).await;
    // The decoded pixels stay with the element; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(drop)?;
    Ok(img)
}

/// Draws `img` with its longest edge at most `edge`, as a JPEG.
async fn encode(img: &web_sys::HtmlImageElement, edge: u32, quality: f64) -> Result<(web_sys::Blob, u32, u32), ()> {
    let (w, h) = fit(img.natural_width(), img.natural_height(), edge);
    let document = web_sys::window().and_then(|w| w.document()).ok_or(())?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").map_err(drop)?.dyn_into().map_err(drop)?;
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").map_err(drop)?.ok_or(())?.dyn_into().map_err(drop)?;
    // JPEG has no transparency: a PNG's clear parts become white, not black.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    // Shrinking a 12-megapixel photo with the default (low) smoothing leaves jagged edges.
    let _ = js_sys::Reflect::set(&ctx, &"imageSmoothingQuality".into(), &"high".into());
    ctx.draw_image_with_html_image_element_and_dw_and_dh(img, 0.0, 0.0, f64::from(w), f64::from(h)).map_err(drop)?;
    let promise = js_sys::Promise::new(&mut |resolve, reject: js_sys::Function| {
        let failed = reject.clone();
        let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let _ = if blob.is_null() { reject.call0(&JsValue::NULL) } else { resolve.call1(&JsValue::NULL, &blob) };
        });
        if canvas.to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &quality.into()).is_err() {
            let _ = failed.call0(&JsValue::NULL);
        }
    });
    let blob = JsFuture::from(promise).await.map_err(drop)?.dyn_into().map_err(drop)?;
    // Frees the canvas's pixels now rather than at the next garbage collection.
    canvas.set_width(0);
    canvas.set_height(0);
    Ok((blob, w, h))
}

/// A blob's bytes, copied into wasm (a stored JPEG: ~200 KB, for a moment).
pub async fn bytes_of(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| "无法读取照片数据".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Decodes a picked picture and makes its JPEG and thumbnail; `name` is for the message.
pub async fn prepare(picture: &web_sys::Blob, name: &str) -> Result<Prepared, String> {
    let unreadable = || format!("无法读取图片 {name}：请选用手机拍的 JPG 或 PNG 照片");
    let img = decode(picture).await.map_err(|_| unreadable())?;
    let full = encode(&img, FULL_EDGE, FULL_QUALITY).await;
    let thumb = encode(&img, THUMB_EDGE, THUMB_QUALITY).await;
    let ((jpeg, width, height), (thumb, _, _)) = full.and_then(|f| thumb.map(|t| (f, t))).map_err(|_| unreadable())?;
    let bytes = bytes_of(&jpeg).await?;
    Ok(Prepared { width, height, bytes: bytes.len() as u32, crc32: format!("{:08x}", crc32(&bytes, 0)), jpeg, thumb })
}

/// A thumbnail for a JPEG that arrived in an import file.
pub async fn thumb_of(jpeg: &web_sys::Blob) -> Result<web_sys::Blob, String> {
    let img = decode(jpeg).await.map_err(|_| "文件中有一张照片无法显示".to_owned())?;
    encode(&img, THUMB_EDGE, THUMB_QUALITY).await.map(|(b, _, _)| b).map_err(|_| "无法生成照片缩略图".to_owned())
}

/// A JPEG blob from bytes (an import file's photo).
pub fn jpeg_blob(bytes: &[u8]) -> Result<web_sys::Blob, String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|_| "无法保存照片".to_owned())
}

/// An object URL for showing a blob in an `<img>`; the caller revokes it when done.
pub fn url_of(blob: &web_sys::Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}
