//! The benefits ledger (待遇落实): payments or services to a person, with exact amounts.

use serde::{Deserialize, Serialize};

use super::activity::required_date;
use super::keyed::keyed_enum;
use super::{Date, Fen, FieldErrors, RecordId};

keyed_enum!(BenefitKind {
    Birthday = "birthday", "生日祝福";
    Checkup = "checkup", "健康体检";
    HolidayVisit = "holiday_visit", "走访慰问";
    WidowSubsidy = "widow_subsidy", "遗孀医药费困难补助";
    WidowAssistance = "widow_assistance", "遗孀帮扶资金";
    Medical = "medical", "医药费报销";
    Other = "other", "其他";
});

impl BenefitKind {
    /// A check-up is a service; every other kind is a payment and needs an amount.
    pub fn needs_amount(self) -> bool {
        self != BenefitKind::Checkup
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefit {
    pub kind: BenefitKind,
    pub person: RecordId,
    pub date: Date,
    pub amount: Fen,
    #[serde(default)]
    pub notes: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenefitForm {
    pub kind: String,
    pub person: Option<RecordId>,
    pub date: String,
    pub amount: String,
    pub notes: String,
}

impl BenefitForm {
    /// The fields an empty form is refused for, marked on the form before anything is typed
    /// (a test below keeps this list and `validate` in step).
    pub const REQUIRED: [&'static str; 4] = ["kind", "person", "date", "amount"];

    pub fn from_benefit(b: &Benefit) -> BenefitForm {
        BenefitForm {
            kind: b.kind.key().into(),
            person: Some(b.person.clone()),
            date: b.date.to_string(),
            amount: if b.amount.0 == 0 { String::new() } else { b.amount.to_input() },
            notes: b.notes.clone(),
        }
    }

    pub fn validate(&self, today: Date) -> Result<Benefit, FieldErrors> {
        let mut errs = FieldErrors::default();
        let kind = BenefitKind::from_key(self.kind.trim());
        if kind.is_none() {
            errs.push("kind", "类型", "请选择类型");
        }
        if self.person.is_none() {
            errs.push("person", "对象", "请选择发放对象");
        }
        let date = required_date(&mut errs, &self.date, today);
        let amount = match (self.amount.trim(), kind) {
            ("", Some(k)) if !k.needs_amount() => Fen(0),
            (text, _) => Fen::parse(text).unwrap_or_else(|e| {
                errs.push("amount", "金额（元）", e.to_string());
                Fen(0)
            }),
        };
        match (kind, self.person.clone(), date) {
            (Some(kind), Some(person), Some(date)) if errs.is_empty() => {
                Ok(Benefit { kind, person, date, amount, notes: self.notes.trim().to_owned() })
            }
            _ => Err(errs),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::fixtures::today;

    #[test]
    fn benefits_need_an_exact_amount_except_check_ups() {
        let who = Some(RecordId::from_random([2; 16]));
        let pay = BenefitForm {
            kind: "holiday_visit".into(),
            person: who.clone(),
            date: "2026-01-20".into(),
            amount: "¥1,234.56".into(),
            ..BenefitForm::default()
        };
        let b = pay.validate(today()).unwrap();
        assert_eq!(b.amount, Fen(123_456));
        assert_eq!(BenefitForm::from_benefit(&b).validate(today()), Ok(b));
        let e = BenefitForm { amount: "".into(), ..pay.clone() }.validate(today()).unwrap_err();
        assert_eq!(e.get("amount"), Some("请填写金额"));
        let e = BenefitForm { amount: "-5".into(), ..pay.clone() }.validate(today()).unwrap_err();
        assert_eq!(e.get("amount"), Some("金额不能为负数"));
        let c = BenefitForm { kind: "checkup".into(), amount: "".into(), ..pay.clone() }.validate(today()).unwrap();
        assert_eq!(c.amount, Fen(0));
        let e = BenefitForm { person: None, ..pay }.validate(today()).unwrap_err();
        assert_eq!(e.get("person"), Some("请选择发放对象"));
    }
}
