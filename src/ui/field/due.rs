//! What the office still owes people: holiday visits by campaign (春节, 七一, 中秋, 重阳, or a
//! round the office names with its dates; the whole year on request) and this year's widow
//! subsidies, with a one-tap link to record each.

use crate::ui::shell::router::{keep_query, kept, use_query_map, with_query, A};
use leptos::prelude::*;

use crate::domain::{Benefit, BenefitKind, Date, Person, Record};
use crate::report::due::{campaigns_near, visits_due_between, widow_subsidies_due, widows_to_check, Campaign};
use crate::storage::web;
use crate::ui::data;
use crate::ui::settings::{keep_named_campaigns, named_campaigns, Settings};
use crate::ui::widgets::{app_state, RecordSelect};

#[component]
pub fn DuePage() -> impl IntoView {
    let people = data::resource::<Person>();
    let benefits = data::resource::<Benefit>();
    let today = web::today();
    let year = today.year();
    let (near, current) = campaigns_near(today);
    // The calendar's rounds, then the ones this office named (kept in its settings).
    let calendar = near.len();
    let campaigns = RwSignal::new([near, named_campaigns()].concat());
    // The campaign shown: an index into `campaigns`, or past its end for the whole year. Kept
    // in the address by name, so coming back from recording a visit shows the same round.
    let asked = use_query_map().with_untracked(|q| q.get("round"));
    let first = match asked.as_deref() {
        Some("year") => usize::MAX,
        Some(name) => campaigns.with_untracked(|l| l.iter().position(|c| c.name == name)).unwrap_or(current),
        None => current,
    };
    let chosen = RwSignal::new(first);
    let round_key = move || match campaigns.with(|l| l.get(chosen.get()).map(|c| c.name.clone())) {
        Some(name) => name,
        None => "year".to_owned(),
    };
    // A township's device sees its own people first; 全部乡镇 (`all`) shows the county's.
    let own = Settings::load().township;
    let township = kept("township", if own.is_empty() { "all" } else { &own });
    let place = move || [("round", round_key()), ("township", township.get())];
    Effect::new(move || keep_query(&place()));
    let naming = RwSignal::new(false);
    let (name, from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let refused = RwSignal::new(None::<&'static str>);
    // The office's own rounds, kept and shown; a failed save (storage full) is said, not lost quietly.
    let state = app_state();
    let replace_named = move |mine: Vec<Campaign>| match keep_named_campaigns(&mine) {
        Ok(()) => {
            campaigns.update(|l| {
                l.truncate(calendar);
                l.extend(mine);
            });
            true
        }
        Err(e) => {
            state.say(e);
            false
        }
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Campaign::named(&name.get_untracked(), &from.get_untracked(), &to.get_untracked()) {
            Err(why) => refused.set(Some(why)),
            Ok(c) => {
                let mut mine = campaigns.get_untracked().split_off(calendar);
                mine.push(c);
                if replace_named(mine) {
                    chosen.set(campaigns.with_untracked(Vec::len) - 1);
                    naming.set(false);
                    refused.set(None);
                    name.set(String::new());
                }
            }
        }
    };
    let remove = move |_| {
        let i = chosen.get_untracked();
        let mut mine = campaigns.get_untracked().split_off(calendar);
        if i < calendar || i - calendar >= mine.len() {
            return;
        }
        mine.remove(i - calendar);
        if replace_named(mine) {
            chosen.set(current);
        }
    };
    let named_chosen = move || (calendar..campaigns.with(Vec::len)).contains(&chosen.get());
    let picker = view! {
        <label class="field">
            <span class="field-label">"走访慰问按哪一轮算"</span>
            <select aria-label="走访慰问按哪一轮算" data-test="campaign"
                prop:value=move || chosen.get().to_string()
                on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(current))>
                {move || campaigns.get().iter().enumerate().map(|(i, c)| view! {
                    <option value=i.to_string() selected=chosen.get_untracked() == i>{c.name.clone()}</option>
                }).collect_view()}
                <option value=usize::MAX.to_string()>{format!("{year}年全年")}</option>
            </select>
        </label>
        // The dates below the choice, not inside it: a phone's select cuts a long option short.
        <p class="muted" data-test="campaign-span">{move || campaigns.with(|l| l.get(chosen.get()).map(|c| {
            let when = if today < c.from { "（还没开始）" } else if today > c.to { "（已结束）" } else { "" };
            format!("走访期间：{}年{}{when}", c.from.year(), c.span())
        }))}</p>
        <p class="actions">
            <button type="button" class="button small" data-test="name-campaign" on:click=move |_| naming.update(|n| *n = !*n)>"＋ 自定一轮"</button>
            <Show when=named_chosen>
                <button type="button" class="button small" on:click=remove>"删除这一轮"</button>
            </Show>
        </p>
        <Show when=move || naming.get()>
            <form class="card form" on:submit=add data-test="campaign-form">
                <label class="field"><span class="field-label">"名称"</span>
                    <input type="text" maxlength="20" placeholder="如：2027年老干部节走访" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label class="field"><span class="field-label">"开始日期"</span>
                    <input type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/></label>
                <label class="field"><span class="field-label">"结束日期"</span>
                    <input type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></label>
                {move || refused.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
                <p class="actions"><button type="submit" class="button primary">"保存这一轮"</button></p>
            </form>
        </Show>
    };
    let window = move || match campaigns.with(|l| l.get(chosen.get()).cloned()) {
        Some(c) => (c.name, c.from, c.to),
        None => (format!("{year}年"), Date::new(year, 1, 1).unwrap_or(today), Date::new(year, 12, 31).unwrap_or(today)),
    };
    let townships = data::townships(people);
    let town_picker = view! {
        <RecordSelect label="乡镇" none="全部乡镇" none_value="all" value=township test="due-township"
            options=Signal::derive(move || townships.get().into_iter().map(|t| (t.clone(), t)).collect())/>
    };
    let body = move || match (people.get(), benefits.get()) {
        (Some(Ok(people)), Some(Ok(benefits))) => {
            let (name, from, to) = window();
            let tw = township.get();
            let visits = in_township(visits_due_between(&people, &benefits, from, to), &tw);
            let back = with_query("/due", &place());
            // A visit recorded from the list is for this round (a named one or the calendar's).
            let round = campaigns.with(|l| l.get(chosen.get()).cloned());
            let subsidies = in_township(widow_subsidies_due(&people, &benefits, year), &tw);
            let unsure = in_township(widows_to_check(&people, &benefits, year), &tw);
            view! {
                    <h2 data-test="visits-due">{format!("{name}尚未走访慰问")}<span class="nowrap">{format!("（{}人）", visits.len())}</span></h2>
                    {due_list(&visits, BenefitKind::HolidayVisit, round.as_ref(), &back)}
                    <h2 data-test="subsidies-due">{format!("{year}年尚未发放遗孀困难补助")}<span class="nowrap">{format!("（{}人）", subsidies.len())}</span></h2>
                    {due_list(&subsidies, BenefitKind::WidowSubsidy, None, &back)}
                    {(!unsure.is_empty()).then(|| view! {
                        <h2 data-test="widows-to-check">"还要核实的遗孀"<span class="nowrap">{format!("（{}人）", unsure.len())}</span></h2>
                        <p class="muted">"这些遗孀今年还没领困难补助，她们的登记里没勾“无工作收入”，所以没算进上面的名单。请问清楚：确实没有工作收入的，到她的人员页勾上，或直接点“记补助”。"</p>
                        {due_list(&unsure, BenefitKind::WidowSubsidy, None, &back)}
                    })}
            }
            .into_any()
        }
        (Some(Err(e)), _) | (_, Some(Err(e))) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
        _ => view! { <p class="muted">"正在读取…"</p> }.into_any(),
    };
    view! {
        <section class="page">
            <h1>"待办"</h1>
            {picker}
            {town_picker}
            {body}
        </section>
    }
}

/// Those of `list` in `township` (`all`: everyone).
fn in_township<'a>(list: Vec<&'a Record<Person>>, township: &str) -> Vec<&'a Record<Person>> {
    list.into_iter().filter(|p| township == "all" || p.body.township == township).collect()
}

/// People still owed `kind`, each with a link to record it (for `round`, when the list is a
/// round's visits) that comes back to `back`.
fn due_list(people: &[&Record<Person>], kind: BenefitKind, round: Option<&Campaign>, back: &str) -> impl IntoView {
    if people.is_empty() {
        let done = if kind == BenefitKind::HolidayVisit {
            "这一轮都已走访。"
        } else {
            "名单上的人都已发放。"
        };
        return view! { <p class="muted">{done}</p> }.into_any();
    }
    // Says what it records: 记录 alone is also the name of the log's tab.
    let action = if kind == BenefitKind::HolidayVisit { "记走访" } else { "记补助" };
    view! {
        <ul class="list">
            {people.iter().map(|p| {
                let mut query = vec![("kind", kind.key().to_owned()), ("person", p.id.to_string()), ("back", back.to_owned())];
                if let Some(c) = round {
                    query.extend([("round", c.name.clone()), ("from", c.from.to_string()), ("to", c.to.to_string())]);
                }
                let (name, meta, record) = (p.body.name.clone(), format!("{} · {} {}", p.body.category.label(), p.body.township, p.body.village), with_query("/benefits/new", &query));
                view! {
                    <li class="row">
                        <A href=format!("/people/{}", p.id) attr:class="row-main">
                            <span class="name">{name}</span>
                            <span class="meta">{meta}</span>
                        </A>
                        <A href=record attr:class="button small">{action}</A>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
