//! Convergence and conflict-log properties of files exchanged between offices. New tests of
//! what offices see after exchanging go here; single files (the bad-file corpus, the rules,
//! the plan's counts) in `tests/files.rs`; merge rules have unit tests in merge.rs.

mod files;
mod quick;

use std::collections::{BTreeMap, HashMap, HashSet};

use proptest::prelude::*;
use serde_json::{json, Value};

use super::format::{self, Source};
use super::merge::{self, Conflict, Doc};
use super::{plan, SyncKind};
use crate::domain::{DeviceId, DeviceState, Hlc, Record, RecordId, Stamp};

/// One office: its clock, its records, its conflict log.
struct Office {
    state: DeviceState,
    docs: HashMap<RecordId, Doc>,
    log: BTreeMap<String, Conflict>,
}

/// Every write ever made, with what its writer had seen, to judge losses afterwards.
struct Write {
    record: RecordId,
    field: String,
    stamp: Stamp,
    value: Value,
    seen: BTreeMap<DeviceId, Hlc>,
}

#[derive(Clone, Debug)]
enum Op {
    Create { office: usize, n: u8 },
    Edit { office: usize, record: usize, field: usize, value: u8 },
    Delete { office: usize, record: usize, deleted: bool },
    Send { from: usize, to: usize },
    Tick { office: usize, back: bool },
}

/// Person fields: `name` is required, the others may be cleared.
const FIELDS: [&str; 3] = ["name", "phone", "village"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, any::<u8>()).prop_map(|(office, n)| Op::Create { office, n }),
        (0..3usize, 0..8usize, 0..3usize, 0..4u8).prop_map(|(office, record, field, value)| Op::Edit {
            office,
            record,
            field,
            value
        }),
        (0..3usize, 0..8usize, any::<bool>()).prop_map(|(office, record, deleted)| Op::Delete {
            office,
            record,
            deleted
        }),
        (0..3usize, 0..3usize).prop_map(|(from, to)| Op::Send { from, to }),
        (0..3usize, any::<bool>()).prop_map(|(office, back)| Op::Tick { office, back }),
    ]
}

struct World {
    /// Whether an import takes records from the future as its own edit (the user's
    /// confirmation) or holds them back.
    accept: bool,
    /// Conflicts the last import's preview counted.
    last_conflicts: u32,
    offices: Vec<Office>,
    now: Vec<u64>,
    writes: Vec<Write>,
}

impl World {
    fn new() -> World {
        let offices = (1..=3)
            .map(|n| Office {
                state: DeviceState::new(DeviceId::from_random([n; 16])),
                docs: HashMap::new(),
                log: BTreeMap::new(),
            })
            .collect();
        World { accept: true, last_conflicts: 0, offices, now: vec![1_000, 1_000, 1_000], writes: Vec::new() }
    }

    fn ids(&self, o: usize) -> Vec<RecordId> {
        let mut ids: Vec<RecordId> = self.offices[o].docs.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// A local change, as storage makes it: stamp, restamp, remember each changed field.
    fn write(&mut self, o: usize, old: Option<Doc>, mut new: Doc) {
        let office = &mut self.offices[o];
        let hlc = office.state.stamp(self.now[o], old.as_ref().map(|d| d.updated));
        let stamp = Stamp { hlc, device: office.state.device.clone() };
        let seen = old.as_ref().map(merge::vector).unwrap_or_default();
        merge::restamp(old.as_ref(), &mut new, stamp.clone());
        for field in FIELDS.iter().copied().chain([merge::DELETED]) {
            let value = |d: &Doc| match field {
                merge::DELETED => Value::Bool(d.deleted),
                f => d.body.get(f).cloned().unwrap_or(Value::Null),
            };
            if old.as_ref().map(value) != Some(value(&new)) {
                let (record, value) = (new.id.clone(), value(&new));
                self.writes.push(Write {
                    record,
                    field: field.into(),
                    stamp: stamp.clone(),
                    value,
                    seen: seen.clone(),
                });
            }
        }
        office.docs.insert(new.id.clone(), new);
    }

    fn send(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        let src = &self.offices[from];
        let mut records: Vec<(SyncKind, Doc)> = src.docs.values().map(|d| (SyncKind::Person, d.clone())).collect();
        records.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let conflicts: Vec<Conflict> = src.log.values().cloned().collect();
        let text = format::write(
            &Source {
                utc_offset_min: None, device: &src.state.device, office: "乡镇", exported_ms: 5, complete: true, lock: false
            },
            &records,
            &conflicts,
        );
        let dst = &mut self.offices[to];
        let parsed = format::parse(&text, &dst.state.device).expect("a written file parses");
        let known: HashSet<String> = dst.log.keys().cloned().collect();
        let local: HashMap<RecordId, (SyncKind, Doc)> =
            dst.docs.iter().map(|(id, d)| (id.clone(), (SyncKind::Person, d.clone()))).collect();
        let here = Stamp { hlc: dst.state.clock.next(self.now[to], None), device: dst.state.device.clone() };
        let p = plan(&local, &known, &parsed, self.now[to], self.accept.then_some(&here))
            .expect("offices' own records merge");
        self.last_conflicts = p.total().conflicts;
        for (_, w) in p.written(&parsed) {
            let d = w.doc().expect("a written record reads").into_owned();
            dst.docs.insert(d.id.clone(), d);
        }
        for c in p.conflicts {
            dst.log.insert(c.key.clone(), c);
        }
        if let Some(newest) = p.newest {
            dst.state.clock = dst.state.clock.max(newest);
        }
    }

    fn run(&mut self, op: &Op) {
        match *op {
            Op::Create { office, n } => {
                let body = json!({"name": format!("名{n}"), "gender": "male", "category": "tuixiu", "township": "城关镇", "phone": "0"});
                let id = RecordId::from_random([
                    n,
                    office as u8,
                    self.writes.len() as u8,
                    7,
                    1,
                    2,
                    3,
                    4,
                    5,
                    6,
                    7,
                    8,
                    9,
                    10,
                    11,
                    12,
                ]);
                if self.offices[office].docs.contains_key(&id) {
                    return;
                }
                let d = Record::create(id, body, Hlc::ZERO, self.offices[office].state.device.clone());
                self.write(office, None, d);
            }
            Op::Edit { office, record, field, value } => {
                let Some(id) = self.ids(office).get(record).cloned() else { return };
                let old = self.offices[office].docs[&id].clone();
                let mut new = old.clone();
                if let Some(m) = new.body.as_object_mut() {
                    if value == 0 && field > 0 {
                        m.remove(FIELDS[field]);
                    } else {
                        m.insert(FIELDS[field].into(), json!(format!("{}{value}", FIELDS[field])));
                    }
                }
                self.write(office, Some(old), new);
            }
            Op::Delete { office, record, deleted } => {
                let Some(id) = self.ids(office).get(record).cloned() else { return };
                let old = self.offices[office].docs[&id].clone();
                let mut new = old.clone();
                new.deleted = deleted;
                self.write(office, Some(old), new);
            }
            Op::Send { from, to } => self.send(from, to),
            // Clocks jump about: forward a little, or back (a phone with a wrong date).
            Op::Tick { office, back } => {
                self.now[office] = if back { self.now[office].saturating_sub(500) } else { self.now[office] + 7 }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn offices_converge_and_no_concurrent_edit_is_lost_silently(
        ops in proptest::collection::vec(op(), 1..60),
        order in Just([(0usize, 1usize), (1, 2), (2, 0), (0, 2), (2, 1), (1, 0)]).prop_shuffle(),
    ) {
        let mut w = World::new();
        for op in &ops {
            w.run(op);
        }
        // Exchange files in a random order, twice round, then once more to repeat imports.
        for _ in 0..3 {
            for &(a, b) in &order {
                w.send(a, b);
            }
        }
        let state = |o: &Office| {
            let mut v: Vec<String> = o.docs.values().map(|d| serde_json::to_string(d).unwrap()).collect();
            v.sort();
            (v, o.log.keys().cloned().collect::<Vec<_>>())
        };
        let first = state(&w.offices[0]);
        prop_assert_eq!(&first, &state(&w.offices[1]));
        prop_assert_eq!(&first, &state(&w.offices[2]));

        let log = &w.offices[0].log;
        let docs = &w.offices[0].docs;
        for lost in &w.writes {
            let d = &docs[&lost.record];
            if merge::stamp_of(d, &lost.field) == lost.stamp {
                continue; // it is the final value
            }
            let knowingly = w.writes.iter().any(|o| {
                o.record == lost.record && o.field == lost.field && o.stamp > lost.stamp
                    && o.seen.get(&lost.stamp.device).is_some_and(|h| *h >= lost.stamp.hlc)
            });
            let logged = log.values().any(|c| c.record == lost.record && c.field == lost.field && c.stamp == lost.stamp);
            let final_value = if lost.field == merge::DELETED { Value::Bool(d.deleted) } else { d.body.get(&lost.field).cloned().unwrap_or(Value::Null) };
            prop_assert!(knowingly || logged || final_value == lost.value,
                "write {} {} {:?} overwritten concurrently but not logged", lost.field, lost.stamp, lost.value);
        }
    }

    #[test]
    fn reimporting_a_file_changes_nothing(ops in proptest::collection::vec(op(), 1..40)) {
        let mut w = World::new();
        for op in &ops {
            w.run(op);
        }
        w.send(0, 1);
        let before: Vec<String> = { let mut v: Vec<String> = w.offices[1].docs.values().map(|d| serde_json::to_string(d).unwrap()).collect(); v.sort(); v };
        w.send(0, 1);
        let after: Vec<String> = { let mut v: Vec<String> = w.offices[1].docs.values().map(|d| serde_json::to_string(d).unwrap()).collect(); v.sort(); v };
        prop_assert_eq!(before, after);
    }
}

/// What can happen to offices whose phones have wrong dates.
#[derive(Clone, Debug)]
enum ClockOp {
    Plain(Op),
    /// A phone's date jumps ten years ahead, or is put right again.
    Jump {
        office: usize,
        ahead: bool,
    },
    /// A file sent, its future records held back or (confirmed) taken as the receiver's own.
    Send {
        from: usize,
        to: usize,
        accept: bool,
    },
}

fn clock_op() -> impl Strategy<Value = ClockOp> {
    prop_oneof![
        4 => op().prop_map(ClockOp::Plain),
        1 => (0..3usize, any::<bool>()).prop_map(|(office, ahead)| ClockOp::Jump { office, ahead }),
        2 => (0..3usize, 0..3usize, any::<bool>()).prop_map(|(from, to, accept)| ClockOp::Send { from, to, accept }),
    ]
}

const TEN_YEARS: u64 = 10 * 365 * 86_400_000;

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// However files from phones with wrong dates travel, and whether or not their future
    /// records are accepted, no office's later edit is stamped more than the bound ahead of the
    /// latest time its own wall clock has shown; and offices that then exchange with future
    /// records accepted still agree on every value.
    #[test]
    fn no_file_carries_a_clock_past_the_bound(ops in proptest::collection::vec(clock_op(), 1..60)) {
        let mut w = World::new();
        let mut wall_max = w.now.clone();
        for op in &ops {
            match op {
                ClockOp::Plain(op) => w.run(op),
                ClockOp::Jump { office, ahead } => {
                    let now = &mut w.now[*office];
                    *now = if *ahead { *now + TEN_YEARS } else { now.saturating_sub(TEN_YEARS).max(1_000) };
                }
                ClockOp::Send { from, to, accept } => {
                    w.accept = *accept;
                    w.send(*from, *to);
                    w.accept = true;
                }
            }
            for (o, max) in wall_max.iter_mut().enumerate() {
                *max = (*max).max(w.now[o]);
            }
        }
        // Every office edits every record it has: each edit's stamp keeps within the bound.
        for o in 0..3 {
            for record in 0..w.ids(o).len() {
                // A value no generated edit writes, so this is always a change (and a write).
                w.run(&Op::Edit { office: o, record, field: 2, value: 9 });
                let stamp = &w.writes.last().expect("an edit was made").stamp;
                prop_assert!(stamp.hlc.ms <= wall_max[o] + super::FUTURE_LIMIT_MS,
                    "office {o}: edit stamped {} with its wall clock at most {}", stamp.hlc, wall_max[o]);
            }
        }
        for _ in 0..3 {
            for (a, b) in [(0, 1), (1, 2), (2, 0), (0, 2), (2, 1), (1, 0)] {
                w.send(a, b);
            }
        }
        let values = |o: &Office| {
            let mut v: Vec<String> = o.docs.values().map(|d| format!("{} {} {}", d.id, d.deleted, d.body)).collect();
            v.sort();
            v
        };
        let first = values(&w.offices[0]);
        prop_assert_eq!(&first, &values(&w.offices[1]));
        prop_assert_eq!(&first, &values(&w.offices[2]));
    }
}

#[test]
fn the_home_page_urges_an_export_after_a_week_with_changes() {
    use super::{unexported, Counters};
    let day = 86_400_000;
    let at = |changes, seq| Counters { changes, seq };
    assert!(!unexported(None, at(0, 0), 0).urgent, "nothing entered yet");
    assert!(unexported(None, at(3, 3), 0).urgent, "never exported");
    assert!(!unexported(Some((Some(3), 3, 0)), at(5, 5), 6 * day).urgent);
    let u = unexported(Some((Some(3), 3, 0)), at(5, 5), 7 * day);
    assert_eq!((u.changes, u.imported, u.days, u.urgent), (2, 0, Some(7), true));
    assert!(!unexported(Some((Some(5), 5, 0)), at(5, 5), 30 * day).urgent, "nothing new since");
    // A county office imports a township's 14,000 records: none of them is its own change.
    let u = unexported(None, at(0, 14_000), 0);
    assert_eq!((u.changes, u.imported, u.urgent), (0, 14_000, false));
    let u = unexported(Some((Some(10), 100, 0)), at(12, 5_102), 8 * day);
    assert_eq!((u.changes, u.imported, u.urgent), (2, 5_000, true));
    // An export recorded before own changes were counted apart: every write counts, as before.
    assert_eq!(unexported(Some((None, 3, 0)), at(9, 5), 0).changes, 2);
}

/// A sets a phone, B then sets another; A's file reaches B (B is told of the conflict), then
/// B's file reaches A: A, whose own number just lost, is told too, not "冲突 0".
#[test]
fn the_office_whose_edit_lost_is_told_so() {
    let mut w = World::new();
    w.run(&Op::Create { office: 0, n: 1 });
    w.run(&Op::Send { from: 0, to: 1 });
    w.run(&Op::Edit { office: 0, record: 0, field: 1, value: 1 });
    w.run(&Op::Tick { office: 1, back: false });
    w.run(&Op::Edit { office: 1, record: 0, field: 1, value: 2 });
    w.run(&Op::Send { from: 0, to: 1 });
    assert_eq!(w.last_conflicts, 1, "B sees A's number give way");
    w.run(&Op::Send { from: 1, to: 0 });
    assert_eq!(w.last_conflicts, 1, "A is told its own number gave way");
    w.run(&Op::Send { from: 1, to: 0 });
    assert_eq!(w.last_conflicts, 0, "and only once");
}
