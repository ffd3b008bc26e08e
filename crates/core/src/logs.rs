//! Log lines: which known format each line is in, which lines tell of one request, and the
//! status an access-log line records. Pure parsing, one forward pass over the text.
//!
//! Formats read: nginx's and Apache's error logs, lighttpd's, PHP's `error_log`, HAProxy's
//! HTTP log (bare or behind a syslog prefix), Envoy's default access log and the common /
//! combined access-log format that nginx, Apache and many others write alike. A request is
//! one access, HAProxy or Envoy line,
//! or the error-log lines that share its key: nginx's connection number (`*42`), Apache's
//! process and thread within one second, the second of a lighttpd or PHP line. A line in
//! no format (a stack trace, a wrapped message) belongs to the request above it.

use crate::rules::{Place, Signal};

/// A log format this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `2026/11/22 02:51:01 [error] 30911#30911: *2 ...`
    NginxError,
    /// `[Sun Nov 22 02:06:02.517053 2026] [proxy:error] [pid 1:tid 2] ...` (and 2.2's `[error]`)
    ApacheError,
    /// `2026-11-22 01:51:03: (gw_backend.c.274) ...`
    Lighttpd,
    /// `[27-Nov-2026 17:48:02 UTC] PHP Fatal error: ...`
    PhpError,
    /// `10.0.0.1:5555 [22/Nov/2026:02:06:03.326] fe be/srv 0/0/0/-1/1000 504 198 ...`
    Haproxy,
    /// `1.2.3.4 - - [22/Nov/2026:02:06:03 +0000] "GET / HTTP/1.1" 502 157 ...`: the common
    /// or combined format, which does not say which server wrote it.
    Access,
    /// The same with nginx's `$upstream_*` variables logged by name (`upstream_status=502`).
    NginxAccess,
    /// `[2026-11-22T01:00:00.000Z] "GET / HTTP/1.1" 503 UF 0 91 1 - ...`: Envoy's default
    /// access log, with its response flags after the status.
    Envoy,
}

impl Format {
    /// The format's name in a sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Format::NginxError => "nginx's error log",
            Format::ApacheError => "Apache's error log",
            Format::Lighttpd => "lighttpd's error log",
            Format::PhpError => "PHP's error log",
            Format::Haproxy => "HAProxy's HTTP log",
            Format::Access => {
                "the common or combined access-log format, which nginx, Apache and many other servers write alike"
            }
            Format::NginxAccess => "an nginx access log that records its upstream variables",
            Format::Envoy => "Envoy's access log",
        }
    }

    /// The synthetic signal saying which product writes this format, when the format
    /// shows it (the common access-log format does not).
    pub fn signal(self) -> Option<(&'static str, &'static Signal)> {
        match self {
            Format::NginxError => Some(("nginx", &NGINX_ERROR)),
            Format::ApacheError => Some(("apache", &APACHE_ERROR)),
            Format::Lighttpd => Some(("lighttpd", &LIGHTTPD)),
            Format::PhpError => Some(("php", &PHP_ERROR)),
            Format::Haproxy => Some(("haproxy", &HAPROXY)),
            Format::NginxAccess => Some(("nginx", &NGINX_ACCESS)),
            Format::Envoy => Some(("envoy", &ENVOY_ACCESS)),
            Format::Access => None,
        }
    }

    /// Whether a line of this format, by its level, reports a failure: `Some(false)` for
    /// notices and warnings, `None` when the format has no level.
    fn level_fails(self, line: &[u8]) -> Option<bool> {
        let level = match self {
            Format::NginxError => between(line, b" [", b"] ")?,
            Format::ApacheError => {
                let second = line.get(line.iter().position(|b| *b == b']')? + 1..)?;
                let l = between(second, b"[", b"]")?;
                l.rsplit(|b| *b == b':').next()?
            }
            // Status 0: the client went away before any answer; nothing failed on the server.
            Format::Envoy => return Some(false),
            _ => return None,
        };
        Some(matches!(
            level,
            b"error" | b"crit" | b"alert" | b"emerg" | b"fatal"
        ))
    }
}

/// The meanings of the format signals, which belong to no rule file.
pub fn format_meanings() -> [&'static str; 7] {
    [
        NGINX_ERROR.meaning,
        APACHE_ERROR.meaning,
        LIGHTTPD.meaning,
        PHP_ERROR.meaning,
        HAPROXY.meaning,
        NGINX_ACCESS.meaning,
        ENVOY_ACCESS.meaning,
    ]
}

const fn format_signal(weight: u8, meaning: &'static str) -> Signal {
    Signal {
        place: Place::Log,
        pattern: "",
        weight,
        meaning,
        header: None,
        status: None,
        fact: None,
        net_error: None,
        exact_case: false,
        hop: None,
    }
}

static NGINX_ERROR: Signal = format_signal(
    85,
    "the line is in nginx's error-log format: date with slashes, [level], worker pid#tid and the connection number",
);
static APACHE_ERROR: Signal = format_signal(
    80,
    "the line is in Apache's error-log format: [date] [module:level] [pid N:tid N]",
);
static LIGHTTPD: Signal = format_signal(
    70,
    "the line is in lighttpd's error-log format: date, colon, then the source file and line in parentheses",
);
static PHP_ERROR: Signal = format_signal(
    85,
    "the line is in PHP's own error-log format: [date] then `PHP` and the error's level",
);
static HAPROXY: Signal = format_signal(
    90,
    "the line is in HAProxy's HTTP log format: client, [date], frontend, backend/server, five timers, status, bytes and termination flags",
);
static NGINX_ACCESS: Signal = format_signal(
    60,
    "the access-log line records nginx's upstream variables by name (upstream_status, upstream_addr...)",
);
static ENVOY_ACCESS: Signal = format_signal(
    75,
    "the line is in Envoy's default access-log format: [ISO date], \"request\", status, then the response flags",
);

/// One line of the text: its bytes are `start..end` (without the line break), numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef {
    pub start: usize,
    pub end: usize,
    pub number: usize,
}

/// The lines that tell of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub lines: Vec<LineRef>,
    pub format: Format,
    /// The status an access or HAProxy line records, with its line.
    pub status: Option<(u16, LineRef)>,
    /// False when the request is known not to have failed (a 2xx/3xx in an access log, a
    /// notice or warning in an error log).
    pub may_fail: bool,
}

impl Request {
    /// The first line's number.
    pub fn first_line(&self) -> usize {
        self.lines.first().map_or(1, |l| l.number)
    }
}

/// Text recognised as log lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogView {
    pub requests: Vec<Request>,
}

impl LogView {
    /// The format most lines are in.
    pub fn main_format(&self) -> Option<Format> {
        let mut counts: Vec<(Format, usize)> = Vec::new();
        for r in &self.requests {
            match counts.iter_mut().find(|(f, _)| *f == r.format) {
                Some((_, n)) => *n += 1,
                None => counts.push((r.format, 1)),
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(f, _)| f)
    }
}

/// Which lines of one request share: nginx's connection, Apache's process and thread in one
/// second, the second of a line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'a> {
    Connection(&'a [u8]),
    Thread(&'a [u8], &'a [u8]),
    Second(Format, &'a [u8]),
}

/// Reads `text` as log lines; `None` unless at least half of its non-blank lines are in a
/// known format.
pub fn read(text: &[u8]) -> Option<LogView> {
    let mut requests: Vec<Request> = Vec::new();
    let mut by_key: std::collections::HashMap<Key<'_>, usize> = std::collections::HashMap::new();
    let mut last_second: Option<(Key<'_>, usize)> = None;
    let (mut known, mut other) = (0usize, 0usize);
    let mut pos = 0;
    let mut number = 0;
    while pos < text.len() {
        let rest = text.get(pos..).unwrap_or_default();
        let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let raw = rest.get(..len).unwrap_or_default();
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let r = LineRef {
            start: pos,
            end: pos + line.len(),
            number: number + 1,
        };
        number += 1;
        pos += len + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Some((format, key, status)) = classify(line) else {
            other += 1;
            // A stack trace or a wrapped message: part of the request above.
            if let Some(last) = requests.last_mut() {
                last.lines.push(r);
            }
            continue;
        };
        known += 1;
        let may_fail = match status {
            Some(s) => s >= 400,
            None => format.level_fails(line) != Some(false),
        };
        // A second only joins lines next to each other; a connection or a thread, any.
        let joins = match &key {
            Some(k @ Key::Second(..)) => last_second
                .as_ref()
                .filter(|(last, _)| last == k)
                .map(|(_, i)| *i),
            Some(k) => by_key.get(k).copied(),
            None => None,
        };
        match joins.and_then(|i| requests.get_mut(i)) {
            Some(q) => {
                q.lines.push(r);
                q.may_fail |= may_fail;
            }
            None => {
                match key {
                    Some(k @ Key::Second(..)) => last_second = Some((k, requests.len())),
                    Some(k) => {
                        by_key.insert(k, requests.len());
                    }
                    None => {}
                }
                requests.push(Request {
                    lines: vec![r],
                    format,
                    status: status.map(|s| (s, r)),
                    may_fail,
                });
            }
        }
    }
    (known > 0 && known >= other).then_some(LogView { requests })
}

/// The format of one line, the key it shares with other lines of its request, and the
/// status it records.
fn classify(line: &[u8]) -> Option<(Format, Option<Key<'_>>, Option<u16>)> {
    if let Some(k) = nginx_error(line) {
        return Some((Format::NginxError, k, None));
    }
    if let Some(k) = apache_error(line) {
        return Some((Format::ApacheError, k, None));
    }
    if let Some(k) = lighttpd(line) {
        return Some((Format::Lighttpd, Some(k), None));
    }
    if let Some(k) = php_error(line) {
        return Some((Format::PhpError, Some(k), None));
    }
    if let Some(s) = haproxy(line) {
        return Some((Format::Haproxy, None, Some(s)));
    }
    if let Some(s) = envoy(line) {
        return Some((Format::Envoy, None, s));
    }
    if let Some(s) = access(line) {
        let nginx = [
            &b"upstream_status="[..],
            b"upstream_addr=",
            b"upstream_response_time=",
        ]
        .iter()
        .any(|k| crate::text::find(line, k).is_some());
        let format = if nginx {
            Format::NginxAccess
        } else {
            Format::Access
        };
        return Some((format, None, Some(s)));
    }
    None
}

/// `pattern` read against `s`: `9` a digit, `A` a letter, anything else itself.
fn shaped(s: &[u8], pattern: &[u8]) -> bool {
    s.len() >= pattern.len()
        && s.iter().zip(pattern).all(|(c, p)| match p {
            b'9' => c.is_ascii_digit(),
            b'A' => c.is_ascii_alphabetic(),
            _ => c == p,
        })
}

/// The bytes between the first `open` and the next `close` after it.
fn between<'a>(s: &'a [u8], open: &[u8], close: &[u8]) -> Option<&'a [u8]> {
    let a = crate::text::find(s, open)? + open.len();
    let rest = s.get(a..)?;
    let b = crate::text::find(rest, close)?;
    rest.get(..b)
}

fn nginx_error(line: &[u8]) -> Option<Option<Key<'_>>> {
    if !shaped(line, b"9999/99/99 99:99:99 [") {
        return None;
    }
    let after = line.get(crate::text::find(line, b"] ")? + 2..)?;
    // `pid#tid: `
    let colon = crate::text::find(after, b": ")?;
    let ids = after.get(..colon)?;
    if !ids.contains(&b'#') || !ids.iter().all(|b| b.is_ascii_digit() || *b == b'#') {
        return None;
    }
    let msg = after.get(colon + 2..)?;
    let conn = msg.strip_prefix(b"*").and_then(|m| {
        let n = m.iter().take_while(|b| b.is_ascii_digit()).count();
        (n > 0).then(|| m.get(..n)).flatten()
    });
    Some(conn.map(Key::Connection))
}

fn apache_error(line: &[u8]) -> Option<Option<Key<'_>>> {
    let stamp = between(line, b"[", b"]")?;
    // `Sun Nov 22 02:06:02.517053 2026` (2.4) or `Sun Nov 22 02:06:02 2026` (2.2).
    if !line.starts_with(b"[") || !shaped(stamp, b"AAA AAA 99 99:99:99") {
        return None;
    }
    let rest = line.get(stamp.len() + 2..)?;
    let level = rest.strip_prefix(b" [")?;
    let close = level.iter().position(|b| *b == b']')?;
    let name = level.get(..close)?;
    if name.is_empty()
        || !name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_'))
    {
        return None;
    }
    let second = stamp.get(..19)?;
    let thread = between(rest, b"[pid ", b"]");
    Some(thread.map(|t| Key::Thread(t, second)))
}

fn lighttpd(line: &[u8]) -> Option<Key<'_>> {
    shaped(line, b"9999-99-99 99:99:99: (")
        .then(|| Key::Second(Format::Lighttpd, line.get(..19).unwrap_or_default()))
}

fn php_error(line: &[u8]) -> Option<Key<'_>> {
    if !shaped(line, b"[99-AAA-9999 99:99:99 ") {
        return None;
    }
    let close = line.iter().position(|b| *b == b']')?;
    line.get(close..)?
        .starts_with(b"] PHP ")
        .then(|| Key::Second(Format::PhpError, line.get(..21).unwrap_or_default()))
}

/// HAProxy's HTTP log line (after an optional syslog prefix ending in `]: `): the status.
fn haproxy(line: &[u8]) -> Option<u16> {
    haproxy_fields(line).or_else(|| {
        let head = line.get(..line.len().min(160))?;
        let at = crate::text::find(head, b"]: ")?;
        haproxy_fields(line.get(at + 3..)?)
    })
}

fn haproxy_fields(line: &[u8]) -> Option<u16> {
    let mut f = line.split(|b| *b == b' ').filter(|t| !t.is_empty());
    let client = f.next()?;
    let date = f.next()?;
    let _frontend = f.next()?;
    let backend = f.next()?;
    let timers = f.next()?;
    let status = f.next()?;
    let client_ok = client.contains(&b':')
        && client.last().is_some_and(u8::is_ascii_digit)
        && !client.contains(&b'[');
    let date_ok = shaped(date, b"[99/AAA/9999:99:99:99.999]");
    let backend_ok = backend.contains(&b'/');
    let timers_ok = timers.split(|b| *b == b'/').count() == 5
        && timers
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'/' | b'-' | b'+'));
    (client_ok && date_ok && backend_ok && timers_ok)
        .then(|| three_digits(status))
        .flatten()
}

/// Envoy's default access-log line: `[2026-11-22T01:00:00.000Z] "request" status flags `,
/// the flags `-` or capitals and commas (`UF,URX`): the status (none for 0, a client that
/// went away before any answer).
fn envoy(line: &[u8]) -> Option<Option<u16>> {
    if !shaped(line, b"[9999-99-99T99:99:99.999Z] \"") {
        return None;
    }
    let rest = line.get(28..)?;
    let rest = rest.get(after_quote(rest)?..)?.strip_prefix(b" ")?;
    let mut f = rest.splitn(3, |b| *b == b' ');
    let status = f.next()?;
    let flags = f.next()?;
    f.next()?;
    let flags_ok = flags == b"-"
        || (!flags.is_empty() && flags.iter().all(|b| b.is_ascii_uppercase() || *b == b','));
    if !flags_ok {
        return None;
    }
    match status {
        b"0" => Some(None),
        s => three_digits(s).map(Some),
    }
}

/// The position just after the first quote not escaped with a backslash.
fn after_quote(s: &[u8]) -> Option<usize> {
    let mut escaped = false;
    for (i, b) in s.iter().enumerate() {
        match b {
            b'\\' if !escaped => escaped = true,
            b'"' if !escaped => return Some(i + 1),
            _ => escaped = false,
        }
    }
    None
}

/// Common / combined access-log line: `host ident user [date zone] "request" status bytes`
/// (an optional virtual host in front): the status.
fn access(line: &[u8]) -> Option<u16> {
    let open = crate::text::find(line.get(..line.len().min(300))?, b" [")?;
    let before = line.get(..open)?;
    let tokens = before.split(|b| *b == b' ').count();
    if !(3..=4).contains(&tokens) {
        return None;
    }
    let rest = line.get(open + 2..)?;
    let close = rest.iter().position(|b| *b == b']')?;
    let date = rest.get(..close)?;
    if !shaped(date, b"99/AAA/9999:99:99:99 ") {
        return None;
    }
    let rest = rest.get(close + 1..)?.strip_prefix(b" \"")?;
    // The request, up to a quote not escaped with a backslash.
    let rest = rest.get(after_quote(rest)?..)?.strip_prefix(b" ")?;
    let status = rest.get(..3)?;
    if rest.get(3).is_some_and(|b| *b != b' ') {
        return None;
    }
    three_digits(status)
}

fn three_digits(s: &[u8]) -> Option<u16> {
    let &[a, b, c] = s else { return None };
    if ![a, b, c].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let code = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
    (100..=599).contains(&code).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str) -> LogView {
        read(text.as_bytes()).unwrap_or_else(|| unreachable!("a log: {text}"))
    }

    fn numbers(r: &Request) -> Vec<usize> {
        r.lines.iter().map(|l| l.number).collect()
    }

    /// Each request's line numbers and whether it may have failed.
    fn groups(v: &LogView) -> Vec<(Vec<usize>, bool)> {
        v.requests
            .iter()
            .map(|r| (numbers(r), r.may_fail))
            .collect()
    }

    #[test]
    fn access_lines_common_combined_and_vhost() {
        let v = view(concat!(
            "203.0.113.7 - - [27/Nov/2026:17:02:11 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/7.88.1\"\n",
            "shop.example:443 203.0.113.7 - alice [27/Nov/2026:17:02:12 +0100] \"GET /a\\\" b HTTP/1.1\" 502 157\n",
            "203.0.113.7 - - [27/Nov/2026:17:02:13 +0000] \"POST /x HTTP/1.1\" 504 167 \"-\" \"ua\" upstream_status=504\n",
        ));
        let got: Vec<_> = v
            .requests
            .iter()
            .map(|r| (r.format, r.status.map(|(s, _)| s), r.may_fail))
            .collect();
        assert_eq!(
            got,
            vec![
                (Format::Access, Some(200), false),
                (Format::Access, Some(502), true),
                (Format::NginxAccess, Some(504), true),
            ]
        );
    }

    #[test]
    fn haproxy_bare_and_behind_syslog() {
        let v = view(concat!(
            "127.0.0.1:34522 [22/Nov/2026:02:06:03.326] web be_hang/app 0/0/0/-1/1000 504 198 - - sH-- 1/1/0/0/0 0/0 \"GET /hang HTTP/1.1\"\n",
            "Nov 22 02:06:04 lb1 haproxy[812]: 10.0.0.9:5122 [22/Nov/2026:02:06:04.101] web~ be/app1 0/0/1/12/13 500 312 - - ---- 2/2/0/0/0 0/0 \"GET /x HTTP/1.1\"\n",
        ));
        let got: Vec<_> = v
            .requests
            .iter()
            .map(|r| (r.format, r.status.map(|(s, _)| s)))
            .collect();
        assert_eq!(
            got,
            vec![(Format::Haproxy, Some(504)), (Format::Haproxy, Some(500))]
        );
    }

    #[test]
    fn error_lines_group_by_request() {
        let v = view(concat!(
            "2026/11/22 02:51:01 [error] 30911#30911: *2 connect() failed (111: Connection refused) while connecting to upstream\n",
            "2026/11/22 02:51:02 [error] 30911#30911: *5 upstream timed out (110: Connection timed out)\n",
            "2026/11/22 02:51:03 [warn] 30911#30911: *2 an upstream response is buffered to a temporary file\n",
            "2026/11/22 02:51:04 [notice] 30911#30911: signal process started\n",
        ));
        let got = groups(&v);
        assert_eq!(
            got,
            vec![(vec![1, 3], true), (vec![2], true), (vec![4], false)]
        );

        let v = view(concat!(
            "[Sun Nov 22 02:06:02.517053 2026] [proxy:error] [pid 30133:tid 30135] (111)Connection refused: AH00957: x\n",
            "[Sun Nov 22 02:06:02.517142 2026] [proxy_http:error] [pid 30133:tid 30135] [client 127.0.0.1:32936] AH01114: y\n",
            "[Sun Nov 22 02:06:04.333862 2026] [proxy_http:error] [pid 30133:tid 30142] (70007)The timeout specified has expired\n",
            "[Sun Nov 22 02:06:09.000001 2026] [mpm_event:notice] [pid 30133:tid 30133] AH00489: resuming normal operations\n",
        ));
        let got = groups(&v);
        assert_eq!(
            got,
            vec![(vec![1, 2], true), (vec![3], true), (vec![4], false)]
        );

        // lighttpd and PHP: lines of one second next to each other; a stack trace follows.
        let v = view(concat!(
            "2026-11-22 01:51:03: (gw_backend.c.274) establishing connection failed\n",
            "2026-11-22 01:51:03: (gw_backend.c.960) all handlers are down.\n",
            "[27-Nov-2026 17:48:02 UTC] PHP Fatal error:  Uncaught Error: x in /a.php:3\n",
            "Stack trace:\n",
            "#0 {main}\n",
        ));
        let got: Vec<_> = v.requests.iter().map(|r| (r.format, numbers(r))).collect();
        assert_eq!(
            got,
            vec![
                (Format::Lighttpd, vec![1, 2]),
                (Format::PhpError, vec![3, 4, 5])
            ]
        );
    }

    #[test]
    fn envoy_default_access_lines() {
        let v = view(concat!(
            "[2026-11-27T21:40:02.114Z] \"GET /a HTTP/1.1\" 200 - 0 312 14 12 \"-\" \"ua\" \"id1\" \"shop.example\" \"10.0.0.1:8080\"\n",
            "[2026-11-27T21:41:17.902Z] \"GET /a\\\" b HTTP/2\" 503 UH 0 19 0 - \"-\" \"ua\" \"id2\" \"shop.example\" \"-\"\n",
            "[2026-11-27T21:41:48.330Z] \"POST /c HTTP/1.1\" 503 UF,URX 187 91 1004 - \"-\" \"ua\" \"id3\" \"shop.example\" \"10.0.0.1:8080\"\n",
            "[2026-11-27T21:42:00.000Z] \"GET /d HTTP/1.1\" 0 DC 0 0 5 - \"-\" \"ua\" \"id4\" \"shop.example\" \"-\"\n",
        ));
        let got: Vec<_> = v
            .requests
            .iter()
            .map(|r| (r.format, r.status.map(|(s, _)| s), r.may_fail))
            .collect();
        assert_eq!(
            got,
            vec![
                (Format::Envoy, Some(200), false),
                (Format::Envoy, Some(503), true),
                (Format::Envoy, Some(503), true),
                (Format::Envoy, None, false),
            ]
        );
        // Not Envoy's: lower-case flags, no flags field, a date of another shape.
        for line in [
            "[2026-11-27T21:41:17.902Z] \"GET / HTTP/1.1\" 503 uh 0 19",
            "[2026-11-27T21:41:17.902Z] \"GET / HTTP/1.1\" 503",
            "[2026-11-27 21:41:17.902Z] \"GET / HTTP/1.1\" 503 UH 0 19",
        ] {
            assert_eq!(read(line.as_bytes()), None, "{line}");
        }
    }

    #[test]
    fn prose_and_pages_are_not_logs() {
        assert_eq!(read(b"502 Bad Gateway\nnginx/1.22.1"), None);
        assert_eq!(read(b""), None);
        // One quoted line among more prose lines is not a log.
        let post = "My site fails.\nThe log says:\n2026/11/22 02:51:01 [error] 1#1: *2 upstream timed out\nAny idea?\nThanks";
        assert_eq!(read(post.as_bytes()), None);
        // Near misses.
        for line in [
            "2026/11/22 02:51:01 [error] abc: *2 x",
            "1.2.3.4 - - [27/Nov/2026:17:02:11 +0000] \"GET / HTTP/1.1\" 2000 1",
            "1.2.3.4 [22/Nov/2026:02:06:03.326] web be 0/0/0/-1/1000 504 198",
            "[Sun Nov 22 02:06:02 2026] hello",
        ] {
            assert_eq!(read(line.as_bytes()), None, "{line}");
        }
    }

    #[test]
    fn hostile_lines_do_not_panic() {
        for s in [
            "[",
            "[]",
            " [",
            "a b c [",
            "a b c [27/Nov/2026:17:02:11 +0000] \"",
            "9999/99/99 99:99:99 [",
            "x]: ",
            "[2026-11-27T21:41:17.902Z] \"",
            "[2026-11-27T21:41:17.902Z] \"GET\" ",
        ] {
            let _ = read(s.as_bytes());
        }
    }
}
