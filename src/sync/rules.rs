//! The rule book every record keeps, whether it comes from a form, a file or a merge: its
//! kind's type, the forms' limits, text length and characters. `format::parse` checks each
//! line with it, `plan` each merged record, exports each stored one (docs/file-format.md).

use serde_json::Value;

use super::explain::explain;
use super::SyncKind;
use crate::domain::Record;

/// The longest record line a file may hold (a JPEG line is not a record line): a record with
/// every text field at [`MAX_TEXT_CHARS`] stays far below it.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The longest text any field may hold; forms allow far less (a name: 40 characters).
pub const MAX_TEXT_CHARS: usize = 20_000;

use crate::domain::validate::hidden_char;

/// Whether a text is too long or holds a hidden character: the rule [`check_text`] and the
/// quick reading's walk both ask (`check_text` then says which, for its message). Most texts
/// are decided by their bytes alone: no more bytes than the limit allows characters, and no
/// byte that a hidden character's UTF-8 has (below 0x20, 0x7F, or the lead bytes 0xC2 of
/// U+0080–U+009F and 0xE2 of U+202A–U+2069); checking every character of a 100,000-record
/// file twice was a tenth of its parsing.
fn text_refused(s: &str) -> bool {
    let long = s.len() > MAX_TEXT_CHARS && s.chars().count() > MAX_TEXT_CHARS;
    let may_hide = s.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2);
    long || (may_hide && s.chars().any(hidden_char))
}

/// Every string in a body: not too long, and nothing invisible. Names the field.
fn check_text(value: &Value, field: &str) -> Result<(), String> {
    match value {
        Value::String(s) if !text_refused(s) => Ok(()),
        Value::String(s) => match s.chars().count() {
            n if n > MAX_TEXT_CHARS => Err(format!("字段 {field}：内容过长（{n} 字，最多 {MAX_TEXT_CHARS} 字）")),
            _ => Err(format!("字段 {field}：含有不可见的控制字符")),
        },
        Value::Array(items) => items.iter().try_for_each(|v| check_text(v, field)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| check_text(v, if field.is_empty() { k } else { field })),
        _ => Ok(()),
    }
}

/// The text a form will not save empty (its `REQUIRED` mark): a file's record may not be
/// empty there either, or it would be a nameless row nobody can find or fix.
fn required_text(body: &Value, field: &str) -> Result<(), String> {
    match body.get(field).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => Ok(()),
        _ => Err(format!("字段 {field}：不能为空（表格中为必填）")),
    }
}

impl SyncKind {
    /// The text a record of this kind may not leave empty.
    fn required(self) -> Option<&'static str> {
        match self {
            SyncKind::Person | SyncKind::Org | SyncKind::Room => Some("name"),
            SyncKind::Activity => Some("theme"),
            SyncKind::Case => Some("parties"),
            SyncKind::Feedback => Some("content"),
            SyncKind::Place => Some("township"),
            SyncKind::Benefit | SyncKind::Duty | SyncKind::Photo => None,
        }
    }

    /// Reads the line as this kind's typed record, with the limits the forms keep: the same
    /// checks for a file's line, for a merged record before it is written, and for stored data.
    pub fn check(self, raw: &str) -> Result<(), String> {
        let doc: Record<Value> = serde_json::from_str(raw).map_err(|e| explain(&e, raw))?;
        check_text(&doc.body, "")?;
        if let (Some(field), false) = (self.required(), doc.deleted) {
            required_text(&doc.body, field)?;
        }
        if doc.created > doc.updated {
            return Err("字段 created：创建时间晚于修改时间".into());
        }
        // The body read as its kind, from its own text: one reading of each kind's type serves
        // this and a file's quick reading (a second, of whole records, was 8 KB of download).
        let whole: Record<Box<serde_json::value::RawValue>> =
            serde_json::from_str(raw).map_err(|e| explain(&e, raw))?;
        self.check_typed(whole.body.get())
    }

    /// [`SyncKind::check`] without a JSON tree, for a file's lines: `body` is the line's body
    /// text, `backwards` says created is after updated. `None` where `check` would refuse
    /// (it then says why); else whether the body is canonical (keys sorted at every level,
    /// no field `null`), as a merge would leave it.
    pub(super) fn check_quick(self, body: &str, deleted: bool, backwards: bool) -> Option<bool> {
        let mut scan = Scan { required: self.required().filter(|_| !deleted), ..Scan::default() };
        let mut de = serde_json::Deserializer::from_str(body);
        serde::de::DeserializeSeed::deserialize(Walk { scan: &mut scan, level: 0, required: false }, &mut de).ok()?;
        de.end().ok()?;
        let found = scan.required.is_none() || scan.required_found;
        if scan.refused || !found || backwards {
            return None;
        }
        self.check_typed(body).ok().map(|()| scan.canonical)
    }

    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(super) fn check_quick_body(self, body: &str) -> bool {
        let mut scan = Scan { required: self.required(), ..Scan::default() };
        let mut de = serde_json::Deserializer::from_str(body);
        serde::de::DeserializeSeed::deserialize(Walk { scan: &mut scan, level: 0, required: false }, &mut de).is_ok()
    }

    /// The rules of the kind's typed record, read from its body's text.
    fn check_typed(self, raw: &str) -> Result<(), String> {
        use crate::domain::activity::{MAX_COUNT, MAX_TENTH_HOURS};
        use crate::domain::money::MAX_FEN;
        use crate::domain::{Activity, Benefit, Feedback, MediationCase, Org, Person, Place};
        fn typed<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T, String> {
            serde_json::from_str::<T>(raw).map_err(|e| explain(&e, raw))
        }
        match self {
            SyncKind::Person => typed::<Person>(raw).map(drop),
            SyncKind::Org => typed::<Org>(raw).map(drop),
            SyncKind::Place => typed::<Place>(raw).map(drop),
            SyncKind::Activity => {
                let a = typed::<Activity>(raw)?;
                let counts = [
                    ("sessions", a.sessions),
                    ("audience", a.audience),
                    ("beneficiaries", a.beneficiaries),
                    ("leaflets", a.leaflets),
                    ("slogans", a.slogans),
                    ("trainees", a.trainees),
                ];
                if let Some((field, _)) = counts.iter().find(|(_, n)| *n > MAX_COUNT) {
                    Err(format!("字段 {field}：数字过大（最多 {MAX_COUNT}）"))
                } else if a.participants.iter().any(|p| p.tenth_hours > MAX_TENTH_HOURS) {
                    Err(format!("字段 participants：服务时长过长（最多 {} 小时）", MAX_TENTH_HOURS / 10))
                } else {
                    Ok(())
                }
            }
            SyncKind::Case => typed::<MediationCase>(raw).map(drop),
            SyncKind::Feedback => typed::<Feedback>(raw).map(drop),
            SyncKind::Room => typed::<crate::domain::station::Room>(raw).map(drop),
            SyncKind::Duty => typed::<crate::domain::station::Duty>(raw).map(drop),
            SyncKind::Photo => {
                let p = typed::<crate::domain::Photo>(raw)?;
                if p.crc32.len() != 8 || !p.crc32.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                    Err("字段 crc32：应为 8 位十六进制数".into())
                } else if p.width == 0 || p.height == 0 {
                    Err("字段 width/height：照片尺寸不能为 0".into())
                } else {
                    Ok(())
                }
            }
            SyncKind::Benefit => match typed::<Benefit>(raw)?.amount.0 {
                fen if fen < 0 => Err("字段 amount：金额不能为负数".into()),
                fen if fen > MAX_FEN => Err("字段 amount：金额过大".into()),
                _ => Ok(()),
            },
        }
    }
}

/// What a walk over a body found: a text over the limits or with hidden characters, the
/// required text, and whether the body is canonical.
struct Scan {
    refused: bool,
    required: Option<&'static str>,
    required_found: bool,
    canonical: bool,
}

impl Default for Scan {
    fn default() -> Scan {
        Scan { refused: false, required: None, required_found: false, canonical: true }
    }
}

/// One value of a body, at `level` (0: the body, 1: its fields); `required`: this is the
/// required field's value.
struct Walk<'s> {
    scan: &'s mut Scan,
    level: u8,
    required: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        if text_refused(s) {
            self.scan.refused = true;
        }
        if self.required && !s.trim().is_empty() {
            self.scan.required_found = true;
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        if self.level == 1 {
            self.scan.canonical = false;
        }
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let level = self.level.saturating_add(1).max(2);
        while items.next_element_seed(Walk { scan: &mut *self.scan, level, required: false })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut last: Option<Key<'de>> = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if last.as_ref().is_some_and(|l| l.0 >= key.0) {
                self.scan.canonical = false;
            }
            let required = self.level == 0 && self.scan.required == Some(key.0.as_ref());
            map.next_value_seed(Walk { scan: &mut *self.scan, level: self.level.saturating_add(1), required })?;
            last = Some(key);
        }
        Ok(())
    }
}

/// A body's key, borrowed from the line where it has no escapes (a `String` each was most of
/// a walk's cost).
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(Visit)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use proptest::prelude::*;

    use super::{hidden_char, text_refused, MAX_TEXT_CHARS};

    proptest! {
        /// The bytes' shortcut refuses exactly what counting and checking every character does.
        #[test]
        fn text_refused_is_the_character_check(
            pieces in proptest::collection::vec(prop_oneof![
                "[a-z王建国 ，。—“”]{0,8}",
                Just("\n\t".to_string()),
                Just("\u{0}\u{1f}\u{7f}\u{80}\u{9f}\u{a0}".to_string()),
                Just("\u{202a}\u{202e}\u{2029}\u{202f}\u{2066}\u{2069}\u{206a}".to_string()),
                Just("长".repeat(MAX_TEXT_CHARS / 2)),
                Just("a".repeat(MAX_TEXT_CHARS / 2)),
                "\\PC{0,4}",
                any::<char>().prop_map(String::from),
            ], 0..6),
        ) {
            let s: String = pieces.concat();
            let expected = s.chars().count() > MAX_TEXT_CHARS || s.chars().any(hidden_char);
            prop_assert_eq!(text_refused(&s), expected);
        }
    }
}
