//! People: retired cadres, widow(er)s of 离休 cadres, and volunteers outside the registry.

use serde::{Deserialize, Serialize};

use super::keyed::keyed_enum;
use super::validate::{check_id_number, normalize_phone};
use super::{Date, FieldErrors, RecordId};

keyed_enum!(Gender {
    Male = "male", "男";
    Female = "female", "女";
});

keyed_enum!(
    /// 离休: joined the revolution before October 1949, a small elderly group with special
    /// benefits. 退休: ordinary retirement. 遗孀: widow(er) of a 离休 cadre. 其他: someone
    /// outside the registry, such as a volunteer teacher.
    Category {
        Lixiu = "lixiu", "离休";
        Tuixiu = "tuixiu", "退休";
        Widow = "widow", "遗孀";
        Other = "other", "其他人员";
    }
);

keyed_enum!(
    /// The "five elders" (五老) a volunteer may count as; one person may be several.
    WuLao {
        Cadre = "cadre", "老干部";
        Veteran = "veteran", "老战士";
        Expert = "expert", "老专家";
        Teacher = "teacher", "老教师";
        Model = "model", "老模范";
    }
);

keyed_enum!(
    /// Volunteer roles; one person may hold several.
    Role {
        Lecturer = "lecturer", "宣讲员";
        Mediator = "mediator", "调解员";
        AgriExpert = "agri_expert", "农业专家";
        Teacher = "teacher", "志愿服务教师";
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub gender: Gender,
    /// Required in the registry; may be unknown for people outside it.
    pub birth_date: Option<Date>,
    pub category: Category,
    /// Township or street (乡镇/街道) of residence.
    pub township: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub former_unit: String,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub party_member: bool,
    /// The retiree party branch (an `Org` of kind branch).
    #[serde(default)]
    pub branch: Option<RecordId>,
    #[serde(default)]
    pub phone: String,
    /// Sensitive: optional, validated, masked in lists.
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub health: String,
    /// Set when the person has died: marked, never deleted.
    #[serde(default)]
    pub deceased_on: Option<Date>,
    /// For a widow(er): the 离休 cadre they were married to.
    #[serde(default)]
    pub spouse: Option<RecordId>,
    /// For a widow(er): 无工作 (no work income), which the subsidies depend on.
    #[serde(default)]
    pub no_work_income: bool,
    #[serde(default)]
    pub wulao: Vec<WuLao>,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// A volunteer teacher's subjects (政策、时事、健康、文体、园艺...).
    #[serde(default)]
    pub specialties: String,
    /// Set when this record was found to be the same person as another and merged into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<RecordId>,
}

impl Person {
    pub fn is_living(&self) -> bool {
        self.deceased_on.is_none()
    }

    /// Whole years of age on `day`.
    pub fn age_on(&self, day: Date) -> Option<u16> {
        super::resident::age_on(self.birth_date?, day)
    }

    /// The next birthday on or after `today` (29 February falls on the 28th in other years).
    pub fn next_birthday(&self, today: Date) -> Option<Date> {
        super::resident::next_birthday(self.birth_date?, today)
    }

    /// The ID number with its middle hidden, for lists: 520424********0017.
    pub fn masked_id(&self) -> String {
        mask(&self.id_number, 6, 4)
    }

    /// The phone with its middle hidden, for lists: 138****1234.
    pub fn masked_phone(&self) -> String {
        mask(&self.phone, 3, 4)
    }
}

fn mask(text: &str, keep_start: usize, keep_end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= keep_start + keep_end {
        return text.to_owned();
    }
    let hidden = chars.len() - keep_start - keep_end;
    let mut out: String = chars[..keep_start].iter().collect();
    out.extend(std::iter::repeat_n('*', hidden));
    out.extend(&chars[chars.len() - keep_end..]);
    out
}

/// What a form holds: text as typed, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub category: String,
    pub township: String,
    pub village: String,
    pub former_unit: String,
    pub post: String,
    pub party_member: bool,
    pub branch: Option<RecordId>,
    pub phone: String,
    pub id_number: String,
    pub health: String,
    pub deceased: bool,
    pub deceased_on: String,
    pub spouse: Option<RecordId>,
    pub no_work_income: bool,
    pub wulao: Vec<WuLao>,
    pub roles: Vec<Role>,
    pub specialties: String,
}

pub const NAME_MAX_CHARS: usize = 40;
pub const SHORT_MAX_CHARS: usize = 60;
pub const NOTE_MAX_CHARS: usize = 2_000;

fn earliest_birth() -> Date {
    Date::new(1900, 1, 1).unwrap_or(Date::EPOCH)
}

impl PersonForm {
    /// The fields an empty form is refused for, marked on the form before anything is typed
    /// (a test below keeps this list and `validate` in step).
    pub const REQUIRED: [&'static str; 5] = ["name", "gender", "category", "birth_date", "township"];

    pub fn from_person(p: &Person) -> PersonForm {
        PersonForm {
            name: p.name.clone(),
            gender: p.gender.key().to_owned(),
            birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            category: p.category.key().to_owned(),
            township: p.township.clone(),
            village: p.village.clone(),
            former_unit: p.former_unit.clone(),
            post: p.post.clone(),
            party_member: p.party_member,
            branch: p.branch.clone(),
            phone: p.phone.clone(),
            id_number: p.id_number.clone(),
            health: p.health.clone(),
            deceased: p.deceased_on.is_some(),
            deceased_on: p.deceased_on.map(|d| d.to_string()).unwrap_or_default(),
            spouse: p.spouse.clone(),
            no_work_income: p.no_work_income,
            wulao: p.wulao.clone(),
            roles: p.roles.clone(),
            specialties: p.specialties.clone(),
        }
    }

    /// Checks every field against `today` (the device's local date) and reports all problems.
    pub fn validate(&self, today: Date) -> Result<Person, FieldErrors> {
        let mut errs = FieldErrors::default();

        let name = collapse_spaces(&self.name);
        if name.is_empty() {
            errs.push("name", "姓名", "请填写姓名");
        }
        check_len(&mut errs, "name", "姓名", &name, NAME_MAX_CHARS);

        let gender = Gender::from_key(self.gender.trim());
        if gender.is_none() {
            errs.push("gender", "性别", "请选择性别");
        }
        let category = Category::from_key(self.category.trim());
        if category.is_none() {
            errs.push("category", "类别", "请选择类别");
        }
        let in_registry = category != Some(Category::Other);

        let birth_date = match parse_date(&self.birth_date, today, &mut errs, "birth_date", "出生日期") {
            Some(d) if d < earliest_birth() => {
                errs.push("birth_date", "出生日期", "出生日期不能早于1900年");
                None
            }
            None if in_registry && self.birth_date.trim().is_empty() => {
                errs.push("birth_date", "出生日期", "请填写出生日期");
                None
            }
            other => other,
        };

        let township = collapse_spaces(&self.township);
        if township.is_empty() && in_registry {
            errs.push("township", "乡镇（街道）", "请填写所在乡镇或街道");
        }
        check_len(&mut errs, "township", "乡镇（街道）", &township, SHORT_MAX_CHARS);
        let village = collapse_spaces(&self.village);
        check_len(&mut errs, "village", "村（社区）", &village, SHORT_MAX_CHARS);
        let former_unit = collapse_spaces(&self.former_unit);
        check_len(&mut errs, "former_unit", "原工作单位", &former_unit, SHORT_MAX_CHARS);
        let post = collapse_spaces(&self.post);
        check_len(&mut errs, "post", "原职务", &post, SHORT_MAX_CHARS);

        let phone = match self.phone.trim() {
            "" => String::new(),
            text => normalize_phone(text).unwrap_or_else(|e| {
                errs.push("phone", "联系电话", e);
                String::new()
            }),
        };

        let id_number = self.id_number.trim().to_ascii_uppercase();
        if !id_number.is_empty() {
            match check_id_number(&id_number) {
                Err(e) => errs.push("id_number", "身份证号", e),
                Ok((id_birth, male)) => {
                    if birth_date.is_some_and(|b| b != id_birth) {
                        errs.push(
                            "id_number",
                            "身份证号",
                            format!("身份证号中的出生日期是{id_birth}，与填写的出生日期不一致"),
                        );
                    } else if gender.is_some_and(|g| (g == Gender::Male) != male) {
                        errs.push(
                            "id_number",
                            "身份证号",
                            format!("身份证号显示为{}性，与所选性别不一致", if male { "男" } else { "女" }),
                        );
                    }
                }
            }
        }

        let health = self.health.trim().to_owned();
        check_len(&mut errs, "health", "健康状况", &health, NOTE_MAX_CHARS);
        let specialties = collapse_spaces(&self.specialties);
        check_len(&mut errs, "specialties", "专长", &specialties, SHORT_MAX_CHARS);

        let deceased_on = if self.deceased {
            match parse_date(&self.deceased_on, today, &mut errs, "deceased_on", "去世日期") {
                None if self.deceased_on.trim().is_empty() => {
                    errs.push("deceased_on", "去世日期", "请填写去世日期");
                    None
                }
                Some(d) if birth_date.is_some_and(|b| d < b) => {
                    errs.push("deceased_on", "去世日期", "去世日期不能早于出生日期");
                    None
                }
                other => other,
            }
        } else {
            None
        };

        let is_widow = category == Some(Category::Widow);
        let roles = dedup(&self.roles);

        match (gender, category) {
            (Some(gender), Some(category)) if errs.is_empty() => Ok(Person {
                name,
                gender,
                birth_date,
                category,
                township,
                village,
                former_unit,
                post,
                party_member: self.party_member,
                branch: self.branch.clone(),
                phone,
                id_number,
                health,
                deceased_on,
                spouse: if is_widow { self.spouse.clone() } else { None },
                no_work_income: is_widow && self.no_work_income,
                wulao: dedup(&self.wulao),
                roles,
                specialties,
                merged_into: None,
            }),
            _ => Err(errs),
        }
    }
}

fn dedup<T: Ord + Copy>(items: &[T]) -> Vec<T> {
    let mut v = items.to_vec();
    v.sort();
    v.dedup();
    v
}

fn check_len(errs: &mut FieldErrors, field: &'static str, label: &'static str, text: &str, max: usize) {
    if text.chars().count() > max {
        errs.push(field, label, format!("不能超过{max}个字"));
    } else if text.chars().any(super::validate::hidden_char) {
        errs.push(field, label, "含有看不见的控制字符，请删除后重新输入");
    }
}

/// An optional date field: empty is `None`; a bad or future date is an error at the field.
fn parse_date(
    text: &str,
    today: Date,
    errs: &mut FieldErrors,
    field: &'static str,
    label: &'static str,
) -> Option<Date> {
    match text.trim() {
        "" => None,
        t => match super::date::as_typed(t).parse::<Date>() {
            Err(e) => {
                errs.push(field, label, e.to_string());
                None
            }
            Ok(d) if d > today => {
                errs.push(field, label, format!("{label}不能晚于今天"));
                None
            }
            Ok(d) => Some(d),
        },
    }
}

/// Trims and folds runs of white space (including the full-width space) to one ASCII space.
fn collapse_spaces(s: &str) -> String {
    s.split(char::is_whitespace).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::fixtures::today;

    fn form() -> PersonForm {
        PersonForm {
            name: " 王　建国 ".into(),
            gender: "male".into(),
            birth_date: "1931-05-04".into(),
            category: "lixiu".into(),
            township: "双堰街道".into(),
            ..PersonForm::default()
        }
    }

    fn err(f: PersonForm, field: &str) -> Option<String> {
        f.validate(today()).err().and_then(|e| e.get(field).map(str::to_owned))
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
        let f = PersonForm { birth_date: "2030-01-01".into(), ..PersonForm::default() };
        let errs = f.validate(today()).unwrap_err();
        expect_test::expect!["姓名：请填写姓名；性别：请选择性别；类别：请选择类别；出生日期：出生日期不能晚于今天；乡镇（街道）：请填写所在乡镇或街道"]
            .assert_eq(&errs.to_string());
    }

    #[test]
    fn birth_dates_bounded_and_well_formed() {
        let check = |s: &str| err(PersonForm { birth_date: s.into(), ..form() }, "birth_date");
        assert_eq!(check("2026-11-29"), None, "born today is allowed");
        assert_eq!(check("2026-11-30").as_deref(), Some("出生日期不能晚于今天"));
        assert_eq!(check("1899-12-31").as_deref(), Some("出生日期不能早于1900年"));
        assert_eq!(check("1950-02-30").as_deref(), Some("日期不存在"));
        // As typed on a number pad or copied from a roster: read as the date it is.
        assert_eq!(check("1950/2/3"), None);
        assert_eq!(check("19500203"), None);
        assert_eq!(check("50/2/3").as_deref(), Some("日期格式应为 年-月-日，例如 1950-07-01"));
        assert_eq!(check("").as_deref(), Some("请填写出生日期"));
    }

    #[test]
    fn people_outside_the_registry_need_only_name_gender_category() {
        let f = PersonForm {
            name: "李老师".into(),
            gender: "female".into(),
            category: "other".into(),
            roles: vec![Role::Teacher],
            specialties: "园艺".into(),
            ..PersonForm::default()
        };
        let p = f.validate(today()).unwrap();
        assert_eq!((p.birth_date, p.township.as_str()), (None, ""));
        assert_eq!(p.roles, vec![Role::Teacher]);
    }

    #[test]
    fn id_number_must_agree_with_birth_date_and_gender() {
        let with_id = |id: &str, birth: &str, gender: &str| {
            err(
                PersonForm { id_number: id.into(), birth_date: birth.into(), gender: gender.into(), ..form() },
                "id_number",
            )
        };
        assert_eq!(with_id("520424193105040016", "1931-05-04", "male"), None);
        assert_eq!(
            with_id("520424193105040016", "1931-05-05", "male").as_deref(),
            Some("身份证号中的出生日期是1931-05-04，与填写的出生日期不一致")
        );
        assert_eq!(
            with_id("520424193105040016", "1931-05-04", "female").as_deref(),
            Some("身份证号显示为男性，与所选性别不一致")
        );
        assert_eq!(
            with_id("520424193105040017", "1931-05-04", "male").as_deref(),
            Some("身份证号校验位不正确，请核对是否输错")
        );
        // Lower-case x is accepted and stored upper-case.
        let p = PersonForm {
            id_number: "11010519491231002x".into(),
            birth_date: "1949-12-31".into(),
            gender: "female".into(),
            ..form()
        }
        .validate(today())
        .unwrap();
        assert_eq!(p.id_number, "11010519491231002X");
    }

    #[test]
    fn phone_is_normalised_or_refused() {
        let p = PersonForm { phone: "138-0857-1234".into(), ..form() }.validate(today()).unwrap();
        assert_eq!(p.phone, "13808571234");
        assert_eq!(p.masked_phone(), "138****1234");
        assert!(err(PersonForm { phone: "12345".into(), ..form() }, "phone").is_some());
    }

    #[test]
    fn deceased_needs_a_sensible_date() {
        assert_eq!(err(PersonForm { deceased: true, ..form() }, "deceased_on").as_deref(), Some("请填写去世日期"));
        assert_eq!(
            err(PersonForm { deceased: true, deceased_on: "1930-01-01".into(), ..form() }, "deceased_on").as_deref(),
            Some("去世日期不能早于出生日期")
        );
        assert_eq!(
            err(PersonForm { deceased: true, deceased_on: "2027-01-01".into(), ..form() }, "deceased_on").as_deref(),
            Some("去世日期不能晚于今天")
        );
        let p = PersonForm { deceased: true, deceased_on: "2024-03-01".into(), ..form() }.validate(today()).unwrap();
        assert!(!p.is_living());
        // Unticking "deceased" clears the date.
        let p = PersonForm { deceased: false, deceased_on: "2024-03-01".into(), ..form() }.validate(today()).unwrap();
        assert!(p.is_living());
    }

    #[test]
    fn widow_fields_apply_only_to_widows() {
        let cadre = RecordId::from_random([1; 16]);
        let widow = PersonForm {
            category: "widow".into(),
            gender: "female".into(),
            spouse: Some(cadre.clone()),
            no_work_income: true,
            ..form()
        };
        let p = widow.clone().validate(today()).unwrap();
        assert_eq!((p.spouse, p.no_work_income), (Some(cadre), true));
        let p = PersonForm { category: "tuixiu".into(), ..widow }.validate(today()).unwrap();
        assert_eq!((p.spouse, p.no_work_income), (None, false));
    }

    #[test]
    fn ages_and_birthdays() {
        let p = form().validate(today()).unwrap();
        assert_eq!(p.age_on(today()), Some(95));
        assert_eq!(p.age_on(Date::new(2026, 5, 3).unwrap()), Some(94));
        assert_eq!(p.next_birthday(today()), Date::new(2027, 5, 4));
        assert_eq!(p.next_birthday(Date::new(2026, 5, 4).unwrap()), Date::new(2026, 5, 4));
        let leap = PersonForm { birth_date: "1932-02-29".into(), ..form() }.validate(today()).unwrap();
        assert_eq!(leap.next_birthday(today()), Date::new(2027, 2, 28));
        assert_eq!(leap.next_birthday(Date::new(2028, 1, 1).unwrap()), Date::new(2028, 2, 29));
    }

    #[test]
    fn masks_keep_the_ends() {
        let p = Person { id_number: "520424193105040016".into(), ..form().validate(today()).unwrap() };
        assert_eq!(p.masked_id(), "520424********0016");
        assert_eq!(Person { phone: "0857-7621234".into(), ..p.clone() }.masked_phone(), "085*****1234");
        assert_eq!(Person { phone: String::new(), ..p }.masked_phone(), "");
    }

    #[test]
    fn records_from_the_first_schema_still_read() {
        let old =
            r#"{"name":"王 建国","gender":"male","birth_date":"1931-05-04","category":"lixiu","township":"双堰街道"}"#;
        let p: Person = serde_json::from_str(old).unwrap();
        assert_eq!(p, form().validate(today()).unwrap());
    }

    #[test]
    fn stored_shape_uses_stable_keys() {
        let p = PersonForm { wulao: vec![WuLao::Teacher, WuLao::Cadre], roles: vec![Role::Lecturer], ..form() }
            .validate(today())
            .unwrap();
        expect_test::expect![[r#"{"name":"王 建国","gender":"male","birth_date":"1931-05-04","category":"lixiu","township":"双堰街道","village":"","former_unit":"","post":"","party_member":false,"branch":null,"phone":"","id_number":"","health":"","deceased_on":null,"spouse":null,"no_work_income":false,"wulao":["cadre","teacher"],"roles":["lecturer"],"specialties":""}"#]]
            .assert_eq(&serde_json::to_string(&p).unwrap());
    }
}
