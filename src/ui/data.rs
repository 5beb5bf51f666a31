//! Data access for components: one shared database handle and the calls pages make.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use super::settings::Marker;
use super::widgets::{app_state, AppState};
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

/// Undoes a delete, says what came back, and refreshes lists.
pub fn restore<T: Kind>(state: AppState, id: RecordId, name: fn(&T) -> String) {
    leptos::task::spawn_local(async move {
        match set_deleted::<T>(&id, false).await {
            Ok(r) => state.say(format!("已恢复 {}", name(&r.body))),
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
