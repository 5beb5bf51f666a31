//! Finding people by name as volunteers type it on a phone: Chinese characters, full pinyin
//! ("zhangsan") or initials ("zs"), starting anywhere in the name, ranked so the likeliest
//! match comes first.
//!
//! The pinyin table is data (`static/pinyin.txt`, fetched when first needed) so it is not part
//! of the first download; without it, character search still works.

use std::collections::HashMap;

/// Character → possible toneless readings, as syllable ids into `syllables`.
#[derive(Debug, Default)]
pub struct PinyinTable {
    syllables: Vec<Box<str>>,
    readings: HashMap<char, Vec<u16>>,
}

impl PinyinTable {
    /// Parses lines of `syllable<TAB>characters`; malformed lines are skipped.
    pub fn parse(text: &str) -> PinyinTable {
        let mut t = PinyinTable::default();
        for line in text.lines() {
            let Some((syllable, chars)) = line.split_once('\t') else { continue };
            if syllable.is_empty() || !syllable.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let Ok(id) = u16::try_from(t.syllables.len()) else { break };
            t.syllables.push(syllable.into());
            for c in chars.chars() {
                t.readings.entry(c).or_default().push(id);
            }
        }
        t
    }

    pub fn len(&self) -> usize {
        self.readings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.readings.is_empty()
    }

    /// A name's readings as syllable ids, per character, for comparing whether two names can
    /// be read alike (王建国, 王建果: one name typed with a pinyin keyboard at two offices);
    /// the character itself when the table has none. Computed once, so comparing many pairs
    /// allocates nothing.
    pub fn sounds(&self, name: &str) -> Vec<Vec<u32>> {
        name.chars()
            .map(|c| match self.readings.get(&c) {
                Some(ids) => ids.iter().map(|&i| u32::from(i)).collect(),
                None => vec![0x1_0000 + u32::from(c)],
            })
            .collect()
    }

    /// A name's place in a list sorted as Chinese lists are, by pinyin: each character's first
    /// reading, or the character itself where the table has none (安 an, 王 wang).
    pub fn sort_key(&self, name: &str) -> String {
        let mut key = String::with_capacity(name.len() * 2);
        for c in name.chars() {
            match self.readings.get(&c).and_then(|ids| ids.first()).and_then(|&i| self.syllables.get(usize::from(i))) {
                Some(s) => key.push_str(s),
                None => key.push(c),
            }
            key.push(' ');
        }
        key
    }

    fn readings_of(&self, c: char) -> Vec<&str> {
        match self.readings.get(&c) {
            Some(ids) => ids.iter().filter_map(|&i| self.syllables.get(usize::from(i))).map(|s| &**s).collect(),
            None => Vec::new(),
        }
    }
}

/// Whether two names' [`PinyinTable::sounds`] agree at every character.
pub fn same_sounds(a: &[Vec<u32>], b: &[Vec<u32>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.iter().any(|r| y.contains(r)))
}

/// How well a query matched; lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    ExactName,
    NamePrefix,
    NameContains,
    PinyinFromStart,
    PinyinInside,
    OtherField,
}

struct Key {
    name: String,
    /// Readings per name character; Latin letters and digits read as themselves.
    readings: Vec<Vec<String>>,
    other: String,
}

/// Names prepared once per list load; searching then costs a few microseconds a name.
pub struct SearchIndex {
    keys: Vec<Key>,
}

impl SearchIndex {
    /// `items` are (name, other searchable text such as township and village).
    pub fn build<'a>(items: impl IntoIterator<Item = (&'a str, String)>, table: Option<&PinyinTable>) -> SearchIndex {
        let keys = items
            .into_iter()
            .map(|(name, other)| Key {
                name: name.to_owned(),
                readings: name
                    .chars()
                    .filter_map(|c| {
                        if c.is_ascii_alphanumeric() {
                            Some(vec![c.to_ascii_lowercase().to_string()])
                        } else {
                            let r = table.map(|t| t.readings_of(c)).unwrap_or_default();
                            (!r.is_empty()).then(|| r.into_iter().map(str::to_owned).collect())
                        }
                    })
                    .collect(),
                other,
            })
            .collect();
        SearchIndex { keys }
    }

    /// How item `i` matches `query`, if it does. An empty query matches everything.
    pub fn rank(&self, i: usize, query: &str) -> Option<Rank> {
        self.rank_normalized(i, &normalize(query))
    }

    fn rank_normalized(&self, i: usize, q: &str) -> Option<Rank> {
        let key = self.keys.get(i)?;
        if q.is_empty() {
            return Some(Rank::ExactName);
        }
        if key.name == q {
            return Some(Rank::ExactName);
        }
        if key.name.starts_with(q) {
            return Some(Rank::NamePrefix);
        }
        if key.name.contains(q) {
            return Some(Rank::NameContains);
        }
        if q.bytes().all(|b| b.is_ascii_lowercase()) {
            let q = q.as_bytes();
            if spells(&key.readings, q) {
                return Some(Rank::PinyinFromStart);
            }
            if (1..key.readings.len()).any(|s| spells(&key.readings[s..], q)) {
                return Some(Rank::PinyinInside);
            }
        }
        key.other.contains(q).then_some(Rank::OtherField)
    }

    /// Indices of items passing `keep` that match `query`, best first; ties keep shorter names
    /// first, then the order given.
    pub fn search(&self, query: &str, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        // Normalised once per keystroke, not once per name.
        let q = normalize(query);
        let mut hits: Vec<(Rank, usize, usize)> = (0..self.keys.len())
            .filter(|&i| keep(i))
            .filter_map(|i| self.rank_normalized(i, &q).map(|r| (r, self.keys[i].name.chars().count(), i)))
            .collect();
        hits.sort_unstable();
        hits.into_iter().map(|(_, _, i)| i).collect()
    }
}

/// Lower-case, without spaces or the apostrophe some type between syllables (xi'an).
fn normalize(query: &str) -> String {
    query.chars().filter(|c| !c.is_whitespace() && *c != '\'').flat_map(char::to_lowercase).collect()
}

/// Whether `q` is spelt by consecutive characters from the first: each character gives a
/// non-empty prefix of one of its readings ("zs", "zhangs", "zhangsan" all spell 张三).
fn spells(readings: &[Vec<String>], q: &[u8]) -> bool {
    if q.is_empty() {
        return true;
    }
    let Some((first, rest)) = readings.split_first() else { return false };
    first.iter().any(|r| {
        let r = r.as_bytes();
        (1..=r.len().min(q.len())).rev().any(|k| r[..k] == q[..k] && spells(rest, &q[k..]))
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    fn table() -> PinyinTable {
        PinyinTable::parse("chen\t陈\nceng\t曾\nzeng\t曾\nzhang\t张\nsan\t三\nli\t李\nxiu\t秀\nying\t英\nwang\t王\njian\t建\nguo\t国\nshan\t单\ndan\t单\nbad line\nX\tY\n")
    }

    fn index(names: &[(&str, &str)]) -> SearchIndex {
        SearchIndex::build(names.iter().map(|(n, o)| (*n, o.to_string())), Some(&table()))
    }

    #[test]
    fn table_skips_malformed_lines_and_keeps_heteronyms() {
        let t = table();
        assert_eq!(t.readings_of('曾'), ["ceng", "zeng"]);
        assert!(t.readings_of('Y').is_empty());
    }

    #[test]
    fn names_sort_by_pinyin() {
        let t = table();
        let mut names = vec!["王建国", "张三", "李秀英", "陈三", "Tom"];
        names.sort_by_key(|n| t.sort_key(n));
        assert_eq!(names, ["Tom", "陈三", "李秀英", "王建国", "张三"]);
        assert_eq!(t.sort_key("曾国"), "ceng guo ", "a heteronym by its first reading");
    }

    #[test]
    fn finds_by_characters_full_pinyin_initials_and_mixtures() {
        let idx = index(&[("张三", "")]);
        for q in ["张三", "张", "三", "zhangsan", "zs", "zhangs", "zsan", "ZS", "zhang san", "san", "s"] {
            assert!(idx.rank(0, q).is_some(), "{q}");
        }
        for q in ["zx", "zhangsana", "ls", "李"] {
            assert!(idx.rank(0, q).is_none(), "{q}");
        }
    }

    #[test]
    fn heteronym_surnames_match_either_reading() {
        let idx = index(&[("曾国", ""), ("单建国", "")]);
        assert!(idx.rank(0, "zg").is_some() && idx.rank(0, "cengguo").is_some());
        assert!(idx.rank(1, "sjg").is_some() && idx.rank(1, "djg").is_some());
    }

    #[test]
    fn ranking_puts_the_likeliest_first() {
        let idx = index(&[("王建国", "城关镇"), ("李秀英", "建设村"), ("建国", ""), ("张三", "")]);
        let names = |q: &str| idx.search(q, |_| true).into_iter().map(|i| idx.keys[i].name.clone()).collect::<Vec<_>>();
        assert_eq!(names("建国"), ["建国", "王建国"]);
        assert_eq!(names("建"), ["建国", "王建国", "李秀英"], "exact/prefix, then contains, then other fields");
        assert_eq!(names("jg"), ["建国", "王建国"], "from the start beats inside");
        assert_eq!(names("lxy"), ["李秀英"]);
        assert_eq!(names(""), ["建国", "张三", "王建国", "李秀英"], "empty query: shorter names first, else as given");
    }

    #[test]
    fn filter_applies_before_ranking() {
        let idx = index(&[("张三", ""), ("张三", "")]);
        assert_eq!(idx.search("zs", |i| i == 1), [1]);
    }

    #[test]
    fn without_the_table_characters_still_work() {
        let idx = SearchIndex::build([("张三", String::new()), ("Tom 李", String::new())], None);
        assert!(idx.rank(0, "张").is_some());
        assert!(idx.rank(0, "zs").is_none());
        assert!(idx.rank(1, "tom").is_some(), "Latin letters read as themselves");
    }

    #[test]
    fn the_shipped_table_covers_common_surnames() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/pinyin.txt")).unwrap();
        let t = PinyinTable::parse(&text);
        assert!(t.len() > 20_000);
        let idx = SearchIndex::build([("欧阳淑芬", String::new()), ("吕建华", String::new())], Some(&t));
        assert!(idx.rank(0, "oysf").is_some());
        assert!(idx.rank(0, "ouyangshufen").is_some());
        assert!(idx.rank(1, "lvjh").is_some());
    }
}
