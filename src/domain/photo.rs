//! Photos of an activity, as the county's reports show them.
//!
//! A photo is its own record (so two offices adding photos to one activity both keep theirs);
//! the JPEG itself is not part of the record: storage keeps it as a browser blob beside it,
//! and export files carry it only when asked. `bytes` and `crc32` let a receiver check the
//! JPEG that arrives against the record that announced it.

use serde::{Deserialize, Serialize};

use super::RecordId;

/// The longest edge a stored photo keeps: sharp on a phone and in a printed report, ~200 KB.
pub const FULL_EDGE: u32 = 1280;
/// The longest edge of the thumbnail shown in lists.
pub const THUMB_EDGE: u32 = 240;
/// Photos one activity may hold: enough for a report, bounded for a phone's storage.
pub const MAX_PER_ACTIVITY: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub activity: RecordId,
    pub width: u32,
    pub height: u32,
    /// Size of the stored JPEG.
    pub bytes: u32,
    /// CRC-32 of the stored JPEG, 8 lowercase hex digits.
    pub crc32: String,
    #[serde(default)]
    pub caption: String,
}

/// The size to draw an image of `width`×`height` at so its longest edge is at most `edge`,
/// keeping its proportions; never enlarged, never below 1 pixel.
pub fn fit(width: u32, height: u32, edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= edge || long == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| ((u64::from(side) * u64::from(edge) + u64::from(long) / 2) / u64::from(long)).max(1) as u32;
    (scale(width), scale(height))
}

#[cfg(all(test, not(target_arch = "wasm32")))] // test deps are native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_photos_shrink_to_the_edge() {
        assert_eq!(fit(4000, 3000, FULL_EDGE), (1280, 960));
        assert_eq!(fit(3000, 4000, FULL_EDGE), (960, 1280));
        assert_eq!(fit(4032, 1908, THUMB_EDGE), (240, 114));
        assert_eq!(fit(800, 600, FULL_EDGE), (800, 600), "small pictures are not enlarged");
        assert_eq!(fit(10_000, 1, THUMB_EDGE), (240, 1), "a sliver keeps one pixel");
    }

    proptest! {
        #[test]
        fn fit_keeps_within_the_edge_and_the_shape(w in 1u32..20_000, h in 1u32..20_000, edge in 16u32..4096) {
            let (fw, fh) = fit(w, h, edge);
            prop_assert!(fw.max(fh) <= edge.max(w.max(h).min(edge)));
            prop_assert!(fw >= 1 && fh >= 1 && fw <= w && fh <= h);
            if w.max(h) > edge {
                prop_assert_eq!(fw.max(fh), edge);
                // Proportions kept to within rounding of one pixel.
                let (a, b) = (u64::from(fw) * u64::from(h), u64::from(fh) * u64::from(w));
                prop_assert!(a.abs_diff(b) <= u64::from(w.max(h)));
            }
        }
    }

    #[test]
    fn stored_shape_is_pinned() {
        let p = Photo {
            activity: RecordId::from_random([7; 16]),
            width: 1280,
            height: 960,
            bytes: 201_344,
            crc32: "0a1b2c3d".into(),
            caption: "宣讲现场".into(),
        };
        expect_test::expect![[r#"{"activity":"07070707-0707-4707-8707-070707070707","width":1280,"height":960,"bytes":201344,"crc32":"0a1b2c3d","caption":"宣讲现场"}"#]]
            .assert_eq(&serde_json::to_string(&p).unwrap());
    }
}
