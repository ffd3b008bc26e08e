//! Tomcat 10.1 (Debian's tomcat10): its own error reports for a missing page, a malformed
//! request and a JSP that throws.
//!
//! Tomcat is an application server, not a proxy: there is no upstream, and the failing hop
//! is the origin. It runs with CATALINA_BASE in the work directory (configuration, logs,
//! compiled JSPs) and CATALINA_HOME in the package; java is started directly, without the
//! catalina.sh wrapper, so the guard holds the JVM's own PID.

use culprit_core::Hop;
use culprit_tests::{LiveCase, Log, Server, WorkDir, note_banner_version, output_of, require};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "tomcat";
const HOME: &str = "/usr/share/tomcat10";

/// A JSP that always throws, so that Tomcat writes its exception report.
const BOOM_JSP: &str = "<%@ page contentType=\"text/plain\" %><% if (request.getParameter(\"ok\") == null) { throw new IllegalStateException(\"culprit live test: this page always fails\"); } %>ok\n";

/// Every log line on the console (the process's stderr file), in Tomcat's one-line format.
const LOGGING: &str = "handlers = java.util.logging.ConsoleHandler
.handlers = java.util.logging.ConsoleHandler
java.util.logging.ConsoleHandler.level = FINE
java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
java.util.logging.ConsoleHandler.encoding = UTF-8
";

const SERVER_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<Server port=\"-1\" shutdown=\"SHUTDOWN\">
  <Service name=\"Catalina\">
    <Connector port=\"{port}\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"5000\"/>
    <Engine name=\"Catalina\" defaultHost=\"localhost\">
      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"false\" autoDeploy=\"false\"/>
    </Engine>
  </Service>
</Server>
";

const SERVER: Server = Server {
    args: &[
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Djava.awt.headless=true",
        "-Dcatalina.home={home}",
        "-Dcatalina.base={dir}",
        "-Djava.io.tmpdir={dir}/temp",
        "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
        "-Djava.util.logging.config.file={dir}/conf/logging.properties",
        "-classpath",
        "{home}/bin/bootstrap.jar:{home}/bin/tomcat-juli.jar",
        "org.apache.catalina.startup.Bootstrap",
        "start",
    ],
    vars: &[("{home}", HOME)],
    files: &[
        ("conf/logging.properties", LOGGING),
        ("conf/server.xml", SERVER_XML),
        ("webapps/ROOT/boom.jsp", BOOM_JSP),
        (
            "webapps/ROOT/index.html",
            "<!doctype html><title>home</title><p>home</p>\n",
        ),
    ],
    prepare: Some(prepare),
    // Tomcat starts in a few seconds; compiling the first JSP takes a second or two more.
    start_wait: Duration::from_secs(60),
    fetch_wait: Duration::from_secs(30),
    log_wait: Duration::from_secs(5),
    ..Server::new(SOURCE, "Tomcat", "java")
};

/// Empty `logs`, `temp` and `work` folders, and Debian's `web.xml` (which maps the default
/// and JSP servlets), `context.xml` and class-loader settings, plus: skip scanning jars for
/// TLDs (faster start).
fn prepare(wd: &WorkDir) -> Result<(), String> {
    for dir in ["logs", "temp", "work"] {
        std::fs::create_dir_all(wd.join(dir))
            .map_err(|e| format!("cannot create {}: {e}", wd.join(dir).display()))?;
    }
    for name in ["web.xml", "context.xml"] {
        let from = format!("{HOME}/etc/{name}");
        std::fs::copy(&from, wd.join(format!("conf/{name}")))
            .map_err(|e| format!("cannot copy {from}: {e}"))?;
    }
    let properties = std::fs::read_to_string(format!("{HOME}/etc/catalina.properties"))
        .unwrap_or_default()
        + "\ntomcat.util.scan.StandardJarScanFilter.jarsToSkip=*.jar\n";
    wd.write("conf/catalina.properties", properties);
    Ok(())
}

const CASES: &[LiveCase] = &[
    LiveCase::not_found(),
    LiveCase::get(
        "/boom.jsp",
        500,
        Hop::Origin,
        "jsp-exception",
        "a JSP that throws an exception",
    )
    .logs(&[Log::lines("java.stderr", "Servlet.service() for servlet").named("-log", "log")]),
    LiveCase::get(
        "/a{b}",
        400,
        Hop::Browser,
        "bad-request",
        "a request target with a character Tomcat rejects",
    ),
];

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
    SERVER.run(CASES);
}
