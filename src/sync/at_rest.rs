//! Sealed records as read back, in their text (`storage::seal`): every member
//! `"sealed":"<token>"` of a stored object is replaced by the fields its token opens to, put
//! back in the object's `body` where it has one, else in the object itself. Done on the JSON
//! text a page of records is read as anyway, so opening ten thousand records costs their
//! decryption and one pass over the text, not ten thousand trips between wasm and JavaScript.

/// One object being read: where its members of interest are.
struct Obj {
    /// The pending member's key (its content's byte range), until its value is read.
    key: Option<(usize, usize)>,
    expect_key: bool,
    /// This object is its parent's `body`.
    is_body: bool,
    /// A stored object: the whole text, or an element of the array the text is. Only its
    /// `sealed` member is ours: an object inside a record may name a member anything.
    stored: bool,
    /// The `id` (else `key`) member's string content: what binds its token.
    aad: Option<(usize, usize)>,
    /// Where its `body` object closes.
    body_close: Option<usize>,
    /// The `"sealed":"…"` member (from its key's opening quote to after its value's closing
    /// quote) and the token's range.
    sealed: Option<(usize, usize, usize, usize)>,
}

enum Frame {
    Obj(Obj),
    Arr,
}

/// Where the string starting at `i` (its opening quote) ends: the index after its closing quote.
fn string_end(b: &[u8], mut i: usize) -> Result<usize, String> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err("记录的文字不完整".into())
}

/// A JSON string's content as text (escapes read where there are any).
fn content(text: &str, (a, z): (usize, usize)) -> Result<String, String> {
    let raw = &text[a..z];
    if raw.contains('\\') {
        serde_json::from_str(&text[a - 1..z + 1]).map_err(|e| e.to_string())
    } else {
        Ok(raw.to_owned())
    }
}

/// Every field a token may hold, each at its bit in a packed token's mask. Append only: a
/// field's place is part of what is stored.
pub const SEALED_FIELDS: [&str; 10] =
    ["id_number", "phone", "health", "parties", "outcome", "content", "response", "value", "fields", "opened"];

/// `name`'s bit in a packed token's mask.
pub fn field_bit(name: &str) -> Option<u32> {
    SEALED_FIELDS.iter().position(|f| *f == name).map(|i| 1 << i)
}

/// A token's plain text as readers take it: the JSON object of its fields. Tokens are written
/// packed, `[mask,value,…]`: the values of the fields whose bits are set, in the order of
/// [`SEALED_FIELDS`]. Their names would lengthen every person's token by ~36 characters of
/// base64, which the roster's read pays ten thousand times. Tokens written before hold the
/// object itself.
pub fn unpack(plain: &str) -> Result<std::borrow::Cow<'_, str>, String> {
    if plain.trim_start().starts_with('{') {
        return Ok(plain.into());
    }
    const DAMAGED: &str = "解开的加密字段格式不对";
    let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(plain).map_err(|_| DAMAGED)?;
    let (mask, values) = items.split_first().ok_or(DAMAGED)?;
    let mask: u32 = mask.get().parse().map_err(|_| DAMAGED)?;
    let names: Vec<&str> = SEALED_FIELDS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, f)| *f).collect();
    if mask >> SEALED_FIELDS.len() != 0 || names.len() != values.len() {
        return Err(DAMAGED.into());
    }
    let mut out = String::with_capacity(plain.len() + 12 * names.len());
    out.push('{');
    for (n, (name, value)) in names.iter().zip(values).enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push_str("\":");
        out.push_str(value.get());
    }
    out.push('}');
    Ok(out.into())
}

/// `text` (a stored object's JSON, or an array of them) with every sealed member opened by
/// `open(aad, token)`, which gives the sealed fields as a JSON object's text. `None`: nothing
/// in it is sealed.
pub fn open_text(text: &str, open: &mut dyn FnMut(&str, &str) -> Result<String, String>) -> Result<Option<String>, String> {
    if !text.contains("\"sealed\":\"") {
        return Ok(None);
    }
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // (start, end, replacement), in the order found; sorted before the text is rebuilt.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = string_end(b, i)?;
                if let Some(Frame::Obj(o)) = stack.last_mut() {
                    if o.expect_key {
                        o.key = Some((i + 1, end - 1));
                        o.expect_key = false;
                    } else if let Some(k) = o.key.take() {
                        match &text[k.0..k.1] {
                            "id" => o.aad = Some((i + 1, end - 1)),
                            "key" if o.aad.is_none() => o.aad = Some((i + 1, end - 1)),
                            "sealed" if o.stored => o.sealed = Some((k.0 - 1, end, i + 1, end - 1)),
                            _ => {}
                        }
                    }
                }
                i = end;
                continue;
            }
            b'{' => {
                let stored = matches!(stack.as_slice(), [] | [Frame::Arr]);
                let is_body = match stack.last_mut() {
                    Some(Frame::Obj(o)) => o.key.take().is_some_and(|k| &text[k.0..k.1] == "body"),
                    _ => false,
                };
                stack.push(Frame::Obj(Obj {
                    key: None,
                    expect_key: true,
                    is_body,
                    stored,
                    aad: None,
                    body_close: None,
                    sealed: None,
                }));
            }
            b'[' => {
                if let Some(Frame::Obj(o)) = stack.last_mut() {
                    o.key = None;
                }
                stack.push(Frame::Arr);
            }
            b'}' => {
                let Some(Frame::Obj(o)) = stack.pop() else { return Err("记录的文字括号不配对".into()) };
                if o.is_body {
                    if let Some(Frame::Obj(parent)) = stack.last_mut() {
                        parent.body_close = Some(i);
                    }
                }
                if let Some((start, end, t0, t1)) = o.sealed {
                    let aad = o.aad.map(|r| content(text, r)).transpose()?.unwrap_or_default();
                    let plain = open(&aad, &text[t0..t1])?;
                    let inner = plain.trim().strip_prefix('{').and_then(|p| p.strip_suffix('}')).ok_or("解开的字段不是 JSON 对象")?;
                    match o.body_close {
                        Some(close) => {
                            // The member goes with one comma; the fields go at the body's end.
                            let (s, e) = if b[start - 1] == b',' {
                                (start - 1, end)
                            } else if b.get(end) == Some(&b',') {
                                (start, end + 1)
                            } else {
                                (start, end)
                            };
                            edits.push((s, e, String::new()));
                            if !inner.is_empty() {
                                let comma = if b[close - 1] == b'{' { "" } else { "," };
                                edits.push((close, close, format!("{comma}{inner}")));
                            }
                        }
                        None => edits.push((start, end, inner.to_owned())),
                    }
                }
            }
            b']' if !matches!(stack.pop(), Some(Frame::Arr)) => return Err("记录的文字括号不配对".into()),
            b',' => {
                if let Some(Frame::Obj(o)) = stack.last_mut() {
                    o.expect_key = true;
                    o.key = None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = String::with_capacity(text.len() + edits.iter().map(|e| e.2.len()).sum::<usize>());
    let mut at = 0;
    for (s, e, with) in edits {
        if s < at {
            return Err("记录的加密字段位置重叠".into());
        }
        out.push_str(&text[at..s]);
        out.push_str(&with);
        at = e;
    }
    out.push_str(&text[at..]);
    Ok(Some(out))
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use proptest::prelude::*;
    use serde_json::{json, Map, Value};

    use super::*;

    /// A stand-in cipher: the token is the fields' text in hex, prefixed by what binds it.
    fn seal(aad: &str, plain: &str) -> String {
        format!("{}.{}", aad.len(), plain.bytes().map(|b| format!("{b:02x}")).collect::<String>())
    }

    fn unseal(aad: &str, token: &str) -> Result<String, String> {
        let (n, hex) = token.split_once('.').ok_or("token")?;
        if n != aad.len().to_string() {
            return Err(format!("bound to another record: {aad}"));
        }
        let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        Ok(String::from_utf8(bytes).unwrap())
    }

    /// Moves `fields` of `o` (of its body, if it has one) into a sealed member, as storage does.
    fn sealed(mut o: Value, fields: &[&str]) -> Value {
        let aad = o.get("id").or_else(|| o.get("key")).and_then(Value::as_str).unwrap_or_default().to_owned();
        let target = if o.get("body").is_some_and(Value::is_object) { o.get_mut("body").unwrap() } else { &mut o };
        let mut plain = Map::new();
        for f in fields {
            if let Some(v) = target.as_object_mut().unwrap().remove(*f) {
                plain.insert((*f).into(), v);
            }
        }
        if !plain.is_empty() {
            let token = seal(&aad, &pack(&plain));
            o.as_object_mut().unwrap().insert("sealed".into(), json!(token));
        }
        o
    }

    /// Fields packed as storage packs them: `[mask,value,…]`.
    fn pack(fields: &Map<String, Value>) -> String {
        let mask: u32 = fields.keys().map(|k| field_bit(k).unwrap()).sum();
        let values = SEALED_FIELDS.iter().filter_map(|f| fields.get(*f).cloned());
        Value::from(std::iter::once(Value::from(mask)).chain(values).collect::<Vec<_>>()).to_string()
    }

    /// Opens as storage does: the cipher's text, unpacked.
    fn open_all(text: &str) -> Result<String, String> {
        let mut open = |a: &str, t: &str| Ok(unpack(&unseal(a, t)?)?.into_owned());
        Ok(open_text(text, &mut open)?.unwrap_or_else(|| text.to_owned()))
    }

    #[test]
    fn packed_tokens_unpack_to_their_fields_and_older_ones_read_as_they_are() {
        let packed = r#"[5,"110101195001011234","高血压 \"轻\""]"#;
        let object: Value = serde_json::from_str(&unpack(packed).unwrap()).unwrap();
        assert_eq!(object, json!({"id_number": "110101195001011234", "health": "高血压 \"轻\""}));
        let fields = r#"[256,{"name":"李","roles":["a"]}]"#;
        assert_eq!(unpack(fields).unwrap(), r#"{"fields":{"name":"李","roles":["a"]}}"#);
        let older = r#"{"phone":"139","health":""}"#;
        assert!(matches!(unpack(older), Ok(std::borrow::Cow::Borrowed(t)) if t == older));
        // Damaged: values and bits disagree, a bit past the table, not a list, no mask.
        for bad in [r#"[3,"1"]"#, r#"[1,"1","2"]"#, r#"[1024]"#, r#"["1"]"#, r#"[]"#, "7", r#"[1,"1""#, ""] {
            assert_eq!(unpack(bad).unwrap_err(), "解开的加密字段格式不对", "{bad}");
        }
        // A person's fields: a third shorter packed than with their names.
        let person: Map<String, Value> = serde_json::from_value(json!({"id_number": "110101195001011234", "phone": "13912345678", "health": "高血压"})).unwrap();
        assert!(pack(&person).len() * 3 < Value::Object(person).to_string().len() * 2);
    }

    #[test]
    fn a_token_written_before_packing_still_opens() {
        let person = json!({"id": "p-1", "body": {"name": "王", "phone": "139"}});
        let token = seal("p-1", r#"{"phone":"139"}"#);
        let stored = json!({"id": "p-1", "body": {"name": "王"}, "sealed": token});
        assert_eq!(serde_json::from_str::<Value>(&open_all(&stored.to_string()).unwrap()).unwrap(), person);
    }

    #[test]
    fn records_drafts_and_conflicts_open_in_place() {
        let person = json!({"id": "p-1", "created": "1", "body": {"name": "王\"建\"国", "phone": "139", "id_number": "52", "note": {"id": "x", "k": [1, {"sealed": 2}]}}, "seq": 5});
        let draft = json!({"key": "person:new", "fields": {"name": "李", "phone": "138"}, "title": "人员：李"});
        let conflict = json!({"key": "c/phone/1", "field": "phone", "value": "137"});
        let all = json!([person, draft, conflict]);
        let stored = json!([
            sealed(person.clone(), &["id_number", "phone"]),
            sealed(draft.clone(), &["fields"]),
            sealed(conflict.clone(), &["value"]),
        ]);
        let text = stored.to_string();
        assert!(!text.contains("139") && !text.contains("138") && !text.contains("137"));
        let opened: Value = serde_json::from_str(&open_all(&text).unwrap()).unwrap();
        assert_eq!(opened, all);
        // One object alone, too; and nothing sealed reads as it is.
        let one = sealed(person.clone(), &["phone"]).to_string();
        assert_eq!(serde_json::from_str::<Value>(&open_all(&one).unwrap()).unwrap(), person);
        assert_eq!(open_text(&person.to_string(), &mut |a, t| unseal(a, t)).unwrap(), None);
        // A token moved to another record does not open there.
        let mut moved = sealed(person.clone(), &["phone"]);
        moved["id"] = json!("p-22");
        assert!(open_all(&moved.to_string()).is_err());
    }

    fn text_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            "[a-z王\"\\\\{}\\[\\]:,]{0,8}".prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ]
    }

    fn nested() -> impl Strategy<Value = Value> {
        text_value().prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("[a-z_]{1,6}|sealed|id|body", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any of the sealed fields, holding anything, unpack to what was packed.
        #[test]
        fn packed_fields_unpack_to_the_same_object(
            fields in proptest::collection::btree_map(proptest::sample::select(SEALED_FIELDS.to_vec()), nested(), 0..10),
        ) {
            let fields: Map<String, Value> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            let object: Value = serde_json::from_str(&unpack(&pack(&fields)).unwrap()).unwrap();
            prop_assert_eq!(object, Value::Object(fields));
        }

        /// Whatever the records hold (quotes, braces, nested objects, keys named like ours),
        /// sealing then opening the text gives them back.
        #[test]
        fn sealed_text_opens_to_the_records(
            bodies in proptest::collection::vec(proptest::collection::btree_map("[a-z]{1,5}|phone|health|id_number", nested(), 1..6), 1..5),
            ids in proptest::collection::vec("[a-f0-9-]{1,12}", 5),
        ) {
            let records: Vec<Value> = bodies
                .into_iter()
                .zip(&ids)
                .map(|(b, id)| json!({"id": id, "body": Value::Object(b.into_iter().filter(|(k, _)| k != "sealed").collect()), "deleted": false}))
                .collect();
            let stored: Vec<Value> = records.iter().map(|r| sealed(r.clone(), &["phone", "health", "id_number"])).collect();
            let text = Value::from(stored).to_string();
            let opened: Value = serde_json::from_str(&open_all(&text).unwrap()).unwrap();
            prop_assert_eq!(opened, Value::from(records));
        }
    }
}
