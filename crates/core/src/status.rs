//! What each HTTP status means: every registered 4xx and 5xx code, plus the vendor codes
//! people meet in the wild. A code that one of our products uses of its own (Cloudflare
//! 52x/530, nginx 444/494/499, AWS 460/463/561, ...) is declared in that product's rule file
//! (`[[code]]`); this table keeps the registry and the codes no one product owns (509, 598,
//! 599). [`all`] merges both.
//!
//! The registered set follows the IANA "HTTP Status Code Registry" as updated by RFC 9110
//! (so 413 is "Content Too Large" and 422 "Unprocessable Content"). The meanings are written
//! for a visitor, not for a protocol implementer.

/// Knowledge about one status code.
#[derive(Debug)]
pub struct StatusInfo {
    pub code: u16,
    /// The reason phrase (registered, or the vendor's own).
    pub reason: &'static str,
    /// One or two sentences in plain words: what this status means for a visitor.
    pub meaning: &'static str,
    /// True for codes in the IANA HTTP status code registry.
    pub registered: bool,
    /// For unregistered codes: the product that uses it (`cloudflare`, `nginx`, `aws-elb`...).
    pub vendor: Option<&'static str>,
}

const fn reg(code: u16, reason: &'static str, meaning: &'static str) -> StatusInfo {
    StatusInfo {
        code,
        reason,
        meaning,
        registered: true,
        vendor: None,
    }
}

const fn ven(
    code: u16,
    vendor: &'static str,
    reason: &'static str,
    meaning: &'static str,
) -> StatusInfo {
    StatusInfo {
        code,
        reason,
        meaning,
        registered: false,
        vendor: Some(vendor),
    }
}

/// The registered statuses and the common codes no one product owns, ascending; see [`all`]
/// for every status the core knows.
pub static STATUSES: &[StatusInfo] = &[
    // A few non-errors, so that a status text can always be named.
    reg(
        200,
        "OK",
        "The request worked and the server sent the page.",
    ),
    reg(
        204,
        "No Content",
        "The request worked, and there is deliberately nothing to show.",
    ),
    reg(
        301,
        "Moved Permanently",
        "The page has a new permanent address; the browser follows it on its own.",
    ),
    reg(
        302,
        "Found",
        "The page is for now at another address; the browser follows it on its own.",
    ),
    reg(
        304,
        "Not Modified",
        "The copy the browser already holds is still current, so the server did not send it again.",
    ),
    reg(
        307,
        "Temporary Redirect",
        "The page is for now at another address, and the browser must repeat the very same request there.",
    ),
    reg(
        308,
        "Permanent Redirect",
        "The page has moved for good, and the browser must repeat the very same request at the new address.",
    ),
    // 4xx: the server blames the request.
    reg(
        400,
        "Bad Request",
        "The server could not make sense of the request, often because of a malformed link, a damaged cookie or headers that are too large.",
    ),
    reg(
        401,
        "Unauthorized",
        "The page needs you to sign in, or the sign-in details that were sent were not accepted.",
    ),
    reg(
        402,
        "Payment Required",
        "Reserved for payment schemes; some services use it to say that an account's plan or payment needs attention.",
    ),
    reg(
        403,
        "Forbidden",
        "The server understood the request but will not serve it to you, for example because of permissions, a firewall rule or a regional block.",
    ),
    reg(
        404,
        "Not Found",
        "There is nothing at this address on the server: the link may be mistyped, or the page moved or was removed.",
    ),
    reg(
        405,
        "Method Not Allowed",
        "The address exists but does not accept this kind of request, for example a form sent to a page that only shows content.",
    ),
    reg(
        406,
        "Not Acceptable",
        "The server has no version of the page in a form the browser said it accepts; some firewalls also use this code to turn requests away.",
    ),
    reg(
        407,
        "Proxy Authentication Required",
        "A proxy between you and the site wants you to sign in to it before it passes the request on.",
    ),
    reg(
        408,
        "Request Timeout",
        "The server stopped waiting for the browser to finish sending the request; sending it again usually works.",
    ),
    reg(
        409,
        "Conflict",
        "The request clashes with the current state of what it tries to change, for example an edit someone else made in the meantime.",
    ),
    reg(
        410,
        "Gone",
        "The page was removed on purpose and is not coming back.",
    ),
    reg(
        411,
        "Length Required",
        "The server wants to be told the size of the data being sent, and the request did not say.",
    ),
    reg(
        412,
        "Precondition Failed",
        "A condition attached to the request (such as \"only if unchanged\") did not hold, so the server did nothing.",
    ),
    reg(
        413,
        "Content Too Large",
        "What was sent, often an upload, is bigger than the server is willing to take.",
    ),
    reg(
        414,
        "URI Too Long",
        "The address is longer than the server will read, often because of a runaway query string or a redirect loop.",
    ),
    reg(
        415,
        "Unsupported Media Type",
        "The server does not accept data in the format the request used.",
    ),
    reg(
        416,
        "Range Not Satisfiable",
        "The browser asked for a part of a file that does not exist, such as bytes past its end.",
    ),
    reg(
        417,
        "Expectation Failed",
        "The server cannot meet the condition the request announced in its Expect header.",
    ),
    reg(
        418,
        "I'm a teapot",
        "Born as an April Fools' joke; HTTP keeps the code reserved and unused, though some sites send it for fun or to turn bots away.",
    ),
    reg(
        421,
        "Misdirected Request",
        "The request reached a server that does not answer for this site over this connection; a fresh connection usually fixes it.",
    ),
    reg(
        422,
        "Unprocessable Content",
        "The request was well formed, but its content failed the server's checks, for example a form with invalid values.",
    ),
    reg(
        423,
        "Locked",
        "What the request tries to change is locked at the moment.",
    ),
    reg(
        424,
        "Failed Dependency",
        "The action failed because another action it relied on failed first.",
    ),
    reg(
        425,
        "Too Early",
        "The server would not risk handling a request sent before the secure connection was fully set up; sending it again works.",
    ),
    reg(
        426,
        "Upgrade Required",
        "The server wants the browser to switch to another protocol, such as a newer TLS or HTTP version, before it answers.",
    ),
    reg(
        428,
        "Precondition Required",
        "The server only accepts changes made conditionally, so that nobody overwrites someone else's edit by accident.",
    ),
    reg(
        429,
        "Too Many Requests",
        "You, or your network address, sent too many requests in a short time, and the server asks you to slow down.",
    ),
    reg(
        431,
        "Request Header Fields Too Large",
        "The request's headers, usually its cookies, are bigger than the server accepts.",
    ),
    reg(
        451,
        "Unavailable For Legal Reasons",
        "The page is withheld because of a legal demand, such as a court order or a regional law.",
    ),
    // 5xx: the server, or one behind it, failed.
    reg(
        500,
        "Internal Server Error",
        "The server hit an unexpected problem while handling the request; the fault is on the site's side, not yours.",
    ),
    reg(
        501,
        "Not Implemented",
        "The server does not support what the request asked it to do.",
    ),
    reg(
        502,
        "Bad Gateway",
        "A server that passes requests on (a proxy, CDN or load balancer) got no usable answer from the server behind it.",
    ),
    reg(
        503,
        "Service Unavailable",
        "The server is up but not taking requests right now, usually because it is overloaded or under maintenance.",
    ),
    reg(
        504,
        "Gateway Timeout",
        "A server that passes requests on waited too long for the server behind it and gave up.",
    ),
    reg(
        505,
        "HTTP Version Not Supported",
        "The server refuses the HTTP version the request used.",
    ),
    reg(
        506,
        "Variant Also Negotiates",
        "The server's choice between versions of the page is misconfigured and points back at itself.",
    ),
    reg(
        507,
        "Insufficient Storage",
        "The server ran out of the storage space it needed to complete the request.",
    ),
    reg(
        508,
        "Loop Detected",
        "The server found itself going round in an endless loop while handling the request.",
    ),
    ven(
        509,
        "cpanel",
        "Bandwidth Limit Exceeded",
        "The hosting account used up its bandwidth allowance; the site stays down until the allowance resets or is raised.",
    ),
    reg(
        510,
        "Not Extended",
        "The request lacked an extension the server requires; the code is obsolete and rarely seen.",
    ),
    reg(
        511,
        "Network Authentication Required",
        "The network you are on (hotel, airport or café Wi-Fi, for example) wants you to sign in before it lets you reach the internet.",
    ),
    ven(
        598,
        "proxy",
        "Network Read Timeout Error",
        "Some proxies use this to say the server behind them stopped sending before its answer was complete.",
    ),
    ven(
        599,
        "proxy",
        "Network Connect Timeout Error",
        "Some proxies use this to say they could not connect to the server behind them in time.",
    ),
];

/// Looks a status up.
pub fn info(code: u16) -> Option<&'static StatusInfo> {
    let find = |table: &'static [StatusInfo]| {
        table
            .binary_search_by_key(&code, |s| s.code)
            .ok()
            .and_then(|i| table.get(i))
    };
    find(STATUSES).or_else(|| find(crate::rules::VENDOR_STATUSES))
}

/// Every status the core knows, ascending: the registry and common codes above, plus the
/// codes products use of their own (`[[code]]` in their rule files).
pub fn all() -> Vec<&'static StatusInfo> {
    let mut v: Vec<&'static StatusInfo> = STATUSES
        .iter()
        .chain(crate::rules::VENDOR_STATUSES)
        .collect();
    v.sort_by_key(|s| s.code);
    v.dedup_by_key(|s| s.code);
    v
}

pub fn reason(code: u16) -> Option<&'static str> {
    info(code).map(|s| s.reason)
}

/// True for statuses that are, as a rule, a gateway's (proxy, CDN, load balancer) answer
/// about the server behind it: the failure is behind the one who wrote the page.
pub fn gateway_answer(code: u16) -> bool {
    matches!(
        code,
        502 | 503 | 504 | 520..=527 | 530 | 460 | 463 | 561 | 598 | 599
    )
}

/// What a status's class says in general, for codes the table does not know.
pub fn class_meaning(code: u16) -> &'static str {
    match code / 100 {
        1 => "An interim answer: the server is still working on the request.",
        2 => "The request worked.",
        3 => "The page is somewhere else, and the browser is sent there.",
        4 => "The server blames something about the request itself.",
        5 => "The server, or a server behind it, failed to handle the request.",
        _ => "Not a standard HTTP status.",
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    /// The 4xx and 5xx codes in the IANA registry (RFC 9110 and later additions).
    const REGISTERED_ERRORS: &[u16] = &[
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417,
        418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506,
        507, 508, 510, 511,
    ];

    #[test]
    fn every_registered_error_is_known_and_flagged() {
        for code in REGISTERED_ERRORS {
            let s = info(*code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(s.registered, "{code} should be flagged registered");
            assert!(s.vendor.is_none(), "{code} is registered, so has no vendor");
        }
    }

    #[test]
    fn sorted_unique_and_complete() {
        for table in [STATUSES, crate::rules::VENDOR_STATUSES] {
            for w in table.windows(2) {
                assert!(w[0].code < w[1].code, "{} then {}", w[0].code, w[1].code);
            }
        }
        for s in all() {
            // A product's own code must not also be in the table here.
            assert_eq!(
                STATUSES
                    .iter()
                    .chain(crate::rules::VENDOR_STATUSES)
                    .filter(|t| t.code == s.code)
                    .count(),
                1,
                "{} is declared twice",
                s.code
            );
            assert!(!s.reason.is_empty() && !s.meaning.is_empty(), "{}", s.code);
            assert!(
                s.meaning.ends_with('.'),
                "{} meaning ends with a full stop",
                s.code
            );
            assert_eq!(
                s.registered,
                s.vendor.is_none(),
                "{}: unregistered codes name a vendor",
                s.code
            );
            if s.registered && s.code >= 400 {
                assert!(
                    REGISTERED_ERRORS.contains(&s.code),
                    "{} is not in the registry",
                    s.code
                );
            }
        }
    }

    #[test]
    fn vendor_codes() {
        let cases = [
            (444, "nginx"),
            (460, "aws-elb"),
            (463, "aws-elb"),
            (464, "aws-elb"),
            (494, "nginx"),
            (495, "nginx"),
            (496, "nginx"),
            (497, "nginx"),
            (499, "nginx"),
            (509, "cpanel"),
            (520, "cloudflare"),
            (521, "cloudflare"),
            (522, "cloudflare"),
            (523, "cloudflare"),
            (524, "cloudflare"),
            (525, "cloudflare"),
            (526, "cloudflare"),
            (527, "cloudflare"),
            (530, "cloudflare"),
            (561, "aws-elb"),
            (598, "proxy"),
            (599, "proxy"),
        ];
        for (code, vendor) in cases {
            let s = info(code).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!(s.vendor, Some(vendor), "{code}");
            assert!(!s.registered);
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(reason(502), Some("Bad Gateway"));
        assert_eq!(reason(200), Some("OK"));
        assert_eq!(reason(420), None);
        // A product's own code, from its rule file (laravel.toml).
        assert_eq!(reason(419), Some("Page Expired"));
        assert_eq!(reason(0), None);
        assert!(class_meaning(599).contains("server"));
    }
}
