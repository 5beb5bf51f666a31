//! Single files: the format's stable bytes, the corpus of bad and hostile files, the rules a
//! record keeps, and what a plan says about one file. New file and rule tests go here.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use crate::domain::{DeviceId, Hlc, Record, RecordId, Stamp};
use crate::sync::format::{self, Source};
use crate::sync::merge::{self, Doc};
use crate::sync::{plan, SyncKind};

fn me() -> DeviceId {
    DeviceId::from_random([0xaa; 16])
}

/// What a township office says of itself in its files (the tests' usual exporter).
fn township(office: &DeviceId) -> Source<'_> {
    Source { utc_offset_min: None, device: office, office: "城关镇", exported_ms: 1_764_000_000_000, complete: true, lock: false }
}

fn sample_file() -> String {
    let office = DeviceId::from_random([1; 16]);
    let person = json!({"name": "王建国", "gender": "male", "category": "lixiu", "township": "城关镇"});
    let mut d =
        Record::create(RecordId::from_random([2; 16]), person, Hlc { ms: 1_764_000_000_000, count: 0 }, office.clone());
    let hlc = d.updated;
    merge::restamp(None, &mut d, Stamp { hlc, device: office.clone() });
    format::write(&township(&office), &[(SyncKind::Person, d)], &[])
}

#[test]
fn format_round_trips_and_is_stable() {
    let text = sample_file();
    expect_test::expect![[r#"
        {"format":"sangyu-export","version":1,"schema":2,"device":"01010101-0101-4101-8101-010101010101","office":"城关镇","exported":"2025-11-24T16:00:00Z","exported_ms":1764000000000,"complete":true,"records":1,"crc32":"511d25b5"}
        {"kind":"person","id":"02020202-0202-4202-8202-020202020202","created":"1764000000000-000000","updated":"1764000000000-000000","device":"01010101-0101-4101-8101-010101010101","deleted":false,"body":{"category":"lixiu","gender":"male","name":"王建国","township":"城关镇"}}
        {"end":"sangyu-export","records":1,"crc32":"511d25b5"}
    "#]]
    .assert_eq(&text);
    let parsed = format::parse(&text, &me()).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed.header.unwrap().office, "城关镇");
}

/// Each bad file is refused with its own message; the caller then writes nothing.
#[test]
fn bad_files_are_refused_with_a_message() {
    let good = sample_file();
    let lines: Vec<&str> = good.lines().collect();
    let swap = |i: usize, with: &str| {
        let mut l = lines.clone();
        l[i] = with;
        l.join("\n")
    };
    let record = lines[1].to_owned();
    let rewrite = |edits: &[(&str, &str)]| {
        // Re-sum so only the record check can fail.
        let new = edits.iter().fold(record.clone(), |r, (from, to)| r.replace(from, to));
        let crc = format!("{:08x}", format::crc32(format!("{new}\n").as_bytes(), 0));
        let old_crc = format!("{:08x}", format::crc32(format!("{record}\n").as_bytes(), 0));
        [lines[0], &new, lines[2]].join("\n").replace(&old_crc, &crc)
    };
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("not json", "姓名,性别\n王建国,男".into()),
        ("other format", "{\"format\":\"other\"}".into()),
        ("newer version", swap(0, &lines[0].replace("\"version\":1", "\"version\":2"))),
        ("newer schema", swap(0, &lines[0].replace("\"schema\":2", "\"schema\":9"))),
        ("truncated", lines[..2].join("\n")),
        ("cut mid-line", good[..good.len() - 30].to_owned()),
        ("checksum", swap(1, &record.replace("王建国", "王建军"))),
        ("saved as GBK", swap(1, &record.replace("王建国", "\u{fffd}\u{fffd}\u{fffd}"))),
        ("trailer disagrees", swap(2, &lines[2].replace("\"records\":1", "\"records\":2"))),
        ("bad date", rewrite(&[("\"created\":\"1764000000000-000000\"", "\"created\":\"2025-13-01\"")])),
        ("unknown kind", rewrite(&[("\"kind\":\"person\"", "\"kind\":\"pet\"")])),
        ("unknown category", rewrite(&[("lixiu", "emperor")])),
        ("impossible birth date", rewrite(&[("\"name\"", "\"birth_date\":\"1950-02-30\",\"name\"")])),
        ("negative money", rewrite(&[(
            "\"kind\":\"person\"",
            "\"kind\":\"benefit\"",
        ), ("\"category\":\"lixiu\",\"gender\":\"male\",\"name\":\"王建国\",\"township\":\"城关镇\"", "\"kind\":\"holiday_visit\",\"person\":\"02020202-0202-4202-8202-020202020202\",\"date\":\"2026-01-20\",\"amount\":-100")])),
        ("missing id", rewrite(&[("\"id\":\"02020202-0202-4202-8202-020202020202\",", "")])),
        ("money over the form's limit", rewrite(&[(
            "\"kind\":\"person\"",
            "\"kind\":\"benefit\"",
        ), ("\"category\":\"lixiu\",\"gender\":\"male\",\"name\":\"王建国\",\"township\":\"城关镇\"", "\"kind\":\"holiday_visit\",\"person\":\"02020202-0202-4202-8202-020202020202\",\"date\":\"2026-01-20\",\"amount\":99999999999999")])),
        ("audience over the form's limit", rewrite(&[(
            "\"kind\":\"person\"",
            "\"kind\":\"activity\"",
        ), ("\"category\":\"lixiu\",\"gender\":\"male\",\"name\":\"王建国\",\"township\":\"城关镇\"", "\"kind\":\"lecture\",\"theme\":\"宣讲\",\"date\":\"2026-01-20\",\"township\":\"城关镇\",\"sessions\":1,\"audience\":4294967295")])),
        ("volunteer hours over the limit", rewrite(&[(
            "\"kind\":\"person\"",
            "\"kind\":\"activity\"",
        ), ("\"category\":\"lixiu\",\"gender\":\"male\",\"name\":\"王建国\",\"township\":\"城关镇\"", "\"kind\":\"lecture\",\"theme\":\"宣讲\",\"date\":\"2026-01-20\",\"township\":\"城关镇\",\"sessions\":1,\"participants\":[{\"person\":\"02020202-0202-4202-8202-020202020202\",\"tenth_hours\":4294967295}]")])),
        ("NUL in a name", rewrite(&[("王建国", "王\\u0000国")])),
        ("right-to-left override", rewrite(&[("王建国", "王\\u202e国")])),
        ("created after updated", rewrite(&[("\"created\":\"1764000000000-000000\"", "\"created\":\"1864000000000-000000\"")])),
        ("a name of 30,000 characters", rewrite(&[("王建国", &"王".repeat(30_000))])),
        ("a line of 2 MB", rewrite(&[("王建国", &"王".repeat(700_000))])),
    ];
    let mut out = String::new();
    for (name, text) in &cases {
        // The quick reading of record lines takes none the old reading refuses.
        for l in text.lines().filter(|l| format::probe::old(l).is_err()) {
            assert!(format::probe::quick(l).is_none(), "{name}: the quick reading took {l}");
        }
        let err = format::parse(text, &me()).expect_err(name);
        out.push_str(&format!("{name}: {err}\n"));
    }
    let own = format::parse(&good, &DeviceId::from_random([1; 16])).unwrap_err();
    out.push_str(&format!("own export: {own}\n"));
    let dup = {
        let l = [lines[0], &record, &record, lines[2]].join("\n");
        let crc = format!("{:08x}", format::crc32(format!("{record}\n{record}\n").as_bytes(), 0));
        let old = format!("{:08x}", format::crc32(format!("{record}\n").as_bytes(), 0));
        l.replace(&old, &crc).replace("\"records\":1", "\"records\":2")
    };
    out.push_str(&format!("duplicate: {}\n", format::parse(&dup, &me()).unwrap_err()));
    expect_test::expect![[r#"
        empty: 文件是空的
        not json: 这不是桑榆导出的文件（第 1 行不是 JSON）
        other format: 这不是桑榆导出的文件（格式：other）
        newer version: 文件格式版本 2 比本程序新，请先更新桑榆再导入
        newer schema: 文件的数据版本 9 比本程序新，请先更新桑榆再导入
        truncated: 文件不完整（缺少结尾），可能在传送中被截断，请让对方重新发送
        cut mid-line: 文件不完整（缺少结尾），可能在传送中被截断，请让对方重新发送
        checksum: 文件校验失败：内容已损坏或被改动，请让对方重新发送
        saved as GBK: 文件不是 UTF-8 编码（可能被其他软件打开后另存成了 GBK 等编码）：请让对方直接发送桑榆导出的原文件，不要打开后另存
        trailer disagrees: 文件开头说有 1 条记录，结尾说有 2 条，前后不一致：文件可能被改动过，请让对方重新发送
        bad date: 第 2 行：字段 created：时间戳格式错误：2025-13-01
        unknown kind: 第 2 行：未知的记录类型 "pet"
        unknown category: 第 2 行：人员 02020202：字段 category：未知的取值 emperor
        impossible birth date: 第 2 行：人员 02020202：字段 birth_date：日期不存在
        negative money: 第 2 行：待遇发放 02020202：字段 amount：金额不能为负数
        missing id: 第 2 行：缺少字段 id
        money over the form's limit: 第 2 行：待遇发放 02020202：字段 amount：金额过大
        audience over the form's limit: 第 2 行：活动 02020202：字段 audience：数字过大（最多 10000000）
        volunteer hours over the limit: 第 2 行：活动 02020202：字段 participants：服务时长过长（最多 1000 小时）
        NUL in a name: 第 2 行：人员 02020202：字段 name：含有不可见的控制字符
        right-to-left override: 第 2 行：人员 02020202：字段 name：含有不可见的控制字符
        created after updated: 第 2 行：人员 02020202：字段 created：创建时间晚于修改时间
        a name of 30,000 characters: 第 2 行：人员 02020202：字段 name：内容过长（30000 字，最多 20000 字）
        a line of 2 MB: 第 2 行：这一行有 2051 KB，远超任何有效记录，文件可能被改动过
        own export: 这是本机自己导出的文件，不需要导入
        duplicate: 第 3 行：记录编号 02020202-0202-4202-8202-020202020202 与第 2 行重复
    "#]]
    .assert_eq(&out);
    assert!(format::parse(good.replace('\n', "\r\n"), &me()).is_ok(), "CRLF line ends are fine");
}

/// A photo's JPEG travels after its record and is checked against the record's size and CRC.
#[test]
fn photos_travel_with_their_record_and_are_checked() {
    let office = DeviceId::from_random([1; 16]);
    let jpeg: Vec<u8> = (0..5_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let photo_id = RecordId::from_random([3; 16]);
    let body = json!({
        "activity": RecordId::from_random([4; 16]).to_string(),
        "width": 1280, "height": 960,
        "bytes": jpeg.len(),
        "crc32": format!("{:08x}", format::crc32(&jpeg, 0)),
        "caption": "",
    });
    let d = Record::create(photo_id.clone(), body, Hlc { ms: 1_764_000_000_000, count: 0 }, office.clone());
    let src = township(&office);
    let text =
        format::write_with_jpegs(&src, &[(SyncKind::Photo, d.clone())], &[], &[(photo_id.clone(), jpeg.clone())]);
    let parsed = format::parse(&text, &me()).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed.jpegs, vec![(photo_id.clone(), jpeg.clone())]);

    // Rewrites the JPEG line (and the checksums, so only the photo check can object).
    let tamper = |data: &[u8], photo: &RecordId| {
        let lines: Vec<&str> = text.lines().collect();
        let line =
            json!({"kind": "jpeg", "photo": photo.to_string(), "data": crate::sync::sealed::base64(data)}).to_string();
        let body = format!("{}\n{line}\n", lines[1]);
        let crc = format!("{:08x}", format::crc32(body.as_bytes(), 0));
        let old = format!("{:08x}", format::crc32(format!("{}\n{}\n", lines[1], lines[2]).as_bytes(), 0));
        [lines[0], lines[1], &line, lines[3]].join("\n").replace(&old, &crc)
    };
    let mut flipped = jpeg.clone();
    flipped[100] ^= 1;
    let mut out = String::new();
    for (name, file) in [
        ("flipped byte", tamper(&flipped, &photo_id)),
        ("cut short", tamper(&jpeg[..4_000], &photo_id)),
        ("no record", tamper(&jpeg, &RecordId::from_random([5; 16]))),
    ] {
        out.push_str(&format!("{name}: {}\n", format::parse(&file, &me()).unwrap_err()));
    }
    expect_test::expect![[r#"
        flipped byte: 第 3 行：照片 03030303：校验失败，照片数据已损坏
        cut short: 第 3 行：照片 03030303：大小不符（记录为 5000 字节，数据为 4000 字节），可能已损坏
        no record: 第 3 行：照片 05050505：文件中没有这张照片的记录（照片数据须在其记录之后）
    "#]]
    .assert_eq(&out);

    // Without the JPEG (an export that left photos out), the record alone is fine.
    let bare = format::write(&src, &[(SyncKind::Photo, d)], &[]);
    assert!(format::parse(&bare, &me()).unwrap().jpegs.is_empty());
}

/// A record from a file whose id is already another kind's here is refused, naming the line;
/// so is one whose merge with the local copy would break its kind's rules.
#[test]
fn a_file_cannot_turn_one_kind_of_record_into_another() {
    let text = sample_file();
    let parsed = format::parse(&text, &me()).unwrap();
    let (_, person) = &parsed.records()[0];
    let org = Record::create(
        person.id.clone(),
        json!({"kind": "branch", "name": "城关镇离退休干部党支部"}),
        Hlc { ms: 1_700_000_000_000, count: 0 },
        me(),
    );
    let local: HashMap<RecordId, (SyncKind, Doc)> = [(org.id.clone(), (SyncKind::Org, org))].into_iter().collect();
    let err = plan(&local, &HashSet::new(), &parsed, 1_764_000_000_000, None).unwrap_err();
    expect_test::expect!["第 2 行：人员 02020202：本机已有同一编号的组织，文件可能被改动过；没有导入任何内容"]
        .assert_eq(&err.to_string());

    // Same kind: the local copy has a bad value (written by an older version, say) whose
    // stamp is newer than the file's, and an older name the file updates. Each side alone
    // reads; their merge keeps the bad value, so it is checked before it is kept.
    let other = DeviceId::from_random([7; 16]);
    let old = Hlc { ms: 1_700_000_000_000, count: 0 };
    let newer = Hlc { ms: 1_800_000_000_000, count: 0 };
    let mut broken = person.clone();
    broken.body = json!({"name": "王建军", "gender": "robot", "category": "lixiu", "township": "城关镇"});
    broken.created = old;
    broken.updated = newer;
    broken.device = other.clone();
    broken.clock = Default::default();
    broken.clock.base = Some(Stamp { hlc: old, device: other.clone() });
    broken.clock.fields.insert("gender".into(), Stamp { hlc: newer, device: other });
    let local: HashMap<RecordId, (SyncKind, Doc)> =
        [(broken.id.clone(), (SyncKind::Person, broken))].into_iter().collect();
    let err = plan(&local, &HashSet::new(), &parsed, 1_764_000_000_000, None).unwrap_err();
    assert!(err.to_string().contains("与本机记录合并后无效"), "{err}");
}

/// A future stamp anywhere in a record holds it back, and nothing a file brings, even when
/// the user accepts it, moves this device's clock past its own time and the bound.
#[test]
fn a_future_stamp_hidden_in_a_field_clock_is_held_and_never_moves_the_clock() {
    let now = 1_764_000_000_000;
    let ten_years = 10 * 365 * 86_400_000;
    let text = sample_file();
    let future = format!("{}-000000", now + ten_years);
    // A phone number "edited" ten years from now, while the record itself looks current.
    let line = text.lines().nth(1).unwrap();
    let mut doc: Doc = serde_json::from_str(line).unwrap();
    doc.clock
        .fields
        .insert("phone".into(), Stamp { hlc: future.parse().unwrap(), device: DeviceId::from_random([7; 16]) });
    let office = DeviceId::from_random([1; 16]);
    let src = Source { utc_offset_min: None, device: &office, office: "城关镇", exported_ms: now, complete: true, lock: false };
    let parsed = format::parse(format::write(&src, &[(SyncKind::Person, doc)], &[]), &me()).unwrap();
    assert_eq!(crate::sync::latest_stamp(&parsed.records()[0].1).ms, now + ten_years);

    let held = plan(&HashMap::new(), &HashSet::new(), &parsed, now, None).unwrap();
    assert_eq!((held.total().held, held.writes.len(), held.newest), (1, 0, None));

    // Accepted: the record becomes this office's edit at its own time, no future stamp left.
    let here = Stamp { hlc: Hlc { ms: now, count: 3 }, device: me() };
    let accepted = plan(&HashMap::new(), &HashSet::new(), &parsed, now, Some(&here)).unwrap();
    assert_eq!(accepted.writes.len(), 1);
    let (_, written) = accepted.written(&parsed).next().unwrap();
    let written = written.doc().unwrap();
    assert_eq!(crate::sync::latest_stamp(&written), here.hlc);
    assert_eq!((written.device.clone(), written.clock.is_empty()), (me(), true));
    assert_eq!(written.body, parsed.records()[0].1.body, "the values are the file's");
    assert_eq!(accepted.newest, Some(here.hlc));
}

/// Every field a record of each kind stores has a Chinese name for the conflict log.
#[test]
fn every_stored_field_has_a_chinese_label() {
    use crate::domain::station::{Duty, Room};
    use crate::domain::{Activity, Benefit, Feedback, MediationCase, Org, Person, Photo, Place};
    fn keys<T: serde::de::DeserializeOwned + serde::Serialize>(body: Value) -> Vec<String> {
        let typed: T = serde_json::from_value(body).expect("a minimal body reads");
        let full = serde_json::to_value(&typed).unwrap();
        full.as_object().unwrap().keys().cloned().collect()
    }
    let id = RecordId::from_random([3; 16]).to_string();
    let cases: Vec<(SyncKind, Vec<String>)> = vec![
        (
            SyncKind::Person,
            keys::<Person>(
                json!({"name": "王", "gender": "male", "category": "lixiu", "township": "城关镇", "birth_date": "1930-01-01", "deceased_on": "2020-01-01", "spouse": id, "branch": id, "merged_into": id, "roles": ["lecturer"], "wulao": ["cadre"], "specialties": "x", "phone": "1", "id_number": "1", "health": "x", "former_unit": "x", "post": "x", "village": "x"}),
            ),
        ),
        (
            SyncKind::Org,
            keys::<Org>(
                json!({"kind": "branch", "name": "支部", "level": "county", "leader": id, "members": [id], "themes": [{"month": "2026-01", "theme": "x"}], "liaison": "x", "liaison_phone": "x", "area": "x", "product": "x", "notes": "x", "township": "x"}),
            ),
        ),
        (SyncKind::Place, keys::<Place>(json!({"township": "城关镇", "villages": ["东村"]}))),
        (
            SyncKind::Activity,
            keys::<Activity>(
                json!({"kind": "lecture", "theme": "x", "date": "2026-01-01", "township": "x", "village": "x", "venue": "community", "organiser": id, "participants": [], "sessions": 1, "audience": 1, "beneficiaries": 1, "leaflets": 1, "slogans": 1, "trainees": 1, "talents": 1, "self_employed": 1, "income_raised": 1, "notes": "x"}),
            ),
        ),
        (
            SyncKind::Benefit,
            keys::<Benefit>(
                json!({"kind": "holiday_visit", "person": id, "date": "2026-01-01", "amount": 100, "notes": "x"}),
            ),
        ),
        (
            SyncKind::Case,
            keys::<MediationCase>(
                json!({"parties": "x", "kind": "neighbours", "mediators": [id], "township": "x", "room": "x", "opened": "2026-01-01", "closed": "2026-01-02", "status": "resolved", "outcome": "x", "beneficiaries": 1}),
            ),
        ),
        (
            SyncKind::Feedback,
            keys::<Feedback>(
                json!({"content": "x", "source": "visit", "date": "2026-01-01", "status": "handled", "response": "x", "handled_by": id}),
            ),
        ),
        (SyncKind::Room, keys::<Room>(json!({"name": "x", "notes": "x"}))),
        (SyncKind::Duty, keys::<Duty>(json!({"date": "2026-01-01", "people": [id], "notes": "x"}))),
        (
            SyncKind::Photo,
            keys::<Photo>(
                json!({"activity": id, "width": 1, "height": 1, "bytes": 1, "crc32": "00000000", "caption": "x"}),
            ),
        ),
    ];
    for (kind, fields) in cases {
        for f in fields {
            assert_ne!(kind.field_label(&f), "其他内容", "{kind:?}.{f} has no label");
        }
    }
    assert_eq!(SyncKind::Activity.field_label("audience"), "服务群众人次");
    assert_eq!(SyncKind::Person.field_label(merge::DELETED), "删除状态");
}

/// A file that deletes a record here names it in the plan (the preview shows the first few).
#[test]
fn a_plan_names_what_a_file_deletes_here() {
    let text = sample_file();
    let parsed = format::parse(&text, &me()).unwrap();
    let (_, theirs) = &parsed.records()[0];
    let mut mine = theirs.clone();
    mine.deleted = false;
    let mut gone = theirs.clone();
    gone.deleted = true;
    gone.updated = Hlc { ms: theirs.updated.ms + 1, count: 0 };
    let hlc = gone.updated;
    merge::restamp(Some(theirs), &mut gone, Stamp { hlc, device: theirs.device.clone() });
    let office = theirs.device.clone();
    let src = township(&office);
    let file = format::parse(format::write(&src, &[(SyncKind::Person, gone)], &[]), &me()).unwrap();
    let local: HashMap<RecordId, (SyncKind, Doc)> = [(mine.id.clone(), (SyncKind::Person, mine))].into_iter().collect();
    let p = plan(&local, &HashSet::new(), &file, 1_764_000_000_000, None).unwrap();
    assert_eq!(p.total().deleted, 1);
    assert_eq!(p.deleted, vec![(SyncKind::Person, "王建国".to_owned())]);
}

/// A file says the lowest schema its lines need: 3 only when it holds a service centre, so an
/// office on an older Sangyu (which knows schema 2) still reads every other file.
#[test]
fn a_file_says_schema_3_only_with_a_service_centre() {
    let office = DeviceId::from_random([1; 16]);
    let org = |kind: &str| {
        let body = json!({"kind": kind, "name": "中心", "level": "county"});
        Record::create(RecordId::from_random([3; 16]), body, Hlc { ms: 1_764_000_000_000, count: 0 }, office.clone())
    };
    let schema = |kind: &str| {
        let text = format::write(&township(&office), &[(SyncKind::Org, org(kind))], &[]);
        format::parse(&text, &me()).unwrap().header.unwrap().schema
    };
    assert_eq!(schema("branch"), 2);
    assert_eq!(schema("service_centre"), format::SCHEMA);
    assert_eq!(format::SCHEMA, 3);
}

/// The exporter's time zone travels in the header when known, and old files without it read.
#[test]
fn the_exporters_time_zone_travels_in_the_header() {
    let office = DeviceId::from_random([1; 16]);
    let src =
        Source { utc_offset_min: Some(480), device: &office, office: "城关镇", exported_ms: 5, complete: true, lock: false };
    let text = format::write(&src, &[], &[]);
    assert!(text.lines().next().unwrap().ends_with(",\"utc_offset_min\":480}"), "{text}");
    assert_eq!(format::parse(&text, &me()).unwrap().header.unwrap().utc_offset_min, Some(480));
    assert_eq!(format::parse(sample_file(), &me()).unwrap().header.unwrap().utc_offset_min, None);
}

/// Form and file keep one rule book: every rule a form enforces is either refused in a file's
/// record too (naming the same field), or listed here as one a file may relax, as
/// docs/file-format.md says. A new form rule needs a row.
#[test]
fn every_form_rule_has_a_file_case() {
    use crate::domain::{ActivityForm, BenefitForm, CaseForm, FeedbackForm, OrgForm, PersonForm};
    let today = crate::domain::Date::new(2026, 12, 2).unwrap();
    let line = |body: &Value| {
        let d =
            Record::create(RecordId::from_random([5; 16]), body.clone(), Hlc { ms: 1_764_000_000_000, count: 0 }, me());
        serde_json::to_string(&d).unwrap()
    };
    let person = PersonForm {
        name: "王建国".into(),
        gender: "male".into(),
        birth_date: "1931-05-04".into(),
        category: "lixiu".into(),
        township: "城关镇".into(),
        ..PersonForm::default()
    };
    let activity = ActivityForm {
        kind: "lecture".into(),
        theme: "党史宣讲".into(),
        date: "2026-03-01".into(),
        township: "城关镇".into(),
        venue: "school".into(),
        sessions: "1".into(),
        ..ActivityForm::default()
    };
    let benefit = BenefitForm {
        kind: "holiday_visit".into(),
        person: Some(RecordId::from_random([9; 16])),
        date: "2026-03-01".into(),
        amount: "100".into(),
        ..BenefitForm::default()
    };
    let case = CaseForm {
        parties: "张某与李某".into(),
        kind: "land".into(),
        opened: "2026-03-01".into(),
        status: "open".into(),
        ..CaseForm::default()
    };
    let feedback = FeedbackForm {
        content: "路灯坏了".into(),
        date: "2026-03-01".into(),
        status: "open".into(),
        ..FeedbackForm::default()
    };
    let org =
        OrgForm { kind: "branch".into(), name: "第一党支部".into(), level: "county".into(), ..OrgForm::default() };
    // Each valid form's record, as a file carries it.
    let bodies: Vec<(SyncKind, Value)> = vec![
        (SyncKind::Person, serde_json::to_value(person.validate(today).unwrap()).unwrap()),
        (SyncKind::Activity, serde_json::to_value(activity.validate(today).unwrap()).unwrap()),
        (SyncKind::Benefit, serde_json::to_value(benefit.validate(today).unwrap()).unwrap()),
        (SyncKind::Case, serde_json::to_value(case.validate(today).unwrap()).unwrap()),
        (SyncKind::Feedback, serde_json::to_value(feedback.validate(today).unwrap()).unwrap()),
        (SyncKind::Org, serde_json::to_value(org.validate().unwrap()).unwrap()),
    ];
    for (kind, body) in &bodies {
        assert_eq!(kind.check(&line(body)), Ok(()), "{kind:?}: a valid form's record passes");
    }
    let body = |kind: SyncKind| bodies.iter().find(|(k, _)| *k == kind).unwrap().1.clone();
    let with = |kind: SyncKind, field: &str, value: Value| {
        let mut b = body(kind);
        b[field] = value;
        b
    };
    enum File {
        /// Refused, the message naming this field.
        Refused(SyncKind, Value, &'static str),
        /// Accepted from a file, for the reason docs/file-format.md gives.
        Relaxed(SyncKind, Value),
    }
    use File::{Refused, Relaxed};
    let long = "很".repeat(crate::sync::rules::MAX_TEXT_CHARS + 1);
    // (what the form refuses, its field, what a file does with the same value)
    let cases: Vec<(&str, Result<(), crate::domain::FieldErrors>, &str, File)> = vec![
        (
            "empty name",
            PersonForm { name: " ".into(), ..person.clone() }.validate(today).map(drop),
            "name",
            Refused(SyncKind::Person, with(SyncKind::Person, "name", json!(" ")), "name"),
        ),
        (
            "name too long for the form",
            PersonForm { name: "很".repeat(41), ..person.clone() }.validate(today).map(drop),
            "name",
            Relaxed(SyncKind::Person, with(SyncKind::Person, "name", json!("很".repeat(41)))),
        ),
        (
            "text past any limit",
            PersonForm { health: long.clone(), ..person.clone() }.validate(today).map(drop),
            "health",
            Refused(SyncKind::Person, with(SyncKind::Person, "health", json!(long)), "health"),
        ),
        (
            "a control character",
            PersonForm { name: "王\u{0}国".into(), ..person.clone() }.validate(today).map(drop),
            "name",
            Refused(SyncKind::Person, with(SyncKind::Person, "name", json!("王\u{0}国")), "name"),
        ),
        (
            "a bidi override",
            PersonForm { name: "王\u{202e}国".into(), ..person.clone() }.validate(today).map(drop),
            "name",
            Refused(SyncKind::Person, with(SyncKind::Person, "name", json!("王\u{202e}国")), "name"),
        ),
        (
            "an ID number's check digit",
            PersonForm { id_number: "520424193105040017".into(), ..person.clone() }.validate(today).map(drop),
            "id_number",
            Relaxed(SyncKind::Person, with(SyncKind::Person, "id_number", json!("520424193105040017"))),
        ),
        (
            "a phone number's format",
            PersonForm { phone: "12808571234".into(), ..person.clone() }.validate(today).map(drop),
            "phone",
            Relaxed(SyncKind::Person, with(SyncKind::Person, "phone", json!("12808571234"))),
        ),
        (
            "a birth date after today",
            PersonForm { birth_date: "2999-01-01".into(), ..person.clone() }.validate(today).map(drop),
            "birth_date",
            Relaxed(SyncKind::Person, with(SyncKind::Person, "birth_date", json!("2999-01-01"))),
        ),
        (
            "an unknown category",
            PersonForm { category: "emperor".into(), ..person.clone() }.validate(today).map(drop),
            "category",
            Refused(SyncKind::Person, with(SyncKind::Person, "category", json!("emperor")), "category"),
        ),
        (
            "empty theme",
            ActivityForm { theme: "".into(), ..activity.clone() }.validate(today).map(drop),
            "theme",
            Refused(SyncKind::Activity, with(SyncKind::Activity, "theme", json!("")), "theme"),
        ),
        (
            "a count past the limit",
            ActivityForm { audience: "10000001".into(), ..activity.clone() }.validate(today).map(drop),
            "audience",
            Refused(SyncKind::Activity, with(SyncKind::Activity, "audience", json!(10_000_001)), "audience"),
        ),
        (
            "an activity dated after today",
            ActivityForm { date: "2999-01-01".into(), ..activity.clone() }.validate(today).map(drop),
            "date",
            Relaxed(SyncKind::Activity, with(SyncKind::Activity, "date", json!("2999-01-01"))),
        ),
        (
            "an amount past the limit",
            BenefitForm { amount: "1000000000".into(), ..benefit.clone() }.validate(today).map(drop),
            "amount",
            Refused(SyncKind::Benefit, with(SyncKind::Benefit, "amount", json!(100_000_000_000i64)), "amount"),
        ),
        (
            "a negative amount",
            BenefitForm { amount: "-5".into(), ..benefit.clone() }.validate(today).map(drop),
            "amount",
            Refused(SyncKind::Benefit, with(SyncKind::Benefit, "amount", json!(-500)), "amount"),
        ),
        (
            "empty parties",
            CaseForm { parties: "".into(), ..case.clone() }.validate(today).map(drop),
            "parties",
            Refused(SyncKind::Case, with(SyncKind::Case, "parties", json!("")), "parties"),
        ),
        (
            "empty feedback",
            FeedbackForm { content: "".into(), ..feedback.clone() }.validate(today).map(drop),
            "content",
            Refused(SyncKind::Feedback, with(SyncKind::Feedback, "content", json!("")), "content"),
        ),
        (
            "empty organisation name",
            OrgForm { name: "".into(), ..org.clone() }.validate().map(drop),
            "name",
            Refused(SyncKind::Org, with(SyncKind::Org, "name", json!("")), "name"),
        ),
    ];
    for (rule, form, field, file) in cases {
        let form = form.expect_err(rule);
        assert!(form.get(field).is_some(), "{rule}: the form names {field}: {form}");
        match file {
            Refused(kind, body, named) => {
                let e = kind.check(&line(&body)).expect_err(rule);
                assert!(e.contains(named), "{rule}: the file's message names {named}: {e}");
            }
            Relaxed(kind, body) => assert_eq!(kind.check(&line(&body)), Ok(()), "{rule}: documented as relaxed"),
        }
    }
}

/// A file of these record lines, its counts and checksums made to match.
fn file_of_lines(lines: &[String]) -> String {
    let office = DeviceId::from_random([1; 16]);
    let empty = format::write(&township(&office), &[], &[]);
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let crc = format!("{:08x}", format::crc32(body.as_bytes(), 0));
    let (head, trailer) = empty.trim_end().split_once('\n').unwrap();
    let fix = |l: &str| {
        l.replace("\"records\":0", &format!("\"records\":{}", lines.len()))
            .replace("\"crc32\":\"00000000\"", &format!("\"crc32\":\"{crc}\""))
    };
    format!("{}\n{body}{}\n", fix(head), fix(trailer))
}

/// A repeated record id is found once every line is read, yet said as reading in order would:
/// the first line that repeats an id, naming where it was first, unless another line before
/// it is refused first.
#[test]
fn a_repeated_id_is_named_where_it_first_repeats() {
    let line = |id: u8, name: &str| {
        format!(
            "{{\"kind\":\"person\",\"id\":\"{}\",\"created\":\"1764000000000-000000\",\"updated\":\"1764000000000-000000\",\"device\":\"01010101-0101-4101-8101-010101010101\",\"deleted\":false,\"body\":{{\"category\":\"lixiu\",\"gender\":\"male\",\"name\":\"{name}\",\"township\":\"城关镇\"}}}}",
            RecordId::from_random([id; 16])
        )
    };
    let bad = line(9, "王").replace("lixiu", "emperor");
    let cases = [
        ("a b c b a", vec![line(1, "甲"), line(2, "乙"), line(3, "丙"), line(2, "乙"), line(1, "甲")]),
        ("a b a, then a bad line", vec![line(1, "甲"), line(2, "乙"), line(1, "甲"), bad.clone()]),
        ("a bad line, then a b a", vec![line(1, "甲"), bad, line(2, "乙"), line(1, "甲")]),
        ("none repeated", vec![line(1, "甲"), line(2, "乙")]),
    ];
    let mut out = String::new();
    for (name, lines) in cases {
        let said = match format::parse(file_of_lines(&lines), &me()) {
            Ok(p) => format!("{} 条", p.len()),
            Err(e) => e.to_string(),
        };
        out.push_str(&format!("{name}: {said}\n"));
    }
    expect_test::expect![[r#"
        a b c b a: 第 5 行：记录编号 02020202-0202-4202-8202-020202020202 与第 3 行重复
        a b a, then a bad line: 第 4 行：记录编号 01010101-0101-4101-8101-010101010101 与第 2 行重复
        a bad line, then a b a: 第 3 行：人员 09090909：字段 category：未知的取值 emperor
        none repeated: 2 条
    "#]]
    .assert_eq(&out);
}

/// A sender's request for a device lock travels in the header; files without it, old ones
/// included, do not ask, and their header's bytes are as before.
#[test]
fn a_request_for_a_device_lock_travels_in_the_header() {
    let office = DeviceId::from_random([1; 16]);
    let src = Source { utc_offset_min: None, device: &office, office: "县委老干部局", exported_ms: 5, complete: true, lock: true };
    let text = format::write(&src, &[], &[]);
    assert!(text.lines().next().unwrap().ends_with(",\"lock\":true}"), "{text}");
    assert!(format::parse(&text, &me()).unwrap().header.unwrap().lock);
    let plain = format::write(&Source { lock: false, ..src }, &[], &[]);
    assert!(!plain.lines().next().unwrap().contains("lock"), "{plain}");
    assert!(!format::parse(sample_file(), &me()).unwrap().header.unwrap().lock);
}
