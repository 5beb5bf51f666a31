//! Organisations by kind, with member counts.

use crate::ui::shell::router::use_query_map;
use crate::ui::shell::router::A;
use leptos::prelude::*;

use crate::domain::order::{natural_cmp, sort_by};
use crate::domain::{Org, OrgKind, Person};
use crate::report::figures::{members_of, party_members_outside_branches};
use crate::ui::data;

#[component]
pub fn OrgList() -> impl IntoView {
    let orgs = data::resource::<Org>();
    let people = data::resource::<Person>();
    let query = use_query_map();
    let kind = move || query.with(|q| q.get("kind")).and_then(|k| OrgKind::from_key(&k)).unwrap_or(OrgKind::Branch);
    let search = RwSignal::new(String::new());

    view! {
        <section class="page">
            <div class="page-head">
                <h1>"组织"</h1>
                <A href=move || format!("/orgs/new?kind={}", kind().key()) attr:class="button primary">"＋ 新建"</A>
            </div>
            <nav class="tabs" aria-label="组织类型">
                {OrgKind::ALL.iter().map(|k| view! {
                    <A href=format!("/orgs?kind={}", k.key()) attr:class=move || if kind() == *k { "tab active" } else { "tab" }>{k.label()}</A>
                }).collect_view()}
            </nav>
            <div class="filters">
                <input type="search" placeholder="按名称、乡镇或片区查找" aria-label="查找组织"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            {move || match (orgs.get(), people.get()) {
                (Some(Ok(orgs)), Some(Ok(people))) => {
                    let k = kind();
                    let q = search.get();
                    let q = q.trim();
                    let mut rows: Vec<_> = orgs.iter().filter(|o| !o.deleted && o.body.kind == k && o.body.matches(q)).cloned().collect();
                    sort_by(&mut rows, |a, b| natural_cmp(&a.body.name, &b.body.name));
                    if rows.is_empty() {
                        if !q.is_empty() {
                            return view! { <p class="muted empty">{format!("没有找到符合条件的{}", k.label())}</p> }.into_any();
                        }
                        return view! {
                            <div class="empty-state" data-test="empty-orgs">
                                <p>{format!("还没有{}。", k.label())}</p>
                                <p class="actions"><A href=format!("/orgs/new?kind={}", k.key()) attr:class="button primary">{format!("新建{}", k.label())}</A></p>
                            </div>
                        }.into_any();
                    }
                    // People, not person-times: someone in two teams is one member.
                    let total = rows.iter().flat_map(|o| members_of(o, &people)).map(|p| &p.id).collect::<std::collections::HashSet<_>>().len();
                    // Home counts every party member; a branch lists only those assigned to it.
                    let outside = k.is_branch().then(|| party_members_outside_branches(&people, &orgs)).filter(|n| *n > 0);
                    view! {
                        <p class="muted">{format!("共 {} 个，成员 {} 人", rows.len(), total)}
                            {outside.map(|n| view! { <span data-test="unassigned">{format!("；另有 {n} 名党员未编入支部")}</span> })}</p>
                        <ul class="list">
                            {rows.into_iter().map(|o| {
                                let n = members_of(&o, &people).len();
                                let place = if o.body.township.is_empty() { o.body.level.label().to_owned() } else { format!("{} · {}", o.body.level.label(), o.body.township) };
                                view! {
                                    <li class="row">
                                        <A href=format!("/orgs/{}", o.id) attr:class="row-main">
                                            <span class="name">{o.body.name.clone()}</span>
                                            <span class="badges"><span class="badge">{format!("{n}人")}</span></span>
                                            <span class="meta">{place}</span>
                                        </A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
                (Some(Err(e)), _) | (_, Some(Err(e))) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                _ => view! { <p class="muted">"正在读取…"</p> }.into_any(),
            }}
        </section>
    }
}
