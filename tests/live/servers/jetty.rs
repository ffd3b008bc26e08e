//! Jetty 9.4 (Debian's jetty9): its own error pages for a missing page, a web application
//! that failed to deploy, and a request it cannot parse.
//!
//! Jetty is the application server: there is no upstream, and the failing hop is the origin
//! (or the client, for a malformed request). It runs from the package's `start.jar` with
//! `jetty.home` in the package and `jetty.base` in the work directory, in the foreground, so
//! the guard holds the JVM's own PID.

use culprit_core::Hop;
use culprit_tests::{
    Case, Failures, fetch, free_port, note_version, package_version, require, spawn, wait_for_log,
    workdir,
};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "jetty";
const HOME: &str = "/usr/share/jetty9";
const FETCH: Duration = Duration::from_secs(30);
const START: Duration = Duration::from_secs(90);

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

#[test]
fn jetty_error_pages() {
    let java = require("java");
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

    let wd = workdir("jetty");
    let base = wd.path().display().to_string();
    let port = free_port();
    wd.write("webapps/broken/WEB-INF/web.xml", BROKEN_WEB_XML);
    wd.write(
        "webapps/ROOT/index.html",
        "<!doctype html><title>home</title><p>home</p>\n",
    );
    let mut server = spawn(
        Command::new(&java)
            .arg("-XX:TieredStopAtLevel=1")
            .arg("-XX:+UseSerialGC")
            .arg("-Djava.awt.headless=true")
            .arg(format!("-Djava.io.tmpdir={base}"))
            .arg("-jar")
            .arg(format!("{HOME}/start.jar"))
            .arg(format!("jetty.home={HOME}"))
            .arg(format!("jetty.base={base}"))
            .arg("--module=server,http,deploy")
            .arg("jetty.http.host=127.0.0.1")
            .arg(format!("jetty.http.port={port}"))
            .current_dir(wd.path()),
    );
    if let Err(e) = server.wait_ready(port, START) {
        panic!("{e}");
    }

    let mut failures = Failures::new();
    Case {
        source: SOURCE,
        case: "not-found",
        what: "a path that does not exist",
        status: 404,
        hop: Hop::Origin,
    }
    .page(fetch(port, "localhost", "/missing", FETCH), &mut failures);
    Case {
        source: SOURCE,
        case: "webapp-unavailable",
        what: "a web application whose servlet class is missing, so it failed to start",
        status: 503,
        hop: Hop::Origin,
    }
    .page(fetch(port, "localhost", "/broken/", FETCH), &mut failures);
    Case {
        source: SOURCE,
        case: "webapp-unavailable-log",
        what: "log, a web application whose servlet class is missing, so it failed to start",
        status: 503,
        hop: Hop::Origin,
    }
    .log_lines(
        wait_for_log(
            &wd.join("java.stderr"),
            ":WARN:oejw.WebAppContext:main: Failed startup of context",
            Duration::from_secs(5),
        ),
        &mut failures,
    );
    // `fetch` writes the path into the request line as it is: the space splits it.
    Case {
        source: SOURCE,
        case: "bad-request",
        what: "a request line with a space in the path",
        status: 400,
        hop: Hop::Browser,
    }
    .page(fetch(port, "localhost", "/a b", FETCH), &mut failures);
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
