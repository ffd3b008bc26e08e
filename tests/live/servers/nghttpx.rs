//! nghttpx 1.52 (Debian's nghttp2-proxy) as a reverse proxy in front of broken upstreams.

use culprit_tests::{LiveCase, Log, Server, note_banner_version, output_of, require};
use std::process::Command;

const SOURCE: &str = "nghttpx";

const SERVER: Server = Server {
    args: &[
        // No configuration file: everything is on the command line.
        "--conf=/dev/null",
        "--frontend=127.0.0.1,{port};no-tls",
        "--workers=1",
        "--backend-connect-timeout=1s",
        "--backend-read-timeout=1s",
        "--errorlog-file={dir}/error.log",
        "--pid-file={dir}/nghttpx.pid",
        "--backend=127.0.0.1,{port:refused};/refused",
        "--backend=127.0.0.1,{port:close-early};/close-early",
        "--backend=127.0.0.1,{port:garbage};/garbage",
        "--backend=127.0.0.1,{port:hang};/hang",
        // nghttpx insists on a catch-all backend; the refused one will do.
        "--backend=127.0.0.1,{port:refused}",
    ],
    pid_file: Some("{dir}/nghttpx.pid"),
    ..Server::new(SOURCE, "nghttpx", "nghttpx")
};

const CASES: &[LiveCase] = &[
    LiveCase::refused(502)
        .logs(&[Log::lines("error.log", "addr={addr}").named("-error-log", "error log")]),
    LiveCase::closed(502),
    LiveCase::garbage(502),
    LiveCase::timeout(
        504,
        "the upstream accepted but never answered (1 s backend-read-timeout)",
    ),
];

pub fn run() {
    let banner = output_of(Command::new(require("nghttpx")).arg("--version"));
    note_banner_version(SOURCE, &banner, "nghttp2/", "nghttpx");
    SERVER.run(CASES);
}
