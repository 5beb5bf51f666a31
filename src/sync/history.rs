//! A record's history for its page, from what it carries (#24, who did what): each write it
//! still holds, newest first, with when, by whom (记录人, where the device named one) and which
//! fields: "2026-12-04 09:30 王芳改了联系电话". A field's earlier values are gone once overwritten,
//! except the concurrent ones the conflict log keeps: those are shown too, as lost writes.

use std::collections::BTreeMap;

use super::merge::{self, Conflict, Doc};
use crate::domain::Stamp;

/// One write the record still holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub stamp: Stamp,
    /// The 记录人 who made it; `None` where no name was given (or an older version wrote it).
    pub by: Option<String>,
    /// The write that made the record (its fields unchanged since).
    pub created: bool,
    /// The fields it set, in name order (`merge::DELETED` for deleting or restoring).
    pub fields: Vec<String>,
    /// A write that lost a merge to a later one made elsewhere (from the conflict log): its
    /// fields hold another value now.
    pub lost: bool,
}

/// A name from a file as shown: no control characters, at most 20 characters.
pub fn shown_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(20).collect::<String>().trim().to_owned()
}

/// Every write `d` still holds, newest first.
pub fn history(d: &Doc) -> Vec<Change> {
    let mut writes: BTreeMap<Stamp, Vec<String>> = BTreeMap::new();
    for name in merge::field_names(&[d]) {
        if d.clock.withheld.iter().any(|w| w == name) {
            continue;
        }
        // The tombstone's first stamp is the record's making, not a deletion.
        if name == merge::DELETED && !d.deleted && merge::stamp_of(d, name).hlc == d.created {
            writes.entry(merge::stamp_of(d, name)).or_default();
            continue;
        }
        writes.entry(merge::stamp_of(d, name)).or_default().push(name.to_owned());
    }
    writes
        .into_iter()
        .rev()
        .map(|(stamp, fields)| Change {
            created: stamp.hlc == d.created,
            by: d.clock.name_of(&stamp.to_string()).map(shown_name).filter(|n| !n.is_empty()),
            stamp,
            fields,
            lost: false,
        })
        .filter(|c| c.created || !c.fields.is_empty())
        .collect()
}

/// `history(d)` with the writes to `d` that lost a merge (its entries in the conflict log), in
/// their place by time. An entry whose value the record holds anyway lost nothing and is left
/// out, as the conflict log's page leaves it out.
pub fn history_with(d: &Doc, log: &[Conflict]) -> Vec<Change> {
    let mut lost: BTreeMap<&Stamp, (Option<String>, Vec<String>)> = BTreeMap::new();
    for c in log.iter().filter(|c| c.record == d.id && merge::value_of(d, &c.field) != c.value) {
        let entry = lost.entry(&c.stamp).or_default();
        entry.0 = entry.0.take().or_else(|| c.by.as_deref().map(shown_name).filter(|n| !n.is_empty()));
        entry.1.push(c.field.clone());
    }
    let mut all = history(d);
    all.extend(lost.into_iter().map(|(stamp, (by, mut fields))| {
        fields.sort();
        fields.dedup();
        Change { stamp: stamp.clone(), by, created: false, fields, lost: true }
    }));
    all.sort_by(|a, b| b.stamp.cmp(&a.stamp));
    all
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::{DeviceId, Hlc, Record, RecordId};
    use crate::sync::merge::{merge, restamp, sign};

    fn st(ms: u64, n: u8) -> Stamp {
        Stamp { hlc: Hlc { ms, count: 0 }, device: DeviceId::from_random([n; 16]) }
    }

    fn made(body: serde_json::Value, s: &Stamp, who: &str) -> Doc {
        let mut d = Record::create(RecordId::from_random([7; 16]), body, s.hlc, s.device.clone());
        restamp(None, &mut d, s.clone());
        sign(&mut d, s, who);
        d
    }

    fn edited(old: &Doc, body: serde_json::Value, s: &Stamp, who: &str) -> Doc {
        let mut d = old.clone();
        d.body = body;
        restamp(Some(old), &mut d, s.clone());
        sign(&mut d, s, who);
        d
    }

    #[test]
    fn each_write_shows_who_made_it_when_and_which_fields() {
        let (a, b, c) = (st(10, 1), st(20, 1), st(30, 2));
        let d = made(json!({"name": "王建国", "phone": "1", "village": "东村"}), &a, "李明");
        assert_eq!(history(&d), vec![Change { stamp: a.clone(), by: Some("李明".into()), created: true, fields: vec![
            "name".into(), "phone".into(), "village".into()], lost: false }]);
        let d = edited(&d, json!({"name": "王建国", "phone": "2", "village": "东村"}), &b, "王芳");
        let d = edited(&d, json!({"name": "王建国", "phone": "2", "village": "西村"}), &c, "");
        let h = history(&d);
        assert_eq!(h.iter().map(|c| (c.by.as_deref(), c.fields.clone(), c.created)).collect::<Vec<_>>(), vec![
            (None, vec!["village".to_owned()], false),
            (Some("王芳"), vec!["phone".to_owned()], false),
            (Some("李明"), vec!["name".to_owned()], true),
        ]);
        // Nothing changed: no write, no name.
        let same = edited(&d, d.body.clone(), &st(40, 1), "赵六");
        assert!(same.clock.names().all(|(_, n)| n != "赵六"), "{:?}", same.clock.by);
        // Deleting is its own line.
        let mut gone = d.clone();
        gone.deleted = true;
        let s = st(50, 1);
        restamp(Some(&d), &mut gone, s.clone());
        sign(&mut gone, &s, "王芳");
        assert_eq!(history(&gone)[0].fields, vec![merge::DELETED.to_owned()]);
    }

    #[test]
    fn a_name_travels_with_its_write_and_goes_with_it() {
        let a = st(10, 1);
        let base = made(json!({"name": "王建国", "phone": "1"}), &a, "李明");
        // The same record edited at two offices: the later write wins, with its author.
        let here = edited(&base, json!({"name": "王建国", "phone": "2"}), &st(20, 1), "王芳");
        let there = edited(&base, json!({"name": "王建国", "phone": "3"}), &st(30, 2), "张三");
        let (m1, ..) = merge("person", &here, &there);
        let (m2, ..) = merge("person", &there, &here);
        assert_eq!(m1, m2, "either order");
        assert_eq!(m1.clock.by.len(), 2, "the creator and the winner: {:?}", m1.clock.by);
        assert_eq!(history(&m1)[0].by.as_deref(), Some("张三"));
        assert!(!m1.clock.names().any(|(_, n)| n == "王芳"), "the overwritten write's name goes with it");
        // In a file and back.
        let text = serde_json::to_string(&m1).unwrap();
        assert!(text.contains("\"by\":["), "{text}");
        let back: Doc = serde_json::from_str(&text).unwrap();
        assert_eq!(history(&back), history(&m1));
        // An older file has none, and reads as before.
        let mut old = m1.clone();
        old.clock.by.clear();
        let old: Doc = serde_json::from_str(&serde_json::to_string(&old).unwrap()).unwrap();
        assert!(history(&old).iter().all(|c| c.by.is_none()));
    }

    #[test]
    fn a_write_that_lost_a_merge_is_shown_with_its_maker_from_the_conflict_log() {
        let a = st(10, 1);
        let base = made(json!({"name": "王建国", "phone": "1", "village": "东村"}), &a, "李明");
        // The township's 王芳 changes phone and village; the county's 张三 changes the phone later.
        let here = edited(&base, json!({"name": "王建国", "phone": "2", "village": "西村"}), &st(20, 1), "王芳");
        let there = edited(&base, json!({"name": "王建国", "phone": "3", "village": "东村"}), &st(30, 2), "张三");
        let (m, _, lost) = merge("person", &here, &there);
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert_eq!(lost[0].by.as_deref(), Some("王芳"), "the log keeps who lost");
        // In a file and back, the name travels with the entry.
        let text = serde_json::to_string(&lost[0]).unwrap();
        assert_eq!(serde_json::from_str::<Conflict>(&text).unwrap(), lost[0]);
        let h = history_with(&m, &lost);
        let lines: Vec<_> = h.iter().map(|c| (c.by.as_deref(), c.fields.clone(), c.lost)).collect();
        assert_eq!(lines, vec![
            (Some("张三"), vec!["phone".to_owned()], false),
            (Some("王芳"), vec!["village".to_owned()], false),
            (Some("王芳"), vec!["phone".to_owned()], true),
            (Some("李明"), vec!["name".to_owned()], false),
        ]);
        // A loss whose value the record holds anyway (restored, or both wrote it) is not shown.
        let mut same = lost[0].clone();
        same.value = json!("3");
        assert!(history_with(&m, &[same]).iter().all(|c| !c.lost));
        // Another record's entries are not this one's.
        let mut other = lost[0].clone();
        other.record = RecordId::from_random([9; 16]);
        assert!(history_with(&m, &[other]).iter().all(|c| !c.lost));
        // An older log entry names nobody.
        let mut old = lost[0].clone();
        old.by = None;
        let old: Conflict = serde_json::from_str(&serde_json::to_string(&old).unwrap()).unwrap();
        assert_eq!(history_with(&m, &[old]).iter().find(|c| c.lost).map(|c| c.by.clone()), Some(None));
    }

    #[test]
    fn a_hostile_name_is_shown_short_and_plain() {
        assert_eq!(shown_name("王芳\u{7}\n"), "王芳");
        assert_eq!(shown_name(&"长".repeat(50)).chars().count(), 20);
    }
}
