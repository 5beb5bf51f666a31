//! What the native tests across `domain`, `report` and `sync` take as given.

use super::{Date, DeviceId, Hlc, Record, RecordId};

/// The day the tests take as today.
pub fn today() -> Date {
    Date::new(2026, 11, 29).expect("a real date")
}

/// A stored record holding `body`, its id made from `n` (ids order as `n` does).
pub fn rec<T>(n: u8, body: T) -> Record<T> {
    Record::create(RecordId::from_random([n; 16]), body, Hlc { ms: 1, count: 0 }, DeviceId::from_random([0; 16]))
}
