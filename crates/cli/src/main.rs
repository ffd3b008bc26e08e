//! `culprit`: reads an error page (a file or standard input) and says who wrote it, which
//! hop failed, and what to do about it.

mod args;
mod render;

use args::{ColorChoice, Command, InputSource};
use culprit_core::{Diagnosis, ReadPlan};
use std::io::{self, IsTerminal, Read, Seek, SeekFrom, Write};
use std::process::ExitCode;

/// The most input read; a saved page or HAR file over this is almost certainly a mistake.
const MAX_INPUT: u64 = 256 * 1024 * 1024;
const MAX_INPUT_TEXT: &str = "256 MB";

const HELP: &str = "\
culprit: says who wrote an error page, which hop failed, and what to do next.

Usage:
  culprit [OPTIONS] [FILE]

FILE is a raw HTTP response or curl -i / curl -v output, a saved HTML page,
text copied off the screen, a HAR file, or proxy log lines. With no FILE, or
when FILE is -, culprit reads standard input.

Options:
  --json                Print the diagnosis as JSON instead of a report
  --color=WHEN          Colour the report: auto (default), always or never.
                        auto colours only when writing to a terminal and the
                        NO_COLOR environment variable is not set
  -h, --help            Print this help
  -V, --version         Print the version

Exit status:
  0  a diagnosis was printed (even when the input is not an error page)
  1  the report could not be written
  2  the input could not be read, or the command line was wrong

Examples:
  curl -sv https://example.com/ 2>&1 | culprit
  culprit saved-page.html
  culprit --json session.har
";

/// A failure that ends the run: its one-line message and exit status.
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // Nothing sensible is left to do if stderr is gone too.
            let _ = writeln!(io::stderr().lock(), "culprit: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run() -> Result<(), Failure> {
    let command =
        args::parse(std::env::args_os().skip(1)).map_err(|e| Failure::usage(e.to_string()))?;
    let (input, json, color) = match command {
        Command::Help => return emit(HELP),
        Command::Version => {
            return emit(&format!("culprit {}\n", env!("CARGO_PKG_VERSION")));
        }
        Command::Diagnose { input, json, color } => (input, json, color),
    };

    let diagnosis = diagnose_input(&input)?;

    let text = if json {
        let mut s = serde_json::to_string_pretty(&diagnosis).map_err(|e| Failure {
            message: format!("cannot write the diagnosis as JSON: {e}"),
            code: 1,
        })?;
        s.push('\n');
        s
    } else {
        let stdout_is_terminal = io::stdout().is_terminal();
        let style = render::Style {
            color: use_color(color, stdout_is_terminal),
            width: report_width(stdout_is_terminal),
        };
        render::render(&diagnosis, style)
    };
    emit(&text)
}

/// Writes to stdout. A closed pipe (`culprit page | head`) is not an error.
fn emit(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            message: format!("cannot write the report: {}", io_message(&e)),
            code: 1,
        }),
    }
}

fn use_color(choice: ColorChoice, stdout_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            // https://no-color.org: set and not empty means no colour.
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
            stdout_is_terminal && !no_color && !dumb
        }
    }
}

/// 80 columns, or the terminal's width from `COLUMNS` when writing to a terminal.
fn report_width(stdout_is_terminal: bool) -> usize {
    if stdout_is_terminal
        && let Some(cols) = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return cols.clamp(40, 120);
    }
    80
}

/// Reads the input and diagnoses it. A large regular file is first read only in the parts
/// the core looks at (its head and tail, see `culprit_core::read_plan`); it is read whole
/// only when those parts do not settle the answer.
fn diagnose_input(source: &InputSource) -> Result<Diagnosis, Failure> {
    let bytes = match source {
        InputSource::Stdin => {
            let stdin = io::stdin();
            if stdin.is_terminal() {
                let _ = writeln!(
                    io::stderr().lock(),
                    "culprit: reading the page from the terminal; paste it, then press Ctrl-D"
                );
            }
            read_capped(stdin.lock(), "standard input", 0)?
        }
        InputSource::File(path) => {
            let name = path.display().to_string();
            let mut file = std::fs::File::open(path)
                .map_err(|e| Failure::usage(format!("cannot read {name}: {}", io_message(&e))))?;
            // A regular file's size is known up front: refuse a huge one before reading, and
            // read the rest into one buffer of the right size (no growing and copying).
            let mut size = 0;
            if let Ok(meta) = file.metadata()
                && meta.is_file()
            {
                if meta.len() > MAX_INPUT {
                    return Err(too_big(&name));
                }
                if let ReadPlan::Parts { head, tail } = culprit_core::read_plan(meta.len())
                    && let Some(d) = diagnose_parts(&mut file, meta.len(), head, tail)
                {
                    return Ok(d);
                }
                // From the start again, whatever reading the parts did.
                file.seek(SeekFrom::Start(0)).map_err(|e| {
                    Failure::usage(format!("cannot read {name}: {}", io_message(&e)))
                })?;
                size = usize::try_from(meta.len()).unwrap_or(0);
            }
            read_capped(file, &name, size)?
        }
    };
    culprit_core::diagnose(&bytes).map_err(|e| Failure::usage(e.to_string()))
}

/// The diagnosis from the first `head` and last `tail` bytes of a file of `len` bytes;
/// `None` when they cannot be read (the file changed) or do not settle the answer.
fn diagnose_parts(
    file: &mut std::fs::File,
    len: u64,
    head: usize,
    tail: usize,
) -> Option<Diagnosis> {
    let mut h = vec![0; head];
    file.read_exact(&mut h).ok()?;
    let tail_at = len.checked_sub(u64::try_from(tail).ok()?)?;
    file.seek(SeekFrom::Start(tail_at)).ok()?;
    let mut t = vec![0; tail];
    file.read_exact(&mut t).ok()?;
    culprit_core::diagnose_parts(&h, &t, len)
}

fn read_capped(reader: impl Read, name: &str, size_hint: usize) -> Result<Vec<u8>, Failure> {
    // One byte more than the hint, so that reading to the end needs no second allocation.
    let mut bytes = Vec::with_capacity(size_hint.saturating_add(1));
    reader
        .take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::usage(format!("cannot read {name}: {}", io_message(&e))))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(too_big(name));
    }
    Ok(bytes)
}

fn too_big(name: &str) -> Failure {
    Failure::usage(format!(
        "{name} is larger than {MAX_INPUT_TEXT}, the most culprit reads; \
         cut it down to the failing response"
    ))
}

/// An I/O error's message without the "(os error 2)" suffix.
fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}
