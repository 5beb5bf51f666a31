//! Money as integer fen (分). Amounts are typed as yuan with up to two decimals and parsed
//! exactly, digit by digit: never through a float.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// The largest amount one record may hold: 999,999,999.99 yuan.
pub const MAX_FEN: i64 = 99_999_999_999;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("请填写金额")]
    Empty,
    #[error("金额不能为负数")]
    Negative,
    #[error("金额最多两位小数（到分）")]
    TooPrecise,
    #[error("千分位逗号的位置不对，例如应写 1,234.56")]
    Grouping,
    #[error("金额过大")]
    TooLarge,
    #[error("金额格式不对，例如 1234.56 或 ¥1,234.56")]
    Format,
}

/// A number as a Chinese keyboard may type it, in ASCII: full-width digits, the full-width
/// and the ideographic full stop ("1234。56") as a decimal point, full-width comma and minus;
/// white space dropped. For amounts, counts and hours alike.
pub fn ascii_number(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '，' => ',',
            '－' => '-',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

impl Fen {
    /// Parses "1,234.56", "1234.5", "¥12", "￥12.00", "12元", full-width digits and "。" too.
    pub fn parse(text: &str) -> Result<Fen, MoneyError> {
        let s = ascii_number(text);
        let s = s.strip_prefix(['¥', '￥']).unwrap_or(&s);
        let s = s.strip_suffix('元').unwrap_or(s);
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        if s.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (int.is_empty() && frac.is_empty()) {
            return Err(MoneyError::Format);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let digits: String = if int.contains(',') {
            let groups: Vec<&str> = int.split(',').collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return Err(MoneyError::Grouping);
            }
            groups.concat()
        } else {
            int.to_owned()
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::Format);
        }
        let mut fen: i64 = 0;
        for b in digits.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(2)) {
            fen = fen.checked_mul(10).and_then(|f| f.checked_add(i64::from(b - b'0'))).ok_or(MoneyError::TooLarge)?;
            if fen > MAX_FEN * 10 {
                return Err(MoneyError::TooLarge);
            }
        }
        if fen > MAX_FEN {
            return Err(MoneyError::TooLarge);
        }
        Ok(Fen(fen))
    }

    /// Plain yuan for an input field: "1234.56".
    pub fn to_input(self) -> String {
        format!("{}.{:02}", self.0 / 100, (self.0 % 100).abs())
    }
}

/// "1.1" from 11 tenths, "5" from 50: hours, 万 and the like.
pub fn tenths_text(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// "1,234.56": grouped yuan with two decimals, as reports and lists show it.
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped}.{:02}", abs % 100)
    }
}

/// Saturating: amounts within the rules ([`MAX_FEN`] each) would need 90 million payments to
/// come near `i64::MAX`, but a total must never wrap into a negative figure whatever is stored.
impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.fold(0i64, |total, f| total.saturating_add(f.0)))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    #[test]
    fn an_ideographic_full_stop_is_a_decimal_point() {
        assert_eq!(Fen::parse("1234。56"), Ok(Fen(123_456)));
        assert_eq!(Fen::parse("１２３４．５"), Ok(Fen(123_450)));
    }

    #[test]
    fn totals_of_the_largest_amounts_are_exact_and_never_wrap() {
        let many = std::iter::repeat_n(Fen(MAX_FEN), 100_000).sum::<Fen>();
        assert_eq!(many, Fen(MAX_FEN * 100_000));
        assert_eq!([Fen(i64::MAX), Fen(i64::MAX)].into_iter().sum::<Fen>(), Fen(i64::MAX));
    }
    use proptest::prelude::*;

    #[test]
    fn parses_what_people_type() {
        for (text, fen) in [
            ("1,234.56", 123_456),
            ("1234.5", 123_450),
            ("¥12", 1_200),
            ("￥12.00", 1_200),
            ("12元", 1_200),
            (" 0.07 ", 7),
            ("１２３４．５", 123_450),
            ("1，234", 123_400),
            ("106,500", 10_650_000),
            (".5", 50),
            ("5.", 500),
            ("999,999,999.99", MAX_FEN),
        ] {
            assert_eq!(Fen::parse(text), Ok(Fen(fen)), "{text}");
        }
    }

    #[test]
    fn refuses_with_a_reason() {
        for (text, err) in [
            ("", MoneyError::Empty),
            ("¥", MoneyError::Empty),
            ("-5", MoneyError::Negative),
            ("1.234", MoneyError::TooPrecise),
            ("12,34", MoneyError::Grouping),
            ("1,2345", MoneyError::Grouping),
            (",123", MoneyError::Grouping),
            ("1,000,00", MoneyError::Grouping),
            ("12a", MoneyError::Format),
            ("1.2.3", MoneyError::Format),
            (".", MoneyError::Format),
            ("1e3", MoneyError::Format),
            ("1000000000", MoneyError::TooLarge),
            ("99999999999999999999999", MoneyError::TooLarge),
        ] {
            assert_eq!(Fen::parse(text), Err(err), "{text}");
        }
    }

    #[test]
    fn formats_grouped_with_two_decimals() {
        assert_eq!(Fen(123_456).to_string(), "1,234.56");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(10_650_000).to_string(), "106,500.00");
        assert_eq!(Fen(-123_456).to_string(), "-1,234.56");
        assert_eq!(Fen(123_450).to_input(), "1234.50");
        assert_eq!(serde_json::to_string(&Fen(123_456)).unwrap(), "123456");
    }

    proptest! {
        #[test]
        fn format_then_parse_is_exact(fen in 0..=MAX_FEN) {
            prop_assert_eq!(Fen::parse(&Fen(fen).to_string()), Ok(Fen(fen)));
            prop_assert_eq!(Fen::parse(&Fen(fen).to_input()), Ok(Fen(fen)));
            prop_assert_eq!(Fen::parse(&format!("¥{}", Fen(fen))), Ok(Fen(fen)));
        }

        #[test]
        fn negatives_are_always_refused(fen in 1..=MAX_FEN) {
            prop_assert_eq!(Fen::parse(&format!("-{}", Fen(fen))), Err(MoneyError::Negative));
        }

        #[test]
        fn any_text_parses_or_errs_without_panicking(text in "\\PC{0,20}") {
            if let Ok(f) = Fen::parse(&text) {
                prop_assert!((0..=MAX_FEN).contains(&f.0));
            }
        }
    }
}
