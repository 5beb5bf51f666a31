//! Reports: the county's figures for any period and township, exact and in the article's
//! phrasing, with the records behind each, charts, print and CSV. Every figure comes from
//! `report`; this page only draws.

use leptos::prelude::*;

use crate::domain::order::{natural_cmp, sort_by};

use crate::domain::station::Duty;
use crate::domain::{Activity, Benefit, Date, Feedback, MediationCase, Org, OrgKind, Person, Photo, RecordId};
use crate::report::charts::{by_kind, by_month, Bar};
use crate::report::figures::Registry;
use crate::report::photos::photos_in;
use crate::report::summary::summary;
use crate::report::table::{behind, csv_rows, lines, rota_line, Drill};
use crate::report::totals::{totals, Scope};
use crate::storage::web;
use crate::sync::csv;
use crate::ui::data;
use crate::ui::files;
use crate::ui::photos::StoredPhoto;
use crate::ui::shell::router::{keep_query, kept};
use crate::ui::widgets::{app_state, AppState};

/// Months the charts show at most.
const CHART_MONTHS: usize = 24;
/// Records a drill-down shows at a time, "更多" adding as many again.
const DRILL_PAGE: usize = 50;
/// Photos a report shows at most: a page or two when printed.
const REPORT_PHOTOS: usize = 12;

/// The periods offered, by key (see [`preset`]; `custom` shows two dates).
#[rustfmt::skip]
const PERIODS: [(&str, &str); 6] = [
    ("month", "本月"), ("year", "今年"), ("last_year", "去年"), ("since_2021", "2021年以来"), ("all", "全部时间"), ("custom", "自定义"),
];

fn preset(key: &str, today: Date) -> Option<(Option<Date>, Option<Date>)> {
    let y = today.year();
    Some(match key {
        "month" => (Date::new(y, today.month(), 1), Some(today)),
        "year" => (Date::new(y, 1, 1), Date::new(y, 12, 31)),
        "last_year" => (Date::new(y - 1, 1, 1), Date::new(y - 1, 12, 31)),
        "since_2021" => (Date::new(2021, 1, 1), None),
        "all" => (None, None),
        _ => return None,
    })
}

/// "2026年12月3日", as a hand-in dates itself.
fn chinese_day(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 复制: the summary onto the clipboard, said either way (a phone may refuse; then the text is
/// selected for a long press).
fn copy_summary(state: AppState, text: String) {
    leptos::task::spawn_local(async move {
        if files::copy_text(&text).await {
            state.say("已复制综述，可粘贴到报告中");
        } else {
            select_summary();
            state.say("这个浏览器不让直接复制：综述已选中，请长按选中的文字，选“复制”");
        }
    });
}

fn select_summary() {
    use wasm_bindgen::JsCast;
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-test=summary]").ok().flatten());
    if let Some(area) = found.and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
        let _ = area.focus();
        area.select();
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let state = app_state();
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();
    let activities = data::resource::<Activity>();
    let benefits = data::resource::<Benefit>();
    let cases = data::resource::<MediationCase>();
    let feedback = data::resource::<Feedback>();
    let duties = data::resource::<Duty>();
    let photos = data::resource::<Photo>();
    let today = web::today();
    // The scope lives in the address: back from a drill-down's record, or reloaded, the report
    // is the one that was open.
    let period = kept("period", "year");
    let from = kept("from", "");
    let to = kept("to", "");
    let township = kept("township", "");
    let organiser = kept("organiser", "");
    let recorder = kept("recorder", "");
    Effect::new(move || {
        let custom = period.with(|p| p == "custom");
        let shown = period.get();
        let shown = if shown == "year" { String::new() } else { shown };
        keep_query(&[
            // 今年 is where the report opens anyway: the address says only what differs.
            ("period", shown),
            ("from", if custom { from.get() } else { String::new() }),
            ("to", if custom { to.get() } else { String::new() }),
            ("township", township.get()),
            ("organiser", organiser.get()),
            ("recorder", recorder.get()),
        ])
    });
    // The tapped row (its place in the table) and what it counts; a second tap closes it.
    let open = RwSignal::new(None::<(usize, Drill)>);
    let shown = RwSignal::new(DRILL_PAGE);

    let scope = Memo::new(move |_| {
        let (f, t) = preset(&period.get(), today).unwrap_or_else(|| (from.get().parse().ok(), to.get().parse().ok()));
        let tw = township.get();
        Scope {
            from: f,
            to: t,
            township: (!tw.is_empty()).then_some(tw),
            organiser: RecordId::parse(&organiser.get()).ok(),
            recorder: Some(recorder.get()).filter(|r| !r.is_empty()),
        }
    });
    // Another scope is another table: an open drill-down's row would now be some other figure.
    Effect::new(move |_| {
        scope.track();
        open.set(None);
    });
    // Everything the page draws, recomputed when the scope or the records change.
    let report = Memo::new(move |_| {
        let (p, o, a, b) = (people.get()?, orgs.get()?, activities.get()?, benefits.get()?);
        let (c, f) = (cases.get()?, feedback.get()?);
        let (Ok(p), Ok(o), Ok(a), Ok(b), Ok(c), Ok(f)) = (p, o, a, b, c, f) else {
            return Some(Err("读取本机数据失败".to_owned()));
        };
        let s = scope.get();
        let t = totals(&s, &a, &b, &c, &f, &p, &o);
        let mut list = lines(&s, &t, &Registry::of(&s, &p, &o), &o);
        if let Some(Ok(d)) = duties.get() {
            list.extend(rota_line(&d, &s, today));
        }
        let (sessions, money, per_year) = by_month(&s, &a, &b, &p, CHART_MONTHS);
        let shots = match photos.get() {
            Some(Ok(ph)) => photos_in(&s, &a, &ph, REPORT_PHOTOS),
            _ => Vec::new(),
        };
        // Narrowed to one 记录人, the paragraph says so: copied into a write-up it is not the county's.
        let text = match &s.recorder {
            Some(r) => format!("{r}录入的部分：{}", summary(&s, &t)),
            None => summary(&s, &t),
        };
        Some(Ok((text, list, (sessions, money, per_year), by_kind(&t), shots)))
    });
    // The records behind the tapped row: a tap recomputes only this.
    let drill = Memo::new(move |_| {
        let (Some(Ok(p)), Some(Ok(a)), Some(Ok(b)), Some(Ok(o))) =
            (people.get(), activities.get(), benefits.get(), orgs.get())
        else {
            return Vec::new();
        };
        behind(open.get().map_or(Drill::None, |(_, d)| d), &scope.get(), &a, &b, &p, &o)
    });
    // The filters' choices: they follow the records, not the scope, so a scope change skips them.
    let towns = Memo::new(move |_| -> Vec<String> {
        let (Some(Ok(p)), Some(Ok(a))) = (people.get(), activities.get()) else { return Vec::new() };
        // Distinct names without cloning 100,000 strings first.
        p.iter()
            .map(|r| r.body.township.as_str())
            .chain(a.iter().map(|r| r.body.township.as_str()))
            .filter(|t| !t.is_empty())
            .collect::<std::collections::BTreeSet<&str>>()
            .into_iter()
            .map(str::to_owned)
            .collect()
    });
    // The 记录人 named in activities and payments, for each one's work as logged.
    let recorders = Memo::new(move |_| -> Vec<String> {
        let (Some(Ok(a)), Some(Ok(b))) = (activities.get(), benefits.get()) else { return Vec::new() };
        a.iter()
            .map(|r| &r.clock)
            .chain(b.iter().map(|r| &r.clock))
            .filter_map(|c| c.recorder())
            .map(crate::sync::history::shown_name)
            .filter(|n| !n.is_empty())
            .collect::<std::collections::BTreeSet<String>>()
            .into_iter()
            .collect()
    });
    let teams = Memo::new(move |_| -> Vec<(String, String)> {
        let Some(Ok(o)) = orgs.get() else { return Vec::new() };
        let mut v: Vec<(String, String)> = o
            .iter()
            .filter(|o| !o.deleted && o.body.kind != OrgKind::Base && o.body.kind != OrgKind::Cooperative)
            .map(|o| (o.id.to_string(), o.body.name.clone()))
            .collect();
        sort_by(&mut v, |a, b| natural_cmp(&a.1, &b.1));
        v
    });

    let export = move |_| {
        let Some(Some(Ok((_, list, ..)))) = report.try_get_untracked() else { return };
        let s = scope.get_untracked();
        let name = format!("报表-{}-{}.csv", s.label(), web::local_stamp());
        if let Err(e) = files::download(&name, &csv::write(&csv_rows(&s, &list)), "text/csv") {
            state.say(e);
        }
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };

    view! {
        <section class="page report">
            <h1>"统计报表"</h1>
            // On paper: who reports, and when it was printed (the scope heading follows).
            <p class="print-only">{
                let office = crate::ui::settings::Settings::load().office;
                format!("{} · 打印于 {}", if office.is_empty() { "桑榆".to_owned() } else { office }, crate::storage::web::today())
            }</p>
            <div class="filters no-print">
                <select aria-label="时间范围" prop:value=move || period.get() on:change=move |ev| period.set(event_target_value(&ev))>
                    {PERIODS.map(|(key, label)| view! { <option value=key>{label}</option> }).into_iter().collect_view()}
                </select>
                <Show when=move || period.get() == "custom">
                    <input type="date" aria-label="开始日期" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/>
                    <input type="date" aria-label="结束日期" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))/>
                </Show>
                <select aria-label="乡镇" prop:value=move || township.get() on:change=move |ev| township.set(event_target_value(&ev))>
                    <option value="">"全县"</option>
                    {move || towns.get().into_iter().map(|t| { let (l, on) = (t.clone(), township.with_untracked(|v| *v == t)); view! { <option value=t selected=on>{l}</option> } }).collect_view()}
                </select>
                <select aria-label="组织" prop:value=move || organiser.get() on:change=move |ev| organiser.set(event_target_value(&ev))>
                    <option value="">"全部组织"</option>
                    {move || teams.get().into_iter().map(|(id, n)| { let on = organiser.with_untracked(|v| *v == id); view! { <option value=id selected=on>{n}</option> } }).collect_view()}
                </select>
                <Show when=move || !recorders.with(Vec::is_empty) || !recorder.with(String::is_empty)>
                    <select aria-label="记录人" prop:value=move || recorder.get() on:change=move |ev| recorder.set(event_target_value(&ev))>
                        <option value="">"记录人：全部"</option>
                        {move || recorders.get().into_iter().map(|n| { let on = recorder.with_untracked(|v| *v == n); view! { <option value=n.clone() selected=on>{format!("记录人：{n}")}</option> } }).collect_view()}
                    </select>
                </Show>
            </div>
            // On screen and on paper: the period, and the township and organiser it is narrowed to.
            <h2 data-test="scope">{move || {
                let s = scope.get();
                let by = s.organiser.as_ref().and_then(|id| {
                    teams.with(|t| t.iter().find(|(o, _)| o.as_str() == id.as_str()).map(|(_, n)| format!(" · 组织单位：{n}")))
                });
                // An open-ended period ("2021年以来") says up to when its figures run.
                let until = if s.to.is_none() { format!("（截至{}）", chinese_day(today)) } else { String::new() };
                let label = s.label();
                let rest = format!(
                    "{}{}{}",
                    s.township.map(|t| format!(" · {t}")).unwrap_or_default(),
                    by.unwrap_or_default(),
                    s.recorder.map(|r| format!(" · 只算{r}录入的")).unwrap_or_default()
                );
                view! { {label}<span class="nowrap">{until}</span>{rest} }
            }}</h2>
            {move || match report.get() {
                None => view! { <p class="muted">"正在统计…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e}</p> }.into_any(),
                Some(Ok((text, list, (sessions, money, per_year), kinds, shots))) => view! {
                    <div class="page-head">
                        <h3>"综述"</h3>
                        <button type="button" class="button small no-print" data-test="copy-summary" on:click={
                            let text = text.clone();
                            move |_| copy_summary(state, text.clone())
                        }>"复制"</button>
                    </div>
                    <textarea class="summary no-print" readonly rows="5" data-test="summary">{text.clone()}</textarea>
                    // A textarea prints only the rows it shows: paper gets the whole paragraph.
                    <p class="print-only">{text}</p>
                    // On a desk the table and the charts stand side by side.
                    <div class="report-body"><div class="report-table">
                    <p class="muted phone-only">"每项下面一行：左边是实际数，右边是写材料用的说法。"</p>
                    <table class="table figures" data-test="figures">
                        <thead><tr><th>"类别"</th><th>"项目"</th><th>"实际数"</th><th>"写材料用"</th></tr></thead>
                        <tbody>{list.into_iter().enumerate().map(|(row, l)| {
                            let d = l.drill;
                            let clickable = d != Drill::None;
                            let is_open = move || open.with(|o| o.is_some_and(|(r, _)| r == row));
                            let tap = move |_| if clickable {
                                open.update(|o| *o = if o.is_some_and(|(r, _)| r == row) { None } else { Some((row, d)) });
                                shown.set(DRILL_PAGE);
                            };
                            let title = format!("{} · {}", l.group, l.measure);
                            view! {
                                <tr class:drill=clickable class:open=is_open on:click=tap aria-expanded=move || clickable.then(|| is_open().to_string())>
                                    <th>{l.group}</th><td>{l.measure}</td><td>{l.exact}</td><td>{l.phrase}</td>
                                </tr>
                                // Right under its row, never printed (it would add a hundred pages).
                                {move || is_open().then(|| {
                                    let records = drill.get();
                                    let n = records.len();
                                    let more = n > shown.get();
                                    view! {
                                        <tr class="drill-rows no-print"><td colspan="4">
                                            <p class="drill-title">{if matches!(d, Drill::Organisers(..)) { format!("{title}：{n} 个组织") } else { format!("{title}：{n} 条记录") }}</p>
                                            <ul class="list drill-list" data-test="drill">{records.into_iter().take(shown.get()).map(|(href, t)| if href.is_empty() {
                                                view! { <li>{t}</li> }.into_any()
                                            } else {
                                                view! { <li><a href=href>{t}</a></li> }.into_any()
                                            }).collect_view()}</ul>
                                            {more.then(|| view! {
                                                <button type="button" class="button small more" on:click=move |_| shown.update(|s| *s += DRILL_PAGE)>
                                                    {format!("更多（还有 {} 条）", n - shown.get_untracked())}
                                                </button>
                                            })}
                                        </td></tr>
                                    }
                                })}
                            }
                        }).collect_view()}</tbody>
                    </table>
                    <p class="muted no-print">"点表中的一行，可在这一行下面查看这个数字背后的记录；再点一下收起。"</p>
                    </div><div class="report-charts" data-test="charts">
                    <h3>"各类活动场次"</h3>{bars(kinds)}
                    <h3>{if per_year { "每年活动场次" } else { "每月活动场次" }}</h3>{bars(sessions)}
                    <h3>{if per_year { "每年发放金额" } else { "每月发放金额" }}</h3>{bars(money)}
                    </div></div>
                    {(!shots.is_empty()).then(|| view! {
                        <h3>"活动照片"</h3>
                        <div class="report-photos" data-test="report-photos">{shots.into_iter().map(|(id, caption)| view! {
                            <figure><StoredPhoto id=id full=true/><figcaption>{caption}</figcaption></figure>
                        }).collect_view()}</div>
                    })}
                }.into_any(),
            }}
            <div class="actions no-print">
                <button type="button" class="button" on:click=print>"打印 / 存为PDF"</button>
                <button type="button" class="button" on:click=export>"导出表格"</button>
            </div>
            // On paper: the line a hand-in carries, filled in by hand.
            <p class="print-only sign-line">{
                let office = crate::ui::settings::Settings::load().office;
                format!("填报单位：{office}　　填报人：__________　　填报日期：{}", chinese_day(today))
            }</p>
        </section>
    }
}

/// Horizontal bars drawn as inline SVG: readable on a narrow phone, printable, no script.
fn bars(list: Vec<Bar>) -> impl IntoView {
    const ROW: usize = 26;
    let max = list.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = (list.len() * ROW).max(ROW);
    view! {
        <svg class="chart" viewBox=format!("0 0 360 {height}") width="100%" role="img">
            {list.into_iter().enumerate().map(|(i, b)| {
                let y = i * ROW;
                // Integer arithmetic: float formatting costs download size.
                let w = (b.value.saturating_mul(180) / max).max(u64::from(b.value > 0));
                view! {
                    <text x="0" y=(y + 17).to_string() class="chart-label">{b.label}</text>
                    <rect x="80" y=(y + 5).to_string() width=w.to_string() height="16" class="chart-bar"/>
                    <text x=(84 + w).to_string() y=(y + 17).to_string() class="chart-value">{b.text}</text>
                }
            }).collect_view()}
        </svg>
    }
}
