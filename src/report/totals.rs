//! Totals over the work log for a scope (a period, a township, an organiser); the summary
//! paragraph built from them is in `summary.rs`.

use std::collections::HashSet;

use super::organisers::{kinds, organiser_of, Organiser};
use super::scope::tenth_hours;
pub use super::scope::{ActivityTotals, Scope};
use crate::domain::{
    Activity, ActivityKind, Benefit, BenefitKind, CaseStatus, Feedback, FeedbackStatus, Fen, MediationCase, Org,
    Person, Record, RecordId,
};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BenefitTotals {
    /// Distinct people.
    pub people: u64,
    /// Payments or services (人次).
    pub person_times: u64,
    pub amount: Fen,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Per kind, in `ActivityKind::ALL` order; kinds with no records are left out.
    pub activities: Vec<(ActivityKind, ActivityTotals)>,
    pub benefits: Vec<(BenefitKind, BenefitTotals)>,
    pub cases: u64,
    pub cases_resolved: u64,
    pub case_beneficiaries: u64,
    pub feedback: u64,
    pub feedback_handled: u64,
    /// Volunteer hours (tenths) per organising team, branch or centre.
    pub team_hours: std::collections::BTreeMap<RecordId, u64>,
    /// Per activity kind and organiser kind, in that order; empty slots left out.
    pub by_organiser: Vec<(ActivityKind, Organiser, ActivityTotals)>,
    /// Records in the period the scope cannot place (feedback in a township's report;
    /// payments, cases and feedback in an organiser's), by their table group: said in the
    /// table, never counted as the scope's.
    pub apart: Vec<(&'static str, u64)>,
}

impl Totals {
    pub fn activity(&self, kind: ActivityKind) -> Option<&ActivityTotals> {
        self.activities.iter().find(|(k, _)| *k == kind).map(|(_, t)| t)
    }

    pub fn benefit(&self, kind: BenefitKind) -> Option<&BenefitTotals> {
        self.benefits.iter().find(|(k, _)| *k == kind).map(|(_, t)| t)
    }
}

/// People by id: benefits name their recipient, and 30,000 payments must not each search
/// 10,000 people.
pub fn by_id(people: &[Record<Person>]) -> std::collections::HashMap<&RecordId, &Record<Person>> {
    people.iter().map(|p| (&p.id, p)).collect()
}

/// Live records only. Benefits follow the township of the person paid; cases their own.
pub fn totals(
    scope: &Scope,
    activities: &[Record<Activity>],
    benefits: &[Record<Benefit>],
    cases: &[Record<MediationCase>],
    feedback: &[Record<Feedback>],
    people: &[Record<Person>],
    orgs: &[Record<Org>],
) -> Totals {
    let mut out = Totals::default();
    // One pass over each list (100,000 records), each record added to its kind's slot and to
    // its kind and organiser's.
    let org_kinds = kinds(orgs);
    let mut acts = vec![ActivityTotals::default(); ActivityKind::ALL.len()];
    let mut by_org = vec![ActivityTotals::default(); ActivityKind::ALL.len() * Organiser::ALL.len()];
    for a in activities.iter().filter(|a| !a.deleted && scope.takes(&a.body) && scope.recorded(&a.clock)) {
        let b = &a.body;
        let Some(k) = ActivityKind::ALL.iter().position(|k| *k == b.kind) else { continue };
        let o = organiser_of(b, &org_kinds) as usize;
        for t in [acts.get_mut(k), by_org.get_mut(k * Organiser::ALL.len() + o)].into_iter().flatten() {
            t.add(b);
        }
        let hours = tenth_hours(b);
        if let (Some(team), true) = (&b.organiser, hours > 0) {
            *out.team_hours.entry(team.clone()).or_default() += hours;
        }
    }
    out.by_organiser = ActivityKind::ALL
        .iter()
        .flat_map(|k| Organiser::ALL.iter().map(move |o| (*k, *o)))
        .zip(by_org)
        .filter(|(_, t)| t.records > 0)
        .map(|((k, o), t)| (k, o, t))
        .collect();
    out.activities = ActivityKind::ALL.iter().copied().zip(acts).filter(|(_, t)| t.records > 0).collect();

    let towns = by_id(people);
    let township_of = |id: &RecordId| towns.get(id).map(|p| p.body.township.as_str());
    let mut bens: Vec<(BenefitTotals, HashSet<&RecordId>)> = vec![Default::default(); BenefitKind::ALL.len()];
    let period = Scope { from: scope.from, to: scope.to, ..Scope::default() };
    let mut apart = [("待遇落实", 0u64), ("矛盾调解", 0), ("群众反馈", 0)];
    for b in benefits.iter().filter(|b| !b.deleted && scope.recorded(&b.clock)) {
        if !scope.takes_payment(&b.body, township_of(&b.body.person)) {
            apart[0].1 += u64::from(scope.organiser.is_some() && period.contains(b.body.date));
            continue;
        }
        let Some((t, who)) = BenefitKind::ALL.iter().position(|k| *k == b.body.kind).and_then(|i| bens.get_mut(i))
        else {
            continue;
        };
        t.person_times += 1;
        t.amount.0 = t.amount.0.saturating_add(b.body.amount.0);
        who.insert(&b.body.person);
    }
    out.benefits = BenefitKind::ALL
        .iter()
        .copied()
        .zip(bens)
        .filter(|(_, (t, _))| t.person_times > 0)
        .map(|(k, (t, who))| (k, BenefitTotals { people: who.len() as u64, ..t }))
        .collect();
    for c in cases.iter().filter(|c| !c.deleted && scope.recorded(&c.clock)) {
        if !scope.takes_case(&c.body) {
            apart[1].1 += u64::from(scope.organiser.is_some() && period.takes_case(&c.body));
            continue;
        }
        out.cases += 1;
        out.cases_resolved += u64::from(c.body.status == CaseStatus::Resolved);
        out.case_beneficiaries += u64::from(c.body.beneficiaries);
    }
    for f in feedback.iter().filter(|f| !f.deleted && scope.recorded(&f.clock)) {
        if !scope.takes_feedback(&f.body) {
            apart[2].1 += u64::from(period.takes_feedback(&f.body));
            continue;
        }
        out.feedback += 1;
        out.feedback_handled += u64::from(f.body.status == FeedbackStatus::Handled);
    }
    out.apart = apart.into_iter().filter(|(_, n)| *n > 0).collect();
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
pub(crate) mod tests {
    use super::*;
    use crate::domain::fixtures::today;
    use crate::domain::{ActivityForm, BenefitForm, Date, DeviceId, Gender, Hlc, PersonForm};

    fn rec<T>(n: u32, body: T) -> Record<T> {
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        Record::create(RecordId::from_random(bytes), body, Hlc { ms: 1, count: 0 }, DeviceId::from_random([0; 16]))
    }

    fn lecture(n: u32, date: &str, township: &str, audience: u32, leaflets: u32) -> Record<Activity> {
        rec(
            n,
            ActivityForm {
                kind: "lecture".into(),
                theme: "宣讲".into(),
                date: date.into(),
                township: township.into(),
                audience: audience.to_string(),
                leaflets: leaflets.to_string(),
                ..ActivityForm::default()
            }
            .validate(today())
            .unwrap(),
        )
    }

    pub(crate) type County = (Vec<Record<Person>>, Vec<Record<Activity>>, Vec<Record<Benefit>>);

    /// The small county and its totals since 2021, the article's period.
    pub(crate) fn county_since_2021() -> (County, Scope, Totals) {
        let county = county();
        let scope = Scope { from: Date::new(2021, 1, 1), ..Scope::default() };
        let t = totals(&scope, &county.1, &county.2, &[], &[], &county.0, &[]);
        (county, scope, t)
    }

    /// A small county shaped like the article: lectures since 2021, a training, holiday visits.
    pub(crate) fn county() -> County {
        let people: Vec<_> = (0..4u32)
            .map(|i| {
                rec(
                    1_000 + i,
                    PersonForm {
                        name: format!("人{i}"),
                        gender: Gender::Male.key().into(),
                        birth_date: "1930-01-01".into(),
                        category: "lixiu".into(),
                        township: if i < 3 { "城关镇" } else { "八步街道" }.into(),
                        ..PersonForm::default()
                    }
                    .validate(today())
                    .unwrap(),
                )
            })
            .collect();
        let mut acts: Vec<_> = (0..223u32)
            .map(|i| lecture(i, if i < 3 { "2020-12-01" } else { "2023-06-01" }, "城关镇", 230, 15))
            .collect();
        acts.push(rec(
            5_000,
            ActivityForm {
                kind: "training".into(),
                theme: "竹笋种植".into(),
                date: "2024-04-01".into(),
                township: "八步街道".into(),
                sessions: "3".into(),
                trainees: "2857".into(),
                talents: "55".into(),
                self_employed: "55".into(),
                income_raised: "2100".into(),
                ..ActivityForm::default()
            }
            .validate(today())
            .unwrap(),
        ));
        let mut gone = lecture(6_000, "2024-01-01", "城关镇", 99_999, 0);
        gone.deleted = true;
        acts.push(gone);
        let benefits: Vec<_> = (0..185u32)
            .map(|i| {
                rec(
                    7_000 + i,
                    BenefitForm {
                        kind: "holiday_visit".into(),
                        person: Some(people[(i % 4) as usize].id.clone()),
                        date: "2024-01-20".into(),
                        amount: if i == 0 { "700".into() } else { "575".into() },
                        ..BenefitForm::default()
                    }
                    .validate(today())
                    .unwrap(),
                )
            })
            .collect();
        (people, acts, benefits)
    }

    #[test]
    fn labels_and_empty_reports() {
        let d = |s: &str| s.parse::<Date>().ok();
        assert_eq!(Scope { from: d("2021-03-15"), ..Scope::default() }.label(), "2021年3月15日以来");
        assert_eq!(
            Scope { from: d("2026-03-01"), to: d("2026-05-31"), ..Scope::default() }.label(),
            "2026年3月1日至2026年5月31日"
        );
    }
}
