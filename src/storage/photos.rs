//! Photos: a record per photo (in `photos`, synced like any record) and its JPEG and thumbnail
//! as blobs (in `photo_files`). Blobs stay browser objects: wasm holds handles, not bytes.

use rexie::TransactionMode;
use wasm_bindgen::{JsCast, JsValue};

use super::db::{finish, put_device, read_device, store, Db};
use super::repo::new_record;
use super::{web, Result, StorageError};
use crate::domain::{Photo, Record, RecordId};

/// A photo ready to store: its record body and the two JPEGs, already downscaled.
pub struct NewPhoto {
    pub body: Photo,
    pub jpeg: web_sys::Blob,
    pub thumb: web_sys::Blob,
}

/// The stored row of `photo_files`.
pub(super) fn file_row(id: &RecordId, jpeg: &web_sys::Blob, thumb: &web_sys::Blob) -> Result<JsValue> {
    let row = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        js_sys::Reflect::set(&row, &k.into(), v).map_err(|_| StorageError::Write("无法保存照片".into()))
    };
    set("id", &id.as_str().into())?;
    set("jpeg", jpeg)?;
    set("thumb", thumb)?;
    Ok(row.into())
}

impl Db {
    /// Adds photos (of one activity, or several) with their files, in one transaction: a
    /// record never exists without its JPEG here, nor a JPEG without its record.
    pub async fn add_photos(&self, photos: Vec<NewPhoto>) -> Result<Vec<Record<Photo>>> {
        if photos.is_empty() {
            return Ok(Vec::new());
        }
        let ids = photos.iter().map(|_| web::random16().map(RecordId::from_random)).collect::<Result<Vec<_>, _>>();
        let ids = ids.map_err(StorageError::Write)?;
        let names = [store::META, store::PHOTOS, store::PHOTO_FILES];
        let tx = self.rexie.transaction(&names, TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let meta = tx.store(store::META).map_err(StorageError::write)?;
            let records = tx.store(store::PHOTOS).map_err(StorageError::write)?;
            let files = tx.store(store::PHOTO_FILES).map_err(StorageError::write)?;
            let mut device = read_device(&meta).await?;
            let mut saved = Vec::with_capacity(photos.len());
            for (p, id) in photos.into_iter().zip(ids) {
                let (record, value) = new_record(&mut device, id.clone(), p.body)?;
                records.add(&value, None).await.map_err(StorageError::write)?;
                files.put(&file_row(&id, &p.jpeg, &p.thumb)?, None).await.map_err(StorageError::write)?;
                saved.push(record);
            }
            put_device(&meta, &device).await?;
            Ok(saved)
        }
        .await;
        finish(tx, result).await
    }

    /// A photo's JPEG (`thumb` false) or thumbnail; `None` when its file never arrived here
    /// (an export without photos carried only the record).
    pub async fn photo_file(&self, id: &RecordId, thumb: bool) -> Result<Option<web_sys::Blob>> {
        Ok(self.photo_files(std::slice::from_ref(id), thumb).await?.pop().map(|(_, b)| b))
    }

    /// The JPEGs (or thumbnails) of these photos that this device has, in one read.
    pub async fn photo_files(&self, ids: &[RecordId], thumb: bool) -> Result<Vec<(RecordId, web_sys::Blob)>> {
        let tx =
            self.rexie.transaction(&[store::PHOTO_FILES], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let files = tx.store(store::PHOTO_FILES).map_err(StorageError::read)?;
        let field: JsValue = if thumb { "thumb" } else { "jpeg" }.into();
        let mut out = Vec::new();
        for id in ids {
            let Some(row) = files.get(id.as_str().into()).await.map_err(StorageError::read)? else { continue };
            let blob = js_sys::Reflect::get(&row, &field).ok().and_then(|b| b.dyn_into::<web_sys::Blob>().ok());
            let blob = blob.ok_or(StorageError::Corrupt { store: store::PHOTO_FILES, detail: id.to_string() })?;
            out.push((id.clone(), blob));
        }
        Ok(out)
    }
}
