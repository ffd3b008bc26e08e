//! Squid 5.7 as a reverse proxy (accelerator) and as a forward proxy, in front of broken
//! servers.

use culprit_tests::{
    Broken, LiveCase, Log, Request, Server, note_banner_version, output_of, require,
};
use std::process::Command;

const SOURCE: &str = "squid";

/// Every file in the work directory and every timeout short; `{head}` holds the ports and
/// peers of each mode.
const CONF: &str = "{head}
http_access allow all
visible_hostname culprit-test
pid_filename {dir}/squid.pid
cache_log {dir}/cache.log
access_log stdio:{dir}/access.log squid
cache_store_log none
netdb_filename none
coredump_dir {dir}
cache deny all
cache_mem 8 MB
cache_effective_user proxy
connect_timeout 2 seconds
forward_timeout 2 seconds
read_timeout 1 second
request_timeout 5 seconds
shutdown_lifetime 0 seconds
dns_nameservers 127.0.0.1
dns_timeout 2 seconds
";

const REVERSE: Server = Server {
    args: &["-N", "-d", "1", "-f", "{dir}/squid.conf"],
    files: &[("squid.conf", CONF)],
    vars: &[(
        "{head}",
        "http_port 127.0.0.1:{port} accel defaultsite=localhost no-vhost\n{peers}never_direct allow all\n",
    )],
    snippets: &[(
        "{peers}",
        "cache_peer 127.0.0.1 parent {upstream_port} 0 no-query originserver name=be_{name}\n\
         acl path_{name} urlpath_regex ^/{name}\n\
         cache_peer_access be_{name} allow path_{name}\n\
         cache_peer_access be_{name} deny all\n",
    )],
    pid_file: Some("{dir}/squid.pid"),
    ..Server::new(SOURCE, "Squid", "squid")
};

const FORWARD: Server = Server {
    vars: &[("{head}", "http_port 127.0.0.1:{port}\n")],
    snippets: &[],
    ..REVERSE
};

/// The access-log line of the request.
const ACCESS: Log = Log::lines("access.log", "http://localhost{path} ");

/// Squid also explains closed and malformed answers in its cache.log.
const fn cache_log(needle: &'static str) -> Log<'static> {
    Log::lines("cache.log", needle).named("-cache-log", "cache.log")
}

/// With a refused server, Squid 5.7 as a reverse proxy answers 502 (ERR_READ_ERROR, no
/// server reached), while as a forward proxy it answers 503 (ERR_CONNECT_FAIL).
const REVERSE_CASES: &[LiveCase] = &[
    LiveCase::upstream(
        Broken::Refused,
        502,
        "upstream-refused",
        "the server port refused the connection",
    )
    .logs(&[ACCESS]),
    LiveCase::upstream(
        Broken::CloseEarly,
        502,
        "upstream-closed",
        "the server closed the connection without answering",
    )
    .logs(&[ACCESS, cache_log("Invalid Response: No object data")]),
    LiveCase::upstream(
        Broken::Garbage,
        502,
        "upstream-garbage",
        "the server answered with header lines that are not HTTP",
    )
    .logs(&[ACCESS, cache_log("Invalid Response: Bad header")]),
    LiveCase::timeout(
        504,
        "the server accepted but never answered (1 s read_timeout)",
    )
    .logs(&[ACCESS]),
];

/// The access-log lines the request added, naming its URL.
const FORWARD_LOG: &[Log] = &[Log::lines("access.log", "{url}").since_request()];
const TO_UPSTREAM: Request = Request::Proxy("http://127.0.0.1:{port:{name}}/{name}");

const FORWARD_CASES: &[LiveCase] = &[
    LiveCase::upstream(
        Broken::Refused,
        503,
        "forward-upstream-refused",
        "forward proxy, the server port refused the connection",
    )
    .request(TO_UPSTREAM)
    .logs(FORWARD_LOG),
    LiveCase::upstream(
        Broken::CloseEarly,
        502,
        "forward-upstream-closed",
        "forward proxy, the server closed the connection without answering",
    )
    .request(TO_UPSTREAM)
    .logs(FORWARD_LOG),
    LiveCase::upstream(
        Broken::Garbage,
        502,
        "forward-upstream-garbage",
        "forward proxy, the server answered with header lines that are not HTTP",
    )
    .request(TO_UPSTREAM)
    .logs(FORWARD_LOG),
    LiveCase::upstream(
        Broken::Hang,
        504,
        "forward-upstream-timeout",
        "forward proxy, the server accepted but never answered (1 s read_timeout)",
    )
    .request(TO_UPSTREAM)
    .logs(FORWARD_LOG),
];

fn note_version() {
    note_banner_version(
        SOURCE,
        &output_of(Command::new(require("squid")).arg("-v")),
        "Version ",
        "Squid",
    );
}

#[test]
fn squid_reverse_proxy_in_front_of_broken_servers() {
    note_version();
    REVERSE.run(REVERSE_CASES);
}

#[test]
fn squid_forward_proxy_to_broken_servers() {
    note_version();
    FORWARD.run(FORWARD_CASES);
}
