//! The editable list of townships/streets (乡镇/街道) and their villages/communities (村/社区).

use serde::{Deserialize, Serialize};

use super::FieldErrors;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub township: String,
    #[serde(default)]
    pub villages: Vec<String>,
}

/// The place form as typed: the township, and its villages as one text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaceForm {
    pub township: String,
    pub villages: String,
}

impl PlaceForm {
    pub fn from_place(p: &Place) -> PlaceForm {
        PlaceForm { township: p.township.clone(), villages: p.villages.join("\n") }
    }

    pub fn validate(&self) -> Result<Place, FieldErrors> {
        Place::from_form(&self.township, &self.villages)
    }
}

impl Place {
    /// From a township name and its villages typed one a line (or separated by 、，,).
    pub fn from_form(township: &str, villages: &str) -> Result<Place, FieldErrors> {
        let township = township.trim().to_owned();
        let mut errs = FieldErrors::default();
        if township.is_empty() {
            errs.push("township", "乡镇（街道）", "请填写乡镇或街道名称");
        }
        let mut list: Vec<String> = villages
            .split(['\n', '、', '，', ',', ';', '；'])
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        let mut seen = std::collections::HashSet::new();
        list.retain(|v| seen.insert(v.clone()));
        if errs.is_empty() {
            Ok(Place { township, villages: list })
        } else {
            Err(errs)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    #[test]
    fn villages_split_on_lines_and_chinese_commas_without_repeats() {
        let p = Place::from_form(" 城关镇 ", "文腾社区、双堰村\n双堰村，\n 金凤村 ").unwrap();
        assert_eq!(p.township, "城关镇");
        assert_eq!(p.villages, ["文腾社区", "双堰村", "金凤村"]);
        assert!(Place::from_form("", "x").is_err());
    }
}
