//! Figures in the style county reports quote them: "220多场次", "1.1万余人次", "10.65万元",
//! "160余万元". Every figure is also shown exactly beside its phrase.
//!
//! Rules (taken from the source article's own figures):
//! - Counts under 100 are exact: "37名", "17支".
//! - 100 to 9,999: the first two digits, the rest floored, then 余 (or 多): 223 → "220余",
//!   2,857 → "2800余"; a figure with nothing floored away is exact: "2000元", "3000份".
//! - From 10,000: in 万 to one decimal, floored: 11,234 → "1.1万余", 50,321 → "5万余";
//!   exact when nothing is floored away: 50,000 → "5万".
//! - Money under 10,000 yuan is exact ("2000元", "1234.56元"); a multiple of 100 yuan is
//!   exact in 万元 ("10.65万元", "7.9万元"); otherwise under 100,000 yuan it floors to 0.1万
//!   ("5.6万余元"), and from 100,000 yuan to whole 万, 余 after a round figure ("20余万元",
//!   "160余万元": from 100万 floored to two digits) and after 万 otherwise ("32万余元").
//!
//! A phrase never claims more than the exact figure: its number is at most the figure, and
//! 余/多 appears exactly when something was floored away.

use crate::domain::money::tenths_text;
use crate::domain::Fen;

/// The word for "more than": reports use both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum More {
    Yu,
    Duo,
}

impl More {
    fn word(self) -> &'static str {
        match self {
            More::Yu => "余",
            More::Duo => "多",
        }
    }
}

/// A count in report style: `count_phrase(223, "场次", More::Duo)` is "220多场次".
pub fn count_phrase(n: u64, unit: &str, more: More) -> String {
    if n < 100 {
        return format!("{n}{unit}");
    }
    if n < 10_000 {
        let step = 10u64.pow(n.ilog10() - 1);
        let kept = n - n % step;
        return if kept == n { format!("{n}{unit}") } else { format!("{kept}{}{unit}", more.word()) };
    }
    let tenths = n / 1_000;
    let text = tenths_text(tenths);
    if tenths * 1_000 == n {
        format!("{text}万{unit}")
    } else {
        format!("{text}万{}{unit}", more.word())
    }
}

/// Money in report style: `money_phrase(Fen(10_650_000))` is "10.65万元".
pub fn money_phrase(amount: Fen, more: More) -> String {
    let fen = amount.0.max(0).unsigned_abs();
    let yuan = fen / 100;
    if yuan < 10_000 {
        return if fen.is_multiple_of(100) { format!("{yuan}元") } else { format!("{yuan}.{:02}元", fen % 100) };
    }
    if fen.is_multiple_of(10_000) {
        // Whole hundreds of yuan: exact in 万 with up to two decimals.
        let hundredths = yuan / 100;
        let text = match hundredths % 100 {
            0 => (hundredths / 100).to_string(),
            h if h % 10 == 0 => format!("{}.{}", hundredths / 100, h / 10),
            h => format!("{}.{:02}", hundredths / 100, h),
        };
        return format!("{text}万元");
    }
    if yuan < 100_000 {
        return format!("{}万{}元", tenths_text(yuan / 1_000), more.word());
    }
    // 余 stands after a round figure, as the county writes it: "160余万元", "20余万元"; a figure
    // of 万 that is not round says 余 after 万: "32万余元". From 100万 the 万 are floored to two
    // digits like counts, so they are round: 1,612,345 yuan is "160余万元", not "161余万元".
    let wan = yuan / 10_000;
    let wan = if wan >= 100 { wan - wan % 10u64.pow(wan.ilog10() - 1) } else { wan };
    if wan % 10 == 0 {
        format!("{wan}{}万元", more.word())
    } else {
        format!("{wan}万{}元", more.word())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads a phrase back: the number it states (in the unit's smallest step) and whether it
    /// says "more than".
    fn read_count(phrase: &str, unit: &str) -> (u64, bool) {
        let body = phrase.strip_suffix(unit).unwrap();
        let approx = body.ends_with('余') || body.ends_with('多');
        let body = body.trim_end_matches(['余', '多']);
        let (num, scale) = match body.strip_suffix('万') {
            Some(n) => (n, 10_000.0),
            None => (body, 1.0),
        };
        // Phrases have at most one decimal, so the float read-back is exact here.
        ((num.parse::<f64>().unwrap() * scale).round() as u64, approx)
    }

    fn read_money(phrase: &str) -> (u64, bool) {
        let body = phrase.strip_suffix('元').unwrap();
        let approx = body.contains('余');
        let body = body.replace('余', "");
        let (num, scale) = match body.strip_suffix('万') {
            Some(n) => (n.to_owned(), 1_000_000u64),
            None => (body, 100),
        };
        let (int, frac) = num.split_once('.').unwrap_or((&num, ""));
        let digits = frac.len() as u32;
        let value = int.parse::<u64>().unwrap() * scale + frac.parse::<u64>().unwrap_or(0) * scale / 10u64.pow(digits);
        (value, approx)
    }

    #[test]
    fn the_articles_own_figures() {
        // 多 or 余 after the round part, 万 from ten thousand on; an exact figure has neither.
        #[rustfmt::skip]
        let counts = [
            (223, "场次", More::Duo, "220多场次"), (11_234, "人次", More::Yu, "1.1万余人次"),
            (50_321, "人次", More::Yu, "5万余人次"), (3_050, "份", More::Yu, "3000余份"),
            (3_120, "份", More::Yu, "3100余份"), (2_857, "人", More::Yu, "2800余人"),
            (185, "人次", More::Yu, "180余人次"), (37, "名", More::Yu, "37名"),
            (2_000, "元", More::Yu, "2000元"), (20_000, "人", More::Yu, "2万人"),
        ];
        for (n, unit, more, want) in counts {
            assert_eq!(count_phrase(n, unit, more), want);
        }
        #[rustfmt::skip]
        let fen = [
            (10_650_000, "10.65万元"), (7_900_000, "7.9万元"), (5_600_000, "5.6万元"), (200_000, "2000元"),
            (123_456, "1234.56元"), (100_000_000, "100万元"),
            // 余 after a round figure only: never "161余万元" or "32余万元".
            (160_052_300, "160余万元"), (20_031_000, "20余万元"), (5_612_345, "5.6万余元"),
            (161_234_500, "160余万元"), (32_512_345, "32万余元"), (1_234_567_800, "1200余万元"),
        ];
        for (f, want) in fen {
            assert_eq!(money_phrase(Fen(f), More::Yu), want);
        }
    }

    proptest! {
        #[test]
        fn counts_never_overstate_and_keep_their_magnitude(n in 0u64..100_000_000) {
            let p = count_phrase(n, "人次", More::Yu);
            let (stated, approx) = read_count(&p, "人次");
            prop_assert!(stated <= n, "{} states {} > {}", p, stated, n);
            prop_assert_eq!(approx, stated < n, "{}: 余 exactly when floored", p);
            // Flooring keeps at least ~90% of the figure: the magnitude round-trips.
            prop_assert!(stated * 10 >= n * 9, "{} loses too much of {}", p, n);
        }

        #[test]
        fn money_never_overstates(fen in 0i64..100_000_000_000) {
            let p = money_phrase(Fen(fen), More::Yu);
            let (stated, approx) = read_money(&p);
            let fen = fen as u64;
            prop_assert!(stated <= fen, "{} states {} > {}", p, stated, fen);
            prop_assert_eq!(approx, stated < fen, "{}: 余 exactly when floored", p);
            prop_assert!(stated * 10 >= fen * 9, "{} loses too much of {}", p, fen);
        }
    }
}
