//! The camera and the picture through the browser's objects by name (`Reflect`), not web-sys's
//! typed bindings: each typed method adds a function to `sangyu.js`, the JS glue every phone
//! downloads first, while these calls reuse glue the app already has.

use wasm_bindgen::{JsCast, JsValue};

/// `obj[name]`.
pub fn get(obj: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(obj, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[name] = value`.
pub fn set(obj: &JsValue, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &name.into(), value);
}

/// `obj.name(args…)`.
pub fn call(obj: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let f = get(obj, name).dyn_into::<js_sys::Function>()?;
    let list = js_sys::Array::new();
    for a in args {
        list.push(a);
    }
    js_sys::Reflect::apply(&f, obj, &list)
}

/// `obj.name(args…)` when it returns a promise, awaited.
pub async fn call_async(obj: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let promise: js_sys::Promise = call(obj, name, args)?.unchecked_into();
    wasm_bindgen_futures::JsFuture::from(promise).await
}

/// The items of an array-like value.
pub fn items(list: &JsValue) -> Vec<JsValue> {
    (0..number(list, "length")).map(|i| js_sys::Reflect::get_u32(list, i).unwrap_or(JsValue::UNDEFINED)).collect()
}

/// Sets an element's inline style properties through the CSSOM, which the page's CSP
/// (`style-src 'self'`) allows where a `style` attribute would be refused.
pub fn style(el: &JsValue, props: &[(&str, &str)]) {
    let s = get(el, "style");
    for (k, v) in props {
        set(&s, k, &(*v).into());
    }
}

/// Waits `ms` milliseconds (the page's own timer, so it stops with the page).
pub async fn sleep(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

/// A number property (`videoWidth`), 0 when missing.
pub fn number(obj: &JsValue, name: &str) -> u32 {
    get(obj, name).as_f64().map_or(0, |n| n as u32)
}

/// `{ key: value, … }`.
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    o
}
