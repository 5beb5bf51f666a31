//! Organisations: retiree party branches, volunteer teams and groups, bases and cooperatives.

use serde::{Deserialize, Serialize};

use super::keyed::keyed_enum;
use super::validate::normalize_phone;
use super::{FieldErrors, RecordId};

keyed_enum!(
    OrgKind {
        Branch = "branch", "离退休干部党支部";
        VolunteerTeam = "volunteer_team", "志愿服务队";
        LectureGroup = "lecture_group", "宣讲团";
        ExpertGroup = "expert_group", "农业专家组";
        Base = "base", "示范基地";
        Cooperative = "cooperative", "合作社";
        // The county's 老干部服务中心: its own lectures and services are figures of their own in
        // the county's report. Files holding one say schema 3 (an older reader refuses them).
        ServiceCentre = "service_centre", "老干部服务中心";
    }
);

keyed_enum!(Level {
    County = "county", "县级";
    Township = "township", "乡镇级";
});

impl OrgKind {
    /// Teams and groups list their members and plan a theme a month (一月一主题).
    pub fn is_team(self) -> bool {
        matches!(self, OrgKind::VolunteerTeam | OrgKind::LectureGroup | OrgKind::ExpertGroup)
    }

    /// Branches take their members from each person's `branch` field, not a list here.
    pub fn is_branch(self) -> bool {
        self == OrgKind::Branch
    }

    /// Bases and cooperatives have a product; a base is paired 1+1+1 with an expert and an area.
    pub fn is_site(self) -> bool {
        matches!(self, OrgKind::Base | OrgKind::Cooperative)
    }

    /// What `Org::leader` means for this kind.
    pub fn leader_label(self) -> &'static str {
        match self {
            OrgKind::Branch => "支部书记",
            OrgKind::Base => "结对专家（1+1+1）",
            OrgKind::Cooperative => "联系专家",
            _ => "负责人",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTheme {
    /// `YYYY-MM`.
    pub month: String,
    pub theme: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub kind: OrgKind,
    pub name: String,
    pub level: Level,
    /// Where it is based; empty for county-level bodies.
    #[serde(default)]
    pub township: String,
    /// Secretary of a branch, leader of a team, paired expert of a base.
    #[serde(default)]
    pub leader: Option<RecordId>,
    /// A branch's in-service liaison (联络员), usually not in the registry.
    #[serde(default)]
    pub liaison: String,
    #[serde(default)]
    pub liaison_phone: String,
    /// Members of a team or group.
    #[serde(default)]
    pub members: Vec<RecordId>,
    #[serde(default)]
    pub themes: Vec<MonthTheme>,
    /// A base's area (片区) in the 1+1+1 pairing.
    #[serde(default)]
    pub area: String,
    /// What a base or cooperative produces (竹笋, 生猪...).
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub notes: String,
}

impl Org {
    /// Whether a list search finds it: by name, township, area or product.
    pub fn matches(&self, query: &str) -> bool {
        query.is_empty() || [&self.name, &self.township, &self.area, &self.product].iter().any(|f| f.contains(query))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub kind: String,
    pub name: String,
    pub level: String,
    pub township: String,
    pub leader: Option<RecordId>,
    pub liaison: String,
    pub liaison_phone: String,
    pub members: Vec<RecordId>,
    /// One `YYYY-MM 主题` a line.
    pub themes: String,
    pub area: String,
    pub product: String,
    pub notes: String,
}

impl OrgForm {
    /// The fields an empty form is refused for, marked on the form before anything is typed
    /// (a test below keeps this list and `validate` in step).
    pub const REQUIRED: [&'static str; 3] = ["kind", "name", "level"];

    pub fn from_org(o: &Org) -> OrgForm {
        OrgForm {
            kind: o.kind.key().into(),
            name: o.name.clone(),
            level: o.level.key().into(),
            township: o.township.clone(),
            leader: o.leader.clone(),
            liaison: o.liaison.clone(),
            liaison_phone: o.liaison_phone.clone(),
            members: o.members.clone(),
            themes: o.themes.iter().map(|t| format!("{} {}", t.month, t.theme)).collect::<Vec<_>>().join("\n"),
            area: o.area.clone(),
            product: o.product.clone(),
            notes: o.notes.clone(),
        }
    }

    pub fn validate(&self) -> Result<Org, FieldErrors> {
        let mut errs = FieldErrors::default();
        let kind = OrgKind::from_key(self.kind.trim());
        if kind.is_none() {
            errs.push("kind", "类型", "请选择组织类型");
        }
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errs.push("name", "名称", "请填写名称");
        } else if name.chars().count() > 60 {
            errs.push("name", "名称", "名称不能超过60个字");
        }
        let level = Level::from_key(self.level.trim());
        if level.is_none() {
            errs.push("level", "级别", "请选择县级或乡镇级");
        }
        let township = self.township.trim().to_owned();
        if level == Some(Level::Township) && township.is_empty() {
            errs.push("township", "乡镇（街道）", "乡镇级组织请填写所在乡镇");
        }
        let liaison_phone = match self.liaison_phone.trim() {
            "" => String::new(),
            t => normalize_phone(t).unwrap_or_else(|e| {
                errs.push("liaison_phone", "联络员电话", e);
                String::new()
            }),
        };
        let mut themes = Vec::new();
        for (i, line) in self.themes.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
            match parse_theme(line) {
                Some(t) => themes.push(t),
                None => errs.push(
                    "themes",
                    "每月主题",
                    format!("第{}行应写成“年-月 主题”，例如 2026-03 学雷锋志愿服务", i + 1),
                ),
            }
        }
        super::order::sort_by(&mut themes, |a, b| a.month.cmp(&b.month));
        let mut members = self.members.clone();
        members.sort();
        members.dedup();

        match (kind, level) {
            (Some(kind), Some(level)) if errs.is_empty() => Ok(Org {
                kind,
                name,
                level,
                township,
                leader: self.leader.clone(),
                liaison: if kind.is_branch() { self.liaison.trim().to_owned() } else { String::new() },
                liaison_phone: if kind.is_branch() { liaison_phone } else { String::new() },
                members: if kind.is_team() { members } else { Vec::new() },
                themes: if kind.is_team() { themes } else { Vec::new() },
                area: if kind.is_site() { self.area.trim().to_owned() } else { String::new() },
                product: if kind.is_site() { self.product.trim().to_owned() } else { String::new() },
                notes: self.notes.trim().to_owned(),
            }),
            _ => Err(errs),
        }
    }
}

fn parse_theme(line: &str) -> Option<MonthTheme> {
    let (month, theme) = line.split_once(char::is_whitespace)?;
    let b = month.as_bytes();
    let ok = b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
        && matches!(month[5..].parse::<u8>(), Ok(1..=12));
    let theme = theme.trim();
    (ok && !theme.is_empty()).then(|| MonthTheme { month: month.to_owned(), theme: theme.to_owned() })
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;

    fn team() -> OrgForm {
        OrgForm {
            kind: "volunteer_team".into(),
            name: "桑榆红志愿服务队".into(),
            level: "township".into(),
            township: "城关镇".into(),
            ..OrgForm::default()
        }
    }

    #[test]
    fn themes_parse_one_a_line_in_month_order() {
        let o = OrgForm { themes: "2026-04 文明祭扫\n\n2026-03 学雷锋志愿服务".into(), ..team() }.validate().unwrap();
        assert_eq!(o.themes.iter().map(|t| t.month.as_str()).collect::<Vec<_>>(), ["2026-03", "2026-04"]);
        assert_eq!(OrgForm::from_org(&o).validate(), Ok(o));
        let e = OrgForm { themes: "2026-03 学雷锋\n三月 防溺水".into(), ..team() }.validate().unwrap_err();
        assert_eq!(e.get("themes"), Some("第2行应写成“年-月 主题”，例如 2026-03 学雷锋志愿服务"));
        assert!(OrgForm { themes: "2026-13 x".into(), ..team() }.validate().is_err());
    }

    #[test]
    fn kind_specific_fields_are_kept_only_where_they_belong() {
        let a = RecordId::from_random([1; 16]);
        let branch = OrgForm {
            kind: "branch".into(),
            name: "老干部第一党支部".into(),
            level: "county".into(),
            liaison: "刘敏".into(),
            liaison_phone: "13908571234".into(),
            members: vec![a.clone()],
            product: "竹笋".into(),
            ..OrgForm::default()
        };
        let o = branch.validate().unwrap();
        assert_eq!((o.liaison.as_str(), o.members.len(), o.product.as_str()), ("刘敏", 0, ""));
        let t = OrgForm { members: vec![a.clone(), a.clone()], liaison: "x".into(), ..team() }.validate().unwrap();
        assert_eq!((t.members, t.liaison.as_str()), (vec![a], ""));
    }

    #[test]
    fn search_by_name_township_area_or_product() {
        let o = OrgForm { kind: "base".into(), area: "东片区".into(), product: "竹笋".into(), ..team() }
            .validate()
            .unwrap();
        for q in ["", "桑榆", "城关", "东片", "竹笋"] {
            assert!(o.matches(q), "{q}");
        }
        assert!(!o.matches("生猪"));
    }

    #[test]
    fn required_fields_and_township_for_township_level() {
        let e = OrgForm::default().validate().unwrap_err();
        expect_test::expect!["类型：请选择组织类型；名称：请填写名称；级别：请选择县级或乡镇级"]
            .assert_eq(&e.to_string());
        let e = OrgForm { township: " ".into(), ..team() }.validate().unwrap_err();
        assert_eq!(e.get("township"), Some("乡镇级组织请填写所在乡镇"));
        let e = OrgForm { kind: "branch".into(), liaison_phone: "123".into(), ..team() }.validate().unwrap_err();
        assert!(e.get("liaison_phone").is_some());
    }
}
