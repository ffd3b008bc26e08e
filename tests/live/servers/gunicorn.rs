//! Gunicorn 20.1 (Debian's gunicorn) serving a WSGI app that fails.
//!
//! Gunicorn is the application server: there is no upstream, and the app behind it is the
//! origin. Its own pages are the 500 it writes when the app raises and the 400 it writes for a
//! request it cannot parse; when a request outlives `--timeout`, the master kills the worker,
//! the client gets no answer at all, and only the error log says why.

use culprit_core::Hop;
use culprit_tests::{LiveCase, Log, Server, note_banner_version, output_of, require};
use std::process::Command;
use std::time::Duration;

const SOURCE: &str = "gunicorn";

/// One WSGI app: `/boom` raises, `/slow` sleeps past the worker timeout, the rest answers.
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

const SERVER: Server = Server {
    args: &[
        "--bind",
        "127.0.0.1:{port}",
        "--workers",
        "1",
        "--timeout",
        "2",
        "--chdir",
        "{dir}",
        "app:application",
    ],
    files: &[("app.py", APP)],
    log_wait: Duration::from_secs(10),
    ..Server::new(SOURCE, "Gunicorn", "gunicorn")
};

/// Gunicorn logs to stderr, which the harness keeps as `gunicorn.stderr`.
const LOG: &str = "gunicorn.stderr";

const CASES: &[LiveCase] = &[
    LiveCase::get(
        "/boom",
        500,
        Hop::Origin,
        "app-exception",
        "a WSGI app that raises an exception",
    )
    .logs(&[Log::lines(LOG, "Error handling request /boom").named("-error-log", "error log")]),
    LiveCase::space_in_path(),
    // A request that outlives --timeout: the worker is killed and the client gets nothing.
    LiveCase::get(
        "/slow",
        0,
        Hop::Origin,
        "worker-timeout",
        "a request that outlived the 2 s worker timeout",
    )
    .no_answer()
    .logs(&[Log::lines(LOG, "WORKER TIMEOUT").named("-log", "error log")]),
];

#[test]
fn gunicorn_serving_a_failing_app() {
    let banner = output_of(Command::new(require("gunicorn")).arg("--version"));
    // `gunicorn (version 20.1.0)`: the closing parenthesis is not part of the version.
    note_banner_version(SOURCE, &banner.replace(')', " "), "(version ", "Gunicorn");
    SERVER.run(CASES);
}
