//! Snapshot tests over a county shaped like the source article: its organisations, volunteers,
//! activities by who did them, benefits, mediation and feedback since 2021. The report must
//! say what the article says, in its order, with people where it counts people.
//!
//! New report-wide snapshots go here; a module's own edge cases stay in its own tests.

use serde_json::{json, Value};

use super::figures::Registry;
use super::organisers::Organiser;
use super::summary::summary;
use super::table::{behind, csv_rows, lines, Drill};
use super::totals::{totals, Scope};
use crate::domain::{
    Activity, ActivityKind, Benefit, DeviceId, Feedback, Hlc, MediationCase, Org, Person, Record, RecordId,
};

struct County {
    people: Vec<Record<Person>>,
    orgs: Vec<Record<Org>>,
    activities: Vec<Record<Activity>>,
    benefits: Vec<Record<Benefit>>,
    cases: Vec<Record<MediationCase>>,
    feedback: Vec<Record<Feedback>>,
    next: u32,
}

impl County {
    fn id(&mut self) -> RecordId {
        self.next += 1;
        let mut bytes = [7u8; 16];
        bytes[..4].copy_from_slice(&self.next.to_be_bytes());
        RecordId::from_random(bytes)
    }

    fn rec<T: serde::de::DeserializeOwned>(&mut self, body: Value) -> Record<T> {
        let id = self.id();
        let body = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"));
        Record::create(id, body, Hlc { ms: 1, count: 0 }, DeviceId::from_random([1; 16]))
    }

    fn person(&mut self, extra: Value) -> RecordId {
        let mut body = json!({"name": "某", "gender": "male", "birth_date": "1950-01-01", "category": "tuixiu", "township": "城关镇"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let p: Record<Person> = self.rec(body);
        let id = p.id.clone();
        self.people.push(p);
        id
    }

    fn org(&mut self, kind: &str, name: &str, members: Vec<RecordId>) -> RecordId {
        let liaison = if kind == "branch" { "张联络" } else { "" };
        let o: Record<Org> =
            self.rec(json!({"kind": kind, "name": name, "level": "county", "members": members, "liaison": liaison}));
        let id = o.id.clone();
        self.orgs.push(o);
        id
    }

    /// `n` activities whose counts add up to `totals` (the last takes the remainder).
    fn activities(&mut self, n: u32, kind: &str, organiser: Option<&RecordId>, totals: Value) {
        for i in 0..n {
            let mut body = json!({"kind": kind, "theme": "主题", "date": format!("{}-05-10", 2021 + i % 5),
                "township": "城关镇", "sessions": 1, "organiser": organiser});
            for (field, total) in totals.as_object().into_iter().flatten() {
                let total = total.as_u64().unwrap_or(0);
                let share = total / u64::from(n) + if i + 1 == n { total % u64::from(n) } else { 0 };
                body[field] = json!(share);
            }
            let a = self.rec(body);
            self.activities.push(a);
        }
    }

    fn benefits(&mut self, kind: &str, people: &[RecordId], times: usize, fen: i64) {
        for i in 0..times {
            let amount = fen / times as i64 + if i + 1 == times { fen % times as i64 } else { 0 };
            let b = self
                .rec(json!({"kind": kind, "person": people[i % people.len()], "date": "2023-01-20", "amount": amount}));
            self.benefits.push(b);
        }
    }
}

/// The article's county, since 2021 (figures from DOMAIN.md's reference table).
fn article_county() -> County {
    let mut c = County {
        people: Vec::new(),
        orgs: Vec::new(),
        activities: Vec::new(),
        benefits: Vec::new(),
        cases: Vec::new(),
        feedback: Vec::new(),
        next: 0,
    };
    let lixiu: Vec<_> = (0..40).map(|_| c.person(json!({"category": "lixiu", "birth_date": "1930-03-01"}))).collect();
    let widows: Vec<_> = (0..40).map(|_| c.person(json!({"category": "widow", "no_work_income": true}))).collect();
    let team_members: Vec<_> = (0..123).map(|_| c.person(json!({"wulao": ["cadre"], "roles": ["lecturer"]}))).collect();
    let experts: Vec<_> = (0..512).map(|_| c.person(json!({"roles": ["agri_expert"]}))).collect();
    for _ in 0..14 {
        c.person(json!({"category": "other", "roles": ["teacher"], "birth_date": null}));
    }
    let centre = c.org("service_centre", "县老干部服务中心", Vec::new());
    let groups: Vec<_> = (0..4).map(|i| c.org("lecture_group", &format!("五老宣讲团{}", i + 1), Vec::new())).collect();
    // 17 teams of seven or eight; one person in two teams is still one team member.
    let teams: Vec<_> = (0..17)
        .map(|i| {
            let mut members: Vec<_> = team_members.iter().skip(i * 7).take(8).cloned().collect();
            members.push(team_members[0].clone());
            c.org("volunteer_team", &format!("桑榆红志愿服务队{}", i + 1), members)
        })
        .collect();
    c.org("expert_group", "农业专家组", experts[..100].to_vec());
    for i in 0..22 {
        c.org("branch", &format!("离退休干部第{}党支部", i + 1), Vec::new());
    }

    c.activities(203, "lecture", Some(&centre), json!({"audience": 50_321}));
    for (i, g) in groups.iter().enumerate() {
        c.activities(55 + u32::from(i == 0) * 3, "lecture", Some(g), json!({"audience": 2_810 - i as u64}));
    }
    c.activities(8, "lecture", Some(&teams[0]), json!({"audience": 20_400}));
    c.activities(6, "campaign", Some(&teams[1]), json!({"leaflets": 3_050, "slogans": 212}));
    c.activities(40, "outreach", None, json!({"beneficiaries": 6_012}));
    c.activities(
        305,
        "training",
        None,
        json!({"trainees": 9_000, "talents": 2_857, "self_employed": 55, "income_raised": 2_041}),
    );
    c.activities(10, "class", Some(&centre), json!({"audience": 300}));
    c.activities(5, "meeting", Some(&centre), json!({"audience": 124}));
    c.activities(3, "clinic", Some(&teams[2]), json!({"audience": 1_050}));

    c.benefits("birthday", &lixiu[..4], 4, 200_000);
    c.benefits("checkup", &lixiu[..18], 18, 0);
    c.benefits("holiday_visit", &lixiu, 185, 10_650_000);
    c.benefits("widow_subsidy", &widows[..37], 37, 5_600_000);
    c.benefits("widow_assistance", &widows[..36], 36, 7_900_000);
    c.benefits("medical", &lixiu, 300, 160_052_300);
    for i in 0..553u32 {
        let status = if i % 10 == 0 { "open" } else { "resolved" };
        let case = c.rec(json!({"parties": "甲与乙", "kind": "neighbours", "mediators": [], "township": "城关镇",
            "opened": "2022-03-01", "status": status, "beneficiaries": if i == 0 { 30_124 - 552 * 54 } else { 54 }}));
        c.cases.push(case);
    }
    for i in 0..42 {
        let f = c.rec(
            json!({"content": "路灯不亮", "date": "2024-06-01", "status": if i < 40 { "handled" } else { "open" }}),
        );
        c.feedback.push(f);
    }
    c
}

#[test]
fn the_article_county_reported_by_who_did_the_work() {
    let c = article_county();
    let scope = Scope { from: crate::domain::Date::new(2021, 1, 1), ..Scope::default() };
    let t = totals(&scope, &c.activities, &c.benefits, &c.cases, &c.feedback, &c.people, &c.orgs);
    let all = lines(&scope, &t, &Registry::of(&scope, &c.people, &c.orgs), &c.orgs);

    let volunteers: String = all
        .iter()
        .filter(|l| l.group == "人员" || l.group == "组织")
        .map(|l| format!("{} | {} | {} | {}\n", l.group, l.measure, l.exact, l.phrase))
        .collect();
    expect_test::expect![[r#"
        人员 | 离休干部 | 40人 | 40人
        人员 | 退休干部 | 635人 | 630余人
        人员 | 遗孀 | 40人 | 40人
        人员 | 其中党员 | 0人 | 0人
        人员 | “五老”志愿者 | 123人 | 120余人
        人员 | 志愿服务队队员 | 120人 | 120人
        人员 | 农业专家 | 512人 | 510余人
        人员 | 志愿服务教师 | 14人 | 14人
        人员 | 支部联络员 | 22人 | 22人
        组织 | 离退休干部党支部 | 22个 | 22个
        组织 | 志愿服务队 | 17个 | 17个
        组织 | 宣讲团 | 4个 | 4个
        组织 | 农业专家组 | 1个 | 1个
        组织 | 老干部服务中心 | 1个 | 1个
    "#]]
    .assert_eq(&volunteers);

    let by_organiser: String = all
        .iter()
        .filter(|l| l.group.contains('·') && !l.group.starts_with("志愿服务·"))
        .map(|l| format!("{} | {} | {} | {}\n", l.group, l.measure, l.exact, l.phrase))
        .collect();
    expect_test::expect![[r#"
        宣讲/宣传·老干部服务中心 | 场次 | 203场次 | 200余场次
        宣讲/宣传·老干部服务中心 | 服务人次 | 50321人次 | 5万余人次
        宣讲/宣传·“五老”宣讲团 | 场次 | 223场次 | 220余场次
        宣讲/宣传·“五老”宣讲团 | 服务人次 | 11234人次 | 1.1万余人次
        宣讲/宣传·志愿服务队 | 场次 | 8场次 | 8场次
        宣讲/宣传·志愿服务队 | 服务人次 | 20400人次 | 2万余人次
        驿站授课·老干部服务中心 | 场次 | 10场次 | 10场次
        驿站授课·老干部服务中心 | 听课人次 | 300人次 | 300人次
        义诊·志愿服务队 | 场次 | 3场次 | 3场次
        义诊·志愿服务队 | 服务人次 | 1050人次 | 1000余人次
        参会/参观·老干部服务中心 | 场次 | 5场次 | 5场次
        参会/参观·老干部服务中心 | 参加人次 | 124人次 | 120余人次
        环境/法治宣传·志愿服务队 | 场次 | 6场次 | 6场次
        环境/法治宣传·志愿服务队 | 宣传资料 | 3050份 | 3000余份
        环境/法治宣传·志愿服务队 | 标语 | 212条 | 210余条
    "#]]
    .assert_eq(&by_organiser);

    expect_test::expect!["2021年以来，县老干部服务中心累计开展政策宣讲200余场次，受众5万余人次；在驿站授课10场次，听课300人次；各“五老”宣讲团累计开展政策宣讲220余场次，受众1.1万余人次；各志愿服务队累计开展政策宣讲8场次，受众2万余人次；开展环境卫生和法治宣传6场次，发放宣传册3000余份，张贴标语210余条；另开展靶向宣传40场次，受益群众6000余人；举办培训300余场次，培训9000人次，培育乡土人才2800余人，引导55人自主发展，帮助2000余人实现增收；组织老干部参加会议、参观学习5场次，参加120余人次；为4名离休干部送去生日祝福、发放慰问金2000元；组织18名老干部开展健康体检；重大节日走访慰问离休干部和遗孀180余人次、发放慰问金10.65万元；为37名离休干部无工作遗孀发放医药费困难补助5.6万元；帮扶离休干部无工作遗孀36人，发放帮扶资金7.9万元；报销离休干部医药费160余万元；开展义诊3场次，服务老年人1000余人次；调解矛盾纠纷550余件，受益群众3万余人；收集群众反馈意见42条，已处理40条。"].assert_eq(&summary(&scope, &t));

    let five_elders: Vec<_> = all
        .iter()
        .filter(|l| l.group == "宣讲/宣传·“五老”宣讲团" || l.group == "宣讲/宣传·老干部服务中心")
        .cloned()
        .collect();
    let csv = crate::sync::csv::write(&csv_rows(&scope, &five_elders));
    expect_test::expect![[r#"
        ﻿范围,类别,项目,数值,单位,报告用语
        2021年以来,宣讲/宣传·老干部服务中心,场次,203,场次,200余场次
        2021年以来,宣讲/宣传·老干部服务中心,服务人次,50321,人次,5万余人次
        2021年以来,宣讲/宣传·“五老”宣讲团,场次,223,场次,220余场次
        2021年以来,宣讲/宣传·“五老”宣讲团,服务人次,11234,人次,1.1万余人次
    "#]]
    .assert_eq(&csv.replace("\r\n", "\n"));

    // The 五老 figure opens to its groups one by one, each exact and phrased.
    let groups = behind(
        Drill::Organisers(ActivityKind::Lecture, Organiser::LectureGroups),
        &scope,
        &c.activities,
        &c.benefits,
        &c.people,
        &c.orgs,
    );
    let text: Vec<String> = groups.iter().map(|(href, t)| format!("{} {t}", href.starts_with("/orgs/"))).collect();
    expect_test::expect![[r#"
        true 五老宣讲团1 · 58场次 · 2810人次（2800余人次）
        true 五老宣讲团2 · 55场次 · 2809人次（2800余人次）
        true 五老宣讲团3 · 55场次 · 2808人次（2800余人次）
        true 五老宣讲团4 · 55场次 · 2807人次（2800余人次）"#]]
    .assert_eq(&text.join("\n"));
}

/// Every row of a township's or an organiser's report is that scope's own figure, computed
/// here again straight from the records; what the scope cannot place says so.
#[test]
fn every_row_of_a_narrowed_report_is_the_scopes_own() {
    use std::collections::HashMap;

    use crate::domain::{Category, Level};

    const TOWNS: [&str; 3] = ["城关镇", "龙场镇", "猫场镇"];
    let mut c = article_county();
    // The county spread over three townships; a branch placed in each, county-level teams.
    for (i, p) in c.people.iter_mut().enumerate() {
        p.body.township = TOWNS[i % 3].into();
        p.body.party_member = i % 4 == 0;
    }
    for (i, a) in c.activities.iter_mut().enumerate() {
        a.body.township = TOWNS[i % 3].into();
    }
    for (i, k) in c.cases.iter_mut().enumerate() {
        k.body.township = TOWNS[i % 3].into();
    }
    for (n, o) in c.orgs.iter_mut().filter(|o| o.body.kind.is_branch()).enumerate() {
        o.body.level = Level::Township;
        o.body.township = TOWNS[n % 3].into();
    }
    let scope_of = |township: Option<&str>, organiser: Option<RecordId>| Scope {
        from: crate::domain::Date::new(2021, 1, 1),
        township: township.map(str::to_owned),
        organiser,
        ..Scope::default()
    };
    let rows = |scope: &Scope| -> HashMap<(String, String), String> {
        let t = totals(scope, &c.activities, &c.benefits, &c.cases, &c.feedback, &c.people, &c.orgs);
        lines(scope, &t, &Registry::of(scope, &c.people, &c.orgs), &c.orgs)
            .into_iter()
            // A row the scope cannot place has no number: its reason and how many it leaves out.
            .map(|l| {
                let shown = if l.value.is_empty() { format!("{}：{}", l.phrase, l.exact) } else { l.value };
                ((l.group, l.measure.to_owned()), shown)
            })
            .collect()
    };
    let get = |r: &HashMap<(String, String), String>, g: &str, m: &str| r.get(&(g.into(), m.into())).cloned();
    let n = |x: usize| Some(x.to_string());

    for town in TOWNS {
        let r = rows(&scope_of(Some(town), None));
        let here: Vec<&Record<Person>> = c.people.iter().filter(|p| p.body.township == town).collect();
        let of = |cat: Category| here.iter().filter(|p| p.body.category == cat).count();
        assert_eq!(get(&r, "人员", "离休干部"), n(of(Category::Lixiu)), "{town}");
        assert_eq!(get(&r, "人员", "退休干部"), n(of(Category::Tuixiu)), "{town}");
        assert_eq!(get(&r, "人员", "遗孀"), n(of(Category::Widow)), "{town}");
        assert_eq!(get(&r, "人员", "其中党员"), n(here.iter().filter(|p| p.body.party_member).count()), "{town}");
        assert_eq!(
            get(&r, "人员", "农业专家"),
            n(here.iter().filter(|p| p.body.roles.contains(&crate::domain::Role::AgriExpert)).count()),
            "{town}"
        );
        let branches_here = c.orgs.iter().filter(|o| o.body.kind.is_branch() && o.body.township == town).count();
        assert_eq!(get(&r, "组织", "离退休干部党支部"), n(branches_here), "{town}");
        assert_eq!(get(&r, "人员", "支部联络员"), n(branches_here), "{town}");
        assert_eq!(get(&r, "组织", "志愿服务队"), None, "county-level teams are no township's: {town}");
        assert_eq!(get(&r, "组织", "县级组织"), Some("不分乡镇：另有23个".into()), "{town}");
        let lectures: Vec<_> =
            c.activities.iter().filter(|a| a.body.township == town && a.body.kind == ActivityKind::Lecture).collect();
        assert_eq!(get(&r, "宣讲/宣传", "场次"), n(lectures.iter().map(|a| a.body.sessions as usize).sum()), "{town}");
        assert_eq!(
            get(&r, "宣讲/宣传", "服务人次"),
            n(lectures.iter().map(|a| a.body.audience as usize).sum()),
            "{town}"
        );
        let paid: Vec<_> = c
            .benefits
            .iter()
            .filter(|b| b.body.kind == crate::domain::BenefitKind::Medical)
            .filter(|b| c.people.iter().any(|p| p.id == b.body.person && p.body.township == town))
            .collect();
        assert_eq!(get(&r, "医药费报销", "人次"), n(paid.len()), "{town}");
        let fen: i64 = paid.iter().map(|b| b.body.amount.0).sum();
        assert_eq!(get(&r, "医药费报销", "金额"), Some(format!("{}.{:02}", fen / 100, fen % 100)), "{town}");
        let cases = c.cases.iter().filter(|k| k.body.township == town).count();
        assert_eq!(get(&r, "矛盾调解", "案件"), n(cases), "{town}");
        // Feedback has no township: said, never counted as the township's.
        assert_eq!(get(&r, "群众反馈", "收集"), None, "{town}");
        assert_eq!(get(&r, "群众反馈", "记录"), Some("不分乡镇：另有42条".into()), "{town}");
    }

    let centre = c.orgs.iter().find(|o| o.body.kind == crate::domain::OrgKind::ServiceCentre).unwrap().id.clone();
    let team = c.orgs.iter().find(|o| o.body.kind == crate::domain::OrgKind::VolunteerTeam).unwrap();
    for org in [centre, team.id.clone()] {
        let r = rows(&scope_of(None, Some(org.clone())));
        let theirs: Vec<_> = c.activities.iter().filter(|a| a.body.organiser.as_ref() == Some(&org)).collect();
        for kind in [ActivityKind::Lecture, ActivityKind::Class, ActivityKind::Clinic] {
            let mine: Vec<_> = theirs.iter().filter(|a| a.body.kind == kind).collect();
            let sessions: usize = mine.iter().map(|a| a.body.sessions as usize).sum();
            assert_eq!(get(&r, kind.label(), "场次"), (sessions > 0).then(|| sessions.to_string()), "{kind:?}");
        }
        // A team's people are its members (each once), the centre's none listed.
        let members =
            c.people.iter().filter(|p| c.orgs.iter().any(|o| o.id == org && o.body.members.contains(&p.id))).count();
        assert_eq!(get(&r, "人员", "退休干部"), n(members));
        assert_eq!(get(&r, "人员", "离休干部"), n(0));
        for group in ["待遇落实", "矛盾调解", "群众反馈"] {
            assert!(get(&r, group, "记录").is_some_and(|t| t.starts_with("不按组织单位统计")), "{group}: {r:?}");
        }
        assert!(
            !r.keys().any(|(g, m)| g == "医药费报销" || m == "案件"),
            "no payment or case counted as the organiser's"
        );
    }
}
