//! Reading input: detects the form and normalises it into an [`Observation`].

use crate::error::InputError;
use crate::model::InputForm;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One response header as a browser reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderPair {
    pub name: String,
    pub value: String,
}

/// What a browser front end saw: a response, or a network error before any response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrowserObservation {
    pub url: Option<String>,
    pub status: Option<u16>,
    pub status_text: Option<String>,
    pub headers: Vec<HeaderPair>,
    /// The page's HTML or text, when the front end could read it.
    pub body: Option<String>,
    /// A network error code such as `net::ERR_NAME_NOT_RESOLVED` or `NS_ERROR_UNKNOWN_HOST`.
    pub net_error: Option<String>,
    /// The browser's name as the input gives it (`chrome`, `Firefox`, a HAR's creator
    /// `WebInspector`), when known; `rules::browser_for` tells which browser it is.
    pub browser: Option<String>,
}

/// The normalised observation every form is turned into.
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    pub form: InputForm,
    pub status: Option<u16>,
    pub status_text: Option<String>,
    /// Lower-cased names, values as sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes (HTML, text or log lines).
    pub body: std::borrow::Cow<'a, [u8]>,
    pub net_error: Option<String>,
    pub browser: Option<String>,
    pub url: Option<String>,
    pub notes: Vec<String>,
    /// For text recognised as log lines by their format: the lines of each request.
    pub log: Option<crate::logs::LogView>,
}

/// Most headers kept from one response in full (hostile input). Past this, reading goes
/// on, and a header is still kept when some rule or stage reads its name and no header of
/// that name was kept yet: memory stays bounded, and a `Server` header sent as the 300th
/// still names the product.
const MAX_HEADERS: usize = 256;
/// Longest header value kept.
const MAX_HEADER_VALUE: usize = 16 * 1024;

/// Header names something in the core reads: rules' header signals and identifiers, the
/// generic identifier headers, and what the stages read themselves. Sorted, once.
fn read_header_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = crate::rules::RULES
            .iter()
            .flat_map(|r| {
                let signals = r.signals.iter().filter_map(|s| s.header);
                signals.chain(r.ids.iter().filter_map(|i| i.header))
            })
            .chain(crate::ids::GENERIC_HEADERS.iter().map(|(h, _, _)| *h))
            .chain([
                "retry-after",
                "date",
                "content-encoding",
                "transfer-encoding",
                "content-type",
                "location",
            ])
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    })
}

/// Whether a header past [`MAX_HEADERS`] is kept: its name is read by something, and no
/// header of that name is kept yet (so at most one per known name).
fn keep_past_cap(headers: &[(String, String)], name: &str) -> bool {
    read_header_names().binary_search(&name).is_ok() && !headers.iter().any(|(n, _)| n == name)
}

/// Appends a header, keeping memory bounded past [`MAX_HEADERS`]; returns whether it was
/// kept.
fn push_header(headers: &mut Vec<(String, String)>, name: String, value: String) -> bool {
    if headers.len() < MAX_HEADERS || keep_past_cap(headers, &name) {
        headers.push((name, value));
        true
    } else {
        false
    }
}

/// Detects the form of `input` and normalises it.
pub fn read(input: &[u8]) -> Result<Observation<'_>, InputError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    let trimmed = input.get(start..).unwrap_or_default();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    if trimmed.first() == Some(&b'{')
        && let Some(o) = read_json(trimmed)?
    {
        return Ok(o);
    }
    if let Some(o) = read_http(input) {
        return Ok(o);
    }
    if crate::text::looks_binary(trimmed) {
        return Err(InputError::Binary);
    }
    // Log lines before HTML: a line may quote markup (a WAF's `<script>` payload).
    let log = crate::logs::read(trimmed);
    let form = if log.is_some() {
        InputForm::Log
    } else if crate::text::looks_like_html(trimmed) {
        InputForm::Html
    } else {
        InputForm::Text
    };
    Ok(Observation {
        form,
        status: None,
        status_text: None,
        headers: Vec::new(),
        body: Cow::Borrowed(trimmed),
        net_error: None,
        browser: None,
        url: None,
        notes: Vec::new(),
        log,
    })
}

/// A line of input without its terminator, and where the next line starts.
fn next_line(input: &[u8], at: usize) -> Option<(&[u8], usize)> {
    if at >= input.len() {
        return None;
    }
    let rest = input.get(at..)?;
    let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let end = at + len;
    let (line, _) = rest.split_at(len);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Some((line, (end + 1).min(input.len().max(end + 1))))
}

/// Parses `HTTP/1.1 502 Bad Gateway` (optionally behind curl's `< `); returns status and reason.
pub(crate) fn status_line(line: &[u8]) -> Option<(u16, String)> {
    let line = strip_curl_in(line).unwrap_or(line);
    let rest = line.strip_prefix(b"HTTP/")?;
    let sp = memchr::memchr(b' ', rest)?;
    let (version, rest) = rest.split_at(sp);
    if version.is_empty()
        || version.len() > 3
        || !version.iter().all(|b| b.is_ascii_digit() || *b == b'.')
    {
        return None;
    }
    let rest = rest.get(1..).unwrap_or_default();
    let (&[a, b, c], after) = rest.split_first_chunk::<3>()?;
    if ![a, b, c].iter().all(u8::is_ascii_digit) || after.first().is_some_and(|b| *b != b' ') {
        return None;
    }
    let code = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
    if !(100..=999).contains(&code) {
        return None;
    }
    let reason = String::from_utf8_lossy(rest.get(4..).unwrap_or_default())
        .trim()
        .to_string();
    Some((code, reason))
}

/// `< Header: value` as curl -v prints response lines.
fn strip_curl_in(line: &[u8]) -> Option<&[u8]> {
    if line == b"<" {
        return Some(b"");
    }
    line.strip_prefix(b"< ")
}

/// curl -v chatter that is not part of the response: `* info`, `> request`, `{ [n bytes data]`.
pub(crate) fn is_curl_meta(line: &[u8]) -> bool {
    line.starts_with(b"* ")
        || line == b"*"
        || line.starts_with(b"> ")
        || line == b">"
        || line.starts_with(b"{ [")
        || line.starts_with(b"} [")
        || line.starts_with(b"$ curl")
        || line.starts_with(b"curl ")
        || line.starts_with(b"  % Total")
        || line.starts_with(b"                                 Dload")
}

struct Parsed {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    /// Headers past [`MAX_HEADERS`] that nothing reads, not kept.
    dropped: usize,
    body_start: usize,
    curl_v: bool,
}

/// Parses one response's head starting at the status line at `at`.
fn parse_head(input: &[u8], at: usize) -> Option<Parsed> {
    let (line, mut pos) = next_line(input, at)?;
    let curl_v = line.starts_with(b"< ");
    let (status, reason) = status_line(line)?;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut dropped = 0usize;
    let mut continuing = false;
    while let Some((line, next)) = next_line(input, pos) {
        let content = if curl_v {
            match strip_curl_in(line) {
                Some(c) => c,
                None if is_curl_meta(line) => {
                    pos = next;
                    continue;
                }
                None => b"",
            }
        } else {
            line
        };
        let line_start = pos;
        pos = next;
        if content.is_empty() {
            break;
        }
        if matches!(content.first(), Some(b' ' | b'\t')) && !headers.is_empty() {
            if continuing
                && let Some(last) = headers.last_mut()
                && last.1.len() < MAX_HEADER_VALUE
            {
                last.1.push(' ');
                last.1.push_str(String::from_utf8_lossy(content).trim());
            }
            continue;
        }
        let Some(colon) = memchr::memchr(b':', content) else {
            // Not a header: the head ended without a blank line (text copied off a screen).
            pos = line_start;
            break;
        };
        let (name, value) = content.split_at(colon);
        let name = String::from_utf8_lossy(name).trim().to_ascii_lowercase();
        let value = value.get(1..).unwrap_or_default();
        let value = value.get(..MAX_HEADER_VALUE).unwrap_or(value);
        let value = String::from_utf8_lossy(value).trim().to_string();
        if !push_header(&mut headers, name, value) {
            dropped += 1;
            // A continuation line belongs to the header dropped, not the last one kept.
            continuing = false;
            continue;
        }
        continuing = true;
    }
    Some(Parsed {
        status,
        reason,
        headers,
        dropped,
        body_start: pos.min(input.len()),
        curl_v,
    })
}

/// Raw HTTP response, curl -i or curl -v output; several responses in a row: the last counts.
fn read_http(input: &[u8]) -> Option<Observation<'_>> {
    // Find the first status line, allowing any amount of curl chatter and blank lines
    // before it (a TLS handshake under `curl -v` prints hundreds): each line is looked at
    // once and nothing is kept, so this is linear and needs no cap.
    let mut pos = 0;
    let first = loop {
        let (line, next) = next_line(input, pos)?;
        if status_line(line).is_some() {
            break pos;
        }
        if !(line.iter().all(u8::is_ascii_whitespace) || is_curl_meta(line)) {
            return None;
        }
        pos = next;
    };
    let mut head = parse_head(input, first)?;
    let mut skipped = 0usize;
    // Responses in a row: 1xx, CONNECT's 200, redirects followed by curl -L.
    loop {
        let mut pos = head.body_start;
        let mut next_status = None;
        while let Some((line, next)) = next_line(input, pos) {
            if status_line(line).is_some() {
                next_status = Some(pos);
                break;
            }
            if line.iter().all(u8::is_ascii_whitespace) || is_curl_meta(line) {
                pos = next;
                continue;
            }
            break;
        }
        match next_status.and_then(|at| parse_head(input, at)) {
            Some(h) => {
                head = h;
                skipped += 1;
            }
            None => break,
        }
    }

    let raw_body = input.get(head.body_start..).unwrap_or_default();
    let mut body: Cow<'_, [u8]> = if head.curl_v {
        Cow::Owned(strip_curl_body(raw_body))
    } else {
        Cow::Borrowed(raw_body)
    };
    let mut notes = Vec::new();
    if head.dropped > 0 {
        notes.push(format!(
            "The response has {} headers; the first {MAX_HEADERS} were kept, and of the other {}, only those whose names identify a product or an ID.",
            head.headers.len() + head.dropped,
            head.headers.len().saturating_sub(MAX_HEADERS) + head.dropped,
        ));
    }
    if skipped > 0 {
        notes.push(format!(
            "The input held {} responses in a row (redirects or a proxy tunnel); the last one was diagnosed.",
            skipped + 1
        ));
    }
    let header = |name: &str| {
        head.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
        && let Some(decoded) = dechunk(&body)
    {
        body = Cow::Owned(decoded);
    }
    if crate::text::looks_binary(&body) {
        let encoding = header("content-encoding").unwrap_or("").to_string();
        notes.push(if encoding.is_empty() {
            "The body is binary data and was not inspected; the headers were.".to_string()
        } else {
            format!("The body is compressed ({encoding}) and was not inspected; the headers were.")
        });
        body = Cow::Borrowed(&[]);
    }
    let url = None;
    Some(Observation {
        form: InputForm::Http,
        status: Some(head.status),
        status_text: if head.reason.is_empty() {
            None
        } else {
            Some(head.reason)
        },
        headers: head.headers,
        body,
        net_error: None,
        browser: None,
        url,
        notes,
        log: None,
    })
}

/// Drops curl -v chatter from the body part of the output.
fn strip_curl_body(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    while let Some((line, next)) = next_line(body, pos) {
        let raw = body.get(pos..next.min(body.len())).unwrap_or_default();
        if !(line.starts_with(b"* ") || line.starts_with(b"{ [") || line.starts_with(b"} [")) {
            out.extend_from_slice(raw);
        }
        pos = next;
    }
    out
}

/// Decodes a chunked body; None when it is not well-formed chunked encoding.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let (line, next) = next_line(body, pos)?;
        let size_part = line.split(|b| *b == b';').next().unwrap_or_default();
        let size_str = std::str::from_utf8(size_part).ok()?.trim();
        if size_str.is_empty() || size_str.len() > 8 {
            return None;
        }
        let size = usize::from_str_radix(size_str, 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        let end = next.checked_add(size)?;
        let Some(chunk) = body.get(next..end) else {
            // Cut short: keep what arrived.
            out.extend_from_slice(body.get(next..).unwrap_or_default());
            return Some(out);
        };
        out.extend_from_slice(chunk);
        pos = end;
        // Skip the CRLF after the chunk.
        if body.get(pos) == Some(&b'\r') {
            pos += 1;
        }
        if body.get(pos) == Some(&b'\n') {
            pos += 1;
        }
        if pos >= body.len() {
            return Some(out);
        }
    }
}

// ---- JSON forms: HAR files and browser observations ----
// Read with the small `json` module, not serde_json: see its header for why.

use crate::json::Value;

struct Har {
    log: HarLog,
}

struct HarLog {
    entries: Vec<HarEntry>,
    creator: Option<HarCreator>,
}

struct HarCreator {
    name: String,
}

struct HarEntry {
    request: HarRequest,
    response: HarResponse,
    resource_type: Option<String>,
}

struct HarRequest {
    url: String,
}

struct HarResponse {
    status: i64,
    status_text: String,
    headers: Vec<HeaderPair>,
    content: HarContent,
    error: Option<String>,
}

struct HarContent {
    text: Option<String>,
    encoding: Option<String>,
    mime_type: Option<String>,
}

/// A string member; absent, `null` or not a string reads as none.
fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// `[{"name": …, "value": …}, …]`; entries without both strings are skipped.
fn headers_of(v: Option<&Value>) -> Vec<HeaderPair> {
    v.and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|h| {
            Some(HeaderPair {
                name: str_of(h, "name")?,
                value: str_of(h, "value")?,
            })
        })
        .collect()
}

impl Har {
    /// A HAR file's fields that matter here; `None` when it has no `log` object.
    fn from_json(v: &Value) -> Option<Har> {
        let log = v.get("log").filter(|l| l.as_object().is_some())?;
        let entries = log
            .get("entries")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .map(|e| {
                let empty = Value::Null;
                let response = e.get("response").unwrap_or(&empty);
                let content = response.get("content").unwrap_or(&empty);
                HarEntry {
                    request: HarRequest {
                        url: e
                            .get("request")
                            .and_then(|r| str_of(r, "url"))
                            .unwrap_or_default(),
                    },
                    response: HarResponse {
                        status: response.get("status").and_then(Value::as_i64).unwrap_or(0),
                        status_text: str_of(response, "statusText").unwrap_or_default(),
                        headers: headers_of(response.get("headers")),
                        content: HarContent {
                            text: str_of(content, "text"),
                            encoding: str_of(content, "encoding"),
                            mime_type: str_of(content, "mimeType"),
                        },
                        error: str_of(response, "_error"),
                    },
                    resource_type: str_of(e, "_resourceType"),
                }
            })
            .collect();
        let creator = log.get("creator").map(|c| HarCreator {
            name: str_of(c, "name").unwrap_or_default(),
        });
        Some(Har {
            log: HarLog { entries, creator },
        })
    }
}

/// A browser observation pasted as JSON: strict (only its own members, each of the right
/// type), so that structured log lines (Caddy's JSON error log has `status` and `headers`
/// too) are not mistaken for one.
fn pasted_observation(v: &Value) -> Option<BrowserObservation> {
    const MEMBERS: [&str; 7] = [
        "url",
        "status",
        "status_text",
        "headers",
        "body",
        "net_error",
        "browser",
    ];
    let members = v.as_object()?;
    if members.iter().any(|(k, _)| !MEMBERS.contains(&k.as_str())) {
        return None;
    }
    // An optional string member: absent or null is none; another type is not an observation.
    let text = |key: &str| -> Result<Option<String>, ()> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(()),
        }
    };
    let status = match v.get("status") {
        None | Some(Value::Null) => None,
        Some(n) => Some(u16::try_from(n.as_i64()?).ok()?),
    };
    let headers = match v.get("headers") {
        None => Vec::new(),
        Some(h) => {
            let list = h.as_array()?;
            let pairs = headers_of(Some(h));
            if pairs.len() != list.len() {
                return None;
            }
            pairs
        }
    };
    Some(BrowserObservation {
        url: text("url").ok()?,
        status,
        status_text: text("status_text").ok()?,
        headers,
        body: text("body").ok()?,
        net_error: text("net_error").ok()?,
        browser: text("browser").ok()?,
    })
}

/// HAR files and pasted browser observations. `Ok(None)`: some other JSON (log lines in
/// JSON, an API's error body), to be read as text.
fn read_json(input: &[u8]) -> Result<Option<Observation<'static>>, InputError> {
    let head = input.get(..4096).unwrap_or(input);
    let has = |k: &[u8]| crate::text::find(head, k).is_some();
    if has(b"\"log\"") && has(b"\"entries\"") {
        let har = crate::json::parse(input)
            .map_err(|e| format!("not a readable HAR file ({e})"))
            .and_then(|v| {
                Har::from_json(&v).ok_or_else(|| "not a HAR file (it has no `log`)".to_string())
            })
            .map_err(InputError::BadJson)?;
        return pick_har(har).map(Some);
    }
    if (has(b"\"net_error\"") || has(b"\"status\""))
        && let Some(o) = crate::json::parse(input)
            .ok()
            .as_ref()
            .and_then(pasted_observation)
    {
        let obs = from_browser(&o);
        return Ok(Some(Observation {
            body: Cow::Owned(obs.body.into_owned()),
            ..obs
        }));
    }
    Ok(None)
}

fn is_document(e: &HarEntry) -> bool {
    e.resource_type.as_deref() == Some("document")
        || e.response
            .content
            .mime_type
            .as_deref()
            .is_some_and(|m| m.starts_with("text/html"))
}

fn pick_har(har: Har) -> Result<Observation<'static>, InputError> {
    // The tool that wrote the file ("WebInspector" for Chrome and Edge, "Firefox"); the
    // browsers' rule files say which name is whose.
    let browser = har.log.creator.map(|c| c.name);
    let entries = har.log.entries;
    if entries.is_empty() {
        return Err(InputError::EmptyHar);
    }
    let failed = |e: &HarEntry| e.response.status >= 400 || e.response.status <= 0;
    // The failing document request; else any failing request; else the first document.
    let idx = entries
        .iter()
        .position(|e| failed(e) && is_document(e))
        .or_else(|| entries.iter().position(failed))
        .or_else(|| entries.iter().position(is_document))
        .unwrap_or(0);
    let total = entries.len();
    let Some(entry) = entries.into_iter().nth(idx) else {
        return Err(InputError::EmptyHar);
    };
    let r = entry.response;
    let mut body = r.content.text.unwrap_or_default().into_bytes();
    if r.content.encoding.as_deref() == Some("base64") {
        body = base64_decode(&body).unwrap_or_default();
    }
    let status = u16::try_from(r.status)
        .ok()
        .filter(|s| (100..=999).contains(s));
    let net_error = r.error.filter(|e| !e.is_empty());
    let mut notes = vec![format!(
        "Picked request {} of {total} in the HAR file: {}",
        idx + 1,
        entry.request.url
    )];
    if status.is_none() && net_error.is_none() {
        notes.push(
            "The request got no response (status 0): the browser gave up or the network failed."
                .to_string(),
        );
    }
    Ok(Observation {
        form: InputForm::Har,
        status,
        status_text: Some(r.status_text).filter(|s| !s.is_empty()),
        headers: r
            .headers
            .into_iter()
            .map(|h| (h.name.to_ascii_lowercase(), h.value))
            .collect(),
        body: Cow::Owned(body),
        net_error,
        browser,
        url: Some(entry.request.url).filter(|u| !u.is_empty()),
        notes,
        log: None,
    })
}

fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for &b in input {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

pub fn from_browser(o: &BrowserObservation) -> Observation<'_> {
    Observation {
        form: InputForm::Observation,
        status: o.status.filter(|s| *s != 0),
        status_text: o.status_text.clone().filter(|s| !s.is_empty()),
        headers: o.headers.iter().fold(Vec::new(), |mut kept, h| {
            push_header(&mut kept, h.name.to_ascii_lowercase(), h.value.clone());
            kept
        }),
        body: Cow::Borrowed(o.body.as_deref().unwrap_or_default().as_bytes()),
        net_error: o.net_error.clone().filter(|s| !s.is_empty()),
        browser: o.browser.clone(),
        url: o.url.clone(),
        notes: Vec::new(),
        log: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_v_and_redirect_chain() {
        let input = b"* Trying 127.0.0.1:80...\n> GET / HTTP/1.1\n> Host: x\n>\n< HTTP/1.1 301 Moved\n< Location: /a\n<\n* Issue another request\n> GET /a HTTP/1.1\n>\n< HTTP/2 502\n< server: nginx\n<\n<html>hi</html>\n* Connection #0 left intact\n";
        let o = read(input).expect("reads");
        assert_eq!(o.status, Some(502));
        assert_eq!(o.headers, vec![("server".to_string(), "nginx".to_string())]);
        assert_eq!(&*o.body, b"<html>hi</html>\n");
    }

    #[test]
    fn connect_tunnel_then_response() {
        let input = b"HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nServer: x\r\n\r\nbody";
        let o = read(input).expect("reads");
        assert_eq!(o.status, Some(503));
        assert_eq!(&*o.body, b"body");
    }

    #[test]
    fn head_without_blank_line() {
        let input = b"HTTP/1.1 502 Bad Gateway\nServer: nginx\n<html>page</html>";
        let o = read(input).expect("reads");
        assert_eq!(o.headers.len(), 1);
        assert_eq!(&*o.body, b"<html>page</html>");
    }

    #[test]
    fn headers_past_the_cap_that_name_a_product_still_count() {
        let mut input = String::from("HTTP/1.1 502 Bad Gateway\r\n");
        for i in 0..1000 {
            input.push_str(&format!("X-Filler-{i}: {i}\r\n"));
        }
        input.push_str("Server: nginx\r\nServer: other\r\nX-Late: no\r\n  folded\r\n\r\nbody");
        let o = read(input.as_bytes()).expect("reads");
        assert_eq!(o.status, Some(502));
        // Bounded: the first 256, then one per name something reads.
        assert_eq!(o.headers.len(), MAX_HEADERS + 1);
        assert_eq!(
            o.headers.last(),
            Some(&("server".to_string(), "nginx".to_string()))
        );
        assert_eq!(&*o.body, b"body");
        assert!(
            o.notes.iter().any(|n| n.contains("1003 headers")),
            "{:?}",
            o.notes
        );
    }

    #[test]
    fn any_amount_of_curl_chatter_before_the_status() {
        let mut input = String::new();
        for i in 0..5000 {
            input.push_str(&format!("*   Trying 192.0.2.{}:80...\n", i % 250));
        }
        input.push_str("< HTTP/1.1 503 Service Unavailable\n< server: x\n<\nbody\n");
        let o = read(input.as_bytes()).expect("reads");
        assert_eq!((o.form, o.status), (InputForm::Http, Some(503)));
        assert!(o.notes.is_empty(), "{:?}", o.notes);
    }

    #[test]
    fn chunked() {
        let input = b"HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        let o = read(input).expect("reads");
        assert_eq!(&*o.body, b"hello world");
    }

    #[test]
    fn empty_and_binary() {
        assert_eq!(read(b"  \n ").err(), Some(InputError::Empty));
        assert_eq!(
            read(&[0u8, 1, 2, 3, 0, 0, 0, 0, 0, 5, 6, 7, 0, 0, 0, 0]).err(),
            Some(InputError::Binary)
        );
    }

    #[test]
    fn har_picks_failing_document() {
        let har = br#"{"log":{"entries":[{"request":{"url":"https://a/x.js"},"response":{"status":200,"content":{"mimeType":"text/javascript"}}},{"request":{"url":"https://a/"},"response":{"status":502,"statusText":"Bad Gateway","headers":[{"name":"Server","value":"nginx"}],"content":{"mimeType":"text/html","text":"<html></html>"}}}]}}"#;
        let o = read(har).expect("reads");
        assert_eq!(o.form, InputForm::Har);
        assert_eq!(o.status, Some(502));
        assert_eq!(o.url.as_deref(), Some("https://a/"));
    }
}
