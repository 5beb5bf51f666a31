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

pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    let text: String = js_sys::JSON::stringify(value).map_err(|e| format!("{e:?}"))?.into();
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// The JSON text of a stored value.
pub fn text_of(value: &JsValue) -> Result<String, String> {
    Ok(js_sys::JSON::stringify(value).map_err(|e| format!("{e:?}"))?.into())
}

/// A stored record as JSON, for merging; one code path for every kind.
pub fn doc_of(text: &str) -> Result<Doc, serde_json::Error> {
    serde_json::from_str(text)
}
