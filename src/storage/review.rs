//! The list of records to check (`sync::review`): one row in `meta`, written by an import in
//! its own transaction, shortened by a local edit of a listed record in that edit's, and
//! pruned when read for the 待核对 page. Local to this device: never exported.

use std::collections::HashSet;

use rexie::TransactionMode;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use super::codec::{doc_of, from_js, text_of, to_js};
use super::db::{store, store_of, Db, RECORD_STORES};
use super::{web, Result, StorageError};
use crate::sync::merge::Doc;
use crate::sync::review::{self, Concern, Flag};
use crate::sync::SyncKind;

const KEY: &str = "review";

#[derive(Serialize, Deserialize)]
struct Row {
    key: String,
    items: Vec<Flag>,
}

/// The listed records, from the `meta` store of an open transaction.
pub(super) async fn read(meta: &rexie::Store) -> Result<Vec<Flag>> {
    match meta.get(KEY.into()).await.map_err(StorageError::read)? {
        Some(v) => {
            from_js::<Row>(&v).map(|r| r.items).map_err(|detail| StorageError::Corrupt { store: store::META, detail })
        }
        None => Ok(Vec::new()),
    }
}

pub(super) async fn write(meta: &rexie::Store, items: Vec<Flag>) -> Result<()> {
    if items.is_empty() {
        return meta.delete(KEY.into()).await.map_err(StorageError::write);
    }
    let row = to_js(&Row { key: KEY.into(), items }).map_err(StorageError::Write)?;
    meta.put(&row, None).await.map_err(StorageError::write).map(drop)
}

/// Takes `id` off the list, within a local change's transaction: its form would not have
/// saved it breaking a rule, and a deletion needs no checking.
pub(super) async fn forget(meta: &rexie::Store, id: &crate::domain::RecordId) -> Result<()> {
    let items = read(meta).await?;
    if items.iter().any(|f| f.id == *id) {
        write(meta, items.into_iter().filter(|f| f.id != *id).collect()).await?;
    }
    Ok(())
}

/// How many records are listed (the home screen's count), counted on the JS object: decoding
/// the list would put its decoder in the first download, which home is part of.
pub(super) async fn count(meta: &rexie::Store) -> Result<usize> {
    Ok(match meta.get(KEY.into()).await.map_err(StorageError::read)? {
        Some(row) => js_sys::Reflect::get(&row, &"items".into())
            .ok()
            .and_then(|items| items.dyn_into::<js_sys::Array>().ok())
            .map_or(0, |items| items.length() as usize),
        None => 0,
    })
}

impl Db {
    /// The listed records with what is wrong with each now; one that has become right (a
    /// link whose record arrived, a date now past) leaves the list in the same transaction.
    pub async fn review(&self) -> Result<Vec<(SyncKind, Doc, Vec<Concern>)>> {
        let mut names = RECORD_STORES.to_vec();
        names.push(store::META);
        let tx = self.rexie.transaction(&names, TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let meta = tx.store(store::META).map_err(StorageError::write)?;
            let listed = read(&meta).await?;
            let today = web::today();
            let mut out = Vec::new();
            for flag in &listed {
                let Some(kind) = SyncKind::from_key(&flag.kind) else { continue };
                let records = tx.store(store_of(kind)).map_err(StorageError::read)?;
                let Some(v) = records.get(flag.id.as_str().into()).await.map_err(StorageError::read)? else { continue };
                let corrupt = |detail: String| StorageError::Corrupt { store: store_of(kind), detail };
                let doc = doc_of(&text_of(&v).map_err(corrupt)?).map_err(|e| corrupt(e.to_string()))?;
                let mut here = HashSet::new();
                for (k, _, id) in review::links(kind, &doc) {
                    let linked = tx.store(store_of(k)).map_err(StorageError::read)?;
                    if linked.get(id.as_str().into()).await.map_err(StorageError::read)?.is_some() {
                        here.insert(id);
                    }
                }
                let concerns = review::concerns(kind, &doc, today, &|id| here.contains(id));
                if !concerns.is_empty() {
                    out.push((kind, doc, concerns));
                }
            }
            if out.len() != listed.len() {
                write(&meta, out.iter().map(|(k, d, _)| Flag { kind: k.key().into(), id: d.id.clone() }).collect())
                    .await?;
            }
            Ok(out)
        }
        .await;
        super::db::finish(tx, result).await
    }
}
