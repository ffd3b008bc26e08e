//! `cargo xtask test`: every check, in order, stopping at the first failure.

use crate::install::{self, WASM_TARGET};
use crate::proc::{
    self, ChildGuard, Counts, banner, cargo, human, run as run_command, run_node_tests, run_tests,
    target_dir, workspace_root,
};
use crate::site;
use crate::site::json_string;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Install,
    Fmt,
    Clippy,
    Test,
    Fuzz,
    Wasm,
    Perf,
    Site,
    E2e,
    Extension,
}

impl Step {
    const ALL: [Step; 10] = [
        Step::Install,
        Step::Fmt,
        Step::Clippy,
        Step::Test,
        Step::Fuzz,
        Step::Wasm,
        Step::Perf,
        Step::Site,
        Step::E2e,
        Step::Extension,
    ];

    fn name(self) -> &'static str {
        match self {
            Step::Install => "install",
            Step::Fmt => "fmt",
            Step::Clippy => "clippy",
            Step::Test => "test",
            Step::Fuzz => "fuzz",
            Step::Wasm => "wasm",
            Step::Perf => "perf",
            Step::Site => "site",
            Step::E2e => "e2e",
            Step::Extension => "extension",
        }
    }

    fn from_name(name: &str) -> Result<Step, String> {
        Step::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Step::ALL.iter().map(|s| s.name()).collect();
                format!("unknown step `{name}`; the steps are {}", names.join(", "))
            })
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub steps: Vec<Step>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        crate::exit_if_help(args);
        let mut only: Vec<Step> = Vec::new();
        let mut skip: Vec<Step> = Vec::new();
        let mut flags = crate::Flags::new(args);
        while let Some((flag, inline)) = flags.next() {
            match flag {
                "--no-install" => skip.push(Step::Install),
                "--only" | "--skip" => {
                    let value = flags.value(
                        inline,
                        &format!("{flag} needs a step name, e.g. {flag} wasm"),
                    )?;
                    let target = if flag == "--only" {
                        &mut only
                    } else {
                        &mut skip
                    };
                    for name in value.split(',').filter(|n| !n.is_empty()) {
                        target.push(Step::from_name(name.trim())?);
                    }
                }
                other => {
                    return Err(format!(
                        "unknown option `{other}` for `cargo xtask test`; see `cargo xtask help`"
                    ));
                }
            }
        }
        let steps = Step::ALL
            .into_iter()
            .filter(|s| only.is_empty() || only.contains(s))
            .filter(|s| !skip.contains(s))
            .collect();
        Ok(Options { steps })
    }
}

pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let mut counts = Counts::default();
    let mut timings: Vec<(Step, Duration)> = Vec::new();
    for &step in &options.steps {
        let step_started = banner(&format!("xtask test: {}", step.name()));
        let result = match step {
            Step::Install => install::install(),
            Step::Fmt => run_command(&mut cargo(["fmt", "--all", "--", "--check"])).map_err(|e| {
                format!("{e}\n  formatting differs: run `cargo fmt --all` and commit the result")
            }),
            Step::Clippy => run_command(&mut cargo([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
            // The extension's bindings to the browser compile for wasm32 only.
            .and_then(|()| {
                run_command(&mut cargo([
                    "clippy",
                    "-p",
                    "culprit-extension",
                    "--target",
                    WASM_TARGET,
                    "--",
                    "-D",
                    "warnings",
                ]))
            }),
            Step::Test => run_tests(&mut cargo(["test", "--workspace"])).map(|c| counts.add(c)),
            Step::Fuzz => fuzz(),
            Step::Wasm => wasm().map(|c| counts.add(c)),
            Step::Perf => crate::perf::Options::parse(&[]).and_then(|o| crate::perf::run(&o)),
            Step::Site => site::build(&site::Options::default()).map(|_| ()),
            Step::E2e => e2e().map(|c| counts.add(c)),
            Step::Extension => crate::extension::test().map(|c| counts.add(c)),
        };
        let took = step_started.elapsed();
        timings.push((step, took));
        if let Err(message) = result {
            println!();
            println!("{}", timing_line(&timings, started.elapsed()));
            proc::flush();
            return Err(format!(
                "step `{}` failed after {}: {message}\n  re-run just this step with: cargo \
                 xtask test --only {}",
                step.name(),
                human(took),
                step.name()
            ));
        }
        println!("--> {} ok ({})", step.name(), human(took));
    }
    println!();
    println!("{}", timing_line(&timings, started.elapsed()));
    println!(
        "summary: {} passed, {} failed, {} skipped",
        counts.passed, counts.failed, counts.ignored
    );
    Ok(())
}

fn timing_line(timings: &[(Step, Duration)], total: Duration) -> String {
    let parts: Vec<String> = timings
        .iter()
        .map(|(step, took)| format!("{} {}", step.name(), human(*took)))
        .collect();
    format!(
        "xtask test: steps {} (total {})",
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join(", ")
        },
        human(total)
    )
}

/// `fuzz/` on stable Rust: builds the fuzz target as a plain program (feature `replay`
/// instead of libFuzzer, which needs nightly), replays every fixture through it, then feeds it
/// mutations of them spliced with `fuzz/diagnose.dict` for a few seconds.
fn fuzz() -> Result<(), String> {
    let fuzz_dir = workspace_root().join("fuzz");
    let manifest = fuzz_dir.join("Cargo.toml");
    // Its own target folder under the workspace's (which honours CARGO_TARGET_DIR), so the
    // program is where this step looks for it.
    let target = crate::proc::target_dir().join("fuzz");
    let mut build = cargo(["build", "--no-default-features", "--features", "replay"]);
    build
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target);
    run_command(&mut build)?;
    let program = target.join("debug/diagnose");
    let mut replay = Command::new(&program);
    replay
        .arg(format!(
            "-dict={}",
            fuzz_dir.join("diagnose.dict").display()
        ))
        .arg("-max_total_time=5")
        .arg(workspace_root().join("crates/core/tests/fixtures"));
    run_command(&mut replay)
}

/// The core's wasm test in headless Chromium, with the runner built from source.
fn wasm() -> Result<Counts, String> {
    let runner_dir = build_runner()?;
    let chromedriver = find_chromedriver()?;
    let xtask_dir = target_dir().join("xtask");
    let profile = xtask_dir.join(format!("chromium-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile)
        .map_err(|e| format!("could not create {}: {e}", profile.display()))?;
    let webdriver_json = xtask_dir.join("webdriver.json");
    std::fs::write(&webdriver_json, webdriver_capabilities(&profile))
        .map_err(|e| format!("could not write {}: {e}", webdriver_json.display()))?;

    let result = (|| {
        let path = prepend_path(&runner_dir)?;
        let mut test = cargo([
            "test",
            "-p",
            "culprit-core",
            "--target",
            WASM_TARGET,
            "--test",
            "wasm",
            // Prints the first diagnosis's time in the fresh instance.
            "--",
            "--nocapture",
        ]);
        test.env("PATH", path)
            .env("CHROMEDRIVER", &chromedriver)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json);
        // Two shared cores and a cold browser: allow more than the 20 s default.
        for (var, default) in [
            ("WASM_BINDGEN_TEST_TIMEOUT", "120"),
            ("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "30"),
        ] {
            if std::env::var_os(var).is_none() {
                test.env(var, default);
            }
        }
        let counts = run_tests(&mut test)?;
        // The wasm test is compiled out of native builds, so the clippy step never sees it:
        // lint it for wasm32 here (after the browser run, so lint trouble elsewhere in the
        // core does not hide the browser's answer).
        run_command(&mut cargo([
            "clippy",
            "-p",
            "culprit-core",
            "--target",
            WASM_TARGET,
            "--test",
            "wasm",
            "--",
            "-D",
            "warnings",
        ]))?;
        Ok(counts)
    })();
    let _ = std::fs::remove_dir_all(&profile);
    result
}

/// The site's end-to-end tests (`tests/e2e/`, node:test + playwright-core in headless
/// Chromium) against the built site, served by `cargo xtask serve` on a free port.
fn e2e() -> Result<Counts, String> {
    let dist = site::dist_dir();
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no built site: run the `site` step first (cargo xtask build)",
            dist.display()
        ));
    }
    crate::npm::ensure_packages()?;
    if proc::which("node").is_none() {
        return Err("node is not on PATH: run the install step (cargo xtask test)".to_string());
    }
    let (server, url) = start_server(&dist)?;
    let mut node = Command::new("node");
    node.args([
        "--test",
        "--test-concurrency=1",
        &format!("--test-timeout={}", crate::proc::NODE_TEST_TIMEOUT_MS),
        "--test-reporter=spec",
        "tests/e2e/",
    ])
    .current_dir(workspace_root())
    .env("CULPRIT_SITE_URL", &url)
    .env("CULPRIT_DIST", &dist);
    let result = run_node_tests(&mut node);
    // Stops the server (by its PID), also when the tests failed.
    drop(server);
    result
}

/// Starts `xtask serve --port 0` over `dist` as a child process and reads its URL from the
/// first line it prints.
fn start_server(dist: &Path) -> Result<(ChildGuard, String), String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("could not find the running xtask binary: {e}"))?;
    let mut command = Command::new(exe);
    command
        .args(["serve", "--port", "0", "--dir"])
        .arg(dist)
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    println!("$ {}", proc::describe(&command));
    let mut guard = ChildGuard(
        command
            .spawn()
            .map_err(|e| format!("could not start the site server: {e}"))?,
    );
    let stdout = guard
        .0
        .stdout
        .take()
        .ok_or_else(|| "the site server's output is not connected".to_string())?;
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|e| format!("could not read the site server's first line: {e}"))?;
    let url = first
        .trim()
        .strip_prefix("serving ")
        .filter(|u| u.starts_with("http://127.0.0.1:"))
        .map(str::to_string)
        .ok_or_else(|| {
            format!(
                "the site server did not start (it printed `{}` instead of `serving URL`)",
                first.trim()
            )
        })?;
    println!("site server: pid {}, {url}", guard.0.id());
    // Keep reading (and dropping) whatever else it prints, so it never blocks on a full pipe.
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut reader.take(u64::MAX), &mut std::io::sink());
    });
    Ok((guard, url))
}

/// Builds `wasm-bindgen-test-runner` (a bin of this package, feature `wasm-runner`) and
/// returns a folder holding only it, to put first on `PATH`.
fn build_runner() -> Result<PathBuf, String> {
    let name = format!("wasm-bindgen-test-runner{}", std::env::consts::EXE_SUFFIX);
    run_command(&mut cargo([
        "build",
        "-p",
        "xtask",
        "--features",
        "wasm-runner",
        "--bin",
        "wasm-bindgen-test-runner",
    ]))?;
    let built = target_dir().join("debug").join(&name);
    let dir = target_dir().join("xtask").join("bin");
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let copy = dir.join(&name);
    std::fs::copy(&built, &copy).map_err(|e| {
        format!(
            "could not copy {} to {}: {e}",
            built.display(),
            copy.display()
        )
    })?;
    Ok(dir)
}

fn find_chromedriver() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CHROMEDRIVER").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let debian = Path::new("/usr/bin/chromedriver");
    if debian.is_file() {
        return Ok(debian.to_path_buf());
    }
    proc::which("chromedriver").ok_or_else(|| {
        "chromedriver not found: run `cargo xtask test` without --no-install, or `apt-get \
         install chromium chromium-driver`, or set CHROMEDRIVER"
            .to_string()
    })
}

/// WebDriver capabilities for headless Chromium as root. The runner itself adds `headless`,
/// `no-sandbox` and `disable-dev-shm-usage` to these.
fn webdriver_capabilities(profile: &Path) -> String {
    let mut args: Vec<String> = [
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let args: Vec<String> = args.iter().map(|a| json_string(a)).collect();
    let binary = Path::new("/usr/bin/chromium");
    let binary = if binary.is_file() {
        format!(",\n    \"binary\": {}", json_string("/usr/bin/chromium"))
    } else {
        String::new()
    };
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"args\": [{}]{binary}\n  }}\n}}\n",
        args.join(", ")
    )
}

fn prepend_path(dir: &Path) -> Result<std::ffi::OsString, String> {
    let mut paths = vec![dir.to_path_buf()];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).map_err(|e| format!("could not build PATH: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Vec<Step>, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Options::parse(&args).map(|o| o.steps)
    }

    #[test]
    fn parses_step_selection() {
        assert_eq!(parse(&[]), Ok(Step::ALL.to_vec()));
        assert_eq!(
            parse(&["--no-install"]),
            Ok(vec![
                Step::Fmt,
                Step::Clippy,
                Step::Test,
                Step::Fuzz,
                Step::Wasm,
                Step::Perf,
                Step::Site,
                Step::E2e,
                Step::Extension
            ])
        );
        assert_eq!(parse(&["--only", "wasm"]), Ok(vec![Step::Wasm]));
        assert_eq!(
            parse(&["--only=fmt,clippy"]),
            Ok(vec![Step::Fmt, Step::Clippy])
        );
        assert_eq!(
            parse(&[
                "--skip",
                "wasm,perf,site,e2e,extension",
                "--skip",
                "install"
            ]),
            Ok(vec![Step::Fmt, Step::Clippy, Step::Test, Step::Fuzz])
        );
        assert!(parse(&["--only", "nope"]).is_err());
        assert!(parse(&["--only"]).is_err());
        assert!(parse(&["--frobnicate"]).is_err());
    }

    #[test]
    fn capabilities_are_json_with_a_fresh_profile() {
        let json = webdriver_capabilities(Path::new("/tmp/a \"b\""));
        assert!(json.contains("\"--user-data-dir=/tmp/a \\\"b\\\"\""));
        assert!(json.contains("\"--disable-gpu\""));
    }
}
