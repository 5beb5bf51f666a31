//! The report's chart series: sessions by activity kind, and sessions and money by month (or by
//! year when the period has more months than fit), as plain data the page draws as SVG.

use std::collections::BTreeMap;

use super::totals::{Scope, Totals};
use crate::domain::{Activity, Benefit, Fen, Person, Record};

/// One bar of a chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub text: String,
}

/// Sessions and money per month in scope; when more than `max` months have records, per
/// year instead (the third value is `true`), so a long period is shown whole, never cut to
/// its last months. Benefits follow the township of the person paid, as in the totals.
pub fn by_month(
    scope: &Scope,
    activities: &[Record<Activity>],
    benefits: &[Record<Benefit>],
    people: &[Record<Person>],
    max: usize,
) -> (Vec<Bar>, Vec<Bar>, bool) {
    let mut months: BTreeMap<(u16, u8), (u64, i64)> = BTreeMap::new();
    for a in activities.iter().filter(|a| !a.deleted && scope.takes(&a.body) && scope.recorded(&a.clock)) {
        months.entry((a.body.date.year(), a.body.date.month())).or_default().0 += u64::from(a.body.sessions);
    }
    let who = super::totals::by_id(people);
    let township_of = |b: &Benefit| who.get(&b.person).map(|p| p.body.township.as_str());
    for b in benefits.iter().filter(|b| !b.deleted && scope.recorded(&b.clock) && scope.takes_payment(&b.body, township_of(&b.body))) {
        let month = months.entry((b.body.date.year(), b.body.date.month())).or_default();
        month.1 = month.1.saturating_add(b.body.amount.0);
    }
    let per_year = months.len() > max;
    let mut rows: BTreeMap<(u16, u8), (u64, i64)> = BTreeMap::new();
    for ((y, m), (s, f)) in months {
        let row = rows.entry((y, if per_year { 0 } else { m })).or_default();
        row.0 += s;
        row.1 = row.1.saturating_add(f);
    }
    let label = |y: u16, m: u8| if m == 0 { format!("{y}年") } else { format!("{}年{}月", y % 100, m) };
    let sessions =
        rows.iter().map(|(&(y, m), &(s, _))| Bar { label: label(y, m), value: s, text: format!("{s}场次") }).collect();
    let money = rows
        .iter()
        .map(|(&(y, m), &(_, f))| Bar { label: label(y, m), value: f.max(0) as u64, text: format!("{}元", Fen(f)) })
        .collect();
    (sessions, money, per_year)
}

/// Sessions per activity kind, from the totals.
pub fn by_kind(t: &Totals) -> Vec<Bar> {
    t.activities
        .iter()
        .map(|(k, a)| Bar { label: k.label().into(), value: a.sessions, text: format!("{}场次", a.sessions) })
        .collect()
}
