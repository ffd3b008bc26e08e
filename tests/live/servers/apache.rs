//! Apache httpd 2.4 with mod_proxy and mod_proxy_http in front of broken upstreams.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, free_port, log_len, note_banner_version, output_of,
    require, spawn, workdir,
};
use std::process::Command;

const SOURCE: &str = "apache";

/// Apache's answer for each broken upstream, the fixture name, and the log marker.
const CASES: &[(Broken, u16, &str, &str)] = &[
    (
        Broken::Refused,
        503,
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
        "the upstream answered with header lines that are not HTTP",
    ),
    (
        Broken::Hang,
        502,
        "upstream-timeout",
        "the upstream accepted but never answered (1 s ProxyTimeout)",
    ),
];

#[test]
fn apache_mod_proxy_in_front_of_broken_upstreams() {
    let apache = require("apache2");
    note_banner_version(
        SOURCE,
        &output_of(Command::new(&apache).arg("-v")),
        "Apache/",
        "Apache httpd",
    );
    let wd = workdir("apache");
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();
    let dir = wd.path().display().to_string();
    let modules = "/usr/lib/apache2/modules";
    let mut proxies = String::new();
    for up in &upstreams {
        let name = up.kind.name();
        proxies.push_str(&format!(
            "ProxyPass /{name} http://127.0.0.1:{}/{name} retry=0 connectiontimeout=2 timeout=1\n",
            up.port
        ));
    }
    wd.write(
        "www/index.html",
        "<!doctype html><title>home</title><p>home</p>\n",
    );
    let conf = format!(
        "ServerRoot {dir}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {dir}/apache.pid
Mutex file:{dir}
DefaultRuntimeDir {dir}
ErrorLog {dir}/error.log
LogLevel warn
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule mime_module {modules}/mod_mime.so
TypesConfig /etc/mime.types
LoadModule proxy_module {modules}/mod_proxy.so
LoadModule proxy_http_module {modules}/mod_proxy_http.so
User www-data
Group www-data
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
MinSpareThreads 1
MaxSpareThreads 8
LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common
CustomLog {dir}/access.log common
DocumentRoot {dir}/www
<Directory {dir}/www>
    Require all granted
</Directory>
# Debian's stock security.conf turns the signature line on; /plain shows the page without it.
ServerSignature On
<Location /plain>
    ServerSignature Off
</Location>
ProxyTimeout 1
{proxies}"
    );
    let conf_path = wd.write("apache.conf", conf);
    let mut server = spawn(
        Command::new(&apache)
            .arg("-d")
            .arg(wd.path())
            .arg("-f")
            .arg(&conf_path)
            .arg("-DFOREGROUND")
            .current_dir(wd.path()),
    )
    .with_pid_file(wd.join("apache.pid"));
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
        let offset = log_len(&log);
        c.http(port, &format!("/{}", kind.name()), &mut failures);
        up.check_reached(case, "Apache", &mut failures);
        c.log_since(&log, offset, "[proxy", "[proxy", &mut failures);
    }
    let c = Case {
        source: SOURCE,
        case: "not-found",
        what: "a missing static file",
        status: 404,
        hop: Hop::Origin,
    };
    c.http(port, "/missing.html", &mut failures);
    let c = Case {
        source: SOURCE,
        case: "not-found-no-signature",
        what: "a missing static file, ServerSignature Off",
        status: 404,
        hop: Hop::Origin,
    };
    c.http(port, "/plain/missing.html", &mut failures);
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
