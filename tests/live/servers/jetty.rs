//! Jetty 9.4 (Debian's jetty9): its own error pages for a missing page, a web application
//! that failed to deploy, and a request it cannot parse.
//!
//! Jetty is the application server: there is no upstream, and the failing hop is the origin
//! (or the client, for a malformed request). It runs from the package's `start.jar` with
//! `jetty.home` in the package and `jetty.base` in the work directory, in the foreground, so
//! the guard holds the JVM's own PID.

use culprit_core::Hop;
use culprit_tests::{LiveCase, Log, Server, note_version, package_version, require};
use std::time::Duration;

const SOURCE: &str = "jetty";
const HOME: &str = "/usr/share/jetty9";

/// A web application whose only servlet class does not exist, so that Jetty cannot start it.
const BROKEN_WEB_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<web-app xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\" version=\"3.1\">
  <servlet>
    <servlet-name>app</servlet-name>
    <servlet-class>org.example.culprit.Missing</servlet-class>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>app</servlet-name>
    <url-pattern>/*</url-pattern>
  </servlet-mapping>
</web-app>
";

const SERVER: Server = Server {
    args: &[
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Djava.awt.headless=true",
        "-Djava.io.tmpdir={dir}",
        "-jar",
        "{home}/start.jar",
        "jetty.home={home}",
        "jetty.base={dir}",
        "--module=server,http,deploy",
        "jetty.http.host=127.0.0.1",
        "jetty.http.port={port}",
    ],
    vars: &[("{home}", HOME)],
    files: &[
        ("webapps/broken/WEB-INF/web.xml", BROKEN_WEB_XML),
        (
            "webapps/ROOT/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    start_wait: Duration::from_secs(90),
    fetch_wait: Duration::from_secs(30),
    log_wait: Duration::from_secs(5),
    ..Server::new(SOURCE, "Jetty", "java")
};

const CASES: &[LiveCase] = &[
    LiveCase::not_found(),
    LiveCase::get(
        "/broken/",
        503,
        Hop::Origin,
        "webapp-unavailable",
        "a web application whose servlet class is missing, so it failed to start",
    )
    .logs(&[Log::lines(
        "java.stderr",
        ":WARN:oejw.WebAppContext:main: Failed startup of context",
    )
    .named("-log", "log")]),
    LiveCase::space_in_path(),
];

#[test]
fn jetty_error_pages() {
    require("java");
    if !std::path::Path::new(HOME).join("start.jar").is_file() {
        panic!("jetty9 is not installed: run `cargo xtask test`, which installs it");
    }
    match package_version("jetty9") {
        Some(v) => note_version(
            SOURCE,
            &format!("Jetty {}", v.split('-').next().unwrap_or(&v)),
        ),
        None => note_version(SOURCE, "Jetty 9"),
    }
    SERVER.run(CASES);
}
