//! Sharing and keeping the device: export and import (files and chat text), 待核对, rosters
//! from spreadsheets, duplicates, settings, records that do not read. Chunk `exchange`.

pub(crate) mod duplicates;
mod page;
mod repair;
mod review;
mod roster_import;
mod settings;

use crate::ui::shell::on_demand::on_demand;

on_demand!(Exchange, exchange, exchange_page, page::ExchangePage);
on_demand!(RosterImport, exchange, roster_import_page, roster_import::RosterImport);
on_demand!(Duplicates, exchange, duplicates_page, duplicates::DuplicatesPage);
on_demand!(Settings, exchange, settings_page, settings::SettingsPage);
on_demand!(Repair, exchange, repair_page, repair::RepairPage);
on_demand!(Review, exchange, review_page, review::ReviewPage);
