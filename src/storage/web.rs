//! The few browser facts the app needs: wall time, the local date, randomness.

use crate::domain::Date;

pub fn now_ms() -> u64 {
    // Date.now() is a non-negative integer of milliseconds.
    js_sys::Date::now().max(0.0) as u64
}

/// The phone's local calendar date.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    // getTimezoneOffset is minutes *behind* UTC (China: -480).
    let offset = -(now.get_timezone_offset() as i64);
    Date::from_unix_ms(now.get_time() as i64, offset).unwrap_or(Date::EPOCH)
}

/// The phone's local date and time as `20261129-1430`, for file names.
pub fn local_stamp() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// This device's offset from UTC in minutes, east positive (China: 480).
pub fn utc_offset_min() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// A moment as this device's local date and time, `2026-11-29 09:14`.
pub fn local_time_text(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// 16 bytes from WebCrypto, for record and device ids.
pub fn random16() -> Result<[u8; 16], String> {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().ok_or("没有浏览器窗口")?.crypto().map_err(|_| "浏览器不支持安全随机数")?;
    crypto.get_random_values_with_u8_array(&mut bytes).map_err(|_| "浏览器不支持安全随机数")?;
    Ok(bytes)
}

/// Asks the browser not to evict this origin's data under storage pressure. `None` where the
/// browser has no Storage API.
pub async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let granted = wasm_bindgen_futures::JsFuture::from(storage.persist().ok()?).await.ok()?;
    granted.as_bool()
}

/// Whether the browser has granted persistent storage (asks nothing).
pub async fn is_persisted() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    wasm_bindgen_futures::JsFuture::from(storage.persisted().ok()?).await.ok()?.as_bool()
}

/// Bytes used and the quota the browser allows this origin.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let estimate: web_sys::StorageEstimate =
        wasm_bindgen_futures::JsFuture::from(storage.estimate().ok()?).await.ok()?.into();
    Some((estimate.get_usage()?, estimate.get_quota()?))
}

/// Lets the browser paint and handle input before long work continues (a `setTimeout(0)`).
pub async fn pause() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A mark on the page's performance timeline, `sangyu:<name>`: the benchmark reads an
/// import's phases from them. Called by name, so the first download gains no glue for it.
pub fn mark(name: &str) {
    use wasm_bindgen::JsCast;
    let Ok(perf) = js_sys::Reflect::get(&js_sys::global(), &"performance".into()) else { return };
    if let Ok(f) = js_sys::Reflect::get(&perf, &"mark".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call1(&perf, &format!("sangyu:{name}").into());
        }
    }
}
