//! Totals over the registry.

use std::collections::HashSet;

use super::scope::Scope;
use crate::domain::order::sort_by;
use crate::domain::resident::{age_on, next_birthday, Registered};
use crate::domain::{Category, Date, Level, Org, OrgKind, Person, Record, RecordId, Role};

/// Living registry counts by category, and party members among them. Deleted records and the
/// deceased are not counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeopleCounts {
    pub lixiu: usize,
    pub tuixiu: usize,
    pub widow: usize,
    pub other: usize,
    pub party_members: usize,
}

impl PeopleCounts {
    pub fn of<T: Registered>(people: &[Record<T>]) -> PeopleCounts {
        Self::of_iter(people.iter())
    }

    /// The same over some of the people (a report's scope).
    pub fn of_iter<'a, T: Registered + 'a>(people: impl Iterator<Item = &'a Record<T>>) -> PeopleCounts {
        people.filter(|r| !r.deleted && r.body.is_living()).fold(PeopleCounts::default(), |mut c, r| {
            match r.body.category() {
                Category::Lixiu => c.lixiu += 1,
                Category::Tuixiu => c.tuixiu += 1,
                Category::Widow => c.widow += 1,
                Category::Other => c.other += 1,
            }
            c.party_members += usize::from(r.body.party_member());
            c
        })
    }

    /// The registry proper: cadres and widow(er)s, not volunteers outside it.
    pub fn registry(self) -> usize {
        self.lixiu + self.tuixiu + self.widow
    }
}

/// Volunteers as the article counts them: people, each once (someone in two teams is one team
/// member). Living and not deleted; organisations deleted do not count their members.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Volunteers {
    /// Anyone marked as one of the 五老.
    pub wulao: usize,
    pub team_members: usize,
    /// Marked 农业专家, or a member of an expert group.
    pub agri_experts: usize,
    pub teachers: usize,
    /// Branches with a liaison named.
    pub liaisons: usize,
}

impl Volunteers {
    /// Among `people`, with the teams and groups of `orgs` (wherever they are), and the
    /// liaisons of the branches in `placed` (the organisations a scope covers).
    pub fn of(people: &[&Record<Person>], orgs: &[Record<Org>], placed: &[&Record<Org>]) -> Volunteers {
        let live_orgs = || orgs.iter().filter(|o| !o.deleted);
        let listed = |kind: OrgKind| -> HashSet<&RecordId> {
            live_orgs().filter(|o| o.body.kind == kind).flat_map(|o| &o.body.members).collect()
        };
        let (teams, experts) = (listed(OrgKind::VolunteerTeam), listed(OrgKind::ExpertGroup));
        let mut v = Volunteers {
            liaisons: placed
                .iter()
                .filter(|o| !o.deleted && o.body.kind.is_branch() && !o.body.liaison.trim().is_empty())
                .count(),
            ..Volunteers::default()
        };
        for p in people.iter().filter(|r| !r.deleted && r.body.is_living()) {
            v.wulao += usize::from(!p.body.wulao.is_empty());
            v.team_members += usize::from(teams.contains(&p.id));
            v.agri_experts += usize::from(p.body.roles.contains(&Role::AgriExpert) || experts.contains(&p.id));
            v.teachers += usize::from(p.body.roles.contains(&Role::Teacher));
        }
        v
    }
}

/// The registry as a report's scope sees it: for a township, the people living there and the
/// organisations placed there (county-level ones are not any township's); for an organiser,
/// its members and itself; otherwise everyone and everything.
pub struct Registry<'a> {
    pub people: Vec<&'a Record<Person>>,
    pub orgs: Vec<&'a Record<Org>>,
    /// Live county-level organisations a township's report leaves out (said in its table).
    pub county_orgs: usize,
}

impl<'a> Registry<'a> {
    pub fn of(scope: &Scope, people: &'a [Record<Person>], orgs: &'a [Record<Org>]) -> Registry<'a> {
        if let Some(id) = &scope.organiser {
            let org = orgs.iter().find(|o| o.id == *id && !o.deleted);
            return Registry {
                people: org.map_or_else(Vec::new, |o| members_of(o, people)),
                orgs: org.into_iter().collect(),
                county_orgs: 0,
            };
        }
        let Some(t) = scope.township.as_deref() else {
            return Registry { people: people.iter().collect(), orgs: orgs.iter().collect(), county_orgs: 0 };
        };
        let county = |o: &Record<Org>| o.body.level == Level::County || o.body.township.trim().is_empty();
        Registry {
            people: people.iter().filter(|p| p.body.township == t).collect(),
            orgs: orgs.iter().filter(|o| !county(o) && o.body.township == t).collect(),
            county_orgs: orgs.iter().filter(|o| !o.deleted && county(o)).count(),
        }
    }

    pub fn counts(&self) -> PeopleCounts {
        PeopleCounts::of_iter(self.people.iter().copied())
    }

    pub fn volunteers(&self, all_orgs: &[Record<Org>]) -> Volunteers {
        Volunteers::of(&self.people, all_orgs, &self.orgs)
    }
}

/// Living party members in no live branch: the registry counts them, no branch lists them.
pub fn party_members_outside_branches(people: &[Record<Person>], orgs: &[Record<Org>]) -> usize {
    let branches: HashSet<&RecordId> =
        orgs.iter().filter(|o| !o.deleted && o.body.kind.is_branch()).map(|o| &o.id).collect();
    people
        .iter()
        .filter(|p| !p.deleted && p.body.is_living() && p.body.party_member)
        .filter(|p| p.body.branch.as_ref().is_none_or(|b| !branches.contains(b)))
        .count()
}

/// A living 离休 cadre's birthday within the window, for the 生日祝福 visits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Birthday {
    pub id: RecordId,
    pub name: String,
    pub on: Date,
    /// The age they turn.
    pub turns: u16,
    pub days_away: i64,
}

/// Living 离休 cadres whose birthday falls in the next `days` days (today included), soonest first.
pub fn upcoming_birthdays<T: Registered>(people: &[Record<T>], today: Date, days: i64) -> Vec<Birthday> {
    let mut out: Vec<Birthday> = people
        .iter()
        .filter(|r| !r.deleted && r.body.is_living() && r.body.category() == Category::Lixiu)
        .filter_map(|r| {
            let birth = r.body.birth_date()?;
            let on = next_birthday(birth, today)?;
            let days_away = on.to_days() - today.to_days();
            let turns = age_on(birth, on)?;
            (days_away < days).then(|| Birthday {
                id: r.id.clone(),
                name: r.body.name().to_owned(),
                on,
                turns,
                days_away,
            })
        })
        .collect();
    sort_by(&mut out, |a, b| (a.days_away, &a.name).cmp(&(b.days_away, &b.name)));
    out
}

/// Living, not deleted members of an organisation: a branch's are the people whose `branch` it
/// is; a team's are its member list.
pub fn members_of<'a>(org: &Record<Org>, people: &'a [Record<Person>]) -> Vec<&'a Record<Person>> {
    let live = |r: &&Record<Person>| !r.deleted && r.body.is_living();
    if org.body.kind.is_branch() {
        people.iter().filter(|r| r.body.branch.as_ref() == Some(&org.id)).filter(live).collect()
    } else {
        people.iter().filter(|r| org.body.members.contains(&r.id)).filter(live).collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::fixtures::{rec, today};
    use crate::domain::{Gender, OrgForm, PersonForm};

    fn person(name: &str, category: &str, birth: &str) -> Person {
        PersonForm {
            name: name.into(),
            gender: Gender::Female.key().into(),
            birth_date: birth.into(),
            category: category.into(),
            township: "城关镇".into(),
            ..PersonForm::default()
        }
        .validate(today())
        .unwrap()
    }

    #[test]
    fn party_members_in_no_branch_are_counted_apart() {
        let branch = rec(
            9,
            OrgForm {
                kind: "branch".into(), name: "第一支部".into(), level: "county".into(), ..OrgForm::default()
            }
            .validate()
            .unwrap(),
        );
        let mut gone = branch.clone();
        gone.id = RecordId::from_random([10; 16]);
        gone.deleted = true;
        let member = |n: u8, branch: Option<&RecordId>| {
            let mut p = rec(n, person("党员", "tuixiu", "1950-01-01"));
            p.body.party_member = true;
            p.body.branch = branch.cloned();
            p
        };
        let mut not_member = rec(4, person("群众", "tuixiu", "1950-01-01"));
        not_member.body.branch = None;
        let people = [member(1, Some(&branch.id)), member(2, None), member(3, Some(&gone.id)), not_member];
        assert_eq!(party_members_outside_branches(&people, &[branch, gone]), 2);
    }

    #[test]
    fn counts_living_records_by_category() {
        let mut dead = rec(5, person("e", "lixiu", "1925-01-01"));
        dead.body.deceased_on = Some(Date::new(2025, 1, 1).unwrap());
        let mut deleted = rec(4, person("d", "lixiu", "1930-01-01"));
        deleted.deleted = true;
        let mut member = rec(2, person("b", "tuixiu", "1950-01-01"));
        member.body.party_member = true;
        let people = [
            rec(1, person("a", "lixiu", "1930-01-01")),
            member,
            rec(3, person("c", "widow", "1935-01-01")),
            deleted,
            dead,
            rec(6, person("f", "other", "")),
        ];
        let c = PeopleCounts::of(&people);
        assert_eq!(c, PeopleCounts { lixiu: 1, tuixiu: 1, widow: 1, other: 1, party_members: 1 });
        assert_eq!(c.registry(), 3);
    }

    #[test]
    fn birthdays_in_the_next_30_days_for_living_lixiu_only() {
        let people = [
            rec(1, person("明天", "lixiu", "1930-11-30")),
            rec(2, person("今天", "lixiu", "1931-11-29")),
            rec(3, person("跨年", "lixiu", "1928-12-28")),
            rec(4, person("太远", "lixiu", "1928-12-29")),
            rec(5, person("退休", "tuixiu", "1950-12-01")),
            rec(6, person("昨天", "lixiu", "1930-11-28")),
        ];
        let got: Vec<_> =
            upcoming_birthdays(&people, today(), 30).into_iter().map(|b| (b.name, b.turns, b.days_away)).collect();
        assert_eq!(got, [("今天".to_owned(), 95, 0), ("明天".to_owned(), 96, 1), ("跨年".to_owned(), 98, 29)]);
    }

    #[test]
    fn members_of_branches_and_teams() {
        let branch = rec(
            9,
            OrgForm { kind: "branch".into(), name: "支部".into(), level: "county".into(), ..OrgForm::default() }
                .validate()
                .unwrap(),
        );
        let mut a = rec(1, person("a", "lixiu", "1930-01-01"));
        a.body.branch = Some(branch.id.clone());
        let b = rec(2, person("b", "tuixiu", "1950-01-01"));
        let mut team = rec(
            8,
            OrgForm { kind: "volunteer_team".into(), name: "队".into(), level: "county".into(), ..OrgForm::default() }
                .validate()
                .unwrap(),
        );
        team.body.members = vec![b.id.clone()];
        let people = [a, b];
        assert_eq!(members_of(&branch, &people).iter().map(|r| r.body.name.as_str()).collect::<Vec<_>>(), ["a"]);
        assert_eq!(members_of(&team, &people).iter().map(|r| r.body.name.as_str()).collect::<Vec<_>>(), ["b"]);
    }
}
