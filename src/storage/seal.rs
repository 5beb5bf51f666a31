//! Sensitive fields sealed at rest (#24): with a lock set, a person's `id_number`, `phone` and
//! `health`, a case's `parties` and `outcome`, feedback's `content` and `response`, every
//! conflict-log value and every draft's typed fields are stored as one ciphertext per record
//! (`sealed`, its fields packed: `sync::at_rest::unpack`), under the data key the lock wraps.
//! Names, dates, townships, kinds and counts stay as they are, so indexes, lists and reports
//! keep working on the stored objects.
//!
//! Sealing happens here, at the JS objects IndexedDB stores, and nowhere else: every write of
//! those stores passes [`close`], every read's text passes [`open_text`] (in `codec`), so the code above
//! storage (forms, merge, export, the conflict log) sees plain values and never a sealed one,
//! and a file never carries one. The cipher is synchronous (a transaction commits once anything
//! but IndexedDB is awaited) and comes in as a [`Sealer`] from `ui::lock`, so its code is
//! fetched only by a device with a lock.
//!
//! Fails closed: while the lock is set and the key absent (locked, or not yet known at start)
//! a sealed record does not read and a sensitive store does not write.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

use super::db::store;

/// A record's sealed fields, where every reader looks for them.
const SEALED: &str = "sealed";

/// The data key's cipher, synchronous; `aad` binds a ciphertext to its record.
pub trait Sealer {
    fn seal(&self, aad: &str, plain: &str) -> Result<String, String>;
    fn open(&self, aad: &str, sealed: &str) -> Result<String, String>;
    /// Bytes (a photo's JPEG) to bytes, with no text encoding between.
    fn seal_bytes(&self, aad: &str, plain: &[u8]) -> Result<Vec<u8>, String>;
    fn open_bytes(&self, aad: &str, sealed: &[u8]) -> Result<Vec<u8>, String>;
}

enum Mode {
    /// Before the database says whether a lock is set: nothing sealed reads, nothing writes.
    Unknown,
    /// No lock: nothing is sealed.
    Plain,
    /// A lock is set and the app is locked.
    Locked,
    Open(Box<dyn Sealer>),
}

thread_local! {
    static MODE: RefCell<Mode> = const { RefCell::new(Mode::Unknown) };
    /// Counts changes of mode, so that work sealed before an await (a photo's bytes) is not
    /// written after the key it was sealed with has gone.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static OPENED: RefCell<Opened> = RefCell::new(Opened { entries: Default::default() });
}

fn moved() {
    GENERATION.with(|g| g.set(g.get() + 1));
    OPENED.with(|o| o.borrow_mut().clear());
}

/// Tokens opened since the key came, by their record and text: reading the roster again (each
/// visit of the page reads every person) costs a lookup, not the cipher. Held only while the
/// key is: cleared whenever the mode changes (locking, unlocking, a lock set or removed). The
/// record's id is part of the key, so a token moved to another record is opened (and refused)
/// as if never seen.
struct Opened {
    entries: std::collections::HashMap<u64, OpenedToken>,
}

/// A token opened: its record's id, its text, and the fields it opened to.
type OpenedToken = (Box<str>, Box<str>, Box<str>);

/// More than a county's roster: past it the cache starts again rather than grow.
const OPENED_MAX: usize = 50_000;

impl Opened {
    fn key(aad: &str, token: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        aad.hash(&mut h);
        token.hash(&mut h);
        h.finish()
    }

    fn get(&self, aad: &str, token: &str) -> Option<String> {
        let (a, t, plain) = self.entries.get(&Opened::key(aad, token))?;
        (&**a == aad && &**t == token).then(|| plain.to_string())
    }

    fn put(&mut self, aad: &str, token: &str, plain: &str) {
        if self.entries.len() >= OPENED_MAX {
            self.entries.clear();
        }
        self.entries.insert(Opened::key(aad, token), (aad.into(), token.into(), plain.into()));
    }

    fn clear(&mut self) {
        self.entries = Default::default();
    }
}

/// The mode's generation: unchanged means the same key (or the same absence of one).
pub(super) fn generation() -> u64 {
    GENERATION.with(std::cell::Cell::get)
}

const LOCKED: &str = "本机已锁定，解锁后才能读写（或这条记录加密保存，本机的密码已取消）";

/// The fields sealed in `name`'s objects, and whether they sit in the object's `body`.
fn fields(name: &str) -> (&'static [&'static str], bool) {
    match name {
        store::PEOPLE => (&["id_number", "phone", "health"], true),
        store::CASES => (&["parties", "outcome"], true),
        store::FEEDBACK => (&["content", "response"], true),
        store::CONFLICTS => (&["value"], false),
        store::DRAFTS => (&["fields", "opened"], false),
        _ => (&[], false),
    }
}

/// Stores whose objects may hold sealed fields: what setting or removing a lock rewrites.
pub const SEALED_STORES: [&str; 5] = [store::PEOPLE, store::CASES, store::FEEDBACK, store::CONFLICTS, store::DRAFTS];

/// The database says a lock is (or is not) set. An open app keeps its key.
pub fn learn(locked: bool) {
    MODE.with(|m| {
        let mut m = m.borrow_mut();
        match (locked, &*m) {
            (false, Mode::Plain) | (true, Mode::Open(_)) | (true, Mode::Locked) => {}
            (false, _) => {
                *m = Mode::Plain;
                moved();
            }
            (true, _) => {
                *m = Mode::Locked;
                moved();
            }
        }
    });
}

/// Whether writes are sealed, or refused (locked): anything written apart from the database
/// (a draft's copy in localStorage) must then not be written in plain text.
pub fn sealing() -> bool {
    MODE.with(|m| !matches!(*m.borrow(), Mode::Plain))
}

/// Unlocked with `sealer` (its key).
pub fn unlock(sealer: Box<dyn Sealer>) {
    MODE.with(|m| *m.borrow_mut() = Mode::Open(sealer));
    moved();
}

/// Locked: the cipher, and with it the key, goes.
pub fn lock() {
    MODE.with(|m| {
        let mut m = m.borrow_mut();
        if !matches!(*m, Mode::Plain | Mode::Locked) {
            *m = Mode::Locked;
            moved();
        }
    });
}

/// Whether the key is held (photos can be sealed now).
pub fn is_open() -> bool {
    MODE.with(|m| matches!(*m.borrow(), Mode::Open(_)))
}

/// The member names looked up in every object, made JS strings once per page rather than
/// once per record (each is a trip through the text decoder).
pub(super) struct Keys {
    sealed: JsValue,
    id: JsValue,
    key: JsValue,
    body: JsValue,
}

impl Keys {
    pub(super) fn new() -> Keys {
        Keys {
            sealed: JsValue::from_str(SEALED),
            id: JsValue::from_str("id"),
            key: JsValue::from_str("key"),
            body: JsValue::from_str("body"),
        }
    }
}

fn get(o: &JsValue, k: &JsValue) -> JsValue {
    Reflect::get(o, k).unwrap_or(JsValue::UNDEFINED)
}

/// What binds a ciphertext to its object: a record's id, a row's key.
fn aad(k: &Keys, o: &JsValue) -> String {
    get(o, &k.id).as_string().or_else(|| get(o, &k.key).as_string()).unwrap_or_default()
}

/// Seals `name`'s fields of the object `o` with `sealer` (none: leaves it plain).
pub(super) fn close_with(k: &Keys, sealer: Option<&dyn Sealer>, name: &str, o: &JsValue) -> Result<(), String> {
    let (names, in_body) = fields(name);
    let Some(sealer) = sealer else { return Ok(()) };
    if names.is_empty() {
        return Ok(());
    }
    let target = if in_body { get(o, &k.body) } else { o.clone() };
    if !target.is_object() {
        return Ok(());
    }
    // Packed (`sync::at_rest::unpack`): `[mask,value,…]`, in the order of `SEALED_FIELDS`.
    let packed = Array::of1(&JsValue::from(0));
    let mut mask = 0;
    for n in crate::sync::at_rest::SEALED_FIELDS {
        let Some(bit) = names.contains(&n).then(|| crate::sync::at_rest::field_bit(n)).flatten() else { continue };
        let key = JsValue::from_str(n);
        let v = Reflect::get(&target, &key).unwrap_or(JsValue::UNDEFINED);
        if !v.is_undefined() {
            packed.push(&v);
            let _ = Reflect::delete_property(target.unchecked_ref::<Object>(), &key);
            mask |= bit;
        }
    }
    if mask != 0 {
        packed.set(0, JsValue::from(mask));
        let text: String = JSON::stringify(&packed).map_err(|e| format!("{e:?}"))?.into();
        let sealed = sealer.seal(&aad(k, o), &text)?;
        let _ = Reflect::set(o, &k.sealed, &JsValue::from_str(&sealed));
    }
    Ok(())
}

/// Puts the sealed fields of one object back in place (none sealed: nothing to do).
pub(super) fn open_with(k: &Keys, sealer: Option<&dyn Sealer>, o: &JsValue) -> Result<(), String> {
    let sealed = get(o, &k.sealed);
    if sealed.is_undefined() {
        return Ok(());
    }
    let Some(text) = sealed.as_string() else { return Ok(()) };
    let Some(sealer) = sealer else { return Err(LOCKED.into()) };
    let plain = sealer.open(&aad(k, o), &text)?;
    let fields = JSON::parse(&crate::sync::at_rest::unpack(&plain)?).map_err(|e| format!("{e:?}"))?;
    let body = get(o, &k.body);
    let target: &Object = if body.is_object() { body.unchecked_ref() } else { o.unchecked_ref() };
    Object::assign(target, fields.unchecked_ref());
    let _ = Reflect::delete_property(o.unchecked_ref::<Object>(), &k.sealed);
    Ok(())
}

/// Seals an object about to be written to `name`, by the current mode.
pub(super) fn close(name: &str, o: &JsValue) -> Result<(), String> {
    if fields(name).0.is_empty() {
        return Ok(());
    }
    MODE.with(|m| match &*m.borrow() {
        Mode::Plain => Ok(()),
        Mode::Open(s) => close_with(&Keys::new(), Some(s.as_ref()), name, o),
        Mode::Unknown | Mode::Locked => Err(LOCKED.into()),
    })
}

/// [`close`] for each object of an array.
pub(super) fn close_all(name: &str, values: &Array) -> Result<(), String> {
    if fields(name).0.is_empty() {
        return Ok(());
    }
    MODE.with(|m| match &*m.borrow() {
        Mode::Plain => Ok(()),
        Mode::Open(s) => {
            let k = Keys::new();
            values.iter().try_for_each(|v| close_with(&k, Some(s.as_ref()), name, &v))
        }
        Mode::Unknown | Mode::Locked => Err(LOCKED.into()),
    })
}

/// The text of a value just read (a stored object, or an array of them), its sealed members
/// opened (`sync::at_rest`). Without the key a sealed one is refused by name, rather than read
/// with its fields empty: locked, or without a lock (written by a tab that still held the key
/// as another removed the lock).
pub(super) fn open_text(text: String) -> Result<String, String> {
    MODE.with(|m| {
        let m = m.borrow();
        let sealer = match &*m {
            Mode::Open(s) => Some(s.as_ref()),
            Mode::Plain | Mode::Unknown | Mode::Locked => None,
        };
        let mut open = |aad: &str, token: &str| open_cached(sealer, aad, token);
        Ok(crate::sync::at_rest::open_text(&text, &mut open)?.unwrap_or(text))
    })
}

/// One token opened, through the tokens already opened since the key came.
fn open_cached(sealer: Option<&dyn Sealer>, aad: &str, token: &str) -> Result<String, String> {
    let Some(s) = sealer else { return Err(LOCKED.to_owned()) };
    OPENED.with(|o| {
        if let Some(plain) = o.borrow().get(aad, token) {
            return Ok(plain);
        }
        let plain = crate::sync::at_rest::unpack(&s.open(aad, token)?)?.into_owned();
        o.borrow_mut().put(aad, token, &plain);
        Ok(plain)
    })
}

/// A record's token (its `sealed` member, left sealed by a read that shows none of its
/// fields) opened to the fields' JSON object text, as a row is drawn.
pub(super) fn open_token(aad: &str, token: &str) -> Result<String, String> {
    with_current(|sealer| open_cached(sealer, aad, token))
}

/// The current cipher, for rewriting every sealed store (`None`: plain, or locked).
pub(super) fn with_current<R>(f: impl FnOnce(Option<&dyn Sealer>) -> R) -> R {
    MODE.with(|m| match &*m.borrow() {
        Mode::Open(s) => f(Some(s.as_ref())),
        _ => f(None),
    })
}

/// A photo's file as stored: `None` plain (a blob, no lock), or its bytes sealed. Locked: refused.
pub(super) fn seal_file(aad: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    MODE.with(|m| match &*m.borrow() {
        Mode::Plain => Ok(None),
        Mode::Open(s) => s.seal_bytes(aad, bytes).map(Some),
        Mode::Unknown | Mode::Locked => Err(LOCKED.into()),
    })
}

/// A sealed photo file's bytes, opened.
pub(super) fn open_file(aad: &str, sealed: &[u8]) -> Result<Vec<u8>, String> {
    MODE.with(|m| match &*m.borrow() {
        Mode::Open(s) => s.open_bytes(aad, sealed),
        _ => Err(LOCKED.into()),
    })
}
