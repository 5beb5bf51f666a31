//! Export file format v1 (documented for other programs in `docs/file-format.md`).
//!
//! UTF-8 JSON Lines: a header line, one line per record or conflict-log entry, a line per
//! photo's JPEG when the exporter chose to include them, and a trailer line. Header and trailer both give the record count and a CRC-32 of the lines between, so a
//! file cut short in transfer is caught. The wire types here are separate from the stored
//! ones: bodies are the stored shapes (pinned by snapshot tests), envelopes are spelled out.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod parsed;

pub use parsed::Parsed;
use parsed::{doc_of_line, quick, repeated, Entry, Quick};

use super::explain::explain;
use super::merge::{Conflict, Doc};
use super::SyncKind;
use crate::domain::{Clock, Date, DeviceId, Hlc, RecordId, Stamp};

pub const FORMAT: &str = "sangyu-export";
pub const VERSION: u32 = 1;
/// Version of the record shapes inside (bodies and envelopes); raised when they change.
/// 2: photo records and their JPEG lines. 3: the organisation kind `service_centre`. A file
/// says the lowest schema its lines need, so an older office still reads files without one.
pub const SCHEMA: u32 = 3;
/// Files above this are refused before parsing: a phone would run out of memory. Measured
/// (scripts/bench, "wasm 内存·导入 10 万条之后"): importing holds about 1.5 times a records-only
/// file in wasm memory (the text, 52 bytes a record, the plan; 40 MB for the 100,000-record
/// county: 59 MB), and reading it holds the file's bytes once more in the page's JavaScript
/// for a moment: 128 MB comes to about 0.2 GB of wasm memory and 0.33 GB at the peak, less than
/// the 64 MB cap's 0.37 GB when importing held 5.7 times the file.
pub const MAX_BYTES: usize = 128 * 1024 * 1024;
const CONFLICT: &str = "conflict";
const JPEG: &str = "jpeg";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub schema: u32,
    pub device: DeviceId,
    pub office: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`, for people; `exported_ms` for programs.
    pub exported: String,
    pub exported_ms: u64,
    /// `false` when the file holds only what changed since the office's previous export.
    pub complete: bool,
    pub records: u64,
    pub crc32: String,
    /// The exporting device's offset from UTC in minutes (UTC+8 is 480), so a reader in
    /// another zone can say so; absent in files from before it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_min: Option<i32>,
    /// The sending office asks that this file be stored only on a device with a lock
    /// (本机密码); absent (false) in files that do not, and in files from before it was written.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lock: bool,
}

#[derive(Serialize, Deserialize)]
struct Trailer {
    end: String,
    records: u64,
    crc32: String,
}

/// One record on the wire.
#[derive(Serialize, Deserialize)]
struct Line {
    kind: String,
    id: RecordId,
    created: Hlc,
    updated: Hlc,
    device: DeviceId,
    #[serde(default)]
    deleted: bool,
    #[serde(default, skip_serializing_if = "Clock::is_empty")]
    clock: Clock,
    body: Value,
}

/// One conflict-log entry on the wire; `of` is the kind of the record it belongs to.
#[derive(Serialize, Deserialize)]
struct ConflictLine {
    kind: String,
    key: String,
    of: String,
    record: RecordId,
    field: String,
    stamp: Stamp,
    value: Value,
    /// The lost write's 记录人; absent where none was named (and in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<String>,
}

/// A photo's JPEG on the wire, base64; it follows the photo record it belongs to.
#[derive(Serialize, Deserialize)]
struct JpegLine {
    kind: String,
    photo: RecordId,
    data: String,
}

#[derive(Deserialize)]
struct KindOnly {
    #[serde(default)]
    kind: String,
}

/// Why a file was refused. Nothing is written when any of these occurs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("文件太大（{mb} MB），超过 {limit} MB 的上限")]
    TooLarge { mb: usize, limit: usize },
    #[error("文件是空的")]
    Empty,
    #[error("这不是桑榆导出的文件（第 1 行不是 JSON）")]
    NotJson,
    #[error("这不是桑榆导出的文件（格式：{0}）")]
    OtherFormat(String),
    #[error("文件格式版本 {0} 比本程序新，请先更新桑榆再导入")]
    NewerVersion(u32),
    #[error("文件的数据版本 {0} 比本程序新，请先更新桑榆再导入")]
    NewerSchema(u32),
    #[error("文件开头信息有误：{0}")]
    BadHeader(String),
    #[error("这是本机自己导出的文件，不需要导入")]
    OwnExport,
    #[error("文件不完整（缺少结尾），可能在传送中被截断，请让对方重新发送")]
    Truncated,
    #[error("文件不完整：应有 {expected} 条记录，实际 {found} 条，请让对方重新发送")]
    Count { expected: u64, found: u64 },
    #[error("文件校验失败：内容已损坏或被改动，请让对方重新发送")]
    Checksum,
    #[error("文件开头说有 {header} 条记录，结尾说有 {trailer} 条，前后不一致：文件可能被改动过，请让对方重新发送")]
    Trailer { header: u64, trailer: u64 },
    #[error("文件不是 UTF-8 编码（可能被其他软件打开后另存成了 GBK 等编码）：请让对方直接发送桑榆导出的原文件，不要打开后另存")]
    Encoding,
    #[error("第 {line} 行：{detail}")]
    Bad { line: usize, detail: String },
    #[error("第 {line} 行：记录编号 {id} 与第 {first} 行重复")]
    Duplicate { line: usize, id: String, first: usize },
}

/// CRC-32 (IEEE 802.3, as zlib's `crc32`), eight bytes a step ("slicing by 8"): a byte a step,
/// the checksum was a fifth of parsing a 100,000-record file. The tables (8 KB) are made at the
/// first call rather than shipped in the wasm.
pub fn crc32(data: &[u8], crc: u32) -> u32 {
    static TABLES: std::sync::OnceLock<[[u32; 256]; 8]> = std::sync::OnceLock::new();
    let t = TABLES.get_or_init(|| {
        let mut t = [[0u32; 256]; 8];
        for (i, entry) in t[0].iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *entry = c;
        }
        for k in 1..8 {
            for i in 0..256 {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            }
        }
        t
    });
    let byte = |n: u32, shift: u32| ((n >> shift) & 0xff) as usize;
    let mut crc = !crc;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let lo = crc ^ u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        let hi = u32::from_le_bytes([w[4], w[5], w[6], w[7]]);
        crc = t[7][byte(lo, 0)]
            ^ t[6][byte(lo, 8)]
            ^ t[5][byte(lo, 16)]
            ^ t[4][byte(lo, 24)]
            ^ t[3][byte(hi, 0)]
            ^ t[2][byte(hi, 8)]
            ^ t[1][byte(hi, 16)]
            ^ t[0][byte(hi, 24)];
    }
    for &b in words.remainder() {
        crc = t[0][byte(crc ^ u32::from(b), 0)] ^ (crc >> 8);
    }
    !crc
}

/// `2026-11-29T04:12:58Z` from Unix milliseconds.
pub fn utc_text(ms: u64) -> String {
    let secs = ms / 1000;
    let date = Date::from_days((secs / 86_400) as i64).unwrap_or(Date::EPOCH);
    let s = secs % 86_400;
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// What the exporting office says about itself.
pub struct Source<'a> {
    /// This device's offset from UTC in minutes, when known.
    pub utc_offset_min: Option<i32>,
    pub device: &'a DeviceId,
    pub office: &'a str,
    pub exported_ms: u64,
    pub complete: bool,
    /// Whether the receiver must have a device lock before storing the file.
    pub lock: bool,
}

/// Writes a whole file. Record lines have a fixed key order (envelope, then the body with
/// sorted keys), so the same data always gives the same bytes.
pub fn write(src: &Source, records: &[(SyncKind, Doc)], conflicts: &[Conflict]) -> String {
    write_with_jpegs(src, records, conflicts, &[])
}

/// [`write`], with photos' JPEGs (each after the records, keyed by its photo record's id).
pub fn write_with_jpegs(
    src: &Source,
    records: &[(SyncKind, Doc)],
    conflicts: &[Conflict],
    jpegs: &[(RecordId, Vec<u8>)],
) -> String {
    let mut body = String::new();
    let mut push = |line: Result<String, serde_json::Error>| {
        // Serialising these plain types cannot fail; a line is never half-written.
        if let Ok(l) = line {
            body.push_str(&l);
            body.push('\n');
        }
    };
    for (kind, d) in records {
        push(serde_json::to_string(&Line {
            kind: kind.key().into(),
            id: d.id.clone(),
            created: d.created,
            updated: d.updated,
            device: d.device.clone(),
            deleted: d.deleted,
            clock: d.clock.clone(),
            body: d.body.clone(),
        }));
    }
    for c in conflicts {
        push(serde_json::to_string(&ConflictLine {
            kind: CONFLICT.into(),
            key: c.key.clone(),
            of: c.kind.clone(),
            record: c.record.clone(),
            field: c.field.clone(),
            stamp: c.stamp.clone(),
            value: c.value.clone(),
            by: c.by.clone(),
        }));
    }
    for (photo, data) in jpegs {
        push(serde_json::to_string(&JpegLine {
            kind: JPEG.into(),
            photo: photo.clone(),
            data: super::sealed::base64(data),
        }));
    }
    let count = (records.len() + conflicts.len() + jpegs.len()) as u64;
    let needs_3 = records.iter().any(|(kind, d)| {
        *kind == SyncKind::Org && d.body.get("kind").and_then(|k| k.as_str()) == Some("service_centre")
    });
    let crc = format!("{:08x}", crc32(body.as_bytes(), 0));
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        schema: if needs_3 { SCHEMA } else { 2 },
        device: src.device.clone(),
        office: src.office.into(),
        exported: utc_text(src.exported_ms),
        exported_ms: src.exported_ms,
        complete: src.complete,
        records: count,
        crc32: crc.clone(),
        utc_offset_min: src.utc_offset_min,
        lock: src.lock,
    };
    let trailer = Trailer { end: FORMAT.into(), records: count, crc32: crc };
    let mut out = serde_json::to_string(&header).unwrap_or_default();
    out.push('\n');
    out.push_str(&body);
    out.push_str(&serde_json::to_string(&trailer).unwrap_or_default());
    out.push('\n');
    out
}

fn bad(line: usize, detail: String) -> FileError {
    FileError::Bad { line, detail }
}

/// Reads and checks a whole file; `me` refuses this device's own exports. The text is kept
/// in the result: records are read from it when written, not held twice.
pub fn parse(text: impl Into<String>, me: &DeviceId) -> Result<Parsed, FileError> {
    let text: String = text.into();
    let (header, entries, conflicts, jpegs) = check_all(&text, me)?;
    Ok(Parsed { header: Some(header), text, entries, conflicts, jpegs })
}

type Checked = (Header, Vec<Entry>, Vec<Conflict>, Vec<(RecordId, Vec<u8>)>);

fn check_all(whole: &str, me: &DeviceId) -> Result<Checked, FileError> {
    if whole.len() > MAX_BYTES {
        return Err(FileError::TooLarge { mb: whole.len() >> 20, limit: MAX_BYTES >> 20 });
    }
    let text = whole.strip_prefix('\u{feff}').unwrap_or(whole);
    // Messaging apps may turn LF into CRLF; the checksum is over LF-terminated lines.
    let mut lines = text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)).enumerate().filter(|(_, l)| !l.is_empty());
    let (_, first) = lines.next().ok_or(FileError::Empty)?;
    let head: Value = serde_json::from_str(first).map_err(|_| FileError::NotJson)?;
    if !head.is_object() {
        return Err(FileError::NotJson);
    }
    let format = head.get("format").and_then(Value::as_str).unwrap_or("");
    if format != FORMAT {
        return Err(FileError::OtherFormat(if format.is_empty() {
            "未知".into()
        } else {
            format.chars().take(40).collect()
        }));
    }
    let number = |k: &str| head.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
    if number("version") > VERSION {
        return Err(FileError::NewerVersion(number("version")));
    }
    if number("schema") > SCHEMA {
        return Err(FileError::NewerSchema(number("schema")));
    }
    let header: Header = serde_json::from_str(first).map_err(|e| FileError::BadHeader(explain(&e, first)))?;
    if header.device == *me {
        return Err(FileError::OwnExport);
    }

    // Counted and summed in a first pass, read in a second: the lines are not listed apart
    // (100,000 of them were 1 MB more).
    let (mut found, mut crc, mut last) = (0usize, 0, None::<&str>);
    for (_, l) in lines.clone() {
        if let Some(prev) = last.replace(l) {
            crc = crc32(prev.as_bytes(), crc);
            crc = crc32(b"\n", crc);
            found += 1;
        }
    }
    let Some(last) = last else { return Err(FileError::Truncated) };
    let trailer: Trailer = match serde_json::from_str::<Trailer>(last) {
        Ok(t) if t.end == FORMAT => t,
        _ => return Err(FileError::Truncated),
    };
    if trailer.records != header.records {
        return Err(FileError::Trailer { header: header.records, trailer: trailer.records });
    }
    if found as u64 != header.records {
        return Err(FileError::Count { expected: header.records, found: found as u64 });
    }
    let crc = format!("{crc:08x}");
    if crc != header.crc32 || crc != trailer.crc32 {
        // Read as UTF-8, a GBK file's Chinese turns into U+FFFD: say what happened, not "damaged".
        return Err(if text.contains('\u{fffd}') { FileError::Encoding } else { FileError::Checksum });
    }

    let base = whole.as_ptr() as usize;
    let span_of = |l: &str| {
        let at = l.as_ptr() as usize - base;
        at..at + l.len()
    };
    let mut entries: Vec<Entry> = Vec::with_capacity(found);
    let mut conflicts = Vec::new();
    let mut jpegs = Vec::new();
    // Conflict and JPEG keys; record ids are checked for repeats once read (`repeated`).
    let mut seen_keys: HashMap<String, usize> = HashMap::new();
    // A repeated record id before `line` is said first, as reading in order would have.
    let or_repeat = |entries: &[Entry], line: usize, e: FileError| repeated(entries, line).unwrap_or(e);
    for (n, raw) in lines.take(found).map(|(i, l)| (i + 1, l)) {
        if let Some(q) = quick(raw) {
            entries.push(Entry::new(q, n, span_of(raw)));
            continue;
        }
        let key = match slow(n, raw).map_err(|e| or_repeat(&entries, n, e))? {
            Slow::Record(kind, doc) => {
                entries.push(Entry::new(Quick::of(kind, &doc), n, span_of(raw)));
                continue;
            }
            Slow::Conflict(c) => {
                let key = c.key.clone();
                conflicts.push(c);
                key
            }
            Slow::Jpeg(photo, data) => {
                let bits = photo.bits();
                let record = entries
                    .iter()
                    .find(|e| e.kind == SyncKind::Photo && e.id() == bits)
                    .and_then(|e| whole.get(e.start as usize..(e.start + e.len) as usize))
                    .and_then(|line| doc_of_line(line).ok());
                check_jpeg(record.as_ref(), &data).map_err(|detail| {
                    or_repeat(&entries, n, bad(n, format!("照片 {}：{detail}", &photo.as_str()[..8])))
                })?;
                let key = format!("{JPEG}:{photo}");
                jpegs.push((photo, data));
                key
            }
        };
        if let Some(first) = seen_keys.insert(key.clone(), n) {
            return Err(or_repeat(&entries, n, FileError::Duplicate { line: n, id: key, first }));
        }
    }
    if let Some(e) = repeated(&entries, usize::MAX) {
        return Err(e);
    }
    Ok((header, entries, conflicts, jpegs))
}

/// A line the quick reading did not take: a conflict-log entry, a JPEG, a record line in an
/// unusual spelling, or one that breaks a rule (refused here with its message).
enum Slow {
    Record(SyncKind, Doc),
    Conflict(Conflict),
    Jpeg(RecordId, Vec<u8>),
}

fn slow(n: usize, raw: &str) -> Result<Slow, FileError> {
    let kind = serde_json::from_str::<KindOnly>(raw).map_err(|e| bad(n, explain(&e, raw)))?.kind;
    if kind == JPEG {
        let j: JpegLine = serde_json::from_str(raw).map_err(|e| bad(n, explain(&e, raw)))?;
        let data = super::sealed::unbase64(&j.data)
            .ok_or_else(|| bad(n, "字段 data：照片数据不是有效的 base64".into()))?;
        return Ok(Slow::Jpeg(j.photo, data));
    }
    if kind == CONFLICT {
        let c: ConflictLine = serde_json::from_str(raw).map_err(|e| bad(n, explain(&e, raw)))?;
        if SyncKind::from_key(&c.of).is_none() {
            return Err(bad(n, format!("未知的记录类型 {:?}", c.of)));
        }
        return Ok(Slow::Conflict(Conflict {
            key: c.key,
            kind: c.of,
            record: c.record,
            field: c.field,
            stamp: c.stamp,
            value: c.value,
            by: c.by,
        }));
    }
    let kind = SyncKind::from_key(&kind).ok_or_else(|| bad(n, format!("未知的记录类型 {kind:?}")))?;
    // No valid record comes near this; refused before its fields are read into memory.
    if raw.len() > super::rules::MAX_LINE_BYTES {
        return Err(bad(n, format!("这一行有 {} KB，远超任何有效记录，文件可能被改动过", raw.len() >> 10)));
    }
    let doc = doc_of_line(raw).map_err(|e| bad(n, explain(&e, raw)))?;
    kind.check(raw).map_err(|detail| bad(n, format!("{} {}：{detail}", kind.label(), &doc.id.as_str()[..8])))?;
    Ok(Slow::Record(kind, doc))
}

/// Both readings of one record line, for the tests that hold the quick one to the old one.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod probe {
    /// Whether the quick reading takes the line, and the stored text it would write as is.
    pub fn quick(raw: &str) -> Option<Option<String>> {
        let q = super::quick(raw)?;
        Some((q.as_is > 0).then(|| format!("{{{}", &raw[q.as_is..])))
    }

    /// The quick reading's steps one by one, for the timing probe.
    pub fn step(raw: &str, step: u8) -> bool {
        let Ok(h) = serde_json::from_str::<super::parsed::Head>(raw) else { return false };
        let Some(kind) = super::SyncKind::from_key(&h.kind) else { return false };
        match step {
            0 => true,
            1 => kind.check_quick_body(h.body.get()),
            _ => kind.check_quick(h.body.get(), h.deleted, false).is_some(),
        }
    }

    /// Whether the old reading takes the line, and the stored text it wrote for it.
    pub fn old(raw: &str) -> Result<String, super::FileError> {
        match super::slow(1, raw)? {
            super::Slow::Record(_, doc) => Ok(serde_json::to_string(&doc).unwrap_or_default()),
            _ => Ok(String::new()),
        }
    }
}

/// A JPEG line must follow its photo's record in the same file and match its size and CRC.
fn check_jpeg(record: Option<&Doc>, data: &[u8]) -> Result<(), String> {
    let record = record.ok_or("文件中没有这张照片的记录（照片数据须在其记录之后）")?;
    let field = |name: &str| record.body.get(name).cloned().unwrap_or_default();
    if field("bytes").as_u64() != Some(data.len() as u64) {
        return Err(format!("大小不符（记录为 {} 字节，数据为 {} 字节），可能已损坏", field("bytes"), data.len()));
    }
    if field("crc32").as_str() != Some(format!("{:08x}", crc32(data, 0)).as_str()) {
        return Err("校验失败，照片数据已损坏".into());
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use proptest::prelude::*;

    use super::crc32;

    /// A byte a step, as zlib's reference does.
    fn bytewise(data: &[u8], crc: u32) -> u32 {
        let mut crc = !crc;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { 0xEDB8_8320 ^ (crc >> 1) } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn crc32_gives_the_standard_check_values() {
        assert_eq!(crc32(b"123456789", 0), 0xCBF4_3926);
        assert_eq!(crc32(b"", 0), 0);
        assert_eq!(crc32("桑榆".as_bytes(), 0), bytewise("桑榆".as_bytes(), 0));
    }

    proptest! {
        /// In pieces of any length, as a file's lines are summed, the same as a byte a step.
        #[test]
        fn crc32_in_pieces_equals_a_byte_a_step(data in proptest::collection::vec(any::<u8>(), 0..200), cut in 0usize..200) {
            let cut = cut.min(data.len());
            let (a, b) = data.split_at(cut);
            prop_assert_eq!(crc32(b, crc32(a, 0)), bytewise(&data, 0));
        }
    }
}
