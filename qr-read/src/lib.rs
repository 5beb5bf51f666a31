//! The texts of the QR codes in a picture, in plain Rust (rqrr, without its image crate). The
//! app links [`read`] for browsers where a worker cannot start; with the `worker` feature the
//! crate is also built alone (scripts/build) into the small wasm the scanner's worker runs
//! (`static/qr_worker.js`), so a picture is searched away from the page's thread.

/// The texts of the QR codes in a greyscale picture (`luma`, `width` pixels a row).
pub fn read(width: usize, height: usize, luma: &[u8]) -> Vec<String> {
    if width == 0 || luma.len() < width * height {
        return Vec::new();
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    image.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

/// A camera picture's RGBA bytes as grey, weighted as the eye sees brightness.
pub fn grey(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4).map(|p| ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8).collect()
}

/// The worker's call: the codes in an RGBA picture, one text a line (a frame has no line break).
#[cfg(feature = "worker")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn read_rgba(width: usize, height: usize, rgba: &[u8]) -> String {
    read(width, height, &grey(rgba)).join("\n")
}
