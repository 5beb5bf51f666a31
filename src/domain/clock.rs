//! Per-field stamps and a version vector, carried by every record so that offices can merge
//! files field by field and tell a concurrent overwrite (logged as a conflict) from a later
//! edit made with the earlier one in view (not a conflict).
//!
//! Kept compact because most records are written once: a field's stamp is `base` unless
//! `fields` lists it, and an absent `base` means the record's own `(updated, device)`. The
//! version vector `seen` lists the *other* devices whose changes this version includes; the
//! last writer's own entry is always `updated`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DeviceId, Hlc};

/// One write: when (hybrid logical clock) and by which device. Ordered by time, then device
/// id, so two offices that wrote in the same instant still agree on a winner.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Stamp {
    pub hlc: Hlc,
    pub device: DeviceId,
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.hlc, self.device)
    }
}

impl std::str::FromStr for Stamp {
    type Err = String;

    fn from_str(s: &str) -> Result<Stamp, String> {
        let (hlc, device) = s.split_once('/').ok_or_else(|| format!("时间戳格式错误：{s}"))?;
        Ok(Stamp {
            hlc: hlc.parse().map_err(|e: super::hlc::HlcParseError| e.to_string())?,
            device: DeviceId::parse(device).map_err(|e| e.to_string())?,
        })
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Stamp of every field `fields` does not list; `None`: the record's `(updated, device)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Stamp>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Stamp>,
    /// For each other device whose writes this version includes, its latest stamp.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<DeviceId, Hlc>,
    /// Fields this version does not carry: left out of the file it came in (不含身份证号和健康状况),
    /// so it knows nothing of them. Never an edit: a merge keeps the other version's value.
    /// Sorted, no repeats. A `Vec`, not a set: its serde code is in the first download already.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<String>,
    /// Who made each write this version still holds (记录人): `<stamp>=<name>`, the name its
    /// device's user gave; sorted, one per stamp. Merged with the stamps (a name goes with its
    /// write, whichever office's copy wins) and kept only for stamps still in use; absent in
    /// older files. Text pairs, not a map: their serde code is in the first download already.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
}

impl Clock {
    pub fn is_empty(&self) -> bool {
        self.base.is_none()
            && self.fields.is_empty()
            && self.seen.is_empty()
            && self.withheld.is_empty()
            && self.by.is_empty()
    }

    /// Who made the record (记录人): the name of its oldest write still held, its making (the
    /// tombstone keeps that stamp until the record is deleted); `None` where no name was given.
    pub fn recorder(&self) -> Option<&str> {
        self.names()
            .filter_map(|(stamp, name)| stamp.parse::<Stamp>().ok().map(|s| (s, name)))
            .min_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, name)| name)
    }

    /// Each named write: its stamp's text and the name.
    pub fn names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by.iter().filter_map(|e| e.split_once('='))
    }

    /// The name given to the write `stamp` (its text), if any.
    pub fn name_of(&self, stamp: &str) -> Option<&str> {
        self.names().find(|(s, _)| *s == stamp).map(|(_, n)| n)
    }

    /// Names `stamp`'s writer, replacing any name it had.
    pub fn set_name(&mut self, stamp: &str, name: &str) {
        self.by.retain(|e| e.split_once('=').is_none_or(|(s, _)| s != stamp));
        self.by.push(format!("{stamp}={name}"));
        self.by.sort();
    }

    /// The latest stamp it holds: its base, its fields' and what it has seen of other devices.
    pub fn latest(&self) -> Hlc {
        self.base
            .iter()
            .map(|s| s.hlc)
            .chain(self.fields.values().map(|s| s.hlc))
            .chain(self.seen.values().copied())
            .fold(Hlc::ZERO, Hlc::max)
    }
}
