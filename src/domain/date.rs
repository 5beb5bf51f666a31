//! Calendar dates, stored and exchanged as ISO `YYYY-MM-DD` text.
//!
//! A hand-rolled type rather than chrono: the app needs parsing, ordering and "today" only, and
//! every kilobyte of wasm is paid for on a rural connection.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("日期格式应为 年-月-日，例如 1950-07-01")]
    Format,
    #[error("日期不存在")]
    NoSuchDay,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub const EPOCH: Date = Date { year: 1970, month: 1, day: 1 };

    /// Years outside 1000..=9999 are refused so the text form is always ten characters.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let ok =
            (1000..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Inverse of [`Date::to_days`]; `None` outside the supported years.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }

    /// The local calendar date at a Unix time, given the local offset from UTC in minutes
    /// (China is +480). The caller reads both from the browser.
    pub fn from_unix_ms(ms: i64, offset_minutes: i64) -> Option<Date> {
        let local_ms = ms + offset_minutes * 60_000;
        Date::from_days(local_ms.div_euclid(86_400_000))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date as people type or keep it, in canonical `1948-03-12` form when it is one: 1948-3-12,
/// 1948/3/12, 1948.3.12, 1948年3月12日, 19480312 (a phone's number pad has no "-"), with
/// full-width digits too. Anything else comes back as typed, for `parse` to explain.
pub fn as_typed(text: &str) -> String {
    let s = super::money::ascii_number(text);
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && [y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => text.trim().to_owned(),
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Strict ISO `YYYY-MM-DD`: what `<input type=date>` gives and what files carry.
    fn from_str(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().map_err(|_| DateError::Format);
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (m, d) = (u8::try_from(m).map_err(|_| DateError::Format)?, u8::try_from(d).map_err(|_| DateError::Format)?);
        Date::new(y, m, d).ok_or(DateError::NoSuchDay)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_formats_iso() {
        let d: Date = "1949-10-01".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (1949, 10, 1));
        assert_eq!(d.to_string(), "1949-10-01");
    }

    #[test]
    fn refuses_bad_text_and_impossible_days() {
        for bad in ["", "1949-1-01", "1949/10/01", "19491001", "1949-10-01 ", "abcd-ef-gh", "+949-10-01"] {
            assert_eq!(bad.parse::<Date>(), Err(DateError::Format), "{bad:?}");
        }
        for bad in ["2023-02-29", "2024-13-01", "2024-04-31", "2024-00-10", "0999-01-01"] {
            assert!(bad.parse::<Date>().is_err(), "{bad:?}");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert!("1900-02-29".parse::<Date>().is_err());
    }

    #[test]
    fn unix_epoch_and_china_offset() {
        assert_eq!(Date::from_days(0), Date::new(1970, 1, 1));
        // 2026-11-28T16:30Z is already the 29th in Beijing.
        let ms = Date::new(2026, 11, 28).unwrap().to_days() * 86_400_000 + 16 * 3_600_000 + 30 * 60_000;
        assert_eq!(Date::from_unix_ms(ms, 480), Date::new(2026, 11, 29));
        assert_eq!(Date::from_unix_ms(ms, 0), Date::new(2026, 11, 28));
    }

    #[test]
    fn serde_is_the_iso_string() {
        let d = Date::new(1931, 5, 4).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"1931-05-04\"");
        assert_eq!(serde_json::from_str::<Date>("\"1931-05-04\"").unwrap(), d);
        assert!(serde_json::from_str::<Date>("\"1931-02-30\"").is_err());
    }

    proptest! {
        #[test]
        fn days_round_trip(days in Date::new(1000, 1, 1).unwrap().to_days()..=Date::new(9999, 12, 31).unwrap().to_days()) {
            let d = Date::from_days(days).unwrap();
            prop_assert_eq!(d.to_days(), days);
            prop_assert_eq!(d.to_string().parse::<Date>().unwrap(), d);
            // Ordering of dates agrees with ordering of their day numbers and their text.
            let next = Date::from_days(days + 1);
            if let Some(next) = next {
                prop_assert!(next > d);
                prop_assert!(next.to_string() > d.to_string());
            }
        }
    }

    #[test]
    fn dates_as_people_type_them() {
        for typed in [
            "1948-03-12",
            "1948-3-12",
            "1948/3/12",
            "1948.3.12",
            "1948年3月12日",
            "19480312",
            "１９４８－０３－１２",
            " 1948-03-12 ",
        ] {
            assert_eq!(as_typed(typed), "1948-03-12", "{typed}");
            assert_eq!(as_typed(typed).parse::<Date>(), Ok(Date::new(1948, 3, 12).unwrap()), "{typed}");
        }
        // Not a date: left as typed, so the parse error says what is wrong.
        assert_eq!(as_typed("48-3-12"), "48-3-12");
        assert_eq!(as_typed("三月"), "三月");
        assert!(as_typed("1948-02-30").parse::<Date>().is_err());
    }
}
