//! uWSGI 2.0 (Debian's uwsgi with the python3 and http plugins) running a WSGI app that fails.
//!
//! uWSGI writes almost no pages of its own: an app that raises, or a request killed by
//! `--harakiri`, ends with the connection closed and nothing sent. What names uWSGI is its log
//! (on stderr here), so the cases capture log lines: the request line of a failed request,
//! the harakiri, and the "no python application found" of an app that failed to import (whose
//! bare "Internal Server Error" body names nobody and is only checked for its status).

use culprit_core::Hop;
use culprit_tests::{LiveCase, Log, Server, note_version, output_of, require};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "uwsgi";
const LOG: &str = "uwsgi.stderr";

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
    log_wait: Duration::from_secs(10),
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
    log_wait: Duration::from_secs(10),
    ..Server::new(SOURCE, "uWSGI", "uwsgi")
};

const APP_CASES: &[LiveCase] = &[
    LiveCase::get(
        "/boom",
        500,
        Hop::Origin,
        "app-exception",
        "a WSGI app that raises an exception (the client got no answer)",
    )
    .no_answer()
    .logs(&[Log::lines(LOG, "GET /boom =>").named("-log", "request log")]),
    LiveCase::get(
        "/slow",
        0,
        Hop::Origin,
        "harakiri",
        "a request that outlived the 2 s --harakiri timeout (the client got no answer)",
    )
    .no_answer()
    .logs(&[Log::lines(LOG, "HARAKIRI ON WORKER").named("-log", "log")]),
];

const BROKEN_CASES: &[LiveCase] = &[
    // The body is a bare "Internal Server Error": nothing on it names uWSGI.
    LiveCase::get(
        "/",
        500,
        Hop::Origin,
        "no-app",
        "a request to a worker whose app failed to import",
    )
    .relayed()
    .logs(&[Log::lines(LOG, "no python application found").named("-log", "log")]),
];

fn note() {
    let version = output_of(Command::new(require("uwsgi")).arg("--version"));
    let version = version.trim().split('-').next().unwrap_or_default();
    note_version(SOURCE, &format!("uWSGI {version}"));
}

#[test]
fn uwsgi_running_a_failing_app() {
    note();
    APP_SERVER.run(APP_CASES);
}

#[test]
fn uwsgi_with_an_app_that_failed_to_import() {
    note();
    BROKEN_SERVER.run(BROKEN_CASES);
}
