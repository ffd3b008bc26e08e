//! Property tests: whatever is pasted, `diagnose` returns (never panics), and what it
//! returns serialises to JSON and reads back unchanged.
//!
//! Inputs are arbitrary bytes, and bytes stitched together from fragments of the syntax
//! the core reads (status lines, curl's `< ` prefixes, headers, HTML, HAR and observation
//! JSON, proxy logs) mixed with invalid UTF-8, NULs and very long lines, which reach far
//! deeper into the readers than random bytes do.
//!
//! More cases: `CULPRIT_FUZZ_CASES=5000 cargo test -p culprit-core --release --test fuzz`.
//! Deeper, coverage-guided fuzzing lives in `fuzz/` (cargo-fuzz, nightly).

// A failing property is a panic by design.
#![allow(clippy::expect_used, clippy::panic)]

use culprit_core::{BrowserObservation, Diagnosis, HeaderPair, diagnose, diagnose_observation};
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

fn check_bytes(input: &[u8]) {
    match diagnose(input) {
        Ok(d) => check_diagnosis(&d),
        Err(e) => assert!(!e.to_string().trim().is_empty(), "errors say something"),
    }
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
        check_diagnosis(&diagnose_observation(&o));
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
