//! Project automation for Culprit, run as `cargo xtask <command>`.
//!
//! - `cargo xtask test`: installs what the tests need, then runs every check CI runs.
//! - `cargo xtask run`: builds Culprit and shows it working on a sample error page.
//!
//! Dependency-light on purpose: `std::process::Command` and hand-rolled argument parsing.

mod install;
mod proc;
mod run;
mod test;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask: Culprit's project automation

USAGE:
    cargo xtask test [OPTIONS]   install what the tests need, then run every check
    cargo xtask run [OPTIONS]    build Culprit and run it on a sample error page
    cargo xtask help             print this help

TEST STEPS, in order (names for --only / --skip):
    install   rustup target wasm32-unknown-unknown (+ rustfmt, clippy) and the Debian
              packages the tests use (chromium, chromium-driver, web servers and proxies);
              installs only what is missing, with services kept from starting
    fmt       cargo fmt --all -- --check
    clippy    cargo clippy --workspace --all-targets -- -D warnings
    test      cargo test --workspace   (includes the live-server tests, package culprit-tests)
    wasm      the core's test in headless Chromium:
              cargo test -p culprit-core --target wasm32-unknown-unknown --test wasm

TEST OPTIONS:
    --no-install         skip the install step (same as --skip install)
    --only STEP[,STEP]   run only these steps (repeatable)
    --skip STEP[,STEP]   skip these steps (repeatable)

RUN OPTIONS:
    --release            build the CLI with the release profile (slower to build)
    FILE                 diagnose FILE instead of the bundled sample

ENVIRONMENT:
    CHROMEDRIVER                 chromedriver to use (default /usr/bin/chromedriver)
    WASM_BINDGEN_TEST_TIMEOUT    seconds the browser test may take (default here 120)
    CARGO_TARGET_DIR             honoured for every build

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

/// Returns `true` when `args` asks for help.
fn wants_help(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "-h" || a == "--help" || a == "help")
}
