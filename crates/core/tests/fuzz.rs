//! Property tests: whatever is pasted, `diagnose` returns (never panics), and what it
//! returns serialises to JSON and reads back unchanged.
//!
//! Inputs are arbitrary bytes, and bytes stitched together from fragments of the syntax
//! the core reads (status lines, curl's `< ` prefixes, headers, HTML, HAR and observation
//! JSON, proxy logs) mixed with invalid UTF-8, NULs and very long lines, which reach far
//! deeper into the readers than random bytes do.
//!
//! Every piece of evidence and every identifier must point inside the input (a byte offset
//! within it, a log line it has, a header it names), and the time taken must grow linearly:
//! an input four times larger may take at most about five times as long
//! (`time_grows_linearly`).
//!
//! More cases: `CULPRIT_FUZZ_CASES=5000 cargo test -p culprit-core --release --test fuzz`.
//! Deeper, coverage-guided fuzzing lives in `fuzz/` (cargo-fuzz, nightly).

// A failing property is a panic by design.
#![allow(clippy::expect_used, clippy::panic)]

use culprit_core::{
    BrowserObservation, Diagnosis, HeaderPair, Location, diagnose, diagnose_observation,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

fn cases(default: u32) -> u32 {
    std::env::var("CULPRIT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default_cases),
        // Shrinking long inputs in a debug build can take minutes; a few hundred steps
        // already give a readable counterexample.
        max_shrink_iters: 500,
        ..ProptestConfig::default()
    }
}

/// The properties every answer must have.
fn check_diagnosis(d: &Diagnosis) {
    let json = serde_json::to_string(d).expect("a diagnosis serialises to JSON");
    let back: Diagnosis = serde_json::from_str(&json).expect("the JSON reads back");
    assert_eq!(&back, d, "JSON round trip changes nothing");
    let c = d.source.confidence;
    assert!(
        c.is_finite() && (0.0..=1.0).contains(&c),
        "confidence {c} is within 0..=1"
    );
    assert!(!d.source.id.is_empty(), "the source always has an id");
}

/// What a location may point into: the input's length, how many lines it can hold, and
/// whether a header of a given (lower-case) name is in it.
struct Bounds<'a> {
    len: usize,
    lines: usize,
    has_header: &'a dyn Fn(&str) -> bool,
}

/// The most lines the text read from `input` can have: its own line breaks, plus those a JSON
/// string escape (`\n`, `\u000a`) or a base64 body (three bytes per four characters) can
/// add.
fn max_lines(input: &[u8]) -> usize {
    let breaks = memchr_count(input, b'\n')
        + memmem_count(input, b"\\n")
        + memmem_count(&input.to_ascii_lowercase(), b"\\u000a");
    let base64 = if memmem_count(input, b"base64") > 0 {
        input.len()
    } else {
        0
    };
    1 + breaks + base64
}

fn memchr_count(hay: &[u8], b: u8) -> usize {
    hay.iter().filter(|&&x| x == b).count()
}

fn memmem_count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn check_location(what: &str, location: &Location, bounds: &Bounds<'_>) {
    match location {
        Location::Body { offset } => assert!(
            *offset < bounds.len,
            "{what} at {location:?} points past the end of a {}-byte input",
            bounds.len
        ),
        // Text offsets count bytes of the visible text (docs/diagnosis.md), which can be longer
        // than the input: each invalid byte is read as U+FFFD, three bytes in UTF-8.
        Location::Text { offset } => assert!(
            *offset < bounds.len.saturating_mul(3),
            "{what} at {location:?} points past any visible text a {}-byte input can have",
            bounds.len
        ),
        Location::Log { line } => assert!(
            (1..=bounds.lines).contains(line),
            "{what} at {location:?}: the input has at most {} lines",
            bounds.lines
        ),
        Location::Header { name } => assert!(
            (bounds.has_header)(name),
            "{what} at {location:?}: the input has no such header"
        ),
        Location::StatusLine | Location::Title | Location::NetError => {}
    }
}

/// Every piece of evidence and every identifier points inside the input.
fn check_locations(d: &Diagnosis, bounds: &Bounds<'_>) {
    for e in &d.evidence {
        check_location(&format!("evidence {:?}", e.found), &e.location, bounds);
    }
    for id in &d.ids {
        check_location(&format!("id {:?}", id.value), &id.location, bounds);
    }
}

fn check_bytes(input: &[u8]) {
    match diagnose(input) {
        Ok(d) => {
            check_diagnosis(&d);
            let lower = input.to_ascii_lowercase();
            // A JSON string escape can spell a header name differently from the answer.
            let escaped = input.contains(&b'\\');
            let has_header = |name: &str| escaped || memmem_count(&lower, name.as_bytes()) > 0;
            let bounds = Bounds {
                len: input.len(),
                lines: max_lines(input),
                has_header: &has_header,
            };
            check_locations(&d, &bounds);
        }
        Err(e) => assert!(!e.to_string().trim().is_empty(), "errors say something"),
    }
}

fn check_observation(o: &BrowserObservation) {
    let d = diagnose_observation(o);
    check_diagnosis(&d);
    let body = o.body.as_deref().unwrap_or_default();
    let has_header = |name: &str| {
        o.headers
            .iter()
            .any(|h| h.name.trim().eq_ignore_ascii_case(name))
    };
    let bounds = Bounds {
        len: body.len(),
        lines: 1 + memchr_count(body.as_bytes(), b'\n'),
        has_header: &has_header,
    };
    check_locations(&d, &bounds);
}

// ---------------------------------------------------------------------------------------
// Fragments of the syntax the core reads.

const STATIC_FRAGMENTS: &[&str] = &[
    // Status lines.
    "HTTP/1.1 502 Bad Gateway\r\n",
    "HTTP/1.0 503 Service Unavailable\n",
    "HTTP/2 502\r\n",
    "HTTP/2 503 \r\n",
    "HTTP/3 404\n",
    "HTTP/1.1 200 OK\r\n",
    "HTTP/1.1 100 Continue\r\n\r\n",
    "HTTP/1.1 301 Moved Permanently\r\nLocation: https://x.example/\r\n\r\n",
    "HTTP/1.1 999 \r\n",
    "HTTP/1.1 0\r\n",
    "HTTP/",
    "HTTP/1.1 52",
    // curl -v.
    "< ",
    "> ",
    "* ",
    "> GET / HTTP/1.1\r\n> Host: shop.example\r\n> User-Agent: curl/8.5.0\r\n>\r\n",
    "* Connected to shop.example (203.0.113.7) port 443\n",
    "* Could not resolve host: shop.example\n",
    "curl: (6) Could not resolve host: shop.example\n",
    "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL\n",
    "< HTTP/2 502 \r\n",
    "{ [5 bytes data]\n",
    // Headers.
    "Server: nginx/1.22.1\r\n",
    "Server: cloudflare\r\n",
    "server: AmazonS3\r\n",
    "CF-RAY: 7d2a1b3c4d5e6f70-AMS\r\n",
    "cf-ray: -\r\n",
    "cf-ray: \r\n",
    "Via: 1.1 varnish, 1.1 google\r\n",
    "X-Cache: Error from cloudfront\r\n",
    "X-Amz-Cf-Id: aBcD==\r\n",
    "X-Served-By: cache-ams21-AMS\r\n",
    "x-vercel-id: fra1::abcd-123\r\n",
    "x-vercel-error: DEPLOYMENT_NOT_FOUND\r\n",
    "Retry-After: 120\r\n",
    "Retry-After: Sat, 21 Nov 2026 10:00:00 GMT\r\n",
    "Retry-After: -5\r\n",
    "Retry-After: 99999999999999999999999\r\n",
    "Content-Type: text/html; charset=utf-8\r\n",
    "Content-Type: application/json\r\n",
    "Content-Encoding: gzip\r\n",
    "Content-Encoding: br\r\n",
    "Transfer-Encoding: chunked\r\n",
    "Content-Length: 18446744073709551616\r\n",
    "Content-Length: -1\r\n",
    ": no name\r\n",
    "no colon at all\r\n",
    "\tfolded continuation\r\n",
    "\r\n",
    "\n",
    "\r\n\r\n",
    "\r",
    // Chunked bodies.
    "1a\r\n",
    "ffffffffffffffffffffffff\r\n",
    "0\r\n\r\n",
    // HTML.
    "<!DOCTYPE html>",
    "<html>",
    "</html>",
    "<head>",
    "<title>",
    "</title>",
    "<TITLE>502 Bad Gateway</TITLE>",
    "<title>",
    "<h1>502 Bad Gateway</h1>",
    "<center>nginx</center>",
    "<hr><center>openresty</center>",
    "<address>Apache/2.4.62 (Debian) Server at shop.example Port 80</address>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<",
    ">",
    "</",
    "<p",
    "<a href=\"https://www.cloudflare.com/5xx-error-landing\">",
    "Cloudflare Ray ID: ",
    "Ray ID: 7d2a1b3c4d5e6f70",
    "Error code 522",
    "Error 1020",
    "Performance &amp; security by Cloudflare",
    "The request could not be satisfied.",
    "Request ID: ",
    "Reference&#32;&#35;18&#46;",
    "Application error",
    "An error occurred in the application and your page could not be served.",
    "This site can’t be reached",
    "DNS_PROBE_FINISHED_NXDOMAIN",
    "ERR_CONNECTION_REFUSED",
    "net::ERR_NAME_NOT_RESOLVED",
    "&amp;",
    "&#x",
    "&#xFFFFFFFF;",
    "&#99999999999;",
    "&#0;",
    "&;",
    "&nbsp;&nbsp;",
    // HAR and observation JSON.
    "{\"log\":{\"version\":\"1.2\",\"entries\":[",
    "{\"request\":{\"method\":\"GET\",\"url\":\"https://shop.example/\"},",
    "\"response\":{\"status\":502,\"statusText\":\"Bad Gateway\",\"headers\":[",
    "{\"name\":\"server\",\"value\":\"cloudflare\"}",
    "],\"content\":{\"mimeType\":\"text/html\",\"text\":\"",
    "\",\"encoding\":\"base64\"",
    "\"_resourceType\":\"document\"",
    "]}}",
    "}}",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "\\udc00\\ud800",
    "\\n",
    "null",
    "{\"status\":502,\"headers\":[],\"body\":\"",
    "{\"net_error\":\"net::ERR_NAME_NOT_RESOLVED\",\"url\":\"https://x.example/\"}",
    "{\"status\":70000}",
    // Proxy and platform logs.
    "2026/11/21 10:00:00 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.4, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8080/\", host: \"shop.example\"\n",
    "2026/11/21 10:00:00 [crit] 1#1: *1 upstream timed out (110: Connection timed out)\n",
    "198.51.100.4 - - [21/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 502 157 \"-\" \"curl/8.5.0\"\n",
    "[21/Nov/2026:10:00:00.000] fe be/srv1 0/0/-1/-1/3 503 217 - - SC-- 1/1/0/0/3 0/0 \"GET / HTTP/1.1\"\n",
    "[2026-11-21T10:00:00.000Z] \"GET / HTTP/1.1\" 503 UF,URX upstream_reset_before_response_started{connection_failure}\n",
    "at=error code=H10 desc=\"App crashed\" method=GET path=\"/\" host=shop.example status=503\n",
    "[Sat Nov 21 10:00:00.000000 2026] [proxy_http:error] [pid 1] (111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1:8080 failed\n",
    // Text that changes length when lower-cased, and other awkward characters.
    "İ",
    "ẞ",
    "Ⱥ",
    "ﬁ",
    "é",
    "😀",
    "\u{202e}",
    "\u{feff}",
    "\u{0}",
    "\u{85}",
    "\u{2028}",
];

/// Byte fragments that are not valid UTF-8 or are control bytes.
const BYTE_FRAGMENTS: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x80\x80\x80",
    b"\0",
    b"\0\0\0\0\0\0\0\0",
    b"\x1b[31m",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
];

const HEADER_NAMES: &[&str] = &[
    "server",
    "Server",
    "SERVER",
    "cf-ray",
    "via",
    "x-cache",
    "x-served-by",
    "x-amz-cf-id",
    "x-amz-cf-pop",
    "x-amzn-requestid",
    "x-azure-ref",
    "x-vercel-id",
    "x-vercel-error",
    "x-nf-request-id",
    "x-github-request-id",
    "x-request-id",
    "retry-after",
    "content-type",
    "content-encoding",
    "content-length",
    "location",
    "set-cookie",
    "",
];

const HEADER_VALUES: &[&str] = &[
    "nginx",
    "cloudflare",
    "Apache/2.4.62 (Debian)",
    "Microsoft-IIS/10.0",
    "AmazonS3",
    "Vercel",
    "Netlify",
    "GitHub.com",
    "envoy",
    "7d2a1b3c4d5e6f70-AMS",
    "1.1 varnish",
    "Error from cloudfront",
    "120",
    "0",
    "Sat, 21 Nov 2026 10:00:00 GMT",
    "gzip",
    "text/html",
    "",
    " ",
    "-",
];

const NET_ERRORS: &[&str] = &[
    "net::ERR_NAME_NOT_RESOLVED",
    "ERR_NAME_NOT_RESOLVED",
    "net::ERR_CONNECTION_REFUSED",
    "net::ERR_CONNECTION_TIMED_OUT",
    "net::ERR_CERT_DATE_INVALID",
    "net::ERR_SSL_PROTOCOL_ERROR",
    "net::ERR_INTERNET_DISCONNECTED",
    "NS_ERROR_UNKNOWN_HOST",
    "NS_ERROR_CONNECTION_REFUSED",
    "SEC_ERROR_EXPIRED_CERTIFICATE",
    "net::",
    "",
];

fn header_line() -> impl Strategy<Value = Vec<u8>> {
    (
        select(HEADER_NAMES),
        prop_oneof![
            3 => select(HEADER_VALUES).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, value, curl, crlf)| {
            let prefix = if curl { "< " } else { "" };
            let end = if crlf { "\r\n" } else { "\n" };
            format!("{prefix}{name}: {value}{end}").into_bytes()
        })
}

/// One piece of an input.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        12 => select(STATIC_FRAGMENTS).prop_map(|s| s.as_bytes().to_vec()),
        3 => select(BYTE_FRAGMENTS).prop_map(<[u8]>::to_vec),
        4 => header_line(),
        2 => (any::<u16>(), select(&["HTTP/1.1", "HTTP/1.0", "HTTP/2", "< HTTP/2", "HTTP/3"][..]))
            .prop_map(|(code, version)| format!("{version} {code} Whatever\r\n").into_bytes()),
        2 => any::<String>().prop_map(String::into_bytes),
        1 => vec(any::<u8>(), 0..64),
        // Very long header lines and runs of one character.
        1 => (1usize..40_000, select(&["X-Long: ", "< Server: ", "<title>", "", "Ray ID: "][..]))
            .prop_map(|(n, prefix)| {
                let mut line = prefix.as_bytes().to_vec();
                line.resize(prefix.len() + n, b'a');
                line.extend_from_slice(b"\r\n");
                line
            }),
        1 => (1usize..5_000, select(&["<", "&", "\r\n", "< ", ": ", "\"", "{", "[", "\\", "-->"][..]))
            .prop_map(|(n, unit)| unit.repeat(n).into_bytes()),
    ]
}

fn stitched() -> impl Strategy<Value = Vec<u8>> {
    vec(fragment(), 0..48).prop_map(|parts| parts.concat())
}

/// A response that starts the way real ones do, so the parser gets past the status line.
fn response_like() -> impl Strategy<Value = Vec<u8>> {
    (
        select(
            &[
                "HTTP/1.1 502 Bad Gateway\r\n",
                "HTTP/2 503\r\n",
                "< HTTP/2 520 \r\n",
                "HTTP/1.1 404 Not Found\n",
            ][..],
        ),
        vec(header_line(), 0..12),
        select(&["\r\n", "\n", "<\r\n", ""][..]),
        stitched(),
    )
        .prop_map(|(status, headers, gap, body)| {
            let mut out = status.as_bytes().to_vec();
            for h in headers {
                out.extend_from_slice(&h);
            }
            out.extend_from_slice(gap.as_bytes());
            out.extend_from_slice(&body);
            out
        })
}

fn text_from(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

fn har_like() -> impl Strategy<Value = Vec<u8>> {
    let entry = (
        any::<u16>(),
        vec((select(HEADER_NAMES), select(HEADER_VALUES)), 0..6),
        stitched().prop_map(text_from),
        select(&["text/html", "text/plain", "application/json", "", "image/png"][..]),
        select(&["document", "xhr", "script", ""][..]),
        any::<bool>(),
    )
        .prop_map(|(status, headers, text, mime, kind, base64)| {
            let headers: Vec<serde_json::Value> = headers
                .into_iter()
                .map(|(n, v)| serde_json::json!({ "name": n, "value": v }))
                .collect();
            let mut content = serde_json::json!({ "mimeType": mime, "size": text.len(), "text": text });
            if base64 {
                content["encoding"] = serde_json::json!("base64");
            }
            serde_json::json!({
                "request": { "method": "GET", "url": "https://shop.example/", "headers": [] },
                "response": { "status": status, "statusText": "", "headers": headers, "content": content },
                "_resourceType": kind,
            })
        });
    vec(entry, 0..5).prop_map(|entries| {
        serde_json::to_vec(&serde_json::json!({ "log": { "version": "1.2", "entries": entries } }))
            .expect("a JSON value serialises")
    })
}

fn maybe_string() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        2 => stitched().prop_map(text_from),
        1 => any::<String>(),
    ])
}

fn observation() -> impl Strategy<Value = BrowserObservation> {
    let header = (
        prop_oneof![3 => select(HEADER_NAMES).prop_map(str::to_string), 1 => any::<String>()],
        prop_oneof![3 => select(HEADER_VALUES).prop_map(str::to_string), 1 => any::<String>()],
    )
        .prop_map(|(name, value)| HeaderPair { name, value });
    (
        prop::option::of(prop_oneof![
            Just("https://shop.example/checkout".to_string()),
            any::<String>()
        ]),
        prop::option::of(any::<u16>()),
        prop::option::of(any::<String>()),
        vec(header, 0..10),
        maybe_string(),
        prop::option::of(prop_oneof![
            3 => select(NET_ERRORS).prop_map(str::to_string),
            1 => any::<String>(),
        ]),
        prop::option::of(prop_oneof![
            Just("chrome".to_string()),
            Just("firefox".to_string()),
            any::<String>()
        ]),
    )
        .prop_map(
            |(url, status, status_text, headers, body, net_error, browser)| BrowserObservation {
                url,
                status,
                status_text,
                headers,
                body,
                net_error,
                browser,
            },
        )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes(input in vec(any::<u8>(), 0..4096)) {
        check_bytes(&input);
    }

    #[test]
    fn stitched_fragments(input in stitched()) {
        check_bytes(&input);
    }

    #[test]
    fn responses(input in response_like()) {
        check_bytes(&input);
    }

    #[test]
    fn har_files(input in har_like()) {
        check_bytes(&input);
    }

    #[test]
    fn observations(o in observation()) {
        check_observation(&o);
        // The same observation sent as JSON through the byte reader.
        let json = serde_json::to_vec(&o).expect("an observation serialises");
        check_bytes(&json);
    }
}

/// Pathological shapes, once each, at sizes random inputs rarely reach.
#[test]
fn large_pathological_inputs() {
    let mb = 1 << 20;
    let mut inputs: Vec<Vec<u8>> = vec![
        // One enormous header line.
        [
            &b"HTTP/1.1 502 Bad Gateway\r\nX-Long: "[..],
            &vec![b'a'; mb],
            b"\r\n\r\n<title>502</title>",
        ]
        .concat(),
        // A million '<'.
        vec![b'<'; mb],
        // Unterminated comment and script.
        [&b"<html><!--"[..], &vec![b'x'; mb]].concat(),
        [&b"<script>"[..], &"</scrip".repeat(mb / 8).into_bytes()].concat(),
        // Many curl lines.
        "< x-a: b\r\n".repeat(mb / 10).into_bytes(),
        // Many titles and entities.
        "<title>&#x1F600;&amp".repeat(mb / 20).into_bytes(),
        // Deep JSON.
        [&"[".repeat(100_000), &"]".repeat(100_000)[..]]
            .concat()
            .into_bytes(),
        [
            &b"{\"log\":{\"entries\":"[..],
            &"[".repeat(50_000).into_bytes(),
        ]
        .concat(),
        // Log lines only.
        "2026/11/21 10:00:00 [error] 1#1: *1 upstream prematurely closed connection\n"
            .repeat(10_000)
            .into_bytes(),
        // Lower-casing that grows the text.
        "İẞȺ".repeat(mb / 8).into_bytes(),
    ];
    // A body of NULs after a real header block, and invalid UTF-8 throughout.
    inputs.push(
        [
            &b"HTTP/1.1 503 Service Unavailable\r\n\r\n"[..],
            &vec![0u8; mb],
        ]
        .concat(),
    );
    inputs.push(b"\xff\xfe<title>\xc3</title>".repeat(mb / 16));
    for input in &inputs {
        check_bytes(input);
    }
}

/// Every fixture's evidence and identifiers point inside the fixture.
#[test]
fn fixture_locations_point_inside_the_input() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = 0;
    for dir in std::fs::read_dir(&root).expect("fixtures").flatten() {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.flatten().map(|e| e.path()) {
            let name = f.to_string_lossy();
            if name.ends_with(".toml") || name.ends_with(".json") || name.ends_with(".md") {
                continue;
            }
            check_bytes(&std::fs::read(&f).expect("a fixture can be read"));
            seen += 1;
        }
    }
    assert!(seen > 100, "only {seen} fixtures");
}

// ---------------------------------------------------------------------------------------
// Time: an input four times larger takes at most about five times as long.

/// Allowed growth of the time for an input 4x larger: linear is 4x, the budget "about 5x"
/// (5x plus 15% for timer and cache noise on a busy machine); a quadratic pass is 16x.
const MAX_GROWTH: f64 = 5.75;
/// The small input; the large one is four times this. Both stay under the 512 KiB a body is
/// searched whole, so the whole of both is scanned.
const SMALL: usize = 96 * 1024;

/// `unit` repeated to `len` bytes (cut at the end), after `head`.
fn repeated(head: &str, unit: &[u8], len: usize) -> Vec<u8> {
    let mut out = head.as_bytes().to_vec();
    while out.len() < len {
        out.extend_from_slice(unit);
    }
    out.truncate(len.max(head.len()));
    out
}

/// Hostile inputs: every signal the rules look for, and near misses of each (the pattern
/// without its last byte, and with its first byte changed), repeated; markup and entity
/// openers that never close; log lines; text that grows when lower-cased. Each as a
/// response body and as pasted text.
fn hostile_units() -> Vec<(String, Vec<u8>)> {
    let patterns: Vec<&str> = culprit_core::sources()
        .iter()
        .flat_map(|r| r.signals.iter().map(|s| s.pattern))
        .filter(|p| !p.is_empty())
        .collect();
    let join = |f: &dyn Fn(&str) -> String| {
        patterns
            .iter()
            .map(|p| f(p))
            .collect::<Vec<_>>()
            .join(" ")
            .into_bytes()
    };
    let near_end = join(&|p| {
        let mut cut = p.len() - 1;
        while !p.is_char_boundary(cut) {
            cut -= 1;
        }
        p[..cut].to_string()
    });
    let near_start = join(&|p| format!("x{}", p.get(1..).unwrap_or_default()));
    vec![
        ("every signal".to_string(), join(&|p| p.to_string())),
        ("signals without their last byte".to_string(), near_end),
        ("signals with another first byte".to_string(), near_start),
        (
            "unclosed markup and entities".to_string(),
            b"<a <title <!-- <script &#x &#99 &amp &nbsp <![CDATA[ </".to_vec(),
        ),
        (
            "log lines".to_string(),
            b"2026/11/21 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused) \
              while connecting to upstream, upstream: \"http://127.0.0.1:8080/\"\n"
                .to_vec(),
        ),
        (
            "text that grows lower-cased".to_string(),
            "İẞȺ ".as_bytes().to_vec(),
        ),
    ]
}

/// The least time of `runs` calls on `input`.
fn least_time(input: &[u8], runs: usize) -> std::time::Duration {
    (0..runs)
        .map(|_| {
            let start = std::time::Instant::now();
            let _ = std::hint::black_box(diagnose(std::hint::black_box(input)));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// How much longer `large` takes than `small`: the least of several interleaved runs each,
/// measured again (up to three rounds) before a busy machine is blamed on the code.
fn growth(small: &[u8], large: &[u8]) -> (f64, std::time::Duration, std::time::Duration) {
    let mut best = (f64::INFINITY, Default::default(), Default::default());
    for _round in 0..3 {
        let (mut s, mut l) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..5 {
            s = s.min(least_time(small, 1));
            l = l.min(least_time(large, 1));
        }
        let ratio = l.as_secs_f64() / s.as_secs_f64().max(1e-9);
        if ratio < best.0 {
            best = (ratio, s, l);
        }
        if ratio <= MAX_GROWTH {
            break;
        }
    }
    best
}

/// The timing check itself can fail: a pass that is quadratic in its input is caught.
#[test]
fn growth_check_catches_a_quadratic_pass() {
    let quadratic = |input: &[u8]| {
        let n = input.len() / 64;
        let mut sum = 0u64;
        for i in 0..n {
            for j in 0..n {
                sum = sum.wrapping_add(u64::from(input[i] ^ input[j]));
            }
        }
        std::hint::black_box(sum)
    };
    let time = |input: &[u8]| {
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                quadratic(input);
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let small = vec![7u8; SMALL];
    let large = vec![7u8; 4 * SMALL];
    let ratio = time(&large).as_secs_f64() / time(&small).as_secs_f64().max(1e-9);
    assert!(ratio > MAX_GROWTH, "a quadratic pass grew only {ratio:.1}x");
}

/// One test (not per proptest case), so the timings are taken in one quiet place: the same
/// process, warmed up, least of several runs.
#[test]
fn time_grows_linearly() {
    // The first call builds the automaton; it must not count.
    let _ = diagnose(b"HTTP/1.1 502 Bad Gateway\r\n\r\nwarm up");
    let mut report = Vec::new();
    let mut slow = Vec::new();
    for (name, unit) in hostile_units() {
        for (form, head) in [
            (
                "body",
                "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n\r\n",
            ),
            ("pasted", ""),
        ] {
            let small = repeated(head, &unit, SMALL);
            let large = repeated(head, &unit, 4 * SMALL);
            let (ratio, s, l) = growth(&small, &large);
            let line = format!("{name} ({form}): {s:?} -> {l:?}, {ratio:.2}x");
            if ratio > MAX_GROWTH {
                slow.push(line.clone());
            }
            report.push(line);
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        slow.is_empty(),
        "an input 4x larger took more than {MAX_GROWTH}x as long:\n{}",
        slow.join("\n")
    );
}
