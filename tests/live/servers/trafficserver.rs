//! Apache Traffic Server 9.2 (Debian's trafficserver) as a reverse proxy in front of broken
//! upstreams.
//!
//! Traffic Server finds its directories through a runroot file; ours points every writable
//! directory (config, logs, runtime, cache) into the work directory. The error-page templates
//! (`body_factory`) are copied from the package so the pages are the ones Debian ships.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, fetch, free_port, note_banner_version, output_of,
    require, spawn, wait_for_log, workdir,
};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "trafficserver";
const FETCH: Duration = Duration::from_secs(10);
const LOG_WAIT: Duration = Duration::from_secs(6);
const TEMPLATES: &str = "/etc/trafficserver/body_factory/default";

/// Broken upstream, status Traffic Server answers, fixture case, what happened.
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
        "the upstream accepted but never answered (2 s transaction_no_activity_timeout_out)",
    ),
];

/// Copies the packaged error templates into `to`.
fn copy_templates(to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(TEMPLATES)
        .map_err(|e| format!("cannot read {TEMPLATES} (is trafficserver installed?): {e}"))?;
    for entry in entries.flatten() {
        let from = entry.path();
        if from.is_file() {
            std::fs::copy(&from, to.join(entry.file_name()))
                .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
        }
    }
    Ok(())
}

pub fn run() {
    let ts = require("traffic_server");
    let banner = output_of(Command::new(&ts).arg("--version"));
    note_banner_version(SOURCE, &banner, "Traffic Server ", "Apache Traffic Server");

    let wd = workdir("trafficserver");
    let dir = wd.path().display().to_string();
    for sub in ["etc", "log", "run", "cache", "var"] {
        if let Err(e) = std::fs::create_dir_all(wd.join(sub)) {
            panic!("cannot create {dir}/{sub}: {e}");
        }
    }
    if let Err(e) = copy_templates(&wd.join("etc/body_factory/default")) {
        panic!("{e}");
    }
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();

    wd.write(
        "runroot.yaml",
        format!(
            "prefix: {dir}
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: {dir}/etc
datadir: /usr/share/trafficserver
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: {dir}/var
runtimedir: {dir}/run
logdir: {dir}/log
cachedir: {dir}/cache
"
        ),
    );
    // `#-1` keeps the current user (Traffic Server refuses to serve as an explicit root);
    // the crash-log helper needs a real user, so it is replaced by a no-op.
    wd.write(
        "etc/records.config",
        format!(
            "CONFIG proxy.config.admin.user_id STRING #-1
CONFIG proxy.config.crash_log_helper STRING /bin/true
CONFIG proxy.config.http.server_ports STRING {port}:ip-in=127.0.0.1
CONFIG proxy.config.http.connect_attempts_timeout INT 1
CONFIG proxy.config.http.connect_attempts_max_retries INT 0
CONFIG proxy.config.http.connect_attempts_max_retries_dead_server INT 0
CONFIG proxy.config.http.connect_attempts_rr_retries INT 0
CONFIG proxy.config.http.transaction_no_activity_timeout_out INT 2
CONFIG proxy.config.http.down_server.cache_time INT 0
CONFIG proxy.config.http.cache.http INT 0
CONFIG proxy.config.url_remap.remap_required INT 1
CONFIG proxy.config.reverse_proxy.enabled INT 1
CONFIG proxy.config.body_factory.template_sets_dir STRING {dir}/etc/body_factory
CONFIG proxy.config.log.logging_enabled INT 1
CONFIG proxy.config.log.max_secs_per_buffer INT 1
CONFIG proxy.config.hostdb.host_file.path STRING /etc/hosts
CONFIG proxy.config.exec_thread.autoconfig INT 0
CONFIG proxy.config.exec_thread.limit INT 1
CONFIG proxy.config.cache.ram_cache.size INT 1048576
CONFIG proxy.config.net.connections_throttle INT 1000
"
        ),
    );
    let mut remap = String::new();
    for up in &upstreams {
        let name = up.kind.name();
        remap.push_str(&format!(
            "map http://127.0.0.1:{port}/{name} http://127.0.0.1:{}/{name}\n",
            up.port
        ));
    }
    remap.push_str(&format!(
        "map http://127.0.0.1:{port}/dns http://culprit-test-host.invalid/\n"
    ));
    wd.write("etc/remap.config", remap);
    wd.write("etc/storage.config", format!("{dir}/cache 64M\n"));
    wd.write("etc/plugin.config", "");
    wd.write(
        "etc/ip_allow.yaml",
        "ip_allow:\n  - apply: in\n    ip_addrs: 127.0.0.1\n    action: allow\n  - apply: out\n    ip_addrs: 0/0\n    action: allow\n",
    );

    let mut server = spawn(
        Command::new(&ts)
            .arg(format!("--run-root={dir}/runroot.yaml"))
            .current_dir(wd.path()),
    );
    server.ready(port);

    let mut failures = Failures::new();
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
        let path = format!("/{}", kind.name());
        Case {
            source: SOURCE,
            case,
            what,
            status,
            hop: Hop::Origin,
        }
        .page(
            fetch(port, &format!("127.0.0.1:{port}"), &path, FETCH),
            &mut failures,
        );
        up.check_reached(case, "Traffic Server", &mut failures);
    }

    // Its error log names the refused connection.
    let refused = &upstreams[0];
    Case {
        source: SOURCE,
        case: "upstream-refused-error-log",
        what: "error.log, the upstream port refused the connection",
        status: 502,
        hop: Hop::Origin,
    }
    .log_lines(
        wait_for_log(
            &wd.join("log/error.log"),
            &format!("127.0.0.1:{}", refused.port),
            LOG_WAIT,
        ),
        &mut failures,
    );

    Case {
        source: SOURCE,
        case: "upstream-dns",
        what: "the origin's host name does not resolve (.invalid)",
        status: 500,
        hop: Hop::Origin,
    }
    .page(
        fetch(port, &format!("127.0.0.1:{port}"), "/dns", FETCH),
        &mut failures,
    );
    Case {
        source: SOURCE,
        case: "no-remap-rule",
        what: "no remap rule matches the request",
        status: 404,
        hop: Hop::Gateway,
    }
    .page(
        fetch(port, &format!("127.0.0.1:{port}"), "/missing", FETCH),
        &mut failures,
    );
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
