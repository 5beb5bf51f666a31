//! The report page's table and drill-down lists, as plain data: the page only draws them, and
//! the CSV export writes the same rows. Chart series are in `charts.rs`.

use super::figures::Registry;
use super::organisers::{one_by_one, Organiser};
use super::phrasing::{count_phrase, money_phrase, More};
use super::totals::{ActivityTotals, Scope, Totals};
use crate::domain::money::tenths_text;
use crate::domain::station::{rota_gaps, Duty};
use crate::domain::{Activity, ActivityKind, Benefit, BenefitKind, Org, OrgKind, Person, Record};

/// Which records stand behind a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drill {
    None,
    Activities(ActivityKind),
    /// One organiser kind's share of an activity kind, opened organisation by organisation.
    Organisers(ActivityKind, Organiser),
    Benefits(BenefitKind),
}

/// One figure: exact, and in the article's phrasing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub group: String,
    pub measure: &'static str,
    pub exact: String,
    pub phrase: String,
    pub drill: Drill,
    /// The figure as a plain number for spreadsheets (`3976`, `1816200.00`), and its unit.
    pub value: String,
    pub unit: &'static str,
}

fn count(group: &str, measure: &'static str, n: u64, unit: &'static str, drill: Drill) -> Line {
    Line {
        group: group.to_owned(),
        measure,
        value: n.to_string(),
        unit,
        exact: format!("{n}{unit}"),
        phrase: count_phrase(n, unit, More::Yu),
        drill,
    }
}

/// The measures of an activity total, each with its unit; the number of records last.
fn measures(kind: ActivityKind, a: &ActivityTotals) -> [(&'static str, u64, &'static str); 10] {
    // Cadres at a meeting and listeners at a class are not the public served.
    let audience = match kind {
        ActivityKind::Meeting => "参加人次",
        ActivityKind::Class => "听课人次",
        _ => "服务人次",
    };
    [
        ("场次", a.sessions, "场次"),
        (audience, a.audience, "人次"),
        ("受益人数", a.beneficiaries, "人"),
        ("宣传资料", a.leaflets, "份"),
        ("标语", a.slogans, "条"),
        ("培训人次", a.trainees, "人次"),
        ("乡土人才", a.talents, "人"),
        ("自主发展", a.self_employed, "人"),
        ("增收", a.income_raised, "人"),
        ("记录", a.records, "条"),
    ]
}

/// A row for records the scope cannot place: said, never counted as the scope's.
fn apart(group: &str, measure: &'static str, why: &str, n: u64, unit: &'static str) -> Line {
    Line {
        group: group.to_owned(),
        measure,
        exact: format!("另有{n}{unit}"),
        phrase: why.to_owned(),
        drill: Drill::None,
        value: String::new(),
        unit: "",
    }
}

/// Every figure of the report, in reading order, each for the scope's own people,
/// organisations and records (`Registry`, `totals`); what the scope cannot place is said in
/// rows of its own. Lines whose value is zero are left out, except the headline counts of people.
pub fn lines(scope: &Scope, t: &Totals, registry: &Registry, orgs: &[Record<Org>]) -> Vec<Line> {
    let people = registry.counts();
    let volunteers = registry.volunteers(orgs);
    let mut out = vec![
        count("人员", "离休干部", people.lixiu as u64, "人", Drill::None),
        count("人员", "退休干部", people.tuixiu as u64, "人", Drill::None),
        count("人员", "遗孀", people.widow as u64, "人", Drill::None),
        count("人员", "其中党员", people.party_members as u64, "人", Drill::None),
    ];
    // Volunteers are people, not person-times: each counted once however many groups they are in.
    for (measure, n) in [
        ("“五老”志愿者", volunteers.wulao),
        ("志愿服务队队员", volunteers.team_members),
        ("农业专家", volunteers.agri_experts),
        ("志愿服务教师", volunteers.teachers),
        ("支部联络员", volunteers.liaisons),
    ] {
        if n > 0 {
            out.push(count("人员", measure, n as u64, "人", Drill::None));
        }
    }
    for &kind in OrgKind::ALL {
        let n = registry.orgs.iter().filter(|o| !o.deleted && o.body.kind == kind).count() as u64;
        if n > 0 {
            out.push(count("组织", kind.label(), n, "个", Drill::None));
        }
    }
    if registry.county_orgs > 0 {
        out.push(apart("组织", "县级组织", "不分乡镇", registry.county_orgs as u64, "个"));
    }
    let mut hours = 0;
    for (kind, a) in &t.activities {
        let g = kind.label();
        let d = Drill::Activities(*kind);
        for (measure, n, unit) in measures(*kind, a) {
            if n > 0 {
                out.push(count(g, measure, n, unit, d));
            }
        }
        // By who did the work, when any of it names an organiser the report tells apart.
        let split: Vec<_> = t.by_organiser.iter().filter(|(k, ..)| k == kind).collect();
        if split.iter().any(|(_, o, _)| *o != Organiser::Others) {
            for (_, organiser, a) in split {
                let group = format!("{g}·{}", organiser.label());
                let d = Drill::Organisers(*kind, *organiser);
                for (measure, n, unit) in measures(*kind, a).into_iter().take(9) {
                    if n > 0 {
                        out.push(count(&group, measure, n, unit, d));
                    }
                }
            }
        }
        hours += a.volunteer_tenth_hours;
    }
    if hours > 0 {
        let text = format!("{}小时", tenths_text(hours));
        out.push(Line {
            group: "志愿服务".into(),
            measure: "志愿服务时长",
            phrase: count_phrase(hours / 10, "小时", More::Yu),
            exact: text,
            drill: Drill::None,
            value: tenths_text(hours),
            unit: "小时",
        });
    }
    for (team, &tenths) in &t.team_hours {
        let Some(org) = orgs.iter().find(|o| o.id == *team) else { continue };
        out.push(Line {
            group: format!("志愿服务·{}", org.body.name),
            measure: "时长",
            exact: format!("{}小时", tenths_text(tenths)),
            phrase: count_phrase(tenths / 10, "小时", More::Yu),
            drill: Drill::None,
            value: tenths_text(tenths),
            unit: "小时",
        });
    }
    for (kind, b) in &t.benefits {
        let g = kind.label();
        let d = Drill::Benefits(*kind);
        out.push(count(g, "人数", b.people, "人", d));
        out.push(count(g, "人次", b.person_times, "人次", d));
        if b.amount.0 > 0 {
            out.push(Line {
                group: g.into(),
                measure: "金额",
                exact: format!("{}元", b.amount),
                phrase: money_phrase(b.amount, More::Yu),
                drill: d,
                // Yuan with two decimals and no separators: Excel adds it up.
                value: format!(
                    "{}{}.{:02}",
                    if b.amount.0 < 0 { "-" } else { "" },
                    b.amount.0.abs() / 100,
                    b.amount.0.abs() % 100
                ),
                unit: "元",
            });
        }
    }
    if t.cases > 0 {
        out.push(count("矛盾调解", "案件", t.cases, "件", Drill::None));
        out.push(count("矛盾调解", "已调解", t.cases_resolved, "件", Drill::None));
        out.push(count("矛盾调解", "受益群众", t.case_beneficiaries, "人", Drill::None));
    }
    if t.feedback > 0 {
        out.push(count("群众反馈", "收集", t.feedback, "条", Drill::None));
        out.push(count("群众反馈", "已处理", t.feedback_handled, "条", Drill::None));
    }
    if let Some(why) = scope.apart() {
        for (group, n) in &t.apart {
            out.push(apart(group, "记录", why, *n, "条"));
        }
    }
    out
}

/// Duty-rota coverage over the scope up to `today`: days with someone on duty, of all days
/// (weekends and holidays count). `None` when the station keeps no rota.
pub fn rota_line(duties: &[Record<Duty>], scope: &Scope, today: crate::domain::Date) -> Option<Line> {
    let live: Vec<Duty> = duties.iter().filter(|d| !d.deleted).map(|d| d.body.clone()).collect();
    let first = live.iter().map(|d| d.date).min()?;
    let from = scope.from.unwrap_or(first).max(first);
    let to = scope.to.unwrap_or(today).min(today);
    if to < from {
        return None;
    }
    let days = (to.to_days() - from.to_days() + 1) as u64;
    let covered = days - rota_gaps(&live, from, to).len() as u64;
    let text = format!("{covered}/{days}天");
    Some(Line {
        group: "驿站".into(),
        measure: "值班覆盖",
        exact: text.clone(),
        phrase: text,
        drill: Drill::None,
        value: covered.to_string(),
        unit: if days == covered { "天" } else { "天（有缺口）" },
    })
}

/// The table as CSV rows, header first.
pub fn csv_rows(scope: &Scope, lines: &[Line]) -> Vec<Vec<String>> {
    // Figures as plain numbers with their unit apart, so a spreadsheet can add them up.
    let mut rows =
        vec![vec!["范围".to_owned(), "类别".into(), "项目".into(), "数值".into(), "单位".into(), "报告用语".into()]];
    let label = scope.label();
    rows.extend(lines.iter().map(|l| {
        vec![label.clone(), l.group.clone(), l.measure.into(), l.value.clone(), l.unit.into(), l.phrase.clone()]
    }));
    rows
}

/// The records behind a figure, one line each, newest first; for an organiser kind's figure,
/// its organisations one by one.
pub fn behind(
    drill: Drill,
    scope: &Scope,
    activities: &[Record<Activity>],
    benefits: &[Record<Benefit>],
    people: &[Record<Person>],
    orgs: &[Record<Org>],
) -> Vec<(String, String)> {
    let who = super::totals::by_id(people);
    let mut out: Vec<(crate::domain::Date, String, String)> = match drill {
        Drill::None => Vec::new(),
        // Organisations, not records: already in their order.
        Drill::Organisers(kind, group) => return one_by_one(kind, group, scope, activities, orgs),
        Drill::Activities(kind) => activities
            .iter()
            .filter(|a| !a.deleted && a.body.kind == kind && scope.takes(&a.body) && scope.recorded(&a.clock))
            .map(|a| {
                let b = &a.body;
                let text = format!("{} {} {} · {}场次 {}人次", b.date, b.township, b.theme, b.sessions, b.audience);
                (b.date, format!("/activities/{}", a.id), text)
            })
            .collect(),
        Drill::Benefits(kind) => benefits
            .iter()
            .filter(|b| !b.deleted && b.body.kind == kind && scope.recorded(&b.clock))
            .filter_map(|b| {
                let p = who.get(&b.body.person).copied();
                let township = p.map_or("", |p| p.body.township.as_str());
                if !scope.takes_payment(&b.body, p.map(|p| p.body.township.as_str())) {
                    return None;
                }
                // A payment can arrive before its person does (a later file brings them): it is
                // counted like any other and says so, rather than calling the person deleted.
                let name = match p {
                    None => "（未在本机的人员）".to_owned(),
                    Some(p) if p.deleted => format!("{}（已删除）", p.body.name),
                    Some(p) => p.body.name.clone(),
                };
                let text = format!("{} {} {} · {}元", b.body.date, township, name, b.body.amount);
                Some((b.body.date, format!("/benefits/{}", b.id), text))
            })
            .collect(),
    };
    out.sort_by_key(|e| std::cmp::Reverse(e.0));
    out.into_iter().map(|(_, href, text)| (href, text)).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::Date;
    use crate::report::charts::by_month;
    use crate::report::totals::tests::county_since_2021;

    #[test]
    fn table_chart_and_drill_down_for_a_county_like_the_article() {
        let ((people, acts, bens), scope, t) = county_since_2021();
        let lines = lines(&scope, &t, &Registry::of(&scope, &people, &[]), &[]);
        let text: String =
            lines.iter().map(|l| format!("{} | {} | {} | {}\n", l.group, l.measure, l.exact, l.phrase)).collect();
        expect_test::expect![[r#"
            人员 | 离休干部 | 4人 | 4人
            人员 | 退休干部 | 0人 | 0人
            人员 | 遗孀 | 0人 | 0人
            人员 | 其中党员 | 0人 | 0人
            宣讲/宣传 | 场次 | 220场次 | 220场次
            宣讲/宣传 | 服务人次 | 50600人次 | 5万余人次
            宣讲/宣传 | 宣传资料 | 3300份 | 3300份
            宣讲/宣传 | 记录 | 220条 | 220条
            培训 | 场次 | 3场次 | 3场次
            培训 | 培训人次 | 2857人次 | 2800余人次
            培训 | 乡土人才 | 55人 | 55人
            培训 | 自主发展 | 55人 | 55人
            培训 | 增收 | 2100人 | 2100人
            培训 | 记录 | 1条 | 1条
            走访慰问 | 人数 | 4人 | 4人
            走访慰问 | 人次 | 185人次 | 180余人次
            走访慰问 | 金额 | 106,500.00元 | 10.65万元
        "#]]
        .assert_eq(&text);

        let some: Vec<Line> = lines
            .iter()
            .filter(|l| l.measure == "离休干部" || l.measure == "服务人次" || l.measure == "金额")
            .cloned()
            .collect();
        let csv = crate::sync::csv::write(&csv_rows(&scope, &some));
        expect_test::expect![[r#"
            ﻿范围,类别,项目,数值,单位,报告用语
            2021年以来,人员,离休干部,4,人,4人
            2021年以来,宣讲/宣传,服务人次,50600,人次,5万余人次
            2021年以来,走访慰问,金额,106500.00,元,10.65万元
        "#]]
        .assert_eq(&csv.replace("\r\n", "\n"));

        let (sessions, money, per_year) = by_month(&scope, &acts, &bens, &people, 12);
        assert!(!per_year);
        // More months than fit: per year, every record still counted.
        let (yearly, _, per_year) = by_month(&scope, &acts, &bens, &people, 2);
        assert!(per_year);
        assert_eq!(
            yearly.iter().map(|b| (b.label.as_str(), b.value)).collect::<Vec<_>>(),
            [("2023年", 220), ("2024年", 3)]
        );
        let bars: Vec<String> = sessions.iter().chain(&money).map(|b| format!("{} {}", b.label, b.text)).collect();
        expect_test::expect![[r#"
            23年6月 220场次
            24年1月 0场次
            24年4月 3场次
            23年6月 0.00元
            24年1月 106,500.00元
            24年4月 0.00元"#]]
        .assert_eq(&bars.join("\n"));

        let lectures = behind(Drill::Activities(ActivityKind::Lecture), &scope, &acts, &bens, &people, &[]);
        assert_eq!(lectures.len(), 220, "the three 2020 lectures and the deleted one stay out");
        let duty = |date: &str| {
            Record::create(
                crate::domain::RecordId::from_random([date.len() as u8; 16]),
                Duty { date: date.parse().unwrap(), people: vec![people[0].id.clone()], notes: String::new() },
                crate::domain::Hlc::ZERO,
                crate::domain::DeviceId::from_random([0; 16]),
            )
        };
        let rota = [duty("2026-11-20"), duty("2026-11-22")];
        let today = Date::new(2026, 11, 24).unwrap();
        assert_eq!(rota_line(&rota, &scope, today).map(|l| l.exact), Some("2/5天".to_string()));
        assert_eq!(rota_line(&[], &scope, today), None);
        let visits = behind(Drill::Benefits(BenefitKind::HolidayVisit), &scope, &acts, &bens, &people, &[]);
        assert_eq!(visits.len() as u64, t.benefit(BenefitKind::HolidayVisit).unwrap().person_times);
        // Payments to people a later file will bring are counted, and said to be so.
        let strangers = behind(Drill::Benefits(BenefitKind::HolidayVisit), &scope, &acts, &bens, &[], &[]);
        assert_eq!(strangers.len(), visits.len());
        assert!(strangers.iter().all(|(_, text)| text.contains("（未在本机的人员）")), "{:?}", strangers.first());
    }

    #[test]
    fn volunteer_hours_are_given_per_organising_team() {
        use crate::domain::{DeviceId, Hlc, Org, RecordId};
        let rec = |n: u8, v: serde_json::Value| (RecordId::from_random([n; 16]), v);
        let (team_id, team) =
            rec(1, serde_json::json!({"kind": "volunteer_team", "name": "银发宣讲团", "level": "county"}));
        let team: Org = serde_json::from_value(team).unwrap();
        let team = Record::create(team_id.clone(), team, Hlc::ZERO, DeviceId::from_random([0; 16]));
        let p = RecordId::from_random([7; 16]).to_string();
        let act: Activity = serde_json::from_value(serde_json::json!({
            "kind": "lecture", "theme": "宣讲", "date": "2026-03-01", "township": "城关镇", "sessions": 1,
            "organiser": team_id.to_string(),
            "participants": [{"person": p, "tenth_hours": 25}, {"person": p, "tenth_hours": 15}]
        }))
        .unwrap();
        let act = Record::create(RecordId::from_random([2; 16]), act, Hlc::ZERO, DeviceId::from_random([0; 16]));
        let t =
            crate::report::totals::totals(&Scope::default(), &[act], &[], &[], &[], &[], std::slice::from_ref(&team));
        let got: Vec<String> = lines(&Scope::default(), &t, &Registry::of(&Scope::default(), &[], &[]), &[team])
            .into_iter()
            .filter(|l| l.group.starts_with("志愿服务"))
            .map(|l| format!("{} {} {}", l.group, l.measure, l.exact))
            .collect();
        assert_eq!(got, ["志愿服务 志愿服务时长 4小时", "志愿服务·银发宣讲团 时长 4小时"]);
    }
}
