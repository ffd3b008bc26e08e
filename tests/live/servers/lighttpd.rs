//! lighttpd 1.4 (Debian's lighttpd) with mod_proxy in front of broken upstreams.
//!
//! lighttpd answers a refused backend with 503, a backend that hangs up with 500 and silence
//! with 504; its pages carry no product name, only its markup. The harness's garbage upstream
//! (a 200 status line followed by broken header lines) is relayed as a 200, so it is only
//! checked for that.

use super::relayed;
use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, fetch, free_port, note_banner_version, output_of,
    require, spawn, wait_for_log, workdir,
};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "lighttpd";
const FETCH: Duration = Duration::from_secs(10);
const LOG_WAIT: Duration = Duration::from_secs(3);

/// Broken upstream, status lighttpd answers, fixture case, what happened, and a piece of the
/// error-log line it writes (if any).
const CASES: &[(Broken, u16, &str, &str, Option<&str>)] = &[
    (
        Broken::Refused,
        503,
        "upstream-refused",
        "the upstream port refused the connection",
        Some("establishing connection failed"),
    ),
    (
        Broken::CloseEarly,
        500,
        "upstream-closed",
        "the upstream closed the connection without answering",
        None,
    ),
    (
        Broken::Hang,
        504,
        "upstream-timeout",
        "the upstream accepted but never answered (1 s read-timeout)",
        Some("read timeout on socket"),
    ),
];

pub fn run() {
    let lighttpd = require("lighttpd");
    let banner = output_of(Command::new(&lighttpd).arg("-v"));
    note_banner_version(SOURCE, &banner, "lighttpd/", "lighttpd");

    let wd = workdir("lighttpd");
    let dir = wd.path().display().to_string();
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let garbage = broken_upstream(Broken::Garbage);
    let port = free_port();
    let mut proxies = String::new();
    for up in upstreams.iter().chain([&garbage]) {
        proxies.push_str(&format!(
            "$HTTP[\"url\"] =~ \"^/{name}$\" {{
    proxy.server = ( \"\" => (( \"host\" => \"127.0.0.1\", \"port\" => {port}, \"connect-timeout\" => 1, \"read-timeout\" => 1 )) )
}}
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
        "server.modules = ( \"mod_proxy\" )
server.bind = \"127.0.0.1\"
server.port = {port}
server.document-root = \"{dir}/www\"
server.errorlog = \"{dir}/error.log\"
server.pid-file = \"{dir}/lighttpd.pid\"
{proxies}"
    );
    let conf_path = wd.write("lighttpd.conf", conf);
    let mut server = spawn(
        Command::new(&lighttpd)
            .arg("-D")
            .arg("-f")
            .arg(&conf_path)
            .current_dir(wd.path()),
    );
    server.ready(port);

    let mut failures = Failures::new();
    for (up, &(kind, status, case, what, logged)) in upstreams.iter().zip(CASES) {
        let expect = Case {
            source: SOURCE,
            case,
            what,
            status,
            hop: Hop::Origin,
        };
        expect.page(
            fetch(port, "localhost", &format!("/{}", kind.name()), FETCH),
            &mut failures,
        );
        up.check_reached(case, "lighttpd", &mut failures);
        if let Some(needle) = logged {
            let log_case = format!("{case}-error-log");
            let log_what = format!("error log, {what}");
            // lighttpd's lines name the backend address, not the request.
            let lines = wait_for_log(&wd.join("error.log"), needle, LOG_WAIT).map(|l| {
                l.lines()
                    .filter(|line| line.contains(&up.addr()))
                    .map(|line| format!("{line}\n"))
                    .collect::<String>()
            });
            Case {
                case: &log_case,
                what: &log_what,
                ..expect
            }
            .log_lines(lines, &mut failures);
        }
    }

    // lighttpd passes the garbage upstream's 200 status line on; no error page is written.
    relayed(
        &mut failures,
        "upstream-garbage",
        fetch(port, "localhost", "/garbage", FETCH),
        200,
    );
    if garbage.connections() == 0 {
        failures.record::<()>(
            "upstream-garbage",
            Err("lighttpd never reached the upstream".into()),
        );
    }

    Case {
        source: SOURCE,
        case: "not-found",
        what: "a missing static file",
        status: 404,
        hop: Hop::Origin,
    }
    .page(
        fetch(port, "localhost", "/missing.html", FETCH),
        &mut failures,
    );
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
