//! Tinyproxy 1.11 (Debian's tinyproxy) as a forward proxy, asked for pages on broken servers.
//!
//! Tinyproxy writes a page only when it cannot connect at all (refused, or a name that does not
//! resolve); when the server closes early, sends garbage or hangs, it drops the visitor's
//! connection without a byte, and only its log says why. Three instances cover its pages: one
//! with the built-in pages, one with Debian's page template, and one whose Allow list leaves
//! the visitor out.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, Server, broken_upstream, fetch, fetch_via_proxy, note_banner_version,
    output_of, require, wait_for_log,
};
use std::process::Command;
use std::time::{Duration, Instant};

const SOURCE: &str = "tinyproxy";
const FETCH: Duration = Duration::from_secs(10);
const LOG_WAIT: Duration = Duration::from_secs(3);
/// A host name that never resolves (RFC 6761).
const NO_SUCH_HOST: &str = "culprit-test-host.invalid";

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
    ..Server::new(SOURCE, "Tinyproxy", "tinyproxy")
};

/// With its built-in pages.
const PLAIN: Server = Server {
    vars: &[("{extra}", "Allow 127.0.0.1\n")],
    ..SERVER
};

/// With Debian's page template, as the packaged configuration serves it.
const TEMPLATED: Server = Server {
    vars: &[(
        "{extra}",
        "Allow 127.0.0.1\nDefaultErrorFile \"/usr/share/tinyproxy/default.html\"\n",
    )],
    ..SERVER
};

/// With an Allow list that leaves the visitor out.
const STRICT: Server = Server {
    vars: &[("{extra}", "Allow 192.0.2.1\n")],
    ..SERVER
};

pub fn run() {
    let tinyproxy = require("tinyproxy");
    let banner = output_of(Command::new(&tinyproxy).arg("-v"));
    note_banner_version(SOURCE, &banner, "tinyproxy ", "Tinyproxy");

    let mut failures = Failures::new();
    let refused = broken_upstream(Broken::Refused);
    let closing = broken_upstream(Broken::CloseEarly);
    let hanging = broken_upstream(Broken::Hang);

    // Built-in pages.
    let plain = PLAIN.start(&[]);
    let refused_url = format!("http://{}/refused", refused.addr());
    Case {
        source: SOURCE,
        case: "upstream-refused",
        what: "the server's port refused the connection, built-in page",
        status: 500,
        hop: Hop::Origin,
    }
    .page(
        fetch_via_proxy(plain.port, &refused_url, FETCH),
        &mut failures,
    );
    Case {
        source: SOURCE,
        case: "upstream-refused-log",
        what: "log, the server's port refused the connection",
        status: 500,
        hop: Hop::Origin,
    }
    .log_lines(
        wait_for_log(
            &plain.wd.join("tinyproxy.log"),
            &format!("Could not establish a connection to {}", refused.addr()),
            LOG_WAIT,
        ),
        &mut failures,
    );
    Case {
        source: SOURCE,
        case: "upstream-dns",
        what: "the server's name does not resolve, built-in page",
        status: 500,
        // An expert says network (see the log case), but this page is byte for byte the one
        // for a refused connection, so the core can only say origin; the sidecar does not
        // assert a hop.
        hop: Hop::Origin,
    }
    .page(
        fetch_via_proxy(plain.port, &format!("http://{NO_SUCH_HOST}/"), FETCH),
        &mut failures,
    );
    Case {
        source: SOURCE,
        case: "upstream-dns-log",
        what: "log, the server's name does not resolve",
        status: 500,
        // A forward proxy's failed lookup is the visitor's network hop, as for a browser.
        hop: Hop::Network,
    }
    .log_lines(
        wait_for_log(&plain.wd.join("tinyproxy.log"), NO_SUCH_HOST, LOG_WAIT).map(|l| {
            l.lines()
                .filter(|line| line.contains("opensock"))
                .map(|line| format!("{line}\n"))
                .collect()
        }),
        &mut failures,
    );
    Case {
        source: SOURCE,
        case: "not-a-proxy-request",
        what: "a plain (not absolute-URI) request sent to the proxy",
        status: 400,
        hop: Hop::Browser,
    }
    .page(
        fetch(plain.port, &format!("127.0.0.1:{}", plain.port), "/", FETCH),
        &mut failures,
    );

    // A server that closes early or hangs: no page at all, the connection is just dropped;
    // only the log says what happened.
    for (up, case, what, logged) in [
        (
            &closing,
            "upstream-closed-log",
            "the server closed the connection without answering",
            "process_server_headers failed: Success",
        ),
        (
            &hanging,
            "upstream-timeout-log",
            "the server accepted but never answered (2 s Timeout)",
            "process_server_headers failed: Resource temporarily unavailable",
        ),
    ] {
        let url = format!("http://{}/{}", up.addr(), up.kind.name());
        if let Ok(raw) = fetch_via_proxy(plain.port, &url, FETCH)
            && !raw.is_empty()
        {
            failures.record::<()>(
                up.kind.name(),
                Err(format!(
                    "tinyproxy was expected to drop the connection ({what}) but answered:\n{}",
                    String::from_utf8_lossy(&raw)
                )),
            );
        }
        if up.connections() == 0 {
            failures.record::<()>(
                up.kind.name(),
                Err("tinyproxy never reached the server".into()),
            );
        }
        Case {
            source: SOURCE,
            case,
            what: &format!("log, {what}; no response was sent"),
            status: 0,
            hop: Hop::Origin,
        }
        .log_lines(
            log_excerpt(
                &plain.wd.join("tinyproxy.log"),
                &format!("GET {url} "),
                logged,
            ),
            &mut failures,
        );
    }

    // Debian's template, as the packaged configuration serves it.
    let templated = TEMPLATED.start(&[]);
    Case {
        source: SOURCE,
        case: "upstream-refused-debian-template",
        what: "the server's port refused the connection, Debian's page template",
        status: 500,
        hop: Hop::Origin,
    }
    .page(
        fetch_via_proxy(templated.port, &refused_url, FETCH),
        &mut failures,
    );

    // The visitor is not on the Allow list.
    let strict = STRICT.start(&[]);
    Case {
        source: SOURCE,
        case: "access-denied",
        what: "the visitor's address is not on the Allow list",
        status: 403,
        hop: Hop::Network,
    }
    .page(
        fetch_via_proxy(strict.port, &refused_url, FETCH),
        &mut failures,
    );
    failures.finish();
}

/// The log lines from the one naming `request` up to the first one after it holding `until`,
/// waiting up to [`LOG_WAIT`] for that line to appear.
fn log_excerpt(path: &std::path::Path, request: &str, until: &str) -> Result<String, String> {
    let deadline = Instant::now() + LOG_WAIT;
    loop {
        let text = std::fs::read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        if let Some(start) = lines.iter().position(|l| l.contains(request))
            && let Some(end) = lines[start..].iter().position(|l| l.contains(until))
        {
            return Ok(lines[start..=start + end]
                .iter()
                .map(|l| format!("{l}\n"))
                .collect());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{} has no {until:?} after {request:?} within {LOG_WAIT:?}; it holds:\n{text}",
                path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
