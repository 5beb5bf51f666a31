//! Importing a roster from a spreadsheet (CSV): pick the file, match its columns, check every
//! row, then add the good ones in one transaction.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::domain::{Org, OrgForm, OrgKind, Person};
use crate::storage::web;
use crate::sync::csv::{self, Column, Roster};
use crate::ui::data;
use crate::ui::files;
use crate::ui::widgets::{app_state, FilePick};

const LIMIT: usize = 20 * 1024 * 1024;

/// A parsed sheet: file name, header row, data rows with their line numbers.
#[derive(Clone)]
struct Sheet {
    name: String,
    headers: Vec<String>,
    rows: std::sync::Arc<Vec<(usize, Vec<String>)>>,
}

#[component]
pub fn RosterImport() -> impl IntoView {
    let state = app_state();
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();
    let sheet = RwSignal::new(None::<Sheet>);
    let columns = RwSignal::new(Vec::<Column>::new());
    let error = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();

    let pick = move |_| {
        let Some(el) = input.get_untracked() else { return };
        let el: web_sys::HtmlInputElement = el.unchecked_into();
        spawn_local(async move {
            error.set(None);
            sheet.set(None);
            let picked = match files::read_spreadsheet(&el, LIMIT).await {
                Ok(Some(p)) => p,
                Ok(None) => return,
                Err(e) => return error.set(Some(e)),
            };
            match csv::parse(&picked.text) {
                Err(e) => error.set(Some(format!("文件 {}：{e}", picked.name))),
                Ok(mut rows) => {
                    let (_, headers) = rows.remove(0);
                    columns.set(headers.iter().map(|h| Column::guess(h)).collect());
                    sheet.set(Some(Sheet { name: picked.name, headers, rows: rows.into() }));
                }
            }
        });
    };

    // Re-checked whenever a column mapping changes.
    let check = Memo::new(move |_| {
        let s = sheet.get()?;
        let cols = columns.get();
        let registered: Vec<Person> = people.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|v| v.iter().filter(|p| !p.deleted).map(|p| p.body.clone()).collect())
        })?;
        let branches: Vec<(String, crate::domain::RecordId)> = orgs.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).map(|v| {
                v.iter()
                    .filter(|o| !o.deleted && o.body.kind == OrgKind::Branch)
                    .map(|o| (o.body.name.clone(), o.id.clone()))
                    .collect()
            })
        })?;
        let refs: Vec<&Person> = registered.iter().collect();
        let find = |name: &str| branches.iter().find(|(n, _)| n == name).map(|(_, id)| id.clone());
        Some(std::sync::Arc::new(csv::roster(&s.rows, &cols, web::today(), &refs, &find)))
    });

    // `with_held`: also the rows naming a branch this device lacks, without their branch.
    let import = move |with_held: bool| {
        let Some(r) = check.get_untracked() else { return };
        let name = sheet.get_untracked().map(|s| s.name).unwrap_or_default();
        let held = if with_held { r.held.as_slice() } else { &[] };
        let bodies: Vec<Person> = r.people.iter().chain(held).map(|(_, p)| p.clone()).collect();
        spawn_local(async move {
            match data::create_all(bodies).await {
                Ok(n) => {
                    state.say(format!("已从 {name} 导入 {n} 人"));
                    sheet.set(None);
                    // The page may be gone by now (left during the import): try, never panic.
                    if let Some(Some(el)) = input.try_get_untracked() {
                        el.set_value("");
                    }
                }
                Err(e) => error.set(Some(format!("文件 {name}：{e}"))),
            }
            state.changed();
        });
    };
    let confirm = move |_| import(false);
    let without_branch = move |_| import(true);
    // One change: every missing branch at once; the check then finds them and the held rows
    // join the importable ones.
    let create_branches = move |_| {
        let Some(r) = check.get_untracked() else { return };
        let mut orgs = Vec::new();
        for name in r.missing_branches.keys() {
            let form =
                OrgForm { kind: "branch".into(), name: name.clone(), level: "county".into(), ..OrgForm::default() };
            match form.validate() {
                Ok(org) => orgs.push(org),
                Err(e) => return error.set(Some(format!("支部“{name}”：{e}"))),
            }
        }
        spawn_local(async move {
            match data::create_all(orgs).await {
                Ok(n) => state.say(format!("已新建 {n} 个支部，请核对后导入")),
                Err(e) => error.set(Some(e.to_string())),
            }
            state.changed();
        });
    };

    view! {
        <section class="page">
            <h1>"从表格导入名册"</h1>
            <p class="muted">"在 Excel 或 WPS 里把名册“另存为” CSV 文件（UTF-8 或默认编码都可以），第一行是表头，如：姓名、性别、出生日期、类别、乡镇、原单位、职务、联系电话、所属支部、身份证号、无工作收入（遗孀填“是”）。"</p>
            <FilePick label="选择 CSV 文件">
                <input type="file" class="hidden-input" node_ref=input accept=".csv,text/csv" data-test="roster-file" on:change=pick/>
            </FilePick>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-test="roster-error">{e}</p> })}
            {move || sheet.get().map(|s| view! {
                <h2>"核对表头"</h2>
                <div class="mapping">{s.headers.iter().enumerate().map(|(i, h)| view! {
                    <label class="field">
                        <span class="field-label">{format!("第 {} 列“{h}”", i + 1)}</span>
                        <select prop:value=move || columns.with(|c| c.get(i).map_or(0, |c| Column::ALL.iter().position(|x| x == c).unwrap_or(0)).to_string())
                            on:change=move |ev| {
                                let pick = event_target_value(&ev).parse::<usize>().ok().and_then(|n| Column::ALL.get(n).copied());
                                columns.update(|c| if let (Some(slot), Some(p)) = (c.get_mut(i), pick) { *slot = p });
                            }>
                            {Column::ALL.iter().enumerate().map(|(n, c)| view! { <option value=n.to_string()>{c.label()}</option> }).collect_view()}
                        </select>
                    </label>
                }).collect_view()}</div>
            })}
            {move || check.get().map(|r| summary(&r, confirm, create_branches, without_branch))}
        </section>
    }
}

/// Rows with the same problem, as one line: "第 2、3、4 行等 32 行：…".
fn grouped(errors: &[csv::RowError]) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for e in errors {
        match groups.iter_mut().find(|(m, _)| *m == e.message) {
            Some((_, lines)) => lines.push(e.line),
            None => groups.push((&e.message, vec![e.line])),
        }
    }
    groups
        .into_iter()
        .map(|(message, lines)| {
            let shown: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
            let more = if lines.len() > 5 { format!(" 等 {} 行", lines.len()) } else { String::new() };
            format!("第 {} 行{more}：{message}", shown.join("、"))
        })
        .collect()
}

fn summary(
    r: &Roster,
    confirm: impl Fn(leptos::ev::MouseEvent) + 'static,
    create_branches: impl Fn(leptos::ev::MouseEvent) + 'static,
    without_branch: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let n = r.people.len();
    let held = r.held.len();
    let branches: Vec<String> = r.missing_branches.iter().map(|(b, rows)| format!("“{b}”（{rows} 行）")).collect();
    view! {
        <div class="card" data-test="roster-check">
            <p>{format!("可导入 {} 人；已在名册中（跳过）{} 人；有问题 {} 行。", n, r.existing.len(), r.errors.len())}</p>
            {(held > 0).then(|| view! {
                <div class="warning" data-test="roster-branches">
                    <p>{format!("另有 {held} 人填写的所属支部本机还没有：{}。", branches.join("、"))}</p>
                    <p class="actions">
                        <button type="button" class="button" on:click=create_branches>"新建这些支部"</button>
                        <button type="button" class="button" on:click=without_branch>{format!("不填所属支部，连同这 {held} 人一起导入")}</button>
                    </p>
                </div>
            })}
            {(!r.errors.is_empty()).then(|| view! {
                <ul class="problems">{grouped(&r.errors).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                <p class="muted">"有问题的行不会导入：在表格里改正后可再导入一次，已导入的人会自动跳过。"</p>
            })}
            <button type="button" class="button primary" disabled=n == 0 on:click=confirm data-test="roster-confirm">
                {format!("导入 {n} 人")}
            </button>
        </div>
    }
}
