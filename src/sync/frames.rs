//! An export as a stream of QR codes, for two phones face to face with no network: the
//! export's bytes (deflated, as the chat text's are) cut by BC-UR's fountain code (the `ur`
//! crate), so the receiver needs any enough frames, in any order; a missed frame costs one
//! more frame, not a loop. Spec in docs/file-format.md ("As QR codes").
//!
//! A frame is a multi-part UR in upper case (QR's compact alphanumeric mode):
//!
//! ```text
//! UR:SANGYU-Z-1A2B3C4D/7-14/LPATAX…
//! ```
//!
//! `sangyu` says whose it is, `z` that the bytes are deflated (`t`: the file as it is),
//! `1a2b3c4d` the transfer (the CRC-32 of the bytes), so frames of another transfer, or
//! another app's codes, are ignored; `7-14` the part and how many source fragments there
//! are; the body carries, in each part, the whole's length and its CRC-32 (checked once
//! joined) and the part's own CRC-32 (a misread frame is dropped).

use std::collections::{BTreeMap, BTreeSet};

use super::chat::Packing;
use super::format::crc32;

/// Bytes of the export in one frame. With UR's framing a frame is ~420 characters: a
/// version 11–12 code at error correction L (61–65 modules a side), ~5 screen pixels a module on
/// a 360 px phone, which a cheap phone's camera reads from 20–30 cm.
pub const FRAGMENT: usize = 180;

/// A transfer longer than this many source fragments (~1.8 MB deflated) is a job for a file.
const MOST_FRAGMENTS: usize = 10_000;

const APP: &str = "sangyu";

/// The sending side: an endless sequence of frames for one export.
pub struct Frames {
    encoder: ur::Encoder<'static>,
    /// `ur:sangyu-z-1a2b3c4d/`, upper case.
    prefix: String,
}

impl Frames {
    /// Frames for `payload` (the export's bytes, packed as `packing` says).
    pub fn new(payload: &[u8], packing: Packing) -> Result<Frames, FrameError> {
        let encoder = ur::Encoder::bytes(payload, FRAGMENT).map_err(|_| FrameError::Empty)?;
        let prefix = format!("UR:{}/", transfer_type(payload, packing).to_ascii_uppercase());
        Ok(Frames { encoder, prefix })
    }

    /// How many source fragments the export is cut into: the fewest frames that can carry it.
    pub fn fragments(&self) -> usize {
        self.encoder.fragment_count()
    }

    /// The next frame's text: first each fragment as it is, then mixes of them, without end.
    pub fn next_frame(&mut self) -> String {
        // `bytes` parts always encode (their CBOR is five numbers and a byte string).
        let part = self.encoder.next_part().unwrap_or_default();
        let body = part.strip_prefix("ur:bytes/").unwrap_or(&part);
        format!("{}{}", self.prefix, body.to_ascii_uppercase())
    }
}

/// `sangyu-z-1a2b3c4d`: whose, how packed, which transfer.
fn transfer_type(payload: &[u8], packing: Packing) -> String {
    format!("{APP}-{}-{:08x}", packing.key(), crc32(payload, 0))
}

/// What a frame says of itself before it is decoded.
fn header(frame: &str) -> Option<(&str, Packing)> {
    let rest = frame.get(..3).filter(|s| s.eq_ignore_ascii_case("ur:")).map(|_| &frame[3..])?;
    let (ty, _) = rest.split_once('/')?;
    let mut pieces = ty.split('-');
    let (app, pack, id) = (pieces.next()?, pieces.next()?, pieces.next()?);
    if !app.eq_ignore_ascii_case(APP) || pieces.next().is_some() || id.len() != 8 {
        return None;
    }
    let packing = Packing::from_key(pack.chars().next()?.to_ascii_lowercase())?;
    Some((ty, packing))
}

/// Why frames did not give an export.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("没有可以发送的内容")]
    Empty,
    #[error("收到的内容拼起来校验不对：请让对方重新开始发送")]
    Corrupt,
}

/// The receiving side: frames as the camera reads them, any order, repeats and strangers
/// included; one fountain decoder per transfer seen.
#[derive(Default)]
pub struct Gathering {
    transfers: BTreeMap<String, (Packing, ur::Decoder)>,
    /// The frames taken, by their CRC-32: a camera reads a code held on screen many times.
    seen: BTreeSet<u32>,
}

/// What one read frame did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Took {
    /// Not a Sangyu frame, or misread: ignored.
    Ignored,
    /// A frame of a transfer not taken before.
    Frame,
    /// A frame taken before (the screen had not changed yet).
    Again,
}

impl Gathering {
    /// Takes one frame's text.
    pub fn add(&mut self, frame: &str) -> Took {
        let Some((ty, packing)) = header(frame) else { return Took::Ignored };
        let id = crc32(frame.to_ascii_uppercase().as_bytes(), 0);
        if self.seen.contains(&id) {
            return Took::Again;
        }
        let key = ty.to_ascii_lowercase();
        if !self.transfers.contains_key(&key) && self.transfers.len() >= 8 {
            // A screen full of stray codes must not grow memory without end.
            return Took::Ignored;
        }
        let (_, decoder) = self.transfers.entry(key).or_insert_with(|| (packing, ur::Decoder::default()));
        if decoder.fragment_count() > MOST_FRAGMENTS {
            return Took::Ignored;
        }
        match decoder.receive(frame) {
            Ok(()) => {
                self.seen.insert(id);
                Took::Frame
            }
            Err(_) => Took::Ignored,
        }
    }

    /// How far the transfer nearest to done is, in thousandths: it only goes up.
    pub fn progress(&self) -> u32 {
        self.transfers
            .values()
            .filter_map(|(_, d)| {
                let total = d.fragment_count();
                let done = d.resolved_fragment_count()?;
                (total > 0).then(|| (done * 1000 / total) as u32)
            })
            .max()
            .unwrap_or(0)
    }

    /// The export, once one transfer has all it needs: its bytes and how they are packed,
    /// checked against the whole's CRC-32 (the decoder's) and the transfer's id (ours).
    pub fn complete(&self) -> Option<Result<(Packing, Vec<u8>), FrameError>> {
        let (ty, (packing, decoder)) = self.transfers.iter().find(|(_, (_, d))| d.complete())?;
        Some(match decoder.message() {
            Ok(Some(bytes)) if transfer_type(&bytes, *packing) == *ty => Ok((*packing, bytes)),
            _ => Err(FrameError::Corrupt),
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bytes(n: usize, seed: u32) -> Vec<u8> {
        // Not compressible: a fountain code's worst case.
        let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect()
    }

    /// Frames fed until the export comes back; how many it took.
    fn receive(frames: &mut Frames, mut keep: impl FnMut(usize) -> bool) -> (Vec<u8>, usize) {
        let mut g = Gathering::default();
        let mut last = 0;
        for sent in 1..100_000 {
            let f = frames.next_frame();
            if !keep(sent) {
                continue;
            }
            assert_eq!(g.add(&f), Took::Frame);
            assert!(g.progress() >= last, "progress only goes up");
            last = g.progress();
            if let Some(done) = g.complete() {
                let (packing, out) = done.unwrap();
                assert_eq!(packing, Packing::Deflate);
                return (out, sent);
            }
        }
        panic!("never complete");
    }

    #[test]
    fn sizes_from_one_byte_to_a_megabyte_come_back() {
        for n in [1, 2, 179, 180, 181, 1_000, 65_536, 1 << 20] {
            let data = bytes(n, n as u32);
            let mut frames = Frames::new(&data, Packing::Deflate).unwrap();
            let (out, _) = receive(&mut frames, |_| true);
            assert_eq!(out, data, "{n} bytes");
        }
    }

    #[test]
    fn frames_are_alphanumeric_qr_text_and_say_whose_they_are() {
        let mut frames = Frames::new(b"hello", Packing::Plain).unwrap();
        let f = frames.next_frame();
        assert!(f.starts_with("UR:SANGYU-T-"), "{f}");
        assert!(f.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "$%*+-./: ".contains(c)), "{f}");
    }

    #[test]
    fn any_order_and_a_fifth_lost_still_decodes_with_little_overhead() {
        // A township's week deflated is ~2.5 KB: 14 fragments.
        let data = bytes(2_500, 7);
        let mut frames = Frames::new(&data, Packing::Deflate).unwrap();
        let k = frames.fragments();
        let mut all: Vec<String> = (0..k * 3).map(|_| frames.next_frame()).collect();
        // Shuffled, each fifth dropped, some doubled.
        all.reverse();
        let mut g = Gathering::default();
        let mut used = 0;
        for (i, f) in all.iter().enumerate() {
            if i % 5 == 4 {
                continue;
            }
            g.add(f);
            if i % 7 == 0 {
                assert_eq!(g.add(f), Took::Again);
            }
            used += 1;
            if g.complete().is_some() {
                break;
            }
        }
        assert_eq!(g.complete().unwrap().unwrap().1, data);
        assert!(used <= k * 2, "{used} frames for {k} fragments");
    }

    #[test]
    fn another_transfers_frames_and_stray_codes_are_ignored() {
        let (a, b) = (bytes(3_000, 1), bytes(3_000, 2));
        let mut fa = Frames::new(&a, Packing::Deflate).unwrap();
        let mut fb = Frames::new(&b, Packing::Deflate).unwrap();
        let mut g = Gathering::default();
        assert_eq!(g.add("https://example.com/"), Took::Ignored);
        assert_eq!(g.add("UR:BYTES/1-3/LPADAXCFAXHLCYYNHLMURT"), Took::Ignored);
        // Three of b's frames first, then a's: a completes, with a's bytes.
        for _ in 0..3 {
            g.add(&fb.next_frame());
        }
        let done = loop {
            g.add(&fa.next_frame());
            if let Some(d) = g.complete() {
                break d;
            }
        };
        assert_eq!(done.unwrap().1, a);
    }

    #[test]
    fn a_changed_character_drops_that_frame_only() {
        let data = bytes(1_000, 3);
        let mut frames = Frames::new(&data, Packing::Deflate).unwrap();
        let mut g = Gathering::default();
        let f = frames.next_frame();
        let mut changed: Vec<char> = f.chars().collect();
        let at = changed.len() - 12;
        changed[at] = if changed[at] == 'A' { 'B' } else { 'A' };
        assert_eq!(g.add(&changed.into_iter().collect::<String>()), Took::Ignored);
        let (out, _) = receive(&mut frames, |_| true);
        assert_eq!(out, data);
    }

    #[test]
    fn overhead_at_no_loss_and_at_a_fifth_lost() {
        // The figures docs/file-format.md states: frames needed over the fragments.
        let data = bytes(20_000, 9);
        let k = Frames::new(&data, Packing::Deflate).unwrap().fragments();
        let (_, clean) = receive(&mut Frames::new(&data, Packing::Deflate).unwrap(), |_| true);
        assert_eq!(clean, k, "with nothing lost, the fragments themselves");
        let (_, lossy) = receive(&mut Frames::new(&data, Packing::Deflate).unwrap(), |i| i % 5 != 0);
        // A lost fragment comes back only inside a mix of several: BC-UR's code needs ~1.5×
        // the fragments when a fifth of the frames is lost (164 for 112 here).
        let received = lossy - lossy / 5;
        assert!(received * 100 <= k * 160, "{received} frames received for {k} fragments");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn any_export_any_loss_comes_back(n in 1usize..6_000, seed in any::<u32>(), drop in 0usize..4) {
            let data = bytes(n, seed);
            let mut frames = Frames::new(&data, Packing::Deflate).unwrap();
            let (out, _) = receive(&mut frames, |i| drop == 0 || i % (drop + 2) != 0);
            prop_assert_eq!(out, data);
        }
    }
}
