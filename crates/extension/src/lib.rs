//! Culprit's browser extension, compiled to WebAssembly.
//!
//! One module serves the whole extension: the background worker calls [`diagnose`] (the
//! core's browser entry point, plus the badge) and [`next_retry`] (the auto-retry schedule);
//! the popup calls [`start_popup`], which renders the shared views of `culprit-views`.
//! The JavaScript in `static/` only wires browser events to these functions and performs
//! the browser actions (reload, clear cache, open a window); it detects nothing.
//! Every binding of this crate to the browser lives in `browser.rs`.

mod badge;
mod browser;
mod popup;
mod schedule;

pub use badge::{Badge, badge};
pub use schedule::{Schedule, next_delay};

use culprit_core::BrowserObservation;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// What the background worker gets back for one observation.
#[derive(Serialize)]
struct Answer<'a> {
    diagnosis: &'a culprit_core::Diagnosis,
    badge: Badge,
}

/// Diagnoses a browser observation (JSON of [`BrowserObservation`]: `url`, `status`,
/// `status_text`, `headers` as `[{name, value}]`, `body`, `net_error`, `browser`) and returns
/// `{"diagnosis": ..., "badge": {"text", "color", "title"}}`, or `{"error": "..."}` when the
/// observation cannot be read. Never panics.
#[wasm_bindgen]
pub fn diagnose(observation_json: &str) -> String {
    let observation: BrowserObservation = match serde_json::from_str(observation_json) {
        Ok(o) => o,
        Err(e) => return error_json(&format!("unreadable observation: {e}")),
    };
    let diagnosis = culprit_core::diagnose_observation(&observation);
    let answer = Answer {
        badge: badge(&diagnosis),
        diagnosis: &diagnosis,
    };
    serde_json::to_string(&answer).unwrap_or_else(|e| error_json(&e.to_string()))
}

fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}

/// Seconds to wait before auto-retry number `attempt` (0 for the first), or -1 to give up.
/// `initial`, `cap` and `give_up` are the schedule in seconds (non-finite or non-positive
/// values fall back to the defaults 10 / 600 / 3600); `elapsed` is how long the schedule
/// has run; `retry_after` the server's Retry-After in seconds (NaN when none); `random` a
/// number in [0, 1) for the jitter.
#[wasm_bindgen]
pub fn next_retry(
    attempt: u32,
    initial: f64,
    cap: f64,
    give_up: f64,
    elapsed: f64,
    retry_after: f64,
    random: f64,
) -> f64 {
    let schedule = Schedule::new(initial, cap, give_up);
    let retry_after = retry_after.is_finite().then_some(retry_after);
    schedule
        .next(attempt, elapsed, retry_after, random)
        .unwrap_or(-1.0)
}

/// Renders the popup into `<main id="app">` (or the body).
#[wasm_bindgen]
pub fn start_popup() {
    popup::start();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnoses_an_observation_and_badges_it() {
        let json = serde_json::json!({
            "url": "http://127.0.0.1:8080/",
            "status": 502,
            "headers": [{"name": "Server", "value": "nginx/1.22.1"}],
            "body": "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.22.1</center></body></html>",
            "browser": "chrome"
        })
        .to_string();
        let out: serde_json::Value = serde_json::from_str(&diagnose(&json)).unwrap_or_default();
        assert_eq!(out["diagnosis"]["source"]["id"], "nginx");
        assert_eq!(out["badge"]["text"], "502");
        assert!(
            out["badge"]["title"]
                .as_str()
                .unwrap_or_default()
                .contains("nginx")
        );
    }

    #[test]
    fn a_network_error_badges_by_kind() {
        for (code, text) in [
            ("net::ERR_NAME_NOT_RESOLVED", "DNS"),
            ("net::ERR_CONNECTION_REFUSED", "NET"),
            ("net::ERR_INTERNET_DISCONNECTED", "OFF"),
            ("net::ERR_CERT_DATE_INVALID", "TLS"),
            ("NS_ERROR_UNKNOWN_HOST", "DNS"),
        ] {
            let json = serde_json::json!({ "net_error": code, "url": "http://x.invalid/" });
            let out: serde_json::Value =
                serde_json::from_str(&diagnose(&json.to_string())).unwrap_or_default();
            assert_eq!(out["badge"]["text"], text, "{code}");
        }
    }

    #[test]
    fn broken_input_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "null",
            "{\"status\": \"x\"}",
            "{\"status\": 99999}",
        ] {
            let out: serde_json::Value = serde_json::from_str(&diagnose(bad)).unwrap_or_default();
            assert!(out["error"].is_string(), "{bad}");
        }
    }

    #[test]
    fn next_retry_gives_up_with_minus_one() {
        assert_eq!(next_retry(0, 10.0, 600.0, 3600.0, 0.0, f64::NAN, 0.0), 10.0);
        assert_eq!(
            next_retry(3, 10.0, 600.0, 3600.0, 3595.0, f64::NAN, 0.0),
            -1.0
        );
    }
}
