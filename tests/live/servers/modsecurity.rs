//! ModSecurity 2.9 (Debian's libapache2-mod-security2) inside Apache httpd 2.4, blocking a
//! request that one of its rules matches.
//!
//! The page the visitor gets is Apache's own 403, with nothing on it naming ModSecurity, so it
//! is captured (under Apache's fixtures) as Apache's page; the error-log line is where
//! ModSecurity names itself, the rule and the reason, and is captured as ModSecurity's.

use culprit_core::Hop;
use culprit_tests::{
    Case, Failures, Server, fetch, log_len, note_banner_version, note_version, output_of,
    package_version, require, wait_for_lines,
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
    ..Server::new(SOURCE, "ModSecurity", "apache2")
};

#[test]
fn modsecurity_in_apache_blocks_a_request() {
    let banner = output_of(Command::new(require("apache2")).arg("-v"));
    note_banner_version("apache", &banner, "Apache/", "Apache httpd");
    let modsec = package_version("libapache2-mod-security2")
        .map(|v| v.split('-').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    note_version(SOURCE, &format!("ModSecurity {modsec} in Apache httpd"));

    let running = SERVER.start(&[]);
    let mut failures = Failures::new();
    let log = running.wd.join("error.log");
    let offset = log_len(&log);
    Case {
        source: "apache",
        case: "modsecurity-403",
        what: "ModSecurity (libapache2-mod-security2) denied a request whose parameter holds SQL",
        status: 403,
        hop: Hop::Gateway,
    }
    .page(
        fetch(
            running.port,
            "localhost",
            "/?q=1%20union%20select%202",
            Duration::from_secs(10),
        ),
        &mut failures,
    );
    Case {
        source: SOURCE,
        case: "access-denied-error-log",
        what: "Apache's error log, a rule denied a request whose parameter holds SQL",
        status: 403,
        hop: Hop::Gateway,
    }
    .log_lines(
        wait_for_lines(
            &log,
            offset,
            "ModSecurity: Access denied with code 403",
            "",
            Duration::from_secs(5),
        ),
        &mut failures,
    );
    running.finish(failures);
}
