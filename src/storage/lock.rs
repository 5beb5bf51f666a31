//! The device lock's row in `meta` (`domain::lock::LockRow`, kept as its JSON text): its
//! presence is what makes the app start locked. Local to this device: never exported.

use rexie::TransactionMode;

use super::db::{commit, store, Db};
use super::{Result, StorageError};

const KEY: &str = "lock";

impl Db {
    /// The lock's row as stored, if a lock is set.
    pub async fn lock_row(&self) -> Result<Option<String>> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let meta = tx.store(store::META).map_err(StorageError::read)?;
        let row = meta.get(KEY.into()).await.map_err(StorageError::read)?;
        Ok(row
            .map(|row| js_sys::Reflect::get(&row, &"json".into()).ok().and_then(|j| j.as_string()).unwrap_or_default()))
    }

    /// Whether a lock is set (the shell's question at start; a read that fails says yes, and
    /// the lock screen then says what failed).
    pub async fn has_lock(&self) -> bool {
        let Ok(tx) = self.rexie.transaction(&[store::META], TransactionMode::ReadOnly) else { return true };
        let Ok(meta) = tx.store(store::META) else { return true };
        !matches!(meta.get(KEY.into()).await, Ok(None))
    }

    /// Stores the lock's row, or (`None`) removes the lock, in one transaction.
    pub async fn put_lock_row(&self, json: Option<&str>) -> Result<()> {
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let meta = tx.store(store::META).map_err(StorageError::write)?;
        match json {
            Some(json) => {
                let row = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&row, &"key".into(), &KEY.into());
                let _ = js_sys::Reflect::set(&row, &"json".into(), &json.into());
                meta.put(&row, None).await.map_err(StorageError::write)?;
            }
            None => meta.delete(KEY.into()).await.map_err(StorageError::write)?,
        }
        commit(tx).await
    }
}
