//! Photo widgets: a stored photo shown from its blob, and an activity's photos with adding
//! (camera or gallery), viewing and deleting. Object URLs are revoked when a widget goes.

use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::data;
use super::images::{self, Prepared};
use super::widgets::app_state;
use crate::domain::order::sort_by;
use crate::domain::photo::MAX_PER_ACTIVITY;
use crate::domain::{Photo, Record, RecordId};

/// Object URLs a widget made, revoked together when it is dropped.
#[derive(Clone, Default)]
struct Urls(Arc<Mutex<Vec<String>>>);

impl Urls {
    fn make(&self, blob: &web_sys::Blob) -> Option<String> {
        let url = images::url_of(blob)?;
        if let Ok(mut v) = self.0.lock() {
            v.push(url.clone());
        }
        Some(url)
    }

    fn revoke(&self, url: &str) {
        images::revoke(url);
        if let Ok(mut v) = self.0.lock() {
            v.retain(|u| u != url);
        }
    }

    /// Revokes every URL when the current reactive owner is cleaned up.
    fn on_cleanup(&self) {
        let urls = self.clone();
        on_cleanup(move || {
            if let Ok(v) = urls.0.lock() {
                v.iter().for_each(|u| images::revoke(u));
            }
        });
    }
}

/// A stored photo: its thumbnail, or (`full`) the 1280-pixel JPEG.
#[component]
pub fn StoredPhoto(id: RecordId, #[prop(optional)] full: bool) -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    let missing = RwSignal::new(false);
    let urls = Urls::default();
    urls.on_cleanup();
    let made = urls.clone();
    spawn_local(async move {
        match data::photo_file(&id, !full).await {
            Ok(Some(blob)) => {
                if let Some(u) = made.make(&blob) {
                    // The widget may be gone by now: then the URL goes too.
                    if url.try_set(Some(u.clone())).is_some() {
                        made.revoke(&u);
                    }
                }
            }
            _ => {
                let _ = missing.try_set(true);
            }
        }
    });
    let class = if full { "photo-full" } else { "thumb" };
    move || match url.get() {
        Some(u) => view! { <img src=u class=class alt="活动照片"/> }.into_any(),
        None if missing.get() => view! { <span class=format!("{class} missing")>"照片未传到本机"</span> }.into_any(),
        None => view! { <span class=class></span> }.into_any(),
    }
}

/// A picture chosen for an activity not saved yet; stored once the activity is.
pub struct Unsaved {
    pub picture: Prepared,
    url: String,
}

/// Prepares the picked pictures one by one (a phone has memory for one at a time), telling
/// `busy` how far it got.
async fn prepare_all(files: Vec<web_sys::File>, busy: RwSignal<Option<String>>) -> (Vec<Prepared>, Vec<String>) {
    let (mut ready, mut errors) = (Vec::new(), Vec::new());
    let n = files.len();
    for (i, f) in files.into_iter().enumerate() {
        busy.set(Some(format!("正在处理照片 {}/{n}…", i + 1)));
        match images::prepare(&f, &f.name()).await {
            Ok(p) => ready.push(p),
            Err(e) => errors.push(e),
        }
    }
    busy.set(None);
    (ready, errors)
}

fn picked_files(input: &web_sys::HtmlInputElement) -> Vec<web_sys::File> {
    let files = input.files().map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default();
    // Lets the same picture be picked again later.
    input.set_value("");
    files
}

/// An activity's photos. For a saved activity (`activity`), picked pictures are stored at
/// once; for a new one they wait in `unsaved` until the activity is saved.
#[component]
pub fn ActivityPhotos(activity: Option<RecordId>, unsaved: RwSignal<Vec<Unsaved>, LocalStorage>) -> impl IntoView {
    let state = app_state();
    let busy = RwSignal::new(None::<String>);
    let viewing = RwSignal::new(None::<RecordId>);
    let caption = RwSignal::new(String::new());
    let urls = Urls::default();
    urls.on_cleanup();
    let owner = activity.clone();
    // Every photo record is read (they are small), sharing the log page's code path.
    let all = data::resource::<Photo>();
    let stored = Memo::new(move |_| {
        let Some(owner) = &owner else { return Vec::new() };
        let mut v: Vec<Record<Photo>> = all
            .get()
            .and_then(Result::ok)
            .map(|v| v.iter().filter(|p| !p.deleted && p.body.activity == *owner).cloned().collect())
            .unwrap_or_default();
        // In the order they were added, on every device.
        sort_by(&mut v, |a, b| a.created.cmp(&b.created));
        v
    });
    let shown = move || stored.with_untracked(Vec::len);

    let made = urls.clone();
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let mut files = picked_files(&input);
        let room = MAX_PER_ACTIVITY.saturating_sub(shown() + unsaved.with_untracked(Vec::len));
        if files.len() > room {
            state.say(format!("每个活动最多 {MAX_PER_ACTIVITY} 张照片，这次只添加 {room} 张"));
            files.truncate(room);
        }
        if files.is_empty() {
            return;
        }
        let (activity, made) = (activity.clone(), made.clone());
        spawn_local(async move {
            let (ready, errors) = prepare_all(files, busy).await;
            let count = ready.len();
            match &activity {
                Some(id) if count > 0 => match data::add_photos(id, ready).await {
                    Ok(n) => {
                        state.say(format!("已添加 {n} 张照片"));
                        state.changed();
                    }
                    Err(e) => state.say(e.to_string()),
                },
                Some(_) => {}
                None => unsaved.update(|v| {
                    v.extend(ready.into_iter().filter_map(|p| Some(Unsaved { url: made.make(&p.thumb)?, picture: p })))
                }),
            }
            if let Some(e) = errors.first() {
                state.say(if errors.len() > 1 {
                    format!("{e}（另有 {} 张也无法读取）", errors.len() - 1)
                } else {
                    e.clone()
                });
            }
        });
    };

    let remove_unsaved = {
        let urls = urls.clone();
        move |url: String| {
            urls.revoke(&url);
            unsaved.update(|v| v.retain(|u| u.url != url));
        }
    };
    let open = move |id: RecordId| {
        caption.set(
            stored
                .with_untracked(|v| v.iter().find(|p| p.id == id).map(|p| p.body.caption.clone()))
                .unwrap_or_default(),
        );
        viewing.set(Some(id));
    };
    let save_caption = move |id: RecordId| {
        let Some(photo) = stored.with_untracked(|v| v.iter().find(|p| p.id == id).map(|p| p.body.clone())) else {
            return;
        };
        let text = caption.get_untracked().trim().to_owned();
        spawn_local(async move {
            match data::save(Some(id), Photo { caption: text, ..photo }).await {
                Ok(_) => state.say("已保存照片说明"),
                Err(e) => state.say(e.to_string()),
            }
            state.changed();
        });
    };
    let delete = move |id: RecordId| {
        viewing.set(None);
        spawn_local(async move {
            match data::set_deleted::<Photo>(&id, true).await {
                Ok(r) => state.deleted::<Photo>(r.id, "照片"),
                Err(e) => state.say(e.to_string()),
            }
        });
    };

    view! {
        <section class="group" data-test="photos">
            <h2>"照片"</h2>
            <div class="photos">
                {move || stored.get().into_iter().map(|p| {
                    let id = p.id.clone();
                    view! {
                        <button type="button" class="photo" aria-label="查看照片" on:click=move |_| open(id.clone())>
                            <StoredPhoto id=p.id/>
                        </button>
                    }
                }).collect_view()}
                {move || unsaved.with(|v| v.iter().map(|u| {
                    let url = u.url.clone();
                    let remove = remove_unsaved.clone();
                    view! {
                        <span class="photo unsaved">
                            <img src=u.url.clone() class="thumb" alt="待保存的照片"/>
                            <button type="button" class="button small" on:click=move |_| remove(url.clone())>"移除"</button>
                        </span>
                    }
                }).collect_view())}
            </div>
            {move || busy.get().map(|b| view! { <p class="muted" role="status">{b}</p> })}
            <div class="actions">
                <label class="button small">"拍照"
                    <input type="file" accept="image/*" capture="environment" class="hidden-input"
                        data-test="photo-camera" on:change=on_pick.clone()/>
                </label>
                <label class="button small">"从相册选"
                    <input type="file" accept="image/*" multiple class="hidden-input" data-test="photo-gallery" on:change=on_pick/>
                </label>
            </div>
            {move || unsaved.with(|v| !v.is_empty()).then(|| view! { <p class="muted">"照片随活动一起保存。"</p> })}
            {move || viewing.get().map(|id| {
                let gone = id.clone();
                let described = id.clone();
                view! {
                    <div class="viewer" role="dialog" aria-label="照片" data-test="photo-viewer">
                        <StoredPhoto id=id full=true/>
                        <div class="form-actions">
                            <input type="text" aria-label="照片说明" placeholder="照片说明，如：宣讲现场" prop:value=move || caption.get()
                                on:input=move |ev| caption.set(event_target_value(&ev))/>
                            <button type="button" class="button" on:click=move |_| save_caption(described.clone())>"保存说明"</button>
                        </div>
                        <div class="form-actions">
                            <button type="button" class="button danger" on:click=move |_| delete(gone.clone())>"删除照片"</button>
                            <button type="button" class="button primary" on:click=move |_| viewing.set(None)>"关闭"</button>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

/// Takes the pictures waiting for a new activity, for storing with it.
pub fn take_unsaved(unsaved: RwSignal<Vec<Unsaved>, LocalStorage>) -> Vec<Prepared> {
    unsaved
        .try_update(std::mem::take)
        .unwrap_or_default()
        .into_iter()
        .map(|u| {
            images::revoke(&u.url);
            u.picture
        })
        .collect()
}
