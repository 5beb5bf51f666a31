//! The envelope every stored record carries, so offices can merge files later.
//!
//! Rules: an id never changes; `created` never changes; every change gets a stamp later than
//! the one it replaces; deleting sets a tombstone and keeps the body (so a delete can be undone
//! and travels to other offices like any edit).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Clock, Hlc};

/// Formats 16 random bytes as an RFC 4122 version-4 UUID.
fn uuid_v4_text(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid_text(b)
}

/// 16 bytes in the hyphenated lower-case UUID spelling.
fn uuid_text(b: [u8; 16]) -> String {
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Lower-case hex in groups of 8-4-4-4-12. Every id in every line of a file passes here:
/// by groups, it was half as costly as asking each byte's position.
fn is_uuid_text(s: &str) -> bool {
    let b = s.as_bytes();
    let hex = |group: &[u8]| group.iter().all(|&c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
    b.len() == 36
        && [b[8], b[13], b[18], b[23]] == [b'-'; 4]
        && hex(&b[..8])
        && hex(&b[9..13])
        && hex(&b[14..18])
        && hex(&b[19..23])
        && hex(&b[24..])
}

/// The 128 bits of an id's text, when it is one (as `parse` takes it), without making it.
pub fn id_bits(s: &str) -> Option<u128> {
    is_uuid_text(s).then(|| {
        s.bytes().filter(|b| *b != b'-').fold(0, |n, b| n << 4 | u128::from((b as char).to_digit(16).unwrap_or(0)))
    })
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("编号格式错误：{0}")]
pub struct IdParseError(pub String);

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub struct $name(String);

        impl $name {
            /// The caller supplies the randomness (WebCrypto in the browser), keeping this pure.
            pub fn from_random(bytes: [u8; 16]) -> Self {
                $name(uuid_v4_text(bytes))
            }

            /// Accepts the lower-case hyphenated UUID text this app writes.
            pub fn parse(s: &str) -> Result<Self, IdParseError> {
                if is_uuid_text(s) {
                    Ok($name(s.to_owned()))
                } else {
                    Err(IdParseError(s.chars().take(40).collect()))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's 128 bits: kept thus for each record of a large file in memory.
            pub fn bits(&self) -> u128 {
                id_bits(&self.0).unwrap_or(0)
            }

            /// The id whose [`Self::bits`] these are.
            pub fn from_bits(bits: u128) -> Self {
                $name(uuid_text(bits.to_be_bytes()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

uuid_id!(
    /// A record's globally unique, stable id.
    RecordId
);
uuid_id!(
    /// The device (browser profile) that last changed a record.
    DeviceId
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record<T> {
    pub id: RecordId,
    pub created: Hlc,
    /// Stamp of the latest change; with `device` it orders versions across offices.
    pub updated: Hlc,
    pub device: DeviceId,
    #[serde(default)]
    pub deleted: bool,
    /// Per-field stamps and version vector for merging (`domain::clock`); kept up to date by
    /// `sync::merge::restamp` on every write, since it needs the body as JSON.
    #[serde(default, skip_serializing_if = "Clock::is_empty")]
    pub clock: Clock,
    /// This database's write sequence when the record was last written here (by an edit or
    /// an import), for "export what changed since the last export". Local: never exported.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    pub body: T,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl<T> Record<T> {
    pub fn create(id: RecordId, body: T, stamp: Hlc, device: DeviceId) -> Record<T> {
        Record { id, created: stamp, updated: stamp, device, deleted: false, clock: Clock::default(), seq: 0, body }
    }

    /// Replaces the body. `stamp` must come from [`crate::domain::DeviceState::stamp`] with
    /// this record's `updated` as `seen`, so it is later.
    pub fn edit(&mut self, body: T, stamp: Hlc, device: DeviceId) {
        debug_assert!(stamp > self.updated);
        self.body = body;
        self.touch(stamp, device);
    }

    /// Soft delete: the tombstone travels to other offices; the body stays for undo.
    pub fn delete(&mut self, stamp: Hlc, device: DeviceId) {
        self.deleted = true;
        self.touch(stamp, device);
    }

    pub fn restore(&mut self, stamp: Hlc, device: DeviceId) {
        self.deleted = false;
        self.touch(stamp, device);
    }

    fn touch(&mut self, stamp: Hlc, device: DeviceId) {
        self.updated = stamp;
        self.device = device;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::DeviceState;
    use proptest::prelude::*;

    fn dev(n: u8) -> DeviceId {
        DeviceId::from_random([n; 16])
    }

    proptest! {
        /// By groups, the same texts are ids as byte by byte with their positions.
        #[test]
        fn uuid_text_by_groups_is_uuid_text_by_position(s in "[0-9a-gA-F\\-]{34,38}|\\PC{0,40}") {
            let by_position = s.len() == 36
                && s.bytes().enumerate().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => c == b'-',
                    _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
                });
            prop_assert_eq!(is_uuid_text(&s), by_position);
        }
    }

    #[test]
    fn ids_are_version_4_uuids() {
        let id = RecordId::from_random([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(RecordId::parse(id.as_str()), Ok(id));
        assert!(RecordId::parse("FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF").is_err());
        assert!(RecordId::parse("not-an-id").is_err());
        assert!(serde_json::from_str::<RecordId>("\"\"").is_err());
    }

    #[test]
    fn envelope_rules_hold_through_edit_delete_restore() {
        let mut a = DeviceState::new(dev(1));
        let b = dev(2);
        let mut r = Record::create(RecordId::from_random([3; 16]), "张三", a.stamp(1_000, None), a.device.clone());
        let (id, created) = (r.id.clone(), r.created);

        // Another office's clock runs ahead; our edit must still land after its version.
        r.updated = Hlc { ms: 50_000, count: 0 };
        r.device = b.clone();
        let s = a.stamp(2_000, Some(r.updated));
        r.edit("张三丰", s, a.device.clone());
        assert!(r.updated > Hlc { ms: 50_000, count: 0 });
        assert_eq!(r.device, a.device);

        let s = a.stamp(2_000, Some(r.updated));
        r.delete(s, a.device.clone());
        assert!(r.deleted);
        assert_eq!(r.body, "张三丰", "a tombstone keeps the body for undo");

        let s = a.stamp(3_000, Some(r.updated));
        r.restore(s, a.device.clone());
        assert!(!r.deleted);
        assert_eq!((r.id.clone(), r.created), (id, created));
    }

    #[test]
    fn stored_shape_is_stable() {
        let r = Record::create(RecordId::from_random([0; 16]), 7u8, Hlc { ms: 1, count: 2 }, dev(0));
        expect_test::expect![[r#"{"id":"00000000-0000-4000-8000-000000000000","created":"0000000000001-000002","updated":"0000000000001-000002","device":"00000000-0000-4000-8000-000000000000","deleted":false,"body":7}"#]]
            .assert_eq(&serde_json::to_string(&r).unwrap());
    }

    proptest! {
        #[test]
        fn random_ids_parse_back(bytes in any::<[u8; 16]>()) {
            let id = RecordId::from_random(bytes);
            prop_assert_eq!(RecordId::parse(id.as_str()).unwrap(), id);
        }
    }
}
