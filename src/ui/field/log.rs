//! The work log by month: activities and benefits, filtered by kind and township.

use crate::ui::shell::router::{keep_query, kept, use_query_map, with_query, A};
use leptos::prelude::*;

use crate::domain::order::sort_by;
use std::collections::HashMap;

use crate::domain::columns::{order, LogColumn, Sort};
use crate::domain::{Activity, ActivityKind, Benefit, Date, Fen, Org, Person, Photo, Record, RecordId};
use crate::storage::web;
use crate::sync::csv;
use crate::ui::data;
use crate::ui::draft::OpenDrafts;
use crate::ui::files;
use crate::ui::photos::StoredPhoto;
use crate::ui::widgets::{app_state, desk_wide, pieces, sort_header};

/// `2026-03` as (year, month).
fn parse_month(text: &str) -> Option<(u16, u8)> {
    let (y, m) = text.split_once('-')?;
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

/// One row of the month's log, whichever record it is.
struct Entry {
    date: Date,
    href: String,
    title: String,
    badge: &'static str,
    meta: String,
    /// An activity's first photo, shown as a thumbnail.
    photo: Option<RecordId>,
    // The desk table's columns.
    township: String,
    organiser: String,
    sessions: Option<u32>,
    audience: Option<u32>,
    amount: Option<Fen>,
}

impl Entry {
    /// Two entries in a column's order (ascending), and whether an entry has nothing there.
    fn compare(column: LogColumn, a: &Entry, b: &Entry) -> std::cmp::Ordering {
        match column {
            LogColumn::Date => a.date.cmp(&b.date),
            LogColumn::Kind => a.badge.cmp(b.badge),
            LogColumn::Title => a.title.cmp(&b.title),
            LogColumn::Township => a.township.cmp(&b.township),
            LogColumn::Organiser => a.organiser.cmp(&b.organiser),
            LogColumn::Sessions => a.sessions.cmp(&b.sessions),
            LogColumn::Audience => a.audience.cmp(&b.audience),
            LogColumn::Amount => a.amount.map(|f| f.0).cmp(&b.amount.map(|f| f.0)),
        }
    }

    fn blank(&self, column: LogColumn) -> bool {
        match column {
            LogColumn::Date | LogColumn::Kind | LogColumn::Title => false,
            LogColumn::Township => self.township.is_empty(),
            LogColumn::Organiser => self.organiser.is_empty(),
            LogColumn::Sessions => self.sessions.is_none(),
            LogColumn::Audience => self.audience.is_none(),
            LogColumn::Amount => self.amount.is_none(),
        }
    }
}

#[component]
pub fn LogPage() -> impl IntoView {
    let activities = data::resource::<Activity>();
    let benefits = data::resource::<Benefit>();
    let people = data::resource::<Person>();
    let photos = data::resource::<Photo>();
    let orgs = data::resource::<Org>();
    let desk = desk_wide();
    let sort = RwSignal::new(None::<Sort<LogColumn>>);
    let today = web::today();
    // The month and filters live in the address: back from a record, the log is where it was.
    let asked = use_query_map().with_untracked(|q| q.get("month"));
    let month = RwSignal::new(asked.and_then(|m| parse_month(&m)).unwrap_or((today.year(), today.month())));
    let kind = kept("kind", "");
    let township = kept("township", "");
    let place = move || {
        let (y, m) = month.get();
        // This month is where the log opens anyway: the address says only what differs.
        let shown = if (y, m) == (today.year(), today.month()) { String::new() } else { format!("{y}-{m:02}") };
        [("month", shown), ("kind", kind.get()), ("township", township.get())]
    };
    Effect::new(move || keep_query(&place()));
    let step = move |delta: i32| {
        month.update(|(y, m)| {
            let index = i32::from(*y) * 12 + i32::from(*m) - 1 + delta;
            *y = u16::try_from(index.div_euclid(12)).unwrap_or(*y);
            *m = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(*m);
        })
    };

    let entries = move || -> Option<Result<Vec<Entry>, String>> {
        let (acts, bens, ppl) = (activities.get()?, benefits.get()?, people.get()?);
        let (acts, bens, ppl) = match (acts, bens, ppl) {
            (Ok(a), Ok(b), Ok(p)) => (a, b, p),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Some(Err(e.to_string())),
        };
        // Lists show photos once read; a failed read shows none rather than no list.
        let first_photo: HashMap<RecordId, RecordId> = photos
            .get()
            .and_then(Result::ok)
            .map(|v| {
                let mut v: Vec<&Record<Photo>> = v.iter().filter(|p| !p.deleted).collect();
                sort_by(&mut v, |a, b| a.created.cmp(&b.created));
                let mut first = HashMap::new();
                for p in v {
                    first.entry(p.body.activity.clone()).or_insert(p.id.clone());
                }
                first
            })
            .unwrap_or_default();
        // Organisers' names once read; the table shows none rather than no table until then.
        let orgs_read = orgs.get().and_then(Result::ok);
        let org_names: HashMap<&RecordId, &str> =
            orgs_read.iter().flat_map(|l| l.iter()).map(|o| (&o.id, o.body.name.as_str())).collect();
        let (y, m) = month.get();
        let (k, tw) = (kind.get(), township.get());
        let in_month = |d: Date| d.year() == y && d.month() == m;
        let mut out: Vec<Entry> = acts
            .iter()
            .filter(|a| {
                !a.deleted
                    && in_month(a.body.date)
                    && (k.is_empty() || k == a.body.kind.key())
                    && (tw.is_empty() || tw == a.body.township)
            })
            .map(|a| Entry {
                photo: first_photo.get(&a.id).cloned(),
                organiser: a
                    .body
                    .organiser
                    .as_ref()
                    .and_then(|o| org_names.get(o))
                    .map_or(String::new(), |n| (*n).to_owned()),
                ..activity_entry(a)
            })
            .collect();
        if k.is_empty() || k == "benefit" {
            let who = |r: &Record<Benefit>| ppl.iter().find(|p| p.id == r.body.person);
            let name_of =
                |r: &Record<Benefit>| who(r).map_or("（未在本机的人员）".to_owned(), |p| p.body.name.clone());
            out.extend(
                bens.iter()
                    .filter(|b| !b.deleted && in_month(b.body.date))
                    .filter(|b| tw.is_empty() || ppl.iter().any(|p| p.id == b.body.person && p.body.township == tw))
                    .map(|b| Entry {
                        date: b.body.date,
                        href: format!("/benefits/{}", b.id),
                        title: format!("{} · {}", name_of(b), b.body.kind.label()),
                        badge: "待遇",
                        meta: if b.body.amount.0 == 0 {
                            b.body.date.to_string()
                        } else {
                            format!("{} · ¥{}", b.body.date, b.body.amount)
                        },
                        photo: None,
                        township: who(b).map_or(String::new(), |p| p.body.township.clone()),
                        organiser: String::new(),
                        sessions: None,
                        audience: None,
                        amount: (b.body.amount.0 != 0).then_some(b.body.amount),
                    }),
            );
        }
        sort_by(&mut out, |a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
        if let Some(s) = sort.get() {
            order(&mut out, s.descending, |e| e.blank(s.column), |a, b| Entry::compare(s.column, a, b));
        }
        Some(Ok(out))
    };
    let townships = move || {
        activities.with(|r| {
            let mut t: Vec<String> = r
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|v| v.iter().map(|a| a.body.township.clone()).collect())
                .unwrap_or_default();
            t.sort();
            t.dedup();
            t
        })
    };

    let state = app_state();
    // The month as listed, for Excel or WPS.
    let export = move |_| {
        let Some(Ok(list)) = entries() else { return };
        let mut rows = vec![vec!["日期".to_owned(), "类型".into(), "内容".into(), "详情".into()]];
        rows.extend(list.into_iter().map(|e| vec![e.date.to_string(), e.badge.into(), e.title, e.meta]));
        let (y, m) = month.get_untracked();
        if let Err(e) = files::download(&format!("工作记录-{y}年{m}月.csv"), &csv::write(&rows), "text/csv") {
            state.say(e);
        }
    };

    view! {
        <section class="page">
            <div class="page-head">
                <h1>"工作记录"</h1>
                <span class="actions">
                    <A href="/activities/new" attr:class="button primary">"＋ 活动"</A>
                    <A href="/benefits/new" attr:class="button primary">"＋ 发放"</A>
                </span>
            </div>
            <OpenDrafts/>
            <p class="actions">
                <A href="/cases" attr:class="button small">"矛盾调解"</A>
                <A href="/feedback" attr:class="button small">"群众反馈"</A>
                <A href="/station" attr:class="button small">"驿站与值班"</A>
            </p>
            <div class="month-nav">
                <button type="button" class="button small" aria-label="上个月" on:click=move |_| step(-1)>"‹"</button>
                <strong data-test="month">{move || { let (y, m) = month.get(); format!("{y}年{m}月") }}</strong>
                <button type="button" class="button small" aria-label="下个月" on:click=move |_| step(1)>"›"</button>
            </div>
            <div class="filters">
                <select aria-label="类型" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">"全部类型"</option>
                    {ActivityKind::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    <option value="benefit">"待遇发放"</option>
                </select>
                <select aria-label="乡镇" prop:value=move || township.get() on:change=move |ev| township.set(event_target_value(&ev))>
                    <option value="">"全部乡镇"</option>
                    {move || townships().into_iter().map(|t| { let (l, on) = (t.clone(), township.with_untracked(|v| *v == t)); view! { <option value=t selected=on>{l}</option> } }).collect_view()}
                </select>
            </div>
            {move || {
                // A record opened from here comes back here, to this month, after a delete or a save.
                let back = with_query("/log", &place());
                let opened = move |href: &str| with_query(href, &[("back", back.clone())]);
                match entries() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    let never = activities.with(|a| a.as_ref().and_then(|a| a.as_ref().ok()).is_none_or(|a| a.iter().all(|x| x.deleted)));
                    let text = if never { "还没有工作记录。宣讲、培训、义诊、走访，做完一次就记一次，离线也能记。" } else { "这个月还没有记录。" };
                    view! {
                        <div class="empty-state" data-test="empty-log">
                            <p>{text}</p>
                            <p class="actions">
                                <A href="/activities/new" attr:class="button primary">{if never { "记录第一次活动" } else { "记录活动" }}</A>
                            </p>
                        </div>
                    }.into_any()
                }
                Some(Ok(list)) if desk.get() => view! {
                    <p class="muted">{format!("共 {} 条", list.len())}
                        " "<button type="button" class="button small" on:click=export>"导出表格"</button></p>
                    <table class="table desk-table" data-test="log-table">
                        <thead><tr>{LogColumn::ALL.iter().map(|&c| sort_header(sort, c, c.label())).collect_view()}</tr></thead>
                        <tbody>{list.into_iter().map(|e| view! {
                            <tr>
                                <td>{e.date.to_string()}</td>
                                <td><span class="badge">{e.badge}</span></td>
                                <th scope="row"><a href=opened(&e.href)>{e.title}</a></th>
                                <td>{e.township}</td>
                                <td>{e.organiser}</td>
                                <td class="number">{e.sessions.map(|n| n.to_string())}</td>
                                <td class="number">{e.audience.map(|n| n.to_string())}</td>
                                <td class="number">{e.amount.map(|f| format!("¥{f}"))}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <p class="muted">{format!("共 {} 条", list.len())}
                        " "<button type="button" class="button small" on:click=export>"导出表格"</button></p>
                    <ul class="list">
                        {list.into_iter().map(|e| view! {
                            <li class="row"><A href=opened(&e.href) attr:class="row-main">
                                <span class="name">{e.title}</span>
                                <span class="badges"><span class="badge">{e.badge}</span></span>
                                <span class="meta">{pieces(&e.meta)}</span>
                            </A>{e.photo.map(|id| view! { <StoredPhoto id=id/> })}</li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}}
        </section>
    }
}

fn activity_entry(a: &Record<Activity>) -> Entry {
    let b = &a.body;
    let mut meta = vec![b.date.to_string(), b.township.clone()];
    if b.audience > 0 {
        meta.push(format!("{}人次", b.audience));
    }
    if b.leaflets > 0 {
        meta.push(format!("宣传册{}份", b.leaflets));
    }
    if b.sessions > 1 {
        meta.push(format!("{}场", b.sessions));
    }
    Entry {
        date: b.date,
        href: format!("/activities/{}", a.id),
        title: b.theme.clone(),
        badge: b.kind.label(),
        meta: meta.join(" · "),
        photo: None,
        township: b.township.clone(),
        organiser: String::new(),
        sessions: Some(b.sessions),
        audience: Some(b.audience),
        amount: None,
    }
}
