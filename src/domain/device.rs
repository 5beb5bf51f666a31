//! This device's identity and clock, kept in the same database as the records.
//!
//! If the browser wipes the database, the device state goes with it and the app starts under
//! a new device id, so other offices never mistake its new changes for ones they already have.

use serde::{Deserialize, Serialize};

use super::{DeviceId, Hlc};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceState {
    pub device: DeviceId,
    /// The latest stamp this device issued or saw.
    pub clock: Hlc,
    /// Logical changes made on this device since it was created.
    pub changes: u64,
    /// Record writes into this database, local or imported: each written record keeps the
    /// value, so an export can take only what was written after the previous one.
    pub seq: u64,
}

impl DeviceState {
    pub fn new(device: DeviceId) -> DeviceState {
        DeviceState { device, clock: Hlc::ZERO, changes: 0, seq: 0 }
    }

    /// Stamps one logical change. `seen` is the newest stamp of what the change replaces.
    pub fn stamp(&mut self, now_ms: u64, seen: Option<Hlc>) -> Hlc {
        self.clock = self.clock.next(now_ms, seen);
        self.changes += 1;
        self.clock
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    #[test]
    fn every_change_is_counted_and_stamped_later() {
        let mut d = DeviceState::new(DeviceId::from_random([7; 16]));
        let a = d.stamp(100, None);
        let b = d.stamp(100, Some(Hlc { ms: 500, count: 0 }));
        assert!(b > a);
        assert_eq!(b, Hlc { ms: 500, count: 1 });
        assert_eq!(d.changes, 2);
        assert_eq!(d.clock, b);
    }
}
