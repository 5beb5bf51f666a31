//! The lock's keys in WebCrypto: a random 256-bit data key, wrapped (AES-256-GCM) under a key
//! derived (PBKDF2-SHA256) from the PIN and, apart, from the recovery code. Nothing stored
//! checks a guess by itself: only a right secret opens the wrapped key (the GCM tag), so a
//! copied profile gives an attacker no shortcut past the rounds.

use std::cell::Cell;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};

use crate::domain::lock::{self, LockRow, Secret, Wrapped};
use crate::storage::seal::Sealer;
use crate::storage::web;
use crate::sync::sealed::{base64, unbase64};
use crate::ui::crypto;

/// Bound to every wrapped key: a key wrapped for anything else does not open here.
const AAD: &[u8] = b"sangyu-lock-v1";

/// The data key, held while the app is open; zeroed when it locks.
pub struct DataKey(pub(super) Vec<u8>);

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.iter_mut().for_each(|b| *b = 0);
    }
}

async fn wrap(secret: &str, key: &DataKey, iterations: u32) -> Result<Wrapped, String> {
    let salt = web::random16()?;
    let iv = &web::random16()?[..12];
    let k = crypto::key(secret, &salt, iterations).await?;
    let sealed = crypto::encrypt(&k, iv, AAD, &key.0).await?;
    Ok(Wrapped { salt: base64(&salt), iv: base64(iv), key: base64(&sealed) })
}

async fn unwrap(secret: &str, w: &Wrapped, iterations: u32) -> Result<Option<DataKey>, String> {
    let broken = || "本机密码的记录已损坏".to_owned();
    let salt = unbase64(&w.salt).ok_or_else(broken)?;
    let iv = unbase64(&w.iv).ok_or_else(broken)?;
    let sealed = unbase64(&w.key).ok_or_else(broken)?;
    let k = crypto::key(secret, &salt, iterations).await?;
    Ok(crypto::decrypt(&k, &iv, AAD, &sealed).await?.map(DataKey))
}

/// The data key as the cipher that seals fields at rest (`storage::seal`): AES-256-GCM in
/// wasm, since WebCrypto cannot be awaited inside a transaction. A nonce is this unlock's
/// random 8 bytes and a count, so none repeats under the key.
pub struct Cipher {
    aead: Aes256Gcm,
    prefix: [u8; 8],
    count: Cell<u32>,
}

impl Cipher {
    pub fn new(key: &DataKey) -> Result<Cipher, String> {
        let aead = Aes256Gcm::new_from_slice(&key.0).map_err(|_| "本机密码的密钥长度不对".to_owned())?;
        let mut prefix = [0; 8];
        prefix.copy_from_slice(&web::random16()?[..8]);
        Ok(Cipher { aead, prefix, count: Cell::new(0) })
    }
}

impl Sealer for Cipher {
    fn seal(&self, aad: &str, plain: &str) -> Result<String, String> {
        self.seal_bytes(aad, plain.as_bytes()).map(|sealed| base64(&sealed))
    }

    fn open(&self, aad: &str, sealed: &str) -> Result<String, String> {
        let bytes = unbase64(sealed).ok_or_else(broken)?;
        String::from_utf8(self.open_bytes(aad, &bytes)?).map_err(|_| broken())
    }

    /// The nonce (8 random bytes per unlock and a count), then the ciphertext and its tag.
    fn seal_bytes(&self, aad: &str, plain: &[u8]) -> Result<Vec<u8>, String> {
        let n = self.count.get();
        self.count.set(n.checked_add(1).ok_or("加密次数已满，请锁定后重新解锁")?);
        let mut nonce = [0; 12];
        nonce[..8].copy_from_slice(&self.prefix);
        nonce[8..].copy_from_slice(&n.to_be_bytes());
        let sealed = self
            .aead
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad: aad.as_bytes() })
            .map_err(|_| "加密失败".to_owned())?;
        let mut out = Vec::with_capacity(12 + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open_bytes(&self, aad: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
        if bytes.len() < 12 + 16 {
            return Err(broken());
        }
        let (nonce, body) = bytes.split_at(12);
        self.aead.decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad: aad.as_bytes() }).map_err(|_| broken())
    }
}

fn broken() -> String {
    "一条加密的记录无法解开（已损坏，或不是这台手机的）".to_owned()
}

/// A new lock for `secret`: its row, the recovery code to show once, and the data key.
pub async fn create(secret: &str, idle_minutes: u32) -> Result<(LockRow, String, DataKey), String> {
    let kind = Secret::of(secret)?;
    let mut raw = web::random16()?.to_vec();
    raw.extend_from_slice(&web::random16()?);
    let key = DataKey(raw);
    let code = lock::recovery_code(web::random16()?);
    let plain = lock::normalize_code(&code).ok_or("恢复码生成失败")?;
    let row = LockRow {
        version: 1,
        phrase: kind == Secret::Phrase,
        iterations: lock::ITERATIONS,
        pin: wrap(secret, &key, lock::ITERATIONS).await?,
        recovery: wrap(&plain, &key, lock::ITERATIONS).await?,
        fails: 0,
        wait_until: 0,
        idle_minutes,
        files_need_lock: false,
        own: Vec::new(),
    };
    Ok((row, code, key))
}

/// The data key if `secret` is the PIN (`recovery`: the recovery code) of `row`: `who`'s own
/// PIN where they set one, the device's otherwise.
pub async fn open(row: &LockRow, secret: &str, recovery: bool, who: &str) -> Result<Option<DataKey>, String> {
    if recovery {
        let Some(plain) = lock::normalize_code(secret) else {
            return Err("恢复码是20位字母和数字，请核对".into());
        };
        unwrap(&plain, &row.recovery, row.iterations).await
    } else {
        let wrapped = row.own_pin(who).map_or(&row.pin, |o| &o.pin);
        unwrap(secret, wrapped, row.iterations).await
    }
}

/// `row` with `who`'s own PIN set to `secret` (the data key wrapped under it), or removed.
pub async fn own_pin(row: &LockRow, key: &DataKey, who: &str, secret: Option<&str>) -> Result<LockRow, String> {
    let mut row = row.clone();
    let pin = match secret {
        Some(secret) => {
            let kind = Secret::of(secret)?;
            let pin = wrap(secret, key, row.iterations).await?;
            Some(lock::OwnPin { name: who.to_owned(), phrase: kind == Secret::Phrase, pin })
        }
        None => None,
    };
    row.set_own_pin(who, pin);
    Ok(row)
}

/// `row` with the data key wrapped under a new secret; the recovery code stays as it was.
pub async fn rewrap(row: &LockRow, key: &DataKey, secret: &str) -> Result<LockRow, String> {
    let kind = Secret::of(secret)?;
    Ok(LockRow { phrase: kind == Secret::Phrase, pin: wrap(secret, key, row.iterations).await?, ..row.clone() })
}
