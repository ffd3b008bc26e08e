//! Errors are values with a message a person understands.

use std::fmt;

/// Why an input could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Nothing but whitespace.
    Empty,
    /// Mostly binary bytes (an image, an archive, compressed data).
    Binary,
    /// Looked like a HAR file or an observation but was not valid JSON of that shape.
    BadJson(String),
    /// A HAR file with no entries.
    EmptyHar,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => write!(
                f,
                "the input is empty: paste an error page, a response or log lines"
            ),
            InputError::Binary => write!(
                f,
                "the input looks like binary data (an image, archive or compressed body), not an error page"
            ),
            InputError::BadJson(why) => {
                write!(f, "the input looks like JSON but could not be read: {why}")
            }
            InputError::EmptyHar => write!(f, "the HAR file holds no requests"),
        }
    }
}

impl std::error::Error for InputError {}
