//! Hybrid logical clock stamps: wall-clock milliseconds plus a counter.
//!
//! Stamps order every change across offices even when phone clocks disagree: a device never
//! issues a stamp below one it has seen, and a clock that jumps back does not reorder edits.
//! Text form `MMMMMMMMMMMMM-CCCCCC` (fixed width), so string order equals stamp order and an
//! IndexedDB index over it sorts correctly.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, as far as the issuing clock knew.
    pub ms: u64,
    /// Orders stamps that share a millisecond.
    pub count: u32,
}

/// Keeps the text form fixed-width; past it the stamp borrows the next millisecond.
pub const MAX_COUNT: u32 = 999_999;
/// Keeps the text form fixed-width (13 digits: until the year 2286).
pub const MAX_MS: u64 = 9_999_999_999_999;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("时间戳格式错误：{0}")]
pub struct HlcParseError(pub String);

impl Hlc {
    pub const ZERO: Hlc = Hlc { ms: 0, count: 0 };

    fn after(self) -> Hlc {
        if self.count >= MAX_COUNT {
            Hlc { ms: self.ms + 1, count: 0 }
        } else {
            Hlc { ms: self.ms, count: self.count + 1 }
        }
    }

    /// The stamp for a local change at wall time `now_ms`: later than `self` and than any
    /// stamp `seen` (e.g. the record being edited, possibly from a device whose clock runs ahead).
    pub fn next(self, now_ms: u64, seen: Option<Hlc>) -> Hlc {
        let last = seen.map_or(self, |s| s.max(self));
        let now = now_ms.min(MAX_MS);
        if now > last.ms {
            Hlc { ms: now, count: 0 }
        } else {
            last.after()
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}-{:06}", self.ms, self.count)
    }
}

impl FromStr for Hlc {
    type Err = HlcParseError;

    fn from_str(s: &str) -> Result<Hlc, HlcParseError> {
        let err = || HlcParseError(s.chars().take(40).collect());
        let (ms, count) = s.split_once('-').ok_or_else(err)?;
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if ms.len() != 13 || count.len() != 6 || !all_digits(ms) || !all_digits(count) {
            return Err(err());
        }
        Ok(Hlc { ms: ms.parse().map_err(|_| err())?, count: count.parse().map_err(|_| err())? })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hlc, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn follows_the_wall_clock_when_it_moves_forward() {
        let a = Hlc::ZERO.next(1_000, None);
        assert_eq!(a, Hlc { ms: 1_000, count: 0 });
        assert_eq!(a.next(2_000, None), Hlc { ms: 2_000, count: 0 });
    }

    #[test]
    fn counts_within_a_millisecond_and_when_the_clock_goes_back() {
        let a = Hlc { ms: 5_000, count: 3 };
        assert_eq!(a.next(5_000, None), Hlc { ms: 5_000, count: 4 });
        assert_eq!(a.next(10, None), Hlc { ms: 5_000, count: 4 });
    }

    #[test]
    fn an_edit_lands_after_the_version_it_replaces_even_from_a_fast_clock() {
        let mine = Hlc { ms: 1_000, count: 0 };
        let theirs = Hlc { ms: 9_000, count: 7 };
        assert_eq!(mine.next(2_000, Some(theirs)), Hlc { ms: 9_000, count: 8 });
    }

    #[test]
    fn counter_overflow_borrows_the_next_millisecond() {
        let a = Hlc { ms: 7, count: MAX_COUNT };
        assert_eq!(a.next(7, None), Hlc { ms: 8, count: 0 });
    }

    #[test]
    fn text_form_is_fixed_width_and_strict() {
        let h = Hlc { ms: 1_764_380_000_123, count: 42 };
        assert_eq!(h.to_string(), "1764380000123-000042");
        assert_eq!("1764380000123-000042".parse::<Hlc>().unwrap(), h);
        for bad in ["", "1-2", "1764380000123", "1764380000123-42", "176438000012x-000042", "+764380000123-000042"] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad:?}");
        }
    }

    fn hlc() -> impl Strategy<Value = Hlc> {
        (0..=MAX_MS, 0..=MAX_COUNT).prop_map(|(ms, count)| Hlc { ms, count })
    }

    proptest! {
        #[test]
        fn next_is_strictly_later_than_everything_seen(start in hlc(), seen in proptest::option::of(hlc()), now in 0..=MAX_MS + 5) {
            let n = start.next(now, seen);
            prop_assert!(n > start);
            if let Some(s) = seen { prop_assert!(n > s); }
            prop_assert!(n.ms >= now.min(MAX_MS));
        }

        #[test]
        fn a_run_of_local_stamps_is_strictly_increasing(start in hlc(), nows in proptest::collection::vec(0u64..3_000_000_000_000, 1..50)) {
            let mut last = start;
            for now in nows {
                let n = last.next(now, None);
                prop_assert!(n > last);
                last = n;
            }
        }

        #[test]
        fn text_order_is_stamp_order(a in hlc(), b in hlc()) {
            prop_assert_eq!(a.cmp(&b), a.to_string().cmp(&b.to_string()));
            prop_assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a);
        }
    }
}
