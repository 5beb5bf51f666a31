//! Spreadsheets: CSV that Excel and WPS open correctly, and rosters imported from them.
//!
//! Decoding (UTF-8 or GB18030) happens at the browser edge with `TextDecoder`; this module
//! sees text. Writing adds a byte-order mark (Excel needs it to read UTF-8) and defuses cells
//! that a spreadsheet would run as formulas.

use std::collections::HashSet;

use crate::domain::{Category, Date, Gender, Person, PersonForm, RecordId};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("表格是空的")]
    Empty,
    #[error("第 {0} 行：引号没有配对，表格可能已损坏")]
    Quote(usize),
}

/// Rows of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). Blank
/// lines are dropped; each row keeps its line number in the file for messages.
pub fn parse(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let (mut line, mut start, mut quoted, mut was_quoted) = (1, 1, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
            }
            (false, '"') if cell.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                row.push(std::mem::take(&mut cell));
                was_quoted = false;
            }
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                if row.iter().any(|c| !c.trim().is_empty()) {
                    rows.push((start, std::mem::take(&mut row)));
                }
                row.clear();
                was_quoted = false;
                line += 1;
                start = line;
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(CsvError::Quote(start));
    }
    row.push(cell);
    if row.iter().any(|c| !c.trim().is_empty()) {
        rows.push((start, row));
    }
    if rows.is_empty() {
        return Err(CsvError::Empty);
    }
    Ok(rows)
}

/// One cell as written: quoted when needed; a leading = + - @ (or tab, CR) gets a `'` so a
/// spreadsheet shows it as text instead of running it.
fn cell(out: &mut String, s: &str) {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky || s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if risky {
            out.push('\'');
        }
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// A whole CSV file: BOM, CRLF line ends.
pub fn write<R: AsRef<[String]>>(rows: &[R]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        for (i, c) in row.as_ref().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell(&mut out, c);
        }
        out.push_str("\r\n");
    }
    out
}

/// A roster column: which person field a spreadsheet column fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Ignore,
    Name,
    Gender,
    BirthDate,
    Category,
    Township,
    Village,
    FormerUnit,
    Post,
    Party,
    Branch,
    Phone,
    IdNumber,
    Health,
    NoWorkIncome,
}

impl Column {
    pub const ALL: [Column; 15] = [
        Column::Ignore,
        Column::Name,
        Column::Gender,
        Column::BirthDate,
        Column::Category,
        Column::Township,
        Column::Village,
        Column::FormerUnit,
        Column::Post,
        Column::Party,
        Column::Branch,
        Column::Phone,
        Column::IdNumber,
        Column::Health,
        Column::NoWorkIncome,
    ];

    /// The header this app writes, and the label in the mapping step.
    pub fn label(self) -> &'static str {
        match self {
            Column::Ignore => "（不导入）",
            Column::Name => "姓名",
            Column::Gender => "性别",
            Column::BirthDate => "出生日期",
            Column::Category => "类别",
            Column::Township => "乡镇",
            Column::Village => "村（社区）",
            Column::FormerUnit => "原单位",
            Column::Post => "职务",
            Column::Party => "党员",
            Column::Branch => "所属支部",
            Column::Phone => "联系电话",
            Column::IdNumber => "身份证号",
            Column::Health => "健康状况",
            Column::NoWorkIncome => "无工作收入",
        }
    }

    /// Guesses from a header as offices write them (原工作单位, 手机, 出生年月...).
    pub fn guess(header: &str) -> Column {
        let h: String = header.chars().filter(|c| !c.is_whitespace() && !"（）()*".contains(*c)).collect();
        // In this order: the first entry with a word the header holds wins.
        #[rustfmt::skip]
        const WORDS: [(&[&str], Column); 14] = [
            (&["身份证", "证件号"], Column::IdNumber), (&["无工作", "无收入", "工作收入"], Column::NoWorkIncome),
            (&["姓名", "名字"], Column::Name), (&["性别"], Column::Gender), (&["出生"], Column::BirthDate),
            (&["类别", "类型", "离退休"], Column::Category), (&["支部"], Column::Branch),
            (&["乡镇", "街道"], Column::Township), (&["村", "社区"], Column::Village),
            (&["单位"], Column::FormerUnit), (&["职务", "职级"], Column::Post),
            (&["党员", "政治面貌"], Column::Party), (&["电话", "手机", "联系方式"], Column::Phone),
            (&["健康", "身体"], Column::Health),
        ];
        WORDS.iter().find(|(words, _)| words.iter().any(|w| h.contains(w))).map_or(Column::Ignore, |&(_, c)| c)
    }
}

/// Dates as spreadsheets hold them: 1935-03-08, 1935/3/8, 1935.3.8, 1935年3月8日, 19350308,
/// or an Excel day number (days since 1899-12-30).
pub fn loose_date(s: &str) -> String {
    let s = s.trim();
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        let serial: i64 = s.parse().unwrap_or(0);
        if let Some(d) = Date::from_days(serial - 25_569) {
            return d.to_string();
        }
    }
    crate::domain::date::as_typed(s)
}

fn gender_key(s: &str) -> String {
    match s.trim() {
        "男" | "男性" => Gender::Male.key().into(),
        "女" | "女性" => Gender::Female.key().into(),
        other => other.into(),
    }
}

fn category_key(s: &str) -> String {
    let s = s.trim();
    Category::ALL
        .iter()
        .find(|c| s == c.key() || (!s.is_empty() && (s.starts_with(c.label()) || c.label().starts_with(s))))
        .map_or_else(|| s.to_owned(), |c| c.key().to_owned())
}

fn yes(s: &str) -> bool {
    matches!(s.trim(), "是" | "党员" | "中共党员" | "中国共产党党员" | "Y" | "y" | "√" | "1")
}

/// A row that could not become a person, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// What a roster import would do.
#[derive(Debug, Default, PartialEq)]
pub struct Roster {
    pub people: Vec<(usize, Person)>,
    /// Rows already in the registry (same ID number, or same name and birth date).
    pub existing: Vec<(usize, String)>,
    pub errors: Vec<RowError>,
    /// Rows good in every way but naming a branch this device does not have: the user
    /// chooses to create the branches (then they import with it) or import them without it.
    pub held: Vec<(usize, Person)>,
    /// Those branch names, with how many rows name each.
    pub missing_branches: std::collections::BTreeMap<String, usize>,
}

/// Turns data rows into people by `columns`, checks each like the registration form, and
/// sets aside people already registered (or listed twice). `branch` finds a branch by name.
pub fn roster(
    rows: &[(usize, Vec<String>)],
    columns: &[Column],
    today: Date,
    registered: &[&Person],
    branch: &dyn Fn(&str) -> Option<RecordId>,
) -> Roster {
    let key_of = |p: &Person| (p.name.clone(), p.birth_date);
    let mut ids: HashSet<String> =
        registered.iter().filter(|p| !p.id_number.is_empty()).map(|p| p.id_number.clone()).collect();
    let mut names: HashSet<(String, Option<Date>)> = registered.iter().map(|p| key_of(p)).collect();
    let mut out = Roster::default();
    for (line, row) in rows {
        let mut form = PersonForm::default();
        let mut problems = Vec::new();
        let mut missing = None;
        for (col, value) in columns.iter().zip(row) {
            let v = value.trim();
            match col {
                Column::Ignore => {}
                Column::Name => form.name = v.into(),
                Column::Gender => form.gender = gender_key(v),
                Column::BirthDate => form.birth_date = loose_date(v),
                Column::Category => form.category = category_key(v),
                Column::Township => form.township = v.into(),
                Column::Village => form.village = v.into(),
                Column::FormerUnit => form.former_unit = v.into(),
                Column::Post => form.post = v.into(),
                Column::Party => form.party_member = yes(v),
                Column::Branch if v.is_empty() => {}
                Column::Branch => match branch(v) {
                    Some(id) => form.branch = Some(id),
                    None => missing = Some(v.to_owned()),
                },
                Column::Phone => form.phone = v.into(),
                Column::IdNumber => form.id_number = v.into(),
                Column::Health => form.health = v.into(),
                Column::NoWorkIncome => form.no_work_income = yes(v),
            }
        }
        match form.validate(today) {
            Err(e) => problems.extend(e.0.iter().map(|f| f.to_string())),
            Ok(p) if problems.is_empty() => {
                let dup = (!p.id_number.is_empty() && !ids.insert(p.id_number.clone())) | !names.insert(key_of(&p));
                if dup {
                    out.existing.push((*line, p.name));
                } else if let Some(name) = missing.take() {
                    *out.missing_branches.entry(name).or_default() += 1;
                    out.held.push((*line, p));
                } else {
                    out.people.push((*line, p));
                }
            }
            Ok(_) => {}
        }
        if let (Some(v), false) = (missing, problems.is_empty()) {
            problems.insert(0, format!("所属支部：本机还没有名为“{v}”的支部"));
        }
        if !problems.is_empty() {
            out.errors.push(RowError { line: *line, message: problems.join("；") });
        }
    }
    out
}

/// The registry as a spreadsheet, with the headers [`roster`] reads back.
pub fn roster_csv(people: &[&Person], branch_name: &dyn Fn(&RecordId) -> String) -> String {
    let cols = &Column::ALL[1..];
    let mut rows: Vec<Vec<String>> = vec![cols.iter().map(|c| c.label().to_owned()).collect()];
    for p in people {
        rows.push(
            cols.iter()
                .map(|c| match c {
                    Column::Ignore => String::new(),
                    Column::Name => p.name.clone(),
                    Column::Gender => p.gender.label().into(),
                    Column::BirthDate => p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                    Column::Category => p.category.label().into(),
                    Column::Township => p.township.clone(),
                    Column::Village => p.village.clone(),
                    Column::FormerUnit => p.former_unit.clone(),
                    Column::Post => p.post.clone(),
                    Column::Party => if p.party_member { "是" } else { "否" }.into(),
                    Column::Branch => p.branch.as_ref().map(branch_name).unwrap_or_default(),
                    Column::Phone => p.phone.clone(),
                    Column::IdNumber => p.id_number.clone(),
                    Column::Health => p.health.clone(),
                    Column::NoWorkIncome => if p.no_work_income { "是" } else { "否" }.into(),
                })
                .collect(),
        );
    }
    write(&rows)
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::domain::fixtures::today;

    #[test]
    fn quoted_cells_commas_quotes_and_line_breaks() {
        let rows = parse("\u{feff}姓名,备注\r\n王建国,\"住东街,\"\"老宅\"\"\n二楼\"\r\n\r\n李梅,\n").unwrap();
        assert_eq!(rows.len(), 3, "the blank line is dropped");
        assert_eq!(rows[2], (5, vec!["李梅".to_string(), String::new()]));
        assert_eq!(rows[0], (1, vec!["姓名".to_string(), "备注".into()]));
        assert_eq!(rows[1].1[1], "住东街,\"老宅\"\n二楼");
        assert_eq!(rows[1].0, 2);
        assert_eq!(parse("a,\"b\nc"), Err(CsvError::Quote(1)));
        assert_eq!(parse("\n\n"), Err(CsvError::Empty));
    }

    #[test]
    fn written_csv_opens_in_excel_and_never_runs_formulas() {
        let rows = vec![vec![
            "=1+1".to_string(),
            "+86 139".into(),
            "-5".into(),
            "@SUM(A1)".into(),
            "a,b".into(),
            "普通".into(),
        ]];
        expect_test::expect![[r#"
            ﻿"'=1+1","'+86 139","'-5","'@SUM(A1)","a,b",普通
        "#]]
        .assert_eq(&write(&rows).replace("\r\n", "\n"));
        assert!(write(&rows).starts_with('\u{feff}'));
    }

    #[test]
    fn dates_as_spreadsheets_hold_them() {
        for (given, iso) in [
            ("1935-03-08", "1935-03-08"),
            ("1935/3/8", "1935-03-08"),
            ("1935.3.8", "1935-03-08"),
            ("1935年3月8日", "1935-03-08"),
            ("19350308", "1935-03-08"),
            ("12851", "1935-03-08"),
        ] {
            assert_eq!(loose_date(given), iso, "{given}");
        }
    }

    #[test]
    fn headers_are_guessed_from_what_offices_write() {
        let got: Vec<Column> = [
            "姓 名",
            "性别",
            "出生年月",
            "人员类别",
            "原工作单位",
            "原职务",
            "手机号码",
            "所属党支部",
            "乡镇（街道）",
            "身份证号码",
            "备注",
        ]
        .iter()
        .map(|h| Column::guess(h))
        .collect();
        use Column::*;
        assert_eq!(
            got,
            [Name, Gender, BirthDate, Category, FormerUnit, Post, Phone, Branch, Township, IdNumber, Ignore]
        );
    }

    #[test]
    fn the_no_work_income_column_is_recognised_and_read() {
        assert_eq!(Column::guess("是否无工作收入"), Column::NoWorkIncome);
        let rows = parse("姓名,性别,出生日期,类别,乡镇,无工作收入\n李梅,女,1940-02-03,遗孀,城关镇,是\n").unwrap();
        let columns: Vec<Column> = rows[0].1.iter().map(|h| Column::guess(h)).collect();
        let r = roster(&rows[1..], &columns, today(), &[], &|_| None);
        assert!(r.people[0].1.no_work_income, "{:?}", r.errors);
    }

    #[test]
    fn a_roster_imports_good_rows_and_names_each_bad_one() {
        let text = "姓名,性别,出生日期,类别,乡镇,联系电话,所属支部\n\
                    王建国,男,1931/5/4,离休,城关镇,13900000001,第一支部\n\
                    李梅,女,1940-02-30,退休,城关镇,,\n\
                    张三,男,1950-01-01,退休,城关镇,123,第九支部\n\
                    王建国,男,1931-05-04,离休干部,城关镇,,\n\
                    赵六,男,1948-06-01,退休,八步街道,0774-5123456,\n";
        let rows = parse(text).unwrap();
        let columns: Vec<Column> = rows[0].1.iter().map(|h| Column::guess(h)).collect();
        let first = RecordId::from_random([1; 16]);
        let branch = |name: &str| (name == "第一支部").then(|| first.clone());
        let r = roster(&rows[1..], &columns, today(), &[], &branch);
        assert_eq!(
            r.people.iter().map(|(l, p)| (*l, p.name.as_str())).collect::<Vec<_>>(),
            [(2, "王建国"), (6, "赵六")]
        );
        assert_eq!(r.people[0].1.branch, Some(first.clone()));
        assert_eq!(r.existing, [(5, "王建国".to_string())]);
        let errors: String = r.errors.iter().map(|e| format!("第 {} 行：{}\n", e.line, e.message)).collect();
        expect_test::expect![[r#"
            第 3 行：出生日期：日期不存在
            第 4 行：所属支部：本机还没有名为“第九支部”的支部；联系电话：请填写11位手机号，或带区号的固定电话（如 0857-7621234）
        "#]].assert_eq(&errors);
        assert!(r.held.is_empty(), "a row with other problems is not held, it is refused");

        // A good row naming a branch this device lacks waits for the user's choice.
        let text = "姓名,性别,出生日期,类别,乡镇,所属支部\n\
                    孙七,男,1950-01-01,退休,城关镇,第九支部\n\
                    周八,男,1951-01-01,退休,城关镇,第九支部\n";
        let rows = parse(text).unwrap();
        let columns: Vec<Column> = rows[0].1.iter().map(|h| Column::guess(h)).collect();
        let held = roster(&rows[1..], &columns, today(), &[], &branch);
        assert!(held.errors.is_empty() && held.people.is_empty());
        assert_eq!(held.held.iter().map(|(l, p)| (*l, p.branch.clone())).collect::<Vec<_>>(), [(2, None), (3, None)]);
        assert_eq!(held.missing_branches, [("第九支部".to_string(), 2)].into_iter().collect());

        // What the app exports, it reads back.
        let people: Vec<&Person> = r.people.iter().map(|(_, p)| p).collect();
        let csv = roster_csv(&people, &|_| "第一支部".to_string());
        let rows = parse(&csv).unwrap();
        let columns: Vec<Column> = rows[0].1.iter().map(|h| Column::guess(h)).collect();
        let back = roster(&rows[1..], &columns, today(), &[], &branch);
        assert!(back.errors.is_empty(), "{:?}", back.errors);
        assert_eq!(back.people.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>()[0], r.people[0].1);
    }
}
