//! Records that arrived under a rule a file may relax (docs/file-format.md: an ID number's
//! check digit, a phone number's format, the forms' shorter limits, a date after this device's
//! today, a link to a record not here yet). A file brings them in rather than losing the rest
//! of its records; this lists them for someone to check (待核对), each with the rule it breaks
//! in the words its form would use, until the record is fixed.
//!
//! The rules are the forms' own: a record is read into its form and validated, so what is
//! listed is exactly what its form would refuse to save, and fixing it there clears it.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::merge::Doc;
use super::{SyncKind, Written};
use crate::domain::{
    Activity, ActivityForm, Benefit, BenefitForm, CaseForm, Date, Feedback, FeedbackForm, FieldErrors, MediationCase,
    Org, OrgForm, Person, PersonForm, Photo, RecordId,
};

/// One record to check, as this device keeps the list (local, never exported).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flag {
    pub kind: String,
    pub id: RecordId,
}

/// What is wrong with a record: the field's label and the form's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concern {
    pub label: String,
    pub message: String,
}

/// A record's body to check: a stored or merged record's JSON, or its text in a file's line
/// (an import checks every record it writes: read once, as its kind, with no JSON tree).
#[derive(Clone, Copy)]
pub enum Body<'a> {
    Json(&'a serde_json::Value),
    Text(&'a str),
}

fn typed<T: serde::de::DeserializeOwned>(body: Body) -> Option<T> {
    match body {
        Body::Json(v) => T::deserialize(v).ok(),
        Body::Text(t) => serde_json::from_str::<T>(t).ok(),
    }
}

type Link = (SyncKind, &'static str, RecordId);

fn person_links(p: &Person) -> Vec<Link> {
    let mut out = Vec::new();
    out.extend(p.branch.iter().map(|id| (SyncKind::Org, "branch", id.clone())));
    out.extend(p.spouse.iter().map(|id| (SyncKind::Person, "spouse", id.clone())));
    out
}

fn activity_links(a: &Activity) -> Vec<Link> {
    let mut out: Vec<Link> = a.organiser.iter().map(|id| (SyncKind::Org, "organiser", id.clone())).collect();
    out.extend(a.participants.iter().map(|p| (SyncKind::Person, "participants", p.person.clone())));
    out
}

fn org_links(o: &Org) -> Vec<Link> {
    let mut out: Vec<Link> = o.leader.iter().map(|id| (SyncKind::Person, "leader", id.clone())).collect();
    out.extend(o.members.iter().map(|id| (SyncKind::Person, "members", id.clone())));
    out
}

/// What the record's form would refuse, and the ids it links to, from one reading of its
/// body (an import checks every record it writes, so once matters).
fn checked(kind: SyncKind, doc: Body, today: Date) -> (Result<(), FieldErrors>, Vec<Link>) {
    fn read<T: serde::de::DeserializeOwned>(
        doc: Body,
        check: impl FnOnce(T) -> (Result<(), FieldErrors>, Vec<Link>),
    ) -> (Result<(), FieldErrors>, Vec<Link>) {
        // A body that does not read as its kind never passed the file's rules; nothing to list.
        typed::<T>(doc).map_or((Ok(()), Vec::new()), check)
    }
    match kind {
        SyncKind::Person => {
            read(doc, |p: Person| (PersonForm::from_person(&p).validate(today).map(drop), person_links(&p)))
        }
        SyncKind::Activity => {
            read(doc, |a: Activity| (ActivityForm::from_activity(&a).validate(today).map(drop), activity_links(&a)))
        }
        SyncKind::Benefit => read(doc, |b: Benefit| {
            let link = vec![(SyncKind::Person, "person", b.person.clone())];
            (BenefitForm::from_benefit(&b).validate(today).map(drop), link)
        }),
        SyncKind::Case => read(doc, |c: MediationCase| (CaseForm::from_case(&c).validate(today).map(drop), Vec::new())),
        SyncKind::Feedback => {
            read(doc, |f: Feedback| (FeedbackForm::from_feedback(&f).validate(today).map(drop), Vec::new()))
        }
        SyncKind::Org => read(doc, |o: Org| (OrgForm::from_org(&o).validate().map(drop), org_links(&o))),
        SyncKind::Photo => read(doc, |p: Photo| (Ok(()), vec![(SyncKind::Activity, "activity", p.activity)])),
        SyncKind::Place | SyncKind::Room | SyncKind::Duty => (Ok(()), Vec::new()),
    }
}

/// The ids a record links to, each with the kind it must be and the field that holds it.
pub fn links(kind: SyncKind, doc: &Doc) -> Vec<Link> {
    checked(kind, Body::Json(&doc.body), Date::EPOCH).1
}

/// What the record's form would refuse, and its links to records this device does not have
/// (`here` says which it has). A deleted record needs no checking.
pub fn concerns(kind: SyncKind, doc: &Doc, today: Date, here: &dyn Fn(&RecordId) -> bool) -> Vec<Concern> {
    concerns_in(kind, Body::Json(&doc.body), doc.deleted, today, here)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn probe_concerns(kind: SyncKind, body: Body, today: Date) -> usize {
    concerns_in(kind, body, false, today, &|_| true).len()
}

fn concerns_in(
    kind: SyncKind,
    body: Body,
    deleted: bool,
    today: Date,
    here: &dyn Fn(&RecordId) -> bool,
) -> Vec<Concern> {
    if deleted {
        return Vec::new();
    }
    let (form, links) = checked(kind, body, today);
    let mut out: Vec<Concern> = match form {
        Ok(()) => Vec::new(),
        Err(errors) => {
            errors.0.into_iter().map(|e| Concern { label: e.label.to_owned(), message: e.message }).collect()
        }
    };
    let mut said = HashSet::new();
    for (_, field, id) in links {
        if !here(&id) && said.insert(field) {
            out.push(Concern {
                label: kind.field_label(field).to_owned(),
                message: "关联的记录不在本机（可能在对方以后发来的文件里）".into(),
            });
        }
    }
    out
}

/// The list after an import: what was listed and is untouched by the file stays while it
/// still breaks a rule (a link may now be resolved), and every record the file wrote is
/// checked afresh. `local` is every stored record before the import.
pub fn relist<'a>(
    listed: &[Flag],
    local: &HashMap<RecordId, (SyncKind, Doc)>,
    written: impl Iterator<Item = (SyncKind, Written<'a>)>,
    today: Date,
) -> Vec<Flag> {
    // By the ids' bits: 100,000 written records keyed by their id texts were 10 MB more.
    let written: HashMap<u128, (SyncKind, Written)> =
        written.filter_map(|(k, w)| Some((w.bits()?, (k, w)))).collect();
    let here = |id: &RecordId| written.contains_key(&id.bits()) || local.contains_key(id);
    let mut out: Vec<Flag> = listed
        .iter()
        .filter(|f| !written.contains_key(&f.id.bits()))
        .filter(|f| local.get(&f.id).is_some_and(|(k, d)| !concerns(*k, d, today, &here).is_empty()))
        .cloned()
        .collect();
    let flagged = |k: SyncKind, w: &Written| match w.body() {
        Some(b) => !concerns_in(k, b, w.deleted(), today, &here).is_empty(),
        None => w.doc().is_some_and(|d| !concerns(k, &d, today, &here).is_empty()),
    };
    let mut fresh: Vec<Flag> = written
        .iter()
        .filter(|(_, (k, w))| flagged(*k, w))
        .map(|(id, (k, _))| Flag { kind: k.key().to_owned(), id: RecordId::from_bits(*id) })
        .collect();
    fresh.sort_by(|a, b| a.id.cmp(&b.id));
    out.extend(fresh);
    out
}

/// Where a listed record is fixed: its form (a photo's, its activity's).
pub fn form_href(kind: SyncKind, doc: &Doc) -> String {
    let id = doc.id.as_str();
    match kind {
        SyncKind::Person => format!("/people/{id}/edit"),
        SyncKind::Activity => format!("/activities/{id}/edit"),
        SyncKind::Benefit => format!("/benefits/{id}/edit"),
        SyncKind::Case => format!("/cases?edit={id}"),
        SyncKind::Feedback => format!("/feedback?edit={id}"),
        SyncKind::Org => format!("/orgs/{id}/edit"),
        SyncKind::Photo => match typed::<Photo>(Body::Json(&doc.body)) {
            Some(p) => format!("/activities/{}", p.activity),
            None => "/log".into(),
        },
        SyncKind::Place => "/settings/places".into(),
        SyncKind::Room | SyncKind::Duty => "/station".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Hlc, Record};
    use serde_json::{json, Value};

    fn doc(n: u8, body: Value) -> Doc {
        Record::create(
            RecordId::from_random([n; 16]),
            body,
            Hlc { ms: 1_764_000_000_000, count: 0 },
            crate::domain::DeviceId::from_random([0xaa; 16]),
        )
    }

    fn person(n: u8, id_number: &str) -> Doc {
        doc(
            n,
            json!({"name": "王建国", "gender": "male", "birth_date": "1931-05-04", "category": "lixiu",
                   "township": "城关镇", "id_number": id_number}),
        )
    }

    fn today() -> Date {
        Date::new(2026, 12, 3).unwrap()
    }

    #[test]
    fn a_wrong_check_digit_is_said_as_the_form_says_it() {
        let bad = person(1, "520424193105040017");
        let c = concerns(SyncKind::Person, &bad, today(), &|_| true);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].label, "身份证号");
        assert!(c[0].message.contains("校验"), "{c:?}");
        let good = person(2, "");
        assert_eq!(concerns(SyncKind::Person, &good, today(), &|_| true), vec![]);
        let mut gone = bad.clone();
        gone.deleted = true;
        assert_eq!(concerns(SyncKind::Person, &gone, today(), &|_| true), vec![]);
    }

    #[test]
    fn a_link_to_a_record_not_here_is_listed_until_it_arrives() {
        let missing = RecordId::from_random([9; 16]);
        let pay =
            doc(3, json!({"kind": "holiday_visit", "person": missing.as_str(), "date": "2026-03-01", "amount": 10000}));
        let c = concerns(SyncKind::Benefit, &pay, today(), &|_| false);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(c[0].message.contains("不在本机"));
        // Listed after the import that brought it...
        let local = HashMap::new();
        let flags = relist(&[], &local, [(SyncKind::Benefit, Written::Made(&pay))].into_iter(), today());
        assert_eq!(flags, vec![Flag { kind: "benefit".into(), id: pay.id.clone() }]);
        // ...and gone once a later file brings the person.
        let mut local = HashMap::new();
        local.insert(pay.id.clone(), (SyncKind::Benefit, pay.clone()));
        let mut him = person(9, "");
        him.id = missing;
        assert_eq!(relist(&flags, &local, [(SyncKind::Person, Written::Made(&him))].into_iter(), today()), vec![]);
    }

    #[test]
    fn a_record_fixed_by_a_later_file_leaves_the_list() {
        let bad = person(1, "520424193105040017");
        let flags = relist(&[], &HashMap::new(), [(SyncKind::Person, Written::Made(&bad))].into_iter(), today());
        assert_eq!(flags.len(), 1);
        let mut local = HashMap::new();
        local.insert(bad.id.clone(), (SyncKind::Person, bad.clone()));
        // Another file leaves it alone: it stays.
        assert_eq!(relist(&flags, &local, std::iter::empty(), today()), flags);
        // A file brings it fixed: it goes.
        let mut fixed = bad.clone();
        fixed.body["id_number"] = json!("");
        assert_eq!(relist(&flags, &local, [(SyncKind::Person, Written::Made(&fixed))].into_iter(), today()), vec![]);
    }

    #[test]
    fn a_date_after_today_is_listed() {
        let later = doc(
            4,
            json!({"kind": "lecture", "theme": "党史宣讲", "date": "2999-01-01", "township": "城关镇", "venue": "school", "sessions": 1}),
        );
        let c = concerns(SyncKind::Activity, &later, today(), &|_| true);
        assert_eq!(c.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), vec!["日期"], "{c:?}");
    }
}
