//! A checked file as it is held until it is written: its text and, per record line, 52 bytes
//! (`Entry`); and the quick reading of a record line (`quick`), which builds no JSON tree.
//! Everything it does not take goes `format`'s old way, which also says why a line is refused.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{FileError, Header, Line};
use crate::domain::{Clock, DeviceId, Hlc, Record, RecordId};
use crate::sync::merge::{Conflict, Doc};
use crate::sync::SyncKind;

/// A record line of a checked file: where it is, and its envelope in few bytes. The body
/// stays in the file's text until it is needed (a merge, a record from the future, a test):
/// a 100,000-record county held as JSON trees was 3.7 times its file in memory.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) kind: SyncKind,
    /// Where the record's stored JSON starts in the line (after `{"kind":"…",`) when the line
    /// is the record exactly as this version stores it, to be written by its own text; 0 if not.
    as_is: u8,
    deleted: bool,
    /// The file's line number, for messages.
    line: u32,
    /// The line's bytes in the file's text (without its line end).
    pub(super) start: u32,
    pub(super) len: u32,
    /// The id's bits, in words: a `u128` would align the entry to 16 bytes.
    id: [u32; 4],
    /// `updated`: its milliseconds in words, and its count. `created` is never later (a rule).
    updated: [u32; 3],
    clock: Option<Box<Clock>>,
}

impl Entry {
    pub(super) fn id(&self) -> u128 {
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
    pub(super) text: String,
    pub(super) entries: Vec<Entry>,
    pub conflicts: Vec<Conflict>,
    /// Photos' JPEGs, each checked against its record's size and CRC-32.
    pub jpegs: Vec<(RecordId, Vec<u8>)>,
}

impl Entry {
    pub(super) fn new(q: Quick, line: usize, span: Range<usize>) -> Entry {
        Entry {
            kind: q.kind,
            as_is: u8::try_from(q.as_is).unwrap_or(0),
            deleted: q.deleted,
            line: line as u32,
            start: span.start as u32,
            len: span.len() as u32,
            id: [(q.id >> 96) as u32, (q.id >> 64) as u32, (q.id >> 32) as u32, q.id as u32],
            updated: [(q.updated.ms >> 32) as u32, q.updated.ms as u32, q.updated.count],
            clock: (!q.clock.is_empty()).then(|| Box::new(q.clock)),
        }
    }
}

impl Quick {
    /// A record the old reading took: never written as its line is.
    pub(super) fn of(kind: SyncKind, doc: &Doc) -> Quick {
        Quick { kind, id: doc.id.bits(), updated: doc.updated, deleted: doc.deleted, clock: doc.clock.clone(), as_is: 0 }
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

    /// The latest stamp anywhere in record `i` ([`crate::sync::latest_stamp`]), from its envelope:
    /// `created` is never after `updated`.
    pub fn latest(&self, i: usize) -> Option<Hlc> {
        let e = self.entries.get(i)?;
        Some(e.clock.as_deref().map_or(e.updated(), |c| e.updated().max(c.latest())))
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
        let mut entries = Vec::new();
        for (n, (kind, d)) in records.into_iter().enumerate() {
            let quick = Quick::of(kind, &d);
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
            entries.push(Entry::new(quick, n + 2, at..at + line.len()));
        }
        Parsed { text, entries, ..Parsed::default() }
    }
}

/// A record line read the old way, into a JSON tree: every check's error message comes from
/// here, and a line the quick reading does not take.
pub(super) fn doc_of_line(raw: &str) -> Result<Doc, serde_json::Error> {
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
        crate::sync::merge::canonical(&mut doc);
    }
    Ok(doc)
}

/// A record line's envelope and where its body is, read without building the body or
/// copying a text: the quick reading of a line; anything it does not take goes the old way.
#[derive(Deserialize)]
pub(super) struct Head<'a> {
    #[serde(borrow)]
    pub(super) kind: Cow<'a, str>,
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    created: Cow<'a, str>,
    #[serde(borrow)]
    updated: Cow<'a, str>,
    #[serde(borrow)]
    device: Cow<'a, str>,
    #[serde(default)]
    pub(super) deleted: bool,
    #[serde(default)]
    clock: Clock,
    /// Never in a file, but read as the record's type would read it (the old reading did).
    #[serde(default)]
    #[allow(dead_code)]
    seq: u64,
    #[serde(borrow)]
    pub(super) body: &'a RawValue,
}

/// A record line the quick reading took: its envelope, read.
pub(super) struct Quick {
    kind: SyncKind,
    id: u128,
    updated: Hlc,
    deleted: bool,
    clock: Clock,
    /// Where the stored record starts in the line, when the line is it already; else 0.
    pub(super) as_is: usize,
}

/// A record line that keeps every rule, read without a JSON tree. `None` where the old
/// reading must say why (or takes it: an unusual spelling).
pub(super) fn quick(raw: &str) -> Option<Quick> {
    if raw.len() > crate::sync::rules::MAX_LINE_BYTES {
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

/// The first line before `before` (in file order) whose record id an earlier line has, as a
/// [`FileError::Duplicate`] naming that earlier line. Found by sorting the records' places,
/// after they are read: a map of 100,000 ids was 4 MB more while reading.
pub(super) fn repeated(entries: &[Entry], before: usize) -> Option<FileError> {
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
