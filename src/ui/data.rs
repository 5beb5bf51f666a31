//! Data access for components: one shared database handle and the calls pages make.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use super::widgets::app_state;
use crate::domain::{Record, RecordId};
use crate::storage::{Db, Kind, StorageError};

thread_local! {
    static DB: RefCell<Option<Rc<Db>>> = const { RefCell::new(None) };
}

/// The app's database, opened on first use.
pub async fn db() -> Result<Rc<Db>, StorageError> {
    if let Some(db) = DB.with(|c| c.borrow().clone()) {
        return Ok(db);
    }
    let db = Rc::new(Db::open().await?);
    // A concurrent first call may have opened one too; keep the first and drop ours.
    Ok(DB.with(|c| c.borrow_mut().get_or_insert(db).clone()))
}

pub type Loaded<T> = Result<Vec<Record<T>>, StorageError>;

pub async fn list<T: Kind>() -> Loaded<T> {
    db().await?.list::<T>().await
}

pub async fn get<T: Kind>(id: &RecordId) -> Result<Option<Record<T>>, StorageError> {
    db().await?.get::<T>(id).await
}

/// Creates (no id) or updates a record.
pub async fn save<T: Kind>(id: Option<RecordId>, body: T) -> Result<Record<T>, StorageError> {
    let db = db().await?;
    match id {
        Some(id) => db.update(&id, body).await,
        None => db.create(body).await,
    }
}

pub async fn set_deleted<T: Kind>(id: &RecordId, deleted: bool) -> Result<Record<T>, StorageError> {
    db().await?.set_deleted::<T>(id, deleted).await
}

/// Every record of a kind, read again after each write the app makes.
pub fn resource<T: Kind + Clone + Send + Sync>() -> LocalResource<Loaded<T>> {
    let state = app_state();
    LocalResource::new(move || {
        state.revision.track();
        list::<T>()
    })
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
