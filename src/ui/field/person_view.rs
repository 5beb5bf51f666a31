//! One person: every field (ID and phone in full here only), memberships, roles, family links.

use crate::ui::shell::router::{with_query, A};
use leptos::prelude::*;

use super::people::summary;
use crate::domain::money::tenths_text;
use crate::domain::order::sort_by_key;
use crate::domain::{Activity, Benefit, Category, Fen, Org, Person, Record, RecordId};
use crate::report::due::volunteer_hours_by_year;
use crate::storage::web;
use crate::ui::data;
use crate::ui::form::{delete_and_leave, view_head, DeleteButton};
use crate::ui::widgets::{app_state, fact, page_note, pieces, record_page};

#[component]
pub fn PersonView() -> impl IntoView {
    record_page(|id| view! { <Loaded id=id/> }.into_any())
}

#[component]
fn Loaded(id: RecordId) -> impl IntoView {
    let state = app_state();
    let person = data::record_resource::<Person>(id.clone());
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();
    let activities = data::resource::<Activity>();
    let benefits = data::resource::<Benefit>();
    move || {
        let (Some(p), Some(all), Some(orgs), Some(acts), Some(bens)) =
            (person.get(), people.get(), orgs.get(), activities.get(), benefits.get())
        else {
            return page_note("muted", "正在读取…");
        };
        match (p, all, orgs, acts, bens) {
            (Ok(Some(p)), Ok(all), Ok(orgs), Ok(acts), Ok(bens)) => {
                let work = work_log(&p.id, &acts, &bens);
                // Apart from 编辑, at the foot, and asking once; a deleted person is restored
                // from the roster's 已删除 list.
                let delete = (!p.deleted).then(|| {
                    let id = p.id.clone();
                    let delete =
                        move |()| delete_and_leave::<Person>(state, id.clone(), |p| p.name.clone(), "/people".into());
                    view! {
                        <section class="page danger-zone">
                            <DeleteButton on_delete=delete what="这个人的登记"/>
                        </section>
                    }
                });
                let history = crate::ui::form::history_of(crate::sync::SyncKind::Person, &p);
                view! { {details(p, &all, &orgs)} {work} <section class="page">{history}</section> {delete} }.into_any()
            }
            (Ok(None), ..) => page_note("error", "找不到这条记录"),
            (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => {
                page_note("error", e.to_string())
            }
        }
    }
}

/// The person's volunteer hours by year, activities taken part in, and benefits received.
fn work_log(id: &RecordId, activities: &[Record<Activity>], benefits: &[Record<Benefit>]) -> impl IntoView {
    let hours = volunteer_hours_by_year(id, activities);
    let mut acts: Vec<_> =
        activities.iter().filter(|a| !a.deleted && a.body.participants.iter().any(|p| &p.person == id)).collect();
    sort_by_key(&mut acts, |a| std::cmp::Reverse(a.body.date));
    let mut bens: Vec<_> = benefits.iter().filter(|b| !b.deleted && &b.body.person == id).collect();
    sort_by_key(&mut bens, |b| std::cmp::Reverse(b.body.date));
    let total: Fen = bens.iter().map(|b| b.body.amount).sum();
    view! {
        <section class="page">
            <h2>"志愿服务时长"</h2>
            {if hours.is_empty() {
                view! { <p class="muted">"还没有。记录活动时把他（她）加为参加人员，时长就记在这里。"</p> }.into_any()
            } else {
                view! { <p class="inline-list" data-test="hours">{hours.iter().rev().map(|(y, t)| view! { <span class="nowrap">{format!("{y}年 {} 小时", tenths_text(*t))}</span> }).collect_view()}</p> }.into_any()
            }}
            <h2>{format!("参加的活动（{}）", acts.len())}</h2>
            <ul class="plain">
                {acts.into_iter().map(|a| {
                    let (href, theme, meta) = (with_query(&format!("/activities/{}", a.id), &[("back", format!("/people/{id}"))]), a.body.theme.clone(), format!("{} · {}", a.body.date, a.body.kind.label()));
                    view! { <li><A href=href>{theme}</A>" "<span class="muted">{pieces(&meta)}</span></li> }
                }).collect_view()}
            </ul>
            <h2 data-test="benefits-total">{format!("待遇发放（{}笔，共¥{}）", bens.len(), total)}</h2>
            {bens.is_empty().then(|| view! { <p class="muted">"还没有发放记录。"</p> })}
            <ul class="plain">
                {bens.into_iter().map(|b| {
                    let (href, what, meta) = (with_query(&format!("/benefits/{}", b.id), &[("back", format!("/people/{id}"))]), b.body.kind.label(), format!("{} · ¥{}", b.body.date, b.body.amount));
                    view! { <li><A href=href>{what}</A>" "<span class="muted">{pieces(&meta)}</span></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

fn details(r: Record<Person>, people: &[Record<Person>], orgs: &[Record<Org>]) -> impl IntoView {
    let today = web::today();
    let p = &r.body;
    let name_of = |id: &RecordId| people.iter().find(|x| &x.id == id).map(|x| x.body.name.clone());
    let link = |id: &RecordId| {
        let name = name_of(id).unwrap_or_else(|| "（未在本机的人员）".into());
        view! { <A href=format!("/people/{id}")>{name}</A> }
    };
    let branch = p.branch.as_ref().and_then(|b| orgs.iter().find(|o| &o.id == b)).map(|o| {
        let (href, name) = (format!("/orgs/{}", o.id), o.body.name.clone());
        view! { <A href=href>{name}</A> }
    });
    let memberships: Vec<_> = orgs
        .iter()
        .filter(|o| {
            let b = &o.body;
            !o.deleted
                && (b.members.contains(&r.id) || b.leader.as_ref() == Some(&r.id) || p.branch.as_ref() == Some(&o.id))
        })
        .map(|o| {
            let role = if o.body.leader.as_ref() == Some(&r.id) { o.body.kind.leader_label() } else { "成员" };
            let (href, name, what) =
                (format!("/orgs/{}", o.id), o.body.name.clone(), format!(" {} · {}", o.body.kind.label(), role));
            view! { <li><A href=href>{name}</A><span class="muted">{what}</span></li> }
        })
        .collect();
    let widows: Vec<_> =
        people.iter().filter(|x| !x.deleted && x.body.spouse.as_ref() == Some(&r.id)).map(|x| link(&x.id)).collect();
    let labels = |v: Vec<&'static str>| v.join("、");

    view! {
        <section class="page">
            {view_head(p.name.clone(), format!("/people/{}/edit", r.id), r.deleted.then_some("此记录已删除，可在名册的“已删除”中恢复。"))}
            <p class="badges">
                <span class=format!("badge {}", p.category.key())>{p.category.label()}</span>
                {p.deceased_on.map(|d| view! { <span class="badge dead">{format!("已故 {d}")}</span> })}
                {p.party_member.then(|| view! { <span class="badge party">"党员"</span> })}
            </p>
            <p class="muted">{summary(p, today)}</p>
            // Where a liaison stands with this person: record what was done for them, then back here.
            {(!r.deleted && p.is_living()).then(|| {
                let back = format!("/people/{}", r.id);
                let here = |path: &str| with_query(path, &[("person", r.id.to_string()), ("back", back.clone())]);
                view! {
                    <p class="actions" data-test="person-actions">
                        <A href=here("/activities/new") attr:class="button">"＋ 记活动"</A>
                        <A href=here("/benefits/new") attr:class="button">"＋ 记发放"</A>
                    </p>
                }
            })}
            <dl class="facts">
                {fact("出生日期", p.birth_date.map(|d| d.to_string()).unwrap_or_default())}
                {fact("原工作单位", p.former_unit.clone())}
                {fact("原职务", p.post.clone())}
                {branch.map(|b| view! { <dt>"所属支部"</dt><dd>{b}</dd> })}
                // One tap to call from a phone.
                {(!p.phone.is_empty()).then(|| {
                    let digits: String = p.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
                    view! { <dt>"联系电话"</dt><dd><a href=format!("tel:{digits}") data-test="call">{p.phone.clone()}</a></dd> }
                })}
                {fact("身份证号", p.id_number.clone())}
                {fact("健康状况", p.health.clone())}
                {fact("五老", labels(p.wulao.iter().map(|w| w.label()).collect()))}
                {fact("志愿角色", labels(p.roles.iter().map(|x| x.label()).collect()))}
                {fact("专长", p.specialties.clone())}
                {(p.category == Category::Widow).then(|| view! {
                    <dt>"已故离休干部"</dt><dd>{p.spouse.as_ref().map(link)}</dd>
                    <dt>"无工作"</dt><dd>{if p.no_work_income { "是" } else { "否" }}</dd>
                })}
                {(!widows.is_empty()).then(|| view! { <dt>"遗孀"</dt><dd class="inline-list">{widows}</dd> })}
            </dl>
            <h2>"所在组织"</h2>
            {if memberships.is_empty() {
                view! { <p class="muted">"还没有加入支部或队伍。在“组织”里打开一个组织即可添加成员。"</p> }.into_any()
            } else {
                view! { <ul class="plain">{memberships}</ul> }.into_any()
            }}
        </section>
    }
}
