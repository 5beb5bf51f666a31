//! 本机密码: the rules of the device lock, plain Rust. What the secret may be, the stored row
//! (a random data key wrapped under the PIN and under the recovery code, nothing that checks a
//! guess by itself), the growing waits after wrong guesses, the recovery code's spelling, and
//! when an open app locks itself. The cryptography runs in WebCrypto (`ui/lock/keys.rs`).

use serde::{Deserialize, Serialize};

/// PBKDF2-SHA256 rounds for the lock: OWASP's 2023 figure, about 0.1 s in desktop Chromium
/// and about a second on a slow phone (measured by `./scripts/bench`).
pub const ITERATIONS: u32 = 600_000;
/// Minutes idle before an open app locks, unless the device chose otherwise.
pub const IDLE_MINUTES: u32 = 5;
/// The choices settings offers for that.
pub const IDLE_CHOICES: [u32; 5] = [1, 2, 5, 10, 30];
/// Longer than this in the background (another app, the screen off) locks on return.
pub const BACKGROUND_MS: u64 = 2 * 60 * 1000;
/// Wrong guesses allowed before the first wait.
const FREE_TRIES: u32 = 3;
const FIRST_WAIT_MS: u64 = 30_000;
const LONGEST_WAIT_MS: u64 = 60 * 60 * 1000;
/// Crockford's base32: no I, L, O or U to misread when copied by hand.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 20 characters of 5 bits: 100 random bits, beyond guessing even offline.
const CODE_CHARS: usize = 20;

/// What a secret may be: 6 digits, or a passphrase of at least 8 characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    Pin,
    Phrase,
}

impl Secret {
    /// Which kind `text` is, or why it cannot be one.
    pub fn of(text: &str) -> Result<Secret, &'static str> {
        if text.is_empty() {
            return Err("请输入密码");
        }
        if text.chars().all(|c| c.is_ascii_digit()) {
            return if text.len() == 6 { Ok(Secret::Pin) } else { Err("数字密码要正好6位") };
        }
        if text.chars().count() < 8 {
            return Err("不是纯数字的密码至少要8个字");
        }
        if text.chars().any(char::is_control) {
            return Err("密码里不能有控制字符");
        }
        Ok(Secret::Phrase)
    }
}

/// A data key encrypted (AES-256-GCM) under a key derived from a secret (PBKDF2-SHA256).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    /// Base64 of the PBKDF2 salt, the GCM IV, and the encrypted key with its tag.
    pub salt: String,
    pub iv: String,
    pub key: String,
}

/// The lock as stored in `meta`: the only sign a lock is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockRow {
    pub version: u32,
    /// A passphrase rather than 6 digits: which keyboard the lock screen shows.
    pub phrase: bool,
    pub iterations: u32,
    pub pin: Wrapped,
    pub recovery: Wrapped,
    /// Wrong guesses since the last right one; kept across reloads, so closing the tab does
    /// not start the count again.
    pub fails: u32,
    /// Wall-clock milliseconds before which no guess is tried.
    pub wait_until: u64,
    pub idle_minutes: u32,
    /// This device's exports ask the receiver to set a lock before storing them.
    #[serde(default)]
    pub files_need_lock: bool,
    /// 记录人 with a PIN of their own: choosing one of these names on the lock screen asks for
    /// that PIN, not the device's (older rows have none, and older versions ignore it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own: Vec<OwnPin>,
}

/// A 记录人's own PIN: the data key wrapped under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnPin {
    pub name: String,
    /// A passphrase rather than 6 digits.
    pub phrase: bool,
    pub pin: Wrapped,
}

impl LockRow {
    pub fn to_json(&self) -> String {
        // A struct of strings and numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<LockRow, String> {
        serde_json::from_str(text).map_err(|e| format!("本机密码的记录已损坏：{e}"))
    }

    /// `name`'s own PIN, if they set one.
    pub fn own_pin(&self, name: &str) -> Option<&OwnPin> {
        self.own.iter().find(|o| !name.is_empty() && o.name == name)
    }

    /// Sets (`Some`) or removes `name`'s own PIN.
    pub fn set_own_pin(&mut self, name: &str, pin: Option<OwnPin>) {
        self.own.retain(|o| o.name != name);
        self.own.extend(pin);
    }

    /// Milliseconds still to wait at `now`, if any.
    pub fn waiting(&self, now: u64) -> Option<u64> {
        (self.wait_until > now).then(|| self.wait_until - now)
    }

    /// Counts a guess before it is tried: a tab closed while the key is derived has still
    /// used its try. Should the guess be right, [`LockRow::opened`] clears the count.
    pub fn guessed(&mut self, now: u64) {
        self.fails = self.fails.saturating_add(1);
        self.wait_until = now + wait_after(self.fails);
    }

    pub fn opened(&mut self) {
        self.fails = 0;
        self.wait_until = 0;
    }
}

/// The wait after `fails` wrong guesses in a row: none for the first three, then 30 seconds,
/// doubling each time, at most an hour. Never a wipe: losing the records is worse than a wait.
pub fn wait_after(fails: u32) -> u64 {
    if fails < FREE_TRIES {
        return 0;
    }
    let doublings = (fails - FREE_TRIES).min(16);
    (FIRST_WAIT_MS << doublings).min(LONGEST_WAIT_MS)
}

/// "30秒", "2分钟", "1小时": a wait as a person reads it, rounded up.
pub fn wait_text(ms: u64) -> String {
    let secs = ms.div_ceil(1000);
    if secs < 60 {
        format!("{secs}秒")
    } else if secs < 3600 {
        format!("{}分钟", secs.div_ceil(60))
    } else {
        format!("{}小时", secs.div_ceil(3600))
    }
}

/// A recovery code from 16 random bytes: 20 characters, shown in groups of four.
pub fn recovery_code(random: [u8; 16]) -> String {
    let bits = u128::from_be_bytes(random);
    let chars: Vec<char> = (0..CODE_CHARS).map(|i| CODE_ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
    chars.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A recovery code as typed back: case, spaces and dashes ignored, and the letters people
/// confuse with digits read as those digits. `None` unless it is 20 characters of the code's
/// alphabet, so a typo is named before a second of key derivation.
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_CHARS);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\u{3000}' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// Whether an open app locks now: idle past its minutes, or back after too long away.
pub fn due(now: u64, last_active: u64, idle_minutes: u32, hidden_since: Option<u64>) -> bool {
    let idle = now.saturating_sub(last_active) >= u64::from(idle_minutes) * 60_000;
    idle || hidden_since.is_some_and(|h| now.saturating_sub(h) > BACKGROUND_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_six_digits_or_eight_characters() {
        assert_eq!(Secret::of("123456"), Ok(Secret::Pin));
        assert_eq!(Secret::of("12345"), Err("数字密码要正好6位"));
        assert_eq!(Secret::of("1234567"), Err("数字密码要正好6位"));
        assert_eq!(Secret::of("桑榆老干部工作站"), Ok(Secret::Phrase));
        assert_eq!(Secret::of("abc1234"), Err("不是纯数字的密码至少要8个字"));
        assert_eq!(Secret::of(""), Err("请输入密码"));
        assert!(Secret::of("abc\u{7}defgh").is_err());
    }

    #[test]
    fn a_recorder_s_own_pin_is_kept_by_name_and_older_rows_have_none() {
        let w = |k: &str| Wrapped { salt: "s".into(), iv: "i".into(), key: k.into() };
        let old = r#"{"version":1,"phrase":false,"iterations":600000,"pin":{"salt":"s","iv":"i","key":"k"},
            "recovery":{"salt":"s","iv":"i","key":"r"},"fails":0,"wait_until":0,"idle_minutes":5}"#;
        let mut row = LockRow::from_json(old).unwrap();
        assert!(row.own.is_empty() && row.own_pin("李明").is_none());
        assert!(!row.to_json().contains("own"), "a row without one is written as before");
        row.set_own_pin("李明", Some(OwnPin { name: "李明".into(), phrase: false, pin: w("a") }));
        row.set_own_pin("王芳", Some(OwnPin { name: "王芳".into(), phrase: true, pin: w("b") }));
        row.set_own_pin("李明", Some(OwnPin { name: "李明".into(), phrase: false, pin: w("c") }));
        let back = LockRow::from_json(&row.to_json()).unwrap();
        assert_eq!(back.own_pin("李明").map(|o| o.pin.key.as_str()), Some("c"), "replaced, not added");
        assert_eq!(back.own.len(), 2);
        assert!(back.own_pin("").is_none(), "nobody named has no PIN of their own");
        row.set_own_pin("李明", None);
        assert!(row.own_pin("李明").is_none() && row.own_pin("王芳").is_some());
    }

    #[test]
    fn waits_grow_from_the_fourth_wrong_guess_and_stop_at_an_hour() {
        let waits: Vec<u64> = (0..12).map(wait_after).collect();
        assert_eq!(&waits[..3], &[0, 0, 0]);
        assert_eq!(waits[3], 30_000);
        assert!(waits[3..].windows(2).all(|w| w[1] > w[0] || w[1] == LONGEST_WAIT_MS));
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT_MS);
        assert_eq!(wait_text(30_000), "30秒");
        assert_eq!(wait_text(60_001), "2分钟");
        assert_eq!(wait_text(LONGEST_WAIT_MS), "1小时");
    }

    #[test]
    fn a_guess_counts_before_it_is_tried_and_a_right_one_clears_the_count() {
        let mut row = LockRow {
            version: 1,
            phrase: false,
            iterations: ITERATIONS,
            pin: Wrapped { salt: "s".into(), iv: "i".into(), key: "k".into() },
            recovery: Wrapped { salt: "s".into(), iv: "i".into(), key: "k".into() },
            fails: 2,
            wait_until: 0,
            own: Vec::new(),
            idle_minutes: IDLE_MINUTES,
            files_need_lock: false,
        };
        row.guessed(1_000);
        assert_eq!((row.fails, row.waiting(1_000)), (3, Some(30_000)));
        assert_eq!(row.waiting(31_000), None);
        assert_eq!(LockRow::from_json(&row.to_json()), Ok(row.clone()));
        row.opened();
        assert_eq!((row.fails, row.waiting(0)), (0, None));
        assert!(LockRow::from_json("{}").is_err());
    }

    #[test]
    fn a_recovery_code_reads_back_as_typed_by_hand() {
        let code = recovery_code([0xa5; 16]);
        assert_eq!(code.len(), 24);
        assert_eq!(code.split('-').count(), 5);
        let plain = normalize_code(&code).expect("its own code");
        assert_eq!(normalize_code(&code.to_lowercase().replace('-', " ")), Some(plain.clone()));
        assert_eq!(normalize_code("oooo-iiii-llll-0000-1111"), normalize_code("0000-1111-1111-0000-1111"));
        assert_eq!(normalize_code("UUUU-0000-0000-0000-0000"), None);
        assert_eq!(normalize_code(&code[..20]), None);
        assert_ne!(recovery_code([1; 16]), recovery_code([2; 16]));
    }

    #[test]
    fn an_open_app_locks_when_idle_or_back_after_two_minutes() {
        let min = 60_000;
        assert!(!due(4 * min, 0, 5, None));
        assert!(due(5 * min, 0, 5, None));
        assert!(!due(3 * min, 2 * min, 5, Some(2 * min)));
        assert!(due(4 * min + 1, 3 * min, 5, Some(2 * min)));
    }
}
