//! Typed reads and writes of records. Each public method is one logical change or one read,
//! and each runs in exactly one transaction.

use rexie::{KeyRange, TransactionMode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::codec::{doc_of, from_stored, sealed_text_of, stored, text_of, to_js};
use super::db::{finish, put_device, read_device, store, Db};
use super::{web, Result, StorageError};
use crate::domain::station::{Duty, Room};
use crate::domain::{
    Activity, Benefit, DeviceId, DeviceState, Feedback, Hlc, MediationCase, Org, Person, Photo, Place, Record,
    RecordId, Stamp,
};
use crate::sync::merge;

/// A record kind and the object store that holds it. Store names stay out of `domain`.
pub trait Kind: Serialize + DeserializeOwned + 'static {
    const STORE: &'static str;
    /// Whether a list of it reads sealed fields (`seal`): a shape without them reads the
    /// stored objects as they are, without opening ten thousand ciphertexts for nothing.
    const OPENS: bool = true;
}

impl Kind for Person {
    const STORE: &'static str = store::PEOPLE;
}

/// The people store read for the home screen's figures only (never written as such).
impl Kind for crate::domain::resident::Resident {
    const STORE: &'static str = store::PEOPLE;
    const OPENS: bool = false;
}

impl Kind for Org {
    const STORE: &'static str = store::ORGS;
}

impl Kind for Place {
    const STORE: &'static str = store::PLACES;
}

impl Kind for Activity {
    const STORE: &'static str = store::ACTIVITIES;
}

impl Kind for Benefit {
    const STORE: &'static str = store::BENEFITS;
}

impl Kind for MediationCase {
    const STORE: &'static str = store::CASES;
}

impl Kind for Feedback {
    const STORE: &'static str = store::FEEDBACK;
}

impl Kind for Room {
    const STORE: &'static str = store::ROOMS;
}

impl Kind for Duty {
    const STORE: &'static str = store::DUTIES;
}

impl Kind for Photo {
    const STORE: &'static str = store::PHOTOS;
}

thread_local! {
    /// The 记录人 every local write is signed with (`merge::sign`); empty: nobody named.
    static AUTHOR: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Names who makes this device's writes from now on (settings, or the lock screen's choice).
pub fn set_author(name: &str) {
    AUTHOR.with(|a| *a.borrow_mut() = name.trim().to_owned());
}

/// The 记录人 named on this device, if any.
pub fn author() -> String {
    AUTHOR.with(|a| a.borrow().clone())
}

/// Records fetched per `getAll` request when reading a whole store.
const PAGE: u32 = 1_000;

fn decode<T: Kind>(value: &JsValue) -> Result<Record<T>> {
    from_stored(value).map_err(|detail| StorageError::Corrupt { store: T::STORE, detail })
}

/// A field's own validation, run on the value as typed.
pub(super) type FieldCheck = Box<dyn Fn(&str) -> std::result::Result<(), String>>;

/// What a local change does to a stored record.
pub(super) enum Edit {
    Create(Value),
    Body(Value),
    Deleted(bool),
    /// One body field (or the tombstone, `merge::DELETED`) set to a value, as restoring a
    /// conflict-log entry does; the result must still pass `check` (its kind's rules). A
    /// function rather than the kind itself: naming every kind's checks here would put all
    /// their code in the first download, since every local change comes through here.
    Field {
        field: String,
        value: Value,
        check: FieldCheck,
    },
}

/// A body as JSON, through the same serialiser storage uses everywhere.
fn json_of<T: Serialize>(body: &T) -> Result<Value> {
    let text = serde_json::to_string(body).map_err(|e| StorageError::Write(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| StorageError::Write(e.to_string()))
}

fn typed<T: Kind>(text: &str) -> Result<Record<T>> {
    serde_json::from_str(text).map_err(|e| StorageError::Corrupt { store: T::STORE, detail: e.to_string() })
}

fn encode<T: Kind>(record: &Record<T>) -> Result<JsValue> {
    stored(T::STORE, record).map_err(StorageError::Write)
}

impl Db {
    /// This device's id, clock and change count.
    pub async fn device(&self) -> Result<DeviceState> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let meta = tx.store(store::META).map_err(StorageError::read)?;
        read_device(&meta).await
    }

    /// Adds a new record under a fresh id.
    pub async fn create<T: Kind>(&self, body: T) -> Result<Record<T>> {
        let id = RecordId::from_random(web::random16().map_err(StorageError::Write)?);
        typed(&self.change(T::STORE, &id, Edit::Create(json_of(&body)?)).await?)
    }

    /// Replaces a record's body.
    pub async fn update<T: Kind>(&self, id: &RecordId, body: T) -> Result<Record<T>> {
        typed(&self.change(T::STORE, id, Edit::Body(json_of(&body)?)).await?)
    }

    /// Soft delete (`true`) or undo of one (`false`).
    pub async fn set_deleted<T: Kind>(&self, id: &RecordId, deleted: bool) -> Result<Record<T>> {
        typed(&self.change(T::STORE, id, Edit::Deleted(deleted)).await?)
    }

    /// Undoes a soft delete in `store`, whatever its kind; returns the device that wrote it.
    pub async fn undelete(&self, store: &'static str, id: &RecordId) -> Result<DeviceId> {
        let text = self.change(store, id, Edit::Deleted(false)).await?;
        let doc = doc_of(&text).map_err(|e| StorageError::Corrupt { store, detail: e.to_string() })?;
        Ok(doc.device)
    }

    /// Removes a stored value that does not read as a record (`unreadable`), in one
    /// transaction. Nothing else can be done to it: it has no envelope to tombstone.
    pub async fn delete_unreadable(&self, store: &'static str, id: &str) -> Result<()> {
        let tx = self.rexie.transaction(&[store], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let records = tx.store(store).map_err(StorageError::write)?;
            records.delete(id.into()).await.map_err(StorageError::write)
        }
        .await;
        finish(tx, result).await?;
        super::unreadable::forget(store, id);
        Ok(())
    }

    /// Adds many new records (a roster from a spreadsheet) in one transaction: all or none.
    pub async fn create_all<T: Kind>(&self, bodies: Vec<T>) -> Result<usize> {
        let (tx, meta, records) = self.write_tx::<T>()?;
        let result = async {
            let mut device = read_device(&meta).await?;
            let mut values = Vec::with_capacity(bodies.len());
            for body in bodies {
                let id = RecordId::from_random(web::random16().map_err(StorageError::Write)?);
                let value = new_record(&mut device, id, body)?.1;
                super::seal::close(T::STORE, &value).map_err(StorageError::Write)?;
                values.push((value, None));
            }
            let n = values.len();
            records.add_all(values.into_iter()).await.map_err(StorageError::write)?;
            put_device(&meta, &device).await?;
            Ok(n)
        }
        .await;
        finish(tx, result).await
    }

    /// A read-write transaction over the device row and one record store: every write
    /// advances the device clock in the same transaction as the records.
    fn write_tx<T: Kind>(&self) -> Result<(rexie::Transaction, rexie::Store, rexie::Store)> {
        let tx = self
            .rexie
            .transaction(&[store::META, T::STORE], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let meta = tx.store(store::META).map_err(StorageError::write)?;
        let records = tx.store(T::STORE).map_err(StorageError::write)?;
        Ok((tx, meta, records))
    }

    /// One local change in one transaction: read the device clock and the current version,
    /// stamp, write the record and the advanced clock together. Works on JSON, so one copy
    /// of this code serves every kind; returns the stored text.
    pub(super) async fn change(&self, name: &'static str, id: &RecordId, edit: Edit) -> Result<String> {
        let tx =
            self.rexie.transaction(&[store::META, name], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let meta = tx.store(store::META).map_err(StorageError::write)?;
            let records = tx.store(name).map_err(StorageError::write)?;
            let mut device = read_device(&meta).await?;
            let corrupt = |detail: String| StorageError::Corrupt { store: name, detail };
            let old = match records.get(id.as_str().into()).await.map_err(StorageError::read)? {
                Some(v) => Some(doc_of(&text_of(&v).map_err(corrupt)?).map_err(|e| corrupt(e.to_string()))?),
                None => None,
            };
            if matches!(edit, Edit::Body(_) | Edit::Deleted(true)) {
                super::review::forget(&meta, id).await?;
            }
            let hlc = device.stamp(web::now_ms(), old.as_ref().map(|r| r.updated));
            // Any error from here on aborts the transaction (`finish`).
            let mut new = match (edit, &old) {
                (Edit::Create(_), Some(_)) => return Err(StorageError::DuplicateId),
                (Edit::Create(body), None) => Record::create(id.clone(), body, hlc, device.device.clone()),
                (_, None) => return Err(StorageError::NotFound),
                (Edit::Body(body), Some(o)) => Record { body, ..o.clone() },
                (Edit::Deleted(deleted), Some(o)) => Record { deleted, ..o.clone() },
                (Edit::Field { field, value, check }, Some(o)) => {
                    let mut n = o.clone();
                    if field == merge::DELETED {
                        n.deleted = value.as_bool().unwrap_or(false);
                    } else if let Some(body) = n.body.as_object_mut() {
                        body.insert(field, value);
                    }
                    let text = serde_json::to_string(&n).map_err(|e| StorageError::Write(e.to_string()))?;
                    check(&text).map_err(StorageError::Write)?;
                    n
                }
            };
            let stamp = Stamp { hlc, device: device.device.clone() };
            merge::restamp(old.as_ref(), &mut new, stamp.clone());
            merge::sign(&mut new, &stamp, &author());
            new.seq = device.next_seq();
            let value = stored(name, &new).map_err(StorageError::Write)?;
            let text = serde_json::to_string(&new).map_err(|e| StorageError::Write(e.to_string()))?;
            if old.is_none() {
                records.add(&value, None).await.map_err(StorageError::write)?;
            } else {
                records.put(&value, None).await.map_err(StorageError::write)?;
            }
            put_device(&meta, &device).await?;
            Ok(text)
        }
        .await;
        finish(tx, result).await
    }

    pub async fn get<T: Kind>(&self, id: &RecordId) -> Result<Option<Record<T>>> {
        let tx = self.rexie.transaction(&[T::STORE], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let records = tx.store(T::STORE).map_err(StorageError::read)?;
        match records.get(id.as_str().into()).await.map_err(StorageError::read)? {
            Some(v) => Ok(Some(decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Every record of a kind, tombstones included, in id order, read in pages within one
    /// read transaction so the result is one consistent snapshot.
    pub async fn list<T: Kind>(&self) -> Result<Vec<Record<T>>> {
        let tx = self.rexie.transaction(&[T::STORE], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let text = if T::OPENS { text_of } else { sealed_text_of };
        let mut out = Vec::new();
        read_counted(&tx, T::STORE, text, |count, page| {
            out.reserve_exact(count.saturating_sub(out.len()));
            let records: Vec<Record<T>> = super::unreadable::tolerant(T::STORE, page)
                .map_err(|detail| StorageError::Corrupt { store: T::STORE, detail })?;
            out.extend(records);
            Ok(())
        })
        .await?;
        Ok(out)
    }

    /// The `n` records of a kind written here last (by `seq`: an edit or an import), tombstones
    /// included: enough to draw a list's first screen while the whole store is still being
    /// read. A record stored without a `seq` (by a version before 5) is not among them until
    /// it is next written. Only people's store has the index (`db::seq_indexed`).
    pub async fn newest<T: Kind>(&self, n: u32) -> Result<Vec<Record<T>>> {
        let tx = self.rexie.transaction(&[T::STORE], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let records = tx.store(T::STORE).map_err(StorageError::read)?;
        let index = records.index("seq").map_err(StorageError::read)?;
        let found = index.scan(None, Some(n), None, Some(rexie::Direction::Prev)).await.map_err(StorageError::read)?;
        let array: js_sys::Array = found.iter().map(|(_, v)| v).collect();
        let page = text_of(&array).map_err(|detail| StorageError::Corrupt { store: T::STORE, detail })?;
        super::unreadable::tolerant(T::STORE, &page).map_err(|detail| StorageError::Corrupt { store: T::STORE, detail })
    }

    /// Records whose index `index` equals `value` (e.g. people of one township).
    pub async fn by_index<T: Kind>(&self, index: &str, value: &str) -> Result<Vec<Record<T>>> {
        let tx = self.rexie.transaction(&[T::STORE], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let records = tx.store(T::STORE).map_err(StorageError::read)?;
        let index = records.index(index).map_err(StorageError::read)?;
        let range = KeyRange::only(&value.into()).map_err(|e| StorageError::read(e.into()))?;
        let found = index.get_all(Some(range), None).await.map_err(StorageError::read)?;
        found.iter().map(decode).collect()
    }

    /// Writes records that must all be new, all or none: one existing id fails the batch.
    pub async fn insert_all<T: Kind>(&self, batch: &[Record<T>]) -> Result<()> {
        self.write_all(batch, true).await
    }

    /// Writes records as they are (e.g. merged from a file), all or none, advancing this
    /// device's clock past their stamps so later local edits order after them.
    pub async fn put_all<T: Kind>(&self, batch: &[Record<T>]) -> Result<()> {
        self.write_all(batch, false).await
    }

    async fn write_all<T: Kind>(&self, batch: &[Record<T>], insert: bool) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        // Serialise before the transaction opens: nothing but IndexedDB may run inside it.
        let values = batch.iter().map(encode).collect::<Result<Vec<_>>>()?;
        let newest = batch.iter().map(|r| r.updated).max();

        let (tx, meta, records) = self.write_tx::<T>()?;
        let result = async {
            let mut device = read_device(&meta).await?;
            device.clock = device.clock.max(newest.unwrap_or(Hlc::ZERO));
            let pairs = values.into_iter().map(|v| (v, None));
            if insert {
                records.add_all(pairs).await.map_err(StorageError::write)?;
            } else {
                records.put_all(pairs).await.map_err(StorageError::write)?;
            }
            put_device(&meta, &device).await?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }
}

/// A record made here for the first time, as stored: stamped by `device` (every field too) with
/// its next write sequence. Returns the record and the value to write, for bulk additions.
pub(super) fn new_record<T: Serialize>(
    device: &mut DeviceState,
    id: RecordId,
    body: T,
) -> Result<(Record<T>, JsValue)> {
    let hlc = device.stamp(web::now_ms(), None);
    let record = Record::create(id, body, hlc, device.device.clone());
    let text = serde_json::to_string(&record).map_err(|e| StorageError::Write(e.to_string()))?;
    let mut doc = doc_of(&text).map_err(|e| StorageError::Write(e.to_string()))?;
    let stamp = Stamp { hlc, device: device.device.clone() };
    merge::restamp(None, &mut doc, stamp.clone());
    merge::sign(&mut doc, &stamp, &author());
    doc.seq = device.next_seq();
    Ok((record, to_js(&doc).map_err(StorageError::Write)?))
}

/// Every object of `name`, in id order, a page at a time (one read transaction), each page's
/// JSON text given to `each`; first, how many there are, so that a whole read's vector is sized
/// once. Grown a page at a time by doubling, the roster's vector held up to twice what it
/// needed, and at each doubling both copies, and wasm memory never shrinks below such a peak
/// (the export page with 10,000 people: 15.7 MB before, 7.4–8.5 after). Its own loop, not
/// [`read_pages`] with a closure: that costs the first load ~0.7 KB (home's read is in it).
pub(super) async fn read_counted(
    tx: &rexie::Transaction,
    name: &'static str,
    text: fn(&JsValue) -> std::result::Result<String, String>,
    mut each: impl FnMut(usize, &str) -> Result<()>,
) -> Result<()> {
    let records = tx.store(name).map_err(StorageError::read)?;
    let count = records.count(None).await.map_err(StorageError::read)? as usize;
    let mut last: Option<JsValue> = None;
    loop {
        let range = match last.take() {
            Some(k) => Some(KeyRange::lower_bound(&k, Some(true)).map_err(|e| StorageError::read(e.into()))?),
            None => None,
        };
        let page = records.get_all(range, Some(PAGE)).await.map_err(StorageError::read)?;
        last = page.last().and_then(|v| js_sys::Reflect::get(v, &"id".into()).ok());
        let array: js_sys::Array = page.iter().collect();
        drop(page);
        each(count, &text(&array).map_err(|detail| StorageError::Corrupt { store: name, detail })?)?;
        if array.length() < PAGE {
            return Ok(());
        }
    }
}

/// A store (or, with `since`, what was written after that write sequence) as JSON text, one
/// array per page of `get_all`, each handed to `each` as it comes: one `JSON.stringify` a
/// page, and one copy of this loop for every kind and for the merge. Pages follow the id, or
/// the `seq` index where the store has it (`db::seq_indexed`); elsewhere every page is read
/// and only its later writes kept. A page's text goes once read: all of them held at once were
/// another copy of the store in memory (60,000 activities: 24 MB). `text`: the page's text,
/// sealed fields opened or not (`Kind::OPENS`).
pub(super) async fn read_pages(
    tx: &rexie::Transaction,
    name: &'static str,
    since: Option<u64>,
    text: fn(&JsValue) -> std::result::Result<String, String>,
    each: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<()> {
    let records = tx.store(name).map_err(StorageError::read)?;
    let by_seq = since.filter(|_| super::db::seq_indexed(name));
    // Without the index, the writes after `since` are picked from every page.
    let after = since.filter(|_| by_seq.is_none()).map(|s| s as f64);
    let later = |v: &&JsValue| {
        after.is_none_or(|a| js_sys::Reflect::get(v, &"seq".into()).ok().and_then(|s| s.as_f64()).is_some_and(|s| s > a))
    };
    let (key, mut last): (&str, Option<JsValue>) = match by_seq {
        None => ("id", None),
        Some(after) => ("seq", Some((after as f64).into())),
    };
    loop {
        let range = match last.take() {
            Some(k) => Some(KeyRange::lower_bound(&k, Some(true)).map_err(|e| StorageError::read(e.into()))?),
            None => None,
        };
        let page = match by_seq {
            None => records.get_all(range, Some(PAGE)).await,
            Some(_) => records.index("seq").map_err(StorageError::read)?.get_all(range, Some(PAGE)).await,
        }
        .map_err(StorageError::read)?;
        last = page.last().and_then(|v| js_sys::Reflect::get(v, &key.into()).ok());
        let full = page.len() as u32 == PAGE;
        let array: js_sys::Array = page.iter().filter(later).collect();
        drop(page);
        each(&text(&array).map_err(|detail| StorageError::Corrupt { store: name, detail })?)?;
        if !full {
            return Ok(());
        }
    }
}
