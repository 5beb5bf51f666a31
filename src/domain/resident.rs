//! What the home screen needs of a person (counts by category, coming birthdays), read from the
//! people store as a smaller type: the first download then carries no code for reading a whole
//! person (roles, branch, health, ID number...), only for these fields. Other fields are ignored.

use serde::{Deserialize, Serialize};

use super::{Category, Date, Person};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    pub name: String,
    pub birth_date: Option<Date>,
    pub category: Category,
    #[serde(default)]
    pub party_member: bool,
    #[serde(default)]
    pub deceased_on: Option<Date>,
}

/// A registry entry as the headline figures see it: a whole person, or a resident.
pub trait Registered {
    fn name(&self) -> &str;
    fn category(&self) -> Category;
    fn party_member(&self) -> bool;
    fn birth_date(&self) -> Option<Date>;
    fn is_living(&self) -> bool;
}

// Both types hold these fields under the same names.
macro_rules! registered {
    ($($t:ty),*) => {$(
        impl Registered for $t {
            fn name(&self) -> &str {
                &self.name
            }
            fn category(&self) -> Category {
                self.category
            }
            fn party_member(&self) -> bool {
                self.party_member
            }
            fn birth_date(&self) -> Option<Date> {
                self.birth_date
            }
            fn is_living(&self) -> bool {
                self.deceased_on.is_none()
            }
        }
    )*};
}
registered!(Person, Resident);

/// Whole years of age on `day` for someone born on `birth`.
pub fn age_on(birth: Date, day: Date) -> Option<u16> {
    let before_birthday = (day.month(), day.day()) < (birth.month(), birth.day());
    day.year().checked_sub(birth.year())?.checked_sub(u16::from(before_birthday))
}

/// The next birthday on or after `today` (29 February falls on the 28th in other years).
pub fn next_birthday(birth: Date, today: Date) -> Option<Date> {
    let on = |year: u16| Date::new(year, birth.month(), birth.day()).or_else(|| Date::new(year, 2, 28));
    let this_year = on(today.year())?;
    if this_year >= today {
        Some(this_year)
    } else {
        on(today.year() + 1)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    /// A stored person reads as a resident: the fields it needs, the rest ignored.
    #[test]
    fn a_person_reads_as_a_resident() {
        let stored = serde_json::json!({"name": "王建国", "gender": "male", "birth_date": "1931-05-04",
            "category": "lixiu", "township": "城关镇", "roles": ["lecturer"], "party_member": true});
        let r: Resident = serde_json::from_value(stored.clone()).unwrap();
        let p: Person = serde_json::from_value(stored).unwrap();
        assert_eq!(
            (r.name(), r.category(), r.party_member(), r.birth_date(), r.is_living()),
            (p.name(), p.category(), p.party_member(), p.birth_date(), p.is_living())
        );
    }

    #[test]
    fn leap_day_birthdays_fall_on_the_28th() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(next_birthday(d("1932-02-29"), d("2026-02-01")), Some(d("2026-02-28")));
        assert_eq!(age_on(d("1932-02-29"), d("2026-02-28")), Some(93));
        assert_eq!(next_birthday(d("1930-12-01"), d("2026-12-02")), Some(d("2027-12-01")));
    }
}
