//! What a form holds before it is saved: kept on this device only, never exported, so a
//! volunteer who leaves a form (a tap on another tab, a reload, the phone closing the
//! browser) finds it as it was.
//!
//! A draft is the form's own fields as JSON, under a key made of the form and the record (or
//! `new`), with where to come back to and a title for the list of open drafts.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How long an untouched draft is kept. Long enough for a form left over a holiday; the log
/// page lists open drafts, so none is forgotten in the meantime.
pub const KEEP_DAYS: i64 = 60;
const DAY_MS: i64 = 86_400_000;

/// The key of a form's draft: `person/new`, `activity/<id>`, `duty/2026-12-05`.
pub fn key(form: &str, part: Option<&str>) -> String {
    format!("{form}/{}", part.unwrap_or("new"))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// [`key`]: one draft per form and record.
    pub key: String,
    /// Where the form is: the page to open to carry on.
    pub path: String,
    /// "人员：王明", shown in the list of drafts.
    pub title: String,
    /// When it was last written, milliseconds since 1970 by this device's clock.
    pub saved_ms: i64,
    /// The edited record's `updated` stamp when the form was opened, if it edits one: a
    /// restored draft says so when the record has changed since.
    #[serde(default)]
    pub base: Option<String>,
    /// The form's fields as the form serialises them.
    pub fields: Value,
    /// The fields as the form opened, so a restore over a record changed since takes only
    /// what was typed ([`rebase`]).
    #[serde(default)]
    pub opened: Value,
}

impl Draft {
    /// Expired drafts are dropped when drafts are read. A draft stamped in the future (the
    /// phone's date was wrong, then put right) is kept: losing typing is worse than keeping it.
    pub fn expired(&self, now_ms: i64) -> bool {
        now_ms.saturating_sub(self.saved_ms) > KEEP_DAYS * DAY_MS
    }
}

/// "人员：王明", or just the form's label while the name is empty. Long names are cut, so
/// the list of drafts stays one line each.
pub fn title(label: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return label.to_owned();
    }
    let mut short: String = name.chars().take(20).collect();
    if name.chars().count() > 20 {
        short.push('…');
    }
    format!("{label}：{short}")
}

/// What a restored draft puts on a form that opens as `now`: the fields typed (those that
/// differ from how the form `opened` when the draft began) over `now`, so a field changed
/// elsewhere since, and not touched here, keeps its newer value. Forms whose fields are not
/// an object (or a draft from before `opened` was kept) take the draft whole.
pub fn rebase(now: &Value, opened: &Value, typed: &Value) -> Value {
    let (Value::Object(now), Value::Object(opened), Value::Object(typed)) = (now, opened, typed) else {
        return typed.clone();
    };
    let mut out = now.clone();
    for (field, value) in typed {
        if opened.get(field) != Some(value) {
            out.insert(field.clone(), value.clone());
        }
    }
    Value::Object(out)
}

/// Splits stored drafts into the ones to offer, newest first, and the keys of expired ones
/// to delete.
pub fn sort_live(drafts: Vec<Draft>, now_ms: i64) -> (Vec<Draft>, Vec<String>) {
    let (mut live, expired): (Vec<Draft>, Vec<Draft>) = drafts.into_iter().partition(|d| !d.expired(now_ms));
    live.sort_by(|a, b| b.saved_ms.cmp(&a.saved_ms).then_with(|| a.key.cmp(&b.key)));
    (live, expired.into_iter().map(|d| d.key).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(key: &str, saved_ms: i64) -> Draft {
        Draft {
            key: key.into(),
            path: "/people/new".into(),
            title: "人员".into(),
            saved_ms,
            base: None,
            fields: Value::Null,
            opened: Value::Null,
        }
    }

    #[test]
    fn keys_name_the_form_and_the_record() {
        assert_eq!(key("person", None), "person/new");
        assert_eq!(
            key("activity", Some("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b")),
            "activity/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"
        );
        assert_eq!(key("duty", Some("2026-12-05")), "duty/2026-12-05");
        assert_ne!(key("case", None), key("feedback", None));
    }

    #[test]
    fn drafts_expire_after_the_keeping_time_but_not_from_the_future() {
        let now = 1_800_000_000_000;
        assert!(!draft("a", now).expired(now));
        assert!(!draft("a", now - KEEP_DAYS * DAY_MS).expired(now));
        assert!(draft("a", now - KEEP_DAYS * DAY_MS - 1).expired(now));
        // Typed while the phone thought it was next year: kept.
        assert!(!draft("a", now + 365 * DAY_MS).expired(now));
        assert!(!draft("a", i64::MIN).expired(i64::MIN));
        assert!(draft("a", i64::MIN).expired(now));
    }

    #[test]
    fn live_drafts_come_newest_first_and_expired_ones_are_named_for_deletion() {
        let now = 1_800_000_000_000;
        let (live, gone) = sort_live(
            vec![draft("old", now - 100 * DAY_MS), draft("b", now - 5), draft("a", now - 5), draft("new", now)],
            now,
        );
        let keys: Vec<&str> = live.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["new", "a", "b"]);
        assert_eq!(gone, ["old"]);
    }

    #[test]
    fn a_restore_takes_only_what_was_typed_over_a_newer_record() {
        use serde_json::json;
        let opened = json!({ "name": "李秀兰", "village": "东关村", "health": "" });
        let typed = json!({ "name": "李秀兰", "village": "东关村", "health": "已做白内障手术" });
        // Another office moved her to 西关村 since.
        let now = json!({ "name": "李秀兰", "village": "西关村", "health": "" });
        assert_eq!(
            rebase(&now, &opened, &typed),
            json!({ "name": "李秀兰", "village": "西关村", "health": "已做白内障手术" })
        );
        // Typed over the same field: what was typed wins, as saving would.
        let now = json!({ "name": "李秀兰", "village": "西关村", "health": "良好" });
        assert_eq!(rebase(&now, &opened, &typed)["health"], "已做白内障手术");
        // An older draft without `opened` is taken whole.
        assert_eq!(rebase(&now, &Value::Null, &typed), typed);
    }

    #[test]
    fn titles_are_short_and_never_empty() {
        assert_eq!(title("人员", "  王明 "), "人员：王明");
        assert_eq!(title("人员", ""), "人员");
        let long = "很".repeat(30);
        assert_eq!(title("活动", &long), format!("活动：{}…", "很".repeat(20)));
    }
}
