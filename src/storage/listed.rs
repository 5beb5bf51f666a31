//! The roster as a list reads it (#24): with a lock set, each person's sealed fields (ID
//! number, phone, health) are left sealed when the whole store is read, and only the rows a
//! page draws are opened. Opening ten thousand tokens to show twenty masked phones cost the
//! first read after unlocking half as much again as the read itself.
//!
//! What a list reads this way is not a whole person until it is [`Sealed::opened`]: the page
//! that holds it opens what it shows, exports or compares, and never writes it back (edits
//! read the person again, whole).

use rexie::TransactionMode;
use serde_json::Value;

use super::codec::sealed_text_of;
use super::db::{store, Db};
use super::repo;
use super::{seal, Result, StorageError};
use crate::domain::{Person, Record};

/// The sealed fields of the people read by [`Db::list_unopened`]: (record id, token), in the
/// order read, which is the ids' (IndexedDB hands a store out in key order). Empty without a
/// lock. Plain vectors and the parsers the app has anyway: a map and a reader of its own cost
/// the volunteer's download ~5 KB.
#[derive(Debug, Default)]
pub struct Sealed(Vec<(Box<str>, Box<str>)>);

impl Sealed {
    /// Nothing was sealed: the records read are whole.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn token(&self, id: &str) -> Option<&str> {
        let at = self.0.binary_search_by(|(k, _)| (**k).cmp(id)).ok();
        // Key order and byte order agree for ids (ASCII); were they ever not to, a search still finds it.
        let at = at.or_else(|| self.0.iter().position(|(k, _)| &**k == id))?;
        Some(&self.0[at].1)
    }

    /// Opens `r`'s sealed fields into it; nothing changes where it fails: once the app has
    /// locked (the key is gone) or where the token does not open.
    fn open_into(&self, r: &mut Record<Person>) -> std::result::Result<(), String> {
        let Some(token) = self.token(r.id.as_str()) else { return Ok(()) };
        let text = seal::open_token(r.id.as_str(), token)?;
        let fields: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let p = &mut r.body;
        for (name, field) in [("id_number", &mut p.id_number), ("phone", &mut p.phone), ("health", &mut p.health)] {
            if let Some(v) = fields.get(name).and_then(Value::as_str) {
                *field = v.to_owned();
            }
        }
        Ok(())
    }

    /// `r` whole: its sealed fields opened (none sealed: as it is).
    pub fn opened(&self, mut r: Record<Person>) -> std::result::Result<Record<Person>, String> {
        self.open_into(&mut r)?;
        Ok(r)
    }

    /// Every one of `list` whole (what an export or a comparison of phones needs).
    pub fn opened_all(&self, list: &[Record<Person>]) -> std::result::Result<Vec<Record<Person>>, String> {
        list.iter().map(|r| self.opened(r.clone())).collect()
    }

    /// `r` opened to be drawn: a row whose fields do not open (the app locked meanwhile)
    /// shows without them.
    pub fn shown(&self, mut r: Record<Person>) -> Record<Person> {
        let _ = self.open_into(&mut r);
        r
    }
}

impl Db {
    /// Every person, tombstones included, in id order (one read transaction, in pages, as
    /// [`Db::list`]), their sealed fields left sealed: the text is read as stored, and the
    /// tokens kept aside for the rows that are drawn.
    pub async fn list_unopened(&self) -> Result<(Vec<Record<Person>>, Sealed)> {
        let tx = self.rexie.transaction(&[store::PEOPLE], TransactionMode::ReadOnly).map_err(StorageError::read)?;
        let mut out = Vec::new();
        let mut sealed = Vec::new();
        let corrupt = |detail| StorageError::Corrupt { store: store::PEOPLE, detail };
        repo::read_counted(&tx, store::PEOPLE, sealed_text_of, |count, page| {
            out.reserve_exact(count.saturating_sub(out.len()));
            // The sealed members taken out of the text (an object opening to no field), their
            // tokens kept: the records then read as any person does, those fields empty.
            let mut keep = |id: &str, token: &str| {
                sealed.reserve_exact(count.saturating_sub(sealed.len()));
                sealed.push((id.into(), token.into()));
                Ok(String::from("{}"))
            };
            let taken = crate::sync::at_rest::open_text(page, &mut keep).map_err(corrupt)?;
            let read: Vec<Record<Person>> =
                super::unreadable::tolerant(store::PEOPLE, taken.as_deref().unwrap_or(page)).map_err(corrupt)?;
            out.extend(read);
            Ok(())
        })
        .await?;
        Ok((out, Sealed(sealed)))
    }
}
