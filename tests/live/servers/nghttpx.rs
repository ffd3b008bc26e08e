//! nghttpx 1.52 (Debian's nghttp2-proxy) as a reverse proxy in front of broken upstreams.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, fetch, free_port, note_banner_version, output_of,
    require, spawn, wait_for_log, workdir,
};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "nghttpx";
const FETCH: Duration = Duration::from_secs(10);
const LOG_WAIT: Duration = Duration::from_secs(3);

/// Broken upstream, status nghttpx answers, fixture case, what happened.
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
        "the upstream accepted but never answered (1 s backend-read-timeout)",
    ),
];

pub fn run() {
    let nghttpx = require("nghttpx");
    let banner = output_of(Command::new(&nghttpx).arg("--version"));
    note_banner_version(SOURCE, &banner, "nghttp2/", "nghttpx");

    let wd = workdir("nghttpx");
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();
    let mut cmd = Command::new(&nghttpx);
    // No configuration file: everything is on the command line.
    cmd.arg("--conf=/dev/null")
        .arg(format!("--frontend=127.0.0.1,{port};no-tls"))
        .arg("--workers=1")
        .arg("--backend-connect-timeout=1s")
        .arg("--backend-read-timeout=1s")
        .arg(format!(
            "--errorlog-file={}",
            wd.join("error.log").display()
        ))
        .arg(format!("--pid-file={}", wd.join("nghttpx.pid").display()))
        .current_dir(wd.path());
    for up in &upstreams {
        cmd.arg(format!(
            "--backend=127.0.0.1,{};/{}",
            up.port,
            up.kind.name()
        ));
    }
    // nghttpx insists on a catch-all backend; the refused one will do.
    cmd.arg(format!("--backend=127.0.0.1,{}", upstreams[0].port));
    let mut server = spawn(&mut cmd).with_pid_file(wd.join("nghttpx.pid"));
    server.ready(port);

    let mut failures = Failures::new();
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
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
        up.check_reached(case, "nghttpx", &mut failures);
        if kind == Broken::Refused {
            let lines = wait_for_log(
                &wd.join("error.log"),
                &format!("addr={}", up.addr()),
                LOG_WAIT,
            );
            Case {
                case: "upstream-refused-error-log",
                what: "error log, the upstream port refused the connection",
                ..expect
            }
            .log_lines(lines, &mut failures);
        }
    }
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
