//! The registry list: pinyin search, filters, paging, deleted records with restore.

use std::sync::Arc;

use crate::ui::shell::router::{keep_query, kept, use_query_map, A};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::columns::{compare_people, order, person_blank, PersonColumn, Sort};
use crate::domain::order::{natural_cmp, sort_by, sort_by_cached_key};
use crate::domain::search::SearchIndex;
use crate::domain::{Category, Org, OrgKind, Person, Record, Role};
use crate::storage::web;
use crate::sync::csv;
use crate::ui::data;
use crate::ui::files;
use crate::ui::office::exchange::duplicates::duplicate_pairs;
use crate::ui::pinyin::use_pinyin;
use crate::ui::widgets::{app_state, desk_wide, sort_header, Indexed};

mod rows;
use rows::{desk_row, row};
pub use rows::summary;

/// Rows rendered at first and added by "more": a phone screen and a half. Drawing rows, not
/// searching, is most of a keystroke's cost (profiled: ~2 ms of search, the rest DOM and
/// layout), so fewer rows keep typing fast over 10,000 people.
const PAGE: usize = 20;
/// Rows of the desk table at a time: a laptop screen holds more.
const DESK_PAGE: usize = 50;

#[component]
pub fn PeopleList() -> impl IntoView {
    let state = app_state();
    // The newest changes, drawn while the whole roster loads. The roster and the organisations
    // are read once they are, as signals the page's <Suspense> does not wait for: it waited for
    // every resource, so the first rows came only with the whole roster.
    let first = LocalResource::new(move || data::newest::<Person>(2 * PAGE as u32));
    // The whole roster with its sealed fields (a lock set) left sealed: the rows drawn open
    // theirs, so the first read after unlocking does not open ten thousand to show twenty.
    let people = data::after_first_by(first, data::roster);
    let sealed = move || people.with(|r| match r {
        Some(Ok(r)) => r.sealed.clone(),
        _ => Default::default(),
    });
    let orgs = data::after_first::<Org, _>(first);
    let pinyin = use_pinyin();
    // The search and filters live in the address: back from a person, the list is as it was.
    let query = kept("q", "");
    let category = kept("category", "");
    let branch = kept("branch", "");
    let township = kept("township", "");
    let role = kept("role", "");
    let show_deleted = RwSignal::new(use_query_map().with_untracked(|q| q.get("deleted").is_some()));
    Effect::new(move || {
        keep_query(&[
            ("q", query.get()),
            ("category", category.get()),
            ("branch", branch.get()),
            ("township", township.get()),
            ("role", role.get()),
            ("deleted", if show_deleted.get() { "1".into() } else { String::new() }),
        ])
    });
    let shown = RwSignal::new(PAGE);
    let filtering = RwSignal::new(false);
    // How many filters narrow the list, shown on the folded "筛选" button.
    let active = move || {
        [category, branch, township, role].iter().filter(|s| s.with(|v| !v.is_empty())).count()
            + usize::from(show_deleted.get())
    };

    // By name, as a liaison reads a roster: pinyin once the table is here (surnames by their
    // surname reading), the characters' order until then.
    let all = Memo::new(move |_| {
        let mut v = people.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|v| v.to_vec()).unwrap_or_default());
        pinyin.0.with(|table| match table.as_deref() {
            Some(t) => sort_by_cached_key(&mut v, |r| t.sort_key(&r.body.name)),
            None => sort_by_cached_key(&mut v, |r| r.body.name.clone()),
        });
        v
    });
    // With a lock, the roster as read holds its sealed fields sealed: opened whole once, and
    // only when something compares every one (a sort by phone, the duplicates count), not again
    // on every keystroke. Empty without a lock (nothing sealed), or once it has locked: `all` is
    // whole then. (The same type as `all`, so no second kind of memo in the download.)
    let whole = Memo::new(move |_| {
        let sealed = sealed();
        if sealed.is_empty() {
            return Vec::new();
        }
        all.with(|v| sealed.opened_all(v).unwrap_or_default())
    });
    let index = Memo::new(move |_| {
        let table = pinyin.0.get();
        all.with(|v| {
            let items = v.iter().map(|r| {
                (r.body.name.as_str(), format!("{} {} {}", r.body.township, r.body.village, r.body.former_unit))
            });
            Indexed(Arc::new(SearchIndex::build(items, table.as_deref())))
        })
    });
    let hits = Memo::new(move |_| {
        let (q, cat, br, tw, rl, deleted) = (
            query.get(),
            Category::from_key(&category.get()),
            branch.get(),
            township.get(),
            Role::from_key(&role.get()),
            show_deleted.get(),
        );
        let idx = index.get();
        all.with(|v| {
            idx.0.search(&q, |i| {
                let r = &v[i];
                let p = &r.body;
                r.deleted == deleted
                    && cat.is_none_or(|c| p.category == c)
                    && (br.is_empty() || p.branch.as_ref().is_some_and(|b| b.as_str() == br))
                    && (tw.is_empty() || p.township == tw)
                    && rl.is_none_or(|x| p.roles.contains(&x))
            })
        })
    });
    // On a desk: a table, sorted by the column whose header was tapped (else as the list).
    let desk = desk_wide();
    let sort = RwSignal::new(None::<Sort<PersonColumn>>);
    let branch_names = Memo::new(move |_| -> std::collections::HashMap<String, String> {
        orgs.with(|r| match r {
            Some(Ok(v)) => v.iter().map(|o| (o.id.to_string(), o.body.name.clone())).collect(),
            _ => Default::default(),
        })
    });
    let ordered = Memo::new(move |_| {
        let mut h = hits.get();
        let Some(s) = sort.get() else { return h };
        let names = branch_names.get();
        let branch = |p: &Person| p.branch.as_ref().and_then(|b| names.get(b.as_str())).cloned().unwrap_or_default();
        pinyin.0.with(|table| {
            let name_key = |n: &str| table.as_deref().map_or_else(|| n.to_owned(), |t| t.sort_key(n));
            let mut sort_in = |v: &[Record<Person>]| {
                order(
                    &mut h,
                    s.descending,
                    |&i| person_blank(s.column, &v[i].body, &branch),
                    |&a, &b| compare_people(s.column, &v[a].body, &v[b].body, &name_key, &branch),
                )
            };
            // Sorting by phone compares every phone: the roster opened whole, with a lock.
            all.with(|v| match s.column {
                PersonColumn::Phone => whole.with(|o| sort_in(if o.is_empty() { v } else { o })),
                _ => sort_in(v),
            });
        });
        h
    });
    // Pairs that may be the same person, counted after the list has painted: over 10,000
    // people the count takes ~80 ms, which a cold start to the first row should not wait for.
    let duplicates = RwSignal::new(0usize);
    Effect::new(move || {
        people.track();
        pinyin.0.track();
        spawn_local(async move {
            web::pause().await;
            // The page may have been left during the pause (a tap on a person at once): its
            // signals are gone then, and reading one would panic.
            // ID numbers compared: with a lock, the roster opened whole, after the first screen.
            let n = whole.try_with_untracked(|opened| people.try_with_untracked(|r| match r {
                Some(Ok(list)) if list.sealed.is_empty() => {
                    pinyin.0.try_with_untracked(|t| duplicate_pairs(list, t.as_deref()).len())
                }
                Some(Ok(_)) if !opened.is_empty() => {
                    pinyin.0.try_with_untracked(|t| duplicate_pairs(opened, t.as_deref()).len())
                }
                _ => Some(0),
            }));
            if let Some(Some(Some(n))) = n {
                let _ = duplicates.try_set(n);
            }
        });
    });
    Effect::new(move || {
        hits.track();
        // Setting an equal value would still redraw the list a second time per keystroke.
        if shown.get_untracked() != PAGE {
            shown.set(PAGE);
        }
    });

    let branches = move || {
        orgs.with(|r| {
            let mut v: Vec<(String, String)> = r
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|v| {
                    v.iter()
                        .filter(|o| !o.deleted && o.body.kind == OrgKind::Branch)
                        .map(|o| (o.id.to_string(), o.body.name.clone()))
                        .collect()
                })
                .unwrap_or_default();
            sort_by(&mut v, |a, b| natural_cmp(&a.1, &b.1));
            v
        })
    };
    let townships = data::townships(people);
    let today = web::today();
    // The list as filtered, for Excel or WPS.
    let export = move |_| {
        let names: Vec<(String, String)> = branches();
        let sealed = sealed();
        let whole = all.with(|v| hits.with(|h| h.iter().map(|&i| sealed.opened(v[i].clone())).collect::<Result<Vec<_>, _>>()));
        let whole = match whole {
            Ok(whole) => whole,
            Err(e) => return state.say(format!("名册导出失败：{e}")),
        };
        let rows: Vec<&Person> = whole.iter().map(|r| &r.body).collect();
        let text = csv::roster_csv(&rows, &|id| {
            names.iter().find(|(b, _)| b == id.as_str()).map(|(_, n)| n.clone()).unwrap_or_default()
        });
        if let Err(e) = files::download(&format!("人员名册-{}.csv", web::local_stamp()), &text, "text/csv") {
            state.say(e);
        }
    };

    view! {
        <section class="page">
            <div class="page-head">
                // The count sits in the heading, not on a line of its own: one more row of
                // results shows above a phone keyboard.
                <span class="title">
                    <h1>"人员名册"</h1>
                    {move || people.with(|r| matches!(r, Some(Ok(_)))).then(|| {
                        // Home's 在册 counts the registry; volunteers outside it are listed here
                        // too, and said, so the two counts reconcile.
                        let outside = all.with(|v| {
                            hits.with(|h| h.iter().filter(|&&i| v.get(i).is_some_and(|r| r.body.category == Category::Other)).count())
                        });
                        view! {
                            <span class="count">{format!("共 {} 人", hits.with(Vec::len))}</span>
                            {(outside > 0).then(|| view! {
                                <span class="count" data-test="outside-registry">{format!("含名册外志愿者 {outside} 人")}</span>
                            })}
                        }
                    })}
                </span>
                <A href="/people/new" attr:class="button primary">"＋ 登记"</A>
            </div>
            // The search box first and the filters folded: with a phone keyboard open (about
            // 440 px left) the first results still show under it.
            <div class="search-bar">
                <input type="search" placeholder="姓名或拼音" aria-label="搜索"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="button" class="button filter-toggle" data-test="filter-toggle"
                    aria-expanded=move || if filtering.get() { "true" } else { "false" }
                    on:click=move |_| filtering.update(|f| *f = !*f)>
                    {move || match active() { 0 => "筛选".to_owned(), n => format!("筛选 {n}") }}
                </button>
            </div>
            {move || {
                let n = duplicates.get();
                (n > 0).then(|| view! {
                    <p class="nudge urgent" data-test="duplicates-found"><A href="/people/duplicates">{format!("发现 {n} 对可能重复登记的人员，请核对")}</A></p>
                })
            }}
            <div class="filters" hidden=move || !filtering.get()>
                <select aria-label="类别" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">"全部类别"</option>
                    {Category::ALL.iter().map(|c| view! { <option value=c.key()>{c.label()}</option> }).collect_view()}
                </select>
                <select aria-label="角色" prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="">"全部角色"</option>
                    {Role::ALL.iter().map(|r| view! { <option value=r.key()>{r.label()}</option> }).collect_view()}
                </select>
                <select aria-label="支部" prop:value=move || branch.get() on:change=move |ev| branch.set(event_target_value(&ev))>
                    <option value="">"全部支部"</option>
                    {move || branches().into_iter().map(|(id, name)| { let on = branch.with_untracked(|v| *v == id); view! { <option value=id selected=on>{name}</option> } }).collect_view()}
                </select>
                <select aria-label="乡镇" prop:value=move || township.get() on:change=move |ev| township.set(event_target_value(&ev))>
                    <option value="">"全部乡镇"</option>
                    {move || townships.get().into_iter().map(|t| { let (label, on) = (t.clone(), township.with_untracked(|v| *v == t)); view! { <option value=t selected=on>{label}</option> } }).collect_view()}
                </select>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || show_deleted.get()
                        on:change=move |ev| show_deleted.set(event_target_checked(&ev))/>
                    "已删除"
                </label>
            </div>
            {move || people.with(|r| match r {
                None => {
                    let plain = query.with(String::is_empty)
                        && [category, branch, township, role].iter().all(|s| s.with(String::is_empty))
                        && !show_deleted.get();
                    match first.get() {
                        Some(Ok(list)) if plain && !list.is_empty() => view! {
                            <p class="muted">"正在读取全部人员…"</p>
                            <ul class="list">{list.iter().filter(|r| !r.deleted).take(PAGE).cloned().map(|r| row(r, today)).collect_view()}</ul>
                        }
                        .into_any(),
                        _ => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                    }
                }
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok(_)) => {
                    let total = hits.with(Vec::len);
                    if total == 0 {
                        let nobody = all.with(|v| v.iter().all(|r| r.deleted));
                        if nobody && !show_deleted.get() {
                            // The first visit: say what to do, with the two ways to do it.
                            return view! {
                                <div class="empty-state" data-test="empty-people">
                                    <p>"还没有登记人员。可以一位一位登记，也可以把现有的 Excel 名册导入进来。"</p>
                                    <p class="actions">
                                        <A href="/people/new" attr:class="button primary">"登记第一位"</A>
                                        <A href="/people/import" attr:class="button">"从表格导入"</A>
                                    </p>
                                </div>
                            }.into_any();
                        }
                        return view! { <p class="muted empty">"没有符合条件的人员"</p> }.into_any();
                    }
                    let wide = desk.get();
                    let page = if wide { DESK_PAGE } else { PAGE };
                    let count = shown.get().max(page);
                    let sealed = sealed();
                    let rows = ordered.with(|h| all.with(|v| h.iter().take(count).map(|&i| sealed.shown(v[i].clone())).collect::<Vec<_>>()));
                    let more = total.saturating_sub(count);
                    let list = if wide {
                        let names = branch_names.get_untracked();
                        view! {
                            <table class="table desk-table" data-test="registry-table">
                                <thead><tr>{PersonColumn::ALL.iter().map(|&c| sort_header(sort, c, c.label())).collect_view()}</tr></thead>
                                <tbody>{rows.into_iter().map(|r| desk_row(r, today, &names)).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    } else {
                        view! { <ul class="list">{rows.into_iter().map(|r| row(r, today)).collect_view()}</ul> }.into_any()
                    };
                    view! {
                        {list}
                        {(more > 0).then(|| view! {
                            <button type="button" class="button more" on:click=move |_| shown.set(count + page)>
                                {format!("显示更多（还有 {more} 人）")}
                            </button>
                        })}
                    }
                    .into_any()
                }
            })}
            <p class="actions">
                <A href="/people/import" attr:class="button small">"从表格导入"</A>
                <button type="button" class="button small" on:click=export>"导出表格"</button>
                <A href="/people/duplicates" attr:class="button small">"查找重复"</A>
            </p>
        </section>
    }
}
