//! Caddy 2 (Debian's caddy) as a reverse proxy in front of broken upstreams.
//!
//! Caddy's own error answers have an empty body: only the status and `Server: Caddy` say who
//! sent them. Its error log is JSON, one object per line.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, fetch, free_port, note_banner_version, output_of,
    require, spawn, wait_for_log, workdir,
};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "caddy";
const FETCH: Duration = Duration::from_secs(10);
const LOG_WAIT: Duration = Duration::from_secs(3);

/// Broken upstream, status Caddy answers, fixture case, what happened.
const CASES: &[(Broken, u16, &str, &str)] = &[
    (
        Broken::Refused,
        502,
        "upstream-refused",
        "the upstream port refused the connection",
    ),
    (
        Broken::CloseEarly,
        502,
        "upstream-closed",
        "the upstream closed the connection without answering",
    ),
    (
        Broken::Garbage,
        502,
        "upstream-garbage",
        "the upstream answered with bytes that are not HTTP",
    ),
    (
        Broken::Hang,
        504,
        "upstream-timeout",
        "the upstream accepted but never answered (1 s response_header_timeout)",
    ),
];

pub fn run() {
    let caddy = require("caddy");
    let banner = output_of(Command::new(&caddy).arg("version"));
    // The banner starts with the version: `2.6.2` (Debian) or `v2.6.2 h1:...` (upstream).
    let banner = format!("caddy {}", banner.trim().trim_start_matches('v'));
    note_banner_version(SOURCE, &banner, "caddy ", "Caddy");

    let wd = workdir("caddy");
    let dir = wd.path().display().to_string();
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();
    let mut routes = String::new();
    for up in &upstreams {
        routes.push_str(&format!(
            "\thandle /{name} {{
\t\treverse_proxy 127.0.0.1:{port} {{
\t\t\ttransport http {{
\t\t\t\tdial_timeout 1s
\t\t\t\tresponse_header_timeout 1s
\t\t\t}}
\t\t}}
\t}}
",
            name = up.kind.name(),
            port = up.port
        ));
    }
    wd.write(
        "www/index.html",
        "<!doctype html><title>home</title><p>home</p>\n",
    );
    let conf = format!(
        "{{
\tadmin off
\tauto_https off
\tstorage file_system {dir}/data
\tlog {{
\t\toutput file {dir}/error.log
\t\tlevel ERROR
\t}}
}}
http://127.0.0.1:{port} {{
{routes}\thandle {{
\t\troot * {dir}/www
\t\tfile_server
\t}}
}}
"
    );
    let conf_path = wd.write("Caddyfile", conf);
    let mut server = spawn(
        Command::new(&caddy)
            .arg("run")
            .arg("--adapter")
            .arg("caddyfile")
            .arg("--config")
            .arg(&conf_path)
            .env("HOME", wd.path())
            .env("XDG_DATA_HOME", wd.join("data"))
            .env("XDG_CONFIG_HOME", wd.join("config"))
            .current_dir(wd.path()),
    );
    server.ready(port);

    let mut failures = Failures::new();
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
        let path = format!("/{}", kind.name());
        let expect = Case {
            source: SOURCE,
            case,
            what,
            status,
            hop: Hop::Origin,
        };
        expect.page(fetch(port, "127.0.0.1", &path, FETCH), &mut failures);
        up.check_reached(case, "Caddy", &mut failures);
        let log_case = format!("{case}-error-log");
        let log_what = format!("error log (JSON), {what}");
        let lines = wait_for_log(
            &wd.join("error.log"),
            &format!("\"uri\":\"{path}\""),
            LOG_WAIT,
        );
        Case {
            case: &log_case,
            what: &log_what,
            ..expect
        }
        .log_lines(lines, &mut failures);
    }

    // Caddy's file server has no page for a missing file either: an empty 404.
    Case {
        source: SOURCE,
        case: "not-found",
        what: "a missing static file (file_server)",
        status: 404,
        hop: Hop::Origin,
    }
    .page(
        fetch(port, "127.0.0.1", "/missing.html", FETCH),
        &mut failures,
    );
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
