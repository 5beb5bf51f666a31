//! The field app: the pages a volunteer uses every day (people, a person, the month's log, the
//! activity and payment forms, the due list, and the first visit's welcome card). One chunk,
//! `field`, fetched as soon as the shell runs ([`prefetch_field`]).

mod activity_edit;
mod activity_view;
mod benefit_edit;
mod benefit_view;
mod due;
mod log;
pub(crate) mod people;
mod person_edit;
mod person_view;
mod welcome;

use crate::ui::shell::on_demand::on_demand;

on_demand!(PeopleList, field, people_list_page, people::PeopleList, preload = preload_field);
on_demand!(PersonView, field, person_view_page, person_view::PersonView);
on_demand!(PersonEdit, field, person_edit_page, person_edit::PersonEdit);
on_demand!(Log, field, log_page, log::LogPage);
on_demand!(ActivityEdit, field, activity_edit_page, activity_edit::ActivityEdit);
on_demand!(ActivityView, field, activity_view_page, activity_view::ActivityView);
on_demand!(BenefitView, field, benefit_view_page, benefit_view::BenefitView);
on_demand!(BenefitEdit, field, benefit_edit_page, benefit_edit::BenefitEdit);
on_demand!(Due, field, due_page, due::DuePage);
on_demand!(Welcome, field, welcome_card, welcome::Welcome);

/// Fetches the field pages in the background once the shell runs, so a tap on 人员 or 记录活动
/// opens at once; a failure here is silent (opening the page retries and says so).
pub fn prefetch_field() {
    leptos::task::spawn_local(async {
        let _ = preload_field().await;
    });
}
