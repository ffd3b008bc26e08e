//! Runs the built `culprit` binary: exit codes, JSON shape, colour, stdin and files.
//!
//! Every test asserts the exit status first, then compares with expectations written down
//! here or in the fixtures' `.toml` sidecars (`crates/core/tests/fixtures/`), never with what
//! the core library answers: a bug shared by the core and the CLI must still fail here.

// Tests stop at the first surprise; that is what expect() is for here.
#![allow(clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NGINX_502: &str = "HTTP/1.1 502 Bad Gateway\r\n\
Server: nginx/1.22.1\r\n\
Date: Sat, 21 Nov 2026 10:00:00 GMT\r\n\
Content-Type: text/html\r\n\
Content-Length: 157\r\n\
Connection: keep-alive\r\n\
\r\n\
<html>\r\n\
<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n\
<hr><center>nginx/1.22.1</center>\r\n\
</body>\r\n\
</html>\r\n";

const PLAIN_TEXT: &str = "Shopping list\n\nbread, milk, three apples and a newspaper\n";

fn culprit() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_culprit"));
    // The tests decide about colour themselves.
    c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    c
}

/// Runs culprit with `args`, feeding `stdin`.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_with(culprit().args(args), stdin)
}

fn run_with(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the culprit binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    // Write from a thread so a large input cannot deadlock against a full stdout pipe;
    // culprit may also stop reading early (usage errors), so a broken pipe is fine.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("culprit runs to the end");
    let _ = writer.join();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A file under the target directory, unique to one test.
fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("culprit-cli-tests");
    std::fs::create_dir_all(&dir).expect("temp dir can be made");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("temp file can be written");
    path
}

/// Checks the run failed with status 2 and exactly one `culprit: ...` line on stderr.
fn assert_usage_failure(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    assert!(o.stdout.is_empty(), "nothing on stdout: {}", stdout(o));
    let err = stderr(o);
    assert!(err.starts_with("culprit: "), "{err:?}");
    assert!(err.ends_with('\n'), "{err:?}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    err
}

#[test]
fn help_and_version() {
    let o = run(&["--help"], b"");
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    assert!(help.contains("Usage:"));
    assert!(help.contains("--json"));
    assert!(help.contains("--color"));
    for line in help.lines() {
        assert!(line.chars().count() <= 80, "help fits 80 columns: {line:?}");
    }

    let o = run(&["-V"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        format!("culprit {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bad_usage_exits_2() {
    let err = assert_usage_failure(&run(&["--frobnicate"], NGINX_502.as_bytes()));
    assert!(err.contains("--frobnicate"), "{err}");
    assert_usage_failure(&run(&["--color=sometimes"], NGINX_502.as_bytes()));
    assert_usage_failure(&run(&["--color"], NGINX_502.as_bytes()));
    let a = temp_file("two-a.http", NGINX_502.as_bytes());
    let b = temp_file("two-b.http", NGINX_502.as_bytes());
    let a = a.to_str().expect("utf-8 path");
    let b = b.to_str().expect("utf-8 path");
    assert_usage_failure(&run(&[a, b], b""));
}

#[test]
fn missing_file_exits_2_with_the_reason() {
    let o = run(&["/no/such/dir/page.html"], b"");
    let err = assert_usage_failure(&o);
    assert_eq!(
        err,
        "culprit: cannot read /no/such/dir/page.html: No such file or directory\n"
    );
}

#[test]
fn directory_is_not_readable_input() {
    let dir = env!("CARGO_TARGET_TMPDIR");
    let err = assert_usage_failure(&run(&[dir], b""));
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn unreadable_input_exits_2_with_the_reason() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66\0\0\0\x01sRGB\0\xae\xce\x1c\xe9\0\0\0\x04gAMA\0\0\xb1\x8f\x0b\xfc\x61\x05";
    let empty = "culprit: the input is empty: paste an error page, a response or log lines\n";
    for (input, message) in [
        (&b""[..], empty),
        (b"   \n\t\n", empty),
        (
            png,
            "culprit: the input looks like binary data (an image, archive or compressed body), \
             not an error page\n",
        ),
        (
            br#"{"log":{"version":"1.2","entries":[]}}"#,
            "culprit: the HAR file holds no requests\n",
        ),
    ] {
        assert_eq!(assert_usage_failure(&run(&[], input)), message);
    }
}

/// Exit status 1: the report could not be written (here: to a full device).
#[test]
fn unwritable_output_exits_1() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // no /dev/full on this system
    };
    let out = culprit()
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut pipe) = child.stdin.take() {
                pipe.write_all(NGINX_502.as_bytes())?;
            }
            child.wait_with_output()
        })
        .expect("culprit runs");
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "culprit: cannot write the report: No space left on device\n"
    );
}

#[test]
fn json_is_the_diagnosis() {
    let o = run(&["--json"], NGINX_502.as_bytes());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");

    // The shape front ends rely on.
    for key in [
        "input_form",
        "status",
        "source",
        "via",
        "failing_hop",
        "summary",
        "evidence",
        "ids",
        "retry",
        "visitor_fixes",
        "owner_fixes",
        "notes",
    ] {
        assert!(got.get(key).is_some(), "missing {key}");
    }
    assert!(got["source"]["id"].is_string());
    assert!(got["source"]["confidence"].is_number());
    assert!(got["failing_hop"]["hop"].is_string());
    assert_eq!(got["status"], 502);
    assert_eq!(got["source"]["id"], "nginx");
    assert_eq!(got["source"]["name"], "nginx");
    assert_eq!(got["failing_hop"]["hop"], "origin");
    assert_eq!(got["input_form"], "http");
    assert_eq!(got["via"], serde_json::json!([]));
    // Pretty-printed, newline at the end.
    let text = stdout(&o);
    assert!(text.contains("\n  \"source\": {"), "{text}");
    assert!(text.ends_with("}\n"));
}

#[test]
fn file_dash_and_stdin_agree() {
    let path = temp_file("nginx-502.http", NGINX_502.as_bytes());
    let path = path.to_str().expect("utf-8 path");
    let from_file = run(&["--json", path], b"");
    let from_dash = run(&["--json", "-"], NGINX_502.as_bytes());
    let from_stdin = run(&["--json"], NGINX_502.as_bytes());
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    assert_eq!(from_file.stdout, from_dash.stdout);
    assert_eq!(from_file.stdout, from_stdin.stdout);
}

/// A large file is read in the parts the core looks at (its head and tail) when they
/// settle the answer, and whole when not: either way the answer is the one from standard
/// input, which is always read whole.
#[test]
fn a_large_file_gets_the_same_answer_as_from_stdin() {
    let padding =
        "<p>The council announced the results of the energy project.</p>\n".repeat(40_000);
    let footer = "<span>Cloudflare Ray ID: <strong>8c1d2e3f4a5b6c7d</strong></span>\n\
<a href=\"https://www.cloudflare.com/5xx-error-landing\">Performance &amp; security by Cloudflare</a></body></html>\n";
    let page =
        format!("<html><head><title>502 Bad Gateway</title></head><body>\n{padding}{footer}");
    let response = format!(
        "HTTP/1.1 502 Bad Gateway\r\nServer: cloudflare\r\nContent-Type: text/html\r\n\r\n{page}"
    );
    for (name, input) in [("large.http", &response), ("large.html", &page)] {
        let path = temp_file(name, input.as_bytes());
        let path = path.to_str().expect("utf-8 path");
        let from_file = run(&["--json", path], b"");
        let from_stdin = run(&["--json"], input.as_bytes());
        assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
        assert!(
            stdout(&from_file).contains("8c1d2e3f4a5b6c7d"),
            "{name}: the tail was read"
        );
        assert_eq!(stdout(&from_file), stdout(&from_stdin), "{name}");
    }
}

#[test]
fn report_is_plain_when_piped_and_fits_80_columns() {
    let o = run(&[], NGINX_502.as_bytes());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let text = stdout(&o);
    assert!(!text.contains('\x1b'), "no colour into a pipe: {text:?}");
    assert!(text.contains("nginx"), "{text}");
    assert!(text.contains("502"), "{text}");
    assert!(text.contains("Failing hop"), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "fits 80 columns: {line:?}");
    }
    // Piped stdout: nothing on stderr either.
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn colour_flag_overrides_detection() {
    let o = run(&["--color=always"], NGINX_502.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("\x1b["), "colour when forced");

    // An explicit --color=always wins over NO_COLOR, which only affects auto.
    let o = run_with(
        culprit().env("NO_COLOR", "1").arg("--color=always"),
        NGINX_502.as_bytes(),
    );
    assert!(stdout(&o).contains("\x1b["));

    let o = run(&["--color", "never"], NGINX_502.as_bytes());
    assert!(!stdout(&o).contains('\x1b'));

    // JSON is never coloured.
    let o = run(&["--json", "--color=always"], NGINX_502.as_bytes());
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn not_an_error_page_still_exits_0() {
    let o = run(&[], PLAIN_TEXT.as_bytes());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l == "  Written by      Not an error page"),
        "{text}"
    );
    let o = run(&["--json"], PLAIN_TEXT.as_bytes());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(got["source"]["id"], "none");
    assert_eq!(got["status"], serde_json::Value::Null);
    assert_eq!(got["input_form"], "text");
}

#[test]
fn input_cannot_drive_the_terminal() {
    let page = "HTTP/1.1 503 Service Unavailable\r\nServer: \x1b]0;pwned\x07nginx\r\n\
                Content-Type: text/html\r\n\r\n<title>\x1b[2J503 \x1b[31mUnavailable</title>";
    let o = run(&["--color=always"], page.as_bytes());
    if o.status.code() == Some(0) {
        let text = stdout(&o);
        // Only the report's own SGR sequences may appear: ESC followed by '['+digits+'m'.
        let mut rest = text.as_str();
        while let Some(i) = rest.find('\x1b') {
            let tail = &rest[i + 1..];
            let end = tail.find('m').expect("every escape is an SGR sequence");
            let params = &tail[..end];
            assert!(
                params.starts_with('[')
                    && params[1..].chars().all(|c| c.is_ascii_digit() || c == ';'),
                "unexpected escape {params:?} in {text:?}"
            );
            assert!(params != "[2J" && params != "[31m");
            rest = &tail[end + 1..];
        }
        assert!(!text.contains('\x07'));
    }
}

#[test]
fn huge_file_is_refused() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("culprit-cli-tests")
        .join("huge.http");
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("dir");
    let file = std::fs::File::create(&path).expect("file can be made");
    // Sparse: takes no disk space, and culprit refuses it from its size alone.
    file.set_len(300 * 1024 * 1024).expect("file can be sized");
    drop(file);
    let o = run(&[path.to_str().expect("utf-8 path")], b"");
    let _ = std::fs::remove_file(&path);
    let err = assert_usage_failure(&o);
    assert!(err.contains("256 MB"), "{err}");
}

#[test]
fn closed_pipe_is_not_an_error() {
    // `culprit page | head -1`: the reader goes away early.
    let big = format!("{NGINX_502}{}", "<p>padding</p>\n".repeat(10));
    let mut child = culprit()
        .arg("--color=never")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(big.as_bytes()).expect("input written");
    drop(pipe);
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "status {:?}: {}",
        out.status,
        stderr(&out)
    );
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------
// The fixtures, against their written expectations.

/// What a fixture's `.toml` sidecar states (the keys the CLI shows).
#[derive(Debug, Default)]
struct Sidecar {
    source: String,
    status: Option<u16>,
    hop: Option<String>,
    form: Option<String>,
}

/// Reads the top-level `source`, `status`, `hop` and `form` keys of a sidecar. They are always
/// one-line `key = "word"` or `key = number` entries (the fixture test parses the whole file).
fn read_sidecar(path: &Path) -> Sidecar {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut s = Sidecar::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        let word = value.trim().trim_matches('"').to_string();
        match key {
            "source" => s.source = word,
            "status" => {
                s.status = Some(
                    word.parse()
                        .unwrap_or_else(|e| panic!("{}: status {word:?}: {e}", path.display())),
                )
            }
            "hop" => s.hop = Some(word),
            "form" => s.form = Some(word),
            _ => {}
        }
    }
    assert!(!s.source.is_empty(), "{}: no source", path.display());
    s
}

/// Every fixture input with its sidecar, sorted.
fn fixtures() -> Vec<(PathBuf, Sidecar)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    let mut out = Vec::new();
    let dirs = std::fs::read_dir(&root).expect("the fixture folder can be read");
    for dir in dirs.filter_map(Result::ok).map(|e| e.path()) {
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        for f in files.filter_map(Result::ok).map(|e| e.path()) {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if [".toml", ".diagnosis.json", ".md"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                continue;
            }
            let sidecar = read_sidecar(&f.with_extension("toml"));
            out.push((f, sidecar));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// How the report names a hop and an input form (written out here, not taken from the CLI).
fn hop_label(hop: &str) -> &'static str {
    match hop {
        "browser" => "your browser",
        "network" => "the network (DNS, connection or TLS)",
        "edge" => "the edge (CDN or front door)",
        "gateway" => "the gateway (load balancer or proxy)",
        "origin" => "the origin (the site's own server)",
        "unknown" => "not known",
        other => panic!("a sidecar names an unknown hop `{other}`"),
    }
}

fn form_label(form: &str) -> &'static str {
    match form {
        "http" => "HTTP response",
        "html" => "HTML page",
        "text" => "text copied off the screen",
        "har" => "HAR file",
        "log" => "log lines",
        "observation" => "browser observation",
        other => panic!("a sidecar names an unknown form `{other}`"),
    }
}

/// The product name the report shows for a source id: the name its rule file declares.
fn source_name(id: &str) -> String {
    match id {
        "custom" => "The site's own error page".to_string(),
        "none" => "Not an error page".to_string(),
        _ => culprit_core::rules::rule(id)
            .map(|r| r.name.to_string())
            .unwrap_or_else(|| panic!("a sidecar names an unknown source `{id}`")),
    }
}

/// Runs the CLI on one fixture twice (`--json`, then the report) and lists every difference
/// from its sidecar.
fn check_fixture(path: &Path, want: &Sidecar) -> Vec<String> {
    let file = path.to_str().expect("utf-8 path");
    let mut problems = Vec::new();

    let o = run(&["--json", file], b"");
    if o.status.code() != Some(0) {
        return vec![format!("--json exited {:?}: {}", o.status, stderr(&o))];
    }
    let got: serde_json::Value = match serde_json::from_slice(&o.stdout) {
        Ok(v) => v,
        Err(e) => return vec![format!("--json printed no JSON: {e}")],
    };
    let mut differs = |what: &str, got: &serde_json::Value, want: serde_json::Value| {
        if *got != want {
            problems.push(format!("{what}: the CLI says {got}, the sidecar {want}"));
        }
    };
    differs("source", &got["source"]["id"], want.source.clone().into());
    match want.status {
        Some(0) => differs("status", &got["status"], serde_json::Value::Null),
        Some(s) => differs("status", &got["status"], s.into()),
        None => {}
    }
    if let Some(hop) = &want.hop {
        differs("hop", &got["failing_hop"]["hop"], hop.clone().into());
    }
    if let Some(form) = &want.form {
        differs("form", &got["input_form"], form.clone().into());
    }

    let o = run(&["--color=never", file], b"");
    if o.status.code() != Some(0) {
        problems.push(format!("the report exited {:?}: {}", o.status, stderr(&o)));
        return problems;
    }
    let text = stdout(&o);
    let field = |label: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("  {label:<14}  ")))
            .map(str::to_string)
    };
    let mut line_differs = |label: &str, ok: bool, want: &str| {
        if !ok {
            problems.push(format!(
                "report line `{label}`: {:?}, the sidecar says {want}",
                field(label)
            ));
        }
    };
    let name = source_name(&want.source);
    let written = field("Written by").unwrap_or_default();
    let ok = if want.source == "none" {
        written == name
    } else {
        written.starts_with(&format!("{name} ("))
    };
    line_differs("Written by", ok, &name);
    match want.status {
        Some(0) => {
            let status = field("Status").unwrap_or_default();
            let numeric = status.starts_with(|c: char| c.is_ascii_digit());
            line_differs("Status", !numeric, "no status");
        }
        Some(s) => {
            let status = field("Status").unwrap_or_default();
            let ok = status == s.to_string() || status.starts_with(&format!("{s} "));
            line_differs("Status", ok, &s.to_string());
        }
        None => {}
    }
    if let Some(hop) = &want.hop {
        let ok = field("Failing hop").as_deref() == Some(hop_label(hop));
        line_differs("Failing hop", ok, hop_label(hop));
    }
    if let Some(form) = &want.form {
        let ok = field("Read as").as_deref() == Some(form_label(form));
        line_differs("Read as", ok, form_label(form));
    }
    problems
}

/// The fixtures the CLI runs on: the first of every source folder and of every input form
/// (each run starts a process; `CULPRIT_CLI_FIXTURES=all` takes every fixture).
fn chosen_fixtures() -> Vec<(PathBuf, Sidecar)> {
    let all = fixtures();
    if std::env::var_os("CULPRIT_CLI_FIXTURES").is_some_and(|v| v == "all") {
        return all;
    }
    let mut folders = std::collections::BTreeSet::new();
    let mut forms = std::collections::BTreeSet::new();
    all.into_iter()
        .filter(|(path, sidecar)| {
            let folder = path.parent().map(Path::to_path_buf);
            let new_folder = folders.insert(folder);
            let new_form = forms.insert(sidecar.form.clone());
            new_folder || new_form
        })
        .collect()
}

#[test]
fn fixtures_agree_with_their_sidecars() {
    let chosen = chosen_fixtures();
    assert!(chosen.len() >= 30, "only {} fixtures found", chosen.len());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let chunk = chosen.len().div_ceil(threads);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = chosen
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter_map(|(path, want)| {
                            let problems = check_fixture(path, want);
                            (!problems.is_empty()).then(|| {
                                format!("{}\n    {}", path.display(), problems.join("\n    "))
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker finished"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} fixture(s) differ from their sidecar:\n{}",
        failures.len(),
        chosen.len(),
        failures.join("\n")
    );
}
