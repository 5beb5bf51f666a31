//! The same person entered twice: two townships offline may each register one cadre under
//! different ids. Candidates are listed for a person to confirm; nothing merges by itself.

use std::collections::HashMap;

use crate::domain::search::{same_sounds, PinyinTable};
use serde_json::Value;

use super::merge::Doc;
use crate::domain::Person;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    IdNumber,
    NameAndBirth,
    SoundAndYear,
}

impl Why {
    pub fn label(self) -> &'static str {
        match self {
            Why::IdNumber => "身份证号相同",
            Why::NameAndBirth => "姓名和出生日期相同",
            Why::SoundAndYear => "姓名读音相同且同年出生",
        }
    }
}

/// A pair of indices into the list given to [`candidates`], the strongest reason first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub why: Why,
}

/// Pairs of people who may be one person: same ID number; same name and birth date; names
/// read alike (needs the pinyin table) and born the same year. Each pair once, by its
/// strongest reason. Compares within a birth year, so 10,000 people stay cheap.
pub fn candidates(people: &[&Person], table: Option<&PinyinTable>) -> Vec<Pair> {
    let mut found: HashMap<(usize, usize), Why> = HashMap::new();
    let mut note = |a: usize, b: usize, why: Why| {
        let e = found.entry((a.min(b), a.max(b))).or_insert(why);
        *e = (*e).min(why);
    };
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_year: HashMap<Option<u16>, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        if !p.id_number.is_empty() {
            if let Some(&j) = by_id.get(p.id_number.as_str()) {
                note(j, i, Why::IdNumber);
            }
            by_id.insert(&p.id_number, i);
        }
        by_year.entry(p.birth_date.map(|d| d.year())).or_default().push(i);
    }
    // Readings once per person; pairs are compared only within one birth year.
    let sounds: Vec<Vec<Vec<u32>>> = match table {
        Some(t) => people.iter().map(|p| t.sounds(&p.name)).collect(),
        None => Vec::new(),
    };
    for (year, group) in &by_year {
        for (n, &i) in group.iter().enumerate() {
            for &j in &group[n + 1..] {
                let (p, q) = (people[i], people[j]);
                if p.name == q.name && p.birth_date == q.birth_date {
                    note(i, j, Why::NameAndBirth);
                } else if year.is_some() && !sounds.is_empty() && same_sounds(&sounds[i], &sounds[j]) {
                    note(i, j, Why::SoundAndYear);
                }
            }
        }
    }
    let mut pairs: Vec<Pair> = found.into_iter().map(|((a, b), why)| Pair { a, b, why }).collect();
    pairs.sort_by_key(|p| (p.why, p.a, p.b));
    pairs
}

/// Replaces every reference to `from` in a record body (participants, recipient, members,
/// leader, spouse...) with `to`. Ids are UUIDs, so an equal string is that reference.
pub fn repoint(value: &mut Value, from: &str, to: &str) -> bool {
    match value {
        Value::String(s) if s == from => {
            *s = to.to_owned();
            true
        }
        Value::Array(items) => items.iter_mut().fold(false, |hit, v| repoint(v, from, to) | hit),
        Value::Object(map) => map.values_mut().fold(false, |hit, v| repoint(v, from, to) | hit),
        _ => false,
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The merge of `drop` into `keep`, as new bodies for every record that changes: `keep`
/// gains what only `drop` knew (a phone, an ID number...), `drop` is retired pointing at
/// `keep`, and every other record's references move to `keep`. Storage writes them in one
/// transaction as ordinary edits, so the merge travels to other offices like any change.
pub fn merge_people(keep: &Doc, drop: &Doc, others: &[Doc]) -> Vec<Doc> {
    let (k, d) = (keep.id.as_str(), drop.id.as_str());
    let mut kept = keep.clone();
    if let (Some(into), Some(from)) = (kept.body.as_object_mut(), drop.body.as_object()) {
        for (field, value) in from {
            if field != "merged_into" && into.get(field).is_none_or(is_blank) && !is_blank(value) {
                into.insert(field.clone(), value.clone());
            }
        }
    }
    let mut retired = drop.clone();
    retired.deleted = true;
    if let Some(body) = retired.body.as_object_mut() {
        body.insert("merged_into".into(), Value::String(k.to_owned()));
    }
    let mut out = vec![kept, retired];
    for doc in others.iter().filter(|o| o.id != keep.id && o.id != drop.id) {
        let mut new = doc.clone();
        if repoint(&mut new.body, d, k) {
            out.push(new);
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::{Date, PersonForm};

    fn person(name: &str, birth: &str, id: &str) -> Person {
        let form = PersonForm {
            name: name.into(),
            gender: "male".into(),
            birth_date: birth.into(),
            category: "lixiu".into(),
            township: "城关镇".into(),
            id_number: id.into(),
            ..PersonForm::default()
        };
        form.validate(Date::new(2026, 11, 29).unwrap()).unwrap()
    }

    #[test]
    fn merging_fills_gaps_retires_the_copy_and_repoints_references() {
        use crate::domain::{DeviceId, Hlc, Record, RecordId};
        use serde_json::json;
        let doc = |n: u8, body: Value| {
            Record::create(RecordId::from_random([n; 16]), body, Hlc::ZERO, DeviceId::from_random([0; 16]))
        };
        let keep = doc(1, json!({"name": "王建国", "phone": "", "health": "良好"}));
        let drop = doc(2, json!({"name": "王建国", "phone": "13900000001", "health": "一般"}));
        let (k, d) = (keep.id.to_string(), drop.id.to_string());
        let activity = doc(3, json!({"theme": "宣讲", "participants": [{"person": d, "tenth_hours": 20}]}));
        let benefit = doc(4, json!({"person": d, "amount": 50000}));
        let unrelated = doc(5, json!({"person": "someone-else"}));
        let out = merge_people(&keep, &drop, &[keep.clone(), drop.clone(), activity, benefit, unrelated]);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].body, json!({"name": "王建国", "phone": "13900000001", "health": "良好"}));
        assert!(out[1].deleted);
        assert_eq!(out[1].body["merged_into"], json!(k));
        assert_eq!(out[2].body["participants"][0]["person"], json!(k));
        assert_eq!(out[3].body["person"], json!(k));
    }

    #[test]
    fn finds_each_kind_of_likely_duplicate_once() {
        let table = PinyinTable::parse("wang\t王\njian\t建\nguo\t国果\nli\t李\nmei\t梅\n");
        let people = [
            person("王建国", "1931-05-04", "520424193105040016"),
            person("王建国", "1931-05-04", ""),
            person("王建果", "1931-01-01", ""),
            person("李梅", "1931-05-04", "520424193105040016"),
            person("李梅", "1940-01-01", ""),
        ];
        let refs: Vec<&Person> = people.iter().collect();
        let got: Vec<(usize, usize, Why)> = candidates(&refs, Some(&table)).iter().map(|p| (p.a, p.b, p.why)).collect();
        assert_eq!(
            got,
            [(0, 3, Why::IdNumber), (0, 1, Why::NameAndBirth), (0, 2, Why::SoundAndYear), (1, 2, Why::SoundAndYear)]
        );
        assert_eq!(candidates(&refs, None).len(), 2, "without the table only exact matches");
    }
}
