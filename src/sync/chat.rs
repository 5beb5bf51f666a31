//! An export as text for a chat message: the file's bytes (deflated by the browser where it
//! can), base64, cut into numbered parts that each say what they are and carry a checksum.
//! The receiver pastes one or all parts, in any order, with whatever a chat puts around them;
//! the whole comes back only when every part is there and intact, and is then read exactly as
//! a picked file would be. Spec in docs/file-format.md ("As chat text").
//!
//! A part:
//!
//! ```text
//! 桑榆数据 2/3（在桑榆“导入”页点“粘贴导入”）
//! #1a2b3c4d.z.2.3.5e6f7a8b
//! eJzt…(base64)…
//! #完
//! ```
//!
//! `1a2b3c4d` is the transfer: the CRC-32 of the whole payload (the bytes before base64), so
//! parts of two exports never mix and the joined whole is checked; `z` says the bytes are
//! deflated (zlib, RFC 1950), `t` that they are the file as it is; `2.3` the part and how many;
//! `5e6f7a8b` the CRC-32 of this part's line and text, so a changed, missing or doubled
//! character is refused naming the part.

use std::collections::BTreeMap;

use super::format::crc32;
use super::sealed::{base64, unbase64};

/// Characters of base64 in one part. WeChat refuses a text message past about 5,000
/// characters ("消息过长"); 4,000 leaves room for the part's two lines and a chat's quoting, is
/// copied with one long press on a cheap phone, and holds a township's week (20 activities and
/// 5 payments: ~3,400 characters measured by the bench).
pub const PART_CHARS: usize = 4_000;
/// More parts than this is a job for the file: the page says so instead of offering text.
pub const MAX_PARTS: usize = 20;

/// The most parts a reader takes (a later version may send more than [`MAX_PARTS`]).
const MAX_TOTAL: u32 = 1_000;

const TAG: &str = "桑榆数据";
const HINT: &str = "（在桑榆“导入”页点“粘贴导入”）";
const END: &str = "#完";

/// How the payload's bytes relate to the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packing {
    /// Deflated (zlib), by the browser's `CompressionStream("deflate")`.
    Deflate,
    /// The file's bytes as they are (a browser without `CompressionStream`).
    Plain,
}

impl Packing {
    pub(crate) fn key(self) -> char {
        match self {
            Packing::Deflate => 'z',
            Packing::Plain => 't',
        }
    }

    pub(crate) fn from_key(c: char) -> Option<Packing> {
        match c {
            'z' => Some(Packing::Deflate),
            't' => Some(Packing::Plain),
            _ => None,
        }
    }
}

/// The parts of `payload` as chat messages, in order.
pub fn parts(payload: &[u8], packing: Packing) -> Vec<String> {
    let id = crc32(payload, 0);
    let text = base64(payload);
    // base64 is ASCII, so byte offsets are character offsets.
    let pieces: Vec<&str> = if text.is_empty() {
        vec![""]
    } else {
        text.as_bytes().chunks(PART_CHARS).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect()
    };
    let total = pieces.len();
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            let line = format!("{id:08x}.{}.{}.{total}", packing.key(), i + 1);
            let check = part_crc(&line, piece);
            format!("{TAG} {}/{total}{HINT}\n#{line}.{check:08x}\n{piece}\n{END}", i + 1)
        })
        .collect()
}

fn part_crc(line: &str, piece: &str) -> u32 {
    crc32(piece.as_bytes(), crc32(line.as_bytes(), 0))
}

/// Why pasted text cannot be taken. Nothing is imported while any of these stands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChatError {
    #[error("没有找到桑榆数据：请粘贴对方发来的、以“桑榆数据 1/n”开头的整段文字")]
    NotFound,
    #[error("第 {index}/{total} 段已损坏：文字在复制或转发时被改动了（多了、少了或错了字），请让对方重新发送这一段")]
    Damaged { index: u32, total: u32 },
    #[error("有一段“桑榆数据”的开头已损坏，无法辨认是第几段：请让对方重新发送")]
    BadLine,
    #[error("第 {index}/{total} 段不完整（缺少结尾的“#完”）：请完整复制这一段")]
    Unfinished { index: u32, total: u32 },
    #[error("粘贴的文字来自两次不同的导出：请只粘贴同一次导出的各段")]
    Mixed,
    #[error("各段都已收到，但合起来校验失败：请让对方重新发送全部文字")]
    Whole,
}

/// One part as read from pasted text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    id: u32,
    packing: Packing,
    index: u32,
    total: u32,
    text: String,
}

/// The parts of one transfer gathered so far, from one paste or several.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gathered {
    id: u32,
    packing: Option<Packing>,
    total: u32,
    parts: BTreeMap<u32, String>,
}

/// What a paste added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    /// Parts new to the gathering.
    pub new: usize,
    /// `true` when the paste was of another export than the parts gathered before, which
    /// were set aside.
    pub restarted: bool,
}

impl Gathered {
    /// Adds the parts found in `pasted`; text around and between them is ignored.
    pub fn add(&mut self, pasted: &str) -> Result<Added, ChatError> {
        let found = find_parts(pasted)?;
        let Some(first) = found.first() else { return Err(ChatError::NotFound) };
        let (id, packing, total) = (first.id, first.packing, first.total);
        if found.iter().any(|p| p.id != id || p.total != total || p.packing != packing) {
            return Err(ChatError::Mixed);
        }
        let restarted = self.packing.is_some() && (self.id != id || self.total != total);
        if restarted || self.packing.is_none() {
            *self = Gathered { id, packing: Some(packing), total, parts: BTreeMap::new() };
        }
        let before = self.parts.len();
        for p in found {
            self.parts.insert(p.index, p.text);
        }
        Ok(Added { new: self.parts.len() - before, restarted })
    }

    /// How many parts the export has (0 before any).
    pub fn total(&self) -> u32 {
        self.total
    }

    /// The part numbers still missing, in order.
    pub fn missing(&self) -> Vec<u32> {
        (1..=self.total).filter(|i| !self.parts.contains_key(i)).collect()
    }

    /// The part numbers received, in order.
    pub fn received(&self) -> Vec<u32> {
        self.parts.keys().copied().collect()
    }

    /// The whole payload and how it is packed, once every part is here.
    pub fn complete(&self) -> Option<Result<(Packing, Vec<u8>), ChatError>> {
        let packing = self.packing?;
        if self.parts.len() as u32 != self.total {
            return None;
        }
        let text: String = self.parts.values().map(String::as_str).collect();
        Some(
            unbase64(&text)
                .filter(|bytes| crc32(bytes, 0) == self.id)
                .map(|bytes| (packing, bytes))
                .ok_or(ChatError::Whole),
        )
    }
}

/// Every part in `pasted`, each checked against its own checksum.
fn find_parts(pasted: &str) -> Result<Vec<Part>, ChatError> {
    let mut out = Vec::new();
    let mut rest = pasted;
    while let Some(at) = rest.find(TAG) {
        rest = &rest[at + TAG.len()..];
        // The line: `#id.p.index.total.check`, after the part's title.
        let Some(hash) = rest.find('#') else { return Err(ChatError::BadLine) };
        let after = &rest[hash + 1..];
        let line_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.')).unwrap_or(after.len());
        let line = &after[..line_len];
        let (index, total) = title_numbers(&rest[..hash]);
        let Some((head, check)) = line.rsplit_once('.') else { return Err(ChatError::BadLine) };
        let fields: Vec<&str> = head.split('.').collect();
        let parsed = match fields.as_slice() {
            [id, p, i, n] => (|| {
                let id = u32::from_str_radix(id, 16).ok().filter(|_| id.len() == 8)?;
                let packing = Packing::from_key(p.chars().next()?).filter(|_| p.len() == 1)?;
                let check = u32::from_str_radix(check, 16).ok().filter(|_| check.len() == 8)?;
                Some((id, packing, i.parse::<u32>().ok()?, n.parse::<u32>().ok()?, check))
            })(),
            _ => None,
        };
        let body_start = &after[line_len..];
        let Some(end) = body_start.find(END) else {
            return Err(match (index, total) {
                (Some(index), Some(total)) => ChatError::Unfinished { index, total },
                _ => ChatError::BadLine,
            });
        };
        // Chats may wrap or indent a long line: white space is never part of base64.
        let text: String = body_start[..end].chars().filter(|c| !c.is_whitespace()).collect();
        rest = &body_start[end + END.len()..];
        let damaged = || match (index, total) {
            (Some(index), Some(total)) => ChatError::Damaged { index, total },
            _ => ChatError::BadLine,
        };
        let Some((id, packing, i, n, check)) = parsed else { return Err(damaged()) };
        if part_crc(head, &text) != check || i == 0 || i > n || n > MAX_TOTAL {
            return Err(damaged());
        }
        out.push(Part { id, packing, index: i, total: n, text });
    }
    Ok(out)
}

/// The `2/3` of a part's title, for naming a part whose line is damaged.
fn title_numbers(title: &str) -> (Option<u32>, Option<u32>) {
    let title = title.trim_start();
    let digits = |s: &str| -> (Option<u32>, usize) {
        let n = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        (s[..n].parse().ok(), n)
    };
    let (index, used) = digits(title);
    let total = title[used..].strip_prefix('/').and_then(|t| digits(t).0);
    (index, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(n: usize) -> Vec<u8> {
        // Incompressible-looking bytes, so the part count is predictable.
        (0..n).map(|i| (i * 7919 % 251) as u8).collect()
    }

    fn gather(texts: &[&str]) -> Result<Gathered, ChatError> {
        let mut g = Gathered::default();
        for t in texts {
            g.add(t)?;
        }
        Ok(g)
    }

    #[test]
    fn a_small_file_is_one_part_that_reads_back() {
        let bytes = b"{\"format\":\"sangyu-export\"}\n".to_vec();
        let parts = parts(&bytes, Packing::Plain);
        assert_eq!(parts.len(), 1);
        assert!(parts[0].starts_with("桑榆数据 1/1（在桑榆“导入”页点“粘贴导入”）\n#"), "{}", parts[0]);
        let g = gather(&[&parts[0]]).unwrap();
        assert_eq!(g.complete(), Some(Ok((Packing::Plain, bytes))));
    }

    #[test]
    fn parts_in_any_order_with_chat_text_around_them() {
        let bytes = payload(PART_CHARS * 2);
        let p = parts(&bytes, Packing::Deflate);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|t| t.chars().count() < PART_CHARS + 80));
        // One paste holding all three in reverse, quoted the way chats do.
        let pasted = format!("张三 10:42\n{}\n\n「李四：{}」\n王五：\n{}\n收到请回复", p[2], p[1], p[0]);
        let g = gather(&[&pasted]).unwrap();
        assert_eq!(g.complete(), Some(Ok((Packing::Deflate, bytes.clone()))));
        // Or one at a time; a part pasted twice is no harm.
        let mut g = Gathered::default();
        assert_eq!(g.add(&p[1]).unwrap(), Added { new: 1, restarted: false });
        assert_eq!((g.total(), g.missing(), g.received()), (3, vec![1, 3], vec![2]));
        assert_eq!(g.complete(), None);
        assert_eq!(g.add(&p[1]).unwrap().new, 0);
        g.add(&p[2]).unwrap();
        assert_eq!(g.missing(), vec![1]);
        g.add(&p[0]).unwrap();
        assert_eq!(g.complete(), Some(Ok((Packing::Deflate, bytes))));
    }

    #[test]
    fn a_changed_missing_or_doubled_character_names_its_part() {
        let p = parts(&payload(PART_CHARS * 2), Packing::Deflate);
        let body_at = p[1].find('\n').unwrap() + 1;
        let body_at = body_at + p[1][body_at..].find('\n').unwrap() + 10;
        let c = p[1].as_bytes()[body_at] as char;
        let other = if c == 'A' { "B" } else { "A" };
        let changed = format!("{}{other}{}", &p[1][..body_at], &p[1][body_at + 1..]);
        let missing = format!("{}{}", &p[1][..body_at], &p[1][body_at + 1..]);
        let doubled = format!("{}{c}{}", &p[1][..body_at], &p[1][body_at..]);
        let wide = format!("{}Ａ{}", &p[1][..body_at], &p[1][body_at + 1..]);
        for bad in [changed, missing, doubled, wide] {
            assert_eq!(gather(&[&p[0], &bad]), Err(ChatError::Damaged { index: 2, total: 3 }));
        }
        // A changed part number or transfer is caught too, not taken as another part.
        let renumbered = p[1].replacen(".2.3.", ".3.3.", 1);
        assert_eq!(gather(&[&renumbered]), Err(ChatError::Damaged { index: 2, total: 3 }));
        let cut = p[2].replace(END, "");
        assert_eq!(gather(&[&cut]), Err(ChatError::Unfinished { index: 3, total: 3 }));
    }

    #[test]
    fn other_exports_and_plain_chat_are_told_apart() {
        let a = parts(&payload(PART_CHARS * 2), Packing::Deflate);
        let b = parts(&payload(PART_CHARS * 2 + 1), Packing::Deflate);
        assert_eq!(gather(&["你好，数据发你了"]), Err(ChatError::NotFound));
        assert_eq!(gather(&[&format!("{}{}", a[0], b[1])]), Err(ChatError::Mixed));
        // A paste of another export starts over, and says so.
        let mut g = gather(&[&a[0]]).unwrap();
        assert_eq!(g.add(&b[1]).unwrap(), Added { new: 1, restarted: true });
        assert_eq!(g.received(), vec![2]);
    }

    #[test]
    fn a_whole_that_does_not_add_up_is_refused() {
        // Parts each intact but from a payload whose transfer id was forged.
        let p = parts(b"abc", Packing::Plain);
        let line_start = p[0].find('#').unwrap() + 1;
        let head = "00000000.t.1.1";
        let piece = base64(b"abc");
        let forged = format!("{}{head}.{:08x}\n{piece}\n{END}", &p[0][..line_start], part_crc(head, &piece));
        assert_eq!(gather(&[&forged]).unwrap().complete(), Some(Err(ChatError::Whole)));
    }
}
