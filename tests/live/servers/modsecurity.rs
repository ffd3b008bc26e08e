//! ModSecurity 2.9 (Debian's libapache2-mod-security2) inside Apache httpd 2.4, blocking a
//! request that one of its rules matches.
//!
//! The page the visitor gets is Apache's own 403, with nothing on it naming ModSecurity, so it
//! is captured (under Apache's fixtures) as Apache's page; the error-log line is where
//! ModSecurity names itself, the rule and the reason, and is captured as ModSecurity's.

use culprit_core::Hop;
use culprit_tests::{
    LiveCase, Log, Server, note_banner_version, note_version, output_of, package_version, require,
};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "modsecurity";

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
LoadModule unique_id_module /usr/lib/apache2/modules/mod_unique_id.so
LoadModule security2_module /usr/lib/apache2/modules/mod_security2.so
TypesConfig /etc/mime.types
User www-data
Group www-data
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
MinSpareThreads 1
MaxSpareThreads 8
DocumentRoot {dir}/www
<Directory {dir}/www>
    Require all granted
</Directory>
ServerSignature On
SecRuleEngine On
SecRequestBodyAccess On
SecDataDir {dir}
SecTmpDir {dir}
SecAuditEngine Off
SecRule ARGS \"@contains union select\" \"id:100001,phase:2,deny,status:403,log,msg:'culprit live test: SQL in a parameter'\"
";

const SERVER: Server = Server {
    args: &["-d", "{dir}", "-f", "{dir}/apache.conf", "-DFOREGROUND"],
    files: &[
        ("apache.conf", CONF),
        (
            "www/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    pid_file: Some("{dir}/apache.pid"),
    log_wait: Duration::from_secs(5),
    ..Server::new(SOURCE, "ModSecurity", "apache2")
};

const CASES: &[LiveCase] = &[
    LiveCase::get(
        "/?q=1%20union%20select%202",
        403,
        Hop::Gateway,
        "modsecurity-403",
        "ModSecurity (libapache2-mod-security2) denied a request whose parameter holds SQL",
    )
    .source("apache"),
    // The work directory is fresh and the request above is its only one: the whole log will do.
    LiveCase {
        hop: Hop::Gateway,
        ..LiveCase::log_only(
            "access-denied-error-log",
            "Apache's error log, a rule denied a request whose parameter holds SQL",
            403,
            &[Log::lines("error.log", "ModSecurity: Access denied with code 403").named("", "")],
        )
    },
];

#[test]
fn modsecurity_in_apache_blocks_a_request() {
    let banner = output_of(Command::new(require("apache2")).arg("-v"));
    note_banner_version("apache", &banner, "Apache/", "Apache httpd");
    let modsec = package_version("libapache2-mod-security2")
        .map(|v| v.split('-').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    note_version(SOURCE, &format!("ModSecurity {modsec} in Apache httpd"));

    SERVER.run(CASES);
}
