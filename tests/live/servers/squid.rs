//! Squid 5.7 as a reverse proxy (accelerator) and as a forward proxy, in front of broken
//! servers.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, Proc, WorkDir, broken_upstream, fetch_via_proxy, free_port, log_len,
    note_banner_version, output_of, require, spawn, workdir,
};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "squid";

/// Squid's answer for each broken server, the fixture name, and what happened.
const CASES: &[(Broken, u16, &str, &str)] = &[
    (
        Broken::Refused,
        0, // see `expected`
        "upstream-refused",
        "the server port refused the connection",
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
        "the server accepted but never answered (1 s read_timeout)",
    ),
];

/// The status for `kind`: with a refused server, Squid 5.7 as a reverse proxy answers 502
/// (ERR_READ_ERROR, no server reached) while as a forward proxy it answers 503
/// (ERR_CONNECT_FAIL).
fn expected(kind: Broken, status: u16, forward: bool) -> u16 {
    match (kind, forward) {
        (Broken::Refused, true) => 503,
        (Broken::Refused, false) => 502,
        _ => status,
    }
}

/// Starts Squid with `ports_and_peers` (http_port lines, peers and their access rules) and
/// settings that keep every file in the work directory and every timeout short.
fn start(squid: &Path, wd: &WorkDir, port: u16, ports_and_peers: &str) -> Proc {
    let dir = wd.path().display().to_string();
    let conf = format!(
        "{ports_and_peers}
http_access allow all
visible_hostname culprit-test
pid_filename {dir}/squid.pid
cache_log {dir}/cache.log
access_log stdio:{dir}/access.log squid
cache_store_log none
netdb_filename none
coredump_dir {dir}
cache deny all
cache_mem 8 MB
cache_effective_user proxy
connect_timeout 2 seconds
forward_timeout 2 seconds
read_timeout 1 second
request_timeout 5 seconds
shutdown_lifetime 0 seconds
dns_nameservers 127.0.0.1
dns_timeout 2 seconds
"
    );
    let conf_path = wd.write("squid.conf", conf);
    let mut server = spawn(
        Command::new(squid)
            .arg("-N")
            .arg("-d")
            .arg("1")
            .arg("-f")
            .arg(&conf_path)
            .current_dir(wd.path()),
    )
    .with_pid_file(wd.join("squid.pid"));
    server.ready(port);
    server
}

#[test]
fn squid_reverse_proxy_in_front_of_broken_servers() {
    let squid = require("squid");
    note_banner_version(
        SOURCE,
        &output_of(Command::new(&squid).arg("-v")),
        "Version ",
        "Squid",
    );
    let wd = workdir("squid-reverse");
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();
    let mut peers = format!("http_port 127.0.0.1:{port} accel defaultsite=localhost no-vhost\n");
    for up in &upstreams {
        let name = up.kind.name();
        peers.push_str(&format!(
            "cache_peer 127.0.0.1 parent {} 0 no-query originserver name=be_{name}\n\
             acl path_{name} urlpath_regex ^/{name}\n\
             cache_peer_access be_{name} allow path_{name}\n\
             cache_peer_access be_{name} deny all\n",
            up.port
        ));
    }
    peers.push_str("never_direct allow all\n");
    let mut server = start(&squid, &wd, port, &peers);

    let mut failures = Failures::new();
    let log = wd.join("access.log");
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
        let c = Case {
            source: SOURCE,
            case,
            what,
            status: expected(kind, status, false),
            hop: Hop::Origin,
        };
        let path = format!("/{}", kind.name());
        c.http(port, &path, &mut failures);
        up.check_reached(case, "Squid", &mut failures);
        c.log(&log, &format!("http://localhost{path} "), &mut failures);
        // Squid also explains closed and malformed answers in its cache.log.
        if matches!(kind, Broken::CloseEarly | Broken::Garbage) {
            let cache_case = format!("{case}-cache");
            let c = Case {
                case: &cache_case,
                what: &format!("cache.log, {what}"),
                ..c
            };
            c.log(
                &wd.join("cache.log"),
                &format!(
                    "Invalid Response: {}",
                    if kind == Broken::Garbage {
                        "Bad header"
                    } else {
                        "No object data"
                    }
                ),
                &mut failures,
            );
        }
    }
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}

#[test]
fn squid_forward_proxy_to_broken_servers() {
    let squid = require("squid");
    note_banner_version(
        SOURCE,
        &output_of(Command::new(&squid).arg("-v")),
        "Version ",
        "Squid",
    );
    let wd = workdir("squid-forward");
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();
    let mut server = start(&squid, &wd, port, &format!("http_port 127.0.0.1:{port}\n"));

    let mut failures = Failures::new();
    let log = wd.join("access.log");
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
        let case = format!("forward-{case}");
        let what = format!("forward proxy, {what}");
        let c = Case {
            source: SOURCE,
            case: &case,
            what: &what,
            status: expected(kind, status, true),
            hop: Hop::Origin,
        };
        let url = format!("http://127.0.0.1:{}/{}", up.port, kind.name());
        let offset = log_len(&log);
        if let Some(raw) =
            failures.record(&case, fetch_via_proxy(port, &url, Duration::from_secs(10)))
        {
            c.judge(&raw, &mut failures);
        }
        up.check_reached(&case, "Squid", &mut failures);
        c.log_since(&log, offset, &url, &url, &mut failures);
    }
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
