//! The paragraph an office copies into its report, in the article's order and words, from the
//! totals of a scope.

use super::organisers::Organiser;
use super::phrasing::{count_phrase, money_phrase, More};
use super::scope::{ActivityTotals, Scope};
use super::totals::Totals;
use crate::domain::{ActivityKind, BenefitKind, Fen};

/// The paragraph in the article's style and order: who did what (the service centre, the
/// 五老宣讲团, the volunteer teams, the branches, then work no organiser is named for), then the
/// cadres' meetings and visits, benefits, clinics, mediation and feedback. Each activity kind
/// has its own verb phrase; people are counted in 人/名 where people are meant, 人次 where
/// person-times are. Parts with nothing to report are left out.
pub fn summary(scope: &Scope, t: &Totals) -> String {
    let n = |v: u64, unit: &str| count_phrase(v, unit, More::Yu);
    let money = |f: Fen| money_phrase(f, More::Yu);
    let mut parts: Vec<String> = Vec::new();
    let named = t.by_organiser.iter().any(|(_, o, _)| *o != Organiser::Others);
    for group in Organiser::ALL {
        let deeds: Vec<String> = t
            .by_organiser
            .iter()
            .filter(|(k, o, _)| *o == group && !matches!(k, ActivityKind::Meeting | ActivityKind::Clinic))
            .map(|(k, _, a)| deeds(*k, a))
            .collect();
        if deeds.is_empty() {
            continue;
        }
        // Work with no organiser named follows the named groups' as "另…"; alone it needs no subject.
        let subject = match group {
            Organiser::Others if named => "另".to_owned(),
            g => format!("{}累计", g.subject()),
        };
        parts.push(format!("{subject}{}", deeds.join("；")));
    }
    if let Some(a) = t.activity(ActivityKind::Meeting) {
        parts.push(deeds(ActivityKind::Meeting, a));
    }
    for (kind, b) in &t.benefits {
        let paid = (b.amount.0 > 0).then(|| money(b.amount));
        let s = match kind {
            BenefitKind::Birthday => format!("为{}离休干部送去生日祝福", n(b.people, "名")),
            BenefitKind::Checkup => format!("组织{}老干部开展健康体检", n(b.people, "名")),
            BenefitKind::HolidayVisit => format!("重大节日走访慰问离休干部和遗孀{}", n(b.person_times, "人次")),
            BenefitKind::WidowSubsidy => format!("为{}离休干部无工作遗孀发放医药费困难补助", n(b.people, "名")),
            BenefitKind::WidowAssistance => format!("帮扶离休干部无工作遗孀{}", n(b.people, "人")),
            BenefitKind::Medical => match &paid {
                Some(m) => format!("报销离休干部医药费{m}"),
                None => format!("报销离休干部医药费{}", n(b.person_times, "人次")),
            },
            BenefitKind::Other => format!("落实其他待遇{}", n(b.person_times, "人次")),
        };
        let s = match (kind, paid) {
            (BenefitKind::Medical, _) | (_, None) => s,
            (BenefitKind::Birthday | BenefitKind::HolidayVisit, Some(m)) => format!("{s}、发放慰问金{m}"),
            (BenefitKind::WidowAssistance, Some(m)) => format!("{s}，发放帮扶资金{m}"),
            (BenefitKind::Other | BenefitKind::Checkup, Some(m)) => format!("{s}，共{m}"),
            (BenefitKind::WidowSubsidy, Some(m)) => format!("{s}{m}"),
        };
        parts.push(s);
    }
    if let Some(a) = t.activity(ActivityKind::Clinic) {
        parts.push(deeds(ActivityKind::Clinic, a));
    }
    if t.cases > 0 {
        let mut s = format!("调解矛盾纠纷{}", n(t.cases, "件"));
        if t.case_beneficiaries > 0 {
            s += &format!("，受益群众{}", n(t.case_beneficiaries, "人"));
        }
        parts.push(s);
    }
    if t.feedback > 0 {
        parts.push(format!("收集群众反馈意见{}，已处理{}", n(t.feedback, "条"), n(t.feedback_handled, "条")));
    }
    if parts.is_empty() {
        return format!("{}，暂无记录。", scope.label());
    }
    format!("{}，{}。", scope.label(), parts.join("；"))
}

/// One activity kind's work in the article's words: "开展政策宣讲220余场次，受众1.1万余人次".
fn deeds(kind: ActivityKind, a: &ActivityTotals) -> String {
    let n = |v: u64, unit: &str| count_phrase(v, unit, More::Yu);
    // The verb phrase, and what its audience count means for this kind.
    let (verb, audience) = match kind {
        ActivityKind::Lecture => ("开展政策宣讲", "受众"),
        ActivityKind::Outreach => ("开展靶向宣传", "受众"),
        ActivityKind::Training => ("举办培训", "参训"),
        ActivityKind::Class => ("在驿站授课", "听课"),
        ActivityKind::Clinic => ("开展义诊", "服务老年人"),
        ActivityKind::Meeting => ("组织老干部参加会议、参观学习", "参加"),
        ActivityKind::Campaign => ("开展环境卫生和法治宣传", "受众"),
        ActivityKind::Other => ("开展其他志愿服务", "服务群众"),
    };
    let mut s = format!("{verb}{}", n(a.sessions, "场次"));
    // Each count that is there, in the article's order: what comes before it, its unit, after.
    let counts = [
        (a.audience, audience, "人次", ""),
        (a.beneficiaries, "受益群众", "人", ""),
        (a.leaflets, "发放宣传册", "份", ""),
        (a.slogans, "张贴标语", "条", ""),
        (a.trainees, "培训", "人次", ""),
        (a.talents, "培育乡土人才", "人", ""),
        (a.self_employed, "引导", "人", "自主发展"),
        (a.income_raised, "帮助", "人", "实现增收"),
    ];
    for (v, before, unit, after) in counts.into_iter().filter(|c| c.0 > 0) {
        s += &format!("，{before}{}{after}", n(v, unit));
    }
    s
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::{Date, Fen};
    use crate::report::totals::tests::{county, county_since_2021};
    use crate::report::totals::{totals, Totals};

    #[test]
    fn totals_and_summary_since_2021() {
        let (_, scope, t) = county_since_2021();
        let lectures = t.activity(ActivityKind::Lecture).unwrap();
        assert_eq!((lectures.sessions, lectures.audience, lectures.leaflets), (220, 50_600, 3_300));
        let visits = t.benefit(BenefitKind::HolidayVisit).unwrap();
        assert_eq!((visits.people, visits.person_times, visits.amount), (4, 185, Fen(10_650_000)));
        expect_test::expect!["2021年以来，累计开展政策宣讲220场次，受众5万余人次，发放宣传册3300份；举办培训3场次，培训2800余人次，培育乡土人才55人，引导55人自主发展，帮助2100人实现增收；重大节日走访慰问离休干部和遗孀180余人次、发放慰问金10.65万元。"]
            .assert_eq(&summary(&scope, &t));
    }

    #[test]
    fn township_and_period_narrow_the_totals() {
        let (people, acts, bens) = county();
        let scope = Scope {
            from: Date::new(2024, 1, 1),
            to: Date::new(2024, 12, 31),
            township: Some("八步街道".into()),
            organiser: None,
            recorder: None,
        };
        assert_eq!(scope.label(), "2024年");
        let t = totals(&scope, &acts, &bens, &[], &[], &people, &[]);
        assert!(t.activity(ActivityKind::Lecture).is_none());
        assert_eq!(t.activity(ActivityKind::Training).unwrap().trainees, 2_857);
        let visits = t.benefit(BenefitKind::HolidayVisit).unwrap();
        assert_eq!((visits.people, visits.person_times), (1, 46), "only the person living in 八步街道");
        expect_test::expect!["2024年，累计举办培训3场次，培训2800余人次，培育乡土人才55人，引导55人自主发展，帮助2100人实现增收；重大节日走访慰问离休干部和遗孀46人次、发放慰问金2.6万余元。"]
            .assert_eq(&summary(&scope, &t));
    }

    #[test]
    fn an_empty_report_says_so() {
        assert_eq!(summary(&Scope::default(), &Totals::default()), "全部时间，暂无记录。");
    }
}
