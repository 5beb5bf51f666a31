//! Data access for components: one shared database handle and the calls pages make.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use super::files::Picked;
use super::settings::{Marker, Settings};
use super::widgets::{app_state, AppState, Undo};
use crate::domain::{DeviceState, Photo, Record, RecordId};
use crate::storage::{web, Db, ExportMark, ImportedPhoto, Kind, NewPhoto, StorageError};
use crate::sync::format::{self, Parsed, Source};
use crate::sync::merge::Conflict;
use crate::sync::Plan;
use crate::sync::SyncKind;

thread_local! {
    static DB: RefCell<Option<Rc<Db>>> = const { RefCell::new(None) };
    /// Tells the app's other open tabs that the database changed.
    static CHANNEL: Option<web_sys::BroadcastChannel> = web_sys::BroadcastChannel::new("sangyu").ok();
}

/// Lets other tabs know a write happened, so their lists read again.
pub fn announce_change() {
    CHANNEL.with(|c| {
        if let Some(c) = c {
            let _ = c.post_message(&"changed".into());
        }
    });
}

/// Refreshes this tab's lists whenever another tab writes. Call once, at start.
pub fn listen_for_changes(state: AppState) {
    CHANNEL.with(|c| {
        if let Some(c) = c {
            let on_message = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || state.refresh());
            c.set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(on_message.as_ref())));
            // Lives as long as the page.
            on_message.forget();
        }
    });
}

/// The app's database, opened on first use.
pub async fn db() -> Result<Rc<Db>, StorageError> {
    if let Some(db) = DB.with(|c| c.borrow().clone()) {
        return Ok(db);
    }
    let opened = Db::open().await?;
    // A concurrent first call may have opened one too: keep the first and close ours, since an
    // open connection left behind would block upgrades and deletes from other tabs forever.
    Ok(DB.with(|c| {
        let existing = c.borrow().clone();
        match existing {
            Some(first) => {
                opened.close();
                first
            }
            None => {
                let db = Rc::new(opened);
                *c.borrow_mut() = Some(db.clone());
                db
            }
        }
    }))
}

/// A whole store as read, shared: a resource's `get()` hands out the same list, not a copy
/// (copying 100,000 records on every recomputation cost the report page most of its time).
pub type Loaded<T> = Result<Arc<Vec<Record<T>>>, StorageError>;

pub async fn list<T: Kind>() -> Loaded<T> {
    Ok(Arc::new(db().await?.list::<T>().await?))
}

/// The `n` most recently changed records of a kind (deleted ones included).
pub async fn newest<T: Kind>(n: u32) -> Loaded<T> {
    Ok(Arc::new(db().await?.newest::<T>(n).await?))
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

/// Undoes a delete, says what came back, and refreshes lists. By store name, so the shell's
/// undo button carries no record kind's code.
pub fn undelete(state: AppState, undo: Undo) {
    leptos::task::spawn_local(async move {
        let result = async {
            let device = db().await?.undelete(undo.store, &undo.id).await?;
            Marker::count_change(device.as_str());
            Ok::<_, StorageError>(())
        };
        match result.await {
            Ok(()) => state.say(format!("已恢复 {}", undo.name)),
            Err(e) => state.say(e.to_string()),
        }
        state.changed();
    });
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

/// Every record of a kind, read again after each write the app makes.
pub fn resource<T: Kind + Clone + Send + Sync>() -> LocalResource<Loaded<T>> {
    let state = app_state();
    LocalResource::new(move || {
        state.revision.track();
        async move {
            let read = list::<T>().await;
            state.unreadable.set(crate::storage::unreadable::count());
            read
        }
    })
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
    let state = app_state();
    LocalResource::new(move || {
        state.revision.track();
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

/// An export file made and waiting to be saved or shared.
#[derive(Clone)]
pub struct ExportFile {
    pub name: String,
    pub text: std::sync::Arc<str>,
    pub records: usize,
    /// Conflict-log entries travelling with the records (counted apart from them).
    pub conflicts: usize,
    pub photos: usize,
    pub mark: ExportMark,
}

/// This device, and when it last exported.
pub async fn exchange_status() -> Result<(DeviceState, Option<ExportMark>), StorageError> {
    let db = db().await?;
    Ok((db.device().await?, db.last_export().await?))
}

/// Builds an export of everything, or of what was written since the last export, with the
/// JPEGs of the photos in it when `with_photos`. With a passphrase, the file is encrypted
/// (`ui::crypto`).
pub async fn export_file(
    since: Option<u64>,
    passphrase: Option<String>,
    with_photos: bool,
) -> Result<ExportFile, String> {
    let db = db().await.map_err(|e| e.to_string())?;
    let e = db.export(since).await.map_err(|e| e.to_string())?;
    let mut jpegs = Vec::new();
    if with_photos {
        let ids: Vec<RecordId> =
            e.records.iter().filter(|(k, d)| *k == SyncKind::Photo && !d.deleted).map(|(_, d)| d.id.clone()).collect();
        let blobs = db.photo_files(&ids, false).await.map_err(|e| e.to_string())?;
        // Base64 makes 4 bytes of 3; refuse before reading a file no phone could import.
        let mb = (blobs.iter().map(|(_, b)| b.size() as usize).sum::<usize>() / 3 * 4) >> 20;
        if mb >= format::MAX_BYTES >> 20 {
            return Err(format!(
                "照片共约 {mb} MB，超过导入文件 {} MB 的上限：请不附带照片导出（照片的记录照常带上），以后用“只导出新修改”附带新拍的照片",
                format::MAX_BYTES >> 20
            ));
        }
        for (id, blob) in blobs {
            jpegs.push((id, super::images::bytes_of(&blob).await?));
        }
    }
    let office = Settings::load().office;
    let now = web::now_ms();
    let src = Source {
        utc_offset_min: Some(web::utc_offset_min()),
        device: &e.device.device,
        office: &office,
        exported_ms: now,
        complete: since.is_none(),
    };
    let mut text = format::write_with_jpegs(&src, &e.records, &e.conflicts, &jpegs);
    let photos = jpegs.len();
    drop(jpegs);
    if let Some(p) = &passphrase {
        text = super::crypto::seal(&text, p).await?;
    }
    let name = format!(
        "桑榆-{}-{}{}{}",
        if office.is_empty() { "未命名单位" } else { &office },
        web::local_stamp(),
        if since.is_some() { "-新修改" } else { "" },
        if passphrase.is_some() { "-加密.txt" } else { ".jsonl" }
    );
    Ok(ExportFile {
        name,
        text: text.into(),
        records: e.records.len(),
        conflicts: e.conflicts.len(),
        photos,
        mark: ExportMark { seq: e.device.seq, at_ms: now, changes: Some(e.device.changes) },
    })
}

pub async fn mark_exported(mark: ExportMark) -> Result<(), StorageError> {
    db().await?.mark_exported(mark).await
}

/// Reads and checks a picked file, then works out what importing it would do, and how many
/// of its photos are new here. `stage` is told each step, and the browser gets to paint
/// between them.
pub async fn preview(
    picked: &Picked,
    accept_future: bool,
    stage: impl Fn(&'static str),
) -> Result<(Rc<Parsed>, Plan, usize), String> {
    let db = db().await.map_err(|e| e.to_string())?;
    let me = db.device().await.map_err(|e| e.to_string())?.device;
    stage("正在核对文件…");
    web::pause().await;
    let parsed = format::parse(&picked.text, &me).map_err(|e| format!("文件 {}：{e}", picked.name))?;
    stage("正在与本机数据对比…");
    web::pause().await;
    let plan = db.preview(&parsed, accept_future).await.map_err(|e| e.to_string())?;
    let new_photos = missing_photos(&db, &parsed).await.map_err(|e| e.to_string())?.len();
    Ok((Rc::new(parsed), plan, new_photos))
}

/// The file's JPEGs this device does not have yet.
async fn missing_photos<'a>(db: &Db, parsed: &'a Parsed) -> Result<Vec<&'a (RecordId, Vec<u8>)>, StorageError> {
    let ids: Vec<RecordId> = parsed.jpegs.iter().map(|(id, _)| id.clone()).collect();
    let have: std::collections::HashSet<RecordId> =
        db.photo_files(&ids, true).await?.into_iter().map(|(id, _)| id).collect();
    Ok(parsed.jpegs.iter().filter(|(id, _)| !have.contains(id)).collect())
}

/// Applies a checked file. Its photos become blobs with thumbnails first: the import's
/// transaction may await nothing but IndexedDB.
pub async fn import(parsed: &Parsed, accept_future: bool, stage: impl Fn(String)) -> Result<Plan, String> {
    let missing = missing_photos(&*db().await.map_err(|e| e.to_string())?, parsed).await.map_err(|e| e.to_string())?;
    let (n, mut photos) = (missing.len(), Vec::with_capacity(missing.len()));
    for (i, (id, bytes)) in missing.into_iter().enumerate() {
        stage(format!("正在处理照片 {}/{n}…", i + 1));
        let jpeg = super::images::jpeg_blob(bytes)?;
        let thumb = super::images::thumb_of(&jpeg).await?;
        photos.push(ImportedPhoto { id: id.clone(), jpeg, thumb });
    }
    stage("正在写入…".into());
    import_with(parsed, accept_future, &photos).await.map_err(|e| e.to_string())
}

async fn import_with(parsed: &Parsed, accept_future: bool, photos: &[ImportedPhoto]) -> Result<Plan, StorageError> {
    let db = db().await?;
    let plan = db.import(parsed, accept_future, photos).await?;
    if plan.changes_anything() {
        Marker::count_change(db.device().await?.device.as_str());
    }
    Ok(plan)
}

pub async fn conflicts() -> Result<Vec<Conflict>, StorageError> {
    db().await?.conflicts().await
}

/// The conflict log with what each entry is about: a person's name, an activity's date and
/// theme, and so on (`None` when the record is not on this device).
pub async fn conflicts_named() -> Result<Vec<(Conflict, Option<String>)>, StorageError> {
    use crate::domain::station::{Duty, Room};
    use crate::domain::{Activity, Benefit, Feedback, MediationCase, Org, Person, Place};
    async fn name<T: Kind>(id: &RecordId, f: impl Fn(&T) -> String) -> Result<Option<String>, StorageError> {
        Ok(get::<T>(id).await?.map(|r| f(&r.body)))
    }
    let mut out = Vec::new();
    for c in conflicts().await? {
        let id = &c.record;
        let named = match SyncKind::from_key(&c.kind) {
            Some(SyncKind::Person) => name::<Person>(id, |p| p.name.clone()).await,
            Some(SyncKind::Org) => name::<Org>(id, |o| o.name.clone()).await,
            Some(SyncKind::Place) => name::<Place>(id, |p| p.township.clone()).await,
            Some(SyncKind::Activity) => name::<Activity>(id, |a| format!("{} {}", a.date, a.theme)).await,
            Some(SyncKind::Benefit) => name::<Benefit>(id, |b| format!("{} {}", b.date, b.kind.label())).await,
            Some(SyncKind::Case) => name::<MediationCase>(id, |m| m.parties.clone()).await,
            Some(SyncKind::Feedback) => name::<Feedback>(id, |f| f.content.chars().take(20).collect()).await,
            Some(SyncKind::Room) => name::<Room>(id, |r| r.name.clone()).await,
            Some(SyncKind::Duty) => name::<Duty>(id, |d| d.date.to_string()).await,
            Some(SyncKind::Photo) => {
                name::<Photo>(id, |p| if p.caption.is_empty() { "照片".into() } else { p.caption.clone() }).await
            }
            None => Ok(None),
        };
        // A record that does not read is still a conflict to show.
        out.push((c, named.unwrap_or(None)));
    }
    Ok(out)
}

pub async fn restore_conflict(c: &Conflict) -> Result<(), StorageError> {
    let db = db().await?;
    db.restore_conflict(c).await?;
    Marker::count_change(db.device().await?.device.as_str());
    Ok(())
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
