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

/// Every string in a body: not too long, and nothing invisible. Names the field.
fn check_text(value: &Value, field: &str) -> Result<(), String> {
    match value {
        Value::String(s) => {
            if s.chars().count() > MAX_TEXT_CHARS {
                Err(format!("字段 {field}：内容过长（{} 字，最多 {MAX_TEXT_CHARS} 字）", s.chars().count()))
            } else if s.chars().any(hidden_char) {
                Err(format!("字段 {field}：含有不可见的控制字符"))
            } else {
                Ok(())
            }
        }
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
    /// Reads the line as this kind's typed record, with the limits the forms keep: the same
    /// checks for a file's line, for a merged record before it is written, and for stored data.
    pub fn check(self, raw: &str) -> Result<(), String> {
        use crate::domain::activity::{MAX_COUNT, MAX_TENTH_HOURS};
        use crate::domain::money::MAX_FEN;
        use crate::domain::{Activity, Benefit, Feedback, MediationCase, Org, Person, Place};
        fn typed<T: serde::de::DeserializeOwned>(raw: &str) -> Result<Record<T>, String> {
            serde_json::from_str::<Record<T>>(raw).map_err(|e| explain(&e, raw))
        }
        let doc: Record<Value> = typed(raw)?;
        check_text(&doc.body, "")?;
        let required = match self {
            SyncKind::Person | SyncKind::Org | SyncKind::Room => Some("name"),
            SyncKind::Activity => Some("theme"),
            SyncKind::Case => Some("parties"),
            SyncKind::Feedback => Some("content"),
            SyncKind::Place => Some("township"),
            SyncKind::Benefit | SyncKind::Duty | SyncKind::Photo => None,
        };
        if let (Some(field), false) = (required, doc.deleted) {
            required_text(&doc.body, field)?;
        }
        if doc.created > doc.updated {
            return Err("字段 created：创建时间晚于修改时间".into());
        }
        match self {
            SyncKind::Person => typed::<Person>(raw).map(drop),
            SyncKind::Org => typed::<Org>(raw).map(drop),
            SyncKind::Place => typed::<Place>(raw).map(drop),
            SyncKind::Activity => {
                let a = typed::<Activity>(raw)?.body;
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
                let p = typed::<crate::domain::Photo>(raw)?.body;
                if p.crc32.len() != 8 || !p.crc32.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                    Err("字段 crc32：应为 8 位十六进制数".into())
                } else if p.width == 0 || p.height == 0 {
                    Err("字段 width/height：照片尺寸不能为 0".into())
                } else {
                    Ok(())
                }
            }
            SyncKind::Benefit => match typed::<Benefit>(raw)?.body.amount.0 {
                fen if fen < 0 => Err("字段 amount：金额不能为负数".into()),
                fen if fen > MAX_FEN => Err("字段 amount：金额过大".into()),
                _ => Ok(()),
            },
        }
    }
}
