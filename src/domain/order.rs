//! Sorting that compiles the sort algorithm once. Every `slice::sort_by` with its own closure
//! or element type stamps out another copy of the sort (~3 KB of wasm each; ~70 KB across the
//! app when measured); here all callers share one sort of indices through a `dyn` comparator.

use std::cmp::Ordering;

fn sorted_indices(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// A stable sort of `items` by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(items.len(), &|a, b| cmp(&items[a], &items[b]));
    reorder(items, order);
}

/// Puts `items` in `order` (indices into them).
fn reorder<T>(items: &mut Vec<T>, order: Vec<usize>) {
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// A stable sort by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// A stable sort by a key made once per item (a pinyin key is a string built per name: made
/// per comparison, sorting 10,000 people would build it ~280,000 times).
pub fn sort_by_cached_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = sorted_indices(items.len(), &|a, b| keys[a].cmp(&keys[b]));
    reorder(items, order);
}

/// One piece of a name for [`natural_cmp`]: a number, or one other character.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Piece {
    Number(u64),
    Char(char),
}

/// The value of a run of Chinese numerals (十二 12, 二十 20, 一百零五 105).
fn chinese_number(run: &[char]) -> u64 {
    let (mut total, mut current) = (0u64, 0u64);
    for &c in run {
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            _ => current = chinese_digit(c).unwrap_or(0),
        }
    }
    total + current
}

fn chinese_digit(c: char) -> Option<u64> {
    "零一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|i| i as u64)
        .or((c == '〇').then_some(0))
        .or((c == '两').then_some(2))
}

fn pieces(name: &str) -> Vec<Piece> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if chars[i].is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let n = chars[start..i].iter().fold(0u64, |n, c| n.saturating_mul(10).saturating_add(u64::from(*c) - 48));
            out.push(Piece::Number(n));
        } else if chinese_digit(chars[i]).is_some() || chars[i] == '十' {
            while i < chars.len() && (chinese_digit(chars[i]).is_some() || matches!(chars[i], '十' | '百')) {
                i += 1;
            }
            out.push(Piece::Number(chinese_number(&chars[start..i])));
        } else {
            out.push(Piece::Char(chars[i]));
            i += 1;
        }
    }
    out
}

/// Names in the order people read them: a run of digits or of Chinese numerals counts as its
/// number, so 第2党支部 comes before 第10党支部 and 第二 before 第十; the rest as text.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    pieces(a).cmp(&pieces(b)).then_with(|| a.cmp(b))
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_inside_names_sort_by_value() {
        let mut v = vec![
            "第10党支部",
            "第2党支部",
            "第1党支部",
            "第19党支部",
            "第二党支部",
            "第十党支部",
            "第一党支部",
            "第十一党支部",
        ];
        sort_by(&mut v, |a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "第1党支部",
                "第一党支部",
                "第2党支部",
                "第二党支部",
                "第10党支部",
                "第十党支部",
                "第十一党支部",
                "第19党支部"
            ]
        );
        assert_eq!(natural_cmp("一百零五", "九十九"), Ordering::Greater);
        assert_eq!(natural_cmp("阅览室", "阅览室"), Ordering::Equal);
    }

    proptest! {
        #[test]
        fn agrees_with_the_standard_stable_sort(v in proptest::collection::vec((0u8..5, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by_key(&mut ours, |x| x.0);
            let mut std = v;
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(ours, std);
        }
    }
}
