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
