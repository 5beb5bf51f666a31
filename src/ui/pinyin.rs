//! The pinyin table for name search, fetched from `/pinyin.txt` the first time a list needs it
//! (it is ~48 KB brotli, so it stays out of the first load). Until it arrives, and if it never
//! does, search by characters works.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::search::PinyinTable;

thread_local! {
    static STARTED: RefCell<bool> = const { RefCell::new(false) };
}

/// The table once loaded; shared by every list through context.
#[derive(Clone, Copy)]
pub struct Pinyin(pub RwSignal<Option<Arc<PinyinTable>>>);

impl Pinyin {
    pub fn new() -> Pinyin {
        Pinyin(RwSignal::new(None))
    }

    /// Starts the fetch once per page load.
    pub fn ensure(self) {
        if STARTED.with(|s| s.replace(true)) {
            return;
        }
        spawn_local(async move {
            if let Ok(text) = fetch_text("/pinyin.txt").await {
                self.0.set(Some(Arc::new(PinyinTable::parse(&text))));
            }
        });
    }
}

async fn fetch_text(url: &str) -> Result<String, wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await?.dyn_into()?;
    if !response.ok() {
        return Err("not found".into());
    }
    JsFuture::from(response.text()?).await?.as_string().ok_or_else(|| "not text".into())
}

pub fn use_pinyin() -> Pinyin {
    let p = use_context::<Pinyin>().unwrap_or_else(Pinyin::new);
    p.ensure();
    p
}
