//! Dispute mediation cases and public feedback.

use serde::{Deserialize, Serialize};

use super::keyed::keyed_enum;
use super::{Date, FieldErrors, RecordId};

keyed_enum!(DisputeKind {
    ElderSupport = "elder_support", "赡养";
    InLaws = "in_laws", "婆媳";
    Neighbours = "neighbours", "邻里";
    Land = "land", "土地";
    Other = "other", "其他";
});

keyed_enum!(CaseStatus {
    Open = "open", "调解中";
    Resolved = "resolved", "调解成功";
    Unresolved = "unresolved", "未调解成功";
});

keyed_enum!(FeedbackStatus {
    Open = "open", "待处理";
    Handled = "handled", "已处理";
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationCase {
    /// The parties, as free text (they are usually not in the registry).
    pub parties: String,
    pub kind: DisputeKind,
    pub mediators: Vec<RecordId>,
    pub township: String,
    /// The township mediation room (调解室) where it was heard.
    #[serde(default)]
    pub room: String,
    pub opened: Date,
    #[serde(default)]
    pub closed: Option<Date>,
    pub status: CaseStatus,
    #[serde(default)]
    pub outcome: String,
    /// People benefiting (受益群众).
    #[serde(default)]
    pub beneficiaries: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub content: String,
    /// Who raised it, if they gave a name.
    #[serde(default)]
    pub source: String,
    pub date: Date,
    pub status: FeedbackStatus,
    #[serde(default)]
    pub response: String,
    #[serde(default)]
    pub handled_by: Option<RecordId>,
}

impl MediationCase {
    /// Rules a case must keep: closed cases have a closing date on or after opening, and an
    /// open case has none.
    pub fn check(&self, today: Date) -> Result<(), FieldErrors> {
        let mut errs = FieldErrors::default();
        if self.parties.trim().is_empty() {
            errs.push("parties", "当事人", "请填写当事人");
        }
        if self.opened > today {
            errs.push("opened", "受理日期", "受理日期不能晚于今天");
        }
        match (self.status, self.closed) {
            (CaseStatus::Open, Some(_)) => errs.push("closed", "结案日期", "调解中的案件没有结案日期"),
            (CaseStatus::Resolved | CaseStatus::Unresolved, None) => errs.push("closed", "结案日期", "请填写结案日期"),
            (_, Some(c)) if c < self.opened => errs.push("closed", "结案日期", "结案日期不能早于受理日期"),
            (_, Some(c)) if c > today => errs.push("closed", "结案日期", "结案日期不能晚于今天"),
            _ => {}
        }
        errs.into_result()
    }
}

impl Feedback {
    /// Handled feedback says how it was answered.
    pub fn check(&self, today: Date) -> Result<(), FieldErrors> {
        let mut errs = FieldErrors::default();
        if self.content.trim().is_empty() {
            errs.push("content", "反馈内容", "请填写反馈内容");
        }
        if self.date > today {
            errs.push("date", "日期", "日期不能晚于今天");
        }
        if self.status == FeedbackStatus::Handled && self.response.trim().is_empty() {
            errs.push("response", "处理情况", "已处理的反馈请填写处理情况");
        }
        errs.into_result()
    }
}

/// A mediation case as typed into the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseForm {
    pub parties: String,
    pub kind: String,
    pub mediators: Vec<RecordId>,
    pub township: String,
    pub room: String,
    pub opened: String,
    pub closed: String,
    pub status: String,
    pub outcome: String,
    pub beneficiaries: String,
}

fn date_field(errs: &mut FieldErrors, text: &str, field: &'static str, label: &'static str) -> Option<Date> {
    match text.trim() {
        "" => None,
        t => t.parse::<Date>().map_err(|e| errs.push(field, label, e.to_string())).ok(),
    }
}

impl CaseForm {
    /// The fields an empty form is refused for, marked on the form before anything is typed
    /// (a test below keeps this list and `validate` in step).
    pub const REQUIRED: [&'static str; 4] = ["parties", "kind", "status", "opened"];

    pub fn from_case(c: &MediationCase) -> CaseForm {
        CaseForm {
            parties: c.parties.clone(),
            kind: c.kind.key().into(),
            mediators: c.mediators.clone(),
            township: c.township.clone(),
            room: c.room.clone(),
            opened: c.opened.to_string(),
            closed: c.closed.map(|d| d.to_string()).unwrap_or_default(),
            status: c.status.key().into(),
            outcome: c.outcome.clone(),
            beneficiaries: if c.beneficiaries == 0 { String::new() } else { c.beneficiaries.to_string() },
        }
    }

    pub fn validate(&self, today: Date) -> Result<MediationCase, FieldErrors> {
        let mut errs = FieldErrors::default();
        // Also in `check`; said here too so an empty form names every missing field at once.
        if self.parties.trim().is_empty() {
            errs.push("parties", "当事人", "请填写当事人");
        }
        let kind = DisputeKind::from_key(&self.kind);
        if kind.is_none() {
            errs.push("kind", "纠纷类型", "请选择纠纷类型");
        }
        let status = CaseStatus::from_key(&self.status);
        if status.is_none() {
            errs.push("status", "状态", "请选择状态");
        }
        let opened = date_field(&mut errs, &self.opened, "opened", "受理日期");
        if opened.is_none() && self.opened.trim().is_empty() {
            errs.push("opened", "受理日期", "请填写受理日期");
        }
        let closed = date_field(&mut errs, &self.closed, "closed", "结案日期");
        let beneficiaries = match self.beneficiaries.trim() {
            "" => 0,
            t => t.parse::<u32>().unwrap_or_else(|_| {
                errs.push("beneficiaries", "受益群众", "请填写人数（整数）");
                0
            }),
        };
        let (Some(kind), Some(status), Some(opened), true) = (kind, status, opened, errs.is_empty()) else {
            return Err(errs);
        };
        let case = MediationCase {
            parties: self.parties.trim().to_owned(),
            kind,
            mediators: self.mediators.clone(),
            township: self.township.trim().to_owned(),
            room: self.room.trim().to_owned(),
            opened,
            closed,
            status,
            outcome: self.outcome.trim().to_owned(),
            beneficiaries,
        };
        case.check(today).map(|()| case)
    }
}

/// Public feedback as typed into the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedbackForm {
    pub content: String,
    pub source: String,
    pub date: String,
    pub status: String,
    pub response: String,
    pub handled_by: Option<RecordId>,
}

impl FeedbackForm {
    /// The fields an empty form is refused for, marked on the form before anything is typed
    /// (a test below keeps this list and `validate` in step).
    pub const REQUIRED: [&'static str; 3] = ["content", "date", "status"];

    pub fn from_feedback(f: &Feedback) -> FeedbackForm {
        FeedbackForm {
            content: f.content.clone(),
            source: f.source.clone(),
            date: f.date.to_string(),
            status: f.status.key().into(),
            response: f.response.clone(),
            handled_by: f.handled_by.clone(),
        }
    }

    pub fn validate(&self, today: Date) -> Result<Feedback, FieldErrors> {
        let mut errs = FieldErrors::default();
        // Also in `check`; said here too so an empty form names every missing field at once.
        if self.content.trim().is_empty() {
            errs.push("content", "反馈内容", "请填写反馈内容");
        }
        let date = date_field(&mut errs, &self.date, "date", "日期");
        if date.is_none() && self.date.trim().is_empty() {
            errs.push("date", "日期", "请填写日期");
        }
        let status = FeedbackStatus::from_key(&self.status);
        if status.is_none() {
            errs.push("status", "状态", "请选择状态");
        }
        let (Some(date), Some(status), true) = (date, status, errs.is_empty()) else { return Err(errs) };
        let f = Feedback {
            content: self.content.trim().to_owned(),
            source: self.source.trim().to_owned(),
            date,
            status,
            response: self.response.trim().to_owned(),
            handled_by: self.handled_by.clone(),
        };
        f.check(today).map(|()| f)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn forms_validate_into_records_with_messages_by_field() {
        let today = d("2026-11-29");
        let form = CaseForm {
            parties: "张某与李某".into(),
            kind: "land".into(),
            opened: "2026-03-01".into(),
            closed: "2026-03-10".into(),
            status: "resolved".into(),
            beneficiaries: "12".into(),
            ..CaseForm::default()
        };
        let case = form.validate(today).unwrap();
        assert_eq!((case.beneficiaries, case.closed), (12, Some(d("2026-03-10"))));
        assert_eq!(CaseForm::from_case(&case).validate(today).unwrap(), case);
        let bad = CaseForm { opened: "2026-02-30".into(), beneficiaries: "十二".into(), ..form };
        let e = bad.validate(today).unwrap_err();
        assert_eq!((e.get("opened"), e.get("beneficiaries")), (Some("日期不存在"), Some("请填写人数（整数）")));

        let fb = FeedbackForm {
            content: "路灯坏了".into(),
            date: "2026-11-01".into(),
            status: "handled".into(),
            ..FeedbackForm::default()
        };
        assert_eq!(fb.validate(today).unwrap_err().get("response"), Some("已处理的反馈请填写处理情况"));
        let ok = FeedbackForm { response: "已报修".into(), ..fb }.validate(today).unwrap();
        assert_eq!(FeedbackForm::from_feedback(&ok).validate(today).unwrap(), ok);
    }

    fn case() -> MediationCase {
        MediationCase {
            parties: "张某与李某".into(),
            kind: DisputeKind::Neighbours,
            mediators: vec![],
            township: "城关镇".into(),
            room: "城关镇调解室".into(),
            opened: d("2026-03-01"),
            closed: Some(d("2026-03-05")),
            status: CaseStatus::Resolved,
            outcome: "达成协议".into(),
            beneficiaries: 12,
        }
    }

    #[test]
    fn closing_dates_follow_the_status() {
        let today = d("2026-11-29");
        assert!(case().check(today).is_ok());
        let e = MediationCase { closed: None, ..case() }.check(today).unwrap_err();
        assert_eq!(e.get("closed"), Some("请填写结案日期"));
        let e = MediationCase { status: CaseStatus::Open, ..case() }.check(today).unwrap_err();
        assert_eq!(e.get("closed"), Some("调解中的案件没有结案日期"));
        let e = MediationCase { closed: Some(d("2026-02-01")), ..case() }.check(today).unwrap_err();
        assert_eq!(e.get("closed"), Some("结案日期不能早于受理日期"));
    }

    #[test]
    fn handled_feedback_needs_a_response() {
        let today = d("2026-11-29");
        let f = Feedback {
            content: "希望增加健康讲座".into(),
            source: String::new(),
            date: d("2026-05-01"),
            status: FeedbackStatus::Handled,
            response: String::new(),
            handled_by: None,
        };
        assert_eq!(f.check(today).unwrap_err().get("response"), Some("已处理的反馈请填写处理情况"));
        assert!(Feedback { response: "已安排6月健康讲座".into(), ..f.clone() }.check(today).is_ok());
        assert!(Feedback { status: FeedbackStatus::Open, ..f }.check(today).is_ok());
    }
}
