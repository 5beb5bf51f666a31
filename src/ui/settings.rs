//! Small per-browser settings in localStorage (gloo-storage). Records never live here.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

const KEY: &str = "sangyu.settings";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The office this device belongs to (e.g. 城关镇老干部工作站); names export files later.
    pub office: String,
    /// This device's own township, the default for new records.
    pub township: String,
    /// 大字: the whole interface about 1.25 times larger (static/boot.js applies it before
    /// the first frame; the settings page at once).
    pub large_text: bool,
    /// The first visit's welcome was answered (开始使用).
    pub welcomed: bool,
    /// Who is recording now (记录人): every write made here carries the name (`ui::author`).
    pub author: String,
    /// The names used on this device, to pick from when unlocking or in settings.
    pub authors: Vec<String>,
}

impl Settings {
    pub fn load() -> Settings {
        LocalStorage::get(KEY).unwrap_or_default()
    }

    pub fn save(&self) -> Result<(), String> {
        LocalStorage::set(KEY, self).map_err(|e| format!("设置没有保存：{e}"))
    }
}

impl Settings {
    /// A first visit: nobody has answered the welcome or named the office yet.
    pub fn first_visit(&self) -> bool {
        !self.welcomed && self.office.is_empty()
    }
}

/// The office's name and this device's township as the welcome and the settings page hold
/// them while they are typed.
#[derive(Clone, Copy)]
pub struct Whose {
    pub office: leptos::prelude::RwSignal<String>,
    pub township: leptos::prelude::RwSignal<String>,
}

impl Whose {
    /// What is stored now.
    pub fn load() -> Whose {
        use leptos::prelude::RwSignal;
        let Settings { office, township, .. } = Settings::load();
        Whose { office: RwSignal::new(office), township: RwSignal::new(township) }
    }

    /// The stored settings with what was typed, trimmed.
    pub fn typed(&self) -> Settings {
        use leptos::prelude::GetUntracked;
        let trim = |s: String| s.trim().to_owned();
        Settings { office: trim(self.office.get_untracked()), township: trim(self.township.get_untracked()), ..Settings::load() }
    }
}

/// Shows the interface in large text or not: a class on `<html>`, whose font size every
/// size in main.css is relative to.
pub fn apply_large_text(on: bool) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.class_list().toggle_with_force("large", on);
    }
}

const CAMPAIGNS_KEY: &str = "sangyu.campaigns";

/// Rounds of holiday visits the office named itself (待办), beside the calendar's. Apart from
/// `Settings`, which the shell reads: only the due page needs these.
pub fn named_campaigns() -> Vec<crate::report::due::Campaign> {
    LocalStorage::get(CAMPAIGNS_KEY).unwrap_or_default()
}

pub fn keep_named_campaigns(list: &[crate::report::due::Campaign]) -> Result<(), String> {
    LocalStorage::set(CAMPAIGNS_KEY, list).map_err(|e| format!("没有保存：{e}"))
}

const RECENT_KEY: &str = "sangyu.recent";

/// What was last chosen in the work-log forms, so the next entry starts from it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Recent {
    pub organiser: String,
    pub activity_kind: String,
    pub benefit_kind: String,
}

impl Recent {
    pub fn load() -> Recent {
        LocalStorage::get(RECENT_KEY).unwrap_or_default()
    }

    /// Best effort: losing a remembered default costs one tap, so errors are ignored.
    pub fn save(&self) {
        let _ = LocalStorage::set(RECENT_KEY, self);
    }
}

const MARKER_KEY: &str = "sangyu.marker";

/// A note outside IndexedDB of which database this browser last wrote to and how often, so an
/// emptied database (the browser may evict it) is noticed instead of looking like a new app.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Marker {
    pub device: String,
    pub changes: u64,
    /// Changes found lost and not yet acknowledged: kept across saves into the new database,
    /// so the warning stays until the user says 我知道了.
    pub lost: u64,
}

impl Marker {
    pub fn load() -> Marker {
        LocalStorage::get(MARKER_KEY).unwrap_or_default()
    }

    /// Counts one saved change made by `device`.
    pub fn count_change(device: &str) {
        let mut m = Marker::load();
        if m.device != device {
            let lost = if m.device.is_empty() { m.lost } else { m.lost + m.changes };
            m = Marker { device: device.to_owned(), changes: 0, lost };
        }
        m.changes += 1;
        let _ = LocalStorage::set(MARKER_KEY, &m);
    }

    /// Starts afresh for `device` (a new database, or after the user has been told).
    pub fn reset(device: &str) {
        let _ = LocalStorage::set(MARKER_KEY, Marker { device: device.to_owned(), changes: 0, lost: 0 });
    }

    /// The user has been told about lost changes: forget them, keep counting this database's.
    pub fn acknowledge(device: &str) {
        let mut m = Marker::load();
        if m.device == device {
            m.lost = 0;
            let _ = LocalStorage::set(MARKER_KEY, &m);
        } else {
            Marker::reset(device);
        }
    }

    /// Changes this browser saved into a database that is no longer there, if any.
    pub fn lost_changes(&self, device_now: &str) -> Option<u64> {
        let gone = if !self.device.is_empty() && self.device != device_now { self.changes } else { 0 };
        (self.lost + gone > 0).then_some(self.lost + gone)
    }
}

const NOT_SAME_KEY: &str = "sangyu.not_same";

/// Pairs of people a user said are two different people, so the duplicate list stops
/// offering them. Per browser: a judgement, not a record.
pub struct NotSame;

impl NotSame {
    fn key(a: &str, b: &str) -> String {
        if a < b {
            format!("{a}|{b}")
        } else {
            format!("{b}|{a}")
        }
    }

    pub fn load() -> Vec<String> {
        LocalStorage::get(NOT_SAME_KEY).unwrap_or_default()
    }

    pub fn contains(list: &[String], a: &str, b: &str) -> bool {
        list.contains(&NotSame::key(a, b))
    }

    pub fn add(a: &str, b: &str) -> Result<(), String> {
        let mut list = NotSame::load();
        list.push(NotSame::key(a, b));
        LocalStorage::set(NOT_SAME_KEY, list).map_err(|e| format!("没有保存：{e}"))
    }
}

const EXCHANGES_KEY: &str = "sangyu.exchanges";
/// Entries kept: a few weeks of a township's exchanges.
const EXCHANGES_KEPT: usize = 20;

/// One export or import this device made, for the short history on the exchange page: what
/// left or arrived, when, by which route, and what it did. Kept on this device only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Exchanged {
    pub at_ms: u64,
    /// 导出 or 导入.
    pub direction: String,
    /// The file's name, or 粘贴的文字.
    pub name: String,
    /// The other office (an import's sender), if known.
    pub office: String,
    /// Where it went or what it did: "已保存到“下载”文件夹", "新增 3 条，更新 1 条".
    pub what: String,
}

/// The history, newest first.
pub fn exchanges() -> Vec<Exchanged> {
    LocalStorage::get(EXCHANGES_KEY).unwrap_or_default()
}

/// Adds `e` at the top of the history. A full storage loses the line, not the exchange.
pub fn note_exchange(e: Exchanged) {
    let mut list = exchanges();
    list.insert(0, e);
    list.truncate(EXCHANGES_KEPT);
    let _ = LocalStorage::set(EXCHANGES_KEY, &list);
}
