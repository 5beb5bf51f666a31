//! The device lock's row in `meta` (`domain::lock::LockRow`, kept as its JSON text): its
//! presence is what makes the app start locked. Local to this device: never exported.

use rexie::TransactionMode;

use super::db::{commit, finish, store, Db};
use super::seal::{self, Sealer, SEALED_STORES};
use super::{Result, StorageError};

pub(super) const KEY: &str = "lock";

/// Writes (`Some`) or removes the lock's row in `meta` of an open transaction.
async fn put_row(meta: &rexie::Store, json: Option<&str>) -> Result<()> {
    match json {
        Some(json) => {
            let row = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&row, &"key".into(), &KEY.into());
            let _ = js_sys::Reflect::set(&row, &"json".into(), &json.into());
            meta.put(&row, None).await.map_err(StorageError::write)?;
        }
        None => meta.delete(KEY.into()).await.map_err(StorageError::write)?,
    }
    Ok(())
}

impl Db {
    /// The lock's row as stored, if a lock is set.
    pub async fn lock_row(&self) -> Result<Option<String>> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let meta = tx.store(store::META).map_err(StorageError::read)?;
        let row = meta.get(KEY.into()).await.map_err(StorageError::read)?;
        seal::learn(row.is_some());
        Ok(row
            .map(|row| js_sys::Reflect::get(&row, &"json".into()).ok().and_then(|j| j.as_string()).unwrap_or_default()))
    }

    /// Whether a lock is set (the shell's question at start; a read that fails says yes, and
    /// the lock screen then says what failed).
    pub async fn has_lock(&self) -> bool {
        let Ok(tx) = self.rexie.transaction(&[store::META], TransactionMode::ReadOnly) else { return true };
        let Ok(meta) = tx.store(store::META) else { return true };
        let locked = !matches!(meta.get(KEY.into()).await, Ok(None));
        seal::learn(locked);
        locked
    }

    /// Sets (`json` and the new key's `sealer`) or removes (`None`, `None`) the lock, and
    /// rewrites every record with sensitive fields to match, opened with the current key and
    /// sealed with the new one: one transaction, so a tab closed halfway leaves either the old
    /// lock and records or the new ones, each readable. Photos stored plain are sealed after it
    /// (`Db::seal_photos`): a blob's bytes cannot be read inside a transaction.
    pub async fn seal_all(&self, json: Option<&str>, sealer: Option<Box<dyn Sealer>>) -> Result<usize> {
        let mut names = SEALED_STORES.to_vec();
        names.push(store::META);
        names.push(store::PHOTO_FILES);
        let tx = self.rexie.transaction(&names, TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let mut n = 0;
            for name in SEALED_STORES {
                let records = tx.store(name).map_err(StorageError::write)?;
                let all = records.get_all(None, None).await.map_err(StorageError::read)?;
                let k = seal::Keys::new();
                let values = seal::with_current(|from| {
                    all.into_iter()
                        .map(|v| {
                            seal::open_with(&k, from, &v)?;
                            seal::close_with(&k, sealer.as_deref(), name, &v)?;
                            Ok((v, None))
                        })
                        .collect::<std::result::Result<Vec<_>, String>>()
                })
                .map_err(StorageError::Write)?;
                n += values.len();
                if !values.is_empty() {
                    records.put_all(values.into_iter()).await.map_err(StorageError::write)?;
                }
            }
            // Photos sealed with the current key are opened (and sealed again with a new one)
            // here, one at a time; plain ones are sealed after, by `Db::seal_photos`.
            if seal::is_open() {
                let files = tx.store(store::PHOTO_FILES).map_err(StorageError::write)?;
                for key in files.get_all_keys(None, None).await.map_err(StorageError::read)? {
                    let Some(row) = files.get(key).await.map_err(StorageError::read)? else { continue };
                    if let Some(row) = super::photos::resealed(&row, sealer.as_deref())? {
                        files.put(&row, None).await.map_err(StorageError::write)?;
                        n += 1;
                    }
                }
            }
            let meta = tx.store(store::META).map_err(StorageError::write)?;
            put_row(&meta, json).await?;
            // A first lock leaves the plain photos to `Db::seal_photos`: this row says so until
            // it has sealed them all, so each unlock need not read every photo to find out.
            if sealer.is_none() {
                meta.delete(super::photos::PLAIN.into()).await.map_err(StorageError::write)?;
            } else if !seal::is_open() {
                super::photos::mark_plain(&meta).await?;
            }
            Ok(n)
        }
        .await;
        let n = finish(tx, result).await?;
        match sealer {
            Some(s) => seal::unlock(s),
            None => seal::learn(false),
        }
        Ok(n)
    }

    /// Replaces the lock's row (a guess counted, a new PIN, the idle time), in one
    /// transaction. Setting and removing a lock go through [`Db::seal_all`].
    pub async fn put_lock_row(&self, json: &str) -> Result<()> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let meta = tx.store(store::META).map_err(StorageError::write)?;
        put_row(&meta, Some(json)).await?;
        commit(tx).await
    }
}
