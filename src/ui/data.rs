//! Data access for components: one shared database handle and the calls pages make.
//! Sharing by files (export, preview, import, conflict log) is in `data/exchange.rs`.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use super::settings::Marker;
use super::state::{app_state, AppState, Undo};
use crate::domain::{Person, Photo, Record, RecordId};
use crate::storage::{web, Db, Kind, NewPhoto, Sealed, StorageError};

mod exchange;
pub use exchange::*;

thread_local! {
    static DB: RefCell<Option<Rc<Db>>> = const { RefCell::new(None) };
    /// Settled when an open under way ends: a page's first reads wait for it rather than
    /// opening (and checking the device row) once each.
    static OPENING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// The app's database, opened on first use.
pub async fn db() -> Result<Rc<Db>, StorageError> {
    loop {
        if let Some(db) = DB.with(|c| c.borrow().clone()) {
            return Ok(db);
        }
        match OPENING.with(|o| o.borrow().clone()) {
            Some(opening) => drop(wasm_bindgen_futures::JsFuture::from(opening).await),
            None => break,
        }
    }
    let mut settle = None;
    let opening = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
    OPENING.with(|o| *o.borrow_mut() = Some(opening));
    let opened = Db::open().await;
    web::mark("opened");
    OPENING.with(|o| o.borrow_mut().take());
    if let Some(settle) = settle {
        let _ = settle.call0(&wasm_bindgen::JsValue::NULL);
    }
    let db = Rc::new(opened?);
    DB.with(|c| *c.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// A whole store as read, shared: a resource's `get()` hands out the same list, not a copy
/// (copying 100,000 records on every recomputation cost the report page most of its time).
pub type Loaded<T> = Result<Arc<Vec<Record<T>>>, StorageError>;

pub async fn list<T: Kind>() -> Loaded<T> {
    Ok(Arc::new(db().await?.list::<T>().await?))
}

/// The `n` most recently changed records of a kind (deleted ones included).
pub async fn newest<T: Kind>(n: u32) -> Loaded<T> {
    let db = db().await?;
    web::mark("db");
    let read = db.newest::<T>(n).await?;
    web::mark("newest");
    Ok(Arc::new(read))
}

/// The roster as a list shows it: every person, with a lock set their sealed fields left
/// sealed (`storage::Sealed`) and opened only for the rows drawn, exported or compared.
#[derive(Clone)]
pub struct Roster {
    pub people: Arc<Vec<Record<Person>>>,
    pub sealed: Arc<Sealed>,
}

impl std::ops::Deref for Roster {
    type Target = Vec<Record<Person>>;
    fn deref(&self) -> &Self::Target {
        &self.people
    }
}

pub async fn roster() -> Result<Roster, StorageError> {
    let (people, sealed) = db().await?.list_unopened().await?;
    Ok(Roster { people: Arc::new(people), sealed: Arc::new(sealed) })
}

pub async fn get<T: Kind>(id: &RecordId) -> Result<Option<Record<T>>, StorageError> {
    db().await?.get::<T>(id).await
}

/// Creates (no id) or updates a record.
pub async fn save<T: Kind>(id: Option<RecordId>, body: T) -> Result<Record<T>, StorageError> {
    let db = db().await?;
    let saved = match id {
        Some(id) => db.update(&id, body).await,
        None => db.create(body).await,
    }?;
    Marker::count_change(saved.device.as_str());
    Ok(saved)
}

pub async fn set_deleted<T: Kind>(id: &RecordId, deleted: bool) -> Result<Record<T>, StorageError> {
    let saved = db().await?.set_deleted::<T>(id, deleted).await?;
    Marker::count_change(saved.device.as_str());
    Ok(saved)
}

/// Undoes a delete, says what came back, and refreshes lists. By store name, so a caller
/// carries no record kind's code. For pages (already in chunks that write); the shell's undo
/// button goes through [`undelete_from_shell`].
pub fn undelete(state: AppState, undo: Undo) {
    leptos::task::spawn_local(async move {
        let result = async { db().await?.undelete(undo.store, &undo.id).await }.await;
        undone(state, &undo, result);
    });
}

/// Deletes record `id` (softly, with the undo line named by `name`): what every 删除 does, from
/// a form or from a record's page.
pub async fn delete<T: Kind>(state: AppState, id: &RecordId, name: fn(&T) -> String) -> Result<(), String> {
    let r = set_deleted::<T>(id, true).await.map_err(|e| e.to_string())?;
    state.deleted::<T>(r.id, &name(&r.body));
    Ok(())
}

/// [`undelete`] for the shell's undo button: the write is downloaded on demand (with the
/// pages that write, so it is usually there already), keeping it out of the first download.
pub fn undelete_from_shell(state: AppState, undo: Undo) {
    leptos::task::spawn_local(async move {
        match restoring(undo.store, undo.id.clone()).await {
            Ok(restore) => undone(state, &undo, restore.await),
            Err(_) => state.say("没能撤销：这一步的程序没能下载下来，请检查网络后再点一次"),
        }
    });
}

fn undone(state: AppState, undo: &Undo, result: Result<crate::domain::DeviceId, StorageError>) {
    match result {
        Ok(device) => {
            Marker::count_change(device.as_str());
            state.say(format!("已恢复 {}", undo.name));
        }
        Err(e) => state.say(e.to_string()),
    }
    state.changed();
}

type Restoring = std::pin::Pin<Box<dyn std::future::Future<Output = Result<crate::domain::DeviceId, StorageError>>>>;

/// The write behind the shell's undo, split off with the pages that write: reached from the
/// shell, the whole write path (stamping, merging) stayed in the first download. Only the shell
/// may call it: a split point reached from a page's chunk would also be reached from the
/// storage tests' build, which is not split and then cannot start.
#[leptos::wasm_split::wasm_split(undo, fallible, wasm_split_path = ::leptos::wasm_split)]
fn restoring(store: &'static str, id: RecordId) -> Result<Restoring, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move { db().await?.undelete(store, &id).await }))
}

/// At start-up: asks for persistent storage, and compares the database with the marker.
/// Returns how many saved changes were lost if the database was emptied by the browser.
pub async fn check_storage() -> Result<Option<u64>, StorageError> {
    let device = db().await?.device().await?;
    let marker = Marker::load();
    let lost = marker.lost_changes(device.device.as_str());
    if lost.is_none() && marker.device != device.device.as_str() {
        Marker::reset(device.device.as_str());
    }
    // Best effort: browsers decide, and the answer is shown on the settings page.
    let _ = crate::storage::web::request_persistence().await;
    Ok(lost)
}

/// The townships the people here live in, in reading order (第二 before 第十), for the
/// choices that narrow a page or an export to one.
pub fn townships<L: std::ops::Deref<Target = Vec<Record<Person>>> + 'static>(
    people: impl With<Value = Option<Result<L, StorageError>>> + Send + Sync + 'static,
) -> Memo<Vec<String>> {
    Memo::new(move |_| {
        let mut t: Vec<String> = people.with(|r| match r {
            Some(Ok(v)) => v
                .iter()
                .filter(|p| !p.deleted && !p.body.township.is_empty())
                .map(|p| p.body.township.clone())
                .collect(),
            _ => Vec::new(),
        });
        crate::domain::order::sort_by(&mut t, |a, b| crate::domain::order::natural_cmp(a, b));
        t.dedup();
        t
    })
}

/// A read made again after each write the app makes.
pub fn reread<T: 'static, F: std::future::Future<Output = T> + 'static>(
    read: impl Fn() -> F + 'static,
) -> LocalResource<T> {
    let state = app_state();
    LocalResource::new(move || {
        state.revision.track();
        read()
    })
}

/// Every record of a kind, read again after each write the app makes.
pub fn resource<T: Kind + Clone + Send + Sync>() -> LocalResource<Loaded<T>> {
    let state = app_state();
    reread(move || async move {
        let read = list::<T>().await;
        state.unreadable.set(crate::storage::unreadable::count());
        read
    })
}

/// [`resource`] as a signal, read once `first` has been and again after each write: a page's
/// `<Suspense>` waits for every resource read under it, so the roster would show nothing until
/// all of it was read and decoded; it shows `first`'s rows meanwhile instead.
pub fn after_first<T: Kind + Clone + Send + Sync, A: Clone + Send + Sync + 'static>(
    first: LocalResource<A>,
) -> RwSignal<Option<Loaded<T>>> {
    after_first_by(first, list::<T>)
}

/// [`after_first`] with the read given: `read`'s result, read again after each write.
pub fn after_first_by<R, F, A>(first: LocalResource<A>, read: fn() -> F) -> RwSignal<Option<R>>
where
    R: Send + Sync + 'static,
    F: std::future::Future<Output = R> + 'static,
    A: Clone + Send + Sync + 'static,
{
    let state = app_state();
    let out = RwSignal::new(None::<R>);
    // A read that ends after a later one began is dropped, never shown over it.
    let runs = StoredValue::new(0u32);
    Effect::new(move |_| {
        state.revision.track();
        if first.with(Option::is_none) {
            return;
        }
        runs.update_value(|n| *n = n.wrapping_add(1));
        let run = runs.get_value();
        leptos::task::spawn_local(async move {
            let read = read().await;
            state.unreadable.set(crate::storage::unreadable::count());
            if runs.try_get_value() == Some(run) {
                out.try_set(Some(read));
            }
        });
    });
    out
}

/// Deletes a stored record this version cannot read (the repair page), after which lists
/// read again. It is gone for good: it never read as a record, so it has no tombstone.
pub async fn delete_unreadable(store: &'static str, id: &str) -> Result<(), StorageError> {
    db().await?.delete_unreadable(store, id).await
}

/// One record, read again after each write.
pub fn record_resource<T: Kind + Clone + Send + Sync>(
    id: RecordId,
) -> LocalResource<Result<Option<Record<T>>, StorageError>> {
    reread(move || {
        let id = id.clone();
        async move { get::<T>(&id).await }
    })
}

/// One record for an edit form: read once. A write elsewhere (another tab, an import) must
/// never reset what is being typed, so this does not read again; see [`changed_elsewhere`].
pub fn record_once<T: Kind + Clone + Send + Sync>(
    id: RecordId,
) -> LocalResource<Result<Option<Record<T>>, StorageError>> {
    LocalResource::new(move || {
        let id = id.clone();
        async move { get::<T>(&id).await }
    })
}

/// Whether the stored record has moved on from the version a form started from (`seen`, its
/// `updated` stamp): read again after every write, here or in another tab.
pub fn changed_elsewhere<T: Kind + Clone + Send + Sync>(id: RecordId, seen: crate::domain::Hlc) -> Signal<bool> {
    let now = record_resource::<T>(id);
    Signal::derive(move || now.get().and_then(Result::ok).flatten().is_some_and(|r| r.updated != seen))
}

/// [`changed_elsewhere`] for an edit form, which may be for a new record (never changed).
pub fn changed_since<T: Kind + Clone + Send + Sync>(
    id: Option<RecordId>,
    seen: Option<crate::domain::Hlc>,
) -> Signal<bool> {
    match (id, seen) {
        (Some(id), Some(seen)) => changed_elsewhere::<T>(id, seen),
        _ => Signal::derive(|| false),
    }
}

/// Adds many new records in one transaction (a roster from a spreadsheet).
pub async fn create_all<T: Kind>(bodies: Vec<T>) -> Result<usize, StorageError> {
    let db = db().await?;
    let n = db.create_all(bodies).await?;
    Marker::count_change(db.device().await?.device.as_str());
    Ok(n)
}

/// Merges the person `drop` into `keep`, re-pointing every record, in one transaction.
pub async fn merge_people(keep: &RecordId, drop: &RecordId) -> Result<usize, StorageError> {
    let db = db().await?;
    let n = db.merge_people(keep, drop).await?;
    Marker::count_change(db.device().await?.device.as_str());
    Ok(n)
}

/// A photo's thumbnail or JPEG; `None` when its file has not reached this device.
pub async fn photo_file(id: &RecordId, thumb: bool) -> Result<Option<web_sys::Blob>, StorageError> {
    db().await?.photo_file(id, thumb).await
}

/// Stores pictures prepared on the phone as photos of `activity`, in one transaction.
pub async fn add_photos(activity: &RecordId, pictures: Vec<super::images::Prepared>) -> Result<usize, StorageError> {
    let photos: Vec<NewPhoto> = pictures
        .into_iter()
        .map(|p| NewPhoto {
            body: Photo {
                activity: activity.clone(),
                width: p.width,
                height: p.height,
                bytes: p.bytes,
                crc32: p.crc32,
                caption: String::new(),
            },
            jpeg: p.jpeg,
            thumb: p.thumb,
        })
        .collect();
    let db = db().await?;
    let saved = db.add_photos(photos).await?;
    if let Some(r) = saved.first() {
        Marker::count_change(r.device.as_str());
    }
    Ok(saved.len())
}
