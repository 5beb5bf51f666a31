//! Records this version cannot read, kept aside so that one bad record (written by an older
//! or newer version, or damaged) never takes a page, a report or an export down. Reads skip
//! them and note them here; the shell says how many there are and the repair page shows them.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::value::RawValue;

/// One record a read had to skip: where it is, why, and its stored text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub store: &'static str,
    pub id: String,
    /// Why it did not read: serde_json's message (English) or a rule's Chinese sentence;
    /// [`Unreadable::explained`] says it in Chinese.
    pub detail: String,
    /// Where in `raw` the reader stopped, when `detail` is serde_json's.
    pub column: Option<usize>,
    pub raw: String,
}

impl Unreadable {
    /// Why, in Chinese, naming the field. Done when shown: the translation's code stays out of
    /// the reads that every page makes.
    pub fn explained(&self) -> String {
        match self.column {
            Some(column) => crate::sync::explain::explain_message(&self.detail, column, &self.raw),
            None => self.detail.clone(),
        }
    }
}

thread_local! {
    static FOUND: RefCell<BTreeMap<(&'static str, String), Unreadable>> = const { RefCell::new(BTreeMap::new()) };
}

/// Notes a stored value (its JSON text) that did not read as its store's records.
pub fn note(store: &'static str, raw: &str, detail: String) {
    note_at(store, raw, detail, None);
}

fn note_at(store: &'static str, raw: &str, detail: String, column: Option<usize>) {
    // A string or nothing: an id of another type fails the whole read, as it should. Reading
    // it as a `serde_json::Value` put the JSON tree's reader (2.6 KB brotli) in the first load.
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    let id = serde_json::from_str::<IdOnly>(raw).ok().and_then(|v| v.id).unwrap_or_else(|| "（无编号）".to_owned());
    let raw = raw.to_owned();
    FOUND.with(|f| f.borrow_mut().insert((store, id.clone()), Unreadable { store, id, detail, column, raw }));
}

pub fn all() -> Vec<Unreadable> {
    FOUND.with(|f| f.borrow().values().cloned().collect())
}

pub fn count() -> usize {
    FOUND.with(|f| f.borrow().len())
}

/// Lets go of every noted record (their raw text is personal data): the app locking. The
/// next reads note again whatever still does not read.
pub fn forget_all() {
    FOUND.with(|f| f.borrow_mut().clear());
}

pub(super) fn forget(store: &'static str, id: &str) {
    FOUND.with(|f| f.borrow_mut().remove(&(store, id.to_owned())));
}

/// Reads one page of stored values as `T`, skipping (and noting) any that do not read. The
/// whole page is tried first: the usual case costs nothing extra.
pub(super) fn tolerant<T: serde::de::DeserializeOwned>(store: &'static str, page: &str) -> Result<Vec<T>, String> {
    if let Ok(all) = serde_json::from_str::<Vec<T>>(page) {
        return Ok(all);
    }
    // Each record as its own text, read by the same parser as the whole page was.
    let raws: Vec<&RawValue> = serde_json::from_str(page).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(raws.len());
    for raw in raws {
        match serde_json::from_str::<T>(raw.get()) {
            Ok(t) => out.push(t),
            Err(e) => note_at(store, raw.get(), e.to_string(), Some(e.column())),
        }
    }
    Ok(out)
}
