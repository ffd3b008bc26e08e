//! Advice: the failing hop's explanation, retry guidance and fixes, chosen from the status,
//! the source, the failing hop and the facts the rules found.
//!
//! Everything starts from [`Situation`]: one classification of what went wrong, made from
//! (in this order) the kind of source, a browser network error, the facts the rules found,
//! and the status code. The sentences and fixes are then picked from the situation, and the
//! concrete commands from the product that wrote the page (its "family").

use crate::model::{Category, Fix, Hop, Retry, RetryAdvice, Via};
use crate::neterror::{self, NetKind};
use crate::rules::Fact;

/// Everything advice may depend on.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub status: Option<u16>,
    pub source_id: &'a str,
    pub source_name: &'a str,
    pub category: Category,
    /// The hop the source occupies (e.g. nginx: gateway, Cloudflare: edge, Chrome: browser).
    pub role: Hop,
    /// The hop that failed (decided by the engine).
    pub hop: Hop,
    /// Facts found by rules, e.g. `upstream-refused`, `php-fpm` (see build.rs FACTS).
    pub facts: &'a [Fact],
    /// Canonical browser network error code, when there is one.
    pub net_error: Option<&'a str>,
    pub via: &'a [Via],
    /// True when an identifier (Ray ID, request ID...) was found to quote to the owner.
    pub has_ids: bool,
    /// `Retry-After` as seconds, when sent and readable.
    pub retry_after_seconds: Option<u64>,
    /// `Retry-After` as an HTTP date that could not be turned into seconds.
    pub retry_after_date: Option<&'a str>,
    /// True when the input was log lines rather than a page or a response.
    pub from_log: bool,
}

/// What went wrong, as far as advice is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Situation {
    /// Not an error page.
    NotError,
    /// A browser network error, before any HTTP status.
    Net(NetKind),
    // The request was turned away (4xx).
    NotFound,
    Gone,
    BadRequest,
    /// 400/431/494 because of oversized headers, nearly always cookies.
    CookiesTooLarge,
    /// 413: an upload or form too big.
    PayloadTooLarge,
    UriTooLong,
    Unauthorized,
    ProxyAuth,
    Forbidden,
    /// A security rule (WAF, bot check, IP or country filter) stopped the request.
    Blocked,
    RateLimited,
    /// 408: the request arrived too slowly.
    ClientTimeout,
    /// 421/425: send again on a fresh connection.
    SendAgain,
    /// 460/499: the client gave up first (log lines).
    ClientClosed,
    /// 495/496: a client certificate is required.
    ClientCert,
    /// 497: http:// sent to the HTTPS port.
    HttpsPort,
    Legal,
    ClientOther,
    // The site, or a hop behind the writer, failed (5xx).
    UpstreamRefused,
    UpstreamClosed,
    UpstreamReset,
    UpstreamTimeout,
    /// The connection to the server behind could not even be opened in time (522, 599).
    ConnectTimeout,
    UpstreamInvalid,
    UpstreamHeaderTooBig,
    UpstreamDns,
    UpstreamTls,
    NoUpstream,
    OriginUnreachable,
    EdgeInternal,
    AppCrashed,
    AppBootTimeout,
    Overloaded,
    Maintenance,
    BandwidthLimit,
    NetworkAuth,
    /// 500 from the application (or the web server itself).
    ServerError,
    /// 502 without anything more specific.
    BadGateway,
    /// 503 without anything more specific.
    Unavailable,
    /// 504 without anything more specific.
    GatewayTimeout,
    NotImplemented,
    ServerOther,
    /// No status, no network error, no facts.
    Unknown,
}

impl Situation {
    /// True for situations where the request itself (or the visitor's side) is the issue.
    fn client_side(self) -> bool {
        use Situation::*;
        matches!(
            self,
            NotFound
                | Gone
                | BadRequest
                | CookiesTooLarge
                | PayloadTooLarge
                | UriTooLong
                | Unauthorized
                | ProxyAuth
                | Forbidden
                | Blocked
                | RateLimited
                | ClientTimeout
                | SendAgain
                | ClientClosed
                | ClientCert
                | HttpsPort
                | Legal
                | ClientOther
                | NetworkAuth
        )
    }

    /// True when the writer could not get an answer from the server behind it.
    fn upstream(self) -> bool {
        use Situation::*;
        matches!(
            self,
            UpstreamRefused
                | UpstreamClosed
                | UpstreamReset
                | UpstreamTimeout
                | ConnectTimeout
                | UpstreamInvalid
                | UpstreamHeaderTooBig
                | UpstreamDns
                | UpstreamTls
                | NoUpstream
                | OriginUnreachable
                | BadGateway
                | GatewayTimeout
                | AppCrashed
                | AppBootTimeout
        )
    }
}

impl Context<'_> {
    fn has(&self, fact: Fact) -> bool {
        self.facts.contains(&fact)
    }

    fn php(&self) -> bool {
        self.has(Fact::PhpFpm)
    }

    fn net(&self) -> Option<&'static neterror::NetErrorInfo> {
        self.net_error.and_then(neterror::info)
    }

    fn is_none(&self) -> bool {
        self.source_id == "none" || self.category == Category::None
    }

    fn is_site(&self) -> bool {
        self.source_id == "custom" || self.category == Category::Site
    }

    fn via_has(&self, id: &str) -> bool {
        self.via.iter().any(|v| v.id == id)
    }
}

/// Classifies what went wrong.
pub fn situation(ctx: &Context<'_>) -> Situation {
    use Situation::*;
    if ctx.is_none() {
        return NotError;
    }
    if let Some(n) = ctx.net()
        && (ctx.status.is_none() || ctx.category == Category::Browser)
        && !(n.kind == NetKind::HttpStatus && ctx.status.is_some())
    {
        return Net(n.kind);
    }
    if ctx.category == Category::Browser || (ctx.status.is_none() && ctx.net_error.is_some()) {
        // A browser's own page whose code was not recognised: go by what the page says.
        return Net(if ctx.status.is_some() {
            NetKind::HttpStatus
        } else if ctx.has(Fact::Dns) {
            NetKind::Dns
        } else if ctx.has(Fact::OriginUnreachable) || ctx.has(Fact::UpstreamRefused) {
            NetKind::Unreachable
        } else if ctx.has(Fact::UpstreamTimeout) {
            NetKind::Timeout
        } else if ctx.has(Fact::OriginTls) {
            NetKind::Tls
        } else {
            NetKind::Other
        });
    }
    let status = ctx.status.unwrap_or(0);
    if let Some(s) = from_facts(ctx, status) {
        return s;
    }
    from_status(status)
}

fn from_facts(ctx: &Context<'_>, status: u16) -> Option<Situation> {
    use Situation::*;
    let order: &[(Fact, Situation)] = &[
        (Fact::Maintenance, Maintenance),
        (Fact::RateLimited, RateLimited),
        (Fact::Blocked, Blocked),
        (Fact::UpstreamHeaderTooBig, UpstreamHeaderTooBig),
        (Fact::Dns, UpstreamDns),
        (Fact::UpstreamDns, UpstreamDns),
        (Fact::OriginTls, UpstreamTls),
        (Fact::UpstreamTls, UpstreamTls),
        (Fact::AppCrashed, AppCrashed),
        (Fact::AppBootTimeout, AppBootTimeout),
        // No server to try comes before what happened to the one tried.
        (Fact::NoUpstream, NoUpstream),
        (Fact::UpstreamRefused, UpstreamRefused),
        (Fact::UpstreamTimeout, UpstreamTimeout),
        (Fact::UpstreamReset, UpstreamReset),
        (Fact::UpstreamClosed, UpstreamClosed),
        (Fact::UpstreamInvalid, UpstreamInvalid),
        (Fact::UpstreamFailed, BadGateway),
        (Fact::OriginUnreachable, OriginUnreachable),
        (Fact::EdgeInternal, EdgeInternal),
        (Fact::Overloaded, Overloaded),
    ];
    if ctx.has(Fact::RequestTooLarge) {
        return Some(match status {
            413 => PayloadTooLarge,
            414 => UriTooLong,
            _ => CookiesTooLarge,
        });
    }
    if ctx.has(Fact::NotFound) {
        return Some(if status == 410 { Gone } else { NotFound });
    }
    if ctx.has(Fact::RequestTimeout) {
        return Some(if status == 408 {
            ClientTimeout
        } else {
            UpstreamTimeout
        });
    }
    order.iter().find(|(f, _)| ctx.has(*f)).map(|(_, s)| *s)
}

fn from_status(status: u16) -> Situation {
    use Situation::*;
    match status {
        0 => Unknown,
        1..=399 => NotError,
        400 | 463 | 464 => BadRequest,
        401 | 561 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        407 => ProxyAuth,
        408 => ClientTimeout,
        410 => Gone,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        421 | 425 => SendAgain,
        429 => RateLimited,
        431 | 494 => CookiesTooLarge,
        444 => Blocked,
        451 => Legal,
        460 | 499 => ClientClosed,
        495 | 496 => ClientCert,
        497 => HttpsPort,
        400..=499 => ClientOther,
        500 => ServerError,
        502 => BadGateway,
        503 => Unavailable,
        504 => GatewayTimeout,
        501 | 505 | 506 | 510 => NotImplemented,
        509 => BandwidthLimit,
        511 => NetworkAuth,
        520 => UpstreamInvalid,
        521 => UpstreamRefused,
        522 | 599 => ConnectTimeout,
        523 | 527 => OriginUnreachable,
        524 | 598 => UpstreamTimeout,
        525 | 526 => UpstreamTls,
        530 => UpstreamDns,
        _ => ServerOther,
    }
}

// ---------------------------------------------------------------------------------------
// Families: which product's commands to give.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Nginx,
    Apache,
    Iis,
    LiteSpeed,
    Caddy,
    HaProxy,
    Varnish,
    Squid,
    TrafficServer,
    Envoy,
    Traefik,
    Lighttpd,
    Tinyproxy,
    Nghttpx,
    Tomcat,
    Cloudflare,
    CloudFront,
    Akamai,
    Fastly,
    Google,
    AzureFrontDoor,
    Vercel,
    Netlify,
    Heroku,
    GitHubPages,
    AwsElb,
    AwsApiGateway,
    Other,
}

fn family(id: &str) -> Family {
    use Family::*;
    match id {
        "nginx" | "openresty" => Nginx,
        "apache" => Apache,
        "iis" => Iis,
        "litespeed" => LiteSpeed,
        "caddy" => Caddy,
        "haproxy" => HaProxy,
        "varnish" => Varnish,
        "squid" => Squid,
        "trafficserver" => TrafficServer,
        "envoy" => Envoy,
        "traefik" => Traefik,
        "lighttpd" => Lighttpd,
        "tinyproxy" => Tinyproxy,
        "nghttpx" => Nghttpx,
        "tomcat" => Tomcat,
        "cloudflare" => Cloudflare,
        "cloudfront" => CloudFront,
        "akamai" => Akamai,
        "fastly" => Fastly,
        "google" => Google,
        "azure-front-door" => AzureFrontDoor,
        "vercel" => Vercel,
        "netlify" => Netlify,
        "heroku" => Heroku,
        "github-pages" => GitHubPages,
        "aws-elb" => AwsElb,
        "aws-api-gateway" => AwsApiGateway,
        _ => Other,
    }
}

fn fam(ctx: &Context<'_>) -> Family {
    family(ctx.source_id)
}

/// True for shared front ends that route many sites by host name, so a 404 there may mean
/// "no site configured for this name" rather than "no such page".
fn serves_many_sites(ctx: &Context<'_>) -> bool {
    matches!(
        ctx.category,
        Category::Cdn | Category::Platform | Category::LoadBalancer | Category::Proxy
    )
}

/// True for a proxy on the visitor's side (a corporate or personal forward proxy).
fn forward_proxy(ctx: &Context<'_>) -> bool {
    ctx.category == Category::Proxy && ctx.role == Hop::Network
}

/// True for products that sit in front of a separate origin server run by the site owner.
fn fronts_origin(ctx: &Context<'_>) -> bool {
    matches!(ctx.category, Category::Cdn | Category::LoadBalancer)
}

// ---------------------------------------------------------------------------------------
// Naming the hops.

// Our sentences and names are ASCII: ASCII case mapping keeps Unicode's case tables out of
// the wasm.
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// "nginx, the gateway in front of the site," (with the comma closing the apposition).
fn who(ctx: &Context<'_>, s: Situation) -> String {
    let n = ctx.source_name;
    match ctx.category {
        _ if ctx.is_site() => "the site's own application".to_string(),
        Category::Cdn => format!("{n}, the CDN in front of the site,"),
        Category::Platform => format!("{n}, the platform hosting the site,"),
        Category::LoadBalancer if fam(ctx) == Family::AwsApiGateway => {
            format!("{n}, the API gateway in front of the site,")
        }
        Category::LoadBalancer => format!("{n}, the load balancer in front of the site,"),
        Category::Proxy if ctx.role == Hop::Network || ctx.hop == Hop::Network => {
            format!("{n}, a proxy between you and the site,")
        }
        Category::Proxy => format!("{n}, the proxy in front of the site,"),
        Category::WebServer if s.upstream() => format!("{n}, the gateway in front of the site,"),
        Category::WebServer => format!("{n}, the site's web server,"),
        Category::AppServer => format!("{n}, the site's application server,"),
        Category::Browser => format!("your browser ({n})"),
        _ => n.to_string(),
    }
}

/// The server behind the writer, e.g. "the application server behind it".
fn backend(ctx: &Context<'_>) -> &'static str {
    if forward_proxy(ctx) {
        return "the site's server";
    }
    if ctx.php() {
        return "PHP-FPM, the PHP process manager behind it";
    }
    match fam(ctx) {
        Family::Heroku => return "the app's web dynos",
        Family::Vercel | Family::Netlify => return "the site's server-side function",
        Family::GitHubPages => return "the site's published files",
        Family::AwsElb => return "the servers (targets) behind it",
        Family::AwsApiGateway => {
            return "the integration behind it (a Lambda function or HTTP backend)";
        }
        _ => {}
    }
    match ctx.category {
        Category::Cdn | Category::LoadBalancer => "the site's origin server",
        Category::Platform => "the site's application",
        Category::AppServer => "the application it runs",
        Category::Proxy | Category::WebServer => "the application server behind it",
        _ => "the server behind it",
    }
}

/// Shorter form for the summary line.
fn backend_short(ctx: &Context<'_>) -> &'static str {
    if forward_proxy(ctx) {
        return "the site's server";
    }
    if ctx.php() {
        return "PHP-FPM behind it";
    }
    match fam(ctx) {
        Family::Heroku | Family::Vercel | Family::Netlify => return "the app",
        Family::AwsElb => return "the targets behind it",
        Family::AwsApiGateway => return "the integration behind it",
        _ => {}
    }
    match ctx.category {
        Category::Cdn | Category::LoadBalancer => "the origin server",
        Category::Platform | Category::AppServer => "the app",
        _ => "the app server behind it",
    }
}

fn status_label(ctx: &Context<'_>) -> String {
    match ctx.status {
        Some(s) => match crate::status::reason(s) {
            Some(r) => format!("{s} {r}"),
            None => s.to_string(),
        },
        None => "error".to_string(),
    }
}

fn id_label(ctx: &Context<'_>) -> &'static str {
    if ctx.source_id == "cloudflare" || ctx.via_has("cloudflare") {
        "Ray ID"
    } else if ctx.source_id == "akamai" || ctx.via_has("akamai") {
        "Reference number"
    } else {
        "request ID"
    }
}

fn timeout_limit(ctx: &Context<'_>) -> &'static str {
    match (fam(ctx), ctx.status) {
        (Family::Cloudflare, _) => " after about 100 seconds",
        (Family::Heroku, _) => " after 30 seconds",
        (Family::AwsApiGateway, _) => " after about 29 seconds",
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------
// Explanation and summary.

/// One sentence: what happened between which hops.
pub fn explain(ctx: &Context<'_>) -> String {
    let s = situation(ctx);
    let sentence = explain_situation(ctx, s);
    let relayed: Vec<&str> = ctx
        .via
        .iter()
        .filter(|v| v.category != Category::Browser && v.id != ctx.source_id)
        .map(|v| v.name.as_str())
        .collect();
    let body = sentence.trim_end_matches('.');
    // Product names keep their own spelling ("nginx"); our own words start upper-case.
    let body = if body.starts_with(ctx.source_name) {
        body.to_string()
    } else {
        upper_first(body)
    };
    if relayed.is_empty() || matches!(s, Situation::NotError | Situation::Net(_)) {
        format!("{body}.")
    } else {
        format!(
            "{body}; {} only passed the answer along.",
            join_names(&relayed)
        )
    }
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn explain_situation(ctx: &Context<'_>, s: Situation) -> String {
    use Situation::*;
    let w = who(ctx, s);
    let b = backend(ctx);
    let n = ctx.source_name;
    let code = ctx
        .status
        .map(|c| format!(" (error {c})"))
        .unwrap_or_default();
    match s {
        NotError => match ctx.status {
            Some(st) if st < 400 => format!(
                "This is a normal {} answer, not an error page, so no hop failed",
                status_label(ctx)
            ),
            _ => "This does not look like an error page, so no hop failed".to_string(),
        },
        Net(k) => explain_net(ctx, k),
        NotFound => match fam(ctx) {
            _ if serves_many_sites(ctx) => format!(
                "{w} has nothing to serve at this address: either no page matches the path, or no site is set up on {n} for this host name (a removed deployment, or a domain not added to the service)"
            ),
            _ => format!(
                "{w} found nothing at this address: the link may be mistyped or out of date, or the page was moved or removed"
            ),
        },
        Gone => format!("{w} says this page was removed on purpose and is not coming back"),
        BadRequest => match ctx.status {
            Some(463) => format!(
                "{w} rejected the request because it had passed through too many proxies (more than 30 addresses in X-Forwarded-For), which usually means a proxy loop on the site's side"
            ),
            Some(464) => format!(
                "{w} received the request in a protocol its targets are not set up for (for example HTTP/1.1 sent to a gRPC target group)"
            ),
            _ => format!(
                "{w} could not make sense of the request, most often because of a malformed address or a damaged or oversized cookie"
            ),
        },
        CookiesTooLarge => format!(
            "{w} refused the request because its headers were too large, almost always because the browser holds too many or too big cookies for this site"
        ),
        PayloadTooLarge => format!(
            "{w} refused what was sent, usually an upload or a large form, because it exceeds the size limit set on the server"
        ),
        UriTooLong => format!("{w} refused the request because the address is longer than it accepts"),
        Unauthorized => match ctx.status {
            Some(561) => format!("{w} could not complete the sign-in step because the identity provider answered with an error"),
            _ => format!("{w} wants you to sign in before it shows this page, or did not accept the sign-in details sent"),
        },
        ProxyAuth => format!("A proxy between you and the site ({n}) wants you to sign in to it before it forwards anything"),
        Forbidden => format!(
            "{w} refused to serve this page: you lack permission for it, or a rule on the server forbids access from your address or to this path"
        ),
        Blocked => match ctx.status {
            Some(444) => format!("{w} dropped the connection without answering, which it does when a rule decides a request is unwanted (bots, unknown host names)"),
            _ => format!(
                "{w} blocked the request on purpose: a security rule (firewall, bot check, IP or country filter) matched it before it reached the site"
            ),
        },
        RateLimited => format!(
            "{w} is limiting how many requests your address may send, and this one went over the limit"
        ),
        ClientTimeout => format!(
            "{w} stopped waiting for your browser to finish sending the request, usually because the connection was slow or interrupted"
        ),
        SendAgain => format!(
            "{w} asked for the request to be sent again on a new connection ({}), which browsers normally do by themselves",
            status_label(ctx)
        ),
        ClientClosed => format!(
            "The client (the visitor's browser, or a proxy in front) gave up and closed the connection before {w} had an answer, usually because the answer was slow"
        ),
        ClientCert => format!("{w} requires a personal (client) certificate, and the browser did not present a valid one"),
        HttpsPort => format!("{w} received a plain http:// request on its HTTPS port; the https:// address of the same page should work"),
        Legal => format!("{w} withholds this page for legal reasons, such as a court order or a regional law"),
        ClientOther => format!("{w} turned the request away ({}): {}", status_label(ctx), status_meaning(ctx)),
        UpstreamRefused => {
            if fronts_origin(ctx) || ctx.category == Category::Platform {
                format!(
                    "{w} could not connect to {b}: the connection was refused, so the web server there is down, listening elsewhere, or its firewall is turning {n} away{code}"
                )
            } else {
                format!("{w} could not connect to {b}: nothing was listening (connection refused)")
            }
        }
        UpstreamClosed => format!(
            "{w} connected to {b}, but it closed the connection before sending a complete answer, typically because the application crashed or was killed in the middle of the request"
        ),
        UpstreamReset => format!("{w} lost its connection to {b}: it was reset while the request was in progress"),
        UpstreamTimeout => format!(
            "{w} reached {b}, but gave up waiting for its answer{} (timeout); the request may still have been processed",
            timeout_limit(ctx)
        ),
        ConnectTimeout => format!(
            "{w} tried to connect to {b} and got no reply in time: the server is down or overloaded, or a firewall is silently dropping {n}'s traffic{code}"
        ),
        UpstreamInvalid => format!(
            "{w} got an answer from {b} that it could not use (empty, cut short or not valid HTTP){code}"
        ),
        UpstreamHeaderTooBig => format!(
            "{w} got an answer from {b}, but its headers (often large cookies or long redirect addresses) did not fit {n}'s buffers"
        ),
        UpstreamDns => match fam(ctx) {
            Family::Cloudflare => format!(
                "{w} could not resolve the address of the site's origin: the DNS record or tunnel it points to is missing or broken (the 1xxx code on the page says which)"
            ),
            _ => format!("{w} could not look up the address of {b}: its DNS name does not resolve"),
        },
        UpstreamTls => format!(
            "{w} could not set up a secure connection with {b}: the TLS handshake failed or the server's certificate was not accepted{code}"
        ),
        NoUpstream => format!(
            "{w} had no working server to send the request to: every server behind it is down, failing its health checks, or not registered"
        ),
        OriginUnreachable => format!(
            "{w} could not reach {b} at all: there is no network route to it, often because the site's DNS points at a wrong or retired address{code}"
        ),
        EdgeInternal => format!(
            "{w} failed internally before the request reached the site's own server, so the site itself may be fine"
        ),
        AppCrashed => format!(
            "{w} could not pass the request on because the site's application has crashed or failed to start"
        ),
        AppBootTimeout => format!(
            "{w} started the site's application, but it did not start listening on its port in time"
        ),
        Overloaded => {
            if ctx.is_site() {
                "The site reports that it is overloaded: more requests arrived than its servers can handle right now".to_string()
            } else {
                format!("{w} turned the request away because the site is overloaded: more requests arrived than its workers can handle right now")
            }
        }
        Maintenance => format!("{w} reports that the site is down for maintenance, which is planned and usually short"),
        BandwidthLimit => format!("{w} stopped serving the site because its hosting account used up its bandwidth allowance"),
        NetworkAuth => "The network you are on (often hotel, airport or café Wi-Fi) wants you to sign in before it lets any page through".to_string(),
        ServerError => {
            if ctx.category == Category::WebServer && ctx.hop == Hop::Gateway {
                format!("{n} itself failed while handling the request, typically because of a configuration, permission or script error on the server")
            } else if ctx.is_site() {
                "The site's own application failed while handling the request (a bug, a bad deploy or a database problem), not anything on your side".to_string()
            } else {
                format!("{w} reported that the site failed while handling the request, a fault on the site's side rather than yours")
            }
        }
        BadGateway => format!("{w} got no usable answer from {b}: it refused, dropped or garbled the connection"),
        Unavailable => format!(
            "{w} is not taking requests right now, usually because the server behind it is overloaded, restarting or under maintenance"
        ),
        GatewayTimeout => format!("{w} waited for {b} to answer and gave up{}", timeout_limit(ctx)),
        NotImplemented => format!("{w} does not support what the request asked for ({})", status_label(ctx)),
        ServerOther => format!("{w} reported a failure on the site's side ({}): {}", status_label(ctx), status_meaning(ctx)),
        Unknown => match ctx.hop {
            Hop::Unknown => format!("{w} reported a failure, but the page does not say which hop caused it"),
            h => format!("{w} reported a failure at the {} hop", h.as_str()),
        },
    }
}

fn status_meaning(ctx: &Context<'_>) -> String {
    let m = ctx.status.and_then(crate::status::info).map_or_else(
        || "an error status the core does not know".to_string(),
        |i| i.meaning.to_string(),
    );
    let m = m.trim_end_matches('.');
    let mut c = m.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_lowercase()).chain(c).collect(),
        None => String::new(),
    }
}

fn explain_net(ctx: &Context<'_>, k: NetKind) -> String {
    let browser = if ctx.category == Category::Browser {
        format!("your browser ({})", ctx.source_name)
    } else {
        "your browser".to_string()
    };
    let code = ctx.net_error.map(|c| format!(" ({c})")).unwrap_or_default();
    let meaning = ctx
        .net()
        .map_or("the page failed to load before any server answered", |i| {
            i.meaning
        });
    let meaning = meaning.trim_end_matches('.');
    match k {
        NetKind::Dns => format!(
            "{browser} could not find an address for the site's name{code}: the DNS lookup failed, so no connection to any server of the site was attempted"
        ),
        NetKind::DnsConfig => format!(
            "{browser} could not look up any site because the DNS server your device uses is not answering or is misconfigured{code}"
        ),
        NetKind::Offline => {
            format!("your device is offline, so the request never left it{code}")
        }
        NetKind::Refused => format!(
            "{browser} reached the site's server address, but nothing there accepted the connection{code}: the web server is down or not listening on this port"
        ),
        NetKind::Dropped => format!(
            "the connection between {browser} and the site was cut before the page arrived{code}, by the site's server or by something on the way"
        ),
        NetKind::Timeout => format!(
            "{browser} got no reply from the site's server in time{code}: the server may be down or overloaded, or a firewall on the way drops the traffic"
        ),
        NetKind::Unreachable => format!(
            "{browser} could not connect to the site's server{code}: the server is down, not accepting connections, or unreachable from your network"
        ),
        NetKind::NetworkChanged => format!(
            "your device switched networks while the page was loading, which cut the connection{code}"
        ),
        NetKind::Proxy => format!(
            "the proxy {browser} is set to use failed, so the request never reached the site{code}"
        ),
        NetKind::Tls => {
            let why = match ctx.net_error.unwrap_or_default() {
                "ERR_SSL_VERSION_OR_CIPHER_MISMATCH" => {
                    "the two sides share no TLS version or cipher, usually because the server's setup is outdated or has no certificate for this name"
                }
                "ERR_SSL_UNRECOGNIZED_NAME_ALERT" => {
                    "the server that answered does not recognise this site's name"
                }
                "ERR_BAD_SSL_CLIENT_AUTH_CERT" => {
                    "the site rejected the personal certificate the browser offered"
                }
                _ => {
                    "the server's answer did not follow the TLS protocol, often because it speaks plain HTTP on the HTTPS port or something on the way interferes"
                }
            };
            format!(
                "{browser} could not set up a secure connection with the site's server{code}: {why}"
            )
        }
        NetKind::CertAuthority
        | NetKind::CertDate
        | NetKind::CertName
        | NetKind::CertRevoked
        | NetKind::CertOther => {
            let why = match k {
                NetKind::CertAuthority => {
                    "it is not signed by an authority the browser trusts (self-signed, missing its intermediate certificate, or replaced by something on your network that intercepts connections)"
                }
                NetKind::CertDate => {
                    "it has expired or is not valid yet, or your device's clock is set wrong"
                }
                NetKind::CertName => {
                    "it was issued for a different name than the one in the address bar"
                }
                NetKind::CertRevoked => "its issuer has revoked it",
                _ => "it is malformed or failed the browser's checks",
            };
            format!(
                "{browser} stopped before loading anything because the site's certificate failed its checks{code}: {why}"
            )
        }
        NetKind::HttpStatus if ctx.status.is_some() => format!(
            "the site answered {} with no page of its own, so {browser} showed its own error page: {}",
            status_label(ctx),
            status_meaning(ctx)
        ),
        NetKind::Redirects => format!(
            "the site kept redirecting {browser} in a circle, so it stopped{code}; this is a setup mistake on the site, occasionally triggered by a stale cookie"
        ),
        _ => format!(
            "{browser} could not load the page{code}: {}",
            lower_first(meaning)
        ),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms (TLS, HTTP/2, QUIC) as they are.
        Some(f) if c.clone().next().is_some_and(|n| n.is_ascii_lowercase()) => {
            std::iter::once(f.to_ascii_lowercase()).chain(c).collect()
        }
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

/// One-line summary, e.g. "nginx wrote this 502: the application behind it refused the connection".
pub fn summary(ctx: &Context<'_>) -> String {
    use Situation::*;
    let s = situation(ctx);
    if s == NotError {
        return match ctx.status {
            Some(st) if st < 400 => {
                format!("Not an error page: a normal {} answer.", status_label(ctx))
            }
            _ => "Not an error page.".to_string(),
        };
    }
    if let Net(k) = s {
        let who = if ctx.category == Category::Browser {
            ctx.source_name
        } else {
            "The browser"
        };
        if k == NetKind::HttpStatus
            && let Some(st) = ctx.status
        {
            return format!(
                "{who} showed its own page for a {st} the site sent without a page: {}.",
                status_meaning(ctx)
            );
        }
        let label = match (ctx.net(), k) {
            (Some(i), _) => i.label,
            (None, NetKind::Dns) => "server not found",
            (None, NetKind::Unreachable) => "could not connect",
            (None, NetKind::Timeout) => "timed out",
            (None, NetKind::Tls) => "secure connection failed",
            (None, _) => "network error",
        };
        return match ctx.net_error {
            Some(code) => format!(
                "{who} could not load the page: {} ({code}).",
                label.to_ascii_lowercase()
            ),
            None => format!(
                "{who} could not load the page: {}.",
                label.to_ascii_lowercase()
            ),
        };
    }
    let b = backend_short(ctx);
    let what = match s {
        NotFound => "there is nothing at this address".to_string(),
        Gone => "the page was removed on purpose".to_string(),
        BadRequest => "the request was malformed".to_string(),
        CookiesTooLarge => "the request's cookies are too large".to_string(),
        PayloadTooLarge => "what was sent is over the size limit".to_string(),
        UriTooLong => "the address is too long".to_string(),
        Unauthorized => "sign-in is required".to_string(),
        ProxyAuth => "the proxy wants you to sign in".to_string(),
        Forbidden => "access to this page is refused".to_string(),
        Blocked => "a security rule blocked the request".to_string(),
        RateLimited => "too many requests, slow down".to_string(),
        ClientTimeout => "the request arrived too slowly".to_string(),
        SendAgain => "the request must be sent again".to_string(),
        ClientClosed => "the client gave up before the answer was ready".to_string(),
        ClientCert => "a client certificate is required".to_string(),
        HttpsPort => "http:// was sent to the HTTPS port".to_string(),
        Legal => "withheld for legal reasons".to_string(),
        UpstreamRefused => format!("{b} refused the connection"),
        UpstreamClosed => format!("{b} closed the connection early"),
        UpstreamReset => format!("{b} reset the connection"),
        UpstreamTimeout => format!("{b} took too long to answer"),
        ConnectTimeout => format!("{b} did not accept the connection in time"),
        UpstreamInvalid => format!("{b} sent an unusable answer"),
        UpstreamHeaderTooBig => format!("{b} sent headers too big for its buffers"),
        UpstreamDns => format!("the DNS name of {b} does not resolve"),
        UpstreamTls => format!("the secure connection to {b} failed"),
        NoUpstream => "no healthy server was available behind it".to_string(),
        OriginUnreachable => format!("{b} is unreachable"),
        EdgeInternal => "it failed internally, before reaching the site".to_string(),
        AppCrashed => "the app has crashed".to_string(),
        AppBootTimeout => "the app did not start in time".to_string(),
        Overloaded => "the site is overloaded".to_string(),
        Maintenance => "the site is down for maintenance".to_string(),
        BandwidthLimit => "the hosting account hit its bandwidth limit".to_string(),
        NetworkAuth => "your network wants you to sign in".to_string(),
        ServerError => {
            if ctx.category == Category::WebServer && ctx.hop == Hop::Gateway {
                "the web server itself failed".to_string()
            } else {
                "the site's application failed".to_string()
            }
        }
        BadGateway => format!("no usable answer from {b}"),
        Unavailable => "the site is not taking requests right now".to_string(),
        GatewayTimeout => format!("{b} did not answer in time"),
        NotImplemented => "the server does not support this request".to_string(),
        ClientOther | ServerOther | Unknown | NotError | Net(_) => match ctx.status {
            Some(_) => status_meaning(ctx),
            None => String::new(),
        },
    };
    match (ctx.status, ctx.is_site(), what.is_empty()) {
        (Some(st), true, _) => format!("The site's own page reports a {st}: {what}."),
        (Some(st), false, _) => format!("{} wrote this {st}: {what}.", ctx.source_name),
        (None, true, true) => {
            "The site's own error page, with no status to say what failed.".to_string()
        }
        (None, true, false) => format!("The site's own error page: {what}."),
        (None, false, true) if ctx.from_log => format!(
            "{}'s log reports a failure; it does not say which status.",
            ctx.source_name
        ),
        (None, false, false) if ctx.from_log => {
            format!("{}'s log reports a failure: {what}.", ctx.source_name)
        }
        (None, false, true) => format!(
            "{} wrote this error page; it does not say which status.",
            ctx.source_name
        ),
        (None, false, false) => format!("{} wrote this error page: {what}.", ctx.source_name),
    }
}

// ---------------------------------------------------------------------------------------
// Retry.

/// Whether and when retrying helps.
pub fn retry(ctx: &Context<'_>) -> Retry {
    use Situation::*;
    let s = situation(ctx);
    let plain = |advice, after: Option<u64>, why: &str| Retry {
        advice,
        after_seconds: after,
        at: None,
        from_header: false,
        explanation: why.to_string(),
    };
    if s == NotError {
        return plain(
            RetryAdvice::No,
            None,
            "Nothing failed, so there is nothing to retry.",
        );
    }
    // Retry-After matters for server trouble and the few client errors that invite a retry;
    // it does not turn a 404 or a 403 into something worth retrying.
    let honours_header = !matches!(s, Net(_))
        && (!s.client_side() || matches!(s, RateLimited | ClientTimeout | SendAgain));
    if honours_header {
        if let Some(secs) = ctx.retry_after_seconds {
            let advice = match secs {
                0 => RetryAdvice::Now,
                1..=120 => RetryAdvice::Soon,
                _ => RetryAdvice::Later,
            };
            return Retry {
                advice,
                after_seconds: Some(secs),
                at: None,
                from_header: true,
                explanation: format!(
                    "The server asked clients to wait {} before trying again (Retry-After); retrying sooner is likely to fail again.",
                    duration(secs)
                ),
            };
        }
        if let Some(date) = ctx.retry_after_date {
            return Retry {
                advice: RetryAdvice::Later,
                after_seconds: None,
                at: Some(date.to_string()),
                from_header: true,
                explanation: format!(
                    "The server asked clients not to retry before {date} (Retry-After)."
                ),
            };
        }
    }
    match s {
        Net(k) => {
            let info = ctx.net();
            let advice = info.map_or(RetryAdvice::Soon, |i| i.retry);
            let why = match k {
                NetKind::Offline => "Reload once your device is back online.",
                NetKind::NetworkChanged => {
                    "The network change was a one-off; reloading right away normally works."
                }
                NetKind::CacheMiss => {
                    "Reload and confirm that the form may be sent again (only if sending it twice is harmless)."
                }
                NetKind::Aborted => {
                    "The request was cancelled rather than failed; loading it again normally works."
                }
                NetKind::Dns => {
                    "A lookup can fail briefly; retry after a short wait, but if the name is wrong or the domain has lapsed no retry will help."
                }
                NetKind::Timeout | NetKind::Dropped | NetKind::Refused | NetKind::Unreachable => {
                    "The failure may be brief; retry after a short wait, and wait longer between later tries."
                }
                NetKind::CertAuthority
                | NetKind::CertDate
                | NetKind::CertName
                | NetKind::CertRevoked
                | NetKind::CertOther => {
                    "The certificate will be the same on the next try; only fixing the certificate (or your clock) helps."
                }
                NetKind::Redirects => {
                    "The loop will repeat until the site's setup (or a stale cookie) is fixed."
                }
                NetKind::Blocked => {
                    "The same block applies on every try until the blocking extension or policy is changed."
                }
                NetKind::Proxy => {
                    "The proxy settings must be fixed first; retrying as is gives the same error."
                }
                _ => match advice {
                    RetryAdvice::No => "Retrying the same request gives the same error.",
                    _ => "The failure may be brief; retry after a short wait.",
                },
            };
            let after = match advice {
                RetryAdvice::Soon => Some(5),
                _ => None,
            };
            plain(advice, after, why)
        }
        ClientTimeout => plain(
            RetryAdvice::Now,
            None,
            "The request arrived too slowly; sending it again usually works.",
        ),
        SendAgain => plain(
            RetryAdvice::Now,
            None,
            "The server itself asks for the request to be sent again.",
        ),
        ClientClosed => plain(
            RetryAdvice::Now,
            None,
            "The client gave up first; the server may well answer if asked again.",
        ),
        RateLimited => plain(
            RetryAdvice::Soon,
            Some(60),
            "The limit resets after a while; wait about a minute and do not reload repeatedly, which extends the block.",
        ),
        Maintenance => plain(
            RetryAdvice::Later,
            Some(300),
            "Maintenance usually lasts minutes; try again in about five minutes.",
        ),
        BandwidthLimit => plain(
            RetryAdvice::Later,
            None,
            "The site stays down until the owner's bandwidth allowance resets or is raised.",
        ),
        NetworkAuth => plain(
            RetryAdvice::No,
            None,
            "Sign in to the network first; then the page will load.",
        ),
        s if s.client_side() => plain(
            RetryAdvice::No,
            None,
            "The server refused this request as it is; sending it again unchanged gives the same answer.",
        ),
        ServerError => plain(
            RetryAdvice::Soon,
            Some(5),
            "Application errors are sometimes one-offs: retry once after a few seconds, and if it fails again, the site needs fixing.",
        ),
        UpstreamTimeout | GatewayTimeout => plain(
            RetryAdvice::Soon,
            Some(30),
            "The server behind was slow, not necessarily down: retry in about 30 seconds, then back off. If you submitted a form or payment, check whether it went through before sending it again.",
        ),
        BadGateway | UpstreamInvalid | UpstreamClosed | UpstreamReset => plain(
            RetryAdvice::Soon,
            Some(10),
            "These failures are often brief (a restart or a crash being recovered): retry in about 10 seconds, then wait longer between tries (30 s, 1 min).",
        ),
        UpstreamRefused | NoUpstream | ConnectTimeout | AppBootTimeout => plain(
            RetryAdvice::Soon,
            Some(30),
            "The server behind is down or starting; retry in about 30 seconds, then back off. It will not come back until it is restarted.",
        ),
        Unavailable | Overloaded => plain(
            RetryAdvice::Soon,
            Some(30),
            "The site is overloaded or restarting; wait about 30 seconds, then back off further so you do not add to the load.",
        ),
        AppCrashed => plain(
            RetryAdvice::Later,
            Some(120),
            "A crashed application stays down until it restarts or the owner fixes it; try again in a few minutes.",
        ),
        UpstreamTls | UpstreamDns | OriginUnreachable | UpstreamHeaderTooBig => plain(
            RetryAdvice::Later,
            None,
            "This is a setup problem on the site's side; retrying will not help until the owner fixes it.",
        ),
        EdgeInternal => plain(
            RetryAdvice::Soon,
            Some(30),
            "Failures inside the provider's network are usually short; retry in about 30 seconds.",
        ),
        NotImplemented => plain(
            RetryAdvice::No,
            None,
            "The server does not support this request; retrying gives the same answer.",
        ),
        _ => plain(
            RetryAdvice::Soon,
            Some(30),
            "Server failures are often temporary; retry after a short wait.",
        ),
    }
}

fn duration(secs: u64) -> String {
    match secs {
        1 => "1 second".to_string(),
        s if s < 120 => format!("{s} seconds"),
        s if s < 7200 => format!("about {} minutes", s.div_ceil(60)),
        s => format!("about {} hours", s.div_ceil(3600)),
    }
}

// ---------------------------------------------------------------------------------------
// Visitor fixes.

fn fix(id: &str, title: &str, detail: impl Into<String>) -> Fix {
    Fix {
        id: id.to_string(),
        title: title.to_string(),
        detail: detail.into(),
    }
}

fn visitor_fix(ctx: &Context<'_>, s: Situation, id: &str) -> Fix {
    use Situation::*;
    match id {
        "retry" => {
            let r = retry(ctx);
            let detail = match (r.after_seconds, &r.at) {
                (_, Some(at)) => format!("The site asked visitors to come back after {at}; reload then."),
                (Some(secs), None) if r.from_header => {
                    format!("The site asked visitors to wait {}; reload after that.", duration(secs))
                }
                _ => match s {
                    UpstreamTimeout | GatewayTimeout => "Wait about 30 seconds and reload. If you had submitted a form or a payment, first check whether it went through, so you do not send it twice.".to_string(),
                    ServerError => "Reload once after a few seconds; if the same error comes back, the site needs fixing and more reloads will not help.".to_string(),
                    Net(NetKind::CacheMiss) => "Reload and confirm sending the form again, but only if sending it twice is harmless (not for payments).".to_string(),
                    Net(NetKind::NetworkChanged) | Net(NetKind::Aborted) | ClientTimeout | SendAgain => {
                        "Reload the page; this kind of failure is usually a one-off.".to_string()
                    }
                    Net(_) => "Reload after a few seconds; brief network hiccups clear up by themselves.".to_string(),
                    _ => format!(
                        "Errors like this are often brief. Wait about {} and reload; if it fails again, wait longer between tries.",
                        duration(r.after_seconds.unwrap_or(10))
                    ),
                },
            };
            fix("retry", "Reload the page", detail)
        }
        "auto-retry" => fix(
            "auto-retry",
            "Retry automatically",
            "Let the page be reloaded for you with growing pauses between tries (and no sooner than the site asked), instead of hammering reload.",
        ),
        "wait" => {
            let detail = match s {
                Maintenance => {
                    "Planned maintenance usually ends within minutes to an hour; come back later or check the site's status page or social accounts."
                }
                BandwidthLimit => {
                    "The site will stay down until its hosting allowance resets (often at the start of the month) or the owner raises it."
                }
                RateLimited => {
                    "Stop reloading for a minute or two: every new request while you are limited can extend the block."
                }
                AppCrashed => {
                    "Only the site's owner can bring a crashed app back; try again in a few minutes."
                }
                _ => "The fault is on the site's side; give it a few minutes and try again.",
            };
            let r = retry(ctx);
            let detail = match (r.after_seconds, r.at) {
                (_, Some(at)) if r.from_header => {
                    format!("The site asked visitors to come back after {at}. {detail}")
                }
                (Some(secs), _) if r.from_header => format!(
                    "The site asked visitors to wait {} before trying again. {detail}",
                    duration(secs)
                ),
                _ => detail.to_string(),
            };
            fix("wait", "Wait and come back later", detail)
        }
        "private-window" => fix(
            "private-window",
            "Open the page in a private window",
            "A private (incognito) window starts without this site's cookies, cache and most extensions; if the page works there, one of those is the cause.",
        ),
        "clear-site-cache" => fix(
            "clear-site-cache",
            "Clear this site's cached files",
            "Remove the stored copy of this site's files so the browser fetches everything fresh; if that alone does not help, clear its cookies too.",
        ),
        "clear-cookies" => fix(
            "clear-cookies",
            "Clear this site's cookies",
            "Delete the cookies for this site only (you will be signed out there), then reload; oversized or corrupted cookies are the usual cause of this error.",
        ),
        "other-browser" => fix(
            "other-browser",
            "Try another browser or device",
            "If the page opens elsewhere, the problem is in this browser's settings, extensions or stored data.",
        ),
        "flush-dns" => fix(
            "flush-dns",
            "Flush your DNS cache",
            "Windows: `ipconfig /flushdns`; macOS: `sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder`; Linux with systemd: `resolvectl flush-caches`. Then reload.",
        ),
        "switch-network" => {
            let detail = match s {
                Blocked | Forbidden | RateLimited => {
                    "Turn a VPN or proxy off (or on), or switch between Wi-Fi and mobile data: blocks and limits often apply to a shared or flagged address, not to you."
                }
                Net(NetKind::CertAuthority) | Net(NetKind::Tls) => {
                    "Try another network: corporate proxies, captive portals and some antivirus products intercept secure connections and cause this error."
                }
                _ => {
                    "Switch between Wi-Fi and mobile data, or turn a VPN on or off. If the page works on the other network, the problem is your network, ISP or region, not the site."
                }
            };
            fix("switch-network", "Try another network", detail)
        }
        "restart-router" => fix(
            "restart-router",
            "Restart your router",
            "Unplug the modem or router for about 10 seconds, plug it back in and wait until it is connected again.",
        ),
        "check-down-for-everyone" => fix(
            "check-down-for-everyone",
            "Check whether it is down for everyone",
            "Ask someone elsewhere or use an \"is it down\" checker; if it is down for everyone, only the site's owner can fix it.",
        ),
        "tell-owner" => {
            let mut detail =
                "Let the site's owner or support know what you saw, when, and the page address"
                    .to_string();
            if ctx.has_ids {
                detail.push_str(&format!(
                    ", and quote the {} shown in this diagnosis: it lets them find your exact request in their logs.",
                    id_label(ctx)
                ));
            } else {
                detail.push('.');
            }
            fix("tell-owner", "Tell the site owner", detail)
        }
        "disable-extensions" => {
            let detail = match s {
                Net(NetKind::Blocked) => {
                    "An ad blocker or privacy extension blocked this address; pause it for this site (or allow-list the site) and reload."
                }
                _ => {
                    "Ad blockers, privacy tools and security software can block or alter requests; pause them for this site, or try a private window where extensions do not run."
                }
            };
            fix(
                "disable-extensions",
                "Turn off extensions for this site",
                detail,
            )
        }
        "check-date-time" => fix(
            "check-date-time",
            "Check your device's date and time",
            "Certificates are valid only between two dates; if your clock is wrong, valid certificates look expired. Turn on automatic date, time and time zone.",
        ),
        "check-url" => {
            let detail = match s {
                HttpsPort => "Use the https:// version of the address.".to_string(),
                Net(NetKind::CertName) => "Check the address for typos, and try it with or without `www.`; the certificate may only cover one of them.".to_string(),
                Net(NetKind::Dns) => "Look for typos in the site's name and its ending (.com, .org...); a name that does not exist gives exactly this error.".to_string(),
                Net(NetKind::Refused) => "Check the address, especially http:// versus https:// and any port number after the name.".to_string(),
                Gone => "The page is gone for good; look for its replacement from the site's home page or search.".to_string(),
                _ => "Look for typos, a missing part of the path or an outdated bookmark; go to the site's home page and use its navigation or search.".to_string(),
            };
            fix("check-url", "Check the address", detail)
        }
        "smaller-upload" => fix(
            "smaller-upload",
            "Send a smaller file",
            "Compress the file, resize images or split it into parts, then try again; the site's limit is on its side and only its owner can raise it.",
        ),
        "check-connection" => fix(
            "check-connection",
            "Check your connection",
            "Make sure Wi-Fi or mobile data is on and connected (airplane mode off, cable plugged in), then reload.",
        ),
        "check-proxy-settings" => fix(
            "check-proxy-settings",
            "Check your proxy settings",
            "Your browser or system is set to use a proxy that is not working; switch it off or correct it (Windows: Settings > Network > Proxy; macOS: System Settings > Network > Details > Proxies), or ask your IT team.",
        ),
        "sign-in" => {
            let detail = match s {
                ProxyAuth => {
                    "Sign in to your network's proxy with the credentials your organisation gave you, or ask your IT team."
                }
                NetworkAuth => {
                    "Open any plain web page (for example http://neverssl.com) to bring up the network's sign-in page, accept its terms, then reload."
                }
                ClientCert => {
                    "Install the personal certificate the site's organisation gave you, or pick the right one when the browser asks."
                }
                _ => {
                    "Sign in to the site and open the page again; if you are signed in, sign out and back in to renew your session."
                }
            };
            fix("sign-in", "Sign in", detail)
        }
        other => fix(other, other, ""),
    }
}

/// What the visitor can do, most useful first.
pub fn visitor_fixes(ctx: &Context<'_>) -> Vec<Fix> {
    let s = situation(ctx);
    let ids = visitor_ids(ctx, s);
    ids.into_iter().map(|id| visitor_fix(ctx, s, id)).collect()
}

fn visitor_ids(ctx: &Context<'_>, s: Situation) -> Vec<&'static str> {
    use Situation::*;
    let transient_server = |first: &'static str| -> Vec<&'static str> {
        vec![first, "auto-retry", "check-down-for-everyone", "tell-owner"]
    };
    match s {
        NotError => vec![],
        Net(k) => match k {
            NetKind::Dns => vec![
                "check-url",
                "flush-dns",
                "switch-network",
                "restart-router",
                "check-down-for-everyone",
            ],
            NetKind::DnsConfig => vec!["restart-router", "flush-dns", "switch-network", "retry"],
            NetKind::Offline => vec![
                "check-connection",
                "restart-router",
                "switch-network",
                "auto-retry",
            ],
            NetKind::Refused => vec![
                "check-url",
                "retry",
                "check-down-for-everyone",
                "switch-network",
                "tell-owner",
            ],
            NetKind::Dropped => vec![
                "retry",
                "switch-network",
                "disable-extensions",
                "check-down-for-everyone",
                "tell-owner",
            ],
            NetKind::Timeout => vec![
                "retry",
                "auto-retry",
                "switch-network",
                "restart-router",
                "check-down-for-everyone",
                "tell-owner",
            ],
            NetKind::Unreachable => vec![
                "switch-network",
                "restart-router",
                "retry",
                "check-down-for-everyone",
            ],
            NetKind::NetworkChanged => vec!["retry", "check-connection"],
            NetKind::Proxy => vec!["check-proxy-settings", "switch-network", "retry"],
            NetKind::Tls => vec![
                "check-date-time",
                "switch-network",
                "other-browser",
                "tell-owner",
            ],
            NetKind::CertAuthority => vec!["switch-network", "check-date-time", "tell-owner"],
            NetKind::CertDate => vec!["check-date-time", "tell-owner"],
            NetKind::CertName => vec!["check-url", "tell-owner"],
            NetKind::CertRevoked | NetKind::CertOther => vec!["check-date-time", "tell-owner"],
            NetKind::Redirects => vec!["clear-cookies", "private-window", "tell-owner"],
            NetKind::BadResponse => vec![
                "retry",
                "clear-site-cache",
                "disable-extensions",
                "tell-owner",
            ],
            NetKind::Blocked => vec!["disable-extensions", "private-window", "other-browser"],
            NetKind::Protocol => vec![
                "retry",
                "disable-extensions",
                "switch-network",
                "other-browser",
                "tell-owner",
            ],
            NetKind::CacheMiss => vec!["retry"],
            NetKind::FileNotFound | NetKind::BadUrl => vec!["check-url"],
            NetKind::Aborted => vec!["retry", "disable-extensions"],
            NetKind::HttpStatus | NetKind::Other => vec![
                "retry",
                "private-window",
                "other-browser",
                "switch-network",
                "check-down-for-everyone",
            ],
        },
        NotFound => vec!["check-url", "clear-site-cache", "tell-owner"],
        Gone => vec!["check-url", "tell-owner"],
        BadRequest => match ctx.status {
            Some(463) | Some(464) => vec!["retry", "tell-owner"],
            _ => vec!["clear-cookies", "private-window", "check-url", "tell-owner"],
        },
        CookiesTooLarge => vec![
            "clear-cookies",
            "private-window",
            "disable-extensions",
            "tell-owner",
        ],
        PayloadTooLarge => vec!["smaller-upload", "tell-owner"],
        UriTooLong => vec!["check-url", "clear-cookies", "tell-owner"],
        Unauthorized => vec!["sign-in", "clear-cookies", "private-window", "tell-owner"],
        ProxyAuth => vec!["sign-in", "check-proxy-settings", "switch-network"],
        Forbidden => vec![
            "check-url",
            "sign-in",
            "switch-network",
            "private-window",
            "tell-owner",
        ],
        Blocked => vec![
            "switch-network",
            "disable-extensions",
            "private-window",
            "other-browser",
            "tell-owner",
        ],
        RateLimited => vec!["wait", "switch-network", "disable-extensions", "tell-owner"],
        ClientTimeout | SendAgain => vec!["retry", "switch-network"],
        ClientClosed => vec!["retry", "tell-owner"],
        ClientCert => vec!["sign-in", "other-browser", "tell-owner"],
        HttpsPort => vec!["check-url"],
        Legal => vec!["tell-owner"],
        ClientOther => vec!["check-url", "private-window", "tell-owner"],
        NetworkAuth => vec!["sign-in", "switch-network"],
        Maintenance => vec!["wait", "auto-retry", "check-down-for-everyone"],
        BandwidthLimit => vec!["wait", "tell-owner"],
        AppCrashed => vec![
            "wait",
            "auto-retry",
            "check-down-for-everyone",
            "tell-owner",
        ],
        Overloaded | Unavailable => vec![
            "wait",
            "auto-retry",
            "check-down-for-everyone",
            "tell-owner",
        ],
        UpstreamTls | UpstreamDns | OriginUnreachable | UpstreamHeaderTooBig => {
            let mut v = vec!["check-down-for-everyone", "tell-owner", "wait"];
            if s == UpstreamHeaderTooBig {
                v.insert(0, "clear-cookies");
            }
            v
        }
        ServerError => vec![
            "retry",
            "private-window",
            "check-down-for-everyone",
            "tell-owner",
        ],
        BadGateway => {
            // Nothing points at a particular hop: include the cheap visitor-side checks too.
            vec![
                "retry",
                "auto-retry",
                "private-window",
                "check-down-for-everyone",
                "tell-owner",
            ]
        }
        EdgeInternal => vec![
            "retry",
            "auto-retry",
            "switch-network",
            "check-down-for-everyone",
        ],
        UpstreamRefused | UpstreamClosed | UpstreamReset | UpstreamTimeout | ConnectTimeout
        | UpstreamInvalid | NoUpstream | AppBootTimeout | GatewayTimeout => {
            let mut v = transient_server("retry");
            if matches!(s, ConnectTimeout) {
                // A timeout reaching the origin can be regional routing.
                v.insert(3, "switch-network");
            }
            v
        }
        NotImplemented => vec!["other-browser", "tell-owner"],
        ServerOther => vec!["retry", "check-down-for-everyone", "tell-owner"],
        Unknown => vec![
            "retry",
            "private-window",
            "other-browser",
            "check-down-for-everyone",
            "tell-owner",
        ],
    }
}

// ---------------------------------------------------------------------------------------
// Owner fixes.

/// What the site owner can do, most useful first.
pub fn owner_fixes(ctx: &Context<'_>) -> Vec<Fix> {
    let s = situation(ctx);
    let mut v: Vec<Fix> = owner_ids(ctx, s)
        .into_iter()
        .filter_map(|id| owner_fix(ctx, s, id))
        .collect();
    v.truncate(7);
    v
}

fn owner_ids(ctx: &Context<'_>, s: Situation) -> Vec<&'static str> {
    use Situation::*;
    let f = fam(ctx);
    let cf = f == Family::Cloudflare;
    let php = ctx.php();
    match s {
        NotError => vec![],
        Net(k) => match k {
            NetKind::Dns => vec!["check-dns", "check-domain-renewal"],
            NetKind::Refused => vec!["check-upstream-running", "check-firewall", "read-error-log"],
            NetKind::Timeout | NetKind::Unreachable => vec![
                "check-upstream-running",
                "check-firewall",
                "check-dns",
                "scale-up",
            ],
            NetKind::Dropped | NetKind::BadResponse => vec![
                "read-error-log",
                "check-upstream-running",
                "test-backend-directly",
            ],
            NetKind::Tls
            | NetKind::CertAuthority
            | NetKind::CertDate
            | NetKind::CertName
            | NetKind::CertRevoked
            | NetKind::CertOther => {
                vec!["fix-certificate", "test-tls"]
            }
            NetKind::Redirects => vec!["fix-redirect-loop", "read-error-log"],
            NetKind::Protocol => vec!["read-error-log", "check-config"],
            NetKind::HttpStatus | NetKind::Other => {
                vec!["read-error-log", "check-upstream-running"]
            }
            // The visitor's own side: nothing for the owner.
            _ => vec![],
        },
        NotFound if serves_many_sites(ctx) => {
            vec![
                "check-domain-config",
                "check-deploy",
                "fix-links",
                "add-redirect",
            ]
        }
        NotFound | Gone => {
            let mut v = vec!["fix-links", "add-redirect"];
            if matches!(
                f,
                Family::GitHubPages | Family::Netlify | Family::Vercel | Family::Heroku
            ) || ctx.is_site()
            {
                v.push("check-deploy");
            } else {
                v.push("check-config");
            }
            v
        }
        BadRequest => match ctx.status {
            Some(463) => vec!["fix-proxy-loop", "read-error-log"],
            Some(464) => vec!["check-config", "read-error-log"],
            _ => vec!["read-error-log", "raise-header-limits", "check-config"],
        },
        CookiesTooLarge => vec!["shrink-cookies", "raise-header-limits", "read-error-log"],
        PayloadTooLarge => vec!["raise-body-limit", "read-error-log"],
        UriTooLong => vec!["fix-redirect-loop", "raise-header-limits"],
        Unauthorized => match ctx.status {
            Some(561) => vec!["check-identity-provider", "read-error-log"],
            _ => vec!["check-auth-config", "read-error-log"],
        },
        ProxyAuth | NetworkAuth => vec![],
        Forbidden => vec!["check-permissions", "check-waf-rules", "read-error-log"],
        Blocked => vec!["check-waf-rules", "add-exception", "read-error-log"],
        RateLimited => vec!["check-rate-limits", "add-exception", "read-error-log"],
        ClientTimeout | SendAgain | ClientCert | HttpsPort | Legal | ClientOther => {
            vec!["read-error-log", "check-config"]
        }
        ClientClosed => vec!["read-error-log", "raise-proxy-timeouts", "scale-up"],
        UpstreamRefused => {
            if cf {
                vec![
                    "check-upstream-running",
                    "allow-proxy-ips",
                    "test-backend-directly",
                    "read-error-log",
                    "bypass-cdn",
                    "contact-host",
                ]
            } else if fronts_origin(ctx) {
                vec![
                    "check-upstream-running",
                    "allow-proxy-ips",
                    "test-backend-directly",
                    "read-error-log",
                    "contact-host",
                ]
            } else if php {
                vec![
                    "check-upstream-running",
                    "read-error-log",
                    "check-config",
                    "tune-php-fpm",
                ]
            } else {
                vec![
                    "check-upstream-running",
                    "check-config",
                    "test-backend-directly",
                    "read-error-log",
                    "check-deploy",
                ]
            }
        }
        ConnectTimeout => vec![
            "check-upstream-running",
            "allow-proxy-ips",
            "check-dns",
            "test-backend-directly",
            "scale-up",
            "contact-host",
        ],
        OriginUnreachable => vec![
            "check-dns",
            "check-upstream-running",
            "allow-proxy-ips",
            "contact-host",
        ],
        UpstreamClosed | UpstreamReset => {
            let mut v = vec!["read-error-log", "check-memory", "check-upstream-running"];
            if php {
                v.push("tune-php-fpm");
                v.push("disable-plugins");
            } else {
                v.push("check-keepalive");
            }
            v.push("check-deploy");
            v
        }
        UpstreamTimeout | GatewayTimeout => {
            let mut v = vec![
                "read-error-log",
                "find-slow-requests",
                "raise-proxy-timeouts",
            ];
            if php {
                v.push("tune-php-fpm");
            }
            v.push("check-database");
            v.push("scale-up");
            v
        }
        UpstreamInvalid => {
            let mut v = vec![
                "read-error-log",
                "test-backend-directly",
                "check-config",
                "check-upstream-running",
            ];
            if cf {
                v.push("bypass-cdn");
            }
            if php {
                v.push("disable-plugins");
            }
            v
        }
        UpstreamHeaderTooBig => vec!["raise-proxy-buffers", "shrink-cookies", "read-error-log"],
        UpstreamDns if cf => vec!["check-dns", "check-tunnel", "contact-host"],
        UpstreamDns => vec!["check-dns", "check-config", "contact-host"],
        UpstreamTls => vec!["check-origin-tls", "test-tls", "read-error-log"],
        NoUpstream => vec![
            "check-upstream-running",
            "check-health-checks",
            "read-error-log",
            "scale-up",
        ],
        EdgeInternal => vec!["check-provider-status", "contact-host", "bypass-cdn"],
        AppCrashed => vec!["read-error-log", "check-deploy", "check-upstream-running"],
        AppBootTimeout => vec!["read-error-log", "bind-port", "check-deploy"],
        Overloaded => {
            let mut v = vec!["read-error-log"];
            if php {
                v.push("tune-php-fpm");
            }
            v.extend(["add-caching", "scale-up"]);
            if matches!(f, Family::LiteSpeed | Family::Apache) || ctx.is_site() {
                v.push("disable-plugins");
                v.push("contact-host");
            }
            v
        }
        Unavailable => {
            let mut v = vec!["check-upstream-running", "read-error-log"];
            if php {
                v.push("tune-php-fpm");
            }
            v.extend(["check-maintenance", "scale-up"]);
            if matches!(f, Family::LiteSpeed | Family::Apache) || ctx.is_site() {
                v.push("contact-host");
            }
            v
        }
        Maintenance => vec![
            "check-maintenance",
            "send-retry-after",
            "announce-maintenance",
        ],
        BandwidthLimit => vec!["contact-host", "check-traffic", "add-caching"],
        ServerError => {
            let mut v = vec!["read-error-log", "check-deploy"];
            if php || matches!(f, Family::Apache | Family::LiteSpeed) {
                v.push("disable-plugins");
            }
            if ctx.category == Category::WebServer && ctx.hop == Hop::Gateway {
                v.push("check-config");
                v.push("check-permissions");
            } else {
                v.push("check-database");
                v.push("test-backend-directly");
            }
            v
        }
        BadGateway => {
            let mut v = vec![
                "read-error-log",
                "check-upstream-running",
                "test-backend-directly",
            ];
            if cf || fronts_origin(ctx) {
                v.push("allow-proxy-ips");
            }
            if php {
                v.push("tune-php-fpm");
            }
            v.push("raise-proxy-timeouts");
            v.push("contact-host");
            v
        }
        NotImplemented => vec!["read-error-log", "check-config"],
        ServerOther | Unknown => vec!["read-error-log", "check-upstream-running", "contact-host"],
    }
}

fn php_service() -> &'static str {
    "php8.2-fpm"
}

/// How the writer names the address it forwards to.
fn upstream_directive(f: Family, php: bool) -> &'static str {
    match (f, php) {
        (Family::Nginx, true) => "`fastcgi_pass`",
        (Family::Nginx, false) => "`proxy_pass`",
        (Family::Apache, true) => "the `SetHandler \"proxy:unix:...|fcgi://localhost\"` line",
        (Family::Apache, false) => "`ProxyPass`",
        (Family::HaProxy, _) => "the backend's `server` lines",
        (Family::Caddy, _) => "`reverse_proxy`",
        (Family::Traefik, _) => "the service URL (or the `loadbalancer.server.port` label)",
        (Family::Envoy, _) => "the cluster's endpoints",
        (Family::Varnish, _) => "the backend's `.host` and `.port`",
        (Family::Lighttpd, _) => "`proxy.server` / `fastcgi.server`",
        (Family::Squid, _) => "`cache_peer`",
        (Family::TrafficServer, _) => "`remap.config`",
        (Family::Nghttpx, _) => "`--backend`",
        _ => "the proxy configuration",
    }
}

fn owner_fix(ctx: &Context<'_>, s: Situation, id: &str) -> Option<Fix> {
    use Family as F;
    let f = fam(ctx);
    let php = ctx.php();
    let n = if ctx.is_site() {
        "the site"
    } else {
        ctx.source_name
    };
    let fpm = php_service();
    Some(match id {
        "check-upstream-running" => {
            let detail = if php {
                format!(
                    "Run `systemctl status {fpm}` (use your PHP version; `ls /run/php/` lists the sockets) and restart it with `sudo systemctl restart {fpm}`; then check that {} points at the same socket or port as `listen` in the pool file.",
                    upstream_directive(f, true)
                )
            } else {
                match f {
                    F::Cloudflare => "On the origin server, check that the web server is running (`systemctl status nginx` or `apache2`) and listening on ports 80 and 443 from the internet (`ss -ltnp`), not only on localhost.".to_string(),
                    F::Heroku => "`heroku ps` shows whether web dynos are running; `heroku restart` restarts them, and `heroku ps:scale web=1` starts one if none are scaled.".to_string(),
                    F::AwsElb => "In the target group's Targets tab, check that targets are registered and healthy, and that the app listens on the target port and answers the health-check path.".to_string(),
                    F::Iis => "In IIS Manager, check that the site's application pool is started; for ASP.NET Core, run the app from a console (`dotnet yourapp.dll`) to see whether it starts at all.".to_string(),
                    F::LiteSpeed => "LiteSpeed runs PHP through lsphp external apps: check their status and limits in WebAdmin (or ask the host), and whether the account hit its process limit (CloudLinux LVE).".to_string(),
                    F::Tomcat => "Check `systemctl status tomcat` (or your service name) and whether the web application deployed: look for `SEVERE` lines in `catalina.out`.".to_string(),
                    F::Vercel | F::Netlify | F::GitHubPages => "Check the latest deployment finished successfully and is the one assigned to this domain.".to_string(),
                    _ if fronts_origin(ctx) => format!(
                        "Check that the web server on the origin is running and reachable from the internet on the ports {n} uses (80/443): `systemctl status nginx` (or your server), `ss -ltnp` on the origin."
                    ),
                    _ => format!(
                        "Check that the application {n} forwards to is running (`systemctl status <your-app>` or `docker ps`) and listens on the address and port in {}: `ss -ltnp` on that host shows it.",
                        upstream_directive(f, false)
                    ),
                }
            };
            let title = if php {
                "Check PHP-FPM is running"
            } else {
                "Check the server behind is running"
            };
            fix("check-upstream-running", title, detail)
        }
        "read-error-log" => fix("read-error-log", "Read the error log", log_hint(ctx, s)),
        "test-backend-directly" => {
            let detail = if ctx.is_site() {
                "Reproduce the failing request against the application itself (for example `curl -i http://127.0.0.1:PORT/path` on the server, or locally with the same data) to see the full error and stack trace.".to_string()
            } else if fronts_origin(ctx) || f == F::Cloudflare {
                "From a machine outside, ask the origin directly, skipping the CDN: `curl -svo /dev/null --resolve example.com:443:ORIGIN_IP https://example.com/` (your host name and origin IP). If that fails too, the origin is the problem.".to_string()
            } else if php {
                "Check that a plain static file is served and that PHP answers: put a small `info.php` test script (remove it afterwards) and request it with `curl -i http://localhost/info.php` on the server.".to_string()
            } else {
                format!(
                    "On the {n} host, request the backend yourself, e.g. `curl -sv http://127.0.0.1:8080/` (the address in {}): a refusal, hang or garbage reply there confirms the problem is behind {n}.",
                    upstream_directive(f, false)
                )
            };
            fix("test-backend-directly", "Test the backend directly", detail)
        }
        "raise-proxy-timeouts" => fix(
            "raise-proxy-timeouts",
            "Raise the timeout for work that is slow by nature",
            timeout_hint(ctx),
        ),
        "raise-proxy-buffers" => {
            let detail = match (f, php) {
                (F::Nginx, true) => "Raise FastCGI buffers in the PHP location: `fastcgi_buffer_size 32k; fastcgi_buffers 16 16k;`, then `sudo nginx -t && sudo systemctl reload nginx`. Each connection may use this memory.".to_string(),
                (F::Nginx, false) => "Raise the proxy buffers: `proxy_buffer_size 16k; proxy_buffers 32 16k; proxy_busy_buffers_size 32k;`, then `sudo nginx -t && sudo systemctl reload nginx`. Larger buffers cost memory per connection.".to_string(),
                (F::Apache, _) => "Raise `ProxyIOBufferSize` (and `LimitRequestFieldSize` if requests are affected), then `apachectl configtest && sudo systemctl reload apache2`.".to_string(),
                (F::HaProxy, _) => "Raise `tune.bufsize` (for example 32768) in the global section; response headers must fit in it.".to_string(),
                _ => format!("Raise {n}'s limit for response header size, or better, make the application send smaller headers."),
            };
            fix(
                "raise-proxy-buffers",
                "Make room for large response headers",
                detail,
            )
        }
        "tune-php-fpm" => fix(
            "tune-php-fpm",
            "Tune PHP-FPM workers and limits",
            format!(
                "In the pool file (e.g. `/etc/php/8.2/fpm/pool.d/www.conf`) size `pm.max_children` to your memory, set `request_terminate_timeout` in line with nginx/Apache timeouts, and look for \"server reached pm.max_children\" in `/var/log/{fpm}.log`; then `sudo systemctl reload {fpm}`."
            ),
        ),
        "allow-proxy-ips" => {
            let detail = match f {
                F::Cloudflare => "Make sure the origin's firewall, security plugin or fail2ban allows all of Cloudflare's IP ranges (listed at cloudflare.com/ips) on ports 80 and 443; blocking some of them shows up as 521 or 522 errors.".to_string(),
                F::AwsElb => "The targets' security group must allow traffic from the load balancer's security group on the target port, and network ACLs must allow the return traffic.".to_string(),
                F::CloudFront => "If the origin restricts access, allow CloudFront's origin-facing addresses (AWS managed prefix list `com.amazonaws.global.cloudfront.origin-facing`).".to_string(),
                _ => format!("Make sure the origin's firewall and rate limiting allow {n}'s addresses; providers publish their ranges."),
            };
            fix(
                "allow-proxy-ips",
                format!("Let {n} through the origin firewall").as_str(),
                detail,
            )
        }
        "check-firewall" => fix(
            "check-firewall",
            "Check the server's firewall",
            "Make sure ports 80 and 443 are open to the internet in the server's firewall (`sudo ufw status`, `sudo iptables -L -n`) and the hosting provider's security group.",
        ),
        "check-dns" => {
            let detail = match f {
                F::Cloudflare if s == Situation::UpstreamDns => "In Cloudflare's DNS tab, check that the proxied record exists and points at a name or address that resolves; a CNAME to a deleted host or a stopped Cloudflare Tunnel (`cloudflared`) gives this error.".to_string(),
                F::Cloudflare => "Check that the A/AAAA record in Cloudflare's DNS tab points at the origin's current public IP (`dig +short example.com` shows Cloudflare's addresses, so compare with the dashboard).".to_string(),
                _ => "Check what the name resolves to (`dig +short example.com A`, `nslookup example.com`) against the server's real address; after a change, wait for the old record's TTL to expire (up to a day).".to_string(),
            };
            fix("check-dns", "Check the DNS records", detail)
        }
        "check-domain-renewal" => fix(
            "check-domain-renewal",
            "Check the domain is registered and delegated",
            "`whois example.com` shows whether the domain has expired, and `dig NS example.com` whether its name servers answer; an expired domain or broken delegation makes the name vanish for everyone.",
        ),
        "check-origin-tls" => {
            let detail = match f {
                F::Cloudflare => "The origin must serve a certificate Cloudflare accepts for this host name (with SSL mode Full (strict): valid, unexpired, matching; a free Cloudflare Origin CA certificate works). Check with `openssl s_client -connect ORIGIN_IP:443 -servername example.com`.".to_string(),
                F::CloudFront => "The origin's certificate must be valid, unexpired and match the origin domain name CloudFront uses (or the Host header it forwards), and the origin must accept the TLS versions set in the origin settings.".to_string(),
                _ => format!("The server behind {n} must present a valid, unexpired certificate for the name {n} connects with, and support a TLS version {n} accepts; check with `openssl s_client -connect HOST:443 -servername NAME`."),
            };
            fix("check-origin-tls", "Fix the origin's TLS setup", detail)
        }
        "fix-certificate" => fix(
            "fix-certificate",
            "Fix the site's certificate",
            "Serve a valid certificate covering every name the site is reached by (with and without www), including the intermediate chain; with Let's Encrypt, `sudo certbot renew` and check the renewal timer.",
        ),
        "test-tls" => fix(
            "test-tls",
            "Test the TLS setup",
            "`openssl s_client -connect example.com:443 -servername example.com` shows the certificate chain, dates and names the server presents; an online TLS checker gives a full report.",
        ),
        "fix-redirect-loop" => {
            let detail = if f == F::Cloudflare
                || ctx.via_has("cloudflare")
                || matches!(s, Situation::Net(_))
            {
                "Follow the chain with `curl -sIL https://example.com/ | grep -i '^location'`. A classic loop: Cloudflare SSL mode \"Flexible\" plus an origin that redirects HTTP to HTTPS; use \"Full (strict)\" instead. Also check redirects in the app (e.g. WordPress site URL) and .htaccess."
            } else {
                "Follow the chain with `curl -sIL https://example.com/ | grep -i '^location'` and remove the rule that sends the address back to itself (server config, .htaccess or the app's site URL)."
            };
            fix(
                "fix-redirect-loop",
                "Find and break the redirect loop",
                detail,
            )
        }
        "bypass-cdn" => {
            let detail = match f {
                F::Cloudflare => "To see whether the origin works on its own, pause Cloudflare for the site (Overview > Pause Cloudflare on Site) or point the name at the origin IP in your own hosts file, and test again.".to_string(),
                _ => "Point the host name at the origin IP in your own hosts file (or use `curl --resolve`) to see whether the origin works without the CDN in front.".to_string(),
            };
            fix("bypass-cdn", "Test without the CDN", detail)
        }
        "disable-plugins" => fix(
            "disable-plugins",
            "Rule out plugins and themes",
            "On WordPress or similar, rename `wp-content/plugins` to disable all plugins and switch to a default theme; if the error stops, re-enable them one by one (on a staging copy if you can). Enable `WP_DEBUG_LOG` with `WP_DEBUG_DISPLAY` off to log the error.",
        ),
        "scale-up" => {
            let detail = match f {
                F::Heroku => "Add dynos (`heroku ps:scale web=2`) or use larger ones, and check `heroku logs` for memory errors (R14).".to_string(),
                F::AwsElb => "Add targets or enable auto scaling on the target group's Auto Scaling group, and watch the TargetResponseTime and HTTPCode_Target_5XX metrics.".to_string(),
                _ => "Add capacity (more workers, CPU or memory, another server behind a load balancer, auto-scaling) and set up monitoring and alerts so you hear about overload before visitors do.".to_string(),
            };
            fix("scale-up", "Add capacity", detail)
        }
        "add-caching" => fix(
            "add-caching",
            "Serve more from cache",
            "Cache pages and static files at the CDN or in a page cache so traffic spikes do not reach the application; it also cuts bandwidth.",
        ),
        "check-deploy" => {
            let detail = match f {
                F::Heroku => {
                    "If this began with a release, roll back with `heroku releases:rollback` and look at what changed (`heroku releases`)."
                }
                F::Vercel => {
                    "Check the latest deployment's build and runtime logs; if it began with a deploy, use Instant Rollback to the previous production deployment."
                }
                F::Netlify => {
                    "Check the deploy log and that the file exists in the publish directory (and `_redirects` rules); publish the previous deploy if the new one broke the site."
                }
                F::GitHubPages => {
                    "Under Settings > Pages, check the source branch and folder, that the build succeeded, and that the file exists there with the same letter case (Pages paths are case-sensitive)."
                }
                _ => {
                    "If the error began with a deploy or config change, roll it back, then compare what changed (code, environment variables, dependencies, file permissions)."
                }
            };
            fix("check-deploy", "Check the latest deploy", detail)
        }
        "contact-host" => {
            let detail = match f {
                F::Cloudflare => format!(
                    "If the origin answers fine when tested directly, open a Cloudflare support ticket with the {} and time; otherwise ask the origin's hosting provider.",
                    id_label(ctx)
                ),
                _ if ctx.category == Category::Cdn || ctx.category == Category::Platform || ctx.category == Category::LoadBalancer => format!(
                    "If none of this helps, contact {n}'s support with the {} and the time of the error.",
                    id_label(ctx)
                ),
                _ => "On shared or managed hosting, ask the host: they can see server-wide limits (PHP workers, CPU, memory, bandwidth), firewall blocks and outages you cannot.".to_string(),
            };
            fix("contact-host", "Contact the host or provider", detail)
        }
        "check-config" => {
            let detail = match f {
                F::Nginx => "Check the server block that handled the request and its upstream address, then validate with `sudo nginx -t` before `sudo systemctl reload nginx`.".to_string(),
                F::Apache => "Check the virtual host and proxy or PHP handler lines, then validate with `apachectl configtest` before reloading.".to_string(),
                F::HaProxy => "Validate with `haproxy -c -f /etc/haproxy/haproxy.cfg` and check the backend's address, port and `check` options.".to_string(),
                F::Caddy => "Validate with `caddy validate --config /etc/caddy/Caddyfile` and check the `reverse_proxy` target and its scheme (http vs https).".to_string(),
                F::AwsElb if ctx.status == Some(464) => "Make the target group's protocol version (HTTP1, HTTP2, gRPC) match what clients send.".to_string(),
                _ => format!("Check {n}'s configuration for this host: the address, port and protocol (http vs https, HTTP vs FastCGI) it uses to reach the server behind it."),
            };
            fix("check-config", "Check the configuration", detail)
        }
        "check-memory" => fix(
            "check-memory",
            "Look for crashes and out-of-memory kills",
            "`journalctl -k | grep -i -e oom -e killed` or `dmesg -T | grep -i kill` shows processes killed for memory; the app's own log shows crashes (segfaults, fatal errors) at the time of the error.",
        ),
        "check-keepalive" => fix(
            "check-keepalive",
            "Match keep-alive timeouts",
            format!(
                "The application server should keep idle connections open longer than {n} does, or {n} may reuse a connection the app just closed; raise the app's keep-alive timeout above the proxy's idle timeout."
            ),
        ),
        "find-slow-requests" => fix(
            "find-slow-requests",
            "Find what makes the request slow",
            "Look at the slow request itself: slow database queries (enable the slow query log), calls to external APIs, or heavy work that belongs in a background job.",
        ),
        "check-database" => fix(
            "check-database",
            "Check the database",
            "Check that the database is up and not overloaded or out of connections (e.g. `SHOW PROCESSLIST;` on MySQL, `pg_stat_activity` on PostgreSQL), and that its disk is not full.",
        ),
        "check-health-checks" => fix(
            "check-health-checks",
            "Check the health checks",
            format!(
                "{n} only sends requests to servers that pass its health checks: make sure the check path and port exist and answer 200 quickly, and that the servers are registered."
            ),
        ),
        "check-provider-status" => fix(
            "check-provider-status",
            "Check the provider's status page",
            format!(
                "Look at {n}'s status page for an incident in your region; if there is one, there is nothing to fix on your side."
            ),
        ),
        "bind-port" => fix(
            "bind-port",
            "Listen on the port the platform gives",
            "The app must listen on `0.0.0.0` and the port in the `PORT` environment variable within the boot time limit; check the start command and slow start-up work.",
        ),
        "check-maintenance" => fix(
            "check-maintenance",
            "Check for a forgotten maintenance mode",
            "If maintenance is over, turn maintenance mode off (on WordPress, delete the `.maintenance` file in the site root; otherwise your app's or host's maintenance switch).",
        ),
        "send-retry-after" => fix(
            "send-retry-after",
            "Send a Retry-After header",
            "Answer maintenance with 503 and a `Retry-After` header (seconds) so visitors, tools and search engines know when to come back.",
        ),
        "check-domain-config" => {
            let detail = match f {
                F::Vercel => {
                    "In the Vercel project, Settings > Domains must list this host name and point it at the current production deployment."
                }
                F::Netlify => {
                    "In the Netlify site's Domain management, the host name must be added to this site, and the DNS record must point at Netlify."
                }
                F::GitHubPages => {
                    "Under the repository's Settings > Pages, publishing must be on, and the custom domain must match the `CNAME` file and the DNS record."
                }
                F::Heroku => {
                    "`heroku domains` must list this host name for the app, and the DNS record must point at the DNS target Heroku gives for it."
                }
                F::Fastly => {
                    "Add the host name to the Fastly service's Domains and activate the new service version."
                }
                F::AzureFrontDoor => {
                    "Add the host name as a custom domain of the Front Door profile and associate it with a route to the origin group."
                }
                F::AwsApiGateway => {
                    "Check that a route exists for this method and path, and that the API was deployed to the stage in the address (or the custom domain's base path mapping)."
                }
                F::Traefik => {
                    "Check that a router's rule matches this request, e.g. ``Host(`example.com`)``, and that the router's entry point is the one the request came in on."
                }
                F::TrafficServer => {
                    "Add a `map` rule for this host in `remap.config` and reload (`traffic_ctl config reload`)."
                }
                F::Envoy => {
                    "Add a virtual host and route matching this host and path to the route configuration."
                }
                _ => {
                    "Check that this host name and path are configured on the service and routed to the right backend."
                }
            };
            fix(
                "check-domain-config",
                "Check the host name is set up",
                detail,
            )
        }
        "add-exception" => fix(
            "add-exception",
            "Add a narrow exception for legitimate traffic",
            "If real visitors or tools you rely on (monitoring, API clients, payment webhooks) are caught, exempt them by path, address or token rather than switching the protection off.",
        ),
        "announce-maintenance" => fix(
            "announce-maintenance",
            "Say when it will be back",
            "Put the expected end time on the maintenance page and on a status page or social account, so visitors know whether to wait.",
        ),
        "check-traffic" => fix(
            "check-traffic",
            "Find what uses the bandwidth",
            "Look at the hosting statistics or access logs for large files, hotlinked images and aggressive crawlers; block the abusive ones and move big downloads to a CDN or storage.",
        ),
        "check-tunnel" => fix(
            "check-tunnel",
            "Check the Cloudflare Tunnel",
            "If the host name points at a tunnel, make sure `cloudflared` is running and connected (`systemctl status cloudflared`, `cloudflared tunnel info NAME`) and that the tunnel's public host name is still configured.",
        ),
        "fix-links" => fix(
            "fix-links",
            "Find where the broken link comes from",
            "Check the Referer of these requests in the access log; fix internal links, and ask other sites to update theirs.",
        ),
        "add-redirect" => {
            let detail = match f {
                F::Nginx => {
                    "If the page moved, redirect the old address: `location = /old { return 301 /new; }`."
                }
                F::Apache | F::LiteSpeed => {
                    "If the page moved, redirect the old address: `Redirect 301 /old /new` in the virtual host or .htaccess."
                }
                F::Netlify => "If the page moved, add a line to `_redirects`: `/old /new 301`.",
                F::Vercel => {
                    "If the page moved, add a redirect in `vercel.json` (`\"redirects\": [{ \"source\": \"/old\", \"destination\": \"/new\", \"permanent\": true }]`)."
                }
                F::Cloudflare => {
                    "If the page moved, add a redirect rule (Rules > Redirect Rules) or redirect on the origin."
                }
                _ => {
                    "If the page moved, redirect the old address to the new one with a 301, so old links and search engines follow."
                }
            };
            fix("add-redirect", "Redirect moved pages", detail)
        }
        "raise-header-limits" => {
            let detail = match f {
                F::Nginx => {
                    "If large headers are legitimate: `large_client_header_buffers 4 16k;` in the http or server block, then reload nginx."
                }
                F::Apache => {
                    "If large headers are legitimate: raise `LimitRequestFieldSize` (e.g. 16380) and `LimitRequestLine`, then reload Apache."
                }
                F::Iis => {
                    "If large headers are legitimate: raise http.sys `MaxFieldLength` and `MaxRequestBytes` in the registry (HKLM\\System\\CurrentControlSet\\Services\\HTTP\\Parameters) and restart."
                }
                F::Tomcat => {
                    "If large headers are legitimate: raise `maxHttpHeaderSize` on the Connector in server.xml."
                }
                _ => {
                    "If large headers are legitimate, raise the server's limit for request header size."
                }
            };
            fix("raise-header-limits", "Raise request header limits", detail)
        }
        "shrink-cookies" => fix(
            "shrink-cookies",
            "Send fewer and smaller cookies",
            "Find which cookies grow (analytics, session data, A/B tests) and stop storing data in them or scope them to a path; raising limits only postpones the problem.",
        ),
        "raise-body-limit" => {
            let detail = match f {
                F::Nginx => {
                    "Raise `client_max_body_size` (e.g. `client_max_body_size 50m;`), and PHP's `upload_max_filesize` and `post_max_size` if PHP handles the upload."
                }
                F::Apache | F::LiteSpeed => {
                    "Raise `LimitRequestBody`, and PHP's `upload_max_filesize` and `post_max_size` if PHP handles the upload."
                }
                F::Cloudflare => {
                    "Cloudflare limits request bodies by plan (100 MB on Free and Pro); upload larger files directly to storage or through a non-proxied host name."
                }
                F::Iis => "Raise `maxAllowedContentLength` under `requestFiltering` in web.config.",
                _ => {
                    "Raise the server's request body size limit, or send large files directly to storage."
                }
            };
            fix("raise-body-limit", "Raise the upload size limit", detail)
        }
        "check-permissions" => fix(
            "check-permissions",
            "Check file permissions and access rules",
            "The web server user must be able to read the files (`namei -l /path/to/file`); check `deny`/`Require` rules and whether a directory without an index file is being requested.",
        ),
        "check-waf-rules" => {
            let detail = match f {
                F::Cloudflare => "In Security > Events, search for the Ray ID to see which rule (WAF, bot fight mode, IP access rule) blocked the request, and add an exception if it was wrong.".to_string(),
                F::Akamai => "Give the Reference number to Akamai support or look it up in the security event logs to see which rule fired.".to_string(),
                F::AwsApiGateway | F::CloudFront | F::AwsElb => "Check AWS WAF's sampled requests or logs for the rule that blocked the request.".to_string(),
                _ => format!("Find the rule that blocked the request in {n}'s security or firewall log (ModSecurity, fail2ban, WAF), and add an exception if it was a false positive."),
            };
            fix("check-waf-rules", "Find the rule that blocked it", detail)
        }
        "check-rate-limits" => fix(
            "check-rate-limits",
            "Review the rate limits",
            format!(
                "Check {n}'s rate-limit rules: limits keyed on IP address hit many people behind one shared address (offices, mobile networks, VPNs); send `Retry-After` with the 429."
            ),
        ),
        "check-auth-config" => fix(
            "check-auth-config",
            "Check the sign-in setup",
            "If visitors should see this page without signing in, check the access rules; otherwise make sure sessions and tokens are not expiring too early.",
        ),
        "check-identity-provider" => fix(
            "check-identity-provider",
            "Check the identity provider settings",
            "Check the load balancer's authenticate action: client ID, secret, callback URL and that the identity provider's endpoints are reachable from the load balancer.",
        ),
        "fix-proxy-loop" => fix(
            "fix-proxy-loop",
            "Break the proxy loop",
            "Requests are passing through the load balancer repeatedly; check that targets do not forward back to the load balancer's own address.",
        ),
        _ => return None,
    })
}

fn log_hint(ctx: &Context<'_>, s: Situation) -> String {
    use Family as F;
    let php = ctx.php();
    let fpm = php_service();
    let base = match fam(ctx) {
        F::Nginx => {
            let mut t = "`sudo tail -n 50 /var/log/nginx/error.log` shows the reason for this request, e.g. `connect() failed (111: Connection refused)`, `upstream prematurely closed connection` or `upstream timed out (110`.".to_string();
            if php {
                t.push_str(&format!(" Read PHP-FPM's log too (`/var/log/{fpm}.log`)."));
            }
            t
        }
        F::Apache => "`sudo tail -n 50 /var/log/apache2/error.log` (or `/var/log/httpd/error_log`); mod_proxy lines such as `AH01114` (could not connect to backend) or a timeout reading the status line name the cause.".to_string(),
        F::Iis => "Check Event Viewer (Windows Logs > Application) and the IIS log in `%SystemDrive%\\inetpub\\logs\\LogFiles`; the sub-status (e.g. 502.3, 500.30) narrows the cause, and for ASP.NET Core set `stdoutLogEnabled=\"true\"` in web.config.".to_string(),
        F::LiteSpeed => "Read `/usr/local/lsws/logs/error.log` and `stderr.log` (on cPanel, also Metrics > Errors), which show PHP (lsphp) failures and resource limits.".to_string(),
        F::Caddy => "`journalctl -u caddy --since \"15 min ago\"` shows the reverse_proxy error (dial failure, timeout or bad response) for this request.".to_string(),
        F::HaProxy => "Read HAProxy's log (`journalctl -u haproxy` or syslog); the termination state (e.g. `SC--` refused, `sH--` server timeout, `SH--` server closed) says what the server did.".to_string(),
        F::Varnish => "`varnishlog -g request -q 'RespStatus >= 500'` shows the FetchError for failing requests, e.g. backend unhealthy or first byte timeout.".to_string(),
        F::Squid => "Read `/var/log/squid/cache.log` and `access.log`; the error page's own text names the step that failed.".to_string(),
        F::TrafficServer => "Read Traffic Server's `error.log` and `diags.log` (usually under `/var/log/trafficserver/`).".to_string(),
        F::Envoy => "Read Envoy's access log response flags: `UF` upstream connection failure, `UH` no healthy upstream, `UT` upstream timeout, `UC` upstream connection closed.".to_string(),
        F::Traefik => "Read Traefik's log (`docker logs traefik`, with `--log.level=DEBUG` if needed) and its access log to see which router and service handled the request.".to_string(),
        F::Lighttpd => "Read `/var/log/lighttpd/error.log` for the proxy or FastCGI backend error.".to_string(),
        F::Tinyproxy => "Read `/var/log/tinyproxy/tinyproxy.log` for the failed connection.".to_string(),
        F::Nghttpx => "Read nghttpx's error log (`--errorlog-file`) for the backend failure.".to_string(),
        F::Tomcat => "Read `$CATALINA_BASE/logs/catalina.out` and `localhost.<date>.log`: the stack trace for this error is there.".to_string(),
        F::Heroku => "`heroku logs --tail`: the router line carries an H code (H10 app crashed, H12 request timeout, H13 connection closed, H14 no web dynos) and the app's own lines just before it show why.".to_string(),
        F::Vercel => "Open the deployment's runtime logs in the Vercel dashboard (or `vercel logs <deployment-url>`) for the failing function's error.".to_string(),
        F::Netlify => "Check the Netlify dashboard's function logs and the latest deploy log.".to_string(),
        F::GitHubPages => "Check the repository's Actions tab (or Settings > Pages) for the latest Pages build and its errors.".to_string(),
        F::Cloudflare if matches!(s, Situation::Blocked | Situation::RateLimited | Situation::Forbidden) => format!(
            "Security > Events in the Cloudflare dashboard lists blocked and rate-limited requests with the rule that acted; filter by the {} or the visitor's IP address.",
            id_label(ctx)
        ),
        F::Cloudflare => format!(
            "Cloudflare only saw the symptom: read the origin web server's error log at the time of the error (e.g. `/var/log/nginx/error.log`), and look up the {} in the Cloudflare dashboard if needed.",
            id_label(ctx)
        ),
        F::CloudFront => "Enable CloudFront standard or real-time logs (the `x-edge-detailed-result-type` field, e.g. `OriginConnectError`) and read the origin's own log.".to_string(),
        F::Akamai => "Read the origin's logs at the time of the error; Akamai support can decode the Reference number into the edge's reason.".to_string(),
        F::Fastly => "Use Fastly's real-time log streaming and the origin's logs; the error text (e.g. `first byte timeout`, `backend read error`) names the failure.".to_string(),
        F::Google => "In Cloud Logging, the load balancer's `statusDetails` (e.g. `backend_timeout`, `failed_to_connect_to_backend`) and the backend service's logs explain the failure.".to_string(),
        F::AzureFrontDoor => "Front Door's access logs in Log Analytics carry the error info (e.g. `OriginTimeout`, `OriginConnectionRefused`); read the origin's log too.".to_string(),
        F::AwsElb => "Enable ALB access logs and compare `elb_status_code` with `target_status_code` (a `-` means the target never answered); then read the target's own log.".to_string(),
        F::AwsApiGateway => "Enable CloudWatch execution logs for the stage; they show the integration's raw response, errors or timeout (and the Lambda function's own log group).".to_string(),
        F::Other if ctx.is_site() => "Read the application's error log at the time of the failure (with WordPress, enable `WP_DEBUG_LOG` with `WP_DEBUG_DISPLAY` off).".to_string(),
        F::Other => format!("Read {}'s error log and the application's log at the time of the failure.", ctx.source_name),
    };
    if matches!(s, Situation::Net(_)) && !matches!(ctx.category, Category::Browser) {
        base
    } else if matches!(s, Situation::Net(_)) {
        "Read the web server's error and access logs: if the request never appears there, it was lost before reaching the server.".to_string()
    } else {
        base
    }
}

fn timeout_hint(ctx: &Context<'_>) -> String {
    use Family as F;
    let php = ctx.php();
    let first = "First find out why the backend is slow; a longer timeout only helps requests that are slow by nature (reports, imports). ";
    let how = match fam(ctx) {
        F::Nginx if php => "Then set `fastcgi_read_timeout 120s;` in the PHP location and match PHP's `max_execution_time` and FPM's `request_terminate_timeout`; `sudo nginx -t && sudo systemctl reload nginx`.".to_string(),
        F::Nginx => "Then set `proxy_read_timeout 120s;` (and if needed `proxy_send_timeout`) in the location that proxies, and `sudo nginx -t && sudo systemctl reload nginx`.".to_string(),
        F::Apache => "Then set `ProxyTimeout 120` (or `timeout=120` on the `ProxyPass` line) and reload Apache.".to_string(),
        F::HaProxy => "Then raise `timeout server 120s` in the backend (keep `timeout connect` short) and reload HAProxy.".to_string(),
        F::Caddy => "Then raise the timeouts in `reverse_proxy { transport http { read_timeout 120s response_header_timeout 120s } }` and reload Caddy.".to_string(),
        F::Traefik => "Then raise `forwardingTimeouts.responseHeaderTimeout` in a `serversTransport` used by the service.".to_string(),
        F::Envoy => "Then raise the route's `timeout` (Envoy's default is 15 s), e.g. `timeout: 120s`.".to_string(),
        F::Varnish => "Then raise `.first_byte_timeout` and `.between_bytes_timeout` in the backend definition.".to_string(),
        F::Squid => "Then raise `read_timeout` (and `connect_timeout`) in squid.conf.".to_string(),
        F::TrafficServer => "Then raise `proxy.config.http.transaction_no_activity_timeout_out`.".to_string(),
        F::Iis => "Then raise the Application Request Routing proxy time-out (IIS Manager > server farm > Proxy > Time-out).".to_string(),
        F::Cloudflare => "Cloudflare waits about 100 seconds for an answer (longer only on Enterprise): return early and finish long work in a background job, or serve such endpoints from a host name that is not proxied.".to_string(),
        F::CloudFront => "Then raise the origin response timeout in the distribution's origin settings (30 s by default).".to_string(),
        F::Fastly => "Then raise the backend's `first_byte_timeout` and `between_bytes_timeout`.".to_string(),
        F::Google => "Then raise the backend service timeout (30 s by default): `gcloud compute backend-services update NAME --timeout=120`.".to_string(),
        F::AzureFrontDoor => "Then raise the origin response timeout in the Front Door profile's settings.".to_string(),
        F::AwsElb => "Then raise the load balancer's idle timeout attribute (60 s by default) and keep the targets' keep-alive timeout above it.".to_string(),
        F::AwsApiGateway => "API Gateway's integration timeout is about 29 s by default; make long work asynchronous (return 202 and poll) rather than waiting.".to_string(),
        F::Heroku => "Heroku's router allows 30 seconds for the first byte and this cannot be raised: move slow work to a worker dyno and answer early.".to_string(),
        F::Vercel => "Then raise the function's `maxDuration` (in `vercel.json` or the route's config) within your plan's limit.".to_string(),
        F::Netlify => "Synchronous functions have a short limit; use a background function for long work.".to_string(),
        _ if ctx.is_site() => "Then raise the timeout of whatever proxy sits in front of the application, for the slow route only.".to_string(),
        _ => format!("Then raise {}'s read or response timeout for the slow route only.", ctx.source_name),
    };
    format!("{first}{how}")
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    struct Case {
        status: Option<u16>,
        id: &'static str,
        name: &'static str,
        category: Category,
        role: Hop,
        hop: Hop,
        facts: &'static [Fact],
        net: Option<&'static str>,
        has_ids: bool,
    }

    fn case(status: u16, id: &'static str, facts: &'static [Fact]) -> Case {
        let (name, category, role) = source(id);
        Case {
            status: Some(status),
            id,
            name,
            category,
            role,
            hop: Hop::Origin,
            facts,
            net: None,
            has_ids: false,
        }
    }

    fn net_case(code: &'static str) -> Case {
        let (name, category, role) = source("chrome");
        Case {
            status: None,
            id: "chrome",
            name,
            category,
            role,
            hop: Hop::Network,
            facts: &[],
            net: Some(code),
            has_ids: false,
        }
    }

    fn source(id: &str) -> (&'static str, Category, Hop) {
        match id {
            "nginx" => ("nginx", Category::WebServer, Hop::Gateway),
            "apache" => ("Apache", Category::WebServer, Hop::Gateway),
            "cloudflare" => ("Cloudflare", Category::Cdn, Hop::Edge),
            "heroku" => ("Heroku", Category::Platform, Hop::Edge),
            "haproxy" => ("HAProxy", Category::Proxy, Hop::Gateway),
            "tinyproxy" => ("Tinyproxy", Category::Proxy, Hop::Network),
            "aws-elb" => (
                "AWS Elastic Load Balancing",
                Category::LoadBalancer,
                Hop::Gateway,
            ),
            "chrome" => ("Chrome", Category::Browser, Hop::Browser),
            "custom" => ("The site's own page", Category::Site, Hop::Origin),
            "none" => ("Not an error page", Category::None, Hop::Unknown),
            _ => ("Other", Category::Proxy, Hop::Gateway),
        }
    }

    fn run<T>(c: &Case, f: impl Fn(&Context<'_>) -> T) -> T {
        let ctx = Context {
            status: c.status,
            source_id: c.id,
            source_name: c.name,
            category: c.category,
            role: c.role,
            hop: c.hop,
            facts: c.facts,
            net_error: c.net,
            via: &[],
            has_ids: c.has_ids,
            retry_after_seconds: None,
            retry_after_date: None,
            from_log: false,
        };
        f(&ctx)
    }

    fn ids(v: &[Fix]) -> Vec<&str> {
        v.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn situations() {
        use Situation::*;
        let cases = [
            (
                case(502, "nginx", &[Fact::UpstreamRefused, Fact::PhpFpm]),
                UpstreamRefused,
            ),
            (case(502, "nginx", &[]), BadGateway),
            (
                case(504, "nginx", &[Fact::UpstreamTimeout]),
                UpstreamTimeout,
            ),
            (
                case(502, "nginx", &[Fact::UpstreamHeaderTooBig]),
                UpstreamHeaderTooBig,
            ),
            (case(521, "cloudflare", &[]), UpstreamRefused),
            (case(522, "cloudflare", &[]), ConnectTimeout),
            (case(524, "cloudflare", &[]), UpstreamTimeout),
            (case(526, "cloudflare", &[]), UpstreamTls),
            (case(530, "cloudflare", &[Fact::Dns]), UpstreamDns),
            (case(503, "heroku", &[Fact::AppCrashed]), AppCrashed),
            (
                case(503, "heroku", &[Fact::RequestTimeout]),
                UpstreamTimeout,
            ),
            (
                case(400, "nginx", &[Fact::RequestTooLarge]),
                CookiesTooLarge,
            ),
            (case(494, "nginx", &[]), CookiesTooLarge),
            (case(431, "custom", &[]), CookiesTooLarge),
            (case(404, "nginx", &[]), NotFound),
            (case(410, "custom", &[]), Gone),
            (case(429, "cloudflare", &[]), RateLimited),
            (case(403, "cloudflare", &[Fact::Blocked]), Blocked),
            (case(503, "custom", &[Fact::Maintenance]), Maintenance),
            (case(500, "custom", &[]), ServerError),
            (case(200, "none", &[]), NotError),
            (net_case("ERR_NAME_NOT_RESOLVED"), Net(NetKind::Dns)),
            (net_case("ERR_CERT_DATE_INVALID"), Net(NetKind::CertDate)),
        ];
        for (c, want) in cases {
            assert_eq!(
                run(&c, situation),
                want,
                "{:?} {} {:?}",
                c.status,
                c.id,
                c.facts
            );
        }
    }

    #[test]
    fn explanation_names_the_hops() {
        let c = case(502, "nginx", &[Fact::UpstreamRefused]);
        assert_eq!(
            run(&c, explain),
            "nginx, the gateway in front of the site, could not connect to the application server behind it: nothing was listening (connection refused)."
        );
        let c = case(521, "cloudflare", &[]);
        let e = run(&c, explain);
        assert!(e.starts_with("Cloudflare, the CDN in front of the site, could not connect to the site's origin server"), "{e}");
        assert!(e.contains("firewall"), "{e}");
        let s = run(
            &case(502, "nginx", &[Fact::UpstreamRefused, Fact::PhpFpm]),
            summary,
        );
        assert_eq!(
            s,
            "nginx wrote this 502: PHP-FPM behind it refused the connection."
        );
        let s = run(&case(502, "tinyproxy", &[Fact::UpstreamRefused]), summary);
        assert_eq!(
            s,
            "Tinyproxy wrote this 502: the site's server refused the connection."
        );
        let s = run(&case(502, "nginx", &[Fact::UpstreamRefused]), summary);
        assert_eq!(
            s,
            "nginx wrote this 502: the app server behind it refused the connection."
        );
    }

    #[test]
    fn cloudflare_521_and_nginx_php_502_differ() {
        let cf = run(&case(521, "cloudflare", &[]), owner_fixes);
        let ng = run(
            &case(502, "nginx", &[Fact::UpstreamRefused, Fact::PhpFpm]),
            owner_fixes,
        );
        assert_ne!(ids(&cf), ids(&ng));
        assert!(ids(&cf).contains(&"allow-proxy-ips"));
        assert!(!ids(&ng).contains(&"allow-proxy-ips"));
        assert!(
            ng[0].detail.contains("systemctl status php8.2-fpm"),
            "{}",
            ng[0].detail
        );
        assert!(ids(&ng).contains(&"tune-php-fpm"));
        for list in [&cf, &ng] {
            assert!((3..=7).contains(&list.len()), "{:?}", ids(list));
        }
    }

    /// (case, visitor fixes it must have, visitor fixes it must not have, owner fixes it must have)
    type FixCase = (
        Case,
        &'static [&'static str],
        &'static [&'static str],
        &'static [&'static str],
    );

    #[test]
    fn fix_lists_by_situation() {
        // (case, visitor must contain, visitor must not contain, owner must contain)
        let cases: Vec<FixCase> = vec![
            (
                case(404, "nginx", &[]),
                &["check-url"],
                &["retry", "auto-retry", "flush-dns"],
                &["fix-links"],
            ),
            (case(410, "custom", &[]), &["check-url"], &["retry"], &[]),
            (
                case(494, "nginx", &[]),
                &["clear-cookies"],
                &["retry"],
                &["shrink-cookies", "raise-header-limits"],
            ),
            (
                case(400, "nginx", &[Fact::RequestTooLarge]),
                &["clear-cookies"],
                &[],
                &[],
            ),
            (
                case(504, "nginx", &[Fact::UpstreamTimeout]),
                &["retry", "auto-retry"],
                &["flush-dns"],
                &["raise-proxy-timeouts"],
            ),
            (
                case(502, "nginx", &[Fact::UpstreamHeaderTooBig]),
                &["tell-owner"],
                &[],
                &["raise-proxy-buffers"],
            ),
            (
                case(503, "heroku", &[Fact::AppCrashed]),
                &["wait"],
                &[],
                &["read-error-log", "check-deploy"],
            ),
            (
                case(503, "custom", &[Fact::Maintenance]),
                &["wait"],
                &["clear-cookies"],
                &["check-maintenance"],
            ),
            (
                case(403, "cloudflare", &[Fact::Blocked]),
                &["switch-network", "disable-extensions"],
                &["retry"],
                &["check-waf-rules"],
            ),
            (
                net_case("ERR_NAME_NOT_RESOLVED"),
                &["flush-dns", "check-url", "switch-network"],
                &[],
                &["check-dns"],
            ),
            (
                net_case("ERR_CERT_DATE_INVALID"),
                &["check-date-time"],
                &["retry"],
                &["fix-certificate"],
            ),
            (
                net_case("ERR_BLOCKED_BY_CLIENT"),
                &["disable-extensions"],
                &["tell-owner"],
                &[],
            ),
            (
                net_case("ERR_TOO_MANY_REDIRECTS"),
                &["clear-cookies"],
                &[],
                &["fix-redirect-loop"],
            ),
            (case(200, "none", &[]), &[], &["retry"], &[]),
        ];
        for (c, must, must_not, owner) in cases {
            let v = run(&c, visitor_fixes);
            let o = run(&c, owner_fixes);
            let (vi, oi) = (ids(&v), ids(&o));
            for m in must {
                assert!(
                    vi.contains(m),
                    "{:?} {}: visitor lacks {m}: {vi:?}",
                    c.status,
                    c.id
                );
            }
            for m in must_not {
                assert!(
                    !vi.contains(m),
                    "{:?} {}: visitor has {m}: {vi:?}",
                    c.status,
                    c.id
                );
            }
            for m in owner {
                assert!(
                    oi.contains(m),
                    "{:?} {}: owner lacks {m}: {oi:?}",
                    c.status,
                    c.id
                );
            }
            assert!(vi.len() <= 6 && oi.len() <= 7, "{vi:?} {oi:?}");
            for f in v.iter().chain(&o) {
                assert!(!f.title.is_empty() && !f.detail.is_empty(), "{}", f.id);
            }
        }
    }

    #[test]
    fn browser_pages_without_a_known_code() {
        use Situation::*;
        let mut c = net_case("ERR_NAME_NOT_RESOLVED");
        c.net = None;
        c.facts = &[Fact::Dns];
        assert_eq!(run(&c, situation), Net(NetKind::Dns));
        let e = run(&c, explain);
        assert!(e.starts_with("Your browser (Chrome) could not find"), "{e}");
        assert!(run(&c, visitor_fixes).iter().any(|f| f.id == "flush-dns"));
        c.facts = &[Fact::OriginUnreachable];
        assert_eq!(run(&c, situation), Net(NetKind::Unreachable));
        c.facts = &[];
        c.status = Some(502);
        assert_eq!(run(&c, situation), Net(NetKind::HttpStatus));
        let s = run(&c, summary);
        assert!(s.contains("502"), "{s}");
    }

    #[test]
    fn not_found_at_a_shared_front_end_points_at_host_setup() {
        let (name, category, role) = ("Vercel", Category::Platform, Hop::Edge);
        let c = Case {
            status: Some(404),
            id: "vercel",
            name,
            category,
            role,
            hop: Hop::Edge,
            facts: &[Fact::NotFound],
            net: None,
            has_ids: true,
        };
        let o = run(&c, owner_fixes);
        assert_eq!(
            o.first().map(|f| f.id.as_str()),
            Some("check-domain-config")
        );
        assert!(o[0].detail.contains("Domains"));
        let v = run(&c, visitor_fixes);
        assert_eq!(v.first().map(|f| f.id.as_str()), Some("check-url"));
        assert_eq!(run(&c, retry).advice, RetryAdvice::No);
        // A plain web server's 404 is about the link, not the host setup.
        let o = run(&case(404, "nginx", &[Fact::NotFound]), owner_fixes);
        assert_eq!(o.first().map(|f| f.id.as_str()), Some("fix-links"));
    }

    #[test]
    fn none_gets_nothing() {
        let c = case(200, "none", &[]);
        assert!(run(&c, visitor_fixes).is_empty());
        assert!(run(&c, owner_fixes).is_empty());
        assert_eq!(run(&c, retry).advice, RetryAdvice::No);
    }

    #[test]
    fn tell_owner_quotes_ids() {
        let mut c = case(521, "cloudflare", &[]);
        c.has_ids = true;
        let v = run(&c, visitor_fixes);
        let tell = v.iter().find(|f| f.id == "tell-owner");
        assert!(tell.is_some_and(|f| f.detail.contains("Ray ID")), "{v:?}");
    }

    #[test]
    fn retry_rules() {
        let cases = [
            (case(404, "nginx", &[]), RetryAdvice::No, None),
            (case(410, "nginx", &[]), RetryAdvice::No, None),
            (case(408, "nginx", &[]), RetryAdvice::Now, None),
            (case(425, "nginx", &[]), RetryAdvice::Now, None),
            (case(429, "nginx", &[]), RetryAdvice::Soon, Some(60)),
            (case(500, "custom", &[]), RetryAdvice::Soon, Some(5)),
            (case(502, "nginx", &[]), RetryAdvice::Soon, Some(10)),
            (case(504, "nginx", &[]), RetryAdvice::Soon, Some(30)),
            (case(503, "custom", &[]), RetryAdvice::Soon, Some(30)),
            (case(526, "cloudflare", &[]), RetryAdvice::Later, None),
            (
                net_case("ERR_NAME_NOT_RESOLVED"),
                RetryAdvice::Soon,
                Some(5),
            ),
            (
                net_case("ERR_CERT_AUTHORITY_INVALID"),
                RetryAdvice::No,
                None,
            ),
            (net_case("ERR_NETWORK_CHANGED"), RetryAdvice::Now, None),
        ];
        for (c, advice, after) in cases {
            let r = run(&c, retry);
            assert_eq!(
                (r.advice, r.after_seconds),
                (advice, after),
                "{:?} {:?}",
                c.status,
                c.net
            );
            assert!(!r.explanation.is_empty());
            assert!(!r.from_header);
        }
    }

    #[test]
    fn retry_after_is_honoured() {
        let base = case(503, "custom", &[]);
        let mk = |secs: Option<u64>, date: Option<&'static str>| {
            let ctx = Context {
                status: base.status,
                source_id: base.id,
                source_name: base.name,
                category: base.category,
                role: base.role,
                hop: base.hop,
                facts: base.facts,
                net_error: None,
                via: &[],
                has_ids: false,
                retry_after_seconds: secs,
                retry_after_date: date,
                from_log: false,
            };
            retry(&ctx)
        };
        let r = mk(Some(120), None);
        assert_eq!(
            (r.advice, r.after_seconds, r.from_header),
            (RetryAdvice::Soon, Some(120), true)
        );
        let r = mk(Some(3600), None);
        assert_eq!(
            (r.advice, r.after_seconds),
            (RetryAdvice::Later, Some(3600))
        );
        let r = mk(Some(0), None);
        assert_eq!((r.advice, r.from_header), (RetryAdvice::Now, true));
        let r = mk(None, Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert_eq!(r.advice, RetryAdvice::Later);
        assert_eq!(r.at.as_deref(), Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert!(r.from_header && r.explanation.contains("2026"));
    }

    #[test]
    fn via_is_named_as_relay() {
        let c = case(502, "nginx", &[Fact::UpstreamRefused]);
        let via = [Via {
            id: "cloudflare".into(),
            name: "Cloudflare".into(),
            category: Category::Cdn,
        }];
        let ctx = Context {
            status: c.status,
            source_id: c.id,
            source_name: c.name,
            category: c.category,
            role: c.role,
            hop: c.hop,
            facts: c.facts,
            net_error: None,
            via: &via,
            has_ids: true,
            retry_after_seconds: None,
            retry_after_date: None,
            from_log: false,
        };
        let e = explain(&ctx);
        assert!(
            e.ends_with("; Cloudflare only passed the answer along."),
            "{e}"
        );
        let v = visitor_fixes(&ctx);
        assert!(
            v.iter()
                .any(|f| f.id == "tell-owner" && f.detail.contains("Ray ID"))
        );
    }

    #[test]
    fn every_source_gets_a_sentence() {
        for id in [
            "cloudflare",
            "cloudfront",
            "akamai",
            "fastly",
            "google",
            "azure-front-door",
            "vercel",
            "netlify",
            "heroku",
            "github-pages",
            "aws-elb",
            "aws-api-gateway",
            "nginx",
            "openresty",
            "apache",
            "iis",
            "litespeed",
            "caddy",
            "haproxy",
            "varnish",
            "squid",
            "trafficserver",
            "envoy",
            "traefik",
            "lighttpd",
            "tinyproxy",
            "nghttpx",
            "tomcat",
            "custom",
        ] {
            for status in [400, 403, 404, 429, 500, 502, 503, 504] {
                let (name, category, role) = source(id);
                let c = Case {
                    status: Some(status),
                    id,
                    name,
                    category,
                    role,
                    hop: Hop::Origin,
                    facts: &[],
                    net: None,
                    has_ids: false,
                };
                let e = run(&c, explain);
                assert!(e.ends_with('.') && e.len() > 30, "{id} {status}: {e}");
                let s = run(&c, summary);
                assert!(s.contains(&status.to_string()), "{id} {status}: {s}");
                let v = run(&c, visitor_fixes);
                assert!((1..=6).contains(&v.len()), "{id} {status}");
                let o = run(&c, owner_fixes);
                assert!(o.len() <= 7, "{id} {status}");
            }
        }
    }
}
