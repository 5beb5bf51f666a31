//! The office pages, in four chunks of pages that share most of their code: reports; import,
//! export and settings; the record-keeping pages; face-to-face transfer by QR codes. Each is fetched when first opened and, for
//! offline use, by the service worker in the background. A chunk per page was measured first:
//! wasm-split then gives every set of pages sharing a function a chunk of its own, and the
//! field pages came to need some 120 files (~0.3 s more to the roster's first row with
//! everything cached, a round trip each on a first visit).

pub mod exchange;
pub mod qr;
pub mod records;
pub mod reports;
