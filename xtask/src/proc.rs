//! Running child processes: streaming their output, reading test counts, locating things.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root (the folder holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR` / `CARGO_BUILD_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    let root = workspace_root();
    for var in ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"] {
        if let Some(dir) = std::env::var_os(var).filter(|d| !d.is_empty()) {
            return root.join(dir);
        }
    }
    root.join("target")
}

/// A `cargo` command run from the workspace root (the cargo that started xtask, if known).
pub fn cargo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(workspace_root());
    command
}

/// How a command line reads to a person.
pub fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    let mut text = program;
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs `command` with inherited output; errors if it cannot start or exits non-zero.
pub fn run(command: &mut Command) -> Result<(), String> {
    let line = describe(command);
    println!("$ {line}");
    flush();
    let status = command
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Runs `command` and returns its standard output, or `None` if it fails or is missing.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Test counts read from libtest's `test result:` lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }

    /// Reads one line of test output: `test result: ok. 3 passed; 0 failed; 1 ignored; ...`.
    pub fn parse_line(line: &str) -> Option<Counts> {
        let rest = line.trim().strip_prefix("test result: ")?;
        let (_verdict, rest) = rest.split_once(". ")?;
        let mut counts = Counts::default();
        let mut found = false;
        for part in rest.split(';') {
            let mut words = part.split_whitespace();
            let (Some(number), Some(word)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match word {
                "passed" => counts.passed = number,
                "failed" => counts.failed = number,
                "ignored" => counts.ignored = number,
                _ => continue,
            }
            found = true;
        }
        found.then_some(counts)
    }

    /// Reads one summary line of `node --test`: `ℹ pass 3`, `ℹ fail 0`, `ℹ skipped 1`
    /// (spec reporter) or `# pass 3` (TAP). Other lines give `None`.
    pub fn parse_node_line(line: &str) -> Option<Counts> {
        let line = line.trim();
        let rest = line
            .strip_prefix("\u{2139} ")
            .or_else(|| line.strip_prefix("# "))?;
        let (word, number) = rest.split_once(' ')?;
        let number = number.trim().parse::<u64>().ok()?;
        let mut counts = Counts::default();
        match word {
            "pass" => counts.passed = number,
            "fail" => counts.failed = number,
            "skipped" | "todo" => counts.ignored = number,
            _ => return None,
        }
        Some(counts)
    }
}

/// A child process stopped (by its PID, through `Child::kill`) and reaped when this is
/// dropped, whatever happened in between.
pub struct ChildGuard(pub std::process::Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a test command, streaming its output as it comes, and adds up the test counts it
/// prints. Errors if it cannot start or exits non-zero.
pub fn run_tests(command: &mut Command) -> Result<Counts, String> {
    run_counting(command, Counts::parse_line)
}

/// The most any one test (and any one test file) run by `node --test` may take: a browser
/// call that never answers then fails its test instead of stalling the whole run.
pub const NODE_TEST_TIMEOUT_MS: u32 = 300_000;

/// Like `run_tests`, for `node --test`: reads its closing summary (`ℹ pass 3` with the spec
/// reporter, `# pass 3` with TAP).
pub fn run_node_tests(command: &mut Command) -> Result<Counts, String> {
    run_counting(command, Counts::parse_node_line)
}

fn run_counting(
    command: &mut Command,
    mut parse: impl FnMut(&str) -> Option<Counts>,
) -> Result<Counts, String> {
    let line = describe(command);
    println!("$ {line}");
    flush();
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    let mut counts = Counts::default();
    if let Some(stdout) = child.stdout.take() {
        let mut reader = BufReader::new(stdout);
        let mut buffer = Vec::new();
        let mut out = std::io::stdout();
        loop {
            buffer.clear();
            match reader.read_until(b'\n', &mut buffer) {
                Ok(0) => break,
                Ok(_) => {
                    // A closed stdout (e.g. `| head`) must not stop the tests.
                    let _ = out.write_all(&buffer);
                    let _ = out.flush();
                    if let Some(found) = parse(&String::from_utf8_lossy(&buffer)) {
                        counts.add(found);
                    }
                }
                Err(e) => {
                    eprintln!("xtask: could not read the output of `{line}`: {e}");
                    break;
                }
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("could not wait for `{line}`: {e}"))?;
    if status.success() {
        Ok(counts)
    } else {
        Err(format!(
            "`{line}` failed ({status}); {} passed, {} failed",
            counts.passed, counts.failed
        ))
    }
}

/// Finds `name` on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// `1m 05s` or `4.2s`.
pub fn human(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        let whole = duration.as_secs();
        format!("{}m {:02}s", whole / 60, whole % 60)
    }
}

/// Prints a banner for a step and returns when it started.
pub fn banner(title: &str) -> Instant {
    println!();
    println!("==> {title}");
    flush();
    Instant::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_result_lines() {
        let ok = "test result: ok. 12 passed; 0 failed; 3 ignored; 0 measured; 0 filtered out; \
                  finished in 0.01s";
        assert_eq!(
            Counts::parse_line(ok),
            Some(Counts {
                passed: 12,
                failed: 0,
                ignored: 3
            })
        );
        let failed = "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured";
        assert_eq!(
            Counts::parse_line(failed),
            Some(Counts {
                passed: 1,
                failed: 2,
                ignored: 0
            })
        );
        assert_eq!(Counts::parse_line("test foo ... ok"), None);
        assert_eq!(Counts::parse_line("running 3 tests"), None);
    }

    #[test]
    fn reads_node_test_summaries() {
        let pass = Counts::parse_node_line("\u{2139} pass 12\n");
        assert_eq!(pass.map(|c| c.passed), Some(12));
        let fail = Counts::parse_node_line("# fail 2");
        assert_eq!(fail.map(|c| c.failed), Some(2));
        let skipped = Counts::parse_node_line("\u{2139} skipped 1");
        assert_eq!(skipped.map(|c| c.ignored), Some(1));
        assert_eq!(Counts::parse_node_line("\u{2139} tests 15"), None);
        assert_eq!(Counts::parse_node_line("# Subtest: pass 3"), None);
        assert_eq!(Counts::parse_node_line("ok 1 - pass 3"), None);
    }

    #[test]
    fn formats_durations() {
        assert_eq!(human(Duration::from_millis(4200)), "4.2s");
        assert_eq!(human(Duration::from_secs(65)), "1m 05s");
    }
}
