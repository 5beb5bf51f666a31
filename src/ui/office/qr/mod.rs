//! Face to face with no network: an export shown as a run of QR codes on one phone
//! (`send.rs`), read by the other's camera (`scan.rs`). Chunk `qr`, fetched when either page
//! first opens: the QR encoder and reader and the fountain code are in no other download.

mod js;
mod scan;
mod send;

use crate::ui::shell::on_demand::on_demand;

on_demand!(QrSend, qr, qr_send_page, send::QrSend);
on_demand!(QrScan, qr, qr_scan_page, scan::QrScan);
