//! Apache Traffic Server 9.2 (Debian's trafficserver) as a reverse proxy in front of broken
//! upstreams.
//!
//! Traffic Server finds its directories through a runroot file; ours points every writable
//! directory (config, logs, runtime, cache) into the work directory. The error-page templates
//! (`body_factory`) are copied from the package so the pages are the ones Debian ships.

use culprit_core::Hop;
use culprit_tests::{LiveCase, Log, Server, WorkDir, note_banner_version, output_of, require};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "trafficserver";
const TEMPLATES: &str = "/etc/trafficserver/body_factory/default";

const RUNROOT: &str = "prefix: {dir}
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
";

/// `#-1` keeps the current user (Traffic Server refuses to serve as an explicit root); the
/// crash-log helper needs a real user, so it is replaced by a no-op.
const RECORDS: &str = "CONFIG proxy.config.admin.user_id STRING #-1
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
";

const SERVER: Server = Server {
    args: &["--run-root={dir}/runroot.yaml"],
    files: &[
        ("runroot.yaml", RUNROOT),
        ("etc/records.config", RECORDS),
        (
            "etc/remap.config",
            "{remap}map http://127.0.0.1:{port}/dns http://culprit-test-host.invalid/\n",
        ),
        ("etc/storage.config", "{dir}/cache 64M\n"),
        ("etc/plugin.config", ""),
        (
            "etc/ip_allow.yaml",
            "ip_allow:\n  - apply: in\n    ip_addrs: 127.0.0.1\n    action: allow\n  - apply: out\n    ip_addrs: 0/0\n    action: allow\n",
        ),
    ],
    snippets: &[(
        "{remap}",
        "map http://127.0.0.1:{port}/{name} http://127.0.0.1:{upstream_port}/{name}\n",
    )],
    prepare: Some(prepare),
    host: "127.0.0.1:{port}",
    log_wait: Duration::from_secs(6),
    ..Server::new(SOURCE, "Traffic Server", "traffic_server")
};

/// Empty directories for logs, runtime files and the cache, and the packaged error
/// templates (`body_factory`), so the pages are the ones Debian ships.
fn prepare(wd: &WorkDir) -> Result<(), String> {
    for sub in ["etc", "log", "run", "cache", "var"] {
        std::fs::create_dir_all(wd.join(sub))
            .map_err(|e| format!("cannot create {}: {e}", wd.join(sub).display()))?;
    }
    copy_templates(&wd.join("etc/body_factory/default"))
}

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

const CASES: &[LiveCase] = &[
    LiveCase::refused(502),
    LiveCase::closed(502),
    LiveCase::garbage(502),
    LiveCase::timeout(
        504,
        "the upstream accepted but never answered (2 s transaction_no_activity_timeout_out)",
    ),
    // Its error log names the refused connection.
    LiveCase::log_only(
        "upstream-refused-error-log",
        "error.log, the upstream port refused the connection",
        502,
        &[Log::lines("log/error.log", "127.0.0.1:{port:refused}").named("", "")],
    ),
    LiveCase::get(
        "/dns",
        500,
        Hop::Origin,
        "upstream-dns",
        "the origin's host name does not resolve (.invalid)",
    ),
    LiveCase::get(
        "/missing",
        404,
        Hop::Gateway,
        "no-remap-rule",
        "no remap rule matches the request",
    ),
];

pub fn run() {
    let banner = output_of(Command::new(require("traffic_server")).arg("--version"));
    note_banner_version(SOURCE, &banner, "Traffic Server ", "Apache Traffic Server");
    SERVER.run(CASES);
}
