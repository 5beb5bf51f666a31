//! Sharing between offices by files: the export format, the merge, and the import plan.
//!
//! Plain Rust like `domain/`: storage reads the stores, hands the records here as JSON
//! (`merge::Doc`), and writes back exactly what [`plan`] says, in one transaction.

pub mod chat;
pub mod csv;
pub mod dedupe;
pub mod explain;
pub mod at_rest;
pub mod history;
pub mod format;
pub mod frames;
pub mod merge;
pub mod qr;
pub mod narrow;
pub mod review;
pub mod rules;
pub mod sealed;
#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::domain::{Clock, Hlc, RecordId, Stamp};
use merge::{Conflict, Doc, Outcome};

/// The record kinds that travel in files, with their stable keys on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SyncKind {
    Person,
    Org,
    Place,
    Activity,
    Benefit,
    Case,
    Feedback,
    Room,
    Duty,
    Photo,
}

impl SyncKind {
    pub const ALL: [SyncKind; 10] = [
        SyncKind::Person,
        SyncKind::Org,
        SyncKind::Place,
        SyncKind::Activity,
        SyncKind::Benefit,
        SyncKind::Case,
        SyncKind::Feedback,
        SyncKind::Room,
        SyncKind::Duty,
        SyncKind::Photo,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SyncKind::Person => "person",
            SyncKind::Org => "org",
            SyncKind::Place => "place",
            SyncKind::Activity => "activity",
            SyncKind::Benefit => "benefit",
            SyncKind::Case => "case",
            SyncKind::Feedback => "feedback",
            SyncKind::Room => "room",
            SyncKind::Duty => "duty",
            SyncKind::Photo => "photo",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SyncKind::Person => "人员",
            SyncKind::Org => "组织",
            SyncKind::Place => "乡镇村居",
            SyncKind::Activity => "活动",
            SyncKind::Benefit => "待遇发放",
            SyncKind::Case => "调解案件",
            SyncKind::Feedback => "群众反馈",
            SyncKind::Room => "驿站功能室",
            SyncKind::Duty => "值班安排",
            SyncKind::Photo => "照片",
        }
    }

    pub fn from_key(key: &str) -> Option<SyncKind> {
        SyncKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

impl SyncKind {
    /// A stored field's name as the forms call it, for the conflict log and messages.
    pub fn field_label(self, field: &str) -> &'static str {
        use SyncKind::*;
        match (self, field) {
            (_, merge::DELETED) => "删除状态",
            (_, "notes") => "备注",
            (_, "date") => "日期",
            (_, "township") => "乡镇（街道）",
            (_, "village" | "villages") => "村（社区）",
            (Person, "name") => "姓名",
            (_, "name") => "名称",
            (Person, "gender") => "性别",
            (Person, "birth_date") => "出生日期",
            (Person, "category") => "类别",
            (Person, "former_unit") => "原单位",
            (Person, "post") => "原职务",
            (Person, "party_member") => "党员",
            (Person, "branch") => "所属支部",
            (Person, "phone") => "联系电话",
            (Person, "id_number") => "身份证号",
            (Person, "health") => "健康状况",
            (Person, "deceased_on") => "去世日期",
            (Person, "spouse") => "配偶",
            (Person, "no_work_income") => "无工作收入",
            (Person, "wulao") => "五老",
            (Person, "roles") => "身份",
            (Person, "specialties") => "专长",
            (Person, "merged_into") => "合并到",
            (Org, "kind") => "组织类型",
            (Org, "level") => "级别",
            (Org, "leader") => "负责人",
            (Org, "liaison") => "联络员",
            (Org, "liaison_phone") => "联络员电话",
            (Org, "members") => "成员",
            (Org, "themes") => "每月主题",
            (Org, "area") => "面积",
            (Org, "product") => "主要产品",
            (Activity, "kind") => "活动类型",
            (Activity, "theme") => "主题",
            (Activity, "venue") => "地点",
            (Activity, "organiser") => "组织者",
            (Activity, "participants") => "参加人员",
            (Activity, "sessions") => "场次",
            (Activity, "audience") => "服务群众人次",
            (Activity, "beneficiaries") => "受益人数",
            (Activity, "leaflets") => "宣传资料份数",
            (Activity, "slogans") => "标语条数",
            (Activity, "trainees") => "培训人次",
            (Activity, "talents") => "乡土人才",
            (Activity, "self_employed") => "自主发展人数",
            (Activity, "income_raised") => "增收人数",
            (Benefit, "kind") => "发放类别",
            (Benefit, "person") => "领取人",
            (Benefit, "amount") => "金额",
            (Case, "parties") => "当事人",
            (Case, "kind") => "纠纷类型",
            (Case, "mediators") => "调解人",
            (Case, "room") => "调解室",
            (Case, "opened") => "受理日期",
            (Case, "closed") => "结案日期",
            (Case | Feedback, "status") => "状态",
            (Case, "outcome") => "调解结果",
            (Case, "beneficiaries") => "受益群众",
            (Feedback, "content") => "意见内容",
            (Feedback, "source") => "来源",
            (Feedback, "response") => "答复",
            (Feedback, "handled_by") => "处理人",
            (Duty, "people") => "值班人员",
            (Photo, "activity") => "所属活动",
            (Photo, "width") => "宽度",
            (Photo, "height") => "高度",
            (Photo, "bytes") => "大小",
            (Photo, "crc32") => "校验码",
            (Photo, "caption") => "说明",
            _ => "其他内容",
        }
    }
}

/// Days without an export after which the home page urges one.
pub const NUDGE_DAYS: u64 = 7;

/// What the home page says about unexported work: this device's own changes since the last
/// export (or ever), records imported from other offices since then (an office that passes
/// merged files on may want to), and days since it; `urgent` once there are own changes and
/// none left for [`NUDGE_DAYS`]. Imports never make it urgent: they are safe in their file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unexported {
    pub changes: u64,
    pub imported: u64,
    pub days: Option<u64>,
    pub urgent: bool,
}

/// A database's counters: its own logical changes (`DeviceState::changes`) and its record
/// writes, own and imported (`DeviceState::seq`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub changes: u64,
    pub seq: u64,
}

/// `last` is the counters at the previous export, and its time; `now` the database's counters.
/// An export recorded before own changes were counted apart (`changes: None`) falls back to
/// counting every write.
pub fn unexported(last: Option<(Option<u64>, u64, u64)>, now: Counters, now_ms: u64) -> Unexported {
    let writes = now.seq.saturating_sub(last.map_or(0, |l| l.1));
    let changes = match last {
        None => now.changes,
        Some((Some(at), _, _)) => now.changes.saturating_sub(at),
        Some((None, _, _)) => writes,
    };
    let days = last.map(|l| now_ms.saturating_sub(l.2) / 86_400_000);
    Unexported {
        changes,
        imported: writes.saturating_sub(changes),
        days,
        urgent: changes > 0 && days.is_none_or(|d| d >= NUDGE_DAYS),
    }
}

/// A stamp more than this far ahead of the importing device's clock is held back: a phone
/// with a wrong date would otherwise win every later edit.
pub const FUTURE_LIMIT_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: u32,
    /// Records whose values change (a delete counts under `deleted` instead).
    pub updated: u32,
    /// Records whose values stay as they are here.
    pub unchanged: u32,
    /// Records the file deletes here.
    pub deleted: u32,
    pub conflicts: u32,
    pub held: u32,
}

/// A record an import writes.
#[derive(Debug)]
pub enum Write {
    /// The file's record at this place in `Parsed::records`, as the file has it: most of a
    /// large import, left where it is rather than copied (a 100,000-record file held twice
    /// was what a phone ran out of memory for).
    Filed(usize),
    /// A record made here: merged with the stored one, or re-stamped as this office's edit.
    /// Boxed: a plan of 100,000 lines is then 100,000 small writes, not record-sized ones.
    Made(Box<Doc>),
}

/// What an import would do; storage applies `writes` and `conflicts` in one transaction.
#[derive(Debug, Default)]
pub struct Plan {
    pub counts: BTreeMap<SyncKind, Counts>,
    /// Resolved against the file the plan was made from by [`Plan::written`].
    pub writes: Vec<(SyncKind, Write)>,
    /// Conflict-log entries not yet in the local log.
    pub conflicts: Vec<Conflict>,
    /// Records held back for their future stamps, not written.
    pub held: Vec<(SyncKind, Doc)>,
    /// The newest stamp written, so the device clock can move past it.
    pub newest: Option<Hlc>,
    /// The first few records the file deletes here, by kind and what they are called, so the
    /// preview can name them.
    pub deleted: Vec<(SyncKind, String)>,
}

/// How many deleted records a preview names before saying "等".
pub const NAMED_DELETES: usize = 5;

/// What a record is called, from its body: a name, a theme, parties, a township; else its id.
pub fn display_name(doc: &Doc) -> String {
    ["name", "theme", "parties", "content", "township", "caption"]
        .iter()
        .find_map(|k| doc.body.get(*k).and_then(|v| v.as_str()).filter(|s| !s.is_empty()))
        .map(|s| s.chars().take(20).collect())
        .unwrap_or_else(|| doc.id.as_str().chars().take(8).collect())
}

impl Plan {
    pub fn total(&self) -> Counts {
        self.counts.values().fold(Counts::default(), |a, c| Counts {
            new: a.new + c.new,
            updated: a.updated + c.updated,
            unchanged: a.unchanged + c.unchanged,
            deleted: a.deleted + c.deleted,
            conflicts: a.conflicts + c.conflicts,
            held: a.held + c.held,
        })
    }

    pub fn changes_anything(&self) -> bool {
        !self.writes.is_empty() || !self.conflicts.is_empty()
    }

    /// The records to write, from `incoming`, the file this plan was made from.
    pub fn written<'a>(&'a self, incoming: &'a format::Parsed) -> impl Iterator<Item = (SyncKind, Written<'a>)> + 'a {
        self.writes.iter().map(move |(kind, w)| match w {
            Write::Filed(i) => (*kind, Written::Filed(incoming, *i)),
            Write::Made(d) => (*kind, Written::Made(d.as_ref())),
        })
    }
}

/// A record an import writes: a file's line as it is, or a record made here.
#[derive(Clone, Copy)]
pub enum Written<'a> {
    Filed(&'a format::Parsed, usize),
    Made(&'a Doc),
}

impl<'a> Written<'a> {
    pub fn id(&self) -> Option<RecordId> {
        match self {
            Written::Filed(f, i) => f.id(*i),
            Written::Made(d) => Some(d.id.clone()),
        }
    }

    /// Its id's bits, without making its text.
    pub fn bits(&self) -> Option<u128> {
        match self {
            Written::Filed(f, i) => f.bits(*i),
            Written::Made(d) => Some(d.id.bits()),
        }
    }

    pub fn deleted(&self) -> bool {
        match self {
            Written::Filed(f, i) => f.deleted(*i),
            Written::Made(d) => d.deleted,
        }
    }

    /// The record as JSON: read from the file's line for a filed one (few need it).
    pub fn doc(&self) -> Option<std::borrow::Cow<'a, Doc>> {
        match self {
            Written::Filed(f, i) => f.doc(*i).map(std::borrow::Cow::Owned),
            Written::Made(d) => Some(std::borrow::Cow::Borrowed(*d)),
        }
    }

    /// Its body for the form's checks (待核对) without a JSON tree: a filed line that is the
    /// stored record, read as its kind, or a made record's JSON. `None`: check [`Written::doc`].
    pub fn body(&self) -> Option<review::Body<'a>> {
        match self {
            Written::Filed(f, i) => f.body_text(*i).map(review::Body::Text),
            Written::Made(d) => Some(review::Body::Json(&d.body)),
        }
    }

    /// The record's JSON as stored, without `seq`: the file's own text where it is that already.
    pub fn stored_json(&self) -> Result<String, String> {
        if let Written::Filed(f, i) = self {
            if let Some(text) = f.stored_text(*i) {
                return Ok(text);
            }
        }
        let doc = self.doc().ok_or("文件中的记录读不出")?;
        serde_json::to_string(&*doc).map_err(|e| e.to_string())
    }
}

/// Why a file that parsed cleanly still cannot be merged here. Nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("第 {line} 行：{} {}：{detail}；没有导入任何内容", .kind.label(), .id.as_str().get(..8).unwrap_or(""))]
pub struct PlanError {
    pub line: usize,
    pub kind: SyncKind,
    pub id: RecordId,
    pub detail: String,
}

/// The latest stamp anywhere in a record: its own, its fields', its base and what it has
/// seen of other devices. A future stamp hidden in any of them would otherwise carry this
/// device's clock along when the record is merged.
pub fn latest_stamp(doc: &Doc) -> Hlc {
    doc.created.max(doc.updated).max(doc.clock.latest())
}

/// A record from the future that the office chose to accept, as this office's own edit at
/// its own time (`here`, its next stamp): every field stamped `here`, no other device's
/// stamps kept. Its values then win over what is stored (they are the newest edit), later
/// edits here are stamped after `here`, not after the file's date, and no stamp from the
/// future stays to win every later edit elsewhere.
pub fn as_own_edit(doc: &Doc, here: &Stamp) -> Doc {
    let mut d = doc.clone();
    d.created = d.created.min(here.hlc);
    d.updated = here.hlc;
    d.device = here.device.clone();
    d.clock = Clock::default();
    merge::canonical(&mut d);
    d
}

/// Merges `incoming` into `local` (every local record, by id, with its kind) and the known
/// conflict-log keys. `now_ms` is the importing device's wall time. A record stamped beyond
/// the bound is held back, or with `accept_future` (the office's next stamp) taken as its own
/// edit ([`as_own_edit`]). Refused whole when a record's id belongs to another kind here, or
/// when a merged record would break its kind's rules.
pub fn plan(
    local: &HashMap<RecordId, (SyncKind, Doc)>,
    known_conflicts: &HashSet<String>,
    incoming: &format::Parsed,
    now_ms: u64,
    accept_future: Option<&Stamp>,
) -> Result<Plan, PlanError> {
    let mut p = Plan::default();
    let limit = now_ms.saturating_add(FUTURE_LIMIT_MS);
    let mut logged: HashSet<String> = known_conflicts.clone();
    for i in 0..incoming.len() {
        let (Some(kind), Some(id), Some(latest), Some(updated)) =
            (incoming.kind(i), incoming.id(i), incoming.latest(i), incoming.updated(i))
        else {
            continue;
        };
        let kind = &kind;
        let refuse = |detail: String| PlanError { line: incoming.line(i), kind: *kind, id: id.clone(), detail };
        let read = || incoming.doc(i).ok_or_else(|| refuse("读不出这一行".into()));
        let c = p.counts.entry(*kind).or_default();
        let restamped = match (latest.ms > limit, accept_future) {
            (false, _) => None,
            (true, None) => {
                c.held += 1;
                p.held.push((*kind, read()?));
                continue;
            }
            (true, Some(here)) => {
                // The device's own stamp (its clock and a tick, not the file's date): the
                // clock moves past it, or the next import would reuse it.
                p.newest = p.newest.max(Some(here.hlc));
                Some(as_own_edit(&read()?, here))
            }
        };
        let merged = match local.get(&id) {
            Some((here, _)) if here != kind => {
                return Err(refuse(format!("本机已有同一编号的{}，文件可能被改动过", here.label())));
            }
            None => {
                c.new += 1;
                let write = match restamped {
                    // Few: only future records the office chose to accept.
                    Some(d) => Write::Made(Box::new(d)),
                    // Most of a large file: written from its line when it is (the line is the
                    // stored record already, or is read and made canonical then).
                    None if !incoming.stamped(i) => Write::Filed(i),
                    None => {
                        let mut d = read()?;
                        merge::canonical(&mut d);
                        Write::Made(Box::new(d))
                    }
                };
                let updated = match &write {
                    Write::Made(d) => d.updated,
                    Write::Filed(_) => updated,
                };
                p.newest = p.newest.max(Some(updated.min(Hlc { ms: limit, count: 0 })));
                p.writes.push((*kind, write));
                continue;
            }
            Some((_, mine)) => {
                let doc = match restamped {
                    Some(d) => d,
                    None => read()?,
                };
                let (d, outcome, lost) = merge::merge(kind.key(), mine, &doc);
                for l in lost {
                    if logged.insert(l.key.clone()) {
                        // Counted for the preview only when a value really gives way.
                        c.conflicts += u32::from(merge::value_of(&d, &l.field) != l.value);
                        p.conflicts.push(l);
                    }
                }
                if outcome == Outcome::Unchanged {
                    c.unchanged += 1;
                    continue;
                }
                // Only the stamps may have moved (this copy's values won): still written, so
                // the next merge knows the other side's edits, but nothing a person would see.
                if d.body == mine.body && d.deleted == mine.deleted {
                    c.unchanged += 1;
                } else if d.deleted && !mine.deleted {
                    c.deleted += 1;
                    if p.deleted.len() < NAMED_DELETES {
                        p.deleted.push((*kind, display_name(mine)));
                    }
                } else {
                    c.updated += 1;
                }
                // Each side passed the rules alone; their merge must too before it is written.
                let text = serde_json::to_string(&d).map_err(|e| refuse(e.to_string()))?;
                kind.check(&text).map_err(|e| refuse(format!("与本机记录合并后无效（{e}）")))?;
                d
            }
        };
        // Nothing from a file moves this device's clock past its own time and the bound,
        // not even a future record the user chose to accept.
        p.newest = p.newest.max(Some(merged.updated.min(Hlc { ms: limit, count: 0 })));
        p.writes.push((*kind, Write::Made(Box::new(merged))));
    }
    // Conflict-log lines the other office recorded. Where the losing value is this office's
    // own (it still holds it, and the merge replaces it), this office's edit just lost: the
    // preview counts it here too, or the office whose edit lost would be told "冲突 0".
    let mut written: HashMap<RecordId, Written> = HashMap::new();
    if !incoming.conflicts.is_empty() {
        written.extend(p.written(incoming).filter_map(|(_, w)| Some((w.id()?, w))));
    }
    let mut own_losses: Vec<SyncKind> = Vec::new();
    let mut theirs: Vec<Conflict> = Vec::new();
    for c in &incoming.conflicts {
        if logged.insert(c.key.clone()) {
            if let (Some(kind), Some((_, mine)), Some(now)) =
                (SyncKind::from_key(&c.kind), local.get(&c.record), written.get(&c.record).and_then(|w| w.doc()))
            {
                if merge::value_of(mine, &c.field) == c.value && merge::value_of(&now, &c.field) != c.value {
                    own_losses.push(kind);
                }
            }
            theirs.push(c.clone());
        }
    }
    drop(written);
    p.conflicts.extend(theirs);
    for kind in own_losses {
        p.counts.entry(kind).or_default().conflicts += 1;
    }
    Ok(p)
}
