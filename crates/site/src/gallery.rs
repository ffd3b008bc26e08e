//! The example gallery: one realistic page per main product, loaded with one click. The
//! pages are fixtures from `crates/core/tests/fixtures`, copied to `/examples/` by the
//! pre-renderer so the wasm does not carry them.

/// One example: its name (the file is `/examples/<name>.txt`), the button's label, and the
/// fixture it comes from (relative to `crates/core/tests/fixtures/`).
pub struct Example {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub fixture: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        name: "cloudflare-522",
        label: "Cloudflare 522",
        kind: "copied text",
        fixture: "cloudflare/522-connection-timed-out.txt",
    },
    Example {
        name: "cloudflare-521",
        label: "Cloudflare 521",
        kind: "HTML page",
        fixture: "cloudflare/521-web-server-down.html",
    },
    Example {
        name: "nginx-502",
        label: "nginx 502",
        kind: "HTTP response",
        fixture: "nginx/live-upstream-refused.http",
    },
    Example {
        name: "nginx-log",
        label: "nginx error log",
        kind: "log lines",
        fixture: "nginx/live-upstream-timeout-log.log",
    },
    Example {
        name: "apache-502",
        label: "Apache proxy error",
        kind: "HTTP response",
        fixture: "apache/live-upstream-refused.http",
    },
    Example {
        name: "haproxy-503",
        label: "HAProxy 503",
        kind: "HTTP response",
        fixture: "haproxy/live-no-server.http",
    },
    Example {
        name: "google-502",
        label: "Google 502",
        kind: "HTML page",
        fixture: "google/502-robot-page.html",
    },
    Example {
        name: "aws-alb-502",
        label: "AWS load balancer 502",
        kind: "HTTP response",
        fixture: "aws-elb/502-alb.http",
    },
    Example {
        name: "cloudfront-502",
        label: "CloudFront 502",
        kind: "HTTP response",
        fixture: "cloudfront/502-cannot-connect-to-origin.http",
    },
    Example {
        name: "akamai-403",
        label: "Akamai access denied",
        kind: "HTTP response",
        fixture: "akamai/403-access-denied.http",
    },
    Example {
        name: "vercel-504",
        label: "Vercel 504",
        kind: "copied text",
        fixture: "vercel/504-function-timeout.txt",
    },
    Example {
        name: "heroku-503",
        label: "Heroku 503",
        kind: "HAR file",
        fixture: "heroku/503-application-error-chrome.har",
    },
    Example {
        name: "chrome-dns",
        label: "Chrome: site can't be reached",
        kind: "copied text",
        fixture: "chrome/dns-nxdomain.txt",
    },
];
