//! Node.js with Express 4.18 (Debian's node-express): Express's default error pages, written
//! by its final handler when no route matches or a route throws.
//!
//! Express is the application: there is no upstream, and the failing hop is the origin. The
//! same app runs twice, as people run it: without NODE_ENV (Express then puts the stack trace
//! on the page) and with NODE_ENV=production (only the reason).

use culprit_core::Hop;
use culprit_tests::{LiveCase, Server, note_version, output_of, package_version, require};
use std::process::Command;

const SOURCE: &str = "node";

const APP: &str = "const express = require('express');
const app = express();
app.get('/', (req, res) => res.send('home'));
app.get('/boom', () => {
  throw new Error('culprit live test: this route always fails');
});
app.listen(Number(process.argv[2]), '127.0.0.1');
";

const DEVELOPMENT: Server = Server {
    args: &["{dir}/app.js", "{port}"],
    env: &[("NODE_PATH", "/usr/share/nodejs")],
    files: &[("app.js", APP)],
    ..Server::new(SOURCE, "Express", "node")
};

const PRODUCTION: Server = Server {
    env: &[
        ("NODE_PATH", "/usr/share/nodejs"),
        ("NODE_ENV", "production"),
    ],
    ..DEVELOPMENT
};

const DEVELOPMENT_CASES: &[LiveCase] = &[
    LiveCase::get(
        "/missing",
        404,
        Hop::Origin,
        "not-found",
        "a path no route matches",
    ),
    LiveCase::get(
        "/boom",
        500,
        Hop::Origin,
        "route-exception",
        "a route that throws, NODE_ENV unset (stack trace on the page)",
    ),
];

const PRODUCTION_CASES: &[LiveCase] = &[LiveCase::get(
    "/boom",
    500,
    Hop::Origin,
    "route-exception-production",
    "a route that throws, NODE_ENV=production",
)];

fn note() {
    let node = output_of(Command::new(require("node")).arg("--version"));
    let express = package_version("node-express")
        .map(|v| v.split(['+', '-']).next().unwrap_or_default().to_string())
        .unwrap_or_default();
    note_version(
        SOURCE,
        &format!(
            "Express {express} on Node.js {}",
            node.trim().trim_start_matches('v')
        ),
    );
}

#[test]
fn express_default_error_pages() {
    note();
    DEVELOPMENT.run(DEVELOPMENT_CASES);
}

#[test]
fn express_default_error_pages_in_production() {
    note();
    PRODUCTION.run(PRODUCTION_CASES);
}
