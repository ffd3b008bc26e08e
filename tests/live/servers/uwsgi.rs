//! uWSGI 2.0 (Debian's uwsgi with the python3 and http plugins) running a WSGI app that fails.
//!
//! uWSGI writes almost no pages of its own: an app that raises, or a request killed by
//! `--harakiri`, ends with the connection closed and nothing sent. What names uWSGI is its log
//! (on stderr here), so the cases capture log lines: the request line of a failed request,
//! the harakiri, and the "no python application found" of an app that failed to import (whose
//! bare "Internal Server Error" body names nobody and is only checked for its status).

use culprit_core::Hop;
use culprit_tests::{
    Case, Failures, Running, Server, fetch, note_version, output_of, relayed, require,
    wait_for_lines,
};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "uwsgi";
const LOG: &str = "uwsgi.stderr";
const WAIT: Duration = Duration::from_secs(10);

/// `/boom` raises, `/slow` outlives the harakiri timeout, the rest answers.
const APP: &str = "import time


def application(environ, start_response):
    path = environ.get(\"PATH_INFO\", \"/\")
    if path == \"/boom\":
        raise RuntimeError(\"culprit live test: this app always fails here\")
    if path == \"/slow\":
        time.sleep(30)
    start_response(\"200 OK\", [(\"Content-Type\", \"text/plain\")])
    return [b\"ok\\n\"]
";

/// An app module that cannot be imported.
const BROKEN: &str = "raise ImportError(\"culprit live test: this module cannot be imported\")\n";

/// uWSGI's own HTTP router in front of one worker, as `uwsgi --http` sets it up.
const APP_SERVER: Server = Server {
    args: &[
        "--plugins",
        "http,python3",
        "--http",
        "127.0.0.1:{port}",
        "--wsgi-file",
        "{dir}/app.py",
        "--master",
        "--processes",
        "1",
        "--harakiri",
        "2",
        "--http-timeout",
        "5",
    ],
    files: &[("app.py", APP)],
    ..Server::new(SOURCE, "uWSGI", "uwsgi")
};

/// A worker speaking HTTP itself (`--http-socket`) whose app failed to import.
const BROKEN_SERVER: Server = Server {
    args: &[
        "--plugin",
        "python3",
        "--http-socket",
        "127.0.0.1:{port}",
        "--wsgi-file",
        "{dir}/broken.py",
        "--master",
        "--processes",
        "1",
    ],
    files: &[("broken.py", BROKEN)],
    ..Server::new(SOURCE, "uWSGI", "uwsgi")
};

fn no_answer(port: u16, path: &str, case: &str, failures: &mut Failures) {
    if let Ok(raw) = fetch(port, "localhost", path, WAIT) {
        failures.record::<()>(
            case,
            Err(format!(
                "expected uWSGI to close without answering {path}, got:\n{}",
                String::from_utf8_lossy(&raw)
            )),
        );
    }
}

fn log_case(
    running: &Running<'_>,
    case: &'static str,
    what: &'static str,
    status: u16,
    needle: &str,
    failures: &mut Failures,
) {
    Case {
        source: SOURCE,
        case,
        what,
        status,
        hop: Hop::Origin,
    }
    .log_lines(
        wait_for_lines(&running.wd.join(LOG), 0, needle, "", WAIT),
        failures,
    );
}

fn note() {
    let version = output_of(Command::new(require("uwsgi")).arg("--version"));
    let version = version.trim().split('-').next().unwrap_or_default();
    note_version(SOURCE, &format!("uWSGI {version}"));
}

#[test]
fn uwsgi_running_a_failing_app() {
    note();
    let running = APP_SERVER.start(&[]);
    let mut failures = Failures::new();
    no_answer(running.port, "/boom", "app-exception", &mut failures);
    log_case(
        &running,
        "app-exception-log",
        "request log, a WSGI app that raises an exception (the client got no answer)",
        500,
        "GET /boom =>",
        &mut failures,
    );
    no_answer(running.port, "/slow", "harakiri", &mut failures);
    log_case(
        &running,
        "harakiri-log",
        "log, a request that outlived the 2 s --harakiri timeout (the client got no answer)",
        0,
        "HARAKIRI ON WORKER",
        &mut failures,
    );
    running.finish(failures);
}

#[test]
fn uwsgi_with_an_app_that_failed_to_import() {
    note();
    let running = BROKEN_SERVER.start(&[]);
    let mut failures = Failures::new();
    // The body is a bare "Internal Server Error": nothing on it names uWSGI.
    relayed(
        &mut failures,
        "no-app",
        fetch(running.port, "localhost", "/", WAIT),
        500,
    );
    log_case(
        &running,
        "no-app-log",
        "log, a request to a worker whose app failed to import",
        500,
        "no python application found",
        &mut failures,
    );
    running.finish(failures);
}
