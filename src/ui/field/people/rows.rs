//! The registry list's rows: a phone's list item, a desk's table row, the 恢复 button, and the
//! line that says who someone is at a glance (shared with a person's and an organisation's pages).

use leptos::prelude::*;

use crate::domain::{Person, Record, RecordId};
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::widgets::{app_state, Undo};

/// "男 · 95岁 · 城关镇 文腾社区": who this is at a glance.
pub fn summary(p: &Person, today: crate::domain::Date) -> String {
    let mut parts = vec![p.gender.label().to_owned()];
    if let Some(age) = p.age_on(p.deceased_on.unwrap_or(today)) {
        parts.push(format!("{age}岁"));
    }
    let place = format!("{} {}", p.township, p.village).trim().to_owned();
    if !place.is_empty() {
        parts.push(place);
    }
    parts.join(" · ")
}

/// A registry row on a desk: name (a link), category, township, branch, age, masked phone.
pub(super) fn desk_row(
    r: Record<Person>,
    today: crate::domain::Date,
    branches: &std::collections::HashMap<String, String>,
) -> impl IntoView {
    let p = r.body;
    let age = p.age_on(p.deceased_on.unwrap_or(today)).map(|a| a.to_string()).unwrap_or_default();
    let branch = p.branch.as_ref().and_then(|b| branches.get(b.as_str())).cloned().unwrap_or_default();
    let state = if r.deleted {
        "（已删除）"
    } else if p.deceased_on.is_some() {
        "（已故）"
    } else {
        ""
    };
    let restore = restore_button(&r.id, &p.name, r.deleted);
    view! {
        <tr>
            <th scope="row"><a href=format!("/people/{}", r.id)>{p.name.clone()}</a>{state}" "{restore}</th>
            <td><span class=format!("badge {}", p.category.key())>{p.category.label()}</span></td>
            <td>{p.township.clone()}</td>
            <td>{branch}</td>
            <td class="number">{age}</td>
            <td>{p.masked_phone()}</td>
        </tr>
    }
}

/// 恢复 for a deleted person, in the list and in the desk table alike.
fn restore_button(id: &RecordId, name: &str, deleted: bool) -> Option<impl IntoView> {
    deleted.then(|| {
        let state = app_state();
        let undo = Undo { store: Person::STORE, id: id.clone(), name: name.to_owned() };
        view! {
            <button type="button" class="button small" on:click=move |_| data::undelete(state, undo.clone())>"恢复"</button>
        }
    })
}

pub(super) fn row(r: Record<Person>, today: crate::domain::Date) -> impl IntoView {
    let href = format!("/people/{}", r.id);
    let p = r.body;
    let restore = restore_button(&r.id, &p.name, r.deleted);
    let meta = summary(&p, today);
    let phone = p.masked_phone();
    view! {
        <li class="row">
            // A plain link (the router still handles the click): one `A` component per row
            // costs a reactive effect each, redrawn on every keystroke.
            <a href=href class="row-main">
                <span class="name">{p.name.clone()}</span>
                <span class="badges">
                    <span class=format!("badge {}", p.category.key())>{p.category.label()}</span>
                    {p.deceased_on.is_some().then(|| view! { <span class="badge dead">"已故"</span> })}
                    {p.party_member.then(|| view! { <span class="badge party">"党员"</span> })}
                </span>
                <span class="meta">{meta}</span>
                {(!phone.is_empty()).then(|| view! { <span class="meta phone">{phone}</span> })}
            </a>
            {restore}
        </li>
    }
}
