//! The registry list: search, filter by category, deleted records with restore.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::domain::{Category, Person, Record};
use crate::ui::data;
use crate::ui::widgets::app_state;

#[component]
pub fn PeopleList() -> impl IntoView {
    let people = data::people_resource();
    let query = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let show_deleted = RwSignal::new(false);

    let visible = move |list: &[Record<Person>]| -> Vec<Record<Person>> {
        let q = query.get();
        let q = q.trim();
        let cat = Category::from_key(&category.get());
        let deleted = show_deleted.get();
        let mut out: Vec<_> = list
            .iter()
            .filter(|r| r.deleted == deleted && cat.is_none_or(|c| r.body.category == c) && r.body.matches(q))
            .cloned()
            .collect();
        // Newest change first: what was just entered is at the top.
        out.sort_by_key(|r| std::cmp::Reverse(r.updated));
        out
    };

    view! {
        <section class="page">
            <div class="page-head">
                <h1>"人员名册"</h1>
                <A href="/people/new" attr:class="button primary">"＋ 登记"</A>
            </div>
            <div class="filters">
                <input type="search" placeholder="搜索姓名或乡镇" aria-label="搜索"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <select aria-label="类别" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">"全部类别"</option>
                    {Category::ALL.into_iter().map(|c| view! { <option value=c.key()>{c.label()}</option> }).collect_view()}
                </select>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || show_deleted.get()
                        on:change=move |ev| show_deleted.set(event_target_checked(&ev))/>
                    "已删除"
                </label>
            </div>
            {move || match people.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) => {
                    let rows = visible(&list);
                    if rows.is_empty() {
                        view! { <p class="muted empty">"没有符合条件的人员"</p> }.into_any()
                    } else {
                        view! {
                            <p class="muted">{format!("共 {} 人", rows.len())}</p>
                            <ul class="list">{rows.into_iter().map(row).collect_view()}</ul>
                        }
                        .into_any()
                    }
                }
            }}
        </section>
    }
}

fn row(r: Record<Person>) -> impl IntoView {
    let state = app_state();
    let href = format!("/people/{}", r.id);
    let p = r.body;
    let restore = r.deleted.then(|| {
        let id = r.id.clone();
        view! {
            <button type="button" class="button small" on:click=move |_| {
                let id = id.clone();
                spawn_local(async move {
                    match data::set_person_deleted(&id, false).await {
                        Ok(r) => state.say(format!("已恢复 {}", r.body.name)),
                        Err(e) => state.say(e.to_string()),
                    }
                    state.changed();
                });
            }>"恢复"</button>
        }
    });
    view! {
        <li class="row">
            <A href=href attr:class="row-main">
                <span class="name">{p.name}</span>
                <span class=format!("badge {}", p.category.key())>{p.category.label()}</span>
                <span class="meta">{format!("{} · {}年生 · {}", p.gender.label(), p.birth_date.year(), p.township)}</span>
            </A>
            {restore}
        </li>
    }
}
