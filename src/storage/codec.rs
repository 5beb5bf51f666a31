//! Records cross into IndexedDB as plain JS objects made by `JSON.parse`: serde_json is in the
//! bundle anyway for files, and this keeps index key paths (`body.township`) working.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

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

/// Many values in one `JSON.parse`: crossing into JavaScript once per batch rather than once
/// per record is what keeps a 100,000-record import near the speed of a bare put.
pub fn array_of<T: Serialize>(items: &[T]) -> Result<js_sys::Array, String> {
    Ok(to_js(&items)?.unchecked_into())
}
