//! The quick reading of a file's record lines (no JSON tree) held to the old one: it takes no
//! line the old one refuses, and a line it writes as it is gives the very text the old one
//! stored; files Sangyu writes come back line for line.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::domain::{DeviceId, Hlc, Record, RecordId, Stamp};
use crate::sync::format::{self, probe, Source};
use crate::sync::merge;
use crate::sync::SyncKind;

/// A value a field may hold in a file, fair or foul.
fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => "[a-z王建国城关镇 ]{0,10}".prop_map(Value::from),
        1 => Just(json!("")),
        1 => Just(json!("   ")),
        1 => Just(Value::Null),
        1 => Just(json!("王\u{0}国")),
        1 => Just(json!("王\u{202e}国")),
        1 => Just(Value::from("长".repeat(20_001))),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(json!(1.5)),
        1 => Just(json!(["城关镇", "东关村"])),
        1 => Just(json!({"b": 1, "a": 2})),
        1 => Just(json!(true)),
    ]
}

/// A person's body as a list of fields (in the order the line spells them): a fair one with
/// some fields replaced or added.
fn person_fields() -> impl Strategy<Value = Vec<(String, Value)>> {
    let fair = vec![
        ("category".to_owned(), json!("lixiu")),
        ("gender".to_owned(), json!("female")),
        ("name".to_owned(), json!("李秀英")),
        ("phone".to_owned(), json!("13800000000")),
        ("township".to_owned(), json!("城关镇")),
    ];
    let names = prop_oneof![
        Just("name"),
        Just("gender"),
        Just("category"),
        Just("phone"),
        Just("notes"),
        Just("township"),
        Just("birth_date"),
        Just("zz_unknown"),
    ];
    (proptest::collection::vec((names, value()), 0..3), any::<bool>(), Just(fair).prop_shuffle()).prop_map(
        |(changes, sorted, mut fields)| {
            for (name, v) in changes {
                match fields.iter_mut().find(|(n, _)| n == name) {
                    Some(f) => f.1 = v,
                    None => fields.push((name.to_owned(), v)),
                }
            }
            if sorted {
                fields.sort_by(|a, b| a.0.cmp(&b.0));
            }
            fields
        },
    )
}

/// A person's line spelled out by hand: the envelope as Sangyu writes it, or with `deleted`
/// left out, a clock, or `created` after `updated`.
fn line(fields: &[(String, Value)], deleted: Option<bool>, clock: bool, backwards: bool, seq: Option<&str>) -> String {
    let body: Vec<String> =
        fields.iter().map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), serde_json::to_string(v).unwrap())).collect();
    let created = if backwards { "1864000000000-000000" } else { "1764000000000-000000" };
    let mut out = format!(
        "{{\"kind\":\"person\",\"id\":\"02020202-0202-4202-8202-020202020202\",\"created\":\"{created}\",\"updated\":\"1764000000000-000001\",\"device\":\"01010101-0101-4101-8101-010101010101\""
    );
    if let Some(d) = deleted {
        out.push_str(&format!(",\"deleted\":{d}"));
    }
    if clock {
        out.push_str(",\"clock\":{\"fields\":{\"phone\":\"1764000000000-000000@01010101-0101-4101-8101-010101010101\"}}");
    }
    if let Some(seq) = seq {
        out.push_str(&format!(",\"seq\":{seq}"));
    }
    out.push_str(&format!(",\"body\":{{{}}}}}", body.join(",")));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_quick_reading_takes_only_what_the_old_one_takes(
        fields in person_fields(),
        deleted in proptest::option::of(any::<bool>()),
        clock in proptest::bool::weighted(0.2),
        backwards in proptest::bool::weighted(0.1),
        seq in proptest::option::weighted(0.1, prop_oneof![Just("5"), Just("\"x\""), Just("-1")]),
    ) {
        let raw = line(&fields, deleted, clock, backwards, seq);
        let old = probe::old(&raw);
        match probe::quick(&raw) {
            None => {}
            Some(as_is) => {
                prop_assert!(old.is_ok(), "quick took what the old reading refused: {raw}\n{old:?}");
                if let Some(text) = as_is {
                    prop_assert_eq!(text, old.unwrap(), "stored as is, yet not as the old reading stored it");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// parse → write gives back every line of a file Sangyu wrote, whatever its records hold
    /// (texts with quotes, escapes and any script; deletes; stamps per field), and each line
    /// without stamps per field is written to the store as the file spells it.
    #[test]
    fn parse_then_write_gives_back_the_same_lines(
        people in proptest::collection::vec(
            // A name a form would keep: not blank.
            ("[a-z王建国李秀英]\\PC{0,11}", "[\"\\\\\n\t a-z王]{0,20}", any::<bool>(), proptest::bool::weighted(0.3)),
            1..30,
        ),
    ) {
        let office = DeviceId::from_random([1; 16]);
        let mut records = Vec::new();
        for (i, (name, notes, deleted, edited)) in people.into_iter().enumerate() {
            let body = json!({"name": name, "gender": "male", "category": "lixiu", "township": "城关镇", "notes": notes});
            let mut d = Record::create(RecordId::from_random([i as u8; 16]), body, Hlc { ms: 1_764_000_000_000, count: i as u32 }, office.clone());
            merge::canonical(&mut d);
            d.deleted = deleted;
            if edited {
                let old = d.clone();
                d.body["phone"] = json!("13800000000");
                merge::restamp(Some(&old), &mut d, Stamp { hlc: Hlc { ms: 1_764_000_000_001, count: 0 }, device: DeviceId::from_random([2; 16]) });
            }
            records.push((SyncKind::Person, d));
        }
        let src = Source { utc_offset_min: None, device: &office, office: "城关镇", exported_ms: 1_764_000_000_000, complete: true, lock: false };
        let text = format::write(&src, &records, &[]);
        let parsed = format::parse(&text, &DeviceId::from_random([0xaa; 16])).unwrap();
        prop_assert_eq!(format::write(&src, &parsed.records(), &[]), text);
        for (i, (_, d)) in records.iter().enumerate() {
            prop_assert_eq!(parsed.stored_as_is(i), d.clock.is_empty());
        }
    }
}

/// Sangyu's own files: every record line is written as it is, and parse → write gives the
/// same file back.
#[test]
fn own_files_come_back_line_for_line() {
    let office = DeviceId::from_random([1; 16]);
    let mut records = Vec::new();
    for i in 0..50u8 {
        let body = json!({
            "name": format!("王{i}"), "gender": if i % 2 == 0 { "male" } else { "female" },
            "category": "lixiu", "township": "城关镇", "phone": "", "notes": "说明\n第二行 \"引号\" \\ 斜杠",
        });
        let mut d = Record::create(RecordId::from_random([i; 16]), body, Hlc { ms: 1_764_000_000_000, count: i as u32 }, office.clone());
        let hlc = d.updated;
        merge::restamp(None, &mut d, Stamp { hlc, device: office.clone() });
        merge::canonical(&mut d);
        d.deleted = i % 7 == 0;
        records.push((SyncKind::Person, d));
    }
    let src = Source { utc_offset_min: Some(480), device: &office, office: "城关镇", exported_ms: 1_764_000_000_000, complete: true, lock: false };
    let text = format::write(&src, &records, &[]);
    let me = DeviceId::from_random([0xaa; 16]);
    let parsed = format::parse(&text, &me).unwrap();
    assert!((0..parsed.len()).all(|i| parsed.stored_as_is(i)), "each line is the stored record");
    for (i, (_, d)) in records.iter().enumerate() {
        let mut stored = d.clone();
        stored.body.as_object_mut().unwrap().retain(|_, v| !v.is_null());
        assert_eq!(parsed.stored_text(i).unwrap(), serde_json::to_string(&stored).unwrap());
    }
    assert_eq!(format::write(&src, &parsed.records(), &[]), text);
}

/// Where parsing a large file's time goes (`SANGYU_FILE=… cargo test --release -- --ignored
/// --nocapture parse_timing`): not a test, a probe for the benchmark's numbers.
#[test]
#[ignore]
fn parse_timing() {
    let Ok(path) = std::env::var("SANGYU_FILE") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let lines = &lines[..lines.len() - 1];
    let time = |what: &str, f: &dyn Fn()| {
        let t = std::time::Instant::now();
        f();
        println!("{what}: {:?}", t.elapsed());
    };
    time("parse whole", &|| {
        format::parse(text.clone(), &DeviceId::from_random([0xaa; 16])).unwrap();
    });
    time("quick per line", &|| {
        for l in lines {
            probe::quick(l).unwrap();
        }
    });
    for (step, what) in [(0u8, "head"), (1, "head + walk"), (2, "head + typed")] {
        time(what, &|| {
            for l in lines {
                assert!(probe::step(l, step));
            }
        });
    }
    time("serde Value per line", &|| {
        for l in lines {
            serde_json::from_str::<Value>(l).unwrap();
        }
    });
    time("IgnoredAny per line", &|| {
        for l in lines {
            serde_json::from_str::<serde::de::IgnoredAny>(l).unwrap();
        }
    });
    let parsed = format::parse(text.clone(), &DeviceId::from_random([0xaa; 16])).unwrap();
    let plan = crate::sync::plan(&Default::default(), &Default::default(), &parsed, 1_764_000_000_000, None).unwrap();
    time("typed bodies", &|| {
        for i in 0..parsed.len() {
            let b = parsed.body_text(i).unwrap();
            match parsed.kind(i).unwrap() {
                SyncKind::Person => drop(serde_json::from_str::<crate::domain::Person>(b).unwrap()),
                SyncKind::Activity => drop(serde_json::from_str::<crate::domain::Activity>(b).unwrap()),
                _ => drop(serde_json::from_str::<crate::domain::Benefit>(b).unwrap()),
            }
        }
    });
    let today: crate::domain::Date = "2026-12-03".parse().unwrap();
    time("concerns only", &|| {
        for (k, w) in plan.written(&parsed) {
            crate::sync::review::probe_concerns(k, w.body().unwrap(), today);
        }
    });
    time("relist", &|| {
        crate::sync::review::relist(&[], &Default::default(), plan.written(&parsed), "2026-12-03".parse().unwrap());
    });
}
