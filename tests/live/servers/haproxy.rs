//! HAProxy 2.6 as an HTTP load balancer in front of broken upstreams.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, free_port, note_banner_version, output_of, require,
    spawn, workdir,
};
use std::process::Command;

const SOURCE: &str = "haproxy";

/// HAProxy's answer for each broken upstream, the fixture name, and what happened.
const CASES: &[(Broken, u16, &str, &str)] = &[
    (
        Broken::Refused,
        503,
        "upstream-refused",
        "the server port refused the connection (retries 0)",
    ),
    (
        Broken::CloseEarly,
        502,
        "upstream-closed",
        "the server closed the connection without answering",
    ),
    (
        Broken::Garbage,
        502,
        "upstream-garbage",
        "the server answered with header lines that are not HTTP",
    ),
    (
        Broken::Hang,
        504,
        "upstream-timeout",
        "the server accepted but never answered (1 s timeout server)",
    ),
];

#[test]
fn haproxy_in_front_of_broken_upstreams() {
    let haproxy = require("haproxy");
    note_banner_version(
        SOURCE,
        &output_of(Command::new(&haproxy).arg("-v")),
        "version ",
        "HAProxy",
    );
    let wd = workdir("haproxy");
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();
    let dir = wd.path().display().to_string();
    let mut routes = String::new();
    let mut backends = String::new();
    for up in &upstreams {
        let name = up.kind.name();
        routes.push_str(&format!(
            "    use_backend be_{name} if {{ path_beg /{name} }}\n"
        ));
        backends.push_str(&format!(
            "backend be_{name}\n    server app 127.0.0.1:{}\n\n",
            up.port
        ));
    }
    let conf = format!(
        "global
    log stdout format raw local0 info
    pidfile {dir}/haproxy.pid

defaults
    mode http
    log global
    option httplog
    retries 0
    timeout connect 2s
    timeout client 5s
    timeout server 1s

frontend web
    bind 127.0.0.1:{port}
    http-request deny if {{ path_beg /denied }}
    http-request deny deny_status 429 if {{ path_beg /too-many }}
{routes}    default_backend be_empty

backend be_empty

{backends}"
    );
    let conf_path = wd.write("haproxy.cfg", conf);
    let mut server = spawn(
        Command::new(&haproxy)
            .arg("-db")
            .arg("-f")
            .arg(&conf_path)
            .current_dir(wd.path()),
    );
    server.ready(port);

    let mut failures = Failures::new();
    // HAProxy logs one line per request on stdout once the request is over.
    let log = wd.join("haproxy.stdout");
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
        let c = Case {
            source: SOURCE,
            case,
            what,
            status,
            hop: Hop::Origin,
        };
        let path = format!("/{}", kind.name());
        c.http(port, &path, &mut failures);
        up.check_reached(case, "HAProxy", &mut failures);
        c.log(&log, &format!("\"GET {path} "), &mut failures);
    }
    let c = Case {
        source: SOURCE,
        case: "no-server",
        what: "a backend with no server",
        status: 503,
        hop: Hop::Origin,
    };
    c.http(port, "/elsewhere", &mut failures);
    c.log(&log, "\"GET /elsewhere ", &mut failures);
    let c = Case {
        source: SOURCE,
        case: "denied",
        what: "a request refused by an http-request deny rule",
        status: 403,
        hop: Hop::Gateway,
    };
    c.http(port, "/denied", &mut failures);
    let c = Case {
        source: SOURCE,
        case: "rate-limited",
        what: "a request refused with deny_status 429",
        status: 429,
        hop: Hop::Gateway,
    };
    c.http(port, "/too-many", &mut failures);
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
