//! What the office still owes people this year: holiday visits and widow subsidies, with a
//! one-tap link to record each.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::{Benefit, BenefitKind, Person, Record};
use crate::report::due::{holiday_visits_due, widow_subsidies_due, widows_to_check};
use crate::storage::web;
use crate::ui::data;
use crate::ui::widgets::page_note;

#[component]
pub fn DuePage() -> impl IntoView {
    let people = data::resource::<Person>();
    let benefits = data::resource::<Benefit>();
    let year = web::today().year();
    move || match (people.get(), benefits.get()) {
        (Some(Ok(people)), Some(Ok(benefits))) => {
            let visits = holiday_visits_due(&people, &benefits, year);
            let subsidies = widow_subsidies_due(&people, &benefits, year);
            let unsure = widows_to_check(&people, &benefits, year);
            view! {
                <section class="page">
                    <h1>"待办"</h1>
                    <h2 data-test="visits-due">{format!("{year}年尚未走访慰问（{}人）", visits.len())}</h2>
                    {due_list(&visits, BenefitKind::HolidayVisit)}
                    <h2 data-test="subsidies-due">{format!("{year}年尚未发放遗孀困难补助（{}人）", subsidies.len())}</h2>
                    {due_list(&subsidies, BenefitKind::WidowSubsidy)}
                    {(!unsure.is_empty()).then(|| view! {
                        <h2 data-test="widows-to-check">{format!("待核实：是否无工作收入（{}人）", unsure.len())}</h2>
                        <p class="muted">"这些遗孀今年还没有领到困难补助，但登记里没有勾选“无工作收入”，所以不在上面的名单里。请核实后在人员页修改，或直接记录发放。"</p>
                        {due_list(&unsure, BenefitKind::WidowSubsidy)}
                    })}
                </section>
            }
            .into_any()
        }
        (Some(Err(e)), _) | (_, Some(Err(e))) => page_note("error", e.to_string()),
        _ => page_note("muted", "正在读取…"),
    }
}

fn due_list(people: &[&Record<Person>], kind: BenefitKind) -> impl IntoView {
    if people.is_empty() {
        return view! { <p class="muted">"已全部完成"</p> }.into_any();
    }
    view! {
        <ul class="list">
            {people.iter().map(|p| {
                let (name, meta, record) = (p.body.name.clone(), format!("{} · {} {}", p.body.category.label(), p.body.township, p.body.village), format!("/benefits/new?kind={}&person={}", kind.key(), p.id));
                view! {
                    <li class="row">
                        <A href=format!("/people/{}", p.id) attr:class="row-main">
                            <span class="name">{name}</span>
                            <span class="meta">{meta}</span>
                        </A>
                        <A href=record attr:class="button small">"记录"</A>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
