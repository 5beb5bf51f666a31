//! Activities: lectures, outreach, trainings, classes, clinics, meetings, campaigns.

use serde::{Deserialize, Serialize};

use super::keyed::keyed_enum;
use super::{Date, FieldErrors, RecordId};

keyed_enum!(ActivityKind {
    Lecture = "lecture", "宣讲/宣传";
    Outreach = "outreach", "靶向宣传";
    Training = "training", "培训";
    Class = "class", "驿站授课";
    Clinic = "clinic", "义诊";
    Meeting = "meeting", "参会/参观";
    Campaign = "campaign", "环境/法治宣传";
    Other = "other", "其他";
});

keyed_enum!(Venue {
    Community = "community", "社区";
    School = "school", "学校";
    Company = "company", "企业";
    Village = "village", "村组";
    Field = "field", "田间地头";
});

impl ActivityKind {
    /// Trainings record their outcomes (trainees, talents, self-employed, income raised).
    pub fn is_training(self) -> bool {
        self == ActivityKind::Training
    }
}

/// A retiree who took part, with their volunteer time in tenths of an hour (2.5 h = 25).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub person: RecordId,
    pub tenth_hours: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub kind: ActivityKind,
    pub theme: String,
    pub date: Date,
    pub township: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub venue: Option<Venue>,
    /// The organising team, branch or centre (an `Org`).
    #[serde(default)]
    pub organiser: Option<RecordId>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// 场次; one unless a record covers several sessions.
    pub sessions: u32,
    /// 受众/服务人次.
    #[serde(default)]
    pub audience: u32,
    #[serde(default)]
    pub beneficiaries: u32,
    /// 宣传册（份）.
    #[serde(default)]
    pub leaflets: u32,
    /// 标语（条）.
    #[serde(default)]
    pub slogans: u32,
    #[serde(default)]
    pub trainees: u32,
    /// 乡土人才 trained.
    #[serde(default)]
    pub talents: u32,
    /// People who started their own farming (自主发展).
    #[serde(default)]
    pub self_employed: u32,
    /// People whose income rose (增收).
    #[serde(default)]
    pub income_raised: u32,
    #[serde(default)]
    pub notes: String,
}

/// Counts as typed; empty means zero (or one for sessions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub theme: String,
    pub date: String,
    pub township: String,
    pub village: String,
    pub venue: String,
    pub organiser: Option<RecordId>,
    /// Each participant with their hours as typed ("2.5").
    pub participants: Vec<(RecordId, String)>,
    pub sessions: String,
    pub audience: String,
    pub beneficiaries: String,
    pub leaflets: String,
    pub slogans: String,
    pub trainees: String,
    pub talents: String,
    pub self_employed: String,
    pub income_raised: String,
    pub notes: String,
}

/// The largest count one record may hold; anything above is a typing slip.
pub const MAX_COUNT: u32 = 10_000_000;
/// Hours one person may give to one activity record.
pub const MAX_TENTH_HOURS: u32 = 10_000;

fn count(errs: &mut FieldErrors, field: &'static str, label: &'static str, text: &str, empty: u32) -> u32 {
    let t = super::money::ascii_number(text);
    let t = t.as_str();
    if t.is_empty() {
        return empty;
    }
    match t.parse::<u32>() {
        Ok(n) if n <= MAX_COUNT => n,
        Ok(_) => {
            errs.push(field, label, "数字过大，请核对");
            0
        }
        Err(_) => {
            errs.push(field, label, if t.starts_with('-') { "不能为负数" } else { "请填写整数" });
            0
        }
    }
}

/// "2.5" hours → 25 tenths; at most one decimal.
pub fn parse_hours(text: &str) -> Result<u32, String> {
    let t = super::money::ascii_number(text);
    let t = t.as_str();
    if t.is_empty() {
        return Ok(0);
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let ok = !int.is_empty()
        && int.len() <= 5
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 1
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err("时长请填小时数，最多一位小数，如 2.5".into());
    }
    let tenths = int.parse::<u32>().map_err(|e| e.to_string())? * 10 + frac.parse::<u32>().unwrap_or(0);
    if tenths > MAX_TENTH_HOURS {
        return Err("时长过长，请核对".into());
    }
    Ok(tenths)
}

pub fn format_hours(tenths: u32) -> String {
    super::money::tenths_text(u64::from(tenths))
}

pub(super) fn required_date(errs: &mut FieldErrors, text: &str, today: Date) -> Option<Date> {
    match text.trim() {
        "" => {
            errs.push("date", "日期", "请填写日期");
            None
        }
        t => match t.parse::<Date>() {
            Err(e) => {
                errs.push("date", "日期", e.to_string());
                None
            }
            Ok(d) if d > today => {
                errs.push("date", "日期", "不能记录今天以后的事");
                None
            }
            Ok(d) => Some(d),
        },
    }
}

impl ActivityForm {
    /// The fields an empty form is refused for, marked on the form before anything is typed
    /// (a test below keeps this list and `validate` in step).
    pub const REQUIRED: [&'static str; 4] = ["kind", "theme", "date", "township"];

    pub fn from_activity(a: &Activity) -> ActivityForm {
        let n = |v: u32| if v == 0 { String::new() } else { v.to_string() };
        ActivityForm {
            kind: a.kind.key().into(),
            theme: a.theme.clone(),
            date: a.date.to_string(),
            township: a.township.clone(),
            village: a.village.clone(),
            venue: a.venue.map(|v| v.key().to_owned()).unwrap_or_default(),
            organiser: a.organiser.clone(),
            participants: a.participants.iter().map(|p| (p.person.clone(), format_hours(p.tenth_hours))).collect(),
            sessions: a.sessions.to_string(),
            audience: n(a.audience),
            beneficiaries: n(a.beneficiaries),
            leaflets: n(a.leaflets),
            slogans: n(a.slogans),
            trainees: n(a.trainees),
            talents: n(a.talents),
            self_employed: n(a.self_employed),
            income_raised: n(a.income_raised),
            notes: a.notes.clone(),
        }
    }

    pub fn validate(&self, today: Date) -> Result<Activity, FieldErrors> {
        let mut errs = FieldErrors::default();
        let kind = ActivityKind::from_key(self.kind.trim());
        if kind.is_none() {
            errs.push("kind", "类型", "请选择活动类型");
        }
        let theme = self.theme.trim().to_owned();
        if theme.is_empty() {
            errs.push("theme", "主题", "请填写主题");
        } else if theme.chars().count() > 100 {
            errs.push("theme", "主题", "主题不能超过100个字");
        }
        let date = required_date(&mut errs, &self.date, today);
        let township = self.township.trim().to_owned();
        if township.is_empty() {
            errs.push("township", "乡镇（街道）", "请填写乡镇或街道");
        }
        let venue = match self.venue.trim() {
            "" => None,
            k => {
                let v = Venue::from_key(k);
                if v.is_none() {
                    errs.push("venue", "场所", "场所类型不对");
                }
                v
            }
        };
        let mut participants: Vec<Participant> = Vec::new();
        for (person, hours) in &self.participants {
            if participants.iter().any(|p| &p.person == person) {
                continue;
            }
            match parse_hours(hours) {
                Ok(tenth_hours) => participants.push(Participant { person: person.clone(), tenth_hours }),
                Err(e) => errs.push("participants", "参加人员", e),
            }
        }
        let sessions = count(&mut errs, "sessions", "场次", &self.sessions, 1);
        if sessions == 0 && !errs.0.iter().any(|e| e.field == "sessions") {
            errs.push("sessions", "场次", "场次至少为1");
        }
        let audience = count(&mut errs, "audience", "受众人次", &self.audience, 0);
        let beneficiaries = count(&mut errs, "beneficiaries", "受益人数", &self.beneficiaries, 0);
        let leaflets = count(&mut errs, "leaflets", "宣传册（份）", &self.leaflets, 0);
        let slogans = count(&mut errs, "slogans", "标语（条）", &self.slogans, 0);
        let training = kind.is_some_and(ActivityKind::is_training);
        let mut outcome = |f, l, t: &str| if training { count(&mut errs, f, l, t, 0) } else { 0 };
        let trainees = outcome("trainees", "培训人数", &self.trainees);
        let talents = outcome("talents", "培养乡土人才", &self.talents);
        let self_employed = outcome("self_employed", "自主发展", &self.self_employed);
        let income_raised = outcome("income_raised", "增收人数", &self.income_raised);

        match (kind, date) {
            (Some(kind), Some(date)) if errs.is_empty() => Ok(Activity {
                kind,
                theme,
                date,
                township,
                village: self.village.trim().to_owned(),
                venue,
                organiser: self.organiser.clone(),
                participants,
                sessions,
                audience,
                beneficiaries,
                leaflets,
                slogans,
                trainees,
                talents,
                self_employed,
                income_raised,
                notes: self.notes.trim().to_owned(),
            }),
            _ => Err(errs),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::fixtures::today;

    fn lecture() -> ActivityForm {
        ActivityForm {
            kind: "lecture".into(),
            theme: "党的二十届四中全会精神宣讲".into(),
            date: "2026-11-20".into(),
            township: "城关镇".into(),
            ..ActivityForm::default()
        }
    }

    #[test]
    fn a_lecture_defaults_to_one_session_and_drops_training_outcomes() {
        let a = ActivityForm { audience: "120".into(), leaflets: "300".into(), trainees: "9".into(), ..lecture() }
            .validate(today())
            .unwrap();
        assert_eq!((a.sessions, a.audience, a.leaflets, a.trainees), (1, 120, 300, 0));
        assert_eq!(ActivityForm::from_activity(&a).validate(today()), Ok(a));
        let wide = ActivityForm { audience: "１２３".into(), ..lecture() }.validate(today()).unwrap();
        assert_eq!(wide.audience, 123, "full-width digits, as amounts already took them");
    }

    #[test]
    fn counts_and_hours_are_checked_at_their_fields() {
        let p = RecordId::from_random([1; 16]);
        let e = ActivityForm {
            audience: "-3".into(),
            leaflets: "1.5".into(),
            sessions: "0".into(),
            participants: vec![(p.clone(), "2.25".into())],
            ..lecture()
        }
        .validate(today())
        .unwrap_err();
        expect_test::expect!["参加人员：时长请填小时数，最多一位小数，如 2.5；场次：场次至少为1；受众人次：不能为负数；宣传册（份）：请填写整数"].assert_eq(&e.to_string());
        let a = ActivityForm { participants: vec![(p.clone(), "2.5".into()), (p.clone(), "9".into())], ..lecture() }
            .validate(today())
            .unwrap();
        assert_eq!(a.participants, vec![Participant { person: p, tenth_hours: 25 }], "one entry per person");
    }

    #[test]
    fn hours_parse_to_tenths() {
        assert_eq!(parse_hours("2.5"), Ok(25));
        assert_eq!(parse_hours("２。５"), Ok(25), "as a Chinese keyboard types it");
        assert_eq!(parse_hours("3"), Ok(30));
        assert_eq!(parse_hours(""), Ok(0));
        assert!(
            parse_hours("2.55").is_err()
                && parse_hours("abc").is_err()
                && parse_hours("-1").is_err()
                && parse_hours("1001").is_err()
        );
        assert_eq!((format_hours(25), format_hours(30)), ("2.5".into(), "3".into()));
    }

    #[test]
    fn no_future_dates() {
        let e = ActivityForm { date: "2026-11-30".into(), ..lecture() }.validate(today()).unwrap_err();
        assert_eq!(e.get("date"), Some("不能记录今天以后的事"));
    }
}
