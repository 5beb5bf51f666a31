//! The lists the office works through: who is still due a visit or a subsidy this year, and
//! each volunteer's hours.

use std::collections::{BTreeMap, HashSet};

use crate::domain::order::sort_by;
use crate::domain::{Activity, Benefit, BenefitKind, Category, Date, Person, Record, RecordId};

/// Living, not deleted people who received no (live) benefit of `kind` dated in `year`.
/// A benefit counts for its own year only: last year's visit does not carry over.
pub fn not_yet_received<'a>(
    people: &'a [Record<Person>],
    benefits: &[Record<Benefit>],
    kind: BenefitKind,
    year: u16,
    who: impl Fn(&Person) -> bool,
) -> Vec<&'a Record<Person>> {
    match (Date::new(year, 1, 1), Date::new(year, 12, 31)) {
        (Some(from), Some(to)) => received_between(people, benefits, kind, from, to, who),
        _ => Vec::new(),
    }
}

/// A round of holiday visits (走访慰问) and the dates a visit counts for it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Campaign {
    /// "2027年春节".
    pub name: String,
    pub from: Date,
    pub to: Date,
}

impl Campaign {
    /// "1月7日至2月21日".
    pub fn span(&self) -> String {
        format!("{}月{}日至{}月{}日", self.from.month(), self.from.day(), self.to.month(), self.to.day())
    }

    /// A round the office names itself (a 重大节日 not in the calendar here, a round of its own):
    /// a name and dates, from no later than to, at most a year long.
    pub fn named(name: &str, from: &str, to: &str) -> Result<Campaign, &'static str> {
        let name = crate::domain::validate::visible(name).trim().to_owned();
        if name.is_empty() {
            return Err("请填写这一轮走访的名称");
        }
        if name.chars().count() > 20 {
            return Err("名称不超过 20 个字");
        }
        let (Ok(from), Ok(to)) = (from.parse::<Date>(), to.parse::<Date>()) else {
            return Err("请填写开始和结束日期");
        };
        if to < from {
            return Err("结束日期不能早于开始日期");
        }
        if to.to_days() - from.to_days() > 366 {
            return Err("一轮走访不超过一年");
        }
        Ok(Campaign { name, from, to })
    }
}

/// The lunar festivals' Gregorian dates, 2021–2035 (春节, 中秋, 重阳): (year, month, day).
const SPRING_FESTIVAL: [(u16, u8, u8); 15] = [
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 3),
    (2031, 1, 23),
    (2032, 2, 11),
    (2033, 1, 31),
    (2034, 2, 19),
    (2035, 2, 8),
];
const MID_AUTUMN: [(u16, u8, u8); 15] = [
    (2021, 9, 21),
    (2022, 9, 10),
    (2023, 9, 29),
    (2024, 9, 17),
    (2025, 10, 6),
    (2026, 9, 25),
    (2027, 9, 15),
    (2028, 10, 3),
    (2029, 9, 22),
    (2030, 9, 12),
    (2031, 10, 1),
    (2032, 9, 19),
    (2033, 9, 8),
    (2034, 9, 27),
    (2035, 9, 16),
];
const DOUBLE_NINTH: [(u16, u8, u8); 15] = [
    (2021, 10, 14),
    (2022, 10, 4),
    (2023, 10, 23),
    (2024, 10, 11),
    (2025, 10, 29),
    (2026, 10, 18),
    (2027, 10, 8),
    (2028, 10, 26),
    (2029, 10, 16),
    (2030, 10, 5),
    (2031, 10, 24),
    (2032, 10, 12),
    (2033, 10, 1),
    (2034, 10, 20),
    (2035, 10, 10),
];

/// The campaigns of `year`: 春节 (a month before to a fortnight after), 七一 (15 June to 10
/// July), 中秋 and 重阳 (a fortnight before to three days after), as offices run them.
pub fn campaigns(year: u16) -> Vec<Campaign> {
    let around = |table: &[(u16, u8, u8)], name: &str, before: i64, after: i64| {
        let &(y, m, d) = table.iter().find(|(y, _, _)| *y == year)?;
        let day = Date::new(y, m, d)?.to_days();
        Some(Campaign {
            name: format!("{year}年{name}"),
            from: Date::from_days(day - before)?,
            to: Date::from_days(day + after)?,
        })
    };
    let july = Date::new(year, 6, 15).zip(Date::new(year, 7, 10)).map(|(from, to)| Campaign {
        name: format!("{year}年七一"),
        from,
        to,
    });
    [
        around(&SPRING_FESTIVAL, "春节", 30, 15),
        july,
        around(&MID_AUTUMN, "中秋", 15, 3),
        around(&DOUBLE_NINTH, "重阳", 15, 3),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The campaigns an office would pick from on `today`: those of last year, this year and next
/// that ended at most 90 days ago or start within 120 days; and which to show first: the one
/// under way, else the next.
pub fn campaigns_near(today: Date) -> (Vec<Campaign>, usize) {
    let t = today.to_days();
    let list: Vec<Campaign> = [today.year().saturating_sub(1), today.year(), today.year().saturating_add(1)]
        .into_iter()
        .flat_map(campaigns)
        .filter(|c| c.to.to_days() >= t - 90 && c.from.to_days() <= t + 120)
        .collect();
    let current = list
        .iter()
        .position(|c| c.from <= today && today <= c.to)
        .or_else(|| list.iter().position(|c| c.from > today))
        .unwrap_or(0);
    (list, current)
}

/// 离休 cadres and widow(er)s with no holiday visit recorded between `from` and `to`: a visit
/// before the campaign does not count for it.
pub fn visits_due_between<'a>(
    people: &'a [Record<Person>],
    benefits: &[Record<Benefit>],
    from: Date,
    to: Date,
) -> Vec<&'a Record<Person>> {
    received_between(people, benefits, BenefitKind::HolidayVisit, from, to, |p| {
        matches!(p.category, Category::Lixiu | Category::Widow)
    })
}

fn received_between<'a>(
    people: &'a [Record<Person>],
    benefits: &[Record<Benefit>],
    kind: BenefitKind,
    from: Date,
    to: Date,
    who: impl Fn(&Person) -> bool,
) -> Vec<&'a Record<Person>> {
    let done: HashSet<&RecordId> = benefits
        .iter()
        .filter(|b| !b.deleted && b.body.kind == kind && from <= b.body.date && b.body.date <= to)
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
    use crate::domain::fixtures::{rec, today};
    use crate::domain::{ActivityForm, BenefitForm, Date, Gender, PersonForm};

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

    #[test]
    fn a_visit_counts_for_the_campaign_it_falls_in_not_one_before() {
        let d = |t: &str| t.parse::<Date>().unwrap();
        let spring = campaigns(2026).into_iter().find(|c| c.name == "2026年春节").unwrap();
        // 春节 2026 is 17 February: a month before to a fortnight after.
        assert_eq!((spring.from, spring.to), (d("2026-01-18"), d("2026-03-04")));
        let (jia, yi, bing) =
            (person(1, "甲", "lixiu", false), person(2, "乙", "widow", true), person(3, "丙", "lixiu", false));
        let people = vec![jia.clone(), yi.clone(), bing.clone()];
        let benefits = vec![
            paid(10, "holiday_visit", &jia, "2026-01-18"), // the window's first day: counts
            paid(11, "holiday_visit", &yi, "2026-01-17"),  // the day before: does not
            paid(12, "holiday_visit", &bing, "2026-03-05"), // the day after: does not
        ];
        let names = |v: Vec<&Record<Person>>| v.iter().map(|p| p.body.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(visits_due_between(&people, &benefits, spring.from, spring.to)), ["丙", "乙"]);
        // By calendar year, all three were visited in 2026.
        assert!(holiday_visits_due(&people, &benefits, 2026).is_empty());
    }

    #[test]
    fn a_round_the_office_names_has_a_name_and_dates_in_order() {
        let c = Campaign::named(" 2026年老干部节 ", "2026-10-01", "2026-10-31").unwrap();
        assert_eq!(
            (c.name.as_str(), c.from.to_string(), c.to.to_string()),
            ("2026年老干部节", "2026-10-01".into(), "2026-10-31".into())
        );
        assert_eq!(Campaign::named("", "2026-10-01", "2026-10-31"), Err("请填写这一轮走访的名称"));
        assert_eq!(Campaign::named("慰问", "2026-10-31", "2026-10-01"), Err("结束日期不能早于开始日期"));
        assert_eq!(Campaign::named("慰问", "2026-10-01", ""), Err("请填写开始和结束日期"));
        assert_eq!(Campaign::named("慰问", "2025-01-01", "2026-10-01"), Err("一轮走访不超过一年"));
    }

    #[test]
    fn the_campaign_shown_is_the_one_under_way_else_the_next() {
        let d = |t: &str| t.parse::<Date>().unwrap();
        let (list, i) = campaigns_near(d("2026-12-02"));
        assert_eq!(list[i].name, "2027年春节", "nothing under way in December: the coming 春节");
        assert!(list.iter().any(|c| c.name == "2026年重阳"), "the last one stays choosable");
        let (list, i) = campaigns_near(d("2026-07-01"));
        assert_eq!(list[i].name, "2026年七一");
        let (list, i) = campaigns_near(d("2026-09-20"));
        assert_eq!(list[i].name, "2026年中秋");
        // Every year the table covers has its four campaigns, in order.
        for year in 2021..=2035 {
            let c = campaigns(year);
            assert_eq!(c.len(), 4, "{year}");
            assert!(c.windows(2).all(|w| w[0].to < w[1].from), "{year}: campaigns do not overlap");
        }
    }
}
