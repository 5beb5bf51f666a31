//! Home: the registry's counts and the 离休 cadres whose birthdays are coming (生日祝福).

use crate::ui::shell::router::A;
use leptos::prelude::*;

use crate::domain::resident::Resident;
use crate::report::figures::{upcoming_birthdays, PeopleCounts};
use crate::storage::web;
use crate::sync::{unexported, Counters};
use crate::ui::data;
use crate::ui::settings::Settings;

/// How far ahead the birthday list looks.
const BIRTHDAY_DAYS: i64 = 30;

#[component]
pub fn Home() -> impl IntoView {
    let people = data::resource::<Resident>();
    let settings = Settings::load();
    let first_visit = settings.first_visit();
    let office = settings.office;
    let exported = LocalResource::new(data::exchange_status);

    view! {
        <section class="page">
            <h1>{if office.is_empty() { "桑榆".to_owned() } else { office }}</h1>
            {first_visit.then(|| view! { <crate::ui::field::Welcome/> })}
            {move || exported.get().and_then(Result::ok).map(|(device, last, flagged)| {
                let now = Counters { changes: device.changes, seq: device.seq };
                let u = unexported(last.map(|m| (m.changes, m.seq, m.at_ms)), now, web::now_ms());
                let text = match u.days {
                    None => format!("本机有 {} 处修改，还没有导出过", u.changes),
                    Some(d) => format!("{} 处修改未导出 · 上次导出在 {d} 天前", u.changes),
                };
                let imported = (u.imported > 0).then(|| format!(
                    "从其他单位收到的 {} 条记录还没有转出去；汇总上报时选“导出全部数据”，就会一起带上",
                    u.imported
                ));
                view! {
                    {(u.changes > 0).then(|| view! {
                        <p class=if u.urgent { "nudge urgent" } else { "nudge" } data-test="unexported">
                            <A href="/exchange">{text}{if u.urgent { "，请尽快导出备份" } else { "" }}</A>
                        </p>
                    })}
                    {imported.map(|t| view! { <p class="muted" data-test="imported-unsent">{t}</p> })}
                    {(flagged > 0).then(|| view! {
                        <p class="nudge" data-test="review-nudge">
                            <A href="/review">{format!("待核对 {flagged} 条：从其他单位导入的记录有需要改正的地方")}</A>
                        </p>
                    })}
                }
            })}
            {move || match people.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) => {
                    let c = PeopleCounts::of(&list);
                    let today = web::today();
                    let birthdays = upcoming_birthdays(&list, today, BIRTHDAY_DAYS);
                    view! {
                        <div class="stats">
                            <div class="stat"><span class="num" data-test="count-lixiu">{c.lixiu}</span><span>"离休"</span></div>
                            <div class="stat"><span class="num" data-test="count-tuixiu">{c.tuixiu}</span><span>"退休"</span></div>
                            <div class="stat"><span class="num" data-test="count-widow">{c.widow}</span><span>"遗孀"</span></div>
                        </div>
                        <p class="muted">{format!("在册 {} 人，其中党员 {} 人；名册外志愿者 {} 人", c.registry(), c.party_members, c.other)}</p>
                        <h2>{format!("近{BIRTHDAY_DAYS}天过生日的离休干部")}</h2>
                        {if birthdays.is_empty() {
                            let text = if c.lixiu == 0 { "登记离休干部后，这里会提前提醒他们的生日。" } else { "近期没有离休干部过生日。" };
                            view! { <p class="muted">{text}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="list">
                                    {birthdays.into_iter().map(|b| {
                                        let when = match b.days_away { 0 => "今天".to_owned(), 1 => "明天".to_owned(), n => format!("{n}天后") };
                                        view! {
                                            <li class="row"><A href=format!("/people/{}", b.id) attr:class="row-main">
                                                <span class="name">{b.name}</span>
                                                <span class="badges"><span class="badge lixiu">{format!("{}岁", b.turns)}</span></span>
                                                <span class="meta">{format!("{}月{}日 · {}", b.on.month(), b.on.day(), when)}</span>
                                            </A>
                                            // One tap to the birthday greeting's form, for this person.
                                            <A href=format!("/benefits/new?kind=birthday&person={}", b.id) attr:class="button small">"记祝福"</A></li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }}
                    }
                    .into_any()
                }
            }}
            <p class="actions">
                <A href="/activities/new" attr:class="button primary">"记录活动"</A>
                <A href="/benefits/new" attr:class="button primary">"记录发放"</A>
                <A href="/due" attr:class="button">"待办：走访与补助"</A>
                <A href="/people/new" attr:class="button">"登记人员"</A>
            </p>
        </section>
    }
}
