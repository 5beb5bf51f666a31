//! The exchange page's calls: export files, an import's preview and its one transaction, and
//! the conflict log with what each entry is about.

use std::rc::Rc;

use super::{db, get};
use crate::domain::{DeviceState, Photo, RecordId};
use crate::storage::{web, Db, ExportMark, ImportedPhoto, Kind, StorageError};
use crate::sync::format::{self, Parsed, Source};
use crate::sync::merge::{self, Conflict};
use crate::sync::narrow;

/// A person's fields an export can leave out for a receiver that needs only names and phones.
const SENSITIVE: &[&str] = &["id_number", "health"];
use crate::sync::{Plan, SyncKind};
use crate::ui::files::Picked;
use crate::ui::settings::{note_exchange, Exchanged, Marker, Settings};
use crate::ui::state::AppState;

/// An export file made and waiting to be saved or shared.
#[derive(Clone)]
pub struct ExportFile {
    pub name: String,
    pub text: std::sync::Arc<str>,
    pub records: usize,
    /// Conflict-log entries travelling with the records (counted apart from them).
    pub conflicts: usize,
    pub photos: usize,
    /// What marks the export done for the 新修改 nudge; none for a file that leaves records or
    /// fields out (it is no backup of this device).
    pub mark: Option<ExportMark>,
}

/// This device, when it last exported, and how many imported records await checking.
pub async fn exchange_status() -> Result<(DeviceState, Option<ExportMark>, usize), StorageError> {
    db().await?.exchange_status().await
}

/// The records listed for checking (待核对), each with what is wrong with it now.
pub async fn review(
) -> Result<Vec<(SyncKind, crate::sync::merge::Doc, Vec<crate::sync::review::Concern>)>, StorageError> {
    db().await?.review().await
}

/// Builds an export of everything, or of what was written since the last export, with the
/// JPEGs of the photos in it when `with_photos`. With a passphrase, the file is encrypted
/// (`ui::crypto`).
pub async fn export_file(
    since: Option<u64>,
    passphrase: Option<String>,
    with_photos: bool,
    without_sensitive: bool,
    township: Option<String>,
) -> Result<ExportFile, String> {
    let db = db().await.map_err(|e| e.to_string())?;
    let mut e = db.export(since).await.map_err(|e| e.to_string())?;
    if let Some(t) = &township {
        narrow::only_township(&mut e.records, &mut e.conflicts, t);
    }
    if without_sensitive {
        // Left out, not blanked: the receiver keeps its own values of these (`merge::withhold`),
        // and the conflict log's old values of them stay here too.
        for (_, d) in e.records.iter_mut().filter(|(k, _)| *k == SyncKind::Person) {
            merge::withhold(d, SENSITIVE);
        }
        e.conflicts.retain(|c| !(c.kind == SyncKind::Person.key() && SENSITIVE.contains(&c.field.as_str())));
    }
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
            jpegs.push((id, crate::ui::images::bytes_of(&blob).await?));
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
        lock: crate::ui::lock::files_need_lock().await,
    };
    let mut text = format::write_with_jpegs(&src, &e.records, &e.conflicts, &jpegs);
    let photos = jpegs.len();
    drop(jpegs);
    if let Some(p) = &passphrase {
        text = crate::ui::crypto::seal(&text, p).await?;
    }
    let name = format!(
        "桑榆-{}-{}{}{}{}{}",
        if office.is_empty() { "未命名单位" } else { &office },
        web::local_stamp(),
        if since.is_some() { "-新修改" } else { "" },
        township.as_ref().map_or_else(String::new, |t| format!("-只含{t}")),
        if without_sensitive { "-不含身份证号" } else { "" },
        // `.txt` last: Chrome on Android shares only listed types, judged by the last extension.
        if passphrase.is_some() { "-加密.txt" } else { ".txt" }
    );
    Ok(ExportFile {
        name,
        text: text.into(),
        records: e.records.len(),
        conflicts: e.conflicts.len(),
        photos,
        mark: (township.is_none() && !without_sensitive).then_some(ExportMark {
            seq: e.device.seq,
            at_ms: now,
            changes: Some(e.device.changes),
        }),
    })
}

pub async fn mark_exported(mark: ExportMark) -> Result<(), StorageError> {
    db().await?.mark_exported(mark).await
}

/// An export that has left the device (shared, saved, copied as text, shown as QR codes):
/// marks it for the 新修改 nudge (unless it leaves records or fields out: no backup), notes
/// it in the exchange history as `route`, and says so with `how` after the file's name.
pub async fn exported(state: AppState, f: ExportFile, how: &str, route: &str) {
    // A file that leaves records or fields out is no backup: the nudge still counts.
    let marked = match f.mark {
        Some(mark) => mark_exported(mark).await,
        None => Ok(()),
    };
    match marked {
        Ok(()) => {
            note_exchange(Exchanged {
                at_ms: web::now_ms(),
                direction: "导出".into(),
                name: f.name.clone(),
                office: String::new(),
                what: format!("{} 条记录，{route}", f.records),
            });
            let conflicts =
                if f.conflicts > 0 { format!("（另附冲突记录 {} 条）", f.conflicts) } else { String::new() };
            state.say(format!("已导出 {} 条记录{conflicts}：{}{how}", f.records, f.name));
        }
        Err(e) => state.say(e.to_string()),
    }
    state.changed();
}

/// Reads and checks a picked file, then works out what importing it would do, and how many
/// of its photos are new here. `stage` is told each step, and the browser gets to paint
/// between them.
pub async fn preview(
    picked: Picked,
    accept_future: bool,
    stage: impl Fn(&'static str),
) -> Result<(Rc<Parsed>, Plan, usize), String> {
    let db = db().await.map_err(|e| e.to_string())?;
    let me = db.device().await.map_err(|e| e.to_string())?.device;
    stage("正在核对文件…");
    web::pause().await;
    // The text moves into the parsed file: records are read from it, not copied out of it.
    let Picked { name, text } = picked;
    web::mark("parse");
    let parsed = format::parse(text, &me).map_err(|e| format!("文件 {name}：{e}"))?;
    web::mark("parsed");
    stage("正在与本机数据对比…");
    web::pause().await;
    let plan = db.preview(&parsed, accept_future).await.map_err(|e| e.to_string())?;
    web::mark("planned");
    let new_photos = missing_photos(&db, &parsed).await.map_err(|e| e.to_string())?.len();
    Ok((Rc::new(parsed), plan, new_photos))
}

/// [`preview`] again for a file already parsed: with the records from the future accepted, or not.
pub async fn replan(parsed: &Parsed, accept_future: bool) -> Result<Plan, String> {
    db().await.map_err(|e| e.to_string())?.preview(parsed, accept_future).await.map_err(|e| e.to_string())
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
    web::mark("confirm");
    if parsed.header.as_ref().is_some_and(|h| h.lock) && !crate::ui::lock::is_set().await {
        return Err("发出这个文件的单位要求先给本机设密码，再导入：请在下面“本机密码”里设置".into());
    }
    let missing = missing_photos(&*db().await.map_err(|e| e.to_string())?, parsed).await.map_err(|e| e.to_string())?;
    let (n, mut photos) = (missing.len(), Vec::with_capacity(missing.len()));
    for (i, (id, bytes)) in missing.into_iter().enumerate() {
        stage(format!("正在处理照片 {}/{n}…", i + 1));
        let jpeg = crate::ui::images::jpeg_blob(bytes)?;
        let thumb = crate::ui::images::thumb_of(&jpeg).await?;
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

pub async fn lost_writes(id: &RecordId) -> Result<Vec<Conflict>, StorageError> {
    db().await?.lost_writes(id).await
}

pub async fn restore_conflict(c: &Conflict) -> Result<(), StorageError> {
    let db = db().await?;
    db.restore_conflict(c).await?;
    Marker::count_change(db.device().await?.device.as_str());
    Ok(())
}
