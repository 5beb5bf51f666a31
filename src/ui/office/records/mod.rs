//! The record-keeping pages: organisations, the station (rooms and duty rota), mediation cases,
//! public feedback, places. Chunk `records`.

mod cases;
mod feedback;
mod inline;
mod org_edit;
mod org_view;
mod orgs;
mod places;
mod station;

use crate::ui::shell::on_demand::on_demand;

on_demand!(Orgs, records, org_list_page, orgs::OrgList);
on_demand!(OrgView, records, org_view_page, org_view::OrgView);
on_demand!(OrgEdit, records, org_edit_page, org_edit::OrgEdit);
on_demand!(Station, records, station_page, station::StationPage);
on_demand!(Cases, records, cases_page, cases::CasesPage);
on_demand!(Feedback, records, feedback_page, feedback::FeedbackPage);
on_demand!(Places, records, places_page, places::PlacesPage);
