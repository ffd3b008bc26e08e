//! HAProxy 2.6 as an HTTP load balancer in front of broken upstreams.

use culprit_core::Hop;
use culprit_tests::{Broken, LiveCase, Log, Server, note_banner_version, output_of, require};
use std::process::Command;

const SOURCE: &str = "haproxy";

const CONF: &str = "global
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
    http-request deny if { path_beg /denied }
    http-request deny deny_status 429 if { path_beg /too-many }
{routes}    default_backend be_empty

backend be_empty

{backends}";

const SERVER: Server = Server {
    args: &["-db", "-f", "{dir}/haproxy.cfg"],
    files: &[("haproxy.cfg", CONF)],
    snippets: &[
        (
            "{routes}",
            "    use_backend be_{name} if { path_beg /{name} }\n",
        ),
        (
            "{backends}",
            "backend be_{name}\n    server app 127.0.0.1:{upstream_port}\n\n",
        ),
    ],
    ..Server::new(SOURCE, "HAProxy", "haproxy")
};

/// HAProxy logs one line per request on stdout once the request is over.
const LOG: &[Log] = &[Log::lines("haproxy.stdout", "\"GET {path} ")];

const CASES: &[LiveCase] = &[
    LiveCase::upstream(
        Broken::Refused,
        503,
        "upstream-refused",
        "the server port refused the connection (retries 0)",
    )
    .logs(LOG),
    LiveCase::upstream(
        Broken::CloseEarly,
        502,
        "upstream-closed",
        "the server closed the connection without answering",
    )
    .logs(LOG),
    LiveCase::upstream(
        Broken::Garbage,
        502,
        "upstream-garbage",
        "the server answered with header lines that are not HTTP",
    )
    .logs(LOG),
    LiveCase::timeout(
        504,
        "the server accepted but never answered (1 s timeout server)",
    )
    .logs(LOG),
    LiveCase::get(
        "/elsewhere",
        503,
        Hop::Origin,
        "no-server",
        "a backend with no server",
    )
    .logs(LOG),
    LiveCase::get(
        "/denied",
        403,
        Hop::Gateway,
        "denied",
        "a request refused by an http-request deny rule",
    ),
    LiveCase::get(
        "/too-many",
        429,
        Hop::Gateway,
        "rate-limited",
        "a request refused with deny_status 429",
    ),
];

#[test]
fn haproxy_in_front_of_broken_upstreams() {
    note_banner_version(
        SOURCE,
        &output_of(Command::new(require("haproxy")).arg("-v")),
        "version ",
        "HAProxy",
    );
    SERVER.run(CASES);
}
