//! Export and import: every record store read as JSON for `sync`, and an import's plan
//! written in one transaction, so a file either merges whole or changes nothing.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::task::{Context, Poll, Waker};

use rexie::TransactionMode;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use super::codec::{doc_of, from_js, from_stored, stored, text_of, to_js};
use super::db::{commit, finish, put_device, read_device, store, store_of, Db, RECORD_STORES};
use super::repo::{read_pages, Edit};
use super::{web, Result, StorageError};
use crate::domain::{DeviceState, Hlc, RecordId, Stamp};
use crate::sync::format::Parsed;
use crate::sync::merge::{self, Conflict, Doc};
use crate::sync::{plan, Plan, SyncKind, Written};

const EXPORT_KEY: &str = "export";
/// Records turned into JS objects at a time while importing.
const WRITE_SLICE: usize = 2_000;

/// When this database last exported, and its write sequence then.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportMark {
    pub seq: u64,
    pub at_ms: u64,
    /// This device's own change count at the export; `None` for an export recorded before it
    /// was kept.
    #[serde(default)]
    pub changes: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct ExportRow {
    key: String,
    seq: u64,
    at_ms: u64,
    #[serde(default)]
    changes: Option<u64>,
}

/// A JPEG from an import file, with the thumbnail made from it.
pub struct ImportedPhoto {
    pub id: RecordId,
    pub jpeg: web_sys::Blob,
    pub thumb: web_sys::Blob,
}

/// Everything an export file needs, read in one snapshot.
pub struct Export {
    pub records: Vec<(SyncKind, Doc)>,
    pub conflicts: Vec<Conflict>,
    pub device: DeviceState,
}

/// Every record of one store (or those written after `since`), paged within the transaction.
async fn read_store(tx: &rexie::Transaction, name: &'static str, since: Option<u64>) -> Result<Vec<Doc>> {
    let mut out: Vec<Doc> = Vec::new();
    read_pages(tx, name, since, text_of, &mut |page| {
        let docs: Vec<Doc> =
            super::unreadable::tolerant(name, page).map_err(|detail| StorageError::Corrupt { store: name, detail })?;
        out.extend(docs);
        Ok(())
    })
    .await?;
    Ok(out)
}

async fn read_conflicts(tx: &rexie::Transaction) -> Result<Vec<Conflict>> {
    let log = tx.store(store::CONFLICTS).map_err(StorageError::read)?;
    let all = log.get_all(None, None).await.map_err(StorageError::read)?;
    let array: js_sys::Array = all.iter().collect();
    from_stored(&array.into()).map_err(|detail| StorageError::Corrupt { store: store::CONFLICTS, detail })
}

/// Every record the merge may touch, by id with its kind, and the conflict-log keys.
async fn read_local(tx: &rexie::Transaction) -> Result<(HashMap<RecordId, (SyncKind, Doc)>, HashSet<String>)> {
    let mut docs = HashMap::new();
    for kind in SyncKind::ALL {
        docs.extend(read_store(tx, store_of(kind), None).await?.into_iter().map(|d| (d.id.clone(), (kind, d))));
    }
    let keys = read_conflicts(tx).await?.into_iter().map(|c| c.key).collect();
    Ok((docs, keys))
}

/// A slice of an import's records as JS objects, in one `JSON.parse`: each record's stored
/// text (a file's own line where it is that already) with its place in this device's write
/// sequence (exports since, the nudge) added at its end, as an edit's `seq` is.
fn slice_of(name: &str, slice: &[Written], device: &mut DeviceState) -> Result<js_sys::Array> {
    let mut text = String::from("[");
    for (n, w) in slice.iter().enumerate() {
        let json = w.stored_json().map_err(StorageError::Write)?;
        let open = json.strip_suffix('}').ok_or_else(|| StorageError::Write("记录不是 JSON 对象".into()))?;
        if n > 0 {
            text.push(',');
        }
        text.push_str(open);
        text.push_str(",\"seq\":");
        text.push_str(&device.next_seq().to_string());
        text.push('}');
    }
    text.push(']');
    let values: js_sys::Array =
        js_sys::JSON::parse(&text).map_err(|e| StorageError::Write(format!("{e:?}")))?.unchecked_into();
    super::seal::close_all(name, &values).map_err(StorageError::Write)?;
    Ok(values)
}

fn all_stores() -> Vec<&'static str> {
    let mut names = RECORD_STORES.to_vec();
    names.extend([store::CONFLICTS, store::META]);
    names
}

/// The hold-back bound is counted from the wall clock (`web::now_ms`) alone: counted from the
/// device's clock, which imports move forward, every import could carry it another day ahead.
/// A phone whose date is behind holds back honest files instead, and its user confirms them.
///
/// With `accept_future`, the stamp records from the future are taken under: this device's
/// next one, which the import's commit moves the device clock past.
fn accepting(device: &DeviceState, accept_future: bool) -> Option<Stamp> {
    accept_future.then(|| Stamp { hlc: device.clock.next(web::now_ms(), None), device: device.device.clone() })
}

impl Db {
    /// What importing `file` would do, without writing anything.
    pub async fn preview(&self, file: &Parsed, accept_future: bool) -> Result<Plan> {
        let tx = self.rexie.transaction(&all_stores(), TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let device = read_device(&tx.store(store::META).map_err(StorageError::read)?).await?;
        let (docs, keys) = read_local(&tx).await?;
        let here = accepting(&device, accept_future);
        Ok(plan(&docs, &keys, file, web::now_ms(), here.as_ref())?)
    }

    /// Merges `file` into the database in one transaction: reads, merges and writes
    /// together, so an edit made between preview and confirm is merged, not overwritten.
    /// `photos` are the file's JPEGs as blobs (with thumbnails), made before the transaction.
    pub async fn import(&self, file: &Parsed, accept_future: bool, photos: &[ImportedPhoto]) -> Result<Plan> {
        let mut names = all_stores();
        names.push(store::PHOTO_FILES);
        let mut rows = Vec::with_capacity(photos.len());
        for p in photos {
            rows.push(super::photos::file_row(&p.id, &p.jpeg, &p.thumb).await?);
        }
        let tx = self.rexie.transaction(&names, TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let meta = tx.store(store::META).map_err(StorageError::write)?;
            let mut device = read_device(&meta).await?;
            let (docs, keys) = read_local(&tx).await?;
            // Read before the writes: a transaction's requests are answered in order.
            let listed = super::review::read(&meta).await?;
            let here = accepting(&device, accept_future);
            let p = plan(&docs, &keys, file, web::now_ms(), here.as_ref())?;
            web::mark("replanned");
            // In slices: one JSON text of a whole kind was another copy of the file in memory.
            // A slice's puts are handed to IndexedDB and the next slice is made while it stores
            // them; every request is awaited before the commit, as one transaction.
            let stores = SyncKind::ALL
                .iter()
                .map(|k| Ok((*k, tx.store(store_of(*k)).map_err(StorageError::write)?)))
                .collect::<Result<Vec<_>>>()?;
            let mut pending = Vec::new();
            for (kind, records) in &stores {
                let batch: Vec<Written> = p.written(file).filter(|(k, _)| k == kind).map(|(_, w)| w).collect();
                for slice in batch.chunks(WRITE_SLICE) {
                    let values = slice_of(store_of(*kind), slice, &mut device)?;
                    let mut put = Box::pin(records.put_all((0..values.length()).map(move |i| (values.get(i), None))));
                    match put.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                        Poll::Ready(done) => done.map_err(StorageError::write)?,
                        Poll::Pending => pending.push(put),
                    }
                }
            }
            web::mark("handed");
            // While IndexedDB stores them: what arrived under a relaxed rule is listed for
            // checking (待核对), every written record read as its form would read it.
            let flags = crate::sync::review::relist(&listed, &docs, p.written(file), web::today());
            drop(docs);
            web::mark("listed");
            if flags != listed {
                super::review::write(&meta, flags).await?;
            }
            for put in pending {
                put.await.map_err(StorageError::write)?;
            }
            web::mark("written");
            if !p.conflicts.is_empty() {
                let values = p
                    .conflicts
                    .iter()
                    .map(|c| stored(store::CONFLICTS, c).map(|v| (v, None)))
                    .collect::<Result<Vec<_>, _>>();
                let log = tx.store(store::CONFLICTS).map_err(StorageError::write)?;
                log.put_all(values.map_err(StorageError::Write)?.into_iter()).await.map_err(StorageError::write)?;
            }
            if !rows.is_empty() {
                let files = tx.store(store::PHOTO_FILES).map_err(StorageError::write)?;
                let rows = rows.iter().map(|r| r.checked().cloned().map(|r| (r, None))).collect::<Result<Vec<_>>>()?;
                files.put_all(rows.into_iter()).await.map_err(StorageError::write)?;
            }
            device.clock = device.clock.max(p.newest.unwrap_or(Hlc::ZERO));
            // An import is not a change made here: the export nudge counts only those.
            put_device(&meta, &device).await?;
            Ok(p)
        }
        .await;
        let done = finish(tx, result).await;
        web::mark("committed");
        done
    }

    /// Everything (or what was written after `since`) for an export file, in one snapshot.
    pub async fn export(&self, since: Option<u64>) -> Result<Export> {
        let tx = self.rexie.transaction(&all_stores(), TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let device = read_device(&tx.store(store::META).map_err(StorageError::read)?).await?;
        let mut records = Vec::new();
        for kind in SyncKind::ALL {
            for doc in read_store(&tx, store_of(kind), since).await? {
                // Never pass on what this version would refuse: other offices would then
                // refuse every export of this one.
                let text = serde_json::to_string(&doc).map_err(|e| StorageError::Read(e.to_string()))?;
                match kind.check(&text) {
                    Ok(()) => records.push((kind, doc)),
                    Err(detail) => super::unreadable::note(store_of(kind), &text, detail),
                }
            }
        }
        let conflicts = read_conflicts(&tx).await?;
        Ok(Export { records, conflicts, device })
    }

    /// This device, its last export, and how many imported records await checking, in one
    /// read: home asks on every visit, and it is part of the first download.
    pub async fn exchange_status(&self) -> Result<(DeviceState, Option<ExportMark>, usize)> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let meta = tx.store(store::META).map_err(StorageError::read)?;
        let device = read_device(&meta).await?;
        let last = match meta.get(EXPORT_KEY.into()).await.map_err(StorageError::read)? {
            Some(v) => {
                let row: ExportRow =
                    from_js(&v).map_err(|detail| StorageError::Corrupt { store: store::META, detail })?;
                Some(ExportMark { seq: row.seq, at_ms: row.at_ms, changes: row.changes })
            }
            None => None,
        };
        Ok((device, last, super::review::count(&meta).await?))
    }

    /// Remembers an export once its file has been handed over.
    pub async fn mark_exported(&self, mark: ExportMark) -> Result<()> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let meta = tx.store(store::META).map_err(StorageError::write)?;
        let row = ExportRow { key: EXPORT_KEY.into(), seq: mark.seq, at_ms: mark.at_ms, changes: mark.changes };
        meta.put(&to_js(&row).map_err(StorageError::Write)?, None).await.map_err(StorageError::write)?;
        commit(tx).await
    }

    /// The conflict log as a user reviews it: losses whose value differs from the record's
    /// current one, newest first.
    pub async fn conflicts(&self) -> Result<Vec<Conflict>> {
        let mut names = RECORD_STORES.to_vec();
        names.push(store::CONFLICTS);
        let tx = self.rexie.transaction(&names, TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let mut shown = Vec::new();
        // Entries whose value the record holds anyway (both offices wrote the same) stay in
        // the log for later merges but are not shown: nothing of theirs was lost.
        for c in read_conflicts(&tx).await? {
            let Some(kind) = SyncKind::from_key(&c.kind) else { continue };
            let records = tx.store(store_of(kind)).map_err(StorageError::read)?;
            let Some(v) = records.get(c.record.as_str().into()).await.map_err(StorageError::read)? else { continue };
            let doc = doc_of(&text_of(&v).map_err(StorageError::Read)?)
                .map_err(|e| StorageError::Corrupt { store: store_of(kind), detail: e.to_string() })?;
            if merge::value_of(&doc, &c.field) != c.value {
                shown.push(c);
            }
        }
        shown.sort_by(|a, b| b.stamp.cmp(&a.stamp));
        Ok(shown)
    }

    /// Merges the person `drop` into `keep` (confirmed by a user): one transaction rewrites
    /// both and every record that refers to `drop`, each as an ordinary stamped edit.
    pub async fn merge_people(&self, keep: &RecordId, drop: &RecordId) -> Result<usize> {
        let mut names = RECORD_STORES.to_vec();
        names.push(store::META);
        let tx = self.rexie.transaction(&names, TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let meta = tx.store(store::META).map_err(StorageError::write)?;
            let mut device = read_device(&meta).await?;
            let mut all: Vec<Doc> = Vec::new();
            let mut home: HashMap<RecordId, &'static str> = HashMap::new();
            for name in RECORD_STORES {
                for d in read_store(&tx, name, None).await? {
                    home.insert(d.id.clone(), name);
                    all.push(d);
                }
            }
            let find = |id: &RecordId| all.iter().find(|d| d.id == *id && home.get(id) == Some(&store::PEOPLE));
            let (Some(k), Some(d)) = (find(keep), find(drop)) else { return Err(StorageError::NotFound) };
            let changed = crate::sync::dedupe::merge_people(k, d, &all);
            let old: HashMap<&RecordId, &Doc> = all.iter().map(|d| (&d.id, d)).collect();
            let newest = changed.iter().filter_map(|c| old.get(&c.id)).map(|d| d.updated).max();
            let hlc = device.stamp(web::now_ms(), newest);
            let mut by_store: HashMap<&'static str, Vec<(JsValue, Option<JsValue>)>> = HashMap::new();
            for mut new in changed {
                let (Some(before), Some(name)) = (old.get(&new.id), home.get(&new.id)) else { continue };
                let stamp = Stamp { hlc, device: device.device.clone() };
                merge::restamp(Some(before), &mut new, stamp.clone());
                merge::sign(&mut new, &stamp, &super::repo::author());
                new.seq = device.next_seq();
                by_store.entry(name).or_default().push((stored(name, &new).map_err(StorageError::Write)?, None));
            }
            let mut n = 0;
            for (name, values) in by_store {
                n += values.len();
                let records = tx.store(name).map_err(StorageError::write)?;
                records.put_all(values.into_iter()).await.map_err(StorageError::write)?;
            }
            put_device(&meta, &device).await?;
            Ok(n)
        }
        .await;
        finish(tx, result).await
    }

    /// The conflict log's entries for one record (its writes that lost a merge), for its page's
    /// 改动历史: read by their keys (`record/field/stamp`), not the whole log.
    pub async fn lost_writes(&self, id: &RecordId) -> Result<Vec<Conflict>> {
        let tx = self.rexie.transaction(&[store::CONFLICTS], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let log = tx.store(store::CONFLICTS).map_err(StorageError::read)?;
        // '/' + 1 is '0': every key that starts with the id and its slash, no other record's.
        let range = rexie::KeyRange::bound(&format!("{id}/").into(), &format!("{id}0").into(), None, Some(true))
            .map_err(|e| StorageError::Read(e.to_string()))?;
        let all = log.get_all(Some(range), None).await.map_err(StorageError::read)?;
        let array: js_sys::Array = all.iter().collect();
        from_stored(&array.into()).map_err(|detail| StorageError::Corrupt { store: store::CONFLICTS, detail })
    }

    /// Puts a value from the conflict log back, as a new local edit that travels onwards.
    pub async fn restore_conflict(&self, c: &Conflict) -> Result<()> {
        let kind = SyncKind::from_key(&c.kind).ok_or(StorageError::NotFound)?;
        let edit =
            Edit::Field { field: c.field.clone(), value: c.value.clone(), check: Box::new(move |t| kind.check(t)) };
        self.change(store_of(kind), &c.record, edit).await.map(drop)
    }
}
