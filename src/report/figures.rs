//! Totals over the registry.

use crate::domain::{Category, Person, Record};

/// Living registry counts by category; tombstoned records are not counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeopleCounts {
    pub lixiu: usize,
    pub tuixiu: usize,
}

impl PeopleCounts {
    pub fn of(people: &[Record<Person>]) -> PeopleCounts {
        people.iter().filter(|r| !r.deleted).fold(PeopleCounts::default(), |mut c, r| {
            match r.body.category {
                Category::Lixiu => c.lixiu += 1,
                Category::Tuixiu => c.tuixiu += 1,
            }
            c
        })
    }

    pub fn total(self) -> usize {
        self.lixiu + self.tuixiu
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::{Date, DeviceId, Gender, Hlc, RecordId};

    fn rec(n: u8, category: Category, deleted: bool) -> Record<Person> {
        let body = Person {
            name: format!("人{n}"),
            gender: Gender::Female,
            birth_date: Date::new(1940, 1, 1).unwrap(),
            category,
            township: "城关镇".into(),
        };
        let mut r = Record::create(RecordId::from_random([n; 16]), body, Hlc { ms: 1, count: 0 }, DeviceId::from_random([0; 16]));
        r.deleted = deleted;
        r
    }

    #[test]
    fn counts_living_records_by_category() {
        let people = [rec(1, Category::Lixiu, false), rec(2, Category::Tuixiu, false), rec(3, Category::Tuixiu, false), rec(4, Category::Lixiu, true)];
        let c = PeopleCounts::of(&people);
        assert_eq!(c, PeopleCounts { lixiu: 1, tuixiu: 2 });
        assert_eq!(c.total(), 3);
    }
}
