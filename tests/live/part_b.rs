//! Live captures, part B: Caddy, Apache Traffic Server, lighttpd, Tinyproxy, nghttpx and
//! Tomcat, each started from its Debian package with every file in a fresh work directory.
//!
//! Each server module has one `run()` that starts the server once, walks through its cases
//! (broken upstreams for the proxies; a missing page and a failing JSP for Tomcat) and reports
//! every mismatch at the end. The tests below only call them. Each server is a
//! `culprit_tests::Server` (config template) plus a table of `LiveCase`s.

#[path = "servers/caddy.rs"]
mod caddy;
#[path = "servers/lighttpd.rs"]
mod lighttpd;
#[path = "servers/nghttpx.rs"]
mod nghttpx;
#[path = "servers/tinyproxy.rs"]
mod tinyproxy;
#[path = "servers/tomcat.rs"]
mod tomcat;
#[path = "servers/trafficserver.rs"]
mod trafficserver;

#[test]
fn caddy_reverse_proxy_in_front_of_broken_upstreams() {
    caddy::run();
}

#[test]
fn trafficserver_reverse_proxy_in_front_of_broken_upstreams() {
    trafficserver::run();
}

#[test]
fn lighttpd_mod_proxy_in_front_of_broken_upstreams() {
    lighttpd::run();
}

#[test]
fn tinyproxy_forward_proxy_to_broken_servers() {
    tinyproxy::run();
}

#[test]
fn nghttpx_reverse_proxy_in_front_of_broken_upstreams() {
    nghttpx::run();
}

#[test]
fn tomcat_error_reports() {
    tomcat::run();
}
