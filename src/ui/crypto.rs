//! Passphrase protection of export files through the browser's WebCrypto (PBKDF2-SHA256 and
//! AES-256-GCM: native code, ~30x faster than AES compiled to wasm, and nothing to download).
//! The file envelope is `sync::sealed`; the device lock (`ui/lock`) uses the same calls.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::storage::web;
use crate::sync::sealed::{self, SealError};

fn subtle() -> Result<SubtleCrypto, String> {
    let crypto = web_sys::window().ok_or("没有浏览器窗口")?.crypto().map_err(|_| "浏览器不支持加密")?;
    Ok(crypto.subtle())
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn bytes(data: &[u8]) -> JsValue {
    Uint8Array::from(data).into()
}

async fn wait(p: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p?).await
}

/// The AES key for `passphrase` and `salt`: deliberately slow (about a second on a phone).
pub(crate) async fn key(passphrase: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey, String> {
    let s = subtle()?;
    let fail = |_| "浏览器无法生成密钥".to_owned();
    let raw = Uint8Array::from(passphrase.as_bytes());
    let usages = Array::of1(&"deriveKey".into());
    let base = wait(s.import_key_with_str("raw", &raw, "PBKDF2", false, &usages)).await.map_err(fail)?;
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("salt", bytes(salt)),
        ("iterations", iterations.into()),
        ("hash", "SHA-256".into()),
    ]);
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let derived = wait(s.derive_key_with_object_and_object(&params, base.unchecked_ref(), &aes, false, &usages)).await;
    Ok(derived.map_err(fail)?.unchecked_into())
}

fn gcm(iv: &[u8], aad: &[u8]) -> Object {
    object(&[("name", "AES-GCM".into()), ("iv", bytes(iv)), ("additionalData", bytes(aad))])
}

/// AES-GCM encryption of `data`, with `aad` bound to it.
pub(crate) async fn encrypt(k: &CryptoKey, iv: &[u8], aad: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
    let out = wait(subtle()?.encrypt_with_object_and_u8_array(&gcm(iv, aad), k, data)).await;
    Ok(Uint8Array::new(&out.map_err(|_| "加密失败".to_owned())?).to_vec())
}

/// AES-GCM decryption; `None` when the key is wrong or a byte changed (the tag fails).
pub(crate) async fn decrypt(k: &CryptoKey, iv: &[u8], aad: &[u8], data: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let out = wait(subtle()?.decrypt_with_object_and_u8_array(&gcm(iv, aad), k, data)).await;
    Ok(out.ok().map(|plain| Uint8Array::new(&plain).to_vec()))
}

/// Encrypts a whole export file under `passphrase`.
pub async fn seal(plain: &str, passphrase: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&web::random16()?);
    let iv: [u8; 12] = web::random16()?[..12].try_into().map_err(|_| "随机数不足")?;
    let line = sealed::header_line(&sealed::header(&salt, &iv));
    let k = key(passphrase, &salt, sealed::ITERATIONS).await?;
    let out = encrypt(&k, &iv, line.as_bytes(), plain.as_bytes()).await?;
    Ok(sealed::write(&line, &out))
}

/// Decrypts an encrypted export; a wrong passphrase or a changed byte is refused.
pub async fn unseal(text: &str, passphrase: &str) -> Result<String, String> {
    let o = sealed::open(text).map_err(|e| e.to_string())?;
    let k = key(passphrase, &o.salt, o.header.iterations).await?;
    let plain = decrypt(&k, &o.iv, o.line.as_bytes(), &o.ciphertext).await?.ok_or_else(|| SealError::Refused.to_string())?;
    String::from_utf8(plain).map_err(|_| SealError::BadBody.to_string())
}
