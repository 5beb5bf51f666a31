//! People who may have been registered twice, for a user to merge or dismiss.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{Person, Record};
use crate::sync::dedupe::{candidates, Pair};
use crate::ui::data;
use crate::ui::pinyin::use_pinyin;
use crate::ui::settings::NotSame;
use crate::ui::widgets::app_state;

/// Candidate pairs among the live people of `list`, minus pairs a user dismissed; the pair's
/// indices point into `list`.
pub fn duplicate_pairs(list: &[Record<Person>], table: Option<&crate::domain::search::PinyinTable>) -> Vec<Pair> {
    let live: Vec<usize> = (0..list.len()).filter(|&i| !list[i].deleted).collect();
    let refs: Vec<&Person> = live.iter().map(|&i| &list[i].body).collect();
    let dismissed = NotSame::load();
    candidates(&refs, table)
        .into_iter()
        .map(|p| Pair { a: live[p.a], b: live[p.b], why: p.why })
        .filter(|p| !NotSame::contains(&dismissed, list[p.a].id.as_str(), list[p.b].id.as_str()))
        .collect()
}

fn card(p: &Record<Person>) -> impl IntoView {
    let b = &p.body;
    view! {
        <div class="dup-side">
            <a href=format!("/people/{}", p.id) class="name">{b.name.clone()}</a>
            <span class="sub">{format!("{} · {} · {}", b.gender.label(), b.birth_date.map(|d| d.to_string()).unwrap_or_default(), b.category.label())}</span>
            <span class="sub">{format!("{} {} · {}", b.township, b.village, b.former_unit)}</span>
            <span class="sub">{format!("{} {}", b.masked_phone(), b.masked_id())}</span>
        </div>
    }
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let state = app_state();
    let people = data::resource::<Person>();
    let pinyin = use_pinyin();
    let merge = move |keep: Record<Person>, drop: Record<Person>| {
        spawn_local(async move {
            match data::merge_people(&keep.id, &drop.id).await {
                Ok(n) => state.say(format!("已合并为 {}（更新 {n} 条记录）", keep.body.name)),
                Err(e) => state.say(e.to_string()),
            }
            state.changed();
        });
    };
    let dismiss = move |a: Record<Person>, b: Record<Person>| {
        match NotSame::add(a.id.as_str(), b.id.as_str()) {
            Ok(()) => state.say(format!("已标记 {} 与 {} 不是同一人", a.body.name, b.body.name)),
            Err(e) => state.say(e),
        }
        state.changed();
    };
    view! {
        <section class="page">
            <h1>"可能重复的人员"</h1>
            <p class="muted">"不同乡镇可能各自登记了同一个人。请核对后选择保留哪一条：另一条的活动、待遇和组织关系会转到保留的这条，空着的信息会补上，合并会随导出文件传到其他单位。"</p>
            {move || {
                state.revision.track();
                let table = pinyin.0.get();
                people.with(|r| match r {
                    None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Some(Ok(list)) => {
                        let pairs = duplicate_pairs(list, table.as_deref());
                        if pairs.is_empty() {
                            return view! { <p class="muted empty">"没有发现可能重复的人员"</p> }.into_any();
                        }
                        view! { <ul class="list" data-test="duplicates">{pairs.into_iter().map(|p| {
                            let (a, b) = (list[p.a].clone(), list[p.b].clone());
                            let (a1, b1, a2, b2, a3, b3) = (a.clone(), b.clone(), a.clone(), b.clone(), a.clone(), b.clone());
                            view! {
                                <li class="dup">
                                    <p class="badge">{p.why.label()}</p>
                                    <div class="dup-pair">{card(&a)}{card(&b)}</div>
                                    <div class="actions">
                                        <button type="button" class="button small" on:click=move |_| merge(a1.clone(), b1.clone())>"保留左边，合并"</button>
                                        <button type="button" class="button small" on:click=move |_| merge(b2.clone(), a2.clone())>"保留右边，合并"</button>
                                        <button type="button" class="button small" on:click=move |_| dismiss(a3.clone(), b3.clone())>"不是同一人"</button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}</ul> }.into_any()
                    }
                })
            }}
        </section>
    }
}
