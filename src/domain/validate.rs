//! Validation errors that name the field, in Chinese, for the form and for file imports.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Stable key the UI uses to place the message beside its input (e.g. `birth_date`).
    pub field: &'static str,
    /// The field's Chinese label, for messages shown away from the form.
    pub label: &'static str,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.label, self.message)
    }
}

/// Characters no form keeps and no file may bring: controls other than line breaks and tabs,
/// and the bidirectional overrides that make a name display as something else.
pub fn hidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Text as a form keeps it: without [`hidden_char`]s, which nobody can see to delete (they
/// come in with pasted text).
pub fn visible(text: &str) -> String {
    text.chars().filter(|&c| !hidden_char(c)).collect()
}

/// Every problem found in one record, in field order, so a user fixes them all in one pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: &'static str, label: &'static str, message: impl Into<String>) {
        self.0.push(FieldError { field, label, message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was pushed: the end of every `check`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// The message for one field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("；")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

/// Checks an 18-character resident ID number (GB 11643-1999): 17 digits and a check character
/// from ISO 7064 MOD 11-2. Returns the birth date and whether the holder is male (odd 17th
/// digit), so a form can compare them with its own fields.
pub fn check_id_number(id: &str) -> Result<(crate::domain::Date, bool), String> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 {
        return Err(format!("身份证号应为18位，现在是{}位", id.chars().count()));
    }
    if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err("身份证号前17位应为数字，最后一位为数字或X".into());
    }
    let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    if CHECK[(sum % 11) as usize] != b[17] {
        return Err("身份证号校验位不正确，请核对是否输错".into());
    }
    let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14])
        .parse()
        .map_err(|_| "身份证号中的出生日期不存在".to_owned())?;
    Ok((birth, (b[16] - b'0') % 2 == 1))
}

/// Normalises a phone number: a mobile (11 digits starting 13–19) or a landline with its
/// area code (0 + 2–3 digits, then 7–8 digits), written `0857-1234567`. Spaces and hyphens
/// as typed are ignored.
pub fn normalize_phone(text: &str) -> Result<String, String> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '　')).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("电话号码只能包含数字和短横线".into());
    }
    let b = digits.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return Ok(digits);
    }
    if b.first() == Some(&b'0') {
        // Area codes: 010 and 02x are three digits; all others four.
        let area = if b.get(1) == Some(&b'1') || b.get(1) == Some(&b'2') { 3 } else { 4 };
        let local = b.len().saturating_sub(area);
        if (7..=8).contains(&local) {
            return Ok(format!("{}-{}", &digits[..area], &digits[area..]));
        }
    }
    Err("请填写11位手机号，或带区号的固定电话（如 0857-7621234）".into())
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::Date;

    #[test]
    fn id_numbers_with_correct_check_digits_pass() {
        // The standard's own example, and one ending in X.
        assert_eq!(check_id_number("11010519491231002X"), Ok((Date::new(1949, 12, 31).unwrap(), false)));
        assert_eq!(check_id_number("110105194912310029").unwrap_err(), "身份证号校验位不正确，请核对是否输错");
        let (birth, male) = check_id_number("520424193105040016").unwrap();
        assert_eq!((birth, male), (Date::new(1931, 5, 4).unwrap(), true));
    }

    #[test]
    fn id_numbers_malformed_are_refused_with_reasons() {
        assert_eq!(check_id_number("52042419310504001").unwrap_err(), "身份证号应为18位，现在是17位");
        assert_eq!(check_id_number("52042419310504001x").unwrap_err(), "身份证号前17位应为数字，最后一位为数字或X");
        // Check digit right, date impossible (Feb 30).
        let mut bad = String::from("52042419310230001");
        let sum: u32 = bad
            .bytes()
            .zip([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        bad.push(b"10X98765432"[(sum % 11) as usize] as char);
        assert_eq!(check_id_number(&bad).unwrap_err(), "身份证号中的出生日期不存在");
    }

    #[test]
    fn phones_normalise_or_explain() {
        assert_eq!(normalize_phone("138 0857 1234"), Ok("13808571234".into()));
        assert_eq!(normalize_phone("0857-7621234"), Ok("0857-7621234".into()));
        assert_eq!(normalize_phone("085776212345"), Ok("0857-76212345".into()));
        assert_eq!(normalize_phone("010 12345678"), Ok("010-12345678".into()));
        for bad in ["1280857123", "12808571234", "7621234", "0857-12345", "138O8571234", "+8613808571234"] {
            assert!(normalize_phone(bad).is_err(), "{bad}");
        }
    }

    /// The fields each form marks as required are exactly those an empty form is refused for:
    /// a mark the rules do not enforce, or a rule the form does not show, fails here.
    #[test]
    fn required_marks_match_the_rules() {
        use crate::domain::{ActivityForm, BenefitForm, CaseForm, FeedbackForm, OrgForm, PersonForm};
        fn fields(e: FieldErrors) -> Vec<&'static str> {
            let mut v: Vec<&'static str> = e.0.iter().map(|e| e.field).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        fn sorted<const N: usize>(mut v: [&'static str; N]) -> Vec<&'static str> {
            v.sort_unstable();
            v.to_vec()
        }
        let today = crate::domain::Date::new(2026, 12, 2).unwrap();
        assert_eq!(fields(PersonForm::default().validate(today).unwrap_err()), sorted(PersonForm::REQUIRED));
        assert_eq!(fields(ActivityForm::default().validate(today).unwrap_err()), sorted(ActivityForm::REQUIRED));
        assert_eq!(fields(BenefitForm::default().validate(today).unwrap_err()), sorted(BenefitForm::REQUIRED));
        assert_eq!(fields(OrgForm::default().validate().unwrap_err()), sorted(OrgForm::REQUIRED));
        assert_eq!(fields(CaseForm::default().validate(today).unwrap_err()), sorted(CaseForm::REQUIRED));
        assert_eq!(fields(FeedbackForm::default().validate(today).unwrap_err()), sorted(FeedbackForm::REQUIRED));
    }
}
