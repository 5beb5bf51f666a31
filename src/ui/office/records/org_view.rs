//! One organisation: its details and members, with counts.

use crate::ui::form::view_head;
use crate::ui::shell::router::A;
use leptos::prelude::*;

use crate::domain::{Org, Person, Record, RecordId};
use crate::report::figures::members_of;
use crate::storage::web;
use crate::ui::data;
use crate::ui::field::people::summary;
use crate::ui::widgets::{page_note, record_page};

#[component]
pub fn OrgView() -> impl IntoView {
    record_page(|id| view! { <Loaded id=id/> }.into_any())
}

#[component]
fn Loaded(id: RecordId) -> impl IntoView {
    let org = data::record_resource::<Org>(id);
    let people = data::resource::<Person>();
    move || match (org.get(), people.get()) {
        (Some(Ok(Some(o))), Some(Ok(people))) => details(o, &people).into_any(),
        (Some(Ok(None)), _) => page_note("error", "找不到这条记录"),
        (Some(Err(e)), _) | (_, Some(Err(e))) => page_note("error", e.to_string()),
        _ => page_note("muted", "正在读取…"),
    }
}

fn details(o: Record<Org>, people: &[Record<Person>]) -> impl IntoView {
    let today = web::today();
    let members = members_of(&o, people);
    let b = &o.body;
    let leader = b.leader.as_ref().map(|id| {
        let name = people
            .iter()
            .find(|p| &p.id == id)
            .map(|p| p.body.name.clone())
            .unwrap_or_else(|| "（未在本机的人员）".into());
        view! { <dt>{b.kind.leader_label()}</dt><dd><A href=format!("/people/{id}")>{name}</A></dd> }
    });
    let fact =
        |label: &'static str, value: String| (!value.is_empty()).then(|| view! { <dt>{label}</dt><dd>{value}</dd> });
    let liaison = format!("{} {}", b.liaison, b.liaison_phone).trim().to_owned();
    let member_rows: Vec<_> = members
        .iter()
        .map(|p| {
            let (href, name, category, meta) = (format!("/people/{}", p.id), p.body.name.clone(), p.body.category, summary(&p.body, today));
            view! {
                <li class="row"><A href=href attr:class="row-main">
                    <span class="name">{name}</span>
                    <span class="badges"><span class=format!("badge {}", category.key())>{category.label()}</span></span>
                    <span class="meta">{meta}</span>
                </A></li>
            }
        })
        .collect();
    let party = members.iter().filter(|p| p.body.party_member).count();
    let add_hint =
        b.kind.is_branch().then(|| view! { <p class="muted">"在人员的“所属党支部”中选择本支部即可加入。"</p> });

    view! {
        <section class="page">
            {view_head(b.name.clone(), format!("/orgs/{}/edit", o.id), o.deleted.then_some("此组织已删除。"))}
            <dl class="facts">
                <dt>"类型"</dt><dd>{b.kind.label()}</dd>
                <dt>"级别"</dt><dd>{b.level.label()}</dd>
                {fact("乡镇（街道）", b.township.clone())}
                {leader}
                {fact("联络员", liaison)}
                {fact("片区", b.area.clone())}
                {fact("产业", b.product.clone())}
                {fact("备注", b.notes.clone())}
            </dl>
            {(!b.themes.is_empty()).then(|| view! {
                <h2>"一月一主题"</h2>
                <ul class="plain">{b.themes.clone().into_iter().map(|t| view! { <li><span class="muted">{t.month}</span>" "{t.theme}</li> }).collect_view()}</ul>
            })}
            <h2 data-test="member-count">{format!("成员 {} 人（党员 {} 人）", members.len(), party)}</h2>
            {add_hint}
            <ul class="list">{member_rows}</ul>
        </section>
    }
}
