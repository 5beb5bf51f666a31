//! The lists the office works through: who is still due a visit or a subsidy this year, and
//! each volunteer's hours.

use std::collections::{BTreeMap, HashSet};

use crate::domain::order::sort_by;
use crate::domain::{Activity, Benefit, BenefitKind, Category, Person, Record, RecordId};

/// Living, not deleted people who received no (live) benefit of `kind` dated in `year`.
/// A benefit counts for its own year only: last year's visit does not carry over.
pub fn not_yet_received<'a>(
    people: &'a [Record<Person>],
    benefits: &[Record<Benefit>],
    kind: BenefitKind,
    year: u16,
    who: impl Fn(&Person) -> bool,
) -> Vec<&'a Record<Person>> {
    let done: HashSet<&RecordId> = benefits
        .iter()
        .filter(|b| !b.deleted && b.body.kind == kind && b.body.date.year() == year)
        .map(|b| &b.body.person)
        .collect();
    let mut due: Vec<_> =
        people.iter().filter(|r| !r.deleted && r.body.is_living() && who(&r.body) && !done.contains(&r.id)).collect();
    sort_by(&mut due, |a, b| (&a.body.township, &a.body.name).cmp(&(&b.body.township, &b.body.name)));
    due
}

/// 离休 cadres and widow(er)s still to be visited in this year's holiday visits.
pub fn holiday_visits_due<'a>(
    people: &'a [Record<Person>],
    benefits: &[Record<Benefit>],
    year: u16,
) -> Vec<&'a Record<Person>> {
    not_yet_received(people, benefits, BenefitKind::HolidayVisit, year, |p| {
        matches!(p.category, Category::Lixiu | Category::Widow)
    })
}

/// Widow(er)s with no work income still to receive this year's medical hardship subsidy.
pub fn widow_subsidies_due<'a>(
    people: &'a [Record<Person>],
    benefits: &[Record<Benefit>],
    year: u16,
) -> Vec<&'a Record<Person>> {
    not_yet_received(people, benefits, BenefitKind::WidowSubsidy, year, |p| {
        p.category == Category::Widow && p.no_work_income
    })
}

/// Living widow(er)s whose "no work income" is not set and who received no subsidy this year:
/// the subsidy list cannot tell whether they are due one, so the office is asked to check
/// rather than being told all is done (a roster import may not have carried the flag).
pub fn widows_to_check<'a>(
    people: &'a [Record<Person>],
    benefits: &[Record<Benefit>],
    year: u16,
) -> Vec<&'a Record<Person>> {
    not_yet_received(people, benefits, BenefitKind::WidowSubsidy, year, |p| {
        p.category == Category::Widow && !p.no_work_income
    })
}

/// One person's volunteer hours (in tenths) per year, from the activities they took part in.
/// Widened to u64: a u32 of tenths wraps at 429 million, which two stored entries could pass.
pub fn volunteer_hours_by_year(person: &RecordId, activities: &[Record<Activity>]) -> BTreeMap<u16, u64> {
    let mut by_year = BTreeMap::new();
    for a in activities.iter().filter(|a| !a.deleted) {
        for p in a.body.participants.iter().filter(|p| &p.person == person) {
            *by_year.entry(a.body.date.year()).or_insert(0) += u64::from(p.tenth_hours);
        }
    }
    by_year
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::{ActivityForm, BenefitForm, Date, DeviceId, Gender, Hlc, PersonForm};

    fn today() -> Date {
        Date::new(2026, 11, 29).unwrap()
    }

    fn rec<T>(n: u8, body: T) -> Record<T> {
        Record::create(RecordId::from_random([n; 16]), body, Hlc { ms: 1, count: 0 }, DeviceId::from_random([0; 16]))
    }

    fn person(n: u8, name: &str, category: &str, no_work: bool) -> Record<Person> {
        rec(
            n,
            PersonForm {
                name: name.into(),
                gender: Gender::Female.key().into(),
                birth_date: "1935-01-01".into(),
                category: category.into(),
                township: "城关镇".into(),
                no_work_income: no_work,
                ..PersonForm::default()
            }
            .validate(today())
            .unwrap(),
        )
    }

    fn paid(n: u8, kind: &str, who: &Record<Person>, date: &str) -> Record<Benefit> {
        rec(
            n,
            BenefitForm {
                kind: kind.into(),
                person: Some(who.id.clone()),
                date: date.into(),
                amount: "500".into(),
                ..BenefitForm::default()
            }
            .validate(today())
            .unwrap(),
        )
    }

    #[test]
    fn widows_without_the_no_income_flag_are_listed_to_check_not_dropped() {
        let flagged = person(1, "甲", "widow", true);
        let unflagged = person(2, "乙", "widow", false);
        let paid_already = person(3, "丙", "widow", false);
        let people = [flagged, unflagged, paid_already.clone()];
        let benefits = [paid(10, "widow_subsidy", &paid_already, "2026-03-01")];
        let names = |v: Vec<&Record<Person>>| v.into_iter().map(|r| r.body.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(widow_subsidies_due(&people, &benefits, 2026)), ["甲"]);
        assert_eq!(names(widows_to_check(&people, &benefits, 2026)), ["乙"]);
    }

    #[test]
    fn a_visit_counts_for_its_own_year_only() {
        let a = person(1, "甲", "lixiu", false);
        let b = person(2, "乙", "widow", true);
        let c = person(3, "丙", "tuixiu", false);
        let mut d = person(4, "丁", "lixiu", false);
        d.body.deceased_on = Some(Date::new(2025, 6, 1).unwrap());
        let people = [a.clone(), b.clone(), c, d];
        let mut undone = paid(12, "holiday_visit", &b, "2026-02-01");
        undone.deleted = true;
        let benefits =
            [paid(10, "holiday_visit", &a, "2025-01-20"), paid(11, "holiday_visit", &b, "2026-01-20"), undone];
        let names = |v: Vec<&Record<Person>>| v.into_iter().map(|r| r.body.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(holiday_visits_due(&people, &benefits, 2026)),
            ["甲"],
            "last year's visit to 甲 does not count"
        );
        assert_eq!(names(holiday_visits_due(&people, &benefits, 2025)), ["乙"]);
        assert_eq!(names(widow_subsidies_due(&people, &benefits, 2026)), ["乙"]);
        let subsidy = [paid(13, "widow_subsidy", &b, "2026-03-01")];
        assert!(widow_subsidies_due(&people, &subsidy, 2026).is_empty());
    }

    #[test]
    fn hours_add_up_by_year() {
        let p = person(1, "甲", "tuixiu", false);
        let act = |n: u8, date: &str, hours: &str| {
            rec(
                n,
                ActivityForm {
                    kind: "lecture".into(),
                    theme: "宣讲".into(),
                    date: date.into(),
                    township: "城关镇".into(),
                    participants: vec![(p.id.clone(), hours.into())],
                    ..ActivityForm::default()
                }
                .validate(today())
                .unwrap(),
            )
        };
        let mut gone = act(13, "2026-05-01", "100");
        gone.deleted = true;
        let acts = [act(10, "2025-03-01", "2"), act(11, "2026-03-01", "2.5"), act(12, "2026-04-01", "1"), gone];
        assert_eq!(volunteer_hours_by_year(&p.id, &acts), BTreeMap::from([(2025, 20), (2026, 35)]));
    }
}
