//! Data access for components: one shared database handle and the calls pages make.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use super::widgets::app_state;
use crate::domain::{Person, Record, RecordId};
use crate::storage::{Db, StorageError};

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

pub async fn people() -> Result<Vec<Record<Person>>, StorageError> {
    db().await?.list::<Person>().await
}

/// Every person, read again after each write the app makes.
pub fn people_resource() -> LocalResource<Result<Vec<Record<Person>>, StorageError>> {
    let state = app_state();
    LocalResource::new(move || {
        state.revision.track();
        people()
    })
}

pub async fn person(id: &RecordId) -> Result<Option<Record<Person>>, StorageError> {
    db().await?.get::<Person>(id).await
}

/// Creates (no id) or updates a person.
pub async fn save_person(id: Option<RecordId>, person: Person) -> Result<Record<Person>, StorageError> {
    let db = db().await?;
    match id {
        Some(id) => db.update(&id, person).await,
        None => db.create(person).await,
    }
}

pub async fn set_person_deleted(id: &RecordId, deleted: bool) -> Result<Record<Person>, StorageError> {
    db().await?.set_deleted::<Person>(id, deleted).await
}
