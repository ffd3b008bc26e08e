//! Runs the built `culprit` binary: exit codes, JSON shape, colour, stdin and files.

// Tests stop at the first surprise; that is what expect() is for here.
#![allow(clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;
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
fn unreadable_input_shows_the_core_message() {
    for input in [&b""[..], b"   \n\t\n", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66\0\0\0\x01sRGB\0\xae\xce\x1c\xe9\0\0\0\x04gAMA\0\0\xb1\x8f\x0b\xfc\x61\x05"] {
        let o = run(&[], input);
        match culprit_core::diagnose(input) {
            Err(e) => {
                let err = assert_usage_failure(&o);
                assert_eq!(err, format!("culprit: {e}\n"));
            }
            Ok(_) => assert_eq!(o.status.code(), Some(0), "{}", stderr(&o)),
        }
    }
    // Empty input is always refused.
    let err = assert_usage_failure(&run(&[], b""));
    assert_eq!(
        err,
        format!("culprit: {}\n", culprit_core::InputError::Empty)
    );
}

#[test]
fn json_is_the_diagnosis() {
    let o = run(&["--json"], NGINX_502.as_bytes());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let want = serde_json::to_value(
        culprit_core::diagnose(NGINX_502.as_bytes()).expect("the sample is readable"),
    )
    .expect("a diagnosis serialises");
    assert_eq!(got, want);

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
    match culprit_core::diagnose(PLAIN_TEXT.as_bytes()) {
        Ok(_) => {
            assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
            assert!(!o.stdout.is_empty());
        }
        Err(e) => {
            assert_eq!(assert_usage_failure(&o), format!("culprit: {e}\n"));
        }
    }
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
