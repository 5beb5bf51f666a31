//! State-based merge of two versions of a record, field by field, with a conflict log.
//!
//! Works on records as JSON (`Record<Value>`), so one piece of code serves every kind and the
//! download pays for it once. The rules:
//! - each top-level body field, and the tombstone (`@deleted`), is a register: the write with
//!   the greater [`Stamp`] (clock, then device id) wins, whichever order files arrive in;
//! - a version whose version vector covers the other's keeps its own values (nothing new);
//! - a losing write that the winning version had not seen was a concurrent edit: it goes to
//!   the conflict log, keyed by record, field and stamp, so logs from several offices union
//!   to the same set and a user can restore the value;
//! - every result is brought to one canonical form, so converged copies are byte-identical.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::{Clock, DeviceId, Hlc, Record, RecordId, Stamp};

pub type Doc = Record<Value>;

/// The tombstone's name among the fields; body fields are snake_case and never start with @.
pub const DELETED: &str = "@deleted";

/// A concurrent write that lost: enough to show it and restore it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// `record/field/stamp`: the same lost write detected by two offices is one entry.
    pub key: String,
    pub kind: String,
    pub record: RecordId,
    pub field: String,
    pub stamp: Stamp,
    /// The value that lost (`null` when the field was empty).
    pub value: Value,
    /// Who made the lost write (its 记录人), where its copy named one; older logs have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Conflict {
    fn new(kind: &str, record: &RecordId, field: &str, stamp: Stamp, value: Value, by: Option<String>) -> Conflict {
        Conflict {
            key: format!("{record}/{field}/{stamp}"),
            kind: kind.to_owned(),
            record: record.clone(),
            field: field.to_owned(),
            stamp,
            value,
            by,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Updated,
}

fn own_stamp(d: &Doc) -> Stamp {
    Stamp { hlc: d.updated, device: d.device.clone() }
}

fn body_map(d: &Doc) -> Option<&Map<String, Value>> {
    d.body.as_object()
}

/// The stamp of `field` in `d`.
pub fn stamp_of(d: &Doc, field: &str) -> Stamp {
    match d.clock.fields.get(field) {
        Some(s) => s.clone(),
        None => d.clock.base.clone().unwrap_or_else(|| own_stamp(d)),
    }
}

/// A field's value (`null` when absent; the tombstone as a boolean).
pub fn value_of(d: &Doc, field: &str) -> Value {
    if field == DELETED {
        return Value::Bool(d.deleted);
    }
    body_map(d).and_then(|m| m.get(field)).cloned().unwrap_or(Value::Null)
}

/// Every field either version names: body keys, stamped keys and the tombstone.
pub(crate) fn field_names<'a>(docs: &[&'a Doc]) -> BTreeSet<&'a str> {
    let mut names = BTreeSet::from([DELETED]);
    for d in docs {
        names.extend(body_map(d).into_iter().flat_map(|m| m.keys().map(String::as_str)));
        names.extend(d.clock.fields.keys().map(String::as_str));
    }
    names
}

/// The version vector: which writes of each device this version includes.
pub fn vector(d: &Doc) -> BTreeMap<DeviceId, Hlc> {
    let mut v = d.clock.seen.clone();
    let own = v.entry(d.device.clone()).or_insert(d.updated);
    *own = (*own).max(d.updated);
    v
}

fn covers(a: &BTreeMap<DeviceId, Hlc>, b: &BTreeMap<DeviceId, Hlc>) -> bool {
    b.iter().all(|(dev, h)| a.get(dev).is_some_and(|mine| mine >= h))
}

fn knows(v: &BTreeMap<DeviceId, Hlc>, s: &Stamp) -> bool {
    v.get(&s.device).is_some_and(|h| *h >= s.hlc)
}

/// Rebuilds `d`'s envelope from full per-field stamps and a version vector, canonically:
/// `updated`/`device` is the newest stamp, `base` the oldest, `fields` the rest.
fn settle(d: &mut Doc, stamps: BTreeMap<String, Stamp>, mut vector: BTreeMap<DeviceId, Hlc>) {
    let (Some(newest), Some(oldest)) = (stamps.values().max().cloned(), stamps.values().min().cloned()) else {
        return;
    };
    let in_use: BTreeSet<String> = stamps.values().map(Stamp::to_string).collect();
    let by = std::mem::take(&mut d.clock.by)
        .into_iter()
        .filter(|e| e.split_once('=').is_some_and(|(s, _)| in_use.contains(s)))
        .collect();
    if let Some(body) = d.body.as_object_mut() {
        body.retain(|_, v| !v.is_null());
    }
    d.updated = newest.hlc;
    d.device = newest.device.clone();
    vector.remove(&newest.device);
    let fields = stamps.into_iter().filter(|(_, s)| *s != oldest).collect();
    let withheld = std::mem::take(&mut d.clock.withheld);
    d.clock = Clock { base: (oldest != newest).then_some(oldest), fields, seen: vector, withheld, by };
}

/// Whether a value says nothing: a form's empty field (`""`) or none at all.
fn blank(v: &Value) -> bool {
    v.is_null() || v.as_str() == Some("")
}

/// Leaves `fields` out of `d` for a file whose receiver must not have them (ID numbers,
/// health): their values and stamps go, and the record says it withholds them, so the
/// receiver keeps its own values and never reads the absence as a clearing edit.
pub fn withhold(d: &mut Doc, fields: &[&str]) {
    if !d.body.is_object() {
        return;
    }
    let stamps: BTreeMap<String, Stamp> =
        field_names(&[d]).into_iter().filter(|n| !fields.contains(n)).map(|n| (n.to_owned(), stamp_of(d, n))).collect();
    let vector = vector(d);
    if let Some(body) = d.body.as_object_mut() {
        for f in fields {
            body.remove(*f);
        }
    }
    // Also a field the record never had: the receiver must not read its absence either.
    d.clock.withheld.extend(fields.iter().map(|f| (*f).to_owned()));
    d.clock.withheld.sort();
    d.clock.withheld.dedup();
    settle(d, stamps, vector);
}

/// Brings a record from elsewhere (a file) to canonical form.
pub fn canonical(d: &mut Doc) {
    if d.clock.is_empty() {
        // Written once, by one device: already canonical but for empty fields. Most records
        // are like this, so a 100,000-record import skips building their stamp maps.
        if let Some(body) = d.body.as_object_mut() {
            body.retain(|_, v| !v.is_null());
        }
        return;
    }
    let withheld = d.clock.withheld.clone();
    if let Some(body) = d.body.as_object_mut() {
        body.retain(|k, _| !withheld.contains(k));
    }
    let stamps = field_names(&[d])
        .into_iter()
        .filter(|n| !withheld.iter().any(|w| w == n))
        .map(|n| (n.to_owned(), stamp_of(d, n)))
        .collect();
    let vector = vector(d);
    settle(d, stamps, vector);
}

/// After a local write: gives every field whose value changed from `old` the write's stamp.
/// `new` must already carry the new body and tombstone.
pub fn restamp(old: Option<&Doc>, new: &mut Doc, stamp: Stamp) {
    let Some(old) = old else {
        new.updated = stamp.hlc;
        new.device = stamp.device;
        new.clock = Clock::default();
        canonical(new);
        return;
    };
    let mut stamps = BTreeMap::new();
    let mut withheld = old.clock.withheld.clone();
    let mut still_withheld = Vec::new();
    for name in field_names(&[old, new]) {
        if withheld.iter().any(|w| w == name) {
            // A field this copy never had: a value typed into it is an edit; the form's empty
            // field is not, and clearing the other offices' value with it would lose data.
            if blank(&value_of(new, name)) {
                still_withheld.push(name.to_owned());
            } else {
                withheld.retain(|w| w != name);
                stamps.insert(name.to_owned(), stamp.clone());
            }
            continue;
        }
        let changed = value_of(old, name) != value_of(new, name);
        stamps.insert(name.to_owned(), if changed { stamp.clone() } else { stamp_of(old, name) });
    }
    if let Some(body) = new.body.as_object_mut() {
        for name in &still_withheld {
            body.remove(name);
        }
    }
    new.clock.withheld = withheld;
    let mut vector = vector(old);
    vector.insert(stamp.device.clone(), stamp.hlc);
    new.created = old.created;
    settle(new, stamps, vector);
}

/// Names `who` (记录人) as the author of the local write `stamp`, after [`restamp`]: only if
/// the write changed something (else the stamp is not in use and names nobody).
pub fn sign(d: &mut Doc, stamp: &Stamp, who: &str) {
    let who = who.trim();
    if !who.is_empty() && own_stamp(d) == *stamp {
        d.clock.set_name(&stamp.to_string(), who);
    }
}

/// Merges `incoming` into `local` (same id). Returns the merged version, whether it differs
/// from `local`, and the concurrent writes that lost (some may equal the merged value).
pub fn merge(kind: &str, local: &Doc, incoming: &Doc) -> (Doc, Outcome, Vec<Conflict>) {
    let (lv, iv) = (vector(local), vector(incoming));
    let (lw, iw) = (&local.clock.withheld, &incoming.clock.withheld);
    // Knowing every write the other saw settles it at once, unless one side withholds a field:
    // then that field comes from the other side whatever the vectors say.
    let whole = lw.is_empty() && iw.is_empty();
    if whole && covers(&lv, &iv) {
        return (local.clone(), Outcome::Unchanged, Vec::new());
    }
    let mut out = local.clone();
    let mut lost = Vec::new();
    if whole && covers(&iv, &lv) {
        out = incoming.clone();
        canonical(&mut out);
        return (out, Outcome::Updated, lost);
    }
    let mut body = body_map(local).cloned().unwrap_or_default();
    let mut stamps = BTreeMap::new();
    let mut names = field_names(&[local, incoming]);
    names.extend(lw.iter().chain(iw).map(String::as_str));
    for name in names {
        match (lw.iter().any(|w| w == name), iw.iter().any(|w| w == name)) {
            (true, true) => {
                body.remove(name);
                continue;
            }
            // The file does not carry it: what is here stays, as it is.
            (false, true) => {
                stamps.insert(name.to_owned(), stamp_of(local, name));
                continue;
            }
            // This copy never had it: the file's value, as it is.
            (true, false) => {
                let ival = value_of(incoming, name);
                if ival.is_null() {
                    body.remove(name);
                } else {
                    body.insert(name.to_owned(), ival);
                }
                stamps.insert(name.to_owned(), stamp_of(incoming, name));
                continue;
            }
            (false, false) => {}
        }
        let (ls, is) = (stamp_of(local, name), stamp_of(incoming, name));
        let (lval, ival) = (value_of(local, name), value_of(incoming, name));
        let (win, win_vec, lose_stamp, lose_val, win_val, loser) =
            if is > ls { (is, &iv, ls, lval, ival, local) } else { (ls, &lv, is, ival, lval, incoming) };
        // Logged even when both wrote the same value: a later write that saw only one of
        // them may overwrite it, and then the other's loss must still be on record. The log
        // shows only entries whose value differs from the record's current one.
        if lose_stamp != win && !knows(win_vec, &lose_stamp) {
            let by = loser.clock.name_of(&lose_stamp.to_string()).map(str::to_owned);
            lost.push(Conflict::new(kind, &local.id, name, lose_stamp, lose_val, by));
        }
        if name == DELETED {
            out.deleted = win_val == Value::Bool(true);
        } else if win_val.is_null() {
            body.remove(name);
        } else {
            body.insert(name.to_owned(), win_val);
        }
        stamps.insert(name.to_owned(), win);
    }
    out.body = Value::Object(body);
    out.clock.withheld = lw.iter().filter(|w| iw.contains(w)).cloned().collect();
    // Both copies' names, for whichever stamps win (one write has one author; should two
    // copies disagree, the same one is kept in either order).
    out.clock.by.extend(incoming.clock.by.iter().cloned());
    out.clock.by.sort();
    out.clock.by.dedup_by(|b, a| a.split_once('=').map(|x| x.0) == b.split_once('=').map(|x| x.0));
    out.created = local.created.min(incoming.created);
    let mut vec = lv;
    for (dev, h) in iv {
        let e = vec.entry(dev).or_insert(h);
        *e = (*e).max(h);
    }
    settle(&mut out, stamps, vec);
    let outcome = if out == *local { Outcome::Unchanged } else { Outcome::Updated };
    (out, outcome, lost)
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use serde_json::json;

    fn dev(n: u8) -> DeviceId {
        DeviceId::from_random([n; 16])
    }

    fn st(ms: u64, n: u8) -> Stamp {
        Stamp { hlc: Hlc { ms, count: 0 }, device: dev(n) }
    }

    fn created(body: Value, s: Stamp) -> Doc {
        let mut d = Record::create(RecordId::from_random([9; 16]), body, s.hlc, s.device.clone());
        restamp(None, &mut d, s);
        d
    }

    /// The phone "1" changed to "2" on device 1 (x) and to "3" on device 2 (y), later; y made
    /// after seeing x, or not.
    fn two_phone_edits(y_saw_x: bool) -> (Doc, Doc) {
        let a = created(json!({"phone": "1"}), st(10, 1));
        let x = edited(&a, json!({"phone": "2"}), st(20, 1));
        let y = edited(if y_saw_x { &x } else { &a }, json!({"phone": "3"}), st(30, 2));
        (x, y)
    }

    fn edited(old: &Doc, body: Value, s: Stamp) -> Doc {
        let mut d = old.clone();
        d.body = body;
        restamp(Some(old), &mut d, s);
        d
    }

    /// The county's record, sent to a township without the ID number and health; the township
    /// edits the phone and sends it back: the county keeps both and takes the phone.
    #[test]
    fn a_field_left_out_of_a_file_is_never_cleared_by_it() {
        let county =
            created(json!({"name": "王建国", "phone": "1", "id_number": "522", "health": "高血压"}), st(10, 1));
        let mut sent = county.clone();
        withhold(&mut sent, &["id_number", "health"]);
        assert_eq!(sent.body, json!({"name": "王建国", "phone": "1"}));
        assert_eq!(sent.clock.withheld.iter().collect::<Vec<_>>(), ["health", "id_number"]);

        // At the township: a new record, withheld fields and all.
        let mut there = sent.clone();
        canonical(&mut there);
        assert_eq!(there.clock.withheld.len(), 2);
        // Its form writes the fields it never had as "": not an edit.
        let edited_there =
            edited(&there, json!({"name": "王建国", "phone": "2", "id_number": "", "health": ""}), st(20, 2));
        assert_eq!(edited_there.body, json!({"name": "王建国", "phone": "2"}));
        assert_eq!(edited_there.clock.withheld.len(), 2);

        let (back, outcome, lost) = merge("person", &county, &edited_there);
        assert_eq!(outcome, Outcome::Updated);
        assert!(lost.is_empty());
        assert_eq!(back.body, json!({"name": "王建国", "phone": "2", "id_number": "522", "health": "高血压"}));
        assert!(back.clock.withheld.is_empty());
        // The county's later full file gives the township the fields once more.
        let (full_there, ..) = merge("person", &edited_there, &back);
        assert_eq!(full_there.body, back.body);
        assert!(full_there.clock.withheld.is_empty());
        // A value typed into a withheld field is an edit, and wins.
        let typed = edited(&there, json!({"name": "王建国", "phone": "1", "id_number": "533"}), st(30, 2));
        assert_eq!(typed.clock.withheld.iter().collect::<Vec<_>>(), ["health"]);
        let (after, ..) = merge("person", &county, &typed);
        assert_eq!(after.body["id_number"], json!("533"));
        assert_eq!(after.body["health"], json!("高血压"));
    }

    proptest::proptest! {
        /// Whatever subset of fields a file leaves out, merging it never changes them here,
        /// and the two orders of merging agree on every value.
        #[test]
        fn a_file_without_a_field_never_clears_it(
            left_out in proptest::collection::btree_set(0usize..4, 0..=4),
            values in proptest::collection::vec(proptest::option::of(0u8..3), 4),
            later in 0u64..3,
        ) {
            const F: [&str; 4] = ["phone", "id_number", "health", "village"];
            let mut body = serde_json::Map::new();
            body.insert("name".into(), json!("王建国"));
            for (f, v) in F.iter().zip(&values) {
                if let Some(v) = v {
                    body.insert((*f).into(), json!(v.to_string()));
                }
            }
            let here = created(Value::Object(body.clone()), st(10, 1));
            // The other office edits every field, later or earlier, then sends a file without some.
            let mut theirs_body = body.clone();
            for f in F {
                theirs_body.insert(f.into(), json!(format!("x{f}")));
            }
            let theirs = edited(&here, Value::Object(theirs_body), st(10 + later * 10, 2));
            let mut sent = theirs.clone();
            let fields: Vec<&str> = left_out.iter().map(|&i| F[i]).collect();
            withhold(&mut sent, &fields);
            let (merged, ..) = merge("person", &here, &sent);
            for f in &fields {
                proptest::prop_assert_eq!(value_of(&merged, f), value_of(&here, f), "{} left out, yet changed", f);
            }
            let (other_way, ..) = merge("person", &sent, &here);
            proptest::prop_assert_eq!(&merged.body, &other_way.body);
        }
    }

    #[test]
    fn a_fresh_record_has_an_empty_clock_and_one_edit_lists_one_field() {
        let a = created(json!({"name": "王建国", "phone": "1"}), st(10, 1));
        assert!(a.clock.is_empty());
        let b = edited(&a, json!({"name": "王建国", "phone": "2"}), st(20, 1));
        assert_eq!(b.clock.base, Some(st(10, 1)));
        assert_eq!(b.clock.fields.keys().collect::<Vec<_>>(), ["phone"]);
        assert_eq!((b.updated, b.device.clone()), (st(20, 1).hlc, dev(1)));
    }

    #[test]
    fn different_fields_edited_at_two_offices_both_survive_without_conflict() {
        let a = created(json!({"name": "王建国", "phone": "1", "address": "东街"}), st(10, 1));
        let x = edited(&a, json!({"name": "王建国", "phone": "2", "address": "东街"}), st(20, 1));
        let y = edited(&a, json!({"name": "王建国", "phone": "1", "address": "西街"}), st(30, 2));
        let (m1, o1, c1) = merge("person", &x, &y);
        let (m2, _, c2) = merge("person", &y, &x);
        assert_eq!(m1, m2);
        assert_eq!(o1, Outcome::Updated);
        assert_eq!(m1.body, json!({"name": "王建国", "phone": "2", "address": "西街"}));
        assert!(c1.is_empty() && c2.is_empty());
    }

    #[test]
    fn the_same_field_edited_concurrently_logs_the_loser_either_way() {
        let (x, y) = two_phone_edits(false);
        let (m1, _, c1) = merge("person", &x, &y);
        let (m2, _, c2) = merge("person", &y, &x);
        assert_eq!(m1, m2);
        assert_eq!(m1.body, json!({"phone": "3"}));
        assert_eq!(c1, c2);
        assert_eq!(c1.len(), 1);
        assert_eq!((c1[0].field.as_str(), c1[0].value.clone(), c1[0].stamp.clone()), ("phone", json!("2"), st(20, 1)));
    }

    #[test]
    fn an_edit_made_after_seeing_the_other_is_not_a_conflict() {
        let (x, y) = two_phone_edits(true);
        let (m, o, c) = merge("person", &x, &y);
        assert_eq!((m, o, c.len()), (y.clone(), Outcome::Updated, 0));
        let (m, o, _) = merge("person", &y, &x);
        assert_eq!((m, o), (y, Outcome::Unchanged));
    }

    #[test]
    fn a_delete_is_a_field_too() {
        let a = created(json!({"phone": "1"}), st(10, 1));
        let mut x = a.clone();
        x.deleted = true;
        restamp(Some(&a), &mut x, st(20, 1));
        let y = edited(&a, json!({"phone": "2"}), st(30, 2));
        let (m, _, c) = merge("person", &x, &y);
        assert!(m.deleted, "the delete and the phone edit both apply");
        assert_eq!(m.body, json!({"phone": "2"}));
        assert!(c.is_empty());
    }

    #[test]
    fn equal_clocks_are_broken_by_device_id() {
        let a = created(json!({"phone": "1"}), st(10, 1));
        let x = edited(&a, json!({"phone": "2"}), st(20, 1));
        let y = edited(&a, json!({"phone": "3"}), st(20, 2));
        assert_eq!(merge("person", &x, &y).0.body, json!({"phone": "3"}));
        assert_eq!(merge("person", &y, &x).0.body, json!({"phone": "3"}));
    }

    #[test]
    fn a_field_cleared_at_one_office_is_removed() {
        let a = created(json!({"phone": "1", "notes": "x"}), st(10, 1));
        let x = edited(&a, json!({"phone": "1"}), st(20, 1));
        let y = edited(&a, json!({"phone": "5", "notes": "x"}), st(15, 2));
        let (m, _, _) = merge("person", &y, &x);
        assert_eq!(m.body, json!({"phone": "5"}));
    }
}
