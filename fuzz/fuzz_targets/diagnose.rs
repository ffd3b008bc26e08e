//! Feeds arbitrary bytes to `diagnose`, and to `diagnose_observation` when they parse as a
//! browser observation. Any panic is a bug; so is an answer that does not serialise.

#![no_main]

use culprit_core::{BrowserObservation, Diagnosis, diagnose, diagnose_observation};
use libfuzzer_sys::fuzz_target;

fn check(d: &Diagnosis) {
    let json = match serde_json::to_string(d) {
        Ok(json) => json,
        Err(e) => panic!("a diagnosis does not serialise: {e}"),
    };
    match serde_json::from_str::<Diagnosis>(&json) {
        Ok(back) => assert_eq!(&back, d, "the JSON round trip changed the diagnosis"),
        Err(e) => panic!("a diagnosis does not read back from its JSON: {e}"),
    }
    let c = d.source.confidence;
    assert!(c.is_finite() && (0.0..=1.0).contains(&c), "confidence {c}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = diagnose(data) {
        check(&d);
    }
    if let Ok(o) = serde_json::from_slice::<BrowserObservation>(data) {
        check(&diagnose_observation(&o));
    }
});
