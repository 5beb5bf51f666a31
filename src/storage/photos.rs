//! Photos: a record per photo (in `photos`, synced like any record) and its JPEG and thumbnail
//! (in `photo_files`). Without a lock they are blobs, browser objects: wasm holds handles, not
//! bytes. With one (#24) they are sealed bytes (`sealed_jpeg`, `sealed_thumb`), each bound to
//! its photo and its role, opened into a blob in memory when shown or exported.
//!
//! A blob's bytes arrive only by a promise, and a transaction commits once anything else is
//! awaited: so a photo is sealed before the transaction that writes it, photos stored before the
//! lock was set are sealed after it ([`Db::seal_photos`], a few at a time, resumed at each
//! unlock), and removing the lock opens them inside its own transaction (bytes to blob needs no
//! wait).

use js_sys::{Array, Reflect, Uint8Array};
use rexie::TransactionMode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::db::{finish, put_device, read_device, store, Db};
use super::repo::new_record;
use super::seal;
use super::{web, Result, StorageError};
use crate::domain::{Photo, Record, RecordId};

const ROLES: [&str; 2] = ["jpeg", "thumb"];

/// The `meta` row present while photos stored before the lock was set may still be plain.
pub(super) const PLAIN: &str = "photos_plain";

pub(super) async fn mark_plain(meta: &rexie::Store) -> Result<()> {
    let row = js_sys::Object::new();
    let _ = Reflect::set(&row, &"key".into(), &PLAIN.into());
    meta.put(&row, None).await.map_err(StorageError::write).map(drop)
}

/// A photo file's place in its row as stored sealed.
fn sealed_member(role: &str) -> String {
    format!("sealed_{role}")
}

/// What binds a sealed file to its photo and role: a thumbnail does not open as the JPEG.
fn aad(id: &str, role: &str) -> String {
    format!("{id}/{role}")
}

/// A blob's bytes; awaited outside any transaction.
async fn bytes_of(blob: &web_sys::Blob) -> Result<Vec<u8>> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| StorageError::Write("无法读取照片数据".into()))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn jpeg_blob(bytes: &[u8]) -> Result<web_sys::Blob> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    let parts = Array::of1(&Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| StorageError::Read("无法显示照片".into()))
}

/// A row of `photo_files` made before its transaction, with the lock's state it was made for.
pub(super) struct FileRow {
    value: JsValue,
    generation: u64,
}

impl FileRow {
    /// The row, if the key it was sealed with (or the absence of a lock) is still the current one.
    pub(super) fn checked(&self) -> Result<&JsValue> {
        if self.generation != seal::generation() {
            return Err(StorageError::Write("本机密码刚刚有变动，照片没有保存，请再试一次".into()));
        }
        Ok(&self.value)
    }
}

/// A photo's sealed row from its two files' bytes (`sealer`: the current key).
fn sealed_row(id: &str, jpeg: &[u8], thumb: &[u8]) -> Result<Option<JsValue>> {
    let row = js_sys::Object::new();
    let _ = Reflect::set(&row, &"id".into(), &id.into());
    for (role, bytes) in ROLES.iter().zip([jpeg, thumb]) {
        let Some(sealed) = seal::seal_file(&aad(id, role), bytes).map_err(StorageError::Write)? else {
            return Ok(None);
        };
        let _ = Reflect::set(&row, &sealed_member(role).into(), &Uint8Array::from(&sealed[..]));
    }
    Ok(Some(row.into()))
}

/// One of a stored row's sealed files, opened.
fn opened(row: &JsValue, id: &str, role: &str) -> Result<Vec<u8>> {
    let sealed = Reflect::get(row, &sealed_member(role).into()).unwrap_or(JsValue::UNDEFINED);
    if !sealed.is_object() {
        return Err(StorageError::Corrupt { store: store::PHOTO_FILES, detail: id.to_owned() });
    }
    seal::open_file(&aad(id, role), &Uint8Array::new(&sealed).to_vec()).map_err(StorageError::Read)
}

/// One of a stored row's files as a blob: as stored, or opened.
fn file_of(row: &JsValue, id: &str, role: &str) -> Result<web_sys::Blob> {
    match Reflect::get(row, &role.into()).and_then(|b| b.dyn_into::<web_sys::Blob>()) {
        Ok(blob) => Ok(blob),
        Err(_) => jpeg_blob(&opened(row, id, role)?),
    }
}

/// Whether a stored row's files are still plain blobs.
fn is_plain(row: &JsValue) -> bool {
    Reflect::get(row, &"jpeg".into()).is_ok_and(|b| b.is_instance_of::<web_sys::Blob>())
}

/// A stored row rewritten for `to` (a row's files opened, then sealed with `to` or left as blobs),
/// inside a transaction: needs no wait. `None`: nothing to change (plain and staying so).
pub(super) fn resealed(row: &JsValue, to: Option<&dyn seal::Sealer>) -> Result<Option<JsValue>> {
    if is_plain(row) {
        // Plain blobs' bytes cannot be read inside a transaction: `Db::seal_photos` seals them.
        return Ok(None);
    }
    let id = Reflect::get(row, &"id".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let out = js_sys::Object::new();
    let _ = Reflect::set(&out, &"id".into(), &id.as_str().into());
    for role in ROLES {
        // Inside the transaction that sets or removes the lock: a failure is its write's.
        let plain = opened(row, &id, role).map_err(|e| match e {
            StorageError::Read(m) => StorageError::Write(m),
            e => e,
        })?;
        match to {
            Some(s) => {
                let again = s.seal_bytes(&aad(&id, role), &plain).map_err(StorageError::Write)?;
                let _ = Reflect::set(&out, &sealed_member(role).into(), &Uint8Array::from(&again[..]));
            }
            None => {
                let _ = Reflect::set(&out, &role.into(), &jpeg_blob(&plain)?.into());
            }
        }
    }
    Ok(Some(out.into()))
}

/// A photo ready to store: its record body and the two JPEGs, already downscaled.
pub struct NewPhoto {
    pub body: Photo,
    pub jpeg: web_sys::Blob,
    pub thumb: web_sys::Blob,
}

/// A photo's row of `photo_files`, made before the transaction that stores it: its blobs as
/// they are without a lock, their bytes sealed with one; locked, refused.
pub(super) async fn file_row(id: &RecordId, jpeg: &web_sys::Blob, thumb: &web_sys::Blob) -> Result<FileRow> {
    let generation = seal::generation();
    if seal::sealing() {
        let (j, t) = (bytes_of(jpeg).await?, bytes_of(thumb).await?);
        if let Some(value) = sealed_row(id.as_str(), &j, &t)? {
            return Ok(FileRow { value, generation });
        }
    }
    let row = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&row, &k.into(), v).map_err(|_| StorageError::Write("无法保存照片".into()));
    set("id", &id.as_str().into())?;
    set("jpeg", jpeg)?;
    set("thumb", thumb)?;
    Ok(FileRow { value: row.into(), generation })
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
        let mut rows = Vec::with_capacity(photos.len());
        for (p, id) in photos.iter().zip(&ids) {
            rows.push(file_row(id, &p.jpeg, &p.thumb).await?);
        }
        let names = [store::META, store::PHOTOS, store::PHOTO_FILES];
        let tx = self.rexie.transaction(&names, TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let result = async {
            let meta = tx.store(store::META).map_err(StorageError::write)?;
            let records = tx.store(store::PHOTOS).map_err(StorageError::write)?;
            let files = tx.store(store::PHOTO_FILES).map_err(StorageError::write)?;
            let mut device = read_device(&meta).await?;
            let mut saved = Vec::with_capacity(photos.len());
            for ((p, id), row) in photos.into_iter().zip(ids).zip(&rows) {
                let (record, value) = new_record(&mut device, id.clone(), p.body)?;
                records.add(&value, None).await.map_err(StorageError::write)?;
                files.put(row.checked()?, None).await.map_err(StorageError::write)?;
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
        let role = if thumb { "thumb" } else { "jpeg" };
        let mut out = Vec::new();
        for id in ids {
            let Some(row) = files.get(id.as_str().into()).await.map_err(StorageError::read)? else { continue };
            out.push((id.clone(), file_of(&row, id.as_str(), role)?));
        }
        Ok(out)
    }

    /// Seals the photo files still stored as plain blobs while the key is held (stored before
    /// the lock was set, or a sweep cut short by a closed tab), a few photos per transaction,
    /// each one's bytes read before it. Stops when the lock's state changes. How many it sealed.
    pub async fn seal_photos(&self) -> Result<usize> {
        if !seal::is_open() {
            return Ok(0);
        }
        // The plain rows, read once: a blob row holds handles, not bytes.
        let plain: Vec<(String, JsValue)> = {
            let names = [store::META, store::PHOTO_FILES];
            let tx = self.rexie.transaction(&names, TransactionMode::ReadOnly).map_err(StorageError::read)?;
            let meta = tx.store(store::META).map_err(StorageError::read)?;
            if meta.get(PLAIN.into()).await.map_err(StorageError::read)?.is_none() {
                return Ok(0);
            }
            let files = tx.store(store::PHOTO_FILES).map_err(StorageError::read)?;
            let keys = files.get_all_keys(None, None).await.map_err(StorageError::read)?;
            let mut plain = Vec::new();
            for key in keys {
                let Some(id) = key.as_string() else { continue };
                match files.get(key).await.map_err(StorageError::read)? {
                    Some(row) if is_plain(&row) => plain.push((id, row)),
                    _ => {}
                }
            }
            plain
        };
        let mut n = 0;
        for batch in plain.chunks(8) {
            let generation = seal::generation();
            let mut sealed = Vec::with_capacity(batch.len());
            for (id, row) in batch {
                let jpeg = bytes_of(&file_of(row, id, "jpeg")?).await?;
                let thumb = bytes_of(&file_of(row, id, "thumb")?).await?;
                let Some(value) = sealed_row(id, &jpeg, &thumb)? else { return Ok(n) };
                if generation != seal::generation() {
                    return Ok(n);
                }
                sealed.push((id, value));
            }
            let tx = self.rexie.transaction(&[store::PHOTO_FILES], TransactionMode::ReadWrite).map_err(StorageError::write)?;
            let result = async {
                let files = tx.store(store::PHOTO_FILES).map_err(StorageError::write)?;
                let mut done = 0;
                for (id, value) in &sealed {
                    // Sealed with a key that has since gone, or removed meanwhile: leave it.
                    if generation != seal::generation() {
                        break;
                    }
                    let still = files.get(id.as_str().into()).await.map_err(StorageError::write)?;
                    if still.is_some_and(|r| is_plain(&r)) {
                        files.put(value, None).await.map_err(StorageError::write)?;
                        done += 1;
                    }
                }
                Ok(done)
            }
            .await;
            n += finish(tx, result).await?;
            if generation != seal::generation() {
                return Ok(n);
            }
        }
        // All sealed (a photo added meanwhile was sealed as it was stored).
        let tx = self.rexie.transaction(&[store::META], TransactionMode::ReadWrite).map_err(StorageError::write)?;
        let meta = tx.store(store::META).map_err(StorageError::write)?;
        meta.delete(PLAIN.into()).await.map_err(StorageError::write)?;
        super::db::commit(tx).await?;
        Ok(n)
    }
}
