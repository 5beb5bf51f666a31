//! Export file format v1 (documented for other programs in `docs/file-format.md`).
//!
//! UTF-8 JSON Lines: a header line, one line per record or conflict-log entry, a line per
//! photo's JPEG when the exporter chose to include them, and a trailer line. Header and trailer both give the record count and a CRC-32 of the lines between, so a
//! file cut short in transfer is caught. The wire types here are separate from the stored
//! ones: bodies are the stored shapes (pinned by snapshot tests), envelopes are spelled out.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use super::explain::explain;
use super::merge::{Conflict, Doc};
use super::SyncKind;
use crate::domain::{Clock, Date, DeviceId, Hlc, Record, RecordId, Stamp};

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

/// A record line of a checked file: where it is, and its envelope in few bytes. The body
/// stays in the file's text until it is needed (a merge, a record from the future, a test):
/// a 100,000-record county held as JSON trees was 3.7 times its file in memory.
#[derive(Debug)]
struct Entry {
    kind: SyncKind,
    /// Where the record's stored JSON starts in the line (after `{"kind":"…",`) when the line
    /// is the record exactly as this version stores it, to be written by its own text; 0 if not.
    as_is: u8,
    deleted: bool,
    /// The file's line number, for messages.
    line: u32,
    /// The line's bytes in the file's text (without its line end).
    start: u32,
    len: u32,
    /// The id's bits, in words: a `u128` would align the entry to 16 bytes.
    id: [u32; 4],
    /// `updated`: its milliseconds in words, and its count. `created` is never later (a rule).
    updated: [u32; 3],
    clock: Option<Box<Clock>>,
}

impl Entry {
    fn id(&self) -> u128 {
        self.id.iter().fold(0, |n, w| n << 32 | u128::from(*w))
    }

    fn updated(&self) -> Hlc {
        let [hi, lo, count] = self.updated;
        Hlc { ms: u64::from(hi) << 32 | u64::from(lo), count }
    }
}

/// A file that passed every check, ready to merge: its text and where each record is in it.
#[derive(Debug, Default)]
pub struct Parsed {
    pub header: Option<Header>,
    text: String,
    entries: Vec<Entry>,
    pub conflicts: Vec<Conflict>,
    /// Photos' JPEGs, each checked against its record's size and CRC-32.
    pub jpegs: Vec<(RecordId, Vec<u8>)>,
}

/// Builds [`Entry`]s.
#[derive(Default)]
struct Entries {
    entries: Vec<Entry>,
}

impl Entries {
    fn push(&mut self, q: Quick, line: usize, span: Range<usize>) {
        self.entries.push(Entry {
            kind: q.kind,
            as_is: u8::try_from(q.as_is).unwrap_or(0),
            deleted: q.deleted,
            line: line as u32,
            start: span.start as u32,
            len: span.len() as u32,
            id: [(q.id >> 96) as u32, (q.id >> 64) as u32, (q.id >> 32) as u32, q.id as u32],
            updated: [(q.updated.ms >> 32) as u32, q.updated.ms as u32, q.updated.count],
            clock: (!q.clock.is_empty()).then(|| Box::new(q.clock)),
        });
    }

    /// A record the old reading took.
    fn push_doc(&mut self, kind: SyncKind, doc: Doc, line: usize, span: Range<usize>) {
        let q = Quick {
            kind,
            id: doc.id.bits(),
            updated: doc.updated,
            deleted: doc.deleted,
            clock: doc.clock,
            as_is: 0,
        };
        self.push(q, line, span);
    }
}

impl Parsed {
    /// How many records the file holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn kind(&self, i: usize) -> Option<SyncKind> {
        Some(self.entries.get(i)?.kind)
    }

    /// The file line of record `i`, for messages.
    pub fn line(&self, i: usize) -> usize {
        self.entries.get(i).map_or(0, |e| e.line as usize)
    }

    pub fn id(&self, i: usize) -> Option<RecordId> {
        Some(RecordId::from_bits(self.entries.get(i)?.id()))
    }

    pub fn bits(&self, i: usize) -> Option<u128> {
        Some(self.entries.get(i)?.id())
    }

    pub fn deleted(&self, i: usize) -> bool {
        self.entries.get(i).is_some_and(|e| e.deleted)
    }

    pub fn updated(&self, i: usize) -> Option<Hlc> {
        Some(self.entries.get(i)?.updated())
    }

    /// Whether record `i` has stamps per field (then it is made canonical when written).
    pub fn stamped(&self, i: usize) -> bool {
        self.entries.get(i).is_some_and(|e| e.clock.is_some())
    }

    /// The latest stamp anywhere in record `i` ([`super::latest_stamp`]), from its envelope:
    /// `created` is never after `updated`.
    pub fn latest(&self, i: usize) -> Option<Hlc> {
        let e = self.entries.get(i)?;
        let clock = e.clock.as_deref();
        let stamps = clock.into_iter().flat_map(|c| {
            c.base.iter().map(|s| s.hlc).chain(c.fields.values().map(|s| s.hlc)).chain(c.seen.values().copied())
        });
        Some(stamps.fold(e.updated(), Hlc::max))
    }

    /// The record line at `i`, as the file has it.
    pub fn line_text(&self, i: usize) -> Option<&str> {
        let e = self.entries.get(i)?;
        self.text.get(e.start as usize..(e.start + e.len) as usize)
    }

    /// The body's text of record `i` when its line is the stored record ([`Parsed::stored_as_is`]):
    /// read as its kind for the form's checks without the envelope.
    pub fn body_text(&self, i: usize) -> Option<&str> {
        if !self.stored_as_is(i) {
            return None;
        }
        let line = self.line_text(i)?;
        // The envelope of such a line holds ids, stamps and a flag: its first `,"body":` is the body's.
        let at = line.find(",\"body\":")? + ",\"body\":".len();
        line.get(at..line.len() - 1)
    }

    /// The record at `i` as JSON, as the file has it (made canonical where that costs nothing).
    pub fn doc(&self, i: usize) -> Option<Doc> {
        doc_of_line(self.line_text(i)?).ok()
    }

    /// The record at `i` as this version stores it, when the file's line is that already:
    /// `{"id":…,"body":{…}}` without `seq`. `None`: make it from [`Parsed::doc`].
    pub fn stored_text(&self, i: usize) -> Option<String> {
        let at = usize::from(self.entries.get(i)?.as_is);
        let rest = self.line_text(i)?.get(at..).filter(|_| at > 0)?;
        Some(format!("{{{rest}"))
    }

    /// Whether the record at `i` is written as the file's line ([`Parsed::stored_text`]).
    pub fn stored_as_is(&self, i: usize) -> bool {
        self.entries.get(i).is_some_and(|e| e.as_is > 0)
    }

    /// Every record as JSON (small files, tests).
    pub fn records(&self) -> Vec<(SyncKind, Doc)> {
        (0..self.len()).filter_map(|i| Some((self.kind(i)?, self.doc(i)?))).collect()
    }

    /// Records put straight into a parsed file, past the rules: what a version without
    /// today's checks would have written (tests of how stored data that does not read is kept).
    #[doc(hidden)]
    pub fn unchecked(records: Vec<(SyncKind, Doc)>) -> Parsed {
        let mut text = String::new();
        let mut entries = Entries::default();
        for (n, (kind, d)) in records.into_iter().enumerate() {
            let doc = d.clone();
            let line = serde_json::to_string(&Line {
                kind: kind.key().into(),
                id: d.id,
                created: d.created,
                updated: d.updated,
                device: d.device,
                deleted: d.deleted,
                clock: d.clock,
                body: d.body,
            })
            .unwrap_or_default();
            let at = text.len();
            text.push_str(&line);
            text.push('\n');
            entries.push_doc(kind, doc, n + 2, at..at + line.len());
        }
        Parsed { text, entries: entries.entries, ..Parsed::default() }
    }
}

/// A record line read the old way, into a JSON tree: every check's error message comes from
/// here, and a line the quick reading does not take.
fn doc_of_line(raw: &str) -> Result<Doc, serde_json::Error> {
    let line: Line = serde_json::from_str(raw)?;
    let mut doc = Record {
        id: line.id,
        created: line.created,
        updated: line.updated,
        device: line.device,
        deleted: line.deleted,
        clock: line.clock,
        seq: 0,
        body: line.body,
    };
    // Canonical now, when that costs nothing (no stamps per field: only empty fields go).
    if doc.clock.is_empty() {
        super::merge::canonical(&mut doc);
    }
    Ok(doc)
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

/// CRC-32 (IEEE 802.3, as zlib's `crc32`), table-driven.
pub fn crc32(data: &[u8], mut crc: u32) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    crc = !crc;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8);
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

/// A record line's envelope and where its body is, read without building the body or
/// copying a text: the quick reading of a line; anything it does not take goes the old way.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    created: Cow<'a, str>,
    #[serde(borrow)]
    updated: Cow<'a, str>,
    #[serde(borrow)]
    device: Cow<'a, str>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    clock: Clock,
    /// Never in a file, but read as the record's type would read it (the old reading did).
    #[serde(default)]
    #[allow(dead_code)]
    seq: u64,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// A record line the quick reading took: its envelope, read.
struct Quick {
    kind: SyncKind,
    id: u128,
    updated: Hlc,
    deleted: bool,
    clock: Clock,
    /// Where the stored record starts in the line, when the line is it already; else 0.
    as_is: usize,
}

/// A record line that keeps every rule, read without a JSON tree. `None` where the old
/// reading must say why (or takes it: an unusual spelling).
fn quick(raw: &str) -> Option<Quick> {
    if raw.len() > super::rules::MAX_LINE_BYTES {
        return None;
    }
    let h: Head = serde_json::from_str(raw).ok()?;
    let kind = SyncKind::from_key(&h.kind)?;
    let id = crate::domain::id_bits(&h.id)?;
    DeviceId::parse(&h.device).ok()?;
    let (created, updated): (Hlc, Hlc) = (h.created.parse().ok()?, h.updated.parse().ok()?);
    let body = h.body.get();
    let canonical = kind.check_quick(body, h.deleted, created > updated)?;
    // The line is the stored record when it is spelled as `write` spells one: the envelope
    // in its order, nothing escaped, no stamps per field, the body canonical and last.
    let as_is = (canonical && h.clock.is_empty())
        .then(|| {
            let mut prefix = String::with_capacity(body.as_ptr() as usize - raw.as_ptr() as usize);
            for (key, value) in [("kind", &h.kind), ("id", &h.id), ("created", &h.created), ("updated", &h.updated), ("device", &h.device)] {
                if let Cow::Owned(_) = value {
                    return None;
                }
                prefix.push_str(if key == "kind" { "{\"" } else { ",\"" });
                prefix.push_str(key);
                prefix.push_str("\":\"");
                prefix.push_str(value);
                prefix.push('"');
            }
            prefix.push_str(if h.deleted { ",\"deleted\":true,\"body\":" } else { ",\"deleted\":false,\"body\":" });
            let at = body.as_ptr() as usize - raw.as_ptr() as usize;
            let whole = at == prefix.len() && raw.starts_with(&prefix) && raw.len() == at + body.len() + 1;
            (whole && raw.ends_with('}')).then(|| "{\"kind\":\"\",".len() + kind.key().len())
        })
        .flatten()
        .unwrap_or(0);
    Some(Quick { kind, id, updated, deleted: h.deleted, clock: h.clock, as_is })
}

/// Reads and checks a whole file; `me` refuses this device's own exports. The text is kept
/// in the result: records are read from it when written, not held twice.
pub fn parse(text: impl Into<String>, me: &DeviceId) -> Result<Parsed, FileError> {
    let text: String = text.into();
    let (header, entries, conflicts, jpegs) = check_all(&text, me)?;
    Ok(Parsed { header: Some(header), text, entries: entries.entries, conflicts, jpegs })
}

type Checked = (Header, Entries, Vec<Conflict>, Vec<(RecordId, Vec<u8>)>);

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
    let mut entries = Entries { entries: Vec::with_capacity(found), ..Entries::default() };
    let mut conflicts = Vec::new();
    let mut jpegs = Vec::new();
    // Conflict and JPEG keys; record ids are checked for repeats once read (`repeated`).
    let mut seen_keys: HashMap<String, usize> = HashMap::new();
    // A repeated record id before `line` is said first, as reading in order would have.
    let or_repeat = |entries: &Entries, line: usize, e: FileError| repeated(&entries.entries, line).unwrap_or(e);
    for (n, raw) in lines.take(found).map(|(i, l)| (i + 1, l)) {
        if let Some(q) = quick(raw) {
            entries.push(q, n, span_of(raw));
            continue;
        }
        let key = match slow(n, raw).map_err(|e| or_repeat(&entries, n, e))? {
            Slow::Record(kind, doc) => {
                entries.push_doc(kind, doc, n, span_of(raw));
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
                    .entries
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
    if let Some(e) = repeated(&entries.entries, usize::MAX) {
        return Err(e);
    }
    Ok((header, entries, conflicts, jpegs))
}

/// The first line before `before` (in file order) whose record id an earlier line has, as a
/// [`FileError::Duplicate`] naming that earlier line. Found by sorting the records' places,
/// after they are read: a map of 100,000 ids was 4 MB more while reading.
fn repeated(entries: &[Entry], before: usize) -> Option<FileError> {
    let mut order: Vec<u32> = (0..entries.len() as u32).filter(|&i| (entries[i as usize].line as usize) < before).collect();
    order.sort_unstable_by_key(|&i| (entries[i as usize].id, entries[i as usize].line));
    let mut found: Option<(u32, u128, u32)> = None;
    for (k, pair) in order.windows(2).enumerate() {
        let (a, b) = (&entries[pair[0] as usize], &entries[pair[1] as usize]);
        // `b` repeats the id; it is the second time only when `a` is the first.
        let a_first = k == 0 || entries[order[k - 1] as usize].id != a.id;
        if a.id == b.id && a_first && found.is_none_or(|(line, _, _)| b.line < line) {
            found = Some((b.line, a.id(), a.line));
        }
    }
    found.map(|(line, id, first)| FileError::Duplicate {
        line: line as usize,
        id: RecordId::from_bits(id).to_string(),
        first: first as usize,
    })
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
#[cfg(test)]
pub(crate) mod probe {
    /// Whether the quick reading takes the line, and the stored text it would write as is.
    pub fn quick(raw: &str) -> Option<Option<String>> {
        let q = super::quick(raw)?;
        Some((q.as_is > 0).then(|| format!("{{{}", &raw[q.as_is..])))
    }

    /// The quick reading's steps one by one, for the timing probe.
    pub fn step(raw: &str, step: u8) -> bool {
        let Ok(h) = serde_json::from_str::<super::Head>(raw) else { return false };
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
