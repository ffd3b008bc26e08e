//! Varnish Cache 7.1 in front of broken backends.

use culprit_core::Hop;
use culprit_tests::{
    Broken, LiveCase, Log, LogFrom, Running, Server, note_banner_version, output_of, require,
};
use std::process::Command;
use std::time::{Duration, Instant};

const SOURCE: &str = "varnish";

const VCL: &str = "vcl 4.1;

{backends}sub vcl_recv {
    if (req.url ~ \"^/synth\") {
        return (synth(404));
    }
{routes}}
";

const SERVER: Server = Server {
    args: &[
        "-F",
        "-a",
        "127.0.0.1:{port}",
        "-T",
        "none",
        "-n",
        "{dir}/instance",
        "-f",
        "{dir}/default.vcl",
        "-s",
        "malloc,16m",
        "-p",
        "connect_timeout=1",
        "-p",
        "first_byte_timeout=1",
        "-p",
        "between_bytes_timeout=1",
        "-p",
        "thread_pools=1",
        "-p",
        "thread_pool_min=5",
        "-p",
        "thread_pool_max=50",
    ],
    files: &[("default.vcl", VCL)],
    snippets: &[
        (
            "{backends}",
            "backend be_{ident} {\n    .host = \"127.0.0.1\";\n    .port = \"{upstream_port}\";\n}\n\n",
        ),
        (
            "{routes}",
            "    if (req.url ~ \"^/{name}\") {\n        set req.backend_hint = be_{ident};\n    }\n",
        ),
    ],
    ..Server::new(SOURCE, "Varnish", "varnishd")
};

/// The transaction log (varnishlog, grouped by request) of the request for `url`.
fn request_log(varnish: &Running<'_>, url: &str) -> Result<String, String> {
    let varnishlog = require("varnishlog");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let out = Command::new(&varnishlog)
            .arg("-n")
            .arg(varnish.wd.join("instance"))
            .args(["-d", "-g", "request", "-q"])
            .arg(format!("ReqURL eq \"{url}\""))
            .output()
            .map_err(|e| format!("cannot run varnishlog: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if text.contains("FetchError") || text.contains("RespStatus") {
            return Ok(text);
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "varnishlog showed no transaction for {url}:\n{text}{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

const LOG: &[Log] = &[Log {
    from: LogFrom::Custom(request_log),
    ..Log::lines("", "")
}];

/// Varnish answers every failed backend fetch with its built-in 503 page.
const CASES: &[LiveCase] = &[
    LiveCase::upstream(
        Broken::Refused,
        503,
        "upstream-refused",
        "the backend port refused the connection",
    )
    .logs(LOG),
    LiveCase::upstream(
        Broken::CloseEarly,
        503,
        "upstream-closed",
        "the backend closed the connection without answering",
    )
    .logs(LOG),
    LiveCase::upstream(
        Broken::Garbage,
        503,
        "upstream-garbage",
        "the backend answered with header lines that are not HTTP",
    )
    .logs(LOG),
    LiveCase::timeout(
        503,
        "the backend accepted but never answered (1 s first_byte_timeout)",
    )
    .logs(LOG),
    LiveCase::get(
        "/synth/missing",
        404,
        // Varnish answered from VCL without asking any backend: its own (gateway) answer.
        Hop::Gateway,
        "synth-not-found",
        "a 404 made in VCL with return (synth(404))",
    ),
];

#[test]
fn varnish_in_front_of_broken_backends() {
    require("varnishlog");
    note_banner_version(
        SOURCE,
        &output_of(Command::new(require("varnishd")).arg("-V")),
        "varnish-",
        "Varnish Cache",
    );
    SERVER.run(CASES);
}
