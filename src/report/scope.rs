//! What a report covers (`Scope`: a period, a township, an organiser, and which records each
//! takes) and the sums an activity adds to (`ActivityTotals`): what the totals, the organisers'
//! split and the summary all use, apart from each, so none imports another for it.

use crate::domain::{Activity, Benefit, Clock, Date, Feedback, MediationCase, RecordId};

/// What a report covers. `None` means "no limit".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub township: Option<String>,
    /// Only activities this team, branch or centre organised.
    pub organiser: Option<RecordId>,
    /// Only records this 记录人 made ([`Clock::recorder`]): each volunteer's work as logged.
    pub recorder: Option<String>,
}

impl Scope {
    /// A record counts for the 记录人 asked for, if one is.
    pub fn recorded(&self, clock: &Clock) -> bool {
        self.recorder.as_deref().is_none_or(|r| clock.recorder().is_some_and(|n| crate::sync::history::shown_name(n) == r))
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t)
    }

    fn place(&self, township: &str) -> bool {
        self.township.as_deref().is_none_or(|t| t == township)
    }

    /// An activity counts in this scope: its date, township and organiser. Every figure,
    /// chart, drill-down and photo list over activities asks this one question.
    pub fn takes(&self, a: &Activity) -> bool {
        self.contains(a.date)
            && self.place(&a.township)
            && self.organiser.as_ref().is_none_or(|o| a.organiser.as_ref() == Some(o))
    }

    /// A payment counts in this scope: its date, and the township of the person paid
    /// (`township`). No organiser pays benefits, so a scope narrowed to one takes none.
    pub fn takes_payment(&self, b: &Benefit, township: Option<&str>) -> bool {
        self.organiser.is_none()
            && self.contains(b.date)
            && self.township.as_deref().is_none_or(|t| township == Some(t))
    }

    /// A mediation case: its opening date and township; cases name mediators, not organisers.
    pub fn takes_case(&self, c: &MediationCase) -> bool {
        self.organiser.is_none() && self.contains(c.opened) && self.place(&c.township)
    }

    /// Public feedback has neither township nor organiser: only an unnarrowed scope takes it.
    pub fn takes_feedback(&self, f: &Feedback) -> bool {
        self.organiser.is_none() && self.township.is_none() && self.contains(f.date)
    }

    /// Why records in the period are left out of a narrowed scope: "不按组织单位统计" or
    /// "不分乡镇"; `None` when nothing is narrowed.
    pub fn apart(&self) -> Option<&'static str> {
        if self.organiser.is_some() {
            Some("不按组织单位统计")
        } else if self.township.is_some() {
            Some("不分乡镇")
        } else {
            None
        }
    }

    /// "2021年以来", "2026年", "2026年3月1日至2026年5月31日", "全部时间".
    pub fn label(&self) -> String {
        let day = |d: Date| format!("{}年{}月{}日", d.year(), d.month(), d.day());
        match (self.from, self.to) {
            (None, None) => "全部时间".into(),
            (Some(f), None) if (f.month(), f.day()) == (1, 1) => format!("{}年以来", f.year()),
            (Some(f), None) => format!("{}以来", day(f)),
            (None, Some(t)) => format!("截至{}", day(t)),
            (Some(f), Some(t))
                if f.year() == t.year() && (f.month(), f.day(), t.month(), t.day()) == (1, 1, 12, 31) =>
            {
                format!("{}年", f.year())
            }
            (Some(f), Some(t)) => format!("{}至{}", day(f), day(t)),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityTotals {
    pub records: u64,
    pub sessions: u64,
    pub audience: u64,
    pub beneficiaries: u64,
    pub leaflets: u64,
    pub slogans: u64,
    pub trainees: u64,
    pub talents: u64,
    pub self_employed: u64,
    pub income_raised: u64,
    pub volunteer_tenth_hours: u64,
}

impl ActivityTotals {
    pub fn add(&mut self, b: &Activity) {
        self.records += 1;
        self.sessions += u64::from(b.sessions);
        self.audience += u64::from(b.audience);
        self.beneficiaries += u64::from(b.beneficiaries);
        self.leaflets += u64::from(b.leaflets);
        self.slogans += u64::from(b.slogans);
        self.trainees += u64::from(b.trainees);
        self.talents += u64::from(b.talents);
        self.self_employed += u64::from(b.self_employed);
        self.income_raised += u64::from(b.income_raised);
        self.volunteer_tenth_hours += tenth_hours(b);
    }
}

/// The volunteer time an activity's participants gave, in tenths of an hour.
pub(super) fn tenth_hours(a: &Activity) -> u64 {
    a.participants.iter().map(|p| u64::from(p.tenth_hours)).sum()
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::{DeviceId, Hlc, Record, Stamp};
    use crate::sync::merge::{restamp, sign, Doc};

    fn write(old: Option<&Doc>, body: serde_json::Value, ms: u64, who: &str) -> Doc {
        let s = Stamp { hlc: Hlc { ms, count: 0 }, device: DeviceId::from_random([1; 16]) };
        let mut d = old.cloned().unwrap_or_else(|| Record::create(RecordId::from_random([2; 16]), json!({}), s.hlc, s.device.clone()));
        d.body = body;
        restamp(old, &mut d, s.clone());
        sign(&mut d, &s, who);
        d
    }

    /// A record counts for the 记录人 who made it, even after someone else edits a field; one
    /// made with no name counts only for 全部记录人.
    #[test]
    fn a_record_counts_for_the_recorder_who_made_it() {
        let made = write(None, json!({"theme": "宣讲", "audience": 30}), 10, "李明");
        let edited = write(Some(&made), json!({"theme": "宣讲", "audience": 35}), 20, "王芳");
        let nameless = write(None, json!({"theme": "宣讲"}), 30, "");
        let for_li = Scope { recorder: Some("李明".into()), ..Scope::default() };
        let for_wang = Scope { recorder: Some("王芳".into()), ..Scope::default() };
        assert_eq!(edited.clock.recorder(), Some("李明"));
        assert!(for_li.recorded(&edited.clock) && !for_wang.recorded(&edited.clock));
        assert!(!for_li.recorded(&nameless.clock) && Scope::default().recorded(&nameless.clock));
        // Every body field written since: the tombstone's stamp is still the making's.
        let rewritten = write(Some(&made), json!({"theme": "培训", "audience": 5}), 40, "王芳");
        assert_eq!(rewritten.clock.recorder(), Some("李明"));
    }
}
