//! The lock's keys in a real browser's WebCrypto (`cargo test --target wasm32-unknown-unknown
//! --lib`): only the right secret or recovery code opens the data key, and a new PIN leaves the
//! recovery code working.

use wasm_bindgen_test::*;

use super::keys;
use crate::domain::lock;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn only_the_pin_or_the_recovery_code_opens_the_data_key() {
    let (row, code, key) = keys::create("135790", 5).await.unwrap();
    assert!(!row.phrase);
    assert_eq!(row.iterations, lock::ITERATIONS);
    assert_ne!(row.pin.salt, row.recovery.salt);
    let opened = keys::open(&row, "135790", false, "").await.unwrap().expect("the PIN opens");
    assert_eq!(opened.0, key.0);
    assert!(keys::open(&row, "135791", false, "").await.unwrap().is_none());
    let typed = code.to_lowercase().replace('-', " ");
    assert_eq!(keys::open(&row, &typed, true, "").await.unwrap().expect("the code opens").0, key.0);
    assert!(keys::open(&row, "0000-0000-0000-0000-0000", true, "").await.unwrap().is_none());
    assert!(keys::open(&row, "too short", true, "").await.is_err(), "a mistyped code is named before deriving");

    let changed = keys::rewrap(&row, &key, "县老干部局办公室电脑").await.unwrap();
    assert!(changed.phrase);
    assert!(keys::open(&changed, "135790", false, "").await.unwrap().is_none(), "the old PIN no longer opens");
    assert_eq!(keys::open(&changed, "县老干部局办公室电脑", false, "").await.unwrap().unwrap().0, key.0);
    assert_eq!(keys::open(&changed, &code, true, "").await.unwrap().unwrap().0, key.0, "the code still opens");
    let mut broken = changed.clone();
    broken.pin.key = "AAAA".into();
    assert!(keys::open(&broken, "县老干部局办公室电脑", false, "").await.unwrap().is_none());
    assert!(keys::create("1234", 5).await.is_err());

    // 李明's own PIN opens for him, and only for him; the device's PIN no longer does.
    let own = keys::own_pin(&changed, &key, "李明", Some("246810")).await.unwrap();
    assert_eq!(keys::open(&own, "246810", false, "李明").await.unwrap().unwrap().0, key.0);
    assert!(keys::open(&own, "县老干部局办公室电脑", false, "李明").await.unwrap().is_none());
    assert!(keys::open(&own, "246810", false, "王芳").await.unwrap().is_none(), "王芳 uses the device's");
    assert_eq!(keys::open(&own, "县老干部局办公室电脑", false, "王芳").await.unwrap().unwrap().0, key.0);
    assert_eq!(keys::open(&own, &code, true, "李明").await.unwrap().unwrap().0, key.0, "the code opens for anyone");
    assert!(keys::own_pin(&own, &key, "李明", Some("12")).await.is_err());
    let gone = keys::own_pin(&own, &key, "李明", None).await.unwrap();
    assert_eq!(keys::open(&gone, "县老干部局办公室电脑", false, "李明").await.unwrap().unwrap().0, key.0);
}

/// The cipher that seals fields at rest: only its key and its record's id open a ciphertext,
/// a changed byte is refused, and no nonce repeats.
#[wasm_bindgen_test]
async fn the_data_key_seals_a_record_that_only_it_and_that_record_open() {
    use crate::storage::seal::Sealer;
    let (_, _, key) = keys::create("135790", 5).await.unwrap();
    let (_, _, other) = keys::create("246801", 5).await.unwrap();
    let cipher = keys::Cipher::new(&key).unwrap();
    let plain = r#"{"phone":"13912345678","id_number":"45112219350308301X"}"#;
    let a = cipher.seal("id-1", plain).unwrap();
    let b = cipher.seal("id-1", plain).unwrap();
    assert_ne!(a, b, "a fresh nonce each time");
    assert!(!a.contains("1391234"));
    assert_eq!(cipher.open("id-1", &a).unwrap(), plain);
    assert_eq!(keys::Cipher::new(&key).unwrap().open("id-1", &b).unwrap(), plain, "the key, not the session");
    assert!(cipher.open("id-2", &a).is_err(), "bound to its record");
    assert!(keys::Cipher::new(&other).unwrap().open("id-1", &a).is_err(), "another key");
    let mut bytes = crate::sync::sealed::unbase64(&a).unwrap();
    bytes[20] ^= 1;
    assert!(cipher.open("id-1", &crate::sync::sealed::base64(&bytes)).is_err(), "a changed byte");
}
