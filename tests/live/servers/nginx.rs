//! nginx 1.22 (Debian's nginx-light) as a reverse proxy in front of broken upstreams.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, free_port, note_banner_version, output_of, require,
    spawn, workdir,
};
use std::process::Command;

const SOURCE: &str = "nginx";

/// What nginx answers for each broken upstream, and the words of its error-log line.
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
        "the upstream accepted but never answered (1 s proxy_read_timeout)",
    ),
];

#[test]
fn nginx_reverse_proxy_in_front_of_broken_upstreams() {
    let nginx = require("nginx");
    note_banner_version(
        SOURCE,
        &output_of(Command::new(&nginx).arg("-v")),
        "nginx/",
        "nginx",
    );
    let wd = workdir("nginx");
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    // PHP-FPM that is not running: nginx's FastCGI pass to a port that refuses.
    let php = broken_upstream(Broken::Refused);
    let port = free_port();
    let dir = wd.path().display().to_string();
    let mut locations = format!(
        "        location = /php-refused {{ fastcgi_pass 127.0.0.1:{}; }}\n",
        php.port
    );
    for up in &upstreams {
        let name = up.kind.name();
        locations.push_str(&format!(
            "        location = /{name} {{ proxy_pass http://127.0.0.1:{}/{name}; }}\n",
            up.port
        ));
    }
    wd.write(
        "www/index.html",
        "<!doctype html><title>home</title><p>home</p>\n",
    );
    let conf = format!(
        "daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {dir}/www;
        proxy_connect_timeout 2s;
        proxy_send_timeout 2s;
        proxy_read_timeout 1s;
{locations}    }}
}}
"
    );
    let conf_path = wd.write("nginx.conf", conf);
    let mut server = spawn(
        Command::new(&nginx)
            .arg("-p")
            .arg(wd.path())
            .arg("-e")
            .arg(wd.join("error.log"))
            .arg("-c")
            .arg(&conf_path)
            .current_dir(wd.path()),
    )
    .with_pid_file(wd.join("nginx.pid"));
    server.ready(port);

    let mut failures = Failures::new();
    let log = wd.join("error.log");
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
        let c = Case {
            source: SOURCE,
            case,
            what,
            status,
            hop: Hop::Origin,
        };
        let path = format!("/{}", kind.name());
        c.http(port, &path, &mut failures);
        up.check_reached(case, "nginx", &mut failures);
        c.log(&log, &format!("\"GET {path} "), &mut failures);
    }

    // The same 502 page, but the error log names FastCGI: the advice must be about PHP-FPM.
    let c = Case {
        source: SOURCE,
        case: "php-fpm-refused",
        what: "fastcgi_pass to a PHP-FPM port that refuses the connection",
        status: 502,
        hop: Hop::Origin,
    };
    c.http(port, "/php-refused", &mut failures);
    if let Some(lines) = c.log(&log, "\"GET /php-refused ", &mut failures) {
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

    // An ordinary error page: a file that does not exist.
    let c = Case {
        source: SOURCE,
        case: "not-found",
        what: "a missing static file",
        status: 404,
        hop: Hop::Origin,
    };
    c.http(port, "/missing.html", &mut failures);
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
