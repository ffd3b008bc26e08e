//! Command-line parsing, by hand: there are only a few flags.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

/// When to colour the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
    Auto,
}

/// Where the input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    Stdin,
    File(PathBuf),
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    Diagnose {
        input: InputSource,
        json: bool,
        color: ColorChoice,
    },
}

/// A usage mistake, shown as one line on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    UnknownOption(String),
    BadColor(String),
    MissingColorValue,
    TooManyFiles,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::UnknownOption(opt) => {
                write!(f, "unknown option '{opt}' (see 'culprit --help')")
            }
            UsageError::BadColor(value) => write!(
                f,
                "--color takes 'always', 'never' or 'auto', not '{value}'"
            ),
            UsageError::MissingColorValue => {
                write!(f, "--color needs a value: always, never or auto")
            }
            UsageError::TooManyFiles => write!(
                f,
                "give at most one file to read (or none to read standard input)"
            ),
        }
    }
}

fn parse_color(value: &str) -> Result<ColorChoice, UsageError> {
    match value {
        "always" => Ok(ColorChoice::Always),
        "never" => Ok(ColorChoice::Never),
        "auto" => Ok(ColorChoice::Auto),
        other => Err(UsageError::BadColor(other.to_string())),
    }
}

/// Parses the arguments after the program name.
///
/// `--help` and `--version` win over everything else, wherever they appear, as long as
/// they come before a `--`.
pub fn parse<I>(args: I) -> Result<Command, UsageError>
where
    I: IntoIterator<Item = OsString>,
{
    let mut json = false;
    let mut color = ColorChoice::Auto;
    let mut files: Vec<OsString> = Vec::new();
    let mut help = false;
    let mut version = false;
    let mut only_files = false;
    let mut first_error: Option<UsageError> = None;

    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if only_files {
            files.push(arg);
            continue;
        }
        // Options are ASCII; anything that is not valid UTF-8 can only be a file name.
        let Some(text) = arg.to_str() else {
            files.push(arg);
            continue;
        };
        match text {
            "--" => only_files = true,
            "-" => files.push(arg.clone()),
            "-h" | "--help" => help = true,
            "-V" | "--version" => version = true,
            "--json" => json = true,
            "--color" | "--colour" => match args.next() {
                Some(value) => match value.to_str().map(parse_color) {
                    Some(Ok(choice)) => color = choice,
                    Some(Err(e)) => {
                        first_error.get_or_insert(e);
                    }
                    None => {
                        first_error.get_or_insert(UsageError::BadColor(
                            value.to_string_lossy().into_owned(),
                        ));
                    }
                },
                None => {
                    first_error.get_or_insert(UsageError::MissingColorValue);
                }
            },
            _ => {
                if let Some(value) = text
                    .strip_prefix("--color=")
                    .or_else(|| text.strip_prefix("--colour="))
                {
                    match parse_color(value) {
                        Ok(choice) => color = choice,
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                } else if text.starts_with('-') && text.len() > 1 {
                    first_error.get_or_insert(UsageError::UnknownOption(text.to_string()));
                } else {
                    files.push(arg.clone());
                }
            }
        }
    }

    if help {
        return Ok(Command::Help);
    }
    if version {
        return Ok(Command::Version);
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    if files.len() > 1 {
        return Err(UsageError::TooManyFiles);
    }
    let input = match files.pop() {
        None => InputSource::Stdin,
        Some(f) if f == "-" => InputSource::Stdin,
        Some(f) => InputSource::File(PathBuf::from(f)),
    };
    Ok(Command::Diagnose { input, json, color })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn defaults_to_stdin_and_auto_colour() {
        assert_eq!(
            p(&[]),
            Ok(Command::Diagnose {
                input: InputSource::Stdin,
                json: false,
                color: ColorChoice::Auto
            })
        );
        assert_eq!(
            p(&["-"]),
            Ok(Command::Diagnose {
                input: InputSource::Stdin,
                json: false,
                color: ColorChoice::Auto
            })
        );
    }

    #[test]
    fn reads_flags_and_file() {
        assert_eq!(
            p(&["--json", "page.html", "--color=never"]),
            Ok(Command::Diagnose {
                input: InputSource::File("page.html".into()),
                json: true,
                color: ColorChoice::Never
            })
        );
        assert_eq!(
            p(&["--color", "always", "x"]),
            Ok(Command::Diagnose {
                input: InputSource::File("x".into()),
                json: false,
                color: ColorChoice::Always
            })
        );
    }

    #[test]
    fn double_dash_allows_dash_names() {
        assert_eq!(
            p(&["--", "--json"]),
            Ok(Command::Diagnose {
                input: InputSource::File("--json".into()),
                json: false,
                color: ColorChoice::Auto
            })
        );
    }

    #[test]
    fn rejects_mistakes() {
        assert_eq!(
            p(&["--frobnicate"]),
            Err(UsageError::UnknownOption("--frobnicate".into()))
        );
        assert_eq!(p(&["-x"]), Err(UsageError::UnknownOption("-x".into())));
        assert_eq!(p(&["a", "b"]), Err(UsageError::TooManyFiles));
        assert_eq!(
            p(&["--color=sometimes"]),
            Err(UsageError::BadColor("sometimes".into()))
        );
        assert_eq!(p(&["--color"]), Err(UsageError::MissingColorValue));
    }

    #[test]
    fn help_and_version_win() {
        assert_eq!(p(&["--bogus", "--help"]), Ok(Command::Help));
        assert_eq!(p(&["a", "b", "-V"]), Ok(Command::Version));
    }
}
