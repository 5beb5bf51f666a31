//! The station (桑榆红驿站): its rooms and the duty rota, which must cover weekends and holidays.
//! Classes at the station are activities of kind `Class`.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Activity, ActivityKind, Date, Record, RecordId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    /// 党员活动室, 健身房, 图书室, 阅览室, 谈心室, 活动室, 多功能室, 门球场...
    pub name: String,
    #[serde(default)]
    pub notes: String,
}

/// Who is on duty at the station on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    pub date: Date,
    pub people: Vec<RecordId>,
    #[serde(default)]
    pub notes: String,
}

/// Days from `from` to `to` (inclusive) with nobody on duty: the gaps the rota must fill.
/// Every day counts, weekends and holidays included, because the station never closes.
pub fn rota_gaps(duties: &[Duty], from: Date, to: Date) -> Vec<Date> {
    let covered: HashSet<Date> = duties.iter().filter(|d| !d.people.is_empty()).map(|d| d.date).collect();
    (from.to_days()..=to.to_days()).filter_map(Date::from_days).filter(|d| !covered.contains(d)).collect()
}

/// Classes held at the station from `since` on, newest first: the station page's class list
/// (teacher = the retirees taking part, attendees = the audience).
pub fn classes_since(activities: &[Record<Activity>], since: Date) -> Vec<&Record<Activity>> {
    let mut v: Vec<&Record<Activity>> = activities
        .iter()
        .filter(|a| !a.deleted && a.body.kind == ActivityKind::Class && a.body.date >= since)
        .collect();
    super::order::sort_by(&mut v, |a, b| b.body.date.cmp(&a.body.date).then_with(|| a.body.theme.cmp(&b.body.theme)));
    v
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    #[test]
    fn gaps_include_weekends_and_empty_days() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let who = vec![RecordId::from_random([1; 16])];
        let duties = [
            Duty { date: d("2026-10-01"), people: who.clone(), notes: String::new() },
            Duty { date: d("2026-10-02"), people: vec![], notes: String::new() },
            Duty { date: d("2026-10-04"), people: who, notes: "国庆值班".into() },
        ];
        // 10-03 is a Saturday in the National Day holiday: still a gap.
        assert_eq!(
            rota_gaps(&duties, d("2026-10-01"), d("2026-10-05")),
            [d("2026-10-02"), d("2026-10-03"), d("2026-10-05")]
        );
    }

    #[test]
    fn station_classes_are_recent_live_classes_newest_first() {
        use crate::domain::{DeviceId, Hlc};
        let d = |s: &str| s.parse::<Date>().unwrap();
        let class = |n: u8, kind: ActivityKind, date: &str, deleted: bool| {
            let body: Activity = serde_json::from_value(serde_json::json!({
                "kind": kind.key(), "theme": format!("课{n}"), "date": date, "township": "城关镇", "sessions": 1
            }))
            .unwrap();
            let mut r = Record::create(RecordId::from_random([n; 16]), body, Hlc::ZERO, DeviceId::from_random([0; 16]));
            r.deleted = deleted;
            r
        };
        let all = [
            class(1, ActivityKind::Class, "2026-09-01", false),
            class(2, ActivityKind::Class, "2026-11-02", false),
            class(3, ActivityKind::Lecture, "2026-11-03", false),
            class(4, ActivityKind::Class, "2026-11-04", true),
            class(5, ActivityKind::Class, "2026-10-20", false),
        ];
        let themes: Vec<&str> = classes_since(&all, d("2026-10-01")).iter().map(|a| a.body.theme.as_str()).collect();
        assert_eq!(themes, ["课2", "课5"]);
    }
}
