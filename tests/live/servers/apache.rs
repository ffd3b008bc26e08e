//! Apache httpd 2.4 with mod_proxy and mod_proxy_http in front of broken upstreams.

use culprit_core::Hop;
use culprit_tests::{Broken, LiveCase, Log, Server, note_banner_version, output_of, require};
use std::process::Command;

const SOURCE: &str = "apache";

const CONF: &str = "ServerRoot {dir}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {dir}/apache.pid
Mutex file:{dir}
DefaultRuntimeDir {dir}
ErrorLog {dir}/error.log
LogLevel warn
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
TypesConfig /etc/mime.types
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
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
{proxies}";

const SERVER: Server = Server {
    args: &["-d", "{dir}", "-f", "{dir}/apache.conf", "-DFOREGROUND"],
    files: &[
        ("apache.conf", CONF),
        (
            "www/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    snippets: &[(
        "{proxies}",
        "ProxyPass /{name} http://127.0.0.1:{upstream_port}/{name} retry=0 connectiontimeout=2 timeout=1\n",
    )],
    pid_file: Some("{dir}/apache.pid"),
    ..Server::new(SOURCE, "Apache", "apache2")
};

/// The `[proxy...]` lines the case added to the error log.
const LOG: &[Log] = &[Log::lines("error.log", "[proxy").since_request()];

const CASES: &[LiveCase] = &[
    LiveCase::refused(503).logs(LOG),
    LiveCase::closed(502).logs(LOG),
    LiveCase::upstream(
        Broken::Garbage,
        502,
        "upstream-garbage",
        "the upstream answered with header lines that are not HTTP",
    )
    .logs(LOG),
    LiveCase::timeout(
        502,
        "the upstream accepted but never answered (1 s ProxyTimeout)",
    )
    .logs(LOG),
    LiveCase::get(
        "/missing.html",
        404,
        Hop::Origin,
        "not-found",
        "a missing static file",
    ),
    LiveCase::get(
        "/plain/missing.html",
        404,
        Hop::Origin,
        "not-found-no-signature",
        "a missing static file, ServerSignature Off",
    ),
];

#[test]
fn apache_mod_proxy_in_front_of_broken_upstreams() {
    note_banner_version(
        SOURCE,
        &output_of(Command::new(require("apache2")).arg("-v")),
        "Apache/",
        "Apache httpd",
    );
    SERVER.run(CASES);
}
