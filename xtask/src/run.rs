//! `cargo xtask run`: builds Culprit and shows it working: the CLI on a sample error page,
//! then the explainer site and the browser extension, built (release); the site is served on
//! 127.0.0.1 until Ctrl-C and the unpacked extension's folder is printed for "Load unpacked".

use crate::proc::{banner, cargo, human, run as run_command, target_dir, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Build with the release profile.
    pub release: bool,
    /// Diagnose this file instead of the bundled sample.
    pub file: Option<PathBuf>,
    /// Serve the site on this port (default: 8080, or a free one if taken).
    pub port: Option<u16>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        crate::exit_if_help(args);
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--release" => options.release = true,
                "--port" => {
                    let value = args
                        .next()
                        .ok_or_else(|| "--port needs a number, e.g. --port 8081".to_string())?;
                    options.port = Some(crate::serve::parse_port(value)?);
                }
                port if port.starts_with("--port=") => {
                    options.port = Some(crate::serve::parse_port(&port["--port=".len()..])?);
                }
                flag if flag.starts_with('-') => {
                    return Err(format!(
                        "unknown option `{flag}` for `cargo xtask run`; see `cargo xtask help`"
                    ));
                }
                file if options.file.is_none() => options.file = Some(PathBuf::from(file)),
                extra => {
                    return Err(format!(
                        "`cargo xtask run` takes one FILE; got `{extra}` too"
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// What the steps hand on to each other.
struct Built {
    cli: PathBuf,
}

pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let built = build(options)?;
    let sample = match &options.file {
        Some(file) => file.clone(),
        None => sample_page()?,
    };
    demo(&built, &sample)?;
    usage(&built);

    let dist = crate::site::build(&crate::site::Options::default())?;
    let extension = crate::extension::build(false)?;
    // Bind before saying anything, so the address printed is the one that answers.
    let listener = crate::serve::bind(options.port)?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("could not read the listening address: {e}"))?
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let rule = "=".repeat(64);
    println!();
    println!("{rule}");
    println!("  The explainer site:  {url}");
    println!(
        "  (static files in {}; any static host can serve them)",
        crate::site::shown(&dist)
    );
    println!(
        "  The browser extension, unpacked: {}",
        crate::site::shown(&extension)
    );
    println!("    Chrome / Edge: chrome://extensions (edge://extensions), Developer mode on,");
    println!("    \"Load unpacked\", choose that folder.");
    println!("    Firefox: about:debugging#/runtime/this-firefox, \"Load Temporary Add-on\",");
    println!("    choose manifest.json in that folder. Store packages: target/dist/*.zip");
    println!(
        "  Built and ready in {}. Ctrl-C stops the server.",
        human(started.elapsed())
    );
    println!("{rule}");
    println!();
    crate::serve::serve(listener, &dist, true)
}

/// Builds everything `run` shows (today: the CLI).
fn build(options: &Options) -> Result<Built, String> {
    let t = banner("xtask run: build the CLI (crates/cli, binary `culprit`)");
    let mut args = vec!["build", "-p", "culprit-cli", "--bin", "culprit"];
    if options.release {
        args.push("--release");
    }
    run_command(&mut cargo(&args))?;
    let profile = if options.release { "release" } else { "debug" };
    let cli = target_dir()
        .join(profile)
        .join(format!("culprit{}", std::env::consts::EXE_SUFFIX));
    if !cli.is_file() {
        return Err(format!(
            "the build finished but {} is missing",
            cli.display()
        ));
    }
    println!("--> built {} ({})", cli.display(), human(t.elapsed()));
    Ok(Built { cli })
}

/// A sample error page: a captured fixture (Cloudflare first, then nginx, then any), or a
/// small built-in page when the fixtures are not there.
fn sample_page() -> Result<PathBuf, String> {
    let fixtures = workspace_root().join("crates/core/tests/fixtures");
    // Preferred: a page that shows a failing hop behind a CDN.
    for preferred in [
        "cloudflare/502-nginx-behind-cloudflare.http",
        "cloudflare/521-web-server-down.html",
    ] {
        let path = fixtures.join(preferred);
        if path.is_file() {
            return Ok(path);
        }
    }
    for source in ["cloudflare", "nginx"] {
        if let Some(found) = first_input(&fixtures.join(source)) {
            return Ok(found);
        }
    }
    let sources: Vec<PathBuf> = read_dir_sorted(&fixtures)
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    if let Some(found) = sources.iter().find_map(|dir| first_input(dir)) {
        return Ok(found);
    }
    let dir = target_dir().join("xtask");
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let file = dir.join("sample-nginx-502.http");
    std::fs::write(&file, BUILT_IN_SAMPLE)
        .map_err(|e| format!("could not write {}: {e}", file.display()))?;
    Ok(file)
}

/// nginx's own 502 page as a raw HTTP response.
const BUILT_IN_SAMPLE: &str = "HTTP/1.1 502 Bad Gateway\r\n\
Server: nginx/1.22.1\r\n\
Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n\
Content-Type: text/html\r\n\
Content-Length: 157\r\n\
Connection: keep-alive\r\n\
\r\n\
<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n\
</body>\r\n</html>\r\n";

/// The first fixture input in `dir` (not its `.toml` expectation or `.diagnosis.json`
/// snapshot), preferring raw responses and HTML pages.
fn first_input(dir: &Path) -> Option<PathBuf> {
    let files = read_dir_sorted(dir);
    ["http", "html", "txt"].iter().find_map(|ext| {
        files
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == *ext))
            .cloned()
    })
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// Runs the CLI on `sample`.
fn demo(built: &Built, sample: &Path) -> Result<(), String> {
    banner(&format!(
        "xtask run: culprit {}",
        crate::site::shown(sample)
    ));
    run_command(Command::new(&built.cli).arg(sample))
}

fn usage(built: &Built) {
    let cli = crate::site::shown(&built.cli);
    let lines = [
        (
            format!("{cli} saved-page.html"),
            "a saved page, raw response, curl -v output, HAR, log lines",
        ),
        (
            format!("curl -sv https://example.com/ 2>&1 | {cli}"),
            "straight from curl",
        ),
        (
            format!("{cli} --json saved-page.html"),
            "the diagnosis as JSON",
        ),
        (
            "cargo run -q -p culprit-cli -- FILE".to_string(),
            "the same through cargo",
        ),
        (format!("{cli} --help"), "every option"),
    ];
    let width = lines.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    println!();
    println!("Use it on your own error page:");
    for (command, comment) in &lines {
        println!("  {command:<width$}  # {comment}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let parse = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            Options::parse(&args)
        };
        assert_eq!(parse(&[]), Ok(Options::default()));
        assert_eq!(
            parse(&["--release", "x.html"]),
            Ok(Options {
                release: true,
                file: Some(PathBuf::from("x.html")),
                port: None
            })
        );
        assert_eq!(parse(&["--port", "9000"]).map(|o| o.port), Ok(Some(9000)));
        assert_eq!(parse(&["--port=0"]).map(|o| o.port), Ok(Some(0)));
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["a", "b"]).is_err());
        assert!(parse(&["--nope"]).is_err());
    }

    #[test]
    fn the_built_in_sample_is_a_complete_response() {
        let (_, body) = BUILT_IN_SAMPLE.split_once("\r\n\r\n").unwrap_or(("", ""));
        assert_eq!(body.len(), 157);
    }
}
