//! Browser layer: the storage API against real IndexedDB in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test storage`).
//! New tests of `storage/` go here; domain rules are tested natively in their modules, and
//! whole-app flows in `tests/e2e/`.
#![cfg(target_arch = "wasm32")]

use sangyu::domain::{
    Benefit, BenefitForm, Category, DeviceId, Fen, Gender, Hlc, Org, OrgForm, Person, PersonForm, Place, Record,
    RecordId,
};
use sangyu::storage::web::random16;
use sangyu::storage::seal::{self, Sealer};
use sangyu::storage::{Db, StorageError, SCHEMA_VERSION};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Each test gets its own database, deleted at the end.
fn fresh_name(tag: &str) -> String {
    format!("test-{tag}-{}", RecordId::from_random(random16().unwrap()))
}

fn person(name: &str, township: &str, category: Category) -> Person {
    PersonForm {
        name: name.into(),
        gender: Gender::Male.key().into(),
        birth_date: "1935-03-08".into(),
        category: category.key().into(),
        township: township.into(),
        ..PersonForm::default()
    }
    .validate(sangyu::storage::web::today())
    .unwrap()
}

fn branch(name: &str) -> Org {
    OrgForm { kind: "branch".into(), name: name.into(), level: "county".into(), ..OrgForm::default() }
        .validate()
        .unwrap()
}

fn foreign_record(n: usize) -> Record<Person> {
    Record::create(
        RecordId::from_random(random16().unwrap()),
        person(&format!("导入{n}"), "八步街道", Category::Tuixiu),
        Hlc { ms: 1_700_000_000_000, count: n as u32 },
        DeviceId::from_random([9; 16]),
    )
}

async fn drop_db(db: Db, name: &str) {
    db.close();
    Db::delete(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn create_edit_delete_round_trip() {
    let name = fresh_name("round");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(db.version(), SCHEMA_VERSION);

    let created = db.create(person("王建国", "城关镇", Category::Lixiu)).await.unwrap();
    let got = db.get::<Person>(&created.id).await.unwrap().unwrap();
    assert_eq!(got, created);

    let edited = db.update(&created.id, person("王建国", "双堰街道", Category::Lixiu)).await.unwrap();
    assert_eq!(edited.created, created.created);
    assert!(edited.updated > created.updated);
    assert_eq!(db.get::<Person>(&created.id).await.unwrap().unwrap().body.township, "双堰街道");

    let deleted = db.set_deleted::<Person>(&created.id, true).await.unwrap();
    assert!(deleted.deleted && deleted.updated > edited.updated);
    let all = db.list::<Person>().await.unwrap();
    assert_eq!(all.len(), 1, "a delete keeps a tombstone");
    assert!(all[0].deleted);

    let restored = db.set_deleted::<Person>(&created.id, false).await.unwrap();
    assert!(!restored.deleted);

    let device = db.device().await.unwrap();
    assert_eq!(device.changes, 4);
    assert_eq!(device.clock, restored.updated);
    assert_eq!(restored.device, device.device);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn a_failing_write_leaves_the_store_unchanged() {
    let name = fresh_name("atomic");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let existing = db.create(person("李秀英", "城关镇", Category::Tuixiu)).await.unwrap();
    let before = (db.list::<Person>().await.unwrap(), db.device().await.unwrap());

    // Two good records, then one whose id is taken: the batch must leave no trace.
    let mut clash = foreign_record(3);
    clash.id = existing.id.clone();
    let batch = vec![foreign_record(1), foreign_record(2), clash];
    assert_eq!(db.insert_all(&batch).await, Err(StorageError::DuplicateId));
    assert_eq!((db.list::<Person>().await.unwrap(), db.device().await.unwrap()), before);

    // The same within one batch.
    let a = foreign_record(4);
    let batch = vec![a.clone(), foreign_record(5), a];
    assert_eq!(db.insert_all(&batch).await, Err(StorageError::DuplicateId));
    assert_eq!((db.list::<Person>().await.unwrap(), db.device().await.unwrap()), before);

    // A change to a record that is not there writes nothing, not even the clock.
    let missing = RecordId::from_random(random16().unwrap());
    assert_eq!(db.update(&missing, person("无此人", "城关镇", Category::Lixiu)).await, Err(StorageError::NotFound));
    assert_eq!((db.list::<Person>().await.unwrap(), db.device().await.unwrap()), before);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn upgrading_from_version_1_keeps_records() {
    let name = fresh_name("upgrade");
    let old = Db::open_at(&name, 1).await.unwrap();
    assert_eq!(old.version(), 1);
    let a = old.create(person("张德明", "城关镇", Category::Lixiu)).await.unwrap();
    let b = old.create(person("陈淑芬", "八步街道", Category::Tuixiu)).await.unwrap();
    let device = old.device().await.unwrap();
    assert!(old.newest::<Person>(1).await.is_err(), "v1 has no indexes");
    old.close();

    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(db.version(), SCHEMA_VERSION);
    let mut all = db.list::<Person>().await.unwrap();
    all.sort_by(|x, y| x.body.name.cmp(&y.body.name));
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort_by(|x, y| x.body.name.cmp(&y.body.name));
    assert_eq!(all, expected);
    assert_eq!(db.device().await.unwrap(), device, "the device keeps its id and clock");
    let newest: Vec<_> = db.newest::<Person>(1).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(newest, vec![b.id.clone()], "the last written first: the `seq` index is built from the records' own");

    // Version 3's stores exist and take records.
    let org = db.create(branch("老干部第一党支部")).await.unwrap();
    let mut in_branch = b.body.clone();
    in_branch.branch = Some(org.id.clone());
    db.update(&b.id, in_branch).await.unwrap();
    db.create(Place::from_form("城关镇", "文腾社区、双堰村").unwrap()).await.unwrap();
    assert_eq!(db.list::<Place>().await.unwrap().len(), 1);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn upgrading_from_version_2_keeps_first_slice_records_readable() {
    let name = fresh_name("upgrade2");
    let old = Db::open_at(&name, 2).await.unwrap();
    let a = old.create(person("张德明", "城关镇", Category::Lixiu)).await.unwrap();
    old.close();
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(db.list::<Person>().await.unwrap(), vec![a]);
    assert!(db.list::<Org>().await.unwrap().is_empty());
    drop_db(db, &name).await;
}

/// Version 10 keeps the indexes the app reads (`updated`, `seq`) and drops those on body
/// fields, which no page read and every write kept; version 11 drops `updated` (the newest
/// first are read by `seq`), version 12 `seq` but on people; the records stay.
#[wasm_bindgen_test]
async fn upgrading_from_version_9_drops_the_unread_indexes() {
    let name = fresh_name("upgrade9");
    let old = Db::open_at(&name, 9).await.unwrap();
    let a = old.create(person("张德明", "城关镇", Category::Lixiu)).await.unwrap();
    assert_eq!(old.by_index::<Person>("township", "城关镇").await.unwrap(), vec![a.clone()]);
    assert!(old.by_index::<Person>("updated", "0").await.is_ok(), "there at 9");
    assert!(old.by_index::<Benefit>("seq", "0").await.is_ok(), "there at 9");
    let since = old.device().await.unwrap().seq;
    old.close();
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert!(db.by_index::<Person>("township", "城关镇").await.is_err(), "gone at 10");
    assert!(db.by_index::<Person>("updated", "0").await.is_err(), "gone at 11");
    assert!(db.by_index::<Benefit>("seq", "0").await.is_err(), "only people keep `seq` from 12");
    assert!(db.by_index::<Person>("seq", "0").await.is_ok());
    assert_eq!(db.newest::<Person>(5).await.unwrap(), vec![a.clone()]);
    let b = db.create(person("陈淑芬", "八步街道", Category::Tuixiu)).await.unwrap();
    let newest: Vec<_> = db.newest::<Person>(5).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(newest, vec![b.id.clone(), a.id.clone()], "the last written first");
    let later: Vec<_> = db.export(Some(since)).await.unwrap().records.into_iter().map(|(_, d)| d.id).collect();
    assert_eq!(later, vec![b.id], "changes since an export, by the `seq` index");
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn organisations_round_trip_in_their_own_store() {
    let name = fresh_name("orgs");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let o = db.create(branch("老干部第二党支部")).await.unwrap();
    assert_eq!(db.get::<Org>(&o.id).await.unwrap(), Some(o.clone()));
    assert!(db.get::<Person>(&o.id).await.unwrap().is_none(), "kinds do not mix");
    db.set_deleted::<Org>(&o.id, true).await.unwrap();
    assert!(db.list::<Org>().await.unwrap()[0].deleted);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn a_wiped_database_comes_back_with_a_new_device_id() {
    let name = fresh_name("wipe");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let first = db.device().await.unwrap().device;
    db.close();
    Db::delete(&name).await.unwrap();
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let second = db.device().await.unwrap();
    assert_ne!(second.device, first);
    assert_eq!(second.changes, 0);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn bulk_writes_and_paged_reads_cover_every_record() {
    let name = fresh_name("bulk");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let batch: Vec<_> = (0..2_500).map(foreign_record).collect();
    db.put_all(&batch).await.unwrap();
    let all = db.list::<Person>().await.unwrap();
    assert_eq!(all.len(), 2_500, "more than two pages of getAll");
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));

    // The device clock moved past the imported stamps, so a local edit orders after them.
    let newest = batch.iter().map(|r| r.updated).max().unwrap();
    assert!(db.device().await.unwrap().clock >= newest);
    let edited = db.update(&batch[0].id, person("导入0", "城关镇", Category::Tuixiu)).await.unwrap();
    assert!(edited.updated > newest);

    // put_all overwrites what is there (merge results), unlike insert_all.
    let mut again = batch[1].clone();
    again.body.name = "改名".into();
    db.put_all(&[again.clone()]).await.unwrap();
    assert_eq!(db.get::<Person>(&again.id).await.unwrap().unwrap().body.name, "改名");
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn benefits_keep_exact_fen() {
    let name = fresh_name("benefits");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let who = db.create(person("王建国", "城关镇", Category::Lixiu)).await.unwrap();
    let form = BenefitForm {
        kind: "holiday_visit".into(),
        person: Some(who.id.clone()),
        date: "2026-01-20".into(),
        amount: "1,234.56".into(),
        ..BenefitForm::default()
    };
    let b = db.create(form.validate(sangyu::storage::web::today()).unwrap()).await.unwrap();
    let back = db.get::<Benefit>(&b.id).await.unwrap().unwrap();
    assert_eq!(back.body.amount, Fen(123_456));
    assert_eq!(db.list::<Benefit>().await.unwrap(), vec![b]);
    drop_db(db, &name).await;
}

/// One office exports, another imports: the same records arrive, re-importing changes
/// nothing, and a concurrent edit of the same field lands in the conflict log.
#[wasm_bindgen_test]
async fn export_import_merges_and_logs_a_concurrent_edit() {
    use sangyu::sync::format::{parse, write, Source};
    let (na, nb) = (fresh_name("office-a"), fresh_name("office-b"));
    let a = Db::open_at(&na, SCHEMA_VERSION).await.unwrap();
    let b = Db::open_at(&nb, SCHEMA_VERSION).await.unwrap();
    let file_of = |e: sangyu::storage::Export| {
        write(
            &Source {
                utc_offset_min: None, device: &e.device.device, office: "测试", exported_ms: 1, complete: true, lock: false
            },
            &e.records,
            &e.conflicts,
        )
    };
    let wang = a.create(person("王建国", "城关镇", Category::Lixiu)).await.unwrap();
    a.create(branch("第一支部")).await.unwrap();

    let text = file_of(a.export(None).await.unwrap());
    let file = parse(&text, &b.device().await.unwrap().device).unwrap();
    let preview = b.preview(&file, false).await.unwrap();
    assert_eq!((preview.total().new, preview.total().updated), (2, 0));
    assert!(b.list::<Person>().await.unwrap().is_empty(), "a preview writes nothing");
    let before = b.device().await.unwrap();
    b.import(&file, false, &[]).await.unwrap();
    let after = b.device().await.unwrap();
    assert_eq!(after.changes, before.changes, "an import is not a change made here");
    assert_eq!(after.seq, before.seq + 2, "but its records are written here");
    let got = b.get::<Person>(&wang.id).await.unwrap().unwrap();
    assert_eq!(got.body, wang.body);
    let again = b.import(&file, false, &[]).await.unwrap();
    assert!(!again.changes_anything(), "re-importing changes nothing");

    // Both offices change the phone; each also changes a field of its own.
    let mut pa = got.body.clone();
    pa.phone = "13900000001".into();
    pa.village = "东村".into();
    a.update(&wang.id, pa).await.unwrap();
    let mut pb = got.body.clone();
    pb.phone = "13900000002".into();
    pb.health = "良好".into();
    b.update(&wang.id, pb).await.unwrap();

    let to_b = parse(file_of(a.export(None).await.unwrap()), &b.device().await.unwrap().device).unwrap();
    let plan = b.import(&to_b, false, &[]).await.unwrap();
    assert_eq!(plan.total().conflicts, 1);
    let to_a = parse(file_of(b.export(None).await.unwrap()), &a.device().await.unwrap().device).unwrap();
    a.import(&to_a, false, &[]).await.unwrap();

    let (ra, rb) =
        (a.get::<Person>(&wang.id).await.unwrap().unwrap(), b.get::<Person>(&wang.id).await.unwrap().unwrap());
    assert_eq!(ra.body, rb.body);
    assert_eq!((ra.body.village.as_str(), ra.body.health.as_str()), ("东村", "良好"));
    let (ca, cb) = (a.conflicts().await.unwrap(), b.conflicts().await.unwrap());
    assert_eq!(ca, cb);
    assert_eq!(ca.len(), 1);
    assert_eq!(ca[0].field, "phone");

    // Restoring the losing value is a new edit that wins.
    let lost = ca[0].value.as_str().unwrap().to_owned();
    a.restore_conflict(&ca[0]).await.unwrap();
    assert_eq!(a.get::<Person>(&wang.id).await.unwrap().unwrap().body.phone, lost);
    drop_db(a, &na).await;
    drop_db(b, &nb).await;
}

#[wasm_bindgen_test]
async fn an_export_since_the_last_one_holds_only_later_writes() {
    use sangyu::storage::ExportMark;
    let name = fresh_name("since");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let one = db.create(person("一号", "城关镇", Category::Tuixiu)).await.unwrap();
    db.create(person("二号", "城关镇", Category::Tuixiu)).await.unwrap();
    let all = db.export(None).await.unwrap();
    assert_eq!(all.records.len(), 2);
    let mark = ExportMark { seq: all.device.seq, at_ms: 5, changes: Some(all.device.changes) };
    db.mark_exported(mark).await.unwrap();
    assert_eq!(db.exchange_status().await.unwrap().1, Some(mark));
    let mut body = one.body.clone();
    body.phone = "13900000003".into();
    db.update(&one.id, body).await.unwrap();
    let later = db.export(Some(all.device.seq)).await.unwrap();
    assert_eq!(later.records.iter().map(|(_, d)| d.id.clone()).collect::<Vec<_>>(), vec![one.id.clone()]);

    // Payments have no `seq` index (version 12): their store is read whole, page by page (of
    // 1,000), and only the later writes kept.
    let form = BenefitForm {
        kind: "holiday_visit".into(),
        person: Some(one.id.clone()),
        date: "2026-01-20".into(),
        amount: "500".into(),
        ..BenefitForm::default()
    };
    let paid = form.validate(sangyu::storage::web::today()).unwrap();
    let earlier: Vec<Record<Benefit>> = (0..2_100)
        .map(|n| {
            let id = RecordId::from_random(random16().unwrap());
            Record::create(id, paid.clone(), Hlc { ms: 1_700_000_000_000, count: n }, DeviceId::from_random([9; 16]))
        })
        .collect();
    db.put_all(&earlier).await.unwrap();
    let seq = db.device().await.unwrap().seq;
    let late = db.create(paid.clone()).await.unwrap();
    db.update(&earlier[1_500].id, paid.clone()).await.unwrap();
    let since = db.export(Some(seq)).await.unwrap();
    let mut ids: Vec<_> = since.records.iter().map(|(_, d)| d.id.clone()).collect();
    ids.sort();
    let mut expected = vec![late.id.clone(), earlier[1_500].id.clone()];
    expected.sort();
    assert_eq!(ids, expected, "the two payments written after, of 2,101");
    assert_eq!(db.export(None).await.unwrap().records.len(), 2 + 2_101);
    // `put_all` keeps the records' own `seq` (0 here): none of them is a write after the first.
    assert_eq!(db.export(Some(0)).await.unwrap().records.len(), 4);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn merging_two_people_repoints_their_records_in_one_change() {
    let name = fresh_name("dedupe");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let keep = db.create(person("王建国", "城关镇", Category::Lixiu)).await.unwrap();
    let mut copy = person("王建国", "八步街道", Category::Lixiu);
    copy.phone = "13900000009".into();
    let drop = db.create(copy).await.unwrap();
    let form = BenefitForm {
        kind: "holiday_visit".into(),
        person: Some(drop.id.clone()),
        date: "2026-01-20".into(),
        amount: "500".into(),
        notes: String::new(),
    };
    let paid = db.create(form.validate(sangyu::storage::web::today()).unwrap()).await.unwrap();

    assert_eq!(db.merge_people(&keep.id, &drop.id).await.unwrap(), 3);
    let kept = db.get::<Person>(&keep.id).await.unwrap().unwrap();
    assert_eq!((kept.body.township.as_str(), kept.body.phone.as_str()), ("城关镇", "13900000009"));
    let retired = db.get::<Person>(&drop.id).await.unwrap().unwrap();
    assert!(retired.deleted);
    assert_eq!(retired.body.merged_into, Some(keep.id.clone()));
    assert_eq!(db.get::<Benefit>(&paid.id).await.unwrap().unwrap().body.person, keep.id);
    drop_db(db, &name).await;
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "
export function quota_after(n) {
  const put = IDBObjectStore.prototype.put;
  let left = n;
  IDBObjectStore.prototype.put = function (...args) {
    if (left-- <= 0) {
      IDBObjectStore.prototype.put = put;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return put.apply(this, args);
  };
}")]
extern "C" {
    /// Makes the (n+1)-th `put` from now fail as a full disk does, once.
    fn quota_after(n: u32);
}

/// A full disk in the middle of an import (people written, organisations refused) or of one
/// edit leaves every store and the device row as they were.
#[wasm_bindgen_test]
async fn a_quota_error_mid_import_or_edit_leaves_everything_unchanged() {
    use sangyu::sync::format::{parse, write, Source};
    let (na, nb) = (fresh_name("quota-a"), fresh_name("quota-b"));
    let a = Db::open_at(&na, SCHEMA_VERSION).await.unwrap();
    let b = Db::open_at(&nb, SCHEMA_VERSION).await.unwrap();
    let mine = a.create(person("本地", "城关镇", Category::Tuixiu)).await.unwrap();
    for i in 0..5 {
        b.create(person(&format!("外来{i}"), "八步街道", Category::Tuixiu)).await.unwrap();
        b.create(branch(&format!("支部{i}"))).await.unwrap();
    }
    let e = b.export(None).await.unwrap();
    let text = write(
        &Source { utc_offset_min: None, device: &e.device.device, office: "乙", exported_ms: 1, complete: true, lock: false },
        &e.records,
        &[],
    );
    let file = parse(&text, &a.device().await.unwrap().device).unwrap();
    let before = a.device().await.unwrap();

    quota_after(6);
    assert_eq!(a.import(&file, false, &[]).await.unwrap_err(), StorageError::QuotaExceeded);
    assert_eq!(a.list::<Person>().await.unwrap().len(), 1, "the people written before the failure are gone too");
    assert!(a.list::<Org>().await.unwrap().is_empty());
    assert_eq!(a.device().await.unwrap(), before);

    quota_after(0);
    let mut body = mine.body.clone();
    body.phone = "13900000001".into();
    assert_eq!(a.update(&mine.id, body).await.unwrap_err(), StorageError::QuotaExceeded);
    assert_eq!(a.get::<Person>(&mine.id).await.unwrap().unwrap(), mine);
    assert_eq!(a.device().await.unwrap(), before);

    a.import(&file, false, &[]).await.unwrap();
    assert_eq!(a.list::<Person>().await.unwrap().len(), 6, "with space again, the same file imports");
    drop_db(a, &na).await;
    drop_db(b, &nb).await;
}

fn blob(bytes: &[u8]) -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap()
}

fn photo_of(activity: &RecordId, jpeg: &[u8]) -> sangyu::storage::NewPhoto {
    sangyu::storage::NewPhoto {
        body: sangyu::domain::Photo {
            activity: activity.clone(),
            width: 1280,
            height: 960,
            bytes: jpeg.len() as u32,
            crc32: format!("{:08x}", sangyu::sync::format::crc32(jpeg, 0)),
            caption: String::new(),
        },
        jpeg: blob(jpeg),
        thumb: blob(&jpeg[..10]),
    }
}

/// A photo's record and its files are written together or not at all, and travel to another
/// database through an export file with the JPEG in it.
#[wasm_bindgen_test]
async fn photos_are_stored_with_their_files_in_one_transaction() {
    use sangyu::domain::Photo;
    use sangyu::storage::ImportedPhoto;
    use sangyu::sync::format::{parse, write_with_jpegs, Source};
    let (na, nb) = (fresh_name("photo-a"), fresh_name("photo-b"));
    let a = Db::open_at(&na, SCHEMA_VERSION).await.unwrap();
    let b = Db::open_at(&nb, SCHEMA_VERSION).await.unwrap();
    let activity = RecordId::from_random(random16().unwrap());
    let jpeg: Vec<u8> = (0..3_000u32).map(|i| (i % 253) as u8).collect();

    // A full disk while the JPEG is written: no record without its file.
    let before = a.device().await.unwrap();
    quota_after(0);
    assert_eq!(a.add_photos(vec![photo_of(&activity, &jpeg)]).await.unwrap_err(), StorageError::QuotaExceeded);
    assert!(a.list::<Photo>().await.unwrap().is_empty());
    assert_eq!(a.device().await.unwrap(), before);

    let saved = a.add_photos(vec![photo_of(&activity, &jpeg), photo_of(&activity, &jpeg[..100])]).await.unwrap();
    assert_eq!(saved.len(), 2);
    let ids: Vec<RecordId> = saved.iter().map(|r| r.id.clone()).collect();
    let files = a.photo_files(&ids, false).await.unwrap();
    assert_eq!(files.iter().map(|(_, b)| b.size() as usize).collect::<Vec<_>>(), [3_000, 100]);
    assert_eq!(a.photo_file(&ids[0], true).await.unwrap().unwrap().size(), 10.0);
    assert!(a.photo_file(&activity, true).await.unwrap().is_none(), "no file under an unknown id");

    // Soft delete keeps the file, so undo brings the photo back whole.
    a.set_deleted::<Photo>(&ids[1], true).await.unwrap();
    assert!(a.photo_file(&ids[1], false).await.unwrap().is_some());

    // Another office: the records, and the one JPEG the file carries.
    let e = a.export(None).await.unwrap();
    let src = Source { utc_offset_min: None, device: &e.device.device, office: "甲", exported_ms: 1, complete: true, lock: false };
    let text = write_with_jpegs(&src, &e.records, &[], &[(ids[0].clone(), jpeg.clone())]);
    let file = parse(&text, &b.device().await.unwrap().device).unwrap();
    let carried = [ImportedPhoto { id: ids[0].clone(), jpeg: blob(&jpeg), thumb: blob(&jpeg[..10]) }];
    b.import(&file, false, &carried).await.unwrap();
    let there = b.list::<Photo>().await.unwrap();
    assert_eq!(there.len(), 2);
    assert!(there.iter().any(|p| p.id == ids[1] && p.deleted));
    assert_eq!(b.photo_files(&ids, false).await.unwrap().len(), 1, "only the JPEG that travelled");
    drop_db(a, &na).await;
    drop_db(b, &nb).await;
}

/// A list's first screen: the most recently changed records, newest first, deletes included.
#[wasm_bindgen_test]
async fn newest_gives_the_latest_changes_first() {
    let name = fresh_name("newest");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let a = db.create(person("甲", "城关镇", Category::Tuixiu)).await.unwrap();
    let b = db.create(person("乙", "城关镇", Category::Tuixiu)).await.unwrap();
    let c = db.create(person("丙", "城关镇", Category::Tuixiu)).await.unwrap();
    let mut body = a.body.clone();
    body.phone = "13900000001".into();
    db.update(&a.id, body).await.unwrap();
    db.set_deleted::<Person>(&b.id, true).await.unwrap();
    let ids: Vec<RecordId> = db.newest::<Person>(2).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, [b.id.clone(), a.id.clone()]);
    assert_eq!(db.newest::<Person>(10).await.unwrap().len(), 3);
    assert!(db.newest::<Person>(10).await.unwrap().iter().any(|r| r.id == c.id));
    drop_db(db, &name).await;
}

/// A stored record this version cannot read (an older version wrote it without a field) is
/// skipped and noted: the rest of the list reads, exports carry only what reads, and the
/// record can be deleted from the repair page.
#[wasm_bindgen_test]
async fn a_record_that_does_not_read_never_takes_lists_or_exports_down() {
    use sangyu::storage::unreadable;
    use sangyu::sync::format::Parsed;
    use sangyu::sync::SyncKind;

    let name = fresh_name("unreadable");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let good = db.create(person("张德明", "城关镇", Category::Lixiu)).await.unwrap();
    let bad_id = RecordId::from_random(random16().unwrap());
    let bad = Record::create(
        bad_id.clone(),
        serde_json::json!({"name": "只有名字"}),
        Hlc { ms: 1_700_000_000_000, count: 0 },
        DeviceId::from_random([9; 16]),
    );
    // Straight into the plan, as a version without today's checks would have written it.
    let parsed = Parsed::unchecked(vec![(SyncKind::Person, bad)]);
    db.import(&parsed, false, &[]).await.unwrap();

    assert_eq!(db.list::<Person>().await.unwrap(), vec![good.clone()]);
    assert_eq!(db.newest::<Person>(10).await.unwrap(), vec![good.clone()]);
    let noted = unreadable::all();
    assert!(
        noted.iter().any(|u| u.store == "people" && u.id == bad_id.as_str() && u.explained() == "缺少字段 gender"),
        "{noted:?}"
    );
    let export = db.export(None).await.unwrap();
    assert_eq!(export.records.len(), 1, "only what this version reads travels");

    db.delete_unreadable("people", bad_id.as_str()).await.unwrap();
    assert!(!unreadable::all().iter().any(|u| u.id == bad_id.as_str()));
    assert_eq!(db.list::<Person>().await.unwrap(), vec![good]);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn drafts_are_kept_apart_from_records_and_never_exported() {
    use sangyu::domain::draft::{key, Draft};
    let name = fresh_name("drafts");
    // A version-8 database (before drafts) with one person, upgraded.
    let old = Db::open_at(&name, 8).await.unwrap();
    old.create(person("王建国", "城关镇", Category::Lixiu)).await.unwrap();
    old.close();
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(db.list::<Person>().await.unwrap().len(), 1);
    assert!(db.drafts().await.unwrap().is_empty());

    let draft = |k: String, ms: i64| Draft {
        key: k,
        path: "/people/new".into(),
        title: "人员：李秀兰".into(),
        saved_ms: ms,
        base: None,
        fields: serde_json::json!({ "name": "李秀兰", "health": "高血压" }),
        opened: serde_json::json!({ "name": "", "health": "" }),
    };
    let new_person = key("person", None);
    db.put_draft(&draft(new_person.clone(), 1)).await.unwrap();
    db.put_draft(&draft(new_person.clone(), 2)).await.unwrap();
    db.put_draft(&draft(key("case", None), 3)).await.unwrap();
    assert_eq!(
        db.draft(&new_person).await.unwrap(),
        Some(draft(new_person.clone(), 2)),
        "one draft per key, the latest"
    );
    assert_eq!(db.drafts().await.unwrap().len(), 2);

    // A draft is no record: the export carries the person only, and the device's change count
    // and clock do not move for typing.
    let before = db.device().await.unwrap();
    let export = db.export(None).await.unwrap();
    assert_eq!(export.records.len(), 1);
    assert!(!serde_json::to_string(&export.records[0].1).unwrap().contains("李秀兰"));
    assert_eq!(db.device().await.unwrap().changes, before.changes);

    db.delete_draft(&new_person).await.unwrap();
    assert_eq!(db.draft(&new_person).await.unwrap(), None);
    assert_eq!(db.drafts().await.unwrap().len(), 1);
    drop_db(db, &name).await;
}

/// Every stored object of `store` as `JSON.stringify` gives it, by id: read past the app.
async fn stored_objects(db: &str, store: &str) -> std::collections::HashMap<String, String> {
    let read = js_sys::Function::new_with_args(
        "name, store",
        "return new Promise((ok, fail) => { const r = indexedDB.open(name); r.onerror = () => fail(r.error); \
         r.onsuccess = () => { const db = r.result; const g = db.transaction(store).objectStore(store).getAll(); \
         g.onerror = () => fail(g.error); g.onsuccess = () => { db.close(); ok(g.result.map((v) => [v.id ?? v.key, JSON.stringify(v)])); }; }; })",
    );
    let promise = read.call2(&JsValue::NULL, &db.into(), &store.into()).unwrap();
    let rows = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await.unwrap();
    js_sys::Array::from(&rows)
        .iter()
        .map(|row| {
            let pair = js_sys::Array::from(&row);
            (pair.get(0).as_string().unwrap(), pair.get(1).as_string().unwrap())
        })
        .collect()
}

/// A 10,000-record import stores exactly what the old path stored: each written record made a
/// JS object from its serialised JSON, `seq` set on it. Most lines go in as the file spells
/// them; records merged with one here, edited elsewhere (stamps per field) or deleted are made.
#[wasm_bindgen_test]
async fn a_large_import_stores_what_the_old_path_stored_byte_for_byte() {
    use sangyu::domain::Stamp;
    use sangyu::sync::format::{parse, write, Source};
    use sangyu::sync::merge::{self, Doc};
    use sangyu::sync::SyncKind;

    let name = fresh_name("bytes");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let office = DeviceId::from_random([9; 16]);
    // As an exporting office stores them (canonical: no empty fields), or, now and then, as
    // another program might write them (with `null`s): those are made, not written as spelled.
    let doc_of = |r: &Record<Person>| -> Doc { serde_json::from_value(serde_json::to_value(r).unwrap()).unwrap() };
    let stored = |r: &Record<Person>| -> Doc {
        let mut d = doc_of(r);
        merge::canonical(&mut d);
        d
    };
    let mut records: Vec<(SyncKind, Doc)> = Vec::new();
    // Here already, and changed there: merged.
    for i in 0..40 {
        let here = db.create(person(&format!("本机{i}"), "城关镇", Category::Lixiu)).await.unwrap();
        let old = stored(&here);
        let mut theirs = old.clone();
        theirs.body["phone"] = serde_json::json!(format!("1390000{i:04}"));
        let hlc = Hlc { ms: here.updated.ms + 60_000, count: 0 };
        merge::restamp(Some(&old), &mut theirs, Stamp { hlc, device: office.clone() });
        records.push((SyncKind::Person, theirs));
    }
    for n in 0..9_960 {
        let mut d = if n % 97 == 5 { doc_of(&foreign_record(n)) } else { stored(&foreign_record(n)) };
        d.device = office.clone();
        if n % 10 == 0 {
            d.deleted = true;
        }
        if n % 50 == 1 {
            // Edited after it was made: stamps per field, made canonical by the plan.
            let old = d.clone();
            d.body["notes"] = serde_json::json!("换了说明 \"引号\"\n第二行");
            let hlc = Hlc { ms: d.updated.ms + 1, count: 0 };
            merge::restamp(Some(&old), &mut d, Stamp { hlc, device: DeviceId::from_random([8; 16]) });
        }
        records.push((SyncKind::Person, d));
    }
    let src = Source { utc_offset_min: Some(480), device: &office, office: "八步街道", exported_ms: 1_764_000_000_000, complete: true, lock: false };
    let file = parse(write(&src, &records, &[]), &db.device().await.unwrap().device).unwrap();
    let filed = (0..file.len()).filter(|i| file.stored_as_is(*i)).count();
    assert!(filed > 9_000, "most lines go in as they are: {filed}");
    let before = db.device().await.unwrap().seq;
    let plan = db.import(&file, false, &[]).await.unwrap();
    assert_eq!(plan.total().new + plan.total().updated, 10_000 - 40 + 40);

    let stored = stored_objects(&name, "people").await;
    let mut seq = before;
    for (_, w) in plan.written(&file) {
        seq += 1;
        let doc = w.doc().unwrap();
        let old = js_sys::JSON::parse(&serde_json::to_string(&*doc).unwrap()).unwrap();
        js_sys::Reflect::set(&old, &"seq".into(), &JsValue::from_f64(seq as f64)).unwrap();
        let old: String = js_sys::JSON::stringify(&old).unwrap().into();
        assert_eq!(stored.get(doc.id.as_str()), Some(&old), "record {}", doc.id);
    }
    assert_eq!(stored.len(), 10_000);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn the_lock_row_is_stored_replaced_and_removed_and_leaves_the_device_row_alone() {
    let name = fresh_name("lock");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let device = db.device().await.unwrap();
    assert_eq!(db.lock_row().await.unwrap(), None);
    db.put_lock_row(r#"{"fails":0}"#).await.unwrap();
    db.put_lock_row(r#"{"fails":1}"#).await.unwrap();
    assert_eq!(db.lock_row().await.unwrap().as_deref(), Some(r#"{"fails":1}"#));
    db.close();
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(db.lock_row().await.unwrap().as_deref(), Some(r#"{"fails":1}"#), "kept across a reopen");
    db.seal_all(None, None).await.unwrap();
    assert_eq!(db.lock_row().await.unwrap(), None);
    assert_eq!(db.device().await.unwrap().device, device.device);
    drop_db(db, &name).await;
}

/// A stand-in for the lock's AES-GCM (tested with its key in `ui::lock`): reversible, bound
/// to its record, and holding no plain byte of what it seals.
struct Toy;

impl Sealer for Toy {
    fn seal(&self, aad: &str, plain: &str) -> Result<String, String> {
        Ok(format!("{aad}:{}", plain.bytes().map(|b| format!("{:02x}", b ^ 0x5a)).collect::<String>()))
    }
    fn open(&self, aad: &str, sealed: &str) -> Result<String, String> {
        let hex = sealed.strip_prefix(&format!("{aad}:")).ok_or("另一条记录的密文")?;
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map(|b| b ^ 0x5a))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }
    fn seal_bytes(&self, aad: &str, plain: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = aad.as_bytes().to_vec();
        out.push(0);
        out.extend(plain.iter().map(|b| b ^ 0x5a));
        Ok(out)
    }
    fn open_bytes(&self, aad: &str, sealed: &[u8]) -> Result<Vec<u8>, String> {
        let rest = sealed.strip_prefix(aad.as_bytes()).and_then(|r| r.strip_prefix(&[0])).ok_or("另一张照片的密文")?;
        Ok(rest.iter().map(|b| b ^ 0x5a).collect())
    }
}

/// Copies member `member` of one stored object onto another, as a hostile hand at the files might.
async fn copy_member(db: &str, store: &str, from: &str, to: &str, member: &str) {
    let copy = js_sys::Function::new_with_args(
        "name, store, from, to, member",
        "return new Promise((ok, fail) => { const r = indexedDB.open(name); r.onerror = () => fail(r.error); \
         r.onsuccess = () => { const db = r.result; const tx = db.transaction(store, 'readwrite'); const s = tx.objectStore(store); \
         s.get(from).onsuccess = (a) => { s.get(to).onsuccess = (b) => { const o = b.target.result; o[member] = a.target.result[member]; s.put(o); }; }; \
         tx.oncomplete = () => { db.close(); ok(); }; tx.onerror = () => fail(tx.error); }; })",
    );
    let args = js_sys::Array::of5(&db.into(), &store.into(), &from.into(), &to.into(), &member.into());
    let promise = copy.apply(&JsValue::NULL, &args).unwrap();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await.unwrap();
}

/// Opened tokens are kept in memory while the key is held, by record: one moved onto another
/// record is still refused there, and locking forgets them all.
#[wasm_bindgen_test]
async fn an_opened_token_moved_to_another_record_is_refused_there() {
    let name = fresh_name("seal-moved");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let with_phone = |n: &str, phone: &str| {
        let mut p = person(n, "城关镇", Category::Lixiu);
        p.phone = phone.into();
        p
    };
    let a = db.create(with_phone("王建国", "13912345678")).await.unwrap();
    let b = db.create(with_phone("张秀英", "13700002222")).await.unwrap();
    db.seal_all(Some(r#"{"fails":0}"#), Some(Box::new(Toy))).await.unwrap();
    assert_eq!(db.get::<Person>(&a.id).await.unwrap().unwrap().body.phone, "13912345678");
    assert_eq!(db.get::<Person>(&a.id).await.unwrap().unwrap().body.phone, "13912345678", "again, from memory");
    copy_member(&name, "people", a.id.as_str(), b.id.as_str(), "sealed").await;
    assert!(db.get::<Person>(&b.id).await.is_err(), "another record's token does not open here");
    seal::lock();
    assert!(db.get::<Person>(&a.id).await.is_err(), "locked: nothing kept opened");
    seal::unlock(Box::new(Toy));
    assert_eq!(db.get::<Person>(&a.id).await.unwrap().unwrap().body.phone, "13912345678");
    drop_db(db, &name).await;
}

/// Sets the member `member` of the stored object `key` to the string `value`, in place.
async fn set_member(db: &str, store: &str, key: &str, member: &str, value: &str) {
    let set = js_sys::Function::new_with_args(
        "name, store, key, member, value",
        "return new Promise((ok, fail) => { const r = indexedDB.open(name); r.onerror = () => fail(r.error); \
         r.onsuccess = () => { const db = r.result; const tx = db.transaction(store, 'readwrite'); const s = tx.objectStore(store); \
         s.get(key).onsuccess = (e) => { const o = e.target.result; o[member] = value; s.put(o); }; \
         tx.oncomplete = () => { db.close(); ok(); }; tx.onerror = () => fail(tx.error); }; })",
    );
    let args = js_sys::Array::of5(&db.into(), &store.into(), &key.into(), &member.into(), &value.into());
    let promise = set.apply(&JsValue::NULL, &args).unwrap();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await.unwrap();
}

/// Tokens are written packed (`[mask,value,…]`, no field names: a person's stored text is
/// shorter, and the roster reads all of it); a token written before, holding the fields'
/// object, still opens everywhere a record is read, and removing the lock opens it for good.
#[wasm_bindgen_test]
async fn tokens_are_stored_packed_and_those_stored_before_still_open() {
    let name = fresh_name("seal-packed");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let mut p = person("王建国", "城关镇", Category::Lixiu);
    p.phone = "13912345678".into();
    p.id_number = "45112219350308301X".into();
    let a = db.create(p.clone()).await.unwrap();
    db.seal_all(Some(r#"{"fails":0}"#), Some(Box::new(Toy))).await.unwrap();
    let token_of = |raw: &str| serde_json::from_str::<serde_json::Value>(raw).unwrap()["sealed"].as_str().unwrap().to_owned();
    let packed = Toy.open(a.id.as_str(), &token_of(&stored_objects(&name, "people").await[a.id.as_str()])).unwrap();
    assert_eq!(packed, r#"[7,"45112219350308301X","13912345678",""]"#);

    let older = Toy.seal(a.id.as_str(), r#"{"id_number":"45112219350308301X","phone":"13700002222","health":"高血压"}"#).unwrap();
    set_member(&name, "people", a.id.as_str(), "sealed", &older).await;
    seal::lock();
    seal::unlock(Box::new(Toy)); // forgets the tokens opened so far
    let read = db.get::<Person>(&a.id).await.unwrap().unwrap();
    assert_eq!((read.body.phone.as_str(), read.body.health.as_str()), ("13700002222", "高血压"));
    assert_eq!(db.list::<Person>().await.unwrap()[0].body.id_number, "45112219350308301X");
    let (listed, sealed) = db.list_unopened().await.unwrap();
    assert_eq!(sealed.opened(listed[0].clone()).unwrap().body.phone, "13700002222");
    db.seal_all(None, None).await.unwrap();
    let raw = &stored_objects(&name, "people").await[a.id.as_str()];
    assert!(raw.contains("13700002222") && !raw.contains("sealed"), "{raw}");
    drop_db(db, &name).await;
}

/// Each stored row of `photo_files`: its members' names, and the sealed JPEG's bytes if any.
async fn stored_photo_rows(db: &str) -> Vec<(String, Vec<u8>)> {
    let read = js_sys::Function::new_with_args(
        "name",
        "return new Promise((ok, fail) => { const r = indexedDB.open(name); r.onerror = () => fail(r.error); \
         r.onsuccess = () => { const db = r.result; const g = db.transaction('photo_files').objectStore('photo_files').getAll(); \
         g.onsuccess = () => { db.close(); ok(g.result.map((v) => [Object.keys(v).sort().join(','), \
         v.sealed_jpeg ? Array.from(new Uint8Array(v.sealed_jpeg)) : []])); }; }; })",
    );
    let promise = read.call1(&JsValue::NULL, &db.into()).unwrap();
    let rows = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await.unwrap();
    js_sys::Array::from(&rows)
        .iter()
        .map(|row| {
            let pair = js_sys::Array::from(&row);
            (pair.get(0).as_string().unwrap(), js_sys::Array::from(&pair.get(1)).iter().map(|b| b.as_f64().unwrap() as u8).collect())
        })
        .collect()
}

async fn blob_bytes(blob: &web_sys::Blob) -> Vec<u8> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await.unwrap();
    js_sys::Uint8Array::new(&buffer).to_vec()
}

/// Photos stored before a lock is set are sealed after it (`seal_photos`); one added while it is
/// set is sealed as it is stored; locked, none opens; removing the lock stores them as blobs again.
#[wasm_bindgen_test]
async fn a_lock_seals_photos_bytes_and_removing_it_opens_them() {
    let name = fresh_name("seal-photos");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let activity = RecordId::from_random([3; 16]);
    let first: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 251) as u8).collect();
    let second: Vec<u8> = (0..2000u32).map(|i| (i * 13 % 241) as u8).collect();
    let saved = db.add_photos(vec![photo_of(&activity, &first)]).await.unwrap();
    assert_eq!(stored_photo_rows(&name).await[0].0, "id,jpeg,thumb", "a blob without a lock");
    assert_eq!(db.seal_photos().await.unwrap(), 0, "no lock, nothing to seal");

    db.seal_all(Some(r#"{"fails":0}"#), Some(Box::new(Toy))).await.unwrap();
    assert_eq!(stored_photo_rows(&name).await[0].0, "id,jpeg,thumb", "not inside the lock's transaction");
    assert_eq!(db.seal_photos().await.unwrap(), 1);
    assert_eq!(db.seal_photos().await.unwrap(), 0, "done, and said so: the next unlock reads no photo");
    let rows = stored_photo_rows(&name).await;
    assert_eq!(rows[0].0, "id,sealed_jpeg,sealed_thumb");
    assert!(!rows[0].1.windows(16).any(|w| first.windows(16).any(|f| f == w)), "no run of the JPEG's bytes");
    let shown = db.photo_file(&saved[0].id, false).await.unwrap().unwrap();
    assert_eq!(blob_bytes(&shown).await, first);
    assert_eq!(shown.type_(), "image/jpeg");
    assert_eq!(blob_bytes(&db.photo_file(&saved[0].id, true).await.unwrap().unwrap()).await, first[..10]);

    let more = db.add_photos(vec![photo_of(&activity, &second)]).await.unwrap();
    assert!(stored_photo_rows(&name).await.iter().all(|r| r.0 == "id,sealed_jpeg,sealed_thumb"), "sealed as stored");
    // The export's JPEGs are plain.
    let files = db.photo_files(&[saved[0].id.clone(), more[0].id.clone()], false).await.unwrap();
    assert_eq!(blob_bytes(&files[1].1).await, second);

    seal::lock();
    assert!(db.photo_file(&saved[0].id, false).await.unwrap_err().to_string().contains("已锁定"));
    assert!(db.add_photos(vec![photo_of(&activity, &second)]).await.is_err(), "locked: no photo stored");
    seal::unlock(Box::new(Toy));
    db.seal_all(None, None).await.unwrap();
    assert!(stored_photo_rows(&name).await.iter().all(|r| r.0 == "id,jpeg,thumb"), "blobs again");
    assert_eq!(blob_bytes(&db.photo_file(&more[0].id, false).await.unwrap().unwrap()).await, second);
    drop_db(db, &name).await;
}

/// With a lock set, a person's ID number, phone and health, and a draft's typed fields, are
/// stored sealed; reads give them back while the key is held, refuse while locked, and
/// removing the lock stores them plain again. Exports see plain values.
#[wasm_bindgen_test]
async fn a_lock_seals_sensitive_fields_at_rest_and_removing_it_opens_them() {
    use sangyu::domain::draft::{key, Draft};
    let name = fresh_name("seal");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let sensitive = |n: &str, phone: &str| {
        let mut p = person(n, "城关镇", Category::Lixiu);
        p.phone = phone.into();
        p.id_number = "45112219350308301X".into();
        p.health = "高血压，行动不便".into();
        p
    };
    let before = db.create(sensitive("王建国", "13912345678")).await.unwrap();
    let draft = Draft {
        key: key("person", None),
        path: "/people/new".into(),
        title: "人员：李秀兰".into(),
        saved_ms: 1,
        base: None,
        fields: serde_json::json!({ "name": "李秀兰", "phone": "13800001111" }),
        opened: serde_json::json!({ "name": "" }),
    };
    db.put_draft(&draft).await.unwrap();
    let plain = stored_objects(&name, "people").await;
    assert!(plain[before.id.as_str()].contains("13912345678"), "plain without a lock (so the test can fail)");

    let n = db.seal_all(Some(r#"{"fails":0}"#), Some(Box::new(Toy))).await.unwrap();
    assert_eq!(n, 2, "the person and the draft");
    let after = db.create(sensitive("张秀英", "13700002222")).await.unwrap();
    let people = stored_objects(&name, "people").await;
    for (id, phone) in [(&before.id, "13912345678"), (&after.id, "13700002222")] {
        let raw = &people[id.as_str()];
        for secret in [phone, "45112219350308301X", "高血压"] {
            assert!(!raw.contains(secret), "{secret} sealed in {raw}");
        }
        assert!(raw.contains("\"sealed\"") && raw.contains("城关镇"), "names and places stay: {raw}");
    }
    let drafts = stored_objects(&name, "drafts").await;
    assert!(drafts.values().all(|d| !d.contains("13800001111") && d.contains("人员：李秀兰")), "{drafts:?}");
    assert_eq!(db.get::<Person>(&before.id).await.unwrap().unwrap().body.phone, "13912345678");
    assert_eq!(db.list::<Person>().await.unwrap().len(), 2);
    assert_eq!(db.draft(&draft.key).await.unwrap(), Some(draft.clone()));
    let export = db.export(None).await.unwrap();
    let text = serde_json::to_string(&export.records.iter().map(|(_, d)| d).collect::<Vec<_>>()).unwrap();
    assert!(text.contains("13700002222") && !text.contains("sealed"), "files carry plain values");

    // Locked: nothing sealed reads, nothing sensitive writes.
    seal::lock();
    let refused = db.get::<Person>(&before.id).await.unwrap_err().to_string();
    assert!(refused.contains("已锁定"), "{refused}");
    assert!(db.create(sensitive("李四", "13600003333")).await.is_err());
    assert!(db.list::<Org>().await.is_ok(), "stores with nothing sealed still read");

    // A reopened database knows it is locked; unlocked, the lock removed: plain again.
    db.close();
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert!(db.get::<Person>(&before.id).await.is_err());
    seal::unlock(Box::new(Toy));
    assert_eq!(db.seal_all(None, None).await.unwrap(), 3);
    let people = stored_objects(&name, "people").await;
    assert!(people[after.id.as_str()].contains("13700002222") && !people[after.id.as_str()].contains("sealed"));
    db.close();
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(db.get::<Person>(&after.id).await.unwrap().unwrap().body.health, "高血压，行动不便");
    assert_eq!(db.lock_row().await.unwrap(), None);
    drop_db(db, &name).await;
}

/// The roster's read (`list_unopened`): without a lock it is the list itself; with one, the
/// same people with their sealed fields left out until opened, each opening to what `list`
/// gives, and to nothing once locked.
#[wasm_bindgen_test]
async fn the_roster_read_leaves_sealed_fields_sealed_until_a_row_opens_them() {
    let name = fresh_name("seal-roster");
    let db = Db::open_at(&name, SCHEMA_VERSION).await.unwrap();
    for (n, phone) in [("王建国", "13912345678"), ("张秀英", ""), ("李四", "13600003333")] {
        let mut p = person(n, "城关镇", Category::Lixiu);
        p.phone = phone.into();
        p.id_number = "45112219350308301X".into();
        p.health = "高血压".into();
        db.create(p).await.unwrap();
    }
    let whole = db.list::<Person>().await.unwrap();
    let (plain, none) = db.list_unopened().await.unwrap();
    assert!(none.is_empty());
    assert_eq!(plain, whole, "no lock: the roster read is the list");

    db.seal_all(Some(r#"{"fails":0}"#), Some(Box::new(Toy))).await.unwrap();
    let (read, sealed) = db.list_unopened().await.unwrap();
    assert!(!sealed.is_empty());
    assert_eq!(read.len(), 3);
    for (r, w) in read.iter().zip(&whole) {
        assert_eq!((&r.id, &r.body.name, &r.updated), (&w.id, &w.body.name, &w.updated));
        assert!(r.body.phone.is_empty() && r.body.id_number.is_empty() && r.body.health.is_empty(), "left sealed: {r:?}");
        assert_eq!(&sealed.opened(r.clone()).unwrap(), w, "opened, the person whole");
        assert_eq!(&sealed.shown(r.clone()), w);
    }
    assert_eq!(sealed.opened_all(&read).unwrap(), whole);
    seal::lock();
    assert!(sealed.opened(read[0].clone()).is_err(), "locked: nothing opens");
    assert!(sealed.shown(read[0].clone()).body.id_number.is_empty(), "and a row shows without it");
    seal::unlock(Box::new(Toy));
    drop_db(db, &name).await;
}
