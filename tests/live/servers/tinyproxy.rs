//! Tinyproxy 1.11 (Debian's tinyproxy) as a forward proxy, asked for pages on broken servers.
//!
//! Tinyproxy writes a page only when it cannot connect at all (refused, or a name that does not
//! resolve); when the server closes early, sends garbage or hangs, it drops the visitor's
//! connection without a byte, and only its log says why. Three instances cover its pages: one
//! with the built-in pages, one with Debian's page template, and one whose Allow list leaves
//! the visitor out.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Failures, LiveCase, Log, Request, Server, note_banner_version, output_of, require,
};
use std::process::Command;

const SOURCE: &str = "tinyproxy";
const LOG: &str = "tinyproxy.log";

const CONF: &str = "Port {port}
Listen 127.0.0.1
Timeout 2
LogFile \"{dir}/tinyproxy.log\"
LogLevel Info
PidFile \"{dir}/tinyproxy.pid\"
MaxClients 20
ViaProxyName \"tinyproxy\"
{extra}";

/// Tinyproxy in the foreground with `{extra}` appended to a minimal configuration.
const SERVER: Server = Server {
    args: &["-d", "-c", "{dir}/tinyproxy.conf"],
    files: &[("tinyproxy.conf", CONF)],
    // Requests that are not through the proxy are asked of the proxy itself.
    host: "127.0.0.1:{port}",
    ..Server::new(SOURCE, "Tinyproxy", "tinyproxy")
};

/// The broken server's page through the proxy: `http://127.0.0.1:<port>/<name>`.
const THROUGH: Request = Request::Proxy("http://{addr}/{name}");

/// With its built-in pages.
const PLAIN: Server = Server {
    vars: &[("{extra}", "Allow 127.0.0.1\n")],
    ..SERVER
};

const PLAIN_CASES: &[LiveCase] = &[
    LiveCase::upstream(
        Broken::Refused,
        500,
        "upstream-refused",
        "the server's port refused the connection, built-in page",
    )
    .request(THROUGH),
    LiveCase::log_only(
        "upstream-refused-log",
        "log, the server's port refused the connection",
        500,
        &[Log::lines(
            LOG,
            "Could not establish a connection to 127.0.0.1:{port:refused}",
        )
        .named("", "")],
    ),
    // An expert says network (see the log case), but this page is byte for byte the one for a
    // refused connection, so the core can only say origin; the sidecar does not assert a hop.
    // (The name never resolves: RFC 6761.)
    LiveCase::get(
        "",
        500,
        Hop::Origin,
        "upstream-dns",
        "the server's name does not resolve, built-in page",
    )
    .request(Request::Proxy("http://culprit-test-host.invalid/")),
    // A forward proxy's failed lookup is the visitor's network hop, as for a browser.
    LiveCase {
        hop: Hop::Network,
        ..LiveCase::log_only(
            "upstream-dns-log",
            "log, the server's name does not resolve",
            500,
            &[Log::lines(LOG, "culprit-test-host.invalid")
                .keep("opensock")
                .named("", "")],
        )
    },
    LiveCase::get(
        "/",
        400,
        Hop::Browser,
        "not-a-proxy-request",
        "a plain (not absolute-URI) request sent to the proxy",
    ),
    // A server that closes early or hangs: no page at all, the connection is just dropped;
    // only the log says what happened.
    LiveCase::upstream(
        Broken::CloseEarly,
        0,
        "upstream-closed",
        "the server closed the connection without answering; no response was sent",
    )
    .request(THROUGH)
    .no_answer()
    .logs(&[Log::lines(LOG, "GET {url} ")
        .until("process_server_headers failed: Success")
        .named("-log", "log")]),
    LiveCase::timeout(
        0,
        "the server accepted but never answered (2 s Timeout); no response was sent",
    )
    .request(THROUGH)
    .no_answer()
    .logs(&[Log::lines(LOG, "GET {url} ")
        .until("process_server_headers failed: Resource temporarily unavailable")
        .named("-log", "log")]),
];

/// With Debian's page template, as the packaged configuration serves it.
const TEMPLATED: Server = Server {
    vars: &[(
        "{extra}",
        "Allow 127.0.0.1\nDefaultErrorFile \"/usr/share/tinyproxy/default.html\"\n",
    )],
    ..SERVER
};

const TEMPLATED_CASES: &[LiveCase] = &[LiveCase::upstream(
    Broken::Refused,
    500,
    "upstream-refused-debian-template",
    "the server's port refused the connection, Debian's page template",
)
.request(THROUGH)];

/// With an Allow list that leaves the visitor out: the request never reaches the server.
const STRICT: Server = Server {
    vars: &[("{extra}", "Allow 192.0.2.1\n")],
    extra_upstreams: &[("refused", Broken::Refused)],
    ..SERVER
};

const STRICT_CASES: &[LiveCase] = &[LiveCase::get(
    "",
    403,
    Hop::Network,
    "access-denied",
    "the visitor's address is not on the Allow list",
)
.request(Request::Proxy("http://127.0.0.1:{port:refused}/refused"))];

pub fn run() {
    let banner = output_of(Command::new(require("tinyproxy")).arg("-v"));
    note_banner_version(SOURCE, &banner, "tinyproxy ", "Tinyproxy");
    // The three run side by side, as one test: every failure is reported at the end.
    let mut failures = Failures::new();
    let plain = PLAIN.start(PLAIN_CASES);
    plain.run_cases(PLAIN_CASES, &mut failures);
    let templated = TEMPLATED.start(TEMPLATED_CASES);
    templated.run_cases(TEMPLATED_CASES, &mut failures);
    let strict = STRICT.start(STRICT_CASES);
    strict.run_cases(STRICT_CASES, &mut failures);
    failures.finish();
}
