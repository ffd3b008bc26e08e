//! lighttpd 1.4 (Debian's lighttpd) with mod_proxy in front of broken upstreams.
//!
//! lighttpd answers a refused backend with 503, a backend that hangs up with 500 and silence
//! with 504; its pages carry no product name, only its markup. The harness's garbage upstream
//! (a 200 status line followed by broken header lines) is relayed as a 200, so it is only
//! checked for that.

use culprit_core::Hop;
use culprit_tests::{Broken, LiveCase, Log, Server, note_banner_version, output_of, require};
use std::process::Command;

const SOURCE: &str = "lighttpd";

const CONF: &str = "server.modules = ( \"mod_proxy\" )
server.bind = \"127.0.0.1\"
server.port = {port}
server.document-root = \"{dir}/www\"
server.errorlog = \"{dir}/error.log\"
server.pid-file = \"{dir}/lighttpd.pid\"
{proxies}";

const SERVER: Server = Server {
    args: &["-D", "-f", "{dir}/lighttpd.conf"],
    files: &[
        ("lighttpd.conf", CONF),
        (
            "www/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    snippets: &[(
        "{proxies}",
        "$HTTP[\"url\"] =~ \"^/{name}$\" {
    proxy.server = ( \"\" => (( \"host\" => \"127.0.0.1\", \"port\" => {upstream_port}, \"connect-timeout\" => 1, \"read-timeout\" => 1 )) )
}
",
    )],
    ..Server::new(SOURCE, "lighttpd", "lighttpd")
};

/// lighttpd's error-log lines name the backend address, not the request.
const fn error_log(needle: &'static str) -> Log<'static> {
    Log::lines("error.log", needle)
        .keep("{addr}")
        .named("-error-log", "error log")
}

const CASES: &[LiveCase] = &[
    LiveCase::refused(503).logs(&[error_log("establishing connection failed")]),
    LiveCase::closed(500),
    LiveCase::timeout(
        504,
        "the upstream accepted but never answered (1 s read-timeout)",
    )
    .logs(&[error_log("read timeout on socket")]),
    // lighttpd passes the garbage upstream's 200 status line on; no error page is written.
    LiveCase::upstream(Broken::Garbage, 200, "upstream-garbage", "").relayed(),
    LiveCase::get(
        "/missing.html",
        404,
        Hop::Origin,
        "not-found",
        "a missing static file",
    ),
];

pub fn run() {
    let banner = output_of(Command::new(require("lighttpd")).arg("-v"));
    note_banner_version(SOURCE, &banner, "lighttpd/", "lighttpd");
    SERVER.run(CASES);
}
