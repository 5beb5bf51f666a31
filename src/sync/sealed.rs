//! Passphrase-protected export files: the envelope around an encrypted export.
//!
//! The file says it is encrypted: one JSON header line (format, KDF and its parameters,
//! cipher, IV), then the ciphertext in base64. The key is PBKDF2-SHA256 (600,000 iterations,
//! random salt) of the passphrase; the cipher AES-256-GCM, whose tag fails on a wrong
//! passphrase or any changed byte. The header line is the GCM additional data, so it cannot
//! be altered either. The cryptography itself runs in WebCrypto (`ui/crypto.rs`); this module
//! only reads and writes the envelope, natively testable.

use serde::{Deserialize, Serialize};

pub const SEALED: &str = "sangyu-encrypted";
pub const VERSION: u32 = 1;
/// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
pub const ITERATIONS: u32 = 600_000;
/// Below this a file is refused: it would be cheap to guess passphrases against it.
const MIN_ITERATIONS: u32 = 100_000;
/// Above this a file is refused before any work: a header asking for billions of rounds
/// would keep a phone deriving the key for hours. Well above what any version writes.
pub const MAX_ITERATIONS: u32 = 5_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub kdf: String,
    pub iterations: u32,
    pub salt: String,
    pub cipher: String,
    pub iv: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("加密文件的开头信息有误，文件可能已损坏")]
    BadHeader,
    #[error("加密文件要求的密钥计算次数（{0}）远超正常文件，手机会长时间卡住；文件可能被改动过，没有导入")]
    TooManyRounds(u32),
    #[error("加密文件的版本 {0} 比本程序新，请先更新桑榆")]
    Newer(u32),
    #[error("加密文件的内容不完整或已损坏")]
    BadBody,
    #[error("密码不对，或者文件已被改动；没有导入任何内容")]
    Refused,
}

/// Whether `text` is an encrypted export (its first line says so).
pub fn is_sealed(text: &str) -> bool {
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
    first.contains(SEALED) && serde_json::from_str::<Header>(first).is_ok_and(|h| h.format == SEALED)
}

/// The header for a new file with this salt and IV.
pub fn header(salt: &[u8], iv: &[u8]) -> Header {
    Header {
        format: SEALED.into(),
        version: VERSION,
        kdf: "PBKDF2-SHA256".into(),
        iterations: ITERATIONS,
        salt: base64(salt),
        cipher: "AES-256-GCM".into(),
        iv: base64(iv),
    }
}

/// The header line exactly as written: also the cipher's additional data.
pub fn header_line(h: &Header) -> String {
    serde_json::to_string(h).unwrap_or_default()
}

pub fn write(header_line: &str, ciphertext: &[u8]) -> String {
    format!("{header_line}\n{}\n", base64(ciphertext))
}

/// An encrypted file taken apart: its header, the header line (additional data), salt, IV and
/// ciphertext.
pub struct Opened {
    pub header: Header,
    pub line: String,
    pub salt: Vec<u8>,
    pub iv: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

pub fn open(text: &str) -> Result<Opened, SealError> {
    let text = text.trim_start_matches('\u{feff}');
    let (line, rest) = text.split_once('\n').ok_or(SealError::BadHeader)?;
    let line = line.trim_end_matches('\r');
    let header: Header = serde_json::from_str(line).map_err(|_| SealError::BadHeader)?;
    if header.format != SEALED {
        return Err(SealError::BadHeader);
    }
    if header.version > VERSION {
        return Err(SealError::Newer(header.version));
    }
    if header.kdf != "PBKDF2-SHA256" || header.cipher != "AES-256-GCM" || header.iterations < MIN_ITERATIONS {
        return Err(SealError::BadHeader);
    }
    if header.iterations > MAX_ITERATIONS {
        return Err(SealError::TooManyRounds(header.iterations));
    }
    let salt = unbase64(&header.salt).filter(|s| s.len() >= 16).ok_or(SealError::BadHeader)?;
    let iv = unbase64(&header.iv).filter(|v| v.len() == 12).ok_or(SealError::BadHeader)?;
    let body: String = rest.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let ciphertext = unbase64(&body).filter(|c| c.len() >= 16).ok_or(SealError::BadBody)?;
    Ok(Opened { line: line.to_owned(), header, salt, iv, ciphertext })
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648).
pub fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn unbase64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (q, quad) in bytes.chunks(4).enumerate() {
        let last = q == bytes.len() / 4 - 1;
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for (i, &c) in quad.iter().enumerate() {
            let v = if i >= 4 - pad { 0 } else { ALPHABET.iter().position(|&a| a == c)? as u32 };
            n |= v << (18 - 6 * i);
        }
        for i in 0..3 - pad {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (plain, coded) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(plain.as_bytes()), coded);
            assert_eq!(unbase64(coded).unwrap(), plain.as_bytes());
        }
        for bad in ["Zg=", "Z===", "Zg==Zg==", "Zm9*"] {
            assert_eq!(unbase64(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_envelope_round_trips_and_is_recognised() {
        let line = header_line(&header(&[1; 16], &[2; 12]));
        let text = write(&line, &[9; 40]);
        assert!(is_sealed(&text));
        assert!(!is_sealed("{\"format\":\"sangyu-export\"}\n"));
        let o = open(&text).unwrap();
        assert_eq!((o.salt, o.iv, o.ciphertext, o.line), (vec![1; 16], vec![2; 12], vec![9; 40], line.clone()));
        let weak = line.replace("600000", "1000");
        assert_eq!(open(&write(&weak, &[9; 40])).err(), Some(SealError::BadHeader));
        let endless = line.replace("600000", "4294967295");
        assert_eq!(open(&write(&endless, &[9; 40])).err(), Some(SealError::TooManyRounds(u32::MAX)));
        assert_eq!(open(&format!("{line}\nAAA")).err(), Some(SealError::BadBody));
    }

    proptest! {
        #[test]
        fn base64_round_trips(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(unbase64(&base64(&data)).unwrap(), data);
        }
    }
}
