//! Pound 4 as a reverse proxy in front of broken upstreams.
//!
//! Debian 12 does not package Pound (it came back in Debian 13), so `cargo xtask test` cannot
//! install it and this test says so and returns when no `pound` binary is found. The fixtures
//! under `crates/core/tests/fixtures/pound/live-*` were captured with it from Pound 4.23.90
//! built from its source (graygnuorg/pound): `./bootstrap && ./configure --disable-lua &&
//! make -C src`, then `CULPRIT_CAPTURE=1 cargo test -p culprit-tests --test live pound` with
//! the built `src/pound` on PATH.

use culprit_tests::{Broken, LiveCase, Log, Server, find_binary, note_banner_version, output_of};
use std::process::Command;

const SOURCE: &str = "pound";

// `-e` keeps Pound in the foreground and logs to stderr; `TimeOut 2` gives up on a silent
// backend after 2 s (15 s by default).
const CONF: &str = "Daemon 0
LogLevel 1
LogFacility -
ListenHTTP
    Address 127.0.0.1
    Port {port}
{services}End
";

const SERVER: Server = Server {
    args: &["-e", "-f", "{dir}/pound.cfg", "-p", "{dir}/pound.pid"],
    files: &[("pound.cfg", CONF)],
    snippets: &[(
        "{services}",
        "    Service\n        URL \"^/{name}\"\n        Backend\n            Address 127.0.0.1\n            Port {upstream_port}\n            TimeOut 2\n        End\n    End\n",
    )],
    ..Server::new(SOURCE, "Pound", "pound")
};

/// Pound's own lines about the request (`e503: ... "GET /path ...": why`).
const LOG: &[Log] = &[Log::lines("pound.stderr", "\"GET {path} ").keep(") e503: ")];

const CASES: &[LiveCase] = &[
    LiveCase::upstream(
        Broken::Refused,
        503,
        "upstream-refused",
        "the backend port refused the connection",
    )
    .logs(&[Log::lines("pound.stderr", "{path}")]),
    LiveCase::upstream(
        Broken::CloseEarly,
        503,
        "upstream-closed",
        "the backend closed the connection without answering",
    )
    .logs(LOG),
    LiveCase::timeout(503, "the backend accepted but never answered (TimeOut 2)").logs(LOG),
];

#[test]
fn pound_in_front_of_broken_upstreams() {
    let Some(pound) = find_binary("pound") else {
        eprintln!(
            "pound is not installed (Debian 12 does not package it): this live test did not \
             run; its fixtures were captured from Pound built from source (see this file)"
        );
        return;
    };
    note_banner_version(
        SOURCE,
        &output_of(Command::new(pound).arg("-V")),
        "pound) ",
        "Pound",
    );
    SERVER.run(CASES);
}
