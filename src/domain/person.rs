//! People in the registry. The foundation slice: a retired cadre's core fields.

use serde::{Deserialize, Serialize};

use super::{Date, FieldErrors};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Male, Gender::Female];

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn from_key(s: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.key() == s)
    }
}

/// 离休: joined the revolution before October 1949, a small elderly group with special benefits.
/// 退休: ordinary retirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Lixiu,
    Tuixiu,
}

impl Category {
    pub const ALL: [Category; 2] = [Category::Lixiu, Category::Tuixiu];

    pub fn label(self) -> &'static str {
        match self {
            Category::Lixiu => "离休",
            Category::Tuixiu => "退休",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Category::Lixiu => "lixiu",
            Category::Tuixiu => "tuixiu",
        }
    }

    pub fn from_key(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.key() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub category: Category,
    /// Township or street (乡镇/街道) of residence.
    pub township: String,
}

impl Person {
    /// Whether a list search `query` (already trimmed) finds this person: by name or township.
    /// An empty query matches everyone.
    pub fn matches(&self, query: &str) -> bool {
        query.is_empty() || self.name.contains(query) || self.township.contains(query)
    }
}

/// What a form holds: text as typed, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonForm {
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub category: String,
    pub township: String,
}

pub const NAME_MAX_CHARS: usize = 40;
pub const TOWNSHIP_MAX_CHARS: usize = 40;
/// The oldest birth date accepted; anything earlier is a typing mistake.
pub const EARLIEST_BIRTH: (u16, u8, u8) = (1900, 1, 1);

impl PersonForm {
    pub fn from_person(p: &Person) -> PersonForm {
        PersonForm {
            name: p.name.clone(),
            gender: p.gender.key().to_owned(),
            birth_date: p.birth_date.to_string(),
            category: p.category.key().to_owned(),
            township: p.township.clone(),
        }
    }

    /// Checks every field against `today` (the device's local date) and reports all problems.
    pub fn validate(&self, today: Date) -> Result<Person, FieldErrors> {
        let mut errs = FieldErrors::default();

        let name = collapse_spaces(&self.name);
        if name.is_empty() {
            errs.push("name", "姓名", "请填写姓名");
        } else if name.chars().count() > NAME_MAX_CHARS {
            errs.push("name", "姓名", format!("姓名不能超过{NAME_MAX_CHARS}个字"));
        }

        let gender = Gender::from_key(self.gender.trim());
        if gender.is_none() {
            errs.push("gender", "性别", "请选择性别");
        }

        let birth_date = match self.birth_date.trim() {
            "" => {
                errs.push("birth_date", "出生日期", "请填写出生日期");
                None
            }
            text => match text.parse::<Date>() {
                Err(e) => {
                    errs.push("birth_date", "出生日期", e.to_string());
                    None
                }
                Ok(d) if d > today => {
                    errs.push("birth_date", "出生日期", "出生日期不能晚于今天");
                    None
                }
                Ok(d) if Some(d) < Date::new(EARLIEST_BIRTH.0, EARLIEST_BIRTH.1, EARLIEST_BIRTH.2) => {
                    errs.push("birth_date", "出生日期", "出生日期不能早于1900年");
                    None
                }
                Ok(d) => Some(d),
            },
        };

        let category = Category::from_key(self.category.trim());
        if category.is_none() {
            errs.push("category", "类别", "请选择离休或退休");
        }

        let township = collapse_spaces(&self.township);
        if township.is_empty() {
            errs.push("township", "乡镇（街道）", "请填写所在乡镇或街道");
        } else if township.chars().count() > TOWNSHIP_MAX_CHARS {
            errs.push("township", "乡镇（街道）", format!("不能超过{TOWNSHIP_MAX_CHARS}个字"));
        }

        match (gender, birth_date, category) {
            (Some(gender), Some(birth_date), Some(category)) if errs.is_empty() => {
                Ok(Person { name, gender, birth_date, category, township })
            }
            _ => Err(errs),
        }
    }
}

/// Trims and folds runs of white space (including the full-width space) to one ASCII space.
fn collapse_spaces(s: &str) -> String {
    s.split(|c: char| c.is_whitespace()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 29).unwrap()
    }

    fn form() -> PersonForm {
        PersonForm {
            name: " 王　建国 ".into(),
            gender: "male".into(),
            birth_date: "1931-05-04".into(),
            category: "lixiu".into(),
            township: "双堰街道".into(),
        }
    }

    #[test]
    fn a_good_form_becomes_a_person_with_tidied_text() {
        let p = form().validate(today()).unwrap();
        assert_eq!(p.name, "王 建国");
        assert_eq!(p.category, Category::Lixiu);
        assert_eq!(PersonForm::from_person(&p).validate(today()), Ok(p));
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let f = PersonForm { name: "  ".into(), gender: "x".into(), birth_date: "2030-01-01".into(), category: "".into(), township: "".into() };
        let errs = f.validate(today()).unwrap_err();
        expect_test::expect!["姓名：请填写姓名；性别：请选择性别；出生日期：出生日期不能晚于今天；类别：请选择离休或退休；乡镇（街道）：请填写所在乡镇或街道"]
            .assert_eq(&errs.to_string());
        assert_eq!(errs.get("birth_date"), Some("出生日期不能晚于今天"));
    }

    #[test]
    fn birth_dates_bounded_and_well_formed() {
        let check = |s: &str| PersonForm { birth_date: s.into(), ..form() }.validate(today()).err().and_then(|e| e.get("birth_date").map(str::to_owned));
        assert_eq!(check("2026-11-29"), None, "born today is allowed");
        assert_eq!(check("2026-11-30").as_deref(), Some("出生日期不能晚于今天"));
        assert_eq!(check("1899-12-31").as_deref(), Some("出生日期不能早于1900年"));
        assert_eq!(check("1950-02-30").as_deref(), Some("日期不存在"));
        assert_eq!(check("1950/2/3").as_deref(), Some("日期格式应为 年-月-日，例如 1950-07-01"));
        assert_eq!(check("").as_deref(), Some("请填写出生日期"));
    }

    #[test]
    fn search_finds_by_part_of_name_or_township() {
        let p = form().validate(today()).unwrap();
        assert!(p.matches(""));
        assert!(p.matches("建国"));
        assert!(p.matches("双堰"));
        assert!(!p.matches("李"));
    }

    #[test]
    fn long_names_are_refused() {
        let f = PersonForm { name: "张".repeat(NAME_MAX_CHARS + 1), ..form() };
        assert_eq!(f.validate(today()).unwrap_err().get("name"), Some("姓名不能超过40个字"));
        let f = PersonForm { name: "张".repeat(NAME_MAX_CHARS), ..form() };
        assert!(f.validate(today()).is_ok());
    }

    #[test]
    fn stored_shape_uses_stable_keys() {
        let p = form().validate(today()).unwrap();
        expect_test::expect![[r#"{"name":"王 建国","gender":"male","birth_date":"1931-05-04","category":"lixiu","township":"双堰街道"}"#]]
            .assert_eq(&serde_json::to_string(&p).unwrap());
    }
}
