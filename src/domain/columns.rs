//! The desk tables' sortable columns: the registry's and the work log's. Plain data, so the
//! orders are tested here; the pages draw the headers and rows.

use std::cmp::Ordering;

use super::Person;

/// A column and which way it runs; a second tap on its header turns it round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort<C> {
    pub column: C,
    pub descending: bool,
}

impl<C: Copy + PartialEq> Sort<C> {
    /// After a tap on `column`'s header: that column ascending, or the other way if it already was.
    pub fn tapped(current: Option<Sort<C>>, column: C) -> Sort<C> {
        match current {
            Some(s) if s.column == column => Sort { column, descending: !s.descending },
            _ => Sort { column, descending: false },
        }
    }

    /// `aria-sort` for a header: what a screen reader says of the column.
    pub fn aria(current: Option<Sort<C>>, column: C) -> &'static str {
        match current {
            Some(s) if s.column == column && s.descending => "descending",
            Some(s) if s.column == column => "ascending",
            _ => "none",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonColumn {
    Name,
    Category,
    Township,
    Branch,
    Age,
    Phone,
}

impl PersonColumn {
    pub const ALL: [PersonColumn; 6] = [
        PersonColumn::Name,
        PersonColumn::Category,
        PersonColumn::Township,
        PersonColumn::Branch,
        PersonColumn::Age,
        PersonColumn::Phone,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PersonColumn::Name => "姓名",
            PersonColumn::Category => "类别",
            PersonColumn::Township => "乡镇（街道）",
            PersonColumn::Branch => "党支部",
            PersonColumn::Age => "年龄",
            PersonColumn::Phone => "联系电话",
        }
    }
}

/// Two people in a column's order (ascending). `name_key` gives a name's sort key (its pinyin
/// when the table is loaded, so 安 comes before 王), `branch` a person's branch name. Empty
/// values go last whichever way the column runs, so a sort never opens on blank rows.
pub fn compare_people(
    column: PersonColumn,
    a: &Person,
    b: &Person,
    name_key: &dyn Fn(&str) -> String,
    branch: &dyn Fn(&Person) -> String,
) -> Ordering {
    match column {
        PersonColumn::Name => name_key(&a.name).cmp(&name_key(&b.name)),
        PersonColumn::Category => a.category.cmp(&b.category),
        PersonColumn::Township => a.township.cmp(&b.township),
        PersonColumn::Branch => branch(a).cmp(&branch(b)),
        // Youngest first: a later birth date is a lower age.
        PersonColumn::Age => b.birth_date.cmp(&a.birth_date),
        PersonColumn::Phone => a.phone.cmp(&b.phone),
    }
}

/// Whether a person's value in this column is empty (sorted last either way).
pub fn person_blank(column: PersonColumn, p: &Person, branch: &dyn Fn(&Person) -> String) -> bool {
    match column {
        PersonColumn::Name | PersonColumn::Category => false,
        PersonColumn::Township => p.township.is_empty(),
        PersonColumn::Branch => branch(p).is_empty(),
        PersonColumn::Age => p.birth_date.is_none(),
        PersonColumn::Phone => p.phone.is_empty(),
    }
}

/// The month's log on a desk: activities and payments in one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogColumn {
    Date,
    Kind,
    Title,
    Township,
    Organiser,
    Sessions,
    Audience,
    Amount,
}

impl LogColumn {
    pub const ALL: [LogColumn; 8] = [
        LogColumn::Date,
        LogColumn::Kind,
        LogColumn::Title,
        LogColumn::Township,
        LogColumn::Organiser,
        LogColumn::Sessions,
        LogColumn::Audience,
        LogColumn::Amount,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LogColumn::Date => "日期",
            LogColumn::Kind => "类型",
            LogColumn::Title => "主题或对象",
            LogColumn::Township => "乡镇（街道）",
            LogColumn::Organiser => "组织单位",
            LogColumn::Sessions => "场次",
            LogColumn::Audience => "人次",
            LogColumn::Amount => "金额",
        }
    }
}

/// Orders `items` by `sort`: stable, blanks last whichever way it runs.
pub fn order<T>(items: &mut Vec<T>, descending: bool, blank: impl Fn(&T) -> bool, cmp: impl Fn(&T, &T) -> Ordering) {
    super::order::sort_by(items, |a, b| {
        blank(a).cmp(&blank(b)).then_with(|| if descending { cmp(b, a) } else { cmp(a, b) })
    });
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::{Date, PersonForm};

    fn person(name: &str, category: &str, birth: &str, township: &str, phone: &str) -> Person {
        PersonForm {
            name: name.into(),
            gender: "male".into(),
            category: category.into(),
            birth_date: birth.into(),
            township: township.into(),
            phone: phone.into(),
            ..PersonForm::default()
        }
        .validate(Date::new(2026, 12, 2).unwrap())
        .unwrap()
    }

    fn names(list: &[Person]) -> Vec<&str> {
        list.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn the_registry_sorts_by_each_column_both_ways_blanks_last() {
        let people = vec![
            person("王建国", "lixiu", "1931-05-04", "城关镇", "13808571234"),
            person("安秀英", "widow", "1935-01-01", "贺街镇", ""),
            person("李明", "tuixiu", "1958-03-01", "八步街道", "13908570000"),
            person("赵平", "other", "", "城关镇", ""),
        ];
        let pinyin = |n: &str| {
            match n.chars().next() {
                Some('王') => "wang",
                Some('安') => "an",
                Some('李') => "li",
                _ => "zhao",
            }
            .to_owned()
        };
        let branch = |p: &Person| if p.name == "李明" { "第一支部".to_owned() } else { String::new() };
        let sorted = |column: PersonColumn, descending: bool| {
            let mut v = people.clone();
            order(
                &mut v,
                descending,
                |p| person_blank(column, p, &branch),
                |a, b| compare_people(column, a, b, &pinyin, &branch),
            );
            v
        };
        assert_eq!(names(&sorted(PersonColumn::Name, false)), ["安秀英", "李明", "王建国", "赵平"]);
        assert_eq!(names(&sorted(PersonColumn::Name, true)), ["赵平", "王建国", "李明", "安秀英"]);
        assert_eq!(names(&sorted(PersonColumn::Category, false)), ["王建国", "李明", "安秀英", "赵平"]);
        assert_eq!(names(&sorted(PersonColumn::Age, false)), ["李明", "安秀英", "王建国", "赵平"]);
        assert_eq!(names(&sorted(PersonColumn::Age, true)), ["王建国", "安秀英", "李明", "赵平"]);
        assert_eq!(names(&sorted(PersonColumn::Township, true)), ["安秀英", "王建国", "赵平", "李明"]);
        assert_eq!(names(&sorted(PersonColumn::Phone, false)), ["王建国", "李明", "安秀英", "赵平"]);
        assert_eq!(names(&sorted(PersonColumn::Branch, false))[0], "李明");
    }

    #[test]
    fn a_second_tap_turns_the_column_round() {
        let first = Sort::tapped(None, PersonColumn::Age);
        assert_eq!(first, Sort { column: PersonColumn::Age, descending: false });
        let second = Sort::tapped(Some(first), PersonColumn::Age);
        assert!(second.descending);
        assert_eq!(
            Sort::tapped(Some(second), PersonColumn::Name),
            Sort { column: PersonColumn::Name, descending: false }
        );
        assert_eq!(Sort::aria(Some(second), PersonColumn::Age), "descending");
        assert_eq!(Sort::aria(Some(second), PersonColumn::Name), "none");
    }
}
