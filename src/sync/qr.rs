//! QR codes in plain Rust: a frame's text as a code's modules to draw (qrcodegen), and the
//! text of a code found in a camera's greyscale picture (`qr-read/`: rqrr, without its image
//! crate; the scanner's worker runs the same crate).

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

/// The largest code drawn: BC-UR's cap, past which cheap cameras miss modules.
const MOST_VERSION: u8 = 25;

/// A code's modules, dark or light, `size` a side.
pub struct Code {
    pub size: usize,
    dark: Vec<bool>,
}

impl Code {
    /// The code for `text` at error correction L (a screen held still is a clean source; the
    /// fountain code makes up for a frame misread), in the smallest version that holds it.
    pub fn of(text: &str) -> Option<Code> {
        let segments = QrSegment::make_segments(text);
        let code = QrCode::encode_segments_advanced(
            &segments,
            QrCodeEcc::Low,
            Version::MIN,
            Version::new(MOST_VERSION),
            None,
            true,
        )
        .ok()?;
        let size = code.size() as usize;
        let dark = (0..size * size).map(|i| code.get_module((i % size) as i32, (i / size) as i32)).collect();
        Some(Code { size, dark })
    }

    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.dark.get(y * self.size + x).copied().unwrap_or(false)
    }
}

pub use sangyu_qr_read::{grey, read};

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use crate::sync::chat::Packing;
    use crate::sync::frames::{Frames, Gathering};

    /// The code drawn as a screen would show it: `scale` pixels a module, a quiet zone of four.
    fn picture(code: &Code, scale: usize) -> (usize, Vec<u8>) {
        let side = (code.size + 8) * scale;
        let mut luma = vec![255u8; side * side];
        for y in 0..code.size {
            for x in 0..code.size {
                if code.dark(x, y) {
                    for dy in 0..scale {
                        let row = (y + 4) * scale + dy;
                        for dx in 0..scale {
                            luma[row * side + (x + 4) * scale + dx] = 0;
                        }
                    }
                }
            }
        }
        (side, luma)
    }

    #[test]
    fn a_frame_drawn_and_read_back_is_the_same_text() {
        let data: Vec<u8> = (0..5_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut frames = Frames::new(&data, Packing::Deflate).unwrap();
        let mut g = Gathering::default();
        let mut versions = Vec::new();
        while g.complete().is_none() {
            let f = frames.next_frame();
            let code = Code::of(&f).unwrap();
            versions.push((code.size - 17) / 4);
            let (side, luma) = picture(&code, 3);
            let read = read(side, side, &luma);
            assert_eq!(read, vec![f.clone()]);
            g.add(&read[0]);
        }
        assert_eq!(g.complete().unwrap().unwrap().1, data);
        let most = versions.iter().max().copied().unwrap_or(0);
        assert!(most <= 12, "version {most}");
    }

    #[test]
    fn nothing_is_read_from_a_blank_picture() {
        assert!(read(64, 64, &[200u8; 64 * 64]).is_empty());
        assert!(read(0, 0, &[]).is_empty());
    }
}
