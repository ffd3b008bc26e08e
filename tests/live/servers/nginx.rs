//! nginx 1.22 (Debian's nginx-light) as a reverse proxy in front of broken upstreams.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Failures, LiveCase, Log, Server, note_banner_version, output_of, require,
};
use std::process::Command;

const SOURCE: &str = "nginx";

const CONF: &str = "daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events { worker_connections 64; }
http {
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {
        listen 127.0.0.1:{port};
        server_name localhost;
        root {dir}/www;
        proxy_connect_timeout 2s;
        proxy_send_timeout 2s;
        proxy_read_timeout 1s;
        location = /php-refused { fastcgi_pass 127.0.0.1:{port:php}; }
{locations}    }
}
";

const SERVER: Server = Server {
    args: &[
        "-p",
        "{dir}",
        "-e",
        "{dir}/error.log",
        "-c",
        "{dir}/nginx.conf",
    ],
    files: &[
        ("nginx.conf", CONF),
        (
            "www/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    snippets: &[(
        "{locations}",
        "        location = /{name} { proxy_pass http://127.0.0.1:{upstream_port}/{name}; }\n",
    )],
    // PHP-FPM that is not running: nginx's FastCGI pass to a port that refuses.
    extra_upstreams: &[("php", Broken::Refused)],
    pid_file: Some("{dir}/nginx.pid"),
    ..Server::new(SOURCE, "nginx", "nginx")
};

/// The error-log line(s) of the request.
const LOG: &[Log] = &[Log::lines("error.log", "\"GET {path} ")];

const CASES: &[LiveCase] = &[
    LiveCase::refused(502).logs(LOG),
    LiveCase::closed(502).logs(LOG),
    LiveCase::garbage(502).logs(LOG),
    LiveCase::timeout(
        504,
        "the upstream accepted but never answered (1 s proxy_read_timeout)",
    )
    .logs(LOG),
    // The same 502 page, but the error log names FastCGI: the advice must be about PHP-FPM.
    LiveCase::get(
        "/php-refused",
        502,
        Hop::Origin,
        "php-fpm-refused",
        "fastcgi_pass to a PHP-FPM port that refuses the connection",
    )
    .logs(LOG),
    // An ordinary error page: a file that does not exist.
    LiveCase::get(
        "/missing.html",
        404,
        Hop::Origin,
        "not-found",
        "a missing static file",
    ),
];

#[test]
fn nginx_reverse_proxy_in_front_of_broken_upstreams() {
    note_banner_version(
        SOURCE,
        &output_of(Command::new(require("nginx")).arg("-v")),
        "nginx/",
        "nginx",
    );
    let nginx = SERVER.start(CASES);
    let mut failures = Failures::new();
    let logs = nginx.run_cases(CASES, &mut failures);
    if let Some((_, lines)) = logs.iter().find(|(case, _)| case == "php-fpm-refused-log") {
        let advice = culprit_core::diagnose(lines.as_bytes())
            .map(|d| serde_json::to_string(&d.owner_fixes).unwrap_or_default())
            .unwrap_or_default();
        if !advice.contains("PHP-FPM") {
            failures.record::<()>(
                "php-fpm-refused-log",
                Err(format!("the owner fixes do not mention PHP-FPM: {advice}")),
            );
        }
    }
    nginx.finish(failures);
}
