//! Records cross into IndexedDB as plain JS objects made by `JSON.parse`: serde_json is in the
//! bundle anyway for files, and this keeps index key paths (`body.township`) working.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::sync::merge::Doc;

pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    js_sys::JSON::parse(&text).map_err(|e| format!("{e:?}"))
}

/// A row that is never sealed (`meta`'s) as read.
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    serde_json::from_str(&sealed_text_of(value)?).map_err(|e| e.to_string())
}

/// A stored record, draft or conflict (or an array of them) as read: sealed fields opened in
/// place (`seal`). Apart from [`from_js`], so the first download, which reads only `meta` rows
/// and people as `Resident`, holds no opening code.
pub fn from_stored<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    serde_json::from_str(&text_of(value)?).map_err(|e| e.to_string())
}

/// The JSON text of a stored value (or an array of them), its sealed fields opened.
pub fn text_of(value: &JsValue) -> Result<String, String> {
    super::seal::open_text(js_sys::JSON::stringify(value).map_err(|e| format!("{e:?}"))?.into())
}

/// The JSON text of stored values as they are, sealed fields sealed: `meta` rows, and a shape
/// that reads none of them (`Kind::OPENS`).
pub fn sealed_text_of(value: &JsValue) -> Result<String, String> {
    Ok(js_sys::JSON::stringify(value).map_err(|e| format!("{e:?}"))?.into())
}

/// A value to store in `store`: [`to_js`], its sensitive fields sealed when a lock is set.
pub fn stored<T: Serialize>(store: &str, value: &T) -> Result<JsValue, String> {
    let js = to_js(value)?;
    super::seal::close(store, &js)?;
    Ok(js)
}

/// A stored record as JSON, for merging; one code path for every kind.
pub fn doc_of(text: &str) -> Result<Doc, serde_json::Error> {
    serde_json::from_str(text)
}
