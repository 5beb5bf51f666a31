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
    /// The reading a list sorts a heteronym by, where the table's first (alphabetical) one is
    /// not the usual one (吴 is wu, not tun).
    usual: HashMap<char, u16>,
    /// The same for a name's first character, read as a surname (沈 shen, 曾 zeng, 单 shan).
    surname: HashMap<char, u16>,
}

/// How heteronyms read as surnames: the common surnames the shipped table lists with more than
/// one reading. A character's usual reading elsewhere is the same unless [`USUAL`] says.
const SURNAMES: &str = "王wang 吴wu 朱zhu 许xu 冯feng 邓deng 彭peng 曾zeng 董dong 潘pan 于yu 蔡cai \
    余yu 杜du 叶ye 丁ding 任ren 沈shen 姚yao 陆lu 汪wang 石shi 贾jia 夏xia 方fang 白bai 尹yin \
    陶tao 郝hao 万wan 覃qin 莫mo 汤tang 温wen 施shi 邢xing 齐qi 倪ni 庄zhuang 翟zhai 殷yin \
    詹zhan 焦jiao 俞yu 甘gan 祝zhu 包bao 宁ning 尚shang 舒shu 阮ruan 童tong 单shan 裴pei 霍huo \
    涂tu 谷gu 盛sheng 冉ran 蓝lan 路lu 游you 柴chai 祁qi 蒲pu 房fang 屈qu 解xie 牟mou 艾ai \
    司si 古gu 缪miao 车che 芦lu 褚chu 戚qi 景jing 卜bu 冷leng 柏bai 瞿qu 臧zang 卞bian 姬ji \
    和he 仇qiu 隋sui 沙sha 甄zhen 明ming 池chi 查zha 苑yuan 封feng 匡kuang 鞠ju 乐yue 南nan \
    栗li 冼xian 位wei 区ou 阚kan 强qiang 朴piao 盖ge 祖zu 漆qi 支zhi 狄di 平ping 容rong 晁chao \
    芮rui 都du 鹿lu 薄bo 阿a 母mu 赫he 杭hang 那na 宿su 印yin 逯lu 亢kang 嵇ji 哈ha 湛zhan \
    戎rong 於yu 呼hu 居ju 揭jie 干gan 但dan 尉wei 斯si 檀tan 信xin 幸xing 由you";

/// Where a character's usual reading differs from its reading as a surname.
const USUAL: &str = "曾ceng 单dan 解jie 仇chou 朴pu 区qu 查cha 盖gai 覃tan 乐le 缪miu 翟di 尉wei \
    长chang 重zhong 朝chao 行xing 华hua 会hui 大da 小xiao 红hong 兴xing 少shao 秀xiu";

/// `(character, reading)` pairs of a list like [`SURNAMES`].
fn pairs(list: &str) -> impl Iterator<Item = (char, &str)> {
    list.split_whitespace().filter_map(|w| {
        let mut chars = w.chars();
        chars.next().map(|c| (c, chars.as_str()))
    })
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
        let id_of = |t: &PinyinTable, c: char, reading: &str| {
            t.readings
                .get(&c)?
                .iter()
                .copied()
                .find(|&i| t.syllables.get(usize::from(i)).is_some_and(|s| &**s == reading))
        };
        for (c, reading) in pairs(SURNAMES) {
            if let Some(id) = id_of(&t, c, reading) {
                t.surname.insert(c, id);
                t.usual.insert(c, id);
            }
        }
        for (c, reading) in pairs(USUAL) {
            if let Some(id) = id_of(&t, c, reading) {
                t.usual.insert(c, id);
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

    /// A person's place in a list sorted as Chinese lists are, by pinyin: the surname by its
    /// reading as a surname (沈 shen among 师, not among 陈), the rest by each character's usual
    /// reading, or the character itself where the table has none (安 an, 王 wang).
    pub fn sort_key(&self, name: &str) -> String {
        let mut key = String::with_capacity(name.len() * 2);
        for (i, c) in name.chars().enumerate() {
            let special = if i == 0 { self.surname.get(&c) } else { None }.or_else(|| self.usual.get(&c));
            let id = special.or_else(|| self.readings.get(&c).and_then(|ids| ids.first()));
            match id.and_then(|&i| self.syllables.get(usize::from(i))) {
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
    /// first, then the order given. An empty query keeps the order given (the list's own).
    pub fn search(&self, query: &str, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        // Normalised once per keystroke, not once per name.
        let q = normalize(query);
        let mut hits: Vec<(Rank, usize, usize)> = (0..self.keys.len())
            .filter(|&i| keep(i))
            .filter_map(|i| {
                let length = if q.is_empty() { 0 } else { self.keys[i].name.chars().count() };
                self.rank_normalized(i, &q).map(|r| (r, length, i))
            })
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
        assert_eq!(t.sort_key("曾国"), "zeng guo ", "a surname by its reading as a surname");
        assert_eq!(t.sort_key("王曾"), "wang ceng ", "elsewhere by its usual reading");
    }

    #[test]
    fn the_shipped_table_sorts_surnames_as_people_read_them() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/pinyin.txt")).unwrap();
        let t = PinyinTable::parse(&text);
        let mut names =
            vec!["沈建国", "陈明", "彭德怀", "白云", "潘小红", "曾志", "单田", "朱德", "吴刚", "邓林", "许平"];
        names.sort_by_key(|n| t.sort_key(n));
        assert_eq!(
            names,
            ["白云", "陈明", "邓林", "潘小红", "彭德怀", "单田", "沈建国", "吴刚", "许平", "曾志", "朱德"]
        );
        // Every surname listed is one the table knows with that reading.
        for (c, reading) in pairs(SURNAMES).chain(pairs(USUAL)) {
            assert!(t.readings_of(c).contains(&reading), "{c} {reading}");
        }
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
        assert_eq!(names(""), ["王建国", "李秀英", "建国", "张三"], "empty query: as given");
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
