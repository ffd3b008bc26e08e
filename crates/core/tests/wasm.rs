//! The core in a real browser: headless Chromium runs the wasm32 build and must give, for
//! each fixture below, exactly the diagnosis the native fixture test snapshotted beside it
//! (`<name>.diagnosis.json`). So the site and the extension answer what the CLI answers.
//!
//! Run with `cargo xtask test --only wasm` (it builds the runner and sets up the browser).
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The diagnosis of `input` as JSON, read back the way the snapshot file is.
fn diagnosis_json(input: &[u8]) -> Result<Value, String> {
    let diagnosis = culprit_core::diagnose(input).map_err(|e| format!("diagnose failed: {e}"))?;
    let text = serde_json::to_string(&diagnosis).map_err(|e| format!("serialize: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("read back: {e}"))
}

fn assert_matches_snapshot(name: &str, input: &[u8], snapshot: &str) {
    let expected: Result<Value, String> =
        serde_json::from_str(snapshot).map_err(|e| format!("snapshot of {name} unreadable: {e}"));
    assert_eq!(
        diagnosis_json(input),
        expected,
        "{name}: the browser's diagnosis differs from the native snapshot"
    );
}

/// `fixture!(test_name, "source/name", "ext")` checks
/// `fixtures/source/name.ext` against `fixtures/source/name.diagnosis.json`.
macro_rules! fixture {
    ($test:ident, $stem:literal, $ext:literal) => {
        #[wasm_bindgen_test]
        fn $test() {
            assert_matches_snapshot(
                concat!($stem, ".", $ext),
                include_bytes!(concat!("fixtures/", $stem, ".", $ext)),
                include_str!(concat!("fixtures/", $stem, ".diagnosis.json")),
            );
        }
    };
}

/// The pipeline itself: an inline nginx page is read and named in the browser.
#[wasm_bindgen_test]
fn diagnoses_an_inline_page() {
    let page =
        b"HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n\
<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n\
</body>\r\n</html>\r\n";
    let json = diagnosis_json(page);
    let status = json.as_ref().ok().and_then(|v| v["status"].as_u64());
    assert_eq!(status, Some(502), "diagnosis: {json:?}");
}

/// Unreadable input is an error value in the browser too, not a panic.
#[wasm_bindgen_test]
fn empty_input_is_an_error() {
    assert!(culprit_core::diagnose(b"").is_err());
}
