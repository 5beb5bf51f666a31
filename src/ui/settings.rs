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
}

impl Settings {
    pub fn load() -> Settings {
        LocalStorage::get(KEY).unwrap_or_default()
    }

    pub fn save(&self) -> Result<(), String> {
        LocalStorage::set(KEY, self).map_err(|e| format!("设置没有保存：{e}"))
    }
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
