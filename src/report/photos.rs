//! The photos a report shows: those of the activities in its scope.

use std::collections::HashMap;

use super::totals::Scope;
use crate::domain::{Activity, Photo, Record, RecordId};

/// Photos of the activities in scope for the report, newest activity first (photos in the
/// order they were added), at most `max`: (photo id, caption line).
pub fn photos_in(
    scope: &Scope,
    activities: &[Record<Activity>],
    photos: &[Record<Photo>],
    max: usize,
) -> Vec<(RecordId, String)> {
    let taken: HashMap<&RecordId, &Activity> =
        activities.iter().filter(|a| !a.deleted && scope.takes(&a.body) && scope.recorded(&a.clock)).map(|a| (&a.id, &a.body)).collect();
    let mut found: Vec<(&Activity, &Record<Photo>)> =
        photos.iter().filter(|p| !p.deleted).filter_map(|p| taken.get(&p.body.activity).map(|a| (*a, p))).collect();
    found.sort_by(|(a, p), (b, q)| {
        b.date.cmp(&a.date).then_with(|| a.theme.cmp(&b.theme)).then(p.created.cmp(&q.created))
    });
    found
        .into_iter()
        .take(max)
        .map(|(a, p)| {
            let caption = if p.body.caption.is_empty() { String::new() } else { format!(" · {}", p.body.caption) };
            (p.id.clone(), format!("{} {} {}{caption}", a.date, a.township, a.theme))
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    /// The report's photos follow its scope (period, township, organiser) like every figure;
    /// so does the sessions chart.
    #[test]
    fn photos_and_charts_follow_the_whole_scope() {
        use crate::domain::{DeviceId, Hlc};
        let id = |n: u8| RecordId::from_random([n; 16]);
        let team = id(9);
        let act = |n: u8, date: &str, township: &str, organiser: Option<&RecordId>| {
            let body: Activity = serde_json::from_value(serde_json::json!({
                "kind": "lecture", "theme": format!("宣讲{n}"), "date": date, "township": township, "sessions": 1,
                "organiser": organiser.map(|o| o.to_string()),
            }))
            .unwrap();
            Record::create(id(n), body, Hlc::ZERO, DeviceId::from_random([0; 16]))
        };
        let photo = |n: u8, of: u8, ms: u64, caption: &str, deleted: bool| {
            let body = Photo {
                activity: id(of),
                width: 1280,
                height: 960,
                bytes: 1,
                crc32: "00000000".into(),
                caption: caption.into(),
            };
            let mut r = Record::create(id(n), body, Hlc { ms, count: 0 }, DeviceId::from_random([0; 16]));
            r.deleted = deleted;
            r
        };
        let acts = [
            act(1, "2026-03-01", "城关镇", Some(&team)),
            act(2, "2026-05-01", "城关镇", None),
            act(3, "2026-06-01", "八步街道", Some(&team)),
        ];
        let photos = [
            photo(11, 1, 2, "合影", false),
            photo(12, 1, 1, "", false),
            photo(13, 2, 1, "", false),
            photo(14, 3, 1, "", false),
            photo(15, 2, 3, "", true),
        ];
        let shown = |scope: &Scope, max| -> Vec<String> {
            photos_in(scope, &acts, &photos, max)
                .into_iter()
                .map(|(p, text)| format!("{} {text}", &p.as_str()[..2]))
                .collect()
        };
        let town = Scope { township: Some("城关镇".into()), ..Scope::default() };
        assert_eq!(
            shown(&town, 10),
            ["0d 2026-05-01 城关镇 宣讲2", "0c 2026-03-01 城关镇 宣讲1", "0b 2026-03-01 城关镇 宣讲1 · 合影"]
        );
        assert_eq!(shown(&town, 1).len(), 1);
        let by_team = Scope { organiser: Some(team.clone()), ..Scope::default() };
        assert_eq!(shown(&by_team, 10).len(), 3, "宣讲1's two and 宣讲3's one");
        let (sessions, _, _) = super::super::charts::by_month(&by_team, &acts, &[], &[], 12);
        let months: Vec<&str> = sessions.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(months, ["26年3月", "26年6月"], "the team's months only");
    }
}
