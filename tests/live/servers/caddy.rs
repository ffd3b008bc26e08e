//! Caddy 2 (Debian's caddy) as a reverse proxy in front of broken upstreams.
//!
//! Caddy's own error answers have an empty body: only the status and `Server: Caddy` say who
//! sent them. Its error log is JSON, one object per line.

use culprit_core::Hop;
use culprit_tests::{LiveCase, Log, Server, note_banner_version, output_of, require};
use std::process::Command;

const SOURCE: &str = "caddy";

const CADDYFILE: &str = "{
\tadmin off
\tauto_https off
\tstorage file_system {dir}/data
\tlog {
\t\toutput file {dir}/error.log
\t\tlevel ERROR
\t}
}
http://127.0.0.1:{port} {
{routes}\thandle {
\t\troot * {dir}/www
\t\tfile_server
\t}
}
";

const SERVER: Server = Server {
    args: &[
        "run",
        "--adapter",
        "caddyfile",
        "--config",
        "{dir}/Caddyfile",
    ],
    env: &[
        ("HOME", "{dir}"),
        ("XDG_DATA_HOME", "{dir}/data"),
        ("XDG_CONFIG_HOME", "{dir}/config"),
    ],
    files: &[
        ("Caddyfile", CADDYFILE),
        (
            "www/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    snippets: &[(
        "{routes}",
        "\thandle /{name} {
\t\treverse_proxy 127.0.0.1:{upstream_port} {
\t\t\ttransport http {
\t\t\t\tdial_timeout 1s
\t\t\t\tresponse_header_timeout 1s
\t\t\t}
\t\t}
\t}
",
    )],
    host: "127.0.0.1",
    ..Server::new(SOURCE, "Caddy", "caddy")
};

const LOG: &[Log] =
    &[Log::lines("error.log", "\"uri\":\"{path}\"").named("-error-log", "error log (JSON)")];

const CASES: &[LiveCase] = &[
    LiveCase::refused(502).logs(LOG),
    LiveCase::closed(502).logs(LOG),
    LiveCase::garbage(502).logs(LOG),
    LiveCase::timeout(
        504,
        "the upstream accepted but never answered (1 s response_header_timeout)",
    )
    .logs(LOG),
    // Caddy's file server has no page for a missing file either: an empty 404.
    LiveCase::get(
        "/missing.html",
        404,
        Hop::Origin,
        "not-found",
        "a missing static file (file_server)",
    ),
];

pub fn run() {
    let banner = output_of(Command::new(require("caddy")).arg("version"));
    // The banner starts with the version: `2.6.2` (Debian) or `v2.6.2 h1:...` (upstream).
    let banner = format!("caddy {}", banner.trim().trim_start_matches('v'));
    note_banner_version(SOURCE, &banner, "caddy ", "Caddy");
    SERVER.run(CASES);
}
