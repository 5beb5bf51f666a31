//! Unsaved forms (`domain::draft::Draft`): one small transaction per write, in their own
//! store, apart from records: never stamped, merged or exported.

use rexie::TransactionMode;

use super::codec::{from_stored, stored};
use super::db::{commit, finish, store};
use super::{Db, Result, StorageError};
use crate::domain::draft::Draft;

impl Db {
    /// Writes (or replaces) a form's draft.
    pub async fn put_draft(&self, draft: &Draft) -> Result<()> {
        let value = stored(store::DRAFTS, draft).map_err(StorageError::Write)?;
        let tx = self.rexie.transaction(&[store::DRAFTS], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let drafts = tx.store(store::DRAFTS).map_err(StorageError::write)?;
            drafts.put(&value, None).await.map_err(StorageError::write).map(|_| ())
        }
        .await;
        finish(tx, result).await
    }

    /// A form's draft, if there is one that reads. One that does not (written by a newer
    /// version) is as good as none: the form opens as it would without it.
    pub async fn draft(&self, key: &str) -> Result<Option<Draft>> {
        let tx = self.rexie.transaction(&[store::DRAFTS], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let drafts = tx.store(store::DRAFTS).map_err(StorageError::read)?;
        let found = drafts.get(key.into()).await.map_err(StorageError::read)?;
        Ok(found.and_then(|v| from_stored(&v).ok()))
    }

    pub async fn delete_draft(&self, key: &str) -> Result<()> {
        let tx = self.rexie.transaction(&[store::DRAFTS], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let drafts = tx.store(store::DRAFTS).map_err(StorageError::write)?;
        drafts.delete(key.into()).await.map_err(StorageError::write)?;
        commit(tx).await
    }

    /// Every draft that reads, in key order.
    pub async fn drafts(&self) -> Result<Vec<Draft>> {
        let tx = self.rexie.transaction(&[store::DRAFTS], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let drafts = tx.store(store::DRAFTS).map_err(StorageError::read)?;
        let all = drafts.get_all(None, None).await.map_err(StorageError::read)?;
        Ok(all.iter().filter_map(|v| from_stored(v).ok()).collect())
    }
}
