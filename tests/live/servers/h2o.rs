//! H2O 2.2 (Debian's h2o) with proxy.reverse.url in front of broken upstreams.
//!
//! H2O answers every upstream failure with status 502 and the reason phrase "Gateway Error",
//! with a one-line plain-text body that says what went wrong (`connection failed`,
//! `I/O error (head)`, `failed to parse the response`, `I/O timeout`). It writes nothing
//! about them to its error log, so only the pages are captured.

use culprit_core::Hop;
use culprit_tests::{Broken, LiveCase, Server, note_banner_version, output_of, require};
use std::process::Command;

const SOURCE: &str = "h2o";

const CONF: &str = "listen:
  host: 127.0.0.1
  port: {port}
pid-file: {dir}/h2o.pid
error-log: {dir}/error.log
proxy.timeout.io: 1000
hosts:
  default:
    paths:
{proxies}      /:
        file.dir: {dir}/www
";

const SERVER: Server = Server {
    args: &["-c", "{dir}/h2o.conf"],
    files: &[
        ("h2o.conf", CONF),
        (
            "www/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    snippets: &[(
        "{proxies}",
        "      /{name}:\n        proxy.reverse.url: http://127.0.0.1:{upstream_port}/\n",
    )],
    ..Server::new(SOURCE, "H2O", "h2o")
};

const CASES: &[LiveCase] = &[
    LiveCase::refused(502),
    LiveCase::closed(502),
    LiveCase::upstream(
        Broken::Garbage,
        502,
        "upstream-garbage",
        "the upstream answered with header lines that are not HTTP",
    ),
    LiveCase::timeout(
        502,
        "the upstream accepted but never answered (1 s proxy.timeout.io)",
    ),
    LiveCase::get(
        "/missing.html",
        404,
        Hop::Origin,
        "not-found",
        "a missing static file",
    ),
];

#[test]
fn h2o_reverse_proxy_in_front_of_broken_upstreams() {
    let banner = output_of(Command::new(require("h2o")).arg("--version"));
    note_banner_version(SOURCE, &banner, "h2o version ", "H2O");
    SERVER.run(CASES);
}
