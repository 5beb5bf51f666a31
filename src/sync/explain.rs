//! serde_json's errors in Chinese, naming the field: for a file's lines (`format`), the rule
//! book (`rules`) and stored records that do not read (`storage::unreadable`). Apart from both
//! so that neither imports the other for it.

/// serde_json's messages are English and positional; say in Chinese which field was wrong.
pub(crate) fn explain(e: &serde_json::Error, line: &str) -> String {
    explain_message(&e.to_string(), e.column(), line)
}

/// [`explain`] from a serde_json message and column kept for later (`storage::unreadable`).
pub fn explain_message(msg: &str, column: usize, line: &str) -> String {
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    let field =
        line.get(..column.saturating_sub(1).min(line.len())).and_then(|head| head.rfind("\":")).and_then(|end| {
            let head = &line[..end];
            head.rfind('"').map(|start| head[start + 1..].to_owned())
        });
    let what = if let Some(f) = msg.strip_prefix("missing field ") {
        return format!("缺少字段 {}", f.trim_matches('`'));
    } else if let Some(v) = msg.strip_prefix("unknown variant ") {
        format!("未知的取值 {}", v.split(',').next().unwrap_or(v).trim_matches('`'))
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        "类型或取值不对".to_owned()
    } else if msg.is_ascii() {
        "不是有效的 JSON".to_owned()
    } else {
        msg.to_owned()
    };
    match field {
        Some(f) => format!("字段 {f}：{what}"),
        None => what,
    }
}
