//! Opening the database and its schema history.
//!
//! rexie's builder deletes every object store an upgrade does not declare, so [`declare`]
//! states the *whole* schema of each version, and each version only ever adds to the one
//! before. A version that must rewrite stored records would run that step in the upgrade
//! transaction through the `idb` crate, which rexie does not expose.

use rexie::{Index, ObjectStore, Rexie, RexieBuilder, TransactionMode};

use super::codec::{from_js, to_js};
use super::{web, Result, StorageError};
use crate::domain::{DeviceId, DeviceState, Hlc};
use crate::sync::SyncKind;

pub const DB_NAME: &str = "sangyu";
pub const SCHEMA_VERSION: u32 = 12;

pub(crate) mod store {
    /// Small rows keyed by `key`: this device's identity and clock.
    pub const META: &str = "meta";
    pub const PEOPLE: &str = "people";
    pub const ORGS: &str = "orgs";
    pub const PLACES: &str = "places";
    pub const ACTIVITIES: &str = "activities";
    pub const BENEFITS: &str = "benefits";
    /// Concurrent edits that lost a merge, keyed by `record/field/stamp`.
    pub const CONFLICTS: &str = "conflicts";
    pub const CASES: &str = "cases";
    pub const FEEDBACK: &str = "feedback";
    /// The station (驿站): its rooms and the duty rota, one record a day.
    pub const ROOMS: &str = "rooms";
    pub const DUTIES: &str = "duties";
    /// Photo records (which activity, size, CRC), synced like any record.
    pub const PHOTOS: &str = "photos";
    /// The JPEGs themselves, as blobs keyed by photo id: `{id, jpeg, thumb}`. Not records:
    /// a photo's bytes never change, so only its record needs merging.
    pub const PHOTO_FILES: &str = "photo_files";
    /// What forms hold before they are saved (`domain::draft::Draft`), keyed by `key`. Not
    /// records: local to this device, never exported.
    pub const DRAFTS: &str = "drafts";
}

/// Every store that holds records, for exports and imports.
pub const RECORD_STORES: [&str; 10] = [
    store::PEOPLE,
    store::ORGS,
    store::PLACES,
    store::ACTIVITIES,
    store::BENEFITS,
    store::CASES,
    store::FEEDBACK,
    store::ROOMS,
    store::DUTIES,
    store::PHOTOS,
];

const DEVICE_KEY: &str = "device";

/// The schema at `version`:
/// - 1: `meta`, and `people` keyed by record id.
/// - 2: indexes on `people` for lists, filters and "changed since": `updated`,
///   `township`, `category`.
/// - 3: `orgs` (branches, teams, bases...) and `places` (townships and villages); `people`
///   gains a `branch` index.
/// - 4: `activities` and `benefits` (the work log), indexed by date for month lists and
///   reports, and benefits by person.
/// - 5: `conflicts` (the merge's conflict log); every record store gains a `seq` index (the
///   local write sequence) for "export what changed since the last export".
/// - 6: `cases` (dispute mediation) and `feedback` (public feedback), indexed by date.
/// - 7: `rooms` and `duties` (the station and its duty rota).
/// - 8: `photos` (records, indexed by activity) and `photo_files` (their JPEG blobs).
/// - 9: `drafts` (unsaved forms).
/// - 10: only the indexes the app reads stay (`updated`: the newest first; `seq`: changes
///   since an export); the ones on body fields go (no page reads them, and each cost every
///   write: an import of 100,000 records spent about half its writing keeping them).
/// - 11: `updated` goes too: the newest first are the last written here, by `seq` (a bare
///   put of 100,000 records took 1.33 times as long with both indexes as with none, 1.23
///   with `seq` alone).
/// - 12: `seq` stays on `people` alone (the roster's first screen reads it; see
///   [`seq_indexed`]): nine records in ten an import writes are activities and payments, and
///   an export since the last one reads the other stores whole, keeping the later writes.
fn declare(version: u32, builder: RexieBuilder) -> RexieBuilder {
    let people_seq = |s: ObjectStore| if version >= 5 { s.add_index(Index::new("seq", "seq")) } else { s };
    // The other record stores' `seq`, versions 5 to 11.
    let seq = |s: ObjectStore| if (5..12).contains(&version) { s.add_index(Index::new("seq", "seq")) } else { s };
    let updated = |s: ObjectStore| if version < 11 { s.add_index(Index::new("updated", "updated")) } else { s };
    // An index on a body field, kept in the versions before 10.
    let field = |s: ObjectStore, name: &str, path: &str| if version < 10 { s.add_index(Index::new(name, path)) } else { s };
    let meta = ObjectStore::new(store::META).key_path("key");
    let mut people = ObjectStore::new(store::PEOPLE).key_path("id");
    if version >= 2 {
        people = updated(people);
        people = field(field(people, "township", "body.township"), "category", "body.category");
    }
    let mut builder = builder.version(version).add_object_store(meta);
    if version >= 3 {
        people = field(people, "branch", "body.branch");
        builder = builder
            .add_object_store(seq(field(
                updated(ObjectStore::new(store::ORGS).key_path("id")),
                "kind",
                "body.kind",
            )))
            .add_object_store(seq(updated(ObjectStore::new(store::PLACES).key_path("id"))));
    }
    if version >= 4 {
        let dated = |name| {
            let s = updated(ObjectStore::new(name).key_path("id"));
            field(field(s, "date", "body.date"), "kind", "body.kind")
        };
        builder = builder
            .add_object_store(seq(dated(store::ACTIVITIES)))
            .add_object_store(seq(field(dated(store::BENEFITS), "person", "body.person")));
    }
    if version >= 5 {
        builder = builder.add_object_store(ObjectStore::new(store::CONFLICTS).key_path("key"));
    }
    if version >= 6 {
        let dated = |name, date| {
            seq(field(updated(ObjectStore::new(name).key_path("id")), "date", date))
        };
        builder = builder
            .add_object_store(dated(store::CASES, "body.opened"))
            .add_object_store(dated(store::FEEDBACK, "body.date"));
    }
    if version >= 7 {
        let plain = |name| seq(updated(ObjectStore::new(name).key_path("id")));
        builder = builder
            .add_object_store(plain(store::ROOMS))
            .add_object_store(field(plain(store::DUTIES), "date", "body.date"));
    }
    if version >= 8 {
        builder = builder
            .add_object_store(seq(field(
                updated(ObjectStore::new(store::PHOTOS).key_path("id")),
                "activity",
                "body.activity",
            )))
            .add_object_store(ObjectStore::new(store::PHOTO_FILES).key_path("id"));
    }
    if version >= 9 {
        builder = builder.add_object_store(ObjectStore::new(store::DRAFTS).key_path("key"));
    }
    builder.add_object_store(people_seq(people))
}

/// Whether a record store keeps the `seq` index (people only, since version 12).
pub(super) fn seq_indexed(name: &str) -> bool {
    name == store::PEOPLE
}

/// The device row as stored in `meta`.
#[derive(serde::Serialize, serde::Deserialize)]
struct DeviceRow {
    key: String,
    device: DeviceId,
    clock: Hlc,
    changes: u64,
    #[serde(default)]
    seq: u64,
}

pub struct Db {
    pub(super) rexie: Rexie,
}

impl Db {
    /// Opens (creating or upgrading) the app's database.
    pub async fn open() -> Result<Db> {
        Db::open_at(DB_NAME, SCHEMA_VERSION).await
    }

    /// Opens database `name` at a given schema `version`; tests use it to build old versions.
    pub async fn open_at(name: &str, version: u32) -> Result<Db> {
        if version == 0 || version > SCHEMA_VERSION {
            return Err(StorageError::Open(format!("不支持的数据库版本 {version}")));
        }
        let rexie = declare(version, Rexie::builder(name))
            .build()
            .await
            .map_err(|e| StorageError::Open(super::describe(&e)))?;
        let db = Db { rexie };
        db.ensure_device().await?;
        Ok(db)
    }

    pub fn close(self) {
        self.rexie.close();
    }

    /// Deletes a whole database (tests and "start afresh"); waits until other tabs close it.
    pub async fn delete(name: &str) -> Result<()> {
        Rexie::delete(name).await.map_err(StorageError::write)
    }

    pub fn version(&self) -> u32 {
        self.rexie.version().unwrap_or(0)
    }

    /// A fresh database gets a fresh device id; the id lives and dies with the records. Also
    /// learns whether a lock is set, before anything reads a record (`seal`).
    async fn ensure_device(&self) -> Result<()> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let meta = tx.store(store::META).map_err(StorageError::write)?;
        let locked = meta.get(super::lock::KEY.into()).await.map_err(StorageError::read)?.is_some();
        super::seal::learn(locked);
        if meta.get(DEVICE_KEY.into()).await.map_err(StorageError::read)?.is_none() {
            let device = DeviceId::from_random(web::random16().map_err(StorageError::Open)?);
            put_device(&meta, &DeviceState::new(device)).await?;
        }
        commit(tx).await
    }
}

pub(super) async fn read_device(meta: &rexie::Store) -> Result<DeviceState> {
    let row = meta
        .get(DEVICE_KEY.into())
        .await
        .map_err(StorageError::read)?
        .ok_or_else(|| StorageError::Read("本机设备信息缺失".into()))?;
    let row: DeviceRow = from_js(&row).map_err(|detail| StorageError::Corrupt { store: store::META, detail })?;
    Ok(DeviceState { device: row.device, clock: row.clock, changes: row.changes, seq: row.seq })
}

pub(super) async fn put_device(meta: &rexie::Store, d: &DeviceState) -> Result<()> {
    let row =
        DeviceRow { key: DEVICE_KEY.into(), device: d.device.clone(), clock: d.clock, changes: d.changes, seq: d.seq };
    let value = to_js(&row).map_err(StorageError::Write)?;
    meta.put(&value, None).await.map_err(StorageError::write)?;
    Ok(())
}

/// Ends a write transaction: commits when `result` is Ok, aborts when it is an error. Without
/// the abort, requests issued before a failure (one store of an import written, the next
/// refused) would still commit when the transaction runs out of work: a half-write.
pub(super) async fn finish<T>(tx: rexie::Transaction, result: Result<T>) -> Result<T> {
    match result {
        Ok(value) => {
            commit(tx).await?;
            Ok(value)
        }
        Err(e) => {
            // Already aborted by the browser (a quota error does that) is fine too.
            let _ = tx.abort().await;
            Err(e)
        }
    }
}

/// Waits for the transaction to finish and insists that it committed.
pub(super) async fn commit(tx: rexie::Transaction) -> Result<()> {
    let done = tx.done().await.map_err(StorageError::write)?;
    if done.is_committed() {
        Ok(())
    } else {
        Err(StorageError::Write("事务被中止".into()))
    }
}

/// The object store that holds a kind's records.
pub fn store_of(kind: SyncKind) -> &'static str {
    match kind {
        SyncKind::Person => store::PEOPLE,
        SyncKind::Org => store::ORGS,
        SyncKind::Place => store::PLACES,
        SyncKind::Activity => store::ACTIVITIES,
        SyncKind::Benefit => store::BENEFITS,
        SyncKind::Case => store::CASES,
        SyncKind::Feedback => store::FEEDBACK,
        SyncKind::Room => store::ROOMS,
        SyncKind::Duty => store::DUTIES,
        SyncKind::Photo => store::PHOTOS,
    }
}
