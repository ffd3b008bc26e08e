//! Diagnosing a large input from its first and last bytes only.
//!
//! The engine looks for signatures in the first 512 KiB and last 64 KiB of a large response
//! body, so a caller that holds a file (the CLI) need not read megabytes it will never
//! look at. [`read_plan`] says which parts to read; [`diagnose_parts`] diagnoses them, and
//! gives exactly the answer [`crate::diagnose`] gives on the whole input, or `None` when
//! the parts cannot prove that (pasted text and HTML are read whole, and so are JSON, curl
//! -v output, chunked bodies and heads too long to fit): the caller then reads the whole.

use crate::engine::{self, WINDOW_HEAD, WINDOW_TAIL, Window};
use crate::input;
use crate::model::{Diagnosis, InputForm};
use std::borrow::Cow;

/// Room for a response's status line, headers and curl chatter before its body's window.
const HEAD_ROOM: usize = 64 * 1024;
/// The first bytes of a large input that [`diagnose_parts`] needs.
const PLAN_HEAD: usize = WINDOW_HEAD + HEAD_ROOM;
/// The last bytes of a large input that [`diagnose_parts`] needs.
const PLAN_TAIL: usize = WINDOW_TAIL;

/// How to read an input of known length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadPlan {
    /// Read it whole and call [`crate::diagnose`].
    Whole,
    /// Read its first `head` and last `tail` bytes and call [`diagnose_parts`] (and when
    /// that returns `None`, read it whole after all).
    Parts { head: usize, tail: usize },
}

/// How to read an input of `len` bytes: in parts when they are at most half of it.
pub fn read_plan(len: u64) -> ReadPlan {
    let parts = (PLAN_HEAD + PLAN_TAIL) as u64;
    if len >= 2 * parts {
        ReadPlan::Parts {
            head: PLAN_HEAD,
            tail: PLAN_TAIL,
        }
    } else {
        ReadPlan::Whole
    }
}

/// Diagnoses an input of `len` bytes from its first bytes `head` and its last bytes `tail`
/// (as [`read_plan`] asked for). Returns what [`crate::diagnose`] returns on the whole
/// input, or `None` when the parts do not determine it.
pub fn diagnose_parts(head: &[u8], tail: &[u8], len: u64) -> Option<Diagnosis> {
    let len = usize::try_from(len).ok()?;
    let gap = len.checked_sub(head.len())?.checked_sub(tail.len())?;
    if gap == 0 || tail.len() < WINDOW_TAIL {
        return None;
    }
    // JSON (HAR, observations) is parsed whole.
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return None;
    }
    let o = input::read(head).ok()?;
    // Only a raw response whose body runs on past the head as it is (not decoded from
    // chunks, not stripped of curl chatter, not set aside as binary) is windowed the same.
    let chunked = o
        .headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
    if o.form != InputForm::Http || chunked {
        return None;
    }
    let Cow::Borrowed(body) = &o.body else {
        return None;
    };
    if !std::ptr::eq(body.as_ptr_range().end, head.as_ptr_range().end)
        || body.len() < WINDOW_HEAD
        || !starts_with_content(body)
    {
        return None;
    }
    let body_len = body.len() + gap + tail.len();
    if !engine::is_windowed(o.form, body_len) {
        return None;
    }
    let w = Window {
        head: body.get(..WINDOW_HEAD)?,
        tail: Some((
            body_len - WINDOW_TAIL,
            tail.get(tail.len() - WINDOW_TAIL..)?,
        )),
        len: body_len,
    };
    Some(engine::diagnose_window(&o, w))
}

/// Whether the body's first line that is neither blank nor curl chatter ends inside it: the
/// reader stops looking for a further response there, whatever follows.
fn starts_with_content(body: &[u8]) -> bool {
    let mut rest = body;
    while let Some(nl) = memchr::memchr(b'\n', rest) {
        let Some((line, after)) = rest.split_at_checked(nl) else {
            return false;
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !(line.iter().all(u8::is_ascii_whitespace) || input::is_curl_meta(line)) {
            return input::status_line(line).is_none();
        }
        rest = after.get(1..).unwrap_or_default();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large raw response: `head` lines, then a body of `size` bytes of article markup
    /// with an nginx error page at its start and a Cloudflare footer at its end.
    fn response(head: &str, size: usize) -> Vec<u8> {
        let mut out = head.as_bytes().to_vec();
        out.extend_from_slice(b"<html><head><title>502 Bad Gateway</title></head><body>\n");
        out.extend_from_slice(
            b"<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n",
        );
        let tail = b"<span>Cloudflare Ray ID: <strong>8c1d2e3f4a5b6c7d</strong></span>\n\
<a href=\"https://www.cloudflare.com/5xx-error-landing\">Performance &amp; security by Cloudflare</a></body></html>\n";
        while out.len() + tail.len() < size {
            out.extend_from_slice(
                b"<p>The council announced the results of the energy project.</p>\n",
            );
        }
        out.extend_from_slice(tail);
        out
    }

    const HTTP: &str =
        "HTTP/1.1 502 Bad Gateway\r\nServer: cloudflare\r\nContent-Type: text/html\r\n\r\n";

    /// The parts `read_plan` asks for, diagnosed.
    fn by_parts(input: &[u8]) -> Option<Diagnosis> {
        let ReadPlan::Parts { head, tail } = read_plan(input.len() as u64) else {
            return None;
        };
        let h = input.get(..head)?;
        let t = input.get(input.len() - tail..)?;
        diagnose_parts(h, t, input.len() as u64)
    }

    #[test]
    fn small_inputs_are_read_whole() {
        assert_eq!(read_plan(0), ReadPlan::Whole);
        assert_eq!(read_plan(100 * 1024), ReadPlan::Whole);
        assert!(matches!(read_plan(10 << 20), ReadPlan::Parts { .. }));
    }

    #[test]
    fn a_large_response_read_in_parts_gets_the_whole_answer() {
        for size in [2 << 20, 10 << 20] {
            let input = response(HTTP, size);
            let whole = crate::diagnose(&input).ok();
            let parts = by_parts(&input);
            assert!(
                parts.is_some(),
                "{size} bytes were not diagnosed from their parts"
            );
            assert_eq!(parts, whole, "{size} bytes");
        }
        // curl -i after a redirect: the last response counts either way.
        let redirect = format!("HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n{HTTP}");
        let input = response(&redirect, 3 << 20);
        assert!(by_parts(&input).is_some());
        assert_eq!(by_parts(&input), crate::diagnose(&input).ok());
    }

    #[test]
    fn inputs_the_parts_cannot_settle_are_left_to_a_whole_read() {
        let size = 3 << 20;
        let cases: [(&str, Vec<u8>); 6] = [
            ("pasted HTML", response("", size)),
            (
                "chunked body",
                response(
                    "HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n",
                    size,
                ),
            ),
            (
                "curl -v output",
                response("< HTTP/1.1 502 Bad Gateway\r\n< Server: x\r\n<\r\n", size),
            ),
            ("JSON", {
                let mut j = b"{\"status\": 502, \"body\": \"".to_vec();
                j.extend(std::iter::repeat_n(b'x', size));
                j.extend_from_slice(b"\"}");
                j
            }),
            ("a head longer than the room for it", {
                let mut h = String::from("HTTP/1.1 502 Bad Gateway\r\n");
                while h.len() < HEAD_ROOM + 1024 {
                    h.push_str("X-Filler: 0123456789012345678901234567890123456789\r\n");
                }
                h.push_str("\r\n");
                response(&h, size)
            }),
            ("a blank body head, a response may follow", {
                let mut b = HTTP.as_bytes().to_vec();
                b.extend(std::iter::repeat_n(b'\n', PLAN_HEAD));
                b.extend_from_slice(&response(HTTP, size));
                b
            }),
        ];
        for (name, input) in cases {
            assert!(
                matches!(read_plan(input.len() as u64), ReadPlan::Parts { .. }),
                "{name}"
            );
            assert!(
                by_parts(&input).is_none(),
                "{name} was diagnosed from parts"
            );
        }
    }

    #[test]
    fn parts_that_do_not_add_up_are_refused() {
        let input = response(HTTP, 3 << 20);
        let (h, t) = (&input[..PLAN_HEAD], &input[input.len() - PLAN_TAIL..]);
        // No gap, a short tail, a length shorter than the parts.
        assert!(diagnose_parts(h, t, (h.len() + t.len()) as u64).is_none());
        assert!(diagnose_parts(h, &t[1..], input.len() as u64).is_none());
        assert!(diagnose_parts(h, t, 10).is_none());
        assert!(diagnose_parts(h, t, input.len() as u64).is_some());
    }
}
