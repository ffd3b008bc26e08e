//! Live captures, part B: Caddy, Apache Traffic Server, lighttpd, Tinyproxy, nghttpx and
//! Tomcat, each started from its Debian package with every file in a fresh work directory.
//!
//! Each server module has one `run()` that starts the server once, walks through its cases
//! (broken upstreams for the proxies; a missing page and a failing JSP for Tomcat) and reports
//! every mismatch at the end. The tests below only call them.

use culprit_core::{Hop, InputForm};
use culprit_tests::{
    Failures, Fixture, capture_fixture, capturing, fixture_dir, status_of, try_check,
};

#[path = "servers/caddy.rs"]
mod caddy;
#[path = "servers/lighttpd.rs"]
mod lighttpd;
#[path = "servers/nghttpx.rs"]
mod nghttpx;
#[path = "servers/tinyproxy.rs"]
mod tinyproxy;
#[path = "servers/tomcat.rs"]
mod tomcat;
#[path = "servers/trafficserver.rs"]
mod trafficserver;

#[test]
fn caddy_reverse_proxy_in_front_of_broken_upstreams() {
    caddy::run();
}

#[test]
fn trafficserver_reverse_proxy_in_front_of_broken_upstreams() {
    trafficserver::run();
}

#[test]
fn lighttpd_mod_proxy_in_front_of_broken_upstreams() {
    lighttpd::run();
}

#[test]
fn tinyproxy_forward_proxy_to_broken_servers() {
    tinyproxy::run();
}

#[test]
fn nghttpx_reverse_proxy_in_front_of_broken_upstreams() {
    nghttpx::run();
}

#[test]
fn tomcat_error_reports() {
    tomcat::run();
}

/// Rewrites the diagnosis snapshots of part B's captured fixtures from the current engine,
/// without starting any server: `cargo test -p culprit-tests --test live -- --ignored
/// part_b_snapshots`. (`CULPRIT_BLESS=1` in culprit-core rewrites every source's snapshots.)
#[test]
#[ignore = "rewrites fixture snapshots; run on purpose"]
fn part_b_snapshots() {
    let mut failures = Failures::new();
    for source in SOURCES {
        let Ok(entries) = std::fs::read_dir(fixture_dir(source)) else {
            continue;
        };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if !name.starts_with("live-") || !(name.ends_with(".http") || name.ends_with(".log")) {
                continue;
            }
            let Some(raw) = failures.record(
                &name,
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display())),
            ) else {
                continue;
            };
            let stem = name.trim_end_matches(".http").trim_end_matches(".log");
            write_snapshot(
                &mut failures,
                &name,
                &path.with_file_name(format!("{stem}.diagnosis.json")),
                &raw,
            );
        }
    }
    failures.finish();
}

/// The sources whose live tests and fixtures part B owns.
const SOURCES: [&str; 6] = [
    "caddy",
    "trafficserver",
    "lighttpd",
    "tinyproxy",
    "nghttpx",
    "tomcat",
];

/// One thing a server sent back that Culprit must attribute.
pub(crate) struct Expect<'a> {
    pub source: &'a str,
    /// Fixture stem without the `live-` prefix.
    pub case: &'a str,
    /// Words for the fixture's provenance line.
    pub what: &'a str,
    /// The status the server sent; for log lines, 0 when it sent no response at all.
    pub status: u16,
    pub hop: Hop,
}

/// Captures a fetched response (with `CULPRIT_CAPTURE=1`) and checks its diagnosis, also
/// checking that the server sent the status we expect. Fetch errors are recorded as failures.
pub(crate) fn page(failures: &mut Failures, e: &Expect<'_>, fetched: Result<Vec<u8>, String>) {
    let Some(raw) = failures.record(e.case, fetched) else {
        return;
    };
    let sent = status_of(&raw);
    if sent != Some(e.status) {
        failures.record::<()>(
            e.case,
            Err(format!(
                "the server sent status {sent:?}, expected {}:\n{}",
                e.status,
                String::from_utf8_lossy(&raw)
            )),
        );
        return;
    }
    capture_fixture(&Fixture {
        source: e.source,
        case: e.case,
        ext: "http",
        raw: &raw,
        status: sent,
        hop: Some(e.hop),
        what: e.what,
    });
    snapshot(failures, e, &raw);
    failures.check(e.case, &raw, e.source, e.status, e.hop);
}

/// Captures error-log lines as a `.log` fixture and checks their diagnosis.
pub(crate) fn log(failures: &mut Failures, e: &Expect<'_>, lines: Result<String, String>) {
    let Some(lines) = failures.record(e.case, lines) else {
        return;
    };
    // Status 0: the server sent no response at all, so the diagnosis must have no status.
    capture_fixture(&Fixture {
        source: e.source,
        case: e.case,
        ext: "log",
        raw: lines.as_bytes(),
        status: Some(e.status),
        hop: Some(e.hop),
        what: e.what,
    });
    snapshot(failures, e, lines.as_bytes());
    if e.status == 0 {
        let checked =
            try_check(lines.as_bytes(), e.source, None, Some(e.hop)).and_then(|d| match d.status {
                None => Ok(()),
                Some(s) => Err(format!(
                    "status: expected none, got {s}\n--- input ---\n{lines}--- end ---"
                )),
            });
        failures.record(e.case, checked);
    } else {
        failures.check(e.case, lines.as_bytes(), e.source, e.status, e.hop);
    }
}

/// The first whitespace-separated word after `marker` in `banner` (a version number).
pub(crate) fn word_after(banner: &str, marker: &str) -> Option<String> {
    banner
        .split(marker)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(|v| v.trim_end_matches([',', ';']).to_string())
}

/// Runs `fetch` again once when the read was interrupted by a signal (EINTR), which the
/// harness reports as an error; any other outcome is returned as is.
pub(crate) fn retrying(fetch: impl Fn() -> Result<Vec<u8>, String>) -> Result<Vec<u8>, String> {
    match fetch() {
        Err(e) if e.contains("Interrupted system call") => fetch(),
        other => other,
    }
}

/// For an upstream failure the server passes on instead of writing a page: checks only the
/// status it relayed (nothing is captured, since no product wrote an error page).
pub(crate) fn relayed(
    failures: &mut Failures,
    case: &str,
    fetched: Result<Vec<u8>, String>,
    status: u16,
) {
    let Some(raw) = failures.record(case, fetched) else {
        return;
    };
    if status_of(&raw) != Some(status) {
        failures.record::<()>(
            case,
            Err(format!(
                "expected the server to relay status {status}, got:\n{}",
                String::from_utf8_lossy(&raw)
            )),
        );
    }
}

/// True when Culprit reads `lines` as log lines (JSON log lines may be taken for a browser
/// observation instead).
pub(crate) fn read_as_log(lines: &[u8]) -> bool {
    culprit_core::diagnose(lines).is_ok_and(|d| d.input_form == InputForm::Log)
}

/// With `CULPRIT_CAPTURE=1`, also writes the fixture's diagnosis snapshot
/// (`live-<case>.diagnosis.json`) exactly as `CULPRIT_BLESS=1` in culprit-core's fixture test
/// would, so that a fresh capture does not need blessing every other source's snapshots.
fn snapshot(failures: &mut Failures, e: &Expect<'_>, raw: &[u8]) {
    if capturing() {
        let path = fixture_dir(e.source).join(format!("live-{}.diagnosis.json", e.case));
        write_snapshot(failures, e.case, &path, raw);
    }
}

fn write_snapshot(failures: &mut Failures, case: &str, path: &std::path::Path, raw: &[u8]) {
    let json = culprit_core::diagnose(raw)
        .map_err(|e| format!("culprit could not read the input: {e}"))
        .and_then(|d| {
            serde_json::to_string_pretty(&d)
                .map_err(|e| format!("cannot serialise the diagnosis: {e}"))
        });
    if let Some(json) = failures.record(case, json) {
        failures.record(
            case,
            std::fs::write(path, json + "\n")
                .map_err(|e| format!("cannot write {}: {e}", path.display())),
        );
    }
}
