//! The county's report: figures for a scope, the summary, charts, printout and CSV. Chunk
//! `reports`.

mod page;

use crate::ui::shell::on_demand::on_demand;

on_demand!(Reports, reports, reports_page, page::ReportsPage);
