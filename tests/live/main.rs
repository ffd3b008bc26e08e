//! Live captures: real servers from Debian in front of broken upstreams.
//!
//! Each server module starts its server on a free port of 127.0.0.1 with every file in a
//! fresh work directory, fetches through it, and checks Culprit's diagnosis of what came
//! back. With `CULPRIT_CAPTURE=1` the responses (and error-log lines) are also written as
//! fixtures under `crates/core/tests/fixtures/<source>/live-*`.
//!
//! The harness is the `culprit_tests` library (`tests/src/lib.rs`). Every server module, proxy
//! or application server alike, is a `Server` (its configuration files and command line as
//! templates with `{dir}`, `{port}` and `{port:<upstream>}` placeholders, plus a snippet
//! repeated per broken upstream, how long it may take to listen and to answer) and a table of
//! `LiveCase`s (what to ask, the status and hop expected, or that no answer must come, which
//! log lines to capture too); `Server::run` starts it, waits until it listens, runs the table,
//! and stops it by PID, also when a check panics.
//! Fixtures are written only when the diagnosis is right. Server modules live in
//! `tests/live/servers/`; part B declares its own with `#[path = "servers/<name>.rs"] mod <name>;`
//! inside `part_b.rs`.

// Tests report failures by panicking.
#![allow(clippy::panic)]

mod servers {
    pub mod apache;
    pub mod gunicorn;
    pub mod h2o;
    pub mod haproxy;
    pub mod jetty;
    pub mod modsecurity;
    pub mod nginx;
    pub mod node;
    pub mod pound;
    pub mod squid;
    pub mod uwsgi;
    pub mod varnish;
}
mod part_b;
