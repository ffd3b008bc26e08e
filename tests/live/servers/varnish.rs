//! Varnish Cache 7.1 in front of broken backends.

use culprit_core::Hop;
use culprit_tests::{
    Broken, Case, Failures, broken_upstream, free_port, note_banner_version, output_of, require,
    spawn, workdir,
};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SOURCE: &str = "varnish";

/// Varnish answers every failed backend fetch with its built-in 503 page.
const CASES: &[(Broken, u16, &str, &str)] = &[
    (
        Broken::Refused,
        503,
        "upstream-refused",
        "the backend port refused the connection",
    ),
    (
        Broken::CloseEarly,
        503,
        "upstream-closed",
        "the backend closed the connection without answering",
    ),
    (
        Broken::Garbage,
        503,
        "upstream-garbage",
        "the backend answered with header lines that are not HTTP",
    ),
    (
        Broken::Hang,
        503,
        "upstream-timeout",
        "the backend accepted but never answered (1 s first_byte_timeout)",
    ),
];

/// The transaction log (varnishlog, grouped by request) of the request for `url`.
fn request_log(varnishlog: &Path, instance: &Path, url: &str) -> Result<String, String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let out = Command::new(varnishlog)
            .arg("-n")
            .arg(instance)
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

#[test]
fn varnish_in_front_of_broken_backends() {
    let varnishd = require("varnishd");
    let varnishlog = require("varnishlog");
    note_banner_version(
        SOURCE,
        &output_of(Command::new(&varnishd).arg("-V")),
        "varnish-",
        "Varnish Cache",
    );
    let wd = workdir("varnish");
    let upstreams: Vec<_> = CASES.iter().map(|c| broken_upstream(c.0)).collect();
    let port = free_port();
    let mut backends = String::new();
    let mut routes = String::new();
    for up in &upstreams {
        let name = up.kind.name().replace('-', "_");
        backends.push_str(&format!(
            "backend be_{name} {{\n    .host = \"127.0.0.1\";\n    .port = \"{}\";\n}}\n\n",
            up.port
        ));
        routes.push_str(&format!(
            "    if (req.url ~ \"^/{}\") {{\n        set req.backend_hint = be_{name};\n    }}\n",
            up.kind.name()
        ));
    }
    let vcl = format!(
        "vcl 4.1;

{backends}sub vcl_recv {{
    if (req.url ~ \"^/synth\") {{
        return (synth(404));
    }}
{routes}}}
"
    );
    let vcl_path = wd.write("default.vcl", vcl);
    let instance = wd.join("instance");
    let mut server = spawn(
        Command::new(&varnishd)
            .arg("-F")
            .arg("-a")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-T")
            .arg("none")
            .arg("-n")
            .arg(&instance)
            .arg("-f")
            .arg(&vcl_path)
            .args(["-s", "malloc,16m"])
            .args(["-p", "connect_timeout=1", "-p", "first_byte_timeout=1"])
            .args(["-p", "between_bytes_timeout=1", "-p", "thread_pools=1"])
            .args(["-p", "thread_pool_min=5", "-p", "thread_pool_max=50"])
            .current_dir(wd.path()),
    );
    server.ready(port);

    let mut failures = Failures::new();
    for (up, &(kind, status, case, what)) in upstreams.iter().zip(CASES) {
        let c = Case {
            source: SOURCE,
            case,
            what,
            status,
            hop: Hop::Origin,
        };
        let path = format!("/{}", kind.name());
        c.http(port, &path, &mut failures);
        up.check_reached(case, "Varnish", &mut failures);
        let log_case = format!("{case}-log");
        if let Some(log) = failures.record(&log_case, request_log(&varnishlog, &instance, &path)) {
            c.judge_log(&log, &mut failures);
        }
    }
    let c = Case {
        source: SOURCE,
        case: "synth-not-found",
        what: "a 404 made in VCL with return (synth(404))",
        status: 404,
        hop: Hop::Origin,
    };
    c.http(port, "/synth/missing", &mut failures);
    if let Err(e) = server.still_running() {
        failures.record::<()>("server", Err(e));
    }
    failures.finish();
}
