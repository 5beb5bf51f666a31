//! Figures by who did the work, as the county's report gives them: the service centre's own
//! lectures, the 五老宣讲团 together, the volunteer teams together, the branches, and the rest.

use std::collections::HashMap;

use super::phrasing::{count_phrase, More};
use super::scope::{ActivityTotals, Scope};
use crate::domain::{Activity, ActivityKind, Org, OrgKind, Record, RecordId};

/// A kind of organiser, in the order the article reports them (`as usize` is its place in `ALL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Organiser {
    Centre = 0,
    LectureGroups,
    Teams,
    Branches,
    /// Expert groups, bases, cooperatives, an organiser not on this device, or none named.
    Others,
}

impl Organiser {
    pub const ALL: [Organiser; 5] =
        [Organiser::Centre, Organiser::LectureGroups, Organiser::Teams, Organiser::Branches, Organiser::Others];

    pub fn label(self) -> &'static str {
        match self {
            Organiser::Centre => "老干部服务中心",
            Organiser::LectureGroups => "“五老”宣讲团",
            Organiser::Teams => "志愿服务队",
            Organiser::Branches => "离退休干部党支部",
            Organiser::Others => "其他或未注明",
        }
    }

    /// Who the summary says did it: the groups together ("各志愿服务队"), or nobody named.
    pub fn subject(self) -> &'static str {
        match self {
            Organiser::Centre => "县老干部服务中心",
            Organiser::LectureGroups => "各“五老”宣讲团",
            Organiser::Teams => "各志愿服务队",
            Organiser::Branches => "各离退休干部党支部",
            Organiser::Others => "",
        }
    }

    pub fn of(kind: Option<OrgKind>) -> Organiser {
        match kind {
            Some(OrgKind::ServiceCentre) => Organiser::Centre,
            Some(OrgKind::LectureGroup) => Organiser::LectureGroups,
            Some(OrgKind::VolunteerTeam) => Organiser::Teams,
            Some(OrgKind::Branch) => Organiser::Branches,
            _ => Organiser::Others,
        }
    }
}

/// Each organisation's kind by id. A deleted organisation still attributes the work it did.
pub fn kinds(orgs: &[Record<Org>]) -> HashMap<&RecordId, OrgKind> {
    orgs.iter().map(|o| (&o.id, o.body.kind)).collect()
}

/// The organiser kind of one activity.
pub fn organiser_of(a: &Activity, kinds: &HashMap<&RecordId, OrgKind>) -> Organiser {
    Organiser::of(a.organiser.as_ref().and_then(|id| kinds.get(id).copied()))
}

/// One organisation's share of an organiser kind's figure, for the drill-down: each
/// organisation with its exact counts and their phrasing, most sessions first. Activities
/// naming no organisation (or one not on this device) are one line of their own.
pub fn one_by_one(
    kind: ActivityKind,
    group: Organiser,
    scope: &Scope,
    activities: &[Record<Activity>],
    orgs: &[Record<Org>],
) -> Vec<(String, String)> {
    let by_kind = kinds(orgs);
    let mut each: HashMap<Option<&RecordId>, ActivityTotals> = HashMap::new();
    for a in activities.iter().filter(|a| !a.deleted && a.body.kind == kind && scope.takes(&a.body) && scope.recorded(&a.clock)) {
        if organiser_of(&a.body, &by_kind) != group {
            continue;
        }
        let known = a.body.organiser.as_ref().filter(|id| by_kind.contains_key(id));
        each.entry(known).or_default().add(&a.body);
    }
    let mut rows: Vec<(u64, String, String, String)> = each
        .into_iter()
        .map(|(id, t)| {
            let (href, name) = match id.and_then(|id| orgs.iter().find(|o| o.id == *id)) {
                Some(o) => (format!("/orgs/{}", o.id), o.body.name.clone()),
                None => (String::new(), "未注明组织或组织不在本机".to_owned()),
            };
            let mut text = format!("{name} · {}场次", t.sessions);
            if t.audience > 0 {
                text += &format!(" · {}人次（{}）", t.audience, count_phrase(t.audience, "人次", More::Yu));
            }
            if t.beneficiaries > 0 {
                text += &format!(" · 受益{}人", t.beneficiaries);
            }
            (t.sessions, name, href, text)
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| crate::domain::order::natural_cmp(&a.1, &b.1)));
    rows.into_iter().map(|(_, _, href, text)| (href, text)).collect()
}
