//! Tomcat 10.1 (Debian's tomcat10): its own error reports for a missing page, a malformed
//! request and a JSP that throws.
//!
//! Tomcat is an application server, not a proxy: there is no upstream, and the failing hop
//! is the origin. It runs with CATALINA_BASE in the work directory (configuration, logs,
//! compiled JSPs) and CATALINA_HOME in the package; java is started directly, without the
//! catalina.sh wrapper, so the guard holds the JVM's own PID.

use culprit_core::Hop;
use culprit_tests::{
    Case, Failures, fetch, free_port, note_banner_version, output_of, require, spawn, wait_for_log,
    workdir,
};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "tomcat";
const HOME: &str = "/usr/share/tomcat10";
const FETCH: Duration = Duration::from_secs(30);
const LOG_WAIT: Duration = Duration::from_secs(5);
/// Tomcat starts in a few seconds; compiling the first JSP takes a second or two more.
const START: Duration = Duration::from_secs(60);

/// A JSP that always throws, so that Tomcat writes its exception report.
const BOOM_JSP: &str = "<%@ page contentType=\"text/plain\" %><% if (request.getParameter(\"ok\") == null) { throw new IllegalStateException(\"culprit live test: this page always fails\"); } %>ok\n";

pub fn run() {
    let java = require("java");
    let banner = output_of(
        Command::new(&java)
            .arg("-cp")
            .arg(format!("{HOME}/lib/catalina.jar"))
            .arg("org.apache.catalina.util.ServerInfo"),
    );
    note_banner_version(SOURCE, &banner, "Apache Tomcat/", "Apache Tomcat");
    if !std::path::Path::new(HOME)
        .join("bin/bootstrap.jar")
        .is_file()
    {
        panic!("tomcat10 is not installed: run `cargo xtask test`, which installs it");
    }

    let wd = workdir("tomcat");
    let base = wd.path().display().to_string();
    let port = free_port();
    for dir in ["conf", "logs", "temp", "work"] {
        if let Err(e) = std::fs::create_dir_all(wd.join(dir)) {
            panic!("cannot create {base}/{dir}: {e}");
        }
    }
    // Debian's default web.xml maps the default servlet and the JSP servlet.
    for name in ["web.xml", "context.xml"] {
        let from = format!("{HOME}/etc/{name}");
        if let Err(e) = std::fs::copy(&from, wd.join(format!("conf/{name}"))) {
            panic!("cannot copy {from}: {e}");
        }
    }
    // Debian's class-loader settings, plus: skip scanning jars for TLDs (faster start).
    let properties = std::fs::read_to_string(format!("{HOME}/etc/catalina.properties"))
        .unwrap_or_default()
        + "\ntomcat.util.scan.StandardJarScanFilter.jarsToSkip=*.jar\n";
    wd.write("conf/catalina.properties", properties);
    // Every log line on the console (the process's stderr file), in Tomcat's one-line format.
    wd.write(
        "conf/logging.properties",
        "handlers = java.util.logging.ConsoleHandler
.handlers = java.util.logging.ConsoleHandler
java.util.logging.ConsoleHandler.level = FINE
java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
java.util.logging.ConsoleHandler.encoding = UTF-8
",
    );
    wd.write(
        "conf/server.xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<Server port=\"-1\" shutdown=\"SHUTDOWN\">
  <Service name=\"Catalina\">
    <Connector port=\"{port}\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"5000\"/>
    <Engine name=\"Catalina\" defaultHost=\"localhost\">
      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"false\" autoDeploy=\"false\"/>
    </Engine>
  </Service>
</Server>
"
        ),
    );
    wd.write("webapps/ROOT/boom.jsp", BOOM_JSP);
    wd.write(
        "webapps/ROOT/index.html",
        "<!doctype html><title>home</title><p>home</p>\n",
    );

    let mut server = spawn(
        Command::new(&java)
            .arg("-XX:TieredStopAtLevel=1")
            .arg("-XX:+UseSerialGC")
            .arg("-Djava.awt.headless=true")
            .arg(format!("-Dcatalina.home={HOME}"))
            .arg(format!("-Dcatalina.base={base}"))
            .arg(format!("-Djava.io.tmpdir={base}/temp"))
            .arg("-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager")
            .arg(format!(
                "-Djava.util.logging.config.file={base}/conf/logging.properties"
            ))
            .arg("-classpath")
            .arg(format!(
                "{HOME}/bin/bootstrap.jar:{HOME}/bin/tomcat-juli.jar"
            ))
            .arg("org.apache.catalina.startup.Bootstrap")
            .arg("start")
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
        case: "jsp-exception",
        what: "a JSP that throws an exception",
        status: 500,
        hop: Hop::Origin,
    }
    .page(fetch(port, "localhost", "/boom.jsp", FETCH), &mut failures);
    Case {
        source: SOURCE,
        case: "jsp-exception-log",
        what: "log, a JSP that throws an exception",
        status: 500,
        hop: Hop::Origin,
    }
    .log_lines(
        wait_for_log(
            &wd.join("java.stderr"),
            "Servlet.service() for servlet",
            LOG_WAIT,
        ),
        &mut failures,
    );
    Case {
        source: SOURCE,
        case: "bad-request",
        what: "a request target with a character Tomcat rejects",
        status: 400,
        hop: Hop::Browser,
    }
    .page(fetch(port, "localhost", "/a{b}", FETCH), &mut failures);
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
