//! An export narrowed to one township (只含某乡镇): its people and their records, for an office
//! that needs only its own. What cannot be placed in a township (feedback, the station's rooms
//! and rota, county-level organisations) stays out.

use std::collections::HashSet;

use super::merge::{Conflict, Doc};
use super::SyncKind;

fn text<'a>(d: &'a Doc, field: &str) -> &'a str {
    d.body.get(field).and_then(|v| v.as_str()).unwrap_or_default()
}

/// Keeps of `records` (and of the conflict log) only what belongs to `township`: its people,
/// organisations, places, activities and cases; payments to its people; photos of its
/// activities.
pub fn only_township(records: &mut Vec<(SyncKind, Doc)>, conflicts: &mut Vec<Conflict>, township: &str) {
    let here = |d: &Doc| text(d, "township") == township;
    let people: HashSet<&str> =
        records.iter().filter(|(k, d)| *k == SyncKind::Person && here(d)).map(|(_, d)| d.id.as_str()).collect();
    let activities: HashSet<&str> =
        records.iter().filter(|(k, d)| *k == SyncKind::Activity && here(d)).map(|(_, d)| d.id.as_str()).collect();
    let keep: Vec<bool> = records
        .iter()
        .map(|(k, d)| match k {
            SyncKind::Person | SyncKind::Org | SyncKind::Place | SyncKind::Activity | SyncKind::Case => here(d),
            SyncKind::Benefit => people.contains(text(d, "person")),
            SyncKind::Photo => activities.contains(text(d, "activity")),
            SyncKind::Feedback | SyncKind::Room | SyncKind::Duty => false,
        })
        .collect();
    let mut keep = keep.into_iter();
    records.retain(|_| keep.next().unwrap_or(false));
    let ids: HashSet<&str> = records.iter().map(|(_, d)| d.id.as_str()).collect();
    conflicts.retain(|c| ids.contains(c.record.as_str()));
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::domain::{DeviceId, Hlc, Record, RecordId};

    fn doc(n: u8, body: Value) -> Doc {
        Record::create(RecordId::from_random([n; 16]), body, Hlc { ms: 1, count: 0 }, DeviceId::from_random([0; 16]))
    }

    #[test]
    fn a_township_file_holds_its_people_and_their_records_only() {
        let (mine, theirs) = (
            doc(1, json!({"name": "王建国", "township": "城关镇"})),
            doc(2, json!({"name": "李秀兰", "township": "河口乡"})),
        );
        let lecture = doc(3, json!({"theme": "宣讲", "township": "城关镇"}));
        let mut records = vec![
            (SyncKind::Person, mine.clone()),
            (SyncKind::Person, theirs.clone()),
            (SyncKind::Activity, lecture.clone()),
            (SyncKind::Activity, doc(4, json!({"theme": "义诊", "township": "河口乡"}))),
            (SyncKind::Benefit, doc(5, json!({"person": mine.id.as_str()}))),
            (SyncKind::Benefit, doc(6, json!({"person": theirs.id.as_str()}))),
            (SyncKind::Photo, doc(7, json!({"activity": lecture.id.as_str()}))),
            (SyncKind::Org, doc(8, json!({"name": "县服务中心", "level": "county"}))),
            (SyncKind::Org, doc(9, json!({"name": "城关镇支部", "township": "城关镇"}))),
            (SyncKind::Feedback, doc(10, json!({"content": "路灯"}))),
            (SyncKind::Case, doc(11, json!({"parties": "张某", "township": "城关镇"}))),
        ];
        let conflict = |r: &Doc| Conflict {
            key: format!("{}/phone/x", r.id),
            kind: "person".into(),
            record: r.id.clone(),
            field: "phone".into(),
            stamp: "1764000000300-000002/01010101-0101-4101-8101-010101010101".parse().unwrap(),
            value: json!("1"),
            by: None,
        };
        let mut conflicts = vec![conflict(&mine), conflict(&theirs)];
        only_township(&mut records, &mut conflicts, "城关镇");
        let kept: Vec<RecordId> = records.iter().map(|(_, d)| d.id.clone()).collect();
        let want: Vec<RecordId> = [1u8, 3, 5, 7, 9, 11].iter().map(|&n| RecordId::from_random([n; 16])).collect();
        assert_eq!(kept, want, "城关镇's person, lecture, his payment, its photo, its branch, its case");
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].record, mine.id);
    }
}
