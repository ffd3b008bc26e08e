//! Advice: the failing hop's explanation, retry guidance and fixes, chosen from the status,
//! the source, the failing hop and the facts the rules found.
//!
//! Everything starts from [`Situation`]: one classification of what went wrong, made from
//! (in this order) the kind of source, a browser network error, the facts the rules found,
//! and the status code. The sentences and fixes are then picked from the situation, and the
//! concrete commands from the product that wrote the page (its "family").

use crate::model::{Category, Fix, Hop, Retry, RetryAdvice, Via};
use crate::neterror::{self, NetKind};
pub use crate::rules::Situation;
use crate::rules::{Fact, FixId, FixText, Part, ProductAdvice, Security, Slot, Text};

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
    /// True when the input reads as writing about errors (an article, a guide, a thread)
    /// rather than as an error page.
    pub article: bool,
    /// The success status (2xx) an error page was sent with, such as PHP's fatal error in a
    /// 200: `status` leaves it out, since it says nothing about what failed.
    pub sent_success: Option<u16>,
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
    // A security filter's own 403 is a block by one of its rules, whatever the page says.
    if status == 403 && security(ctx).is_some() {
        return Blocked;
    }
    from_status(status)
}

fn from_facts(ctx: &Context<'_>, status: u16) -> Option<Situation> {
    use Situation::*;
    let order: &[(Fact, Situation)] = &[
        (Fact::NetworkAuth, NetworkAuth),
        (Fact::AuthFailed, Unauthorized),
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
// What the product's file says (its `[advice]`).

/// The advice data of the product that wrote the page.
fn product(ctx: &Context<'_>) -> Option<&'static ProductAdvice> {
    crate::rules::rule(ctx.source_id).map(|r| r.advice)
}

/// What kind of security filter the writer is, if it is one (`security` in its file). A
/// product sold both ways (Fortinet's FortiGate on the visitor's network, FortiWeb in front
/// of sites) is told by the hop its page failed at.
fn security(ctx: &Context<'_>) -> Option<Security> {
    let declared = product(ctx).and_then(|a| a.security)?;
    Some(match ctx.hop {
        Hop::Network => Security::Gateway,
        Hop::Edge | Hop::Gateway | Hop::Origin => Security::Waf,
        _ => declared,
    })
}

/// The advice data of the products that only relayed the page.
fn relays<'a>(ctx: &'a Context<'_>) -> impl Iterator<Item = &'static ProductAdvice> + 'a {
    ctx.via
        .iter()
        .filter_map(|v| crate::rules::rule(&v.id))
        .map(|r| r.advice)
}

/// True when a product's version of a fix applies here.
fn applies(f: &FixText, ctx: &Context<'_>, s: Situation) -> bool {
    (f.situations.is_empty() || f.situations.contains(&s))
        && (f.statuses.is_empty() || ctx.status.is_some_and(|c| f.statuses.contains(&c)))
        && f.php.is_none_or(|p| p == ctx.php())
}

/// The product's version of a fix: the writer's first, then one a relaying product gives
/// for its whole path (`on_path`).
fn product_fix(ctx: &Context<'_>, s: Situation, id: FixId) -> Option<&'static FixText> {
    let own = product(ctx).and_then(|a| a.fixes.iter().find(|f| f.id == id && applies(f, ctx, s)));
    own.or_else(|| {
        relays(ctx).find_map(|a| {
            a.fixes
                .iter()
                .find(|f| f.id == id && f.on_path && applies(f, ctx, s))
        })
    })
}

/// A product's sentence with its placeholders filled in.
fn render(ctx: &Context<'_>, s: Situation, text: Text) -> String {
    let mut out = String::new();
    for part in text {
        match part {
            Part::Lit(t) => out.push_str(t),
            Part::Slot(Slot::Name) => out.push_str(name(ctx)),
            Part::Slot(Slot::Who) => out.push_str(&who(ctx, s)),
            Part::Slot(Slot::Backend) => out.push_str(backend(ctx)),
            Part::Slot(Slot::Code) => out.push_str(&code(ctx)),
            Part::Slot(Slot::IdLabel) => out.push_str(id_label(ctx)),
            Part::Slot(Slot::Fpm) => out.push_str(php_service()),
            Part::Slot(Slot::Directive) => out.push_str(directive(ctx, ctx.php())),
        }
    }
    out
}

/// The product's name in owner advice ("the site" for the site's own page).
fn name<'a>(ctx: &Context<'a>) -> &'a str {
    if ctx.is_site() {
        "the site"
    } else {
        ctx.source_name
    }
}

/// " (error 521)" when the status is known.
fn code(ctx: &Context<'_>) -> String {
    ctx.status
        .map(|c| format!(" (error {c})"))
        .unwrap_or_default()
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
    let kind = |usual: &'static str| {
        product(ctx)
            .and_then(|a| a.kind)
            .unwrap_or(match security(ctx) {
                Some(Security::Waf) => "web application firewall",
                Some(Security::Gateway) => "secure web gateway",
                None => usual,
            })
    };
    match ctx.category {
        _ if ctx.is_site() => "the site's own application".to_string(),
        _ if security(ctx) == Some(Security::Gateway) => {
            format!(
                "{n}, the {} on your own network,",
                kind("secure web gateway")
            )
        }
        // A firewall sold for both sides (Fortinet) that blocked on the site's side.
        Category::Proxy if security(ctx) == Some(Security::Waf) => {
            format!(
                "{n}, the {} in front of the site,",
                kind("web application firewall")
            )
        }
        Category::Cdn => format!("{n}, the {} in front of the site,", kind("CDN")),
        Category::Platform => format!("{n}, the platform hosting the site,"),
        Category::LoadBalancer => {
            format!("{n}, the {} in front of the site,", kind("load balancer"))
        }
        Category::Proxy if ctx.role == Hop::Network || ctx.hop == Hop::Network => {
            format!("{n}, a proxy between you and the site,")
        }
        Category::Proxy => format!("{n}, the {} in front of the site,", kind("proxy")),
        Category::WebServer if s.upstream() => format!("{n}, the gateway in front of the site,"),
        Category::WebServer => format!("{n}, the site's web server,"),
        Category::AppServer => format!("{n}, the site's application server,"),
        Category::Browser => format!("your {} ({n})", kind("browser")),
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
    if let Some(b) = product(ctx).and_then(|a| a.backend) {
        return b;
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
    if let Some(b) = product(ctx).and_then(|a| a.backend_short) {
        return b;
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

/// What the request identifier is called: the writer's name for it, else that of a product
/// that relayed the page.
fn id_label(ctx: &Context<'_>) -> &'static str {
    product(ctx)
        .into_iter()
        .chain(relays(ctx))
        .find_map(|a| a.id_label)
        .unwrap_or("request ID")
}

/// " after about 100 seconds" when the writer's wait is known.
fn timeout_limit(ctx: &Context<'_>) -> String {
    product(ctx)
        .and_then(|a| a.timeout_limit)
        .map(|t| format!(" after {t}"))
        .unwrap_or_default()
}

/// How the writer's configuration names the address it forwards to.
fn directive(ctx: &Context<'_>, php: bool) -> &'static str {
    let a = product(ctx);
    let php_form = if php {
        a.and_then(|a| a.directive_php)
    } else {
        None
    };
    php_form
        .or_else(|| a.and_then(|a| a.directive))
        .unwrap_or("the proxy configuration")
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
    let code = code(ctx);
    if let Some(e) = product(ctx).and_then(|a| a.explain.iter().find(|e| e.situations.contains(&s)))
    {
        return render(ctx, s, e.text);
    }
    match s {
        NotError => match ctx.status {
            Some(st) if st < 400 => format!(
                "This is a normal {} answer, not an error page, so no hop failed",
                status_label(ctx)
            ),
            _ if ctx.article => "This reads like an article, a guide or a discussion about errors rather than an error page: the error pages and log lines it mentions are quoted, not happening here, so no hop failed".to_string(),
            _ => "This does not look like an error page, so no hop failed".to_string(),
        },
        Net(k) => explain_net(ctx, k),
        NotFound if serves_many_sites(ctx) => format!(
            "{w} has nothing to serve at this address: either no page matches the path, or no site is set up on {n} for this host name (a removed deployment, or a domain not added to the service)"
        ),
        NotFound => format!(
            "{w} found nothing at this address: the link may be mistyped or out of date, or the page was moved or removed"
        ),
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
        Blocked => match (ctx.status, security(ctx)) {
            (Some(444), _) => format!("{w} dropped the connection without answering, which it does when a rule decides a request is unwanted (bots, unknown host names)"),
            (_, Some(Security::Gateway)) => format!(
                "{w} blocked this page on purpose: your organisation's web filtering policy (a blocked category, a threat or a policy rule) matched it, so the request never left your network and the site itself is not at fault"
            ),
            (_, Some(Security::Waf)) => format!(
                "{w} blocked the request on purpose: the site's security filter judged it to be an attack or an unwanted bot (an attack signature, a bot check, an IP or country rule matched it), so it never reached the site"
            ),
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
        UpstreamDns => {
            format!("{w} could not look up the address of {b}: its DNS name does not resolve")
        }
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
        // A client that is not a browser (curl) says what it is.
        let kind = product(ctx).and_then(|a| a.kind).unwrap_or("browser");
        format!("your {kind} ({})", ctx.source_name)
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
            _ if ctx.article => {
                "Not an error page: it looks like an article about errors.".to_string()
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
        // Credentials were sent and refused (an API token): asking to sign in would mislead.
        Unauthorized if ctx.facts.contains(&Fact::AuthFailed) => {
            "the credentials sent were not accepted".to_string()
        }
        Unauthorized => "sign-in is required".to_string(),
        ProxyAuth => "the proxy wants you to sign in".to_string(),
        Forbidden => "access to this page is refused".to_string(),
        Blocked => match security(ctx) {
            Some(Security::Gateway) => {
                "your network's security filter blocked this page".to_string()
            }
            Some(Security::Waf) => "the site's security filter blocked the request".to_string(),
            None => "a security rule blocked the request".to_string(),
        },
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
    // A site's error page sent as a success (PHP's fatal error in a 200): the page, not the
    // status, tells what happened.
    if ctx.status.is_none()
        && ctx.is_site()
        && let Some(sent) = ctx.sent_success
    {
        let label = match crate::status::reason(sent) {
            Some(r) => format!("{sent} {r}"),
            None => sent.to_string(),
        };
        return if what.is_empty() {
            format!(
                "The site's own page reports an application error, even though the server sent {label}."
            )
        } else {
            format!(
                "The site's own page reports an error ({what}), even though the server sent {label}."
            )
        };
    }
    match (ctx.status, ctx.is_site(), what.is_empty()) {
        (Some(st), true, _) => format!("The site's own page reports a {st}: {what}."),
        // A log line records the status: the product that logged it may have passed on the
        // server's own answer (HAProxy's `----`, Envoy's `-`), so it is not said to have
        // written it.
        (Some(st), false, _) if ctx.from_log => {
            format!("{}'s log records a {st}: {what}.", ctx.source_name)
        }
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
            let explanation = match secs {
                0 => "The server said a new try may come right away (Retry-After: 0); one reload is fine, repeated ones are not.".to_string(),
                // The engine caps a wait at a week: a date in 9999 is no real schedule.
                s if s >= RETRY_AFTER_CAP => "The server asked clients to wait a week or more before trying again (Retry-After), which in practice means it gives no time for the site to be back: check back later, and tell the site's owner if it lasts.".to_string(),
                s => format!(
                    "The server asked clients to wait {} before trying again (Retry-After); retrying sooner is likely to fail again.",
                    duration(s)
                ),
            };
            return Retry {
                advice,
                after_seconds: Some(secs),
                at: None,
                from_header: true,
                explanation,
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

/// The longest `Retry-After` wait the engine hands on (a week); a longer one is capped.
pub(crate) const RETRY_AFTER_CAP: u64 = 7 * 24 * 3600;

fn duration(secs: u64) -> String {
    match secs {
        1 => "1 second".to_string(),
        s if s < 120 => format!("{s} seconds"),
        s if s < 7200 => format!("about {} minutes", s.div_ceil(60)),
        s if s < 2 * 86_400 => format!("about {} hours", s.div_ceil(3600)),
        s if s >= RETRY_AFTER_CAP => "a week or more".to_string(),
        s => format!("about {} days", s.div_ceil(86_400)),
    }
}

// ---------------------------------------------------------------------------------------
// Fixes.

fn fix(id: FixId, title: &str, detail: impl Into<String>) -> Fix {
    Fix {
        id: id.as_str().to_string(),
        title: title.to_string(),
        detail: detail.into(),
    }
}

/// A fix as this product's file words it, else in its general form.
fn make_fix(ctx: &Context<'_>, s: Situation, id: FixId) -> Fix {
    let general = general_fix(ctx, s, id);
    // PHP-FPM's own check beats the product's: the fact says where to look.
    if id == FixId::CheckUpstreamRunning && ctx.php() {
        return general;
    }
    let Some(own) = product_fix(ctx, s, id) else {
        return general;
    };
    let detail = render(ctx, s, own.detail);
    Fix {
        title: own.title.map_or(general.title, |t| render(ctx, s, t)),
        detail: if id == FixId::RaiseProxyTimeouts {
            format!("{SLOW_FIRST}{detail}")
        } else {
            detail
        },
        id: general.id,
    }
}

/// A fix in its general form, true whatever the product.
fn general_fix(ctx: &Context<'_>, s: Situation, id: FixId) -> Fix {
    use Situation::*;
    let php = ctx.php();
    let n = name(ctx);
    let fpm = php_service();
    match id {
        FixId::Retry => {
            let r = retry(ctx);
            let detail = match (r.after_seconds, &r.at) {
                (_, Some(at)) => format!("The site asked visitors to come back after {at}; reload then."),
                (Some(0), None) if r.from_header => {
                    "The site said a new try may come right away (Retry-After: 0); reload once.".to_string()
                }
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
            fix(FixId::Retry, "Reload the page", detail)
        }
        FixId::AutoRetry => fix(
            FixId::AutoRetry,
            "Retry automatically",
            "Let the page be reloaded for you with growing pauses between tries (and no sooner than the site asked), instead of hammering reload.",
        ),
        FixId::Wait => {
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
                (Some(secs), _) if r.from_header && secs >= RETRY_AFTER_CAP => {
                    "The site set no real time to come back (its Retry-After is a week or more away); check back later, and tell its owner if it lasts.".to_string()
                }
                (Some(secs), _) if r.from_header && secs > 0 => format!(
                    "The site asked visitors to wait {} before trying again. {detail}",
                    duration(secs)
                ),
                _ => detail.to_string(),
            };
            fix(FixId::Wait, "Wait and come back later", detail)
        }
        FixId::PrivateWindow => fix(
            FixId::PrivateWindow,
            "Open the page in a private window",
            "A private (incognito) window starts without this site's cookies, cache and most extensions; if the page works there, one of those is the cause.",
        ),
        FixId::ClearSiteCache => fix(
            FixId::ClearSiteCache,
            "Clear this site's cached files",
            "Remove the stored copy of this site's files so the browser fetches everything fresh; if that alone does not help, clear its cookies too.",
        ),
        FixId::ClearCookies => fix(
            FixId::ClearCookies,
            "Clear this site's cookies",
            "Delete the cookies for this site only (you will be signed out there), then reload; oversized or corrupted cookies are the usual cause of this error.",
        ),
        FixId::OtherBrowser => fix(
            FixId::OtherBrowser,
            "Try another browser or device",
            "If the page opens elsewhere, the problem is in this browser's settings, extensions or stored data.",
        ),
        FixId::FlushDns => fix(
            FixId::FlushDns,
            "Flush your DNS cache",
            "Windows: `ipconfig /flushdns`; macOS: `sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder`; Linux with systemd: `resolvectl flush-caches`. Then reload.",
        ),
        FixId::SwitchNetwork => {
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
            fix(FixId::SwitchNetwork, "Try another network", detail)
        }
        FixId::RestartRouter => fix(
            FixId::RestartRouter,
            "Restart your router",
            "Unplug the modem or router for about 10 seconds, plug it back in and wait until it is connected again.",
        ),
        FixId::CheckDownForEveryone => fix(
            FixId::CheckDownForEveryone,
            "Check whether it is down for everyone",
            "Ask someone elsewhere or use an \"is it down\" checker; if it is down for everyone, only the site's owner can fix it.",
        ),
        FixId::AskNetworkAdmin => fix(
            FixId::AskNetworkAdmin,
            "Ask your IT help desk",
            "The block comes from the filter your organisation (employer, school, library) runs on its own network, not from the site: ask its IT help desk to review the decision, quoting the page's address, the time and any category or reference the block page shows. Another network may not filter the page, but your organisation's rules may forbid getting round its filter.",
        ),
        FixId::TellOwner => {
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
            fix(FixId::TellOwner, "Tell the site owner", detail)
        }
        FixId::DisableExtensions => {
            let detail = match s {
                Net(NetKind::Blocked) => {
                    "An ad blocker or privacy extension blocked this address; pause it for this site (or allow-list the site) and reload."
                }
                _ => {
                    "Ad blockers, privacy tools and security software can block or alter requests; pause them for this site, or try a private window where extensions do not run."
                }
            };
            fix(
                FixId::DisableExtensions,
                "Turn off extensions for this site",
                detail,
            )
        }
        FixId::CheckDateTime => fix(
            FixId::CheckDateTime,
            "Check your device's date and time",
            "Certificates are valid only between two dates; if your clock is wrong, valid certificates look expired. Turn on automatic date, time and time zone.",
        ),
        FixId::CheckUrl => {
            let detail = match s {
                HttpsPort => "Use the https:// version of the address.".to_string(),
                Net(NetKind::CertName) => "Check the address for typos, and try it with or without `www.`; the certificate may only cover one of them.".to_string(),
                Net(NetKind::Dns) => "Look for typos in the site's name and its ending (.com, .org...); a name that does not exist gives exactly this error.".to_string(),
                Net(NetKind::Refused) => "Check the address, especially http:// versus https:// and any port number after the name.".to_string(),
                Gone => "The page is gone for good; look for its replacement from the site's home page or search.".to_string(),
                _ => "Look for typos, a missing part of the path or an outdated bookmark; go to the site's home page and use its navigation or search.".to_string(),
            };
            fix(FixId::CheckUrl, "Check the address", detail)
        }
        FixId::SmallerUpload => fix(
            FixId::SmallerUpload,
            "Send a smaller file",
            "Compress the file, resize images or split it into parts, then try again; the site's limit is on its side and only its owner can raise it.",
        ),
        FixId::CheckConnection => fix(
            FixId::CheckConnection,
            "Check your connection",
            "Make sure Wi-Fi or mobile data is on and connected (airplane mode off, cable plugged in), then reload.",
        ),
        FixId::CheckProxySettings => fix(
            FixId::CheckProxySettings,
            "Check your proxy settings",
            "Your browser or system is set to use a proxy that is not working; switch it off or correct it (Windows: Settings > Network > Proxy; macOS: System Settings > Network > Details > Proxies), or ask your IT team.",
        ),
        FixId::SignIn => {
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
            fix(FixId::SignIn, "Sign in", detail)
        }
        // For site owners.
        FixId::CheckUpstreamRunning => {
            let detail = if php {
                format!(
                    "Run `systemctl status {fpm}` (use your PHP version; `ls /run/php/` lists the sockets) and restart it with `sudo systemctl restart {fpm}`; then check that {} points at the same socket or port as `listen` in the pool file.",
                    directive(ctx, true)
                )
            } else {
                if fronts_origin(ctx) {
                    format!(
                        "Check that the web server on the origin is running and reachable from the internet on the ports {n} uses (80/443): `systemctl status nginx` (or your server), `ss -ltnp` on the origin."
                    )
                } else {
                    format!(
                        "Check that the application {n} forwards to is running (`systemctl status <your-app>` or `docker ps`) and listens on the address and port in {}: `ss -ltnp` on that host shows it.",
                        directive(ctx, false)
                    )
                }
            };
            let title = if php {
                "Check PHP-FPM is running"
            } else {
                "Check the server behind is running"
            };
            fix(FixId::CheckUpstreamRunning, title, detail)
        }
        FixId::ReadErrorLog => fix(FixId::ReadErrorLog, "Read the error log", log_hint(ctx, s)),
        FixId::TestBackendDirectly => {
            let detail = if ctx.is_site() {
                "Reproduce the failing request against the application itself (for example `curl -i http://127.0.0.1:PORT/path` on the server, or locally with the same data) to see the full error and stack trace.".to_string()
            } else if fronts_origin(ctx) {
                "From a machine outside, ask the origin directly, skipping the CDN: `curl -svo /dev/null --resolve example.com:443:ORIGIN_IP https://example.com/` (your host name and origin IP). If that fails too, the origin is the problem.".to_string()
            } else if php {
                "Check that a plain static file is served and that PHP answers: put a small `info.php` test script (remove it afterwards) and request it with `curl -i http://localhost/info.php` on the server.".to_string()
            } else {
                format!(
                    "On the {n} host, request the backend yourself, e.g. `curl -sv http://127.0.0.1:8080/` (the address in {}): a refusal, hang or garbage reply there confirms the problem is behind {n}.",
                    directive(ctx, false)
                )
            };
            fix(
                FixId::TestBackendDirectly,
                "Test the backend directly",
                detail,
            )
        }
        FixId::RaiseProxyTimeouts => fix(
            FixId::RaiseProxyTimeouts,
            "Raise the timeout for work that is slow by nature",
            timeout_hint(ctx),
        ),
        FixId::RaiseProxyBuffers => {
            let detail = format!(
                "Raise {n}'s limit for response header size, or better, make the application send smaller headers."
            );
            fix(
                FixId::RaiseProxyBuffers,
                "Make room for large response headers",
                detail,
            )
        }
        FixId::TunePhpFpm => fix(
            FixId::TunePhpFpm,
            "Tune PHP-FPM workers and limits",
            format!(
                "In the pool file (e.g. `/etc/php/8.2/fpm/pool.d/www.conf`) size `pm.max_children` to your memory, set `request_terminate_timeout` in line with nginx/Apache timeouts, and look for \"server reached pm.max_children\" in `/var/log/{fpm}.log`; then `sudo systemctl reload {fpm}`."
            ),
        ),
        FixId::AllowProxyIps => {
            let detail = format!(
                "Make sure the origin's firewall and rate limiting allow {n}'s addresses; providers publish their ranges."
            );
            fix(
                FixId::AllowProxyIps,
                format!("Let {n} through the origin firewall").as_str(),
                detail,
            )
        }
        FixId::CheckFirewall => fix(
            FixId::CheckFirewall,
            "Check the server's firewall",
            "Make sure ports 80 and 443 are open to the internet in the server's firewall (`sudo ufw status`, `sudo iptables -L -n`) and the hosting provider's security group.",
        ),
        FixId::CheckDns => fix(
            FixId::CheckDns,
            "Check the DNS records",
            "Check what the name resolves to (`dig +short example.com A`, `nslookup example.com`) against the server's real address; after a change, wait for the old record's TTL to expire (up to a day).",
        ),
        FixId::CheckDomainRenewal => fix(
            FixId::CheckDomainRenewal,
            "Check the domain is registered and delegated",
            "`whois example.com` shows whether the domain has expired, and `dig NS example.com` whether its name servers answer; an expired domain or broken delegation makes the name vanish for everyone.",
        ),
        FixId::CheckOriginTls => {
            let detail = format!(
                "The server behind {n} must present a valid, unexpired certificate for the name {n} connects with, and support a TLS version {n} accepts; check with `openssl s_client -connect HOST:443 -servername NAME`."
            );
            fix(FixId::CheckOriginTls, "Fix the origin's TLS setup", detail)
        }
        FixId::FixCertificate => fix(
            FixId::FixCertificate,
            "Fix the site's certificate",
            "Serve a valid certificate covering every name the site is reached by (with and without www), including the intermediate chain; with Let's Encrypt, `sudo certbot renew` and check the renewal timer.",
        ),
        FixId::TestTls => fix(
            FixId::TestTls,
            "Test the TLS setup",
            "`openssl s_client -connect example.com:443 -servername example.com` shows the certificate chain, dates and names the server presents; an online TLS checker gives a full report.",
        ),
        FixId::FixRedirectLoop => fix(
            FixId::FixRedirectLoop,
            "Find and break the redirect loop",
            "Follow the chain with `curl -sIL https://example.com/ | grep -i '^location'` and remove the rule that sends the address back to itself (server config, .htaccess or the app's site URL).",
        ),
        FixId::BypassCdn => fix(
            FixId::BypassCdn,
            "Test without the CDN",
            "Point the host name at the origin IP in your own hosts file (or use `curl --resolve`) to see whether the origin works without the CDN in front.",
        ),
        FixId::DisablePlugins => fix(
            FixId::DisablePlugins,
            "Rule out plugins and themes",
            "On WordPress or similar, rename `wp-content/plugins` to disable all plugins and switch to a default theme; if the error stops, re-enable them one by one (on a staging copy if you can). Enable `WP_DEBUG_LOG` with `WP_DEBUG_DISPLAY` off to log the error.",
        ),
        FixId::ScaleUp => fix(
            FixId::ScaleUp,
            "Add capacity",
            "Add capacity (more workers, CPU or memory, another server behind a load balancer, auto-scaling) and set up monitoring and alerts so you hear about overload before visitors do.",
        ),
        FixId::AddCaching => fix(
            FixId::AddCaching,
            "Serve more from cache",
            "Cache pages and static files at the CDN or in a page cache so traffic spikes do not reach the application; it also cuts bandwidth.",
        ),
        FixId::CheckDeploy => fix(
            FixId::CheckDeploy,
            "Check the latest deploy",
            "If the error began with a deploy or config change, roll it back, then compare what changed (code, environment variables, dependencies, file permissions).",
        ),
        FixId::ContactHost => {
            let detail = if matches!(
                ctx.category,
                Category::Cdn | Category::Platform | Category::LoadBalancer
            ) {
                format!(
                    "If none of this helps, contact {n}'s support with the {} and the time of the error.",
                    id_label(ctx)
                )
            } else {
                "On shared or managed hosting, ask the host: they can see server-wide limits (PHP workers, CPU, memory, bandwidth), firewall blocks and outages you cannot.".to_string()
            };
            fix(FixId::ContactHost, "Contact the host or provider", detail)
        }
        FixId::CheckConfig => {
            let detail = format!(
                "Check {n}'s configuration for this host: the address, port and protocol (http vs https, HTTP vs FastCGI) it uses to reach the server behind it."
            );
            fix(FixId::CheckConfig, "Check the configuration", detail)
        }
        FixId::CheckMemory => fix(
            FixId::CheckMemory,
            "Look for crashes and out-of-memory kills",
            "`journalctl -k | grep -i -e oom -e killed` or `dmesg -T | grep -i kill` shows processes killed for memory; the app's own log shows crashes (segfaults, fatal errors) at the time of the error.",
        ),
        FixId::CheckKeepalive => fix(
            FixId::CheckKeepalive,
            "Match keep-alive timeouts",
            format!(
                "The application server should keep idle connections open longer than {n} does, or {n} may reuse a connection the app just closed; raise the app's keep-alive timeout above the proxy's idle timeout."
            ),
        ),
        FixId::FindSlowRequests => fix(
            FixId::FindSlowRequests,
            "Find what makes the request slow",
            "Look at the slow request itself: slow database queries (enable the slow query log), calls to external APIs, or heavy work that belongs in a background job.",
        ),
        FixId::CheckDatabase => fix(
            FixId::CheckDatabase,
            "Check the database",
            "Check that the database is up and not overloaded or out of connections (e.g. `SHOW PROCESSLIST;` on MySQL, `pg_stat_activity` on PostgreSQL), and that its disk is not full.",
        ),
        FixId::CheckHealthChecks => fix(
            FixId::CheckHealthChecks,
            "Check the health checks",
            format!(
                "{n} only sends requests to servers that pass its health checks: make sure the check path and port exist and answer 200 quickly, and that the servers are registered."
            ),
        ),
        FixId::CheckProviderStatus => fix(
            FixId::CheckProviderStatus,
            "Check the provider's status page",
            format!(
                "Look at {n}'s status page for an incident in your region; if there is one, there is nothing to fix on your side."
            ),
        ),
        FixId::BindPort => fix(
            FixId::BindPort,
            "Listen on the port the platform gives",
            "The app must listen on `0.0.0.0` and the port in the `PORT` environment variable within the boot time limit; check the start command and slow start-up work.",
        ),
        FixId::CheckMaintenance => fix(
            FixId::CheckMaintenance,
            "Check for a forgotten maintenance mode",
            "If maintenance is over, turn maintenance mode off (on WordPress, delete the `.maintenance` file in the site root; otherwise your app's or host's maintenance switch).",
        ),
        FixId::SendRetryAfter => fix(
            FixId::SendRetryAfter,
            "Send a Retry-After header",
            "Answer maintenance with 503 and a `Retry-After` header (seconds) so visitors, tools and search engines know when to come back.",
        ),
        FixId::CheckDomainConfig => fix(
            FixId::CheckDomainConfig,
            "Check the host name is set up",
            "Check that this host name and path are configured on the service and routed to the right backend.",
        ),
        FixId::AddException => fix(
            FixId::AddException,
            "Add a narrow exception for legitimate traffic",
            "If real visitors or tools you rely on (monitoring, API clients, payment webhooks) are caught, exempt them by path, address or token rather than switching the protection off.",
        ),
        FixId::AnnounceMaintenance => fix(
            FixId::AnnounceMaintenance,
            "Say when it will be back",
            "Put the expected end time on the maintenance page and on a status page or social account, so visitors know whether to wait.",
        ),
        FixId::CheckTraffic => fix(
            FixId::CheckTraffic,
            "Find what uses the bandwidth",
            "Look at the hosting statistics or access logs for large files, hotlinked images and aggressive crawlers; block the abusive ones and move big downloads to a CDN or storage.",
        ),
        FixId::CheckTunnel => fix(
            FixId::CheckTunnel,
            "Check the tunnel",
            format!(
                "If the host name points at a tunnel or private connector, make sure its agent is running and connected to {n}, and that the tunnel still serves this host name."
            ),
        ),
        FixId::FixLinks => fix(
            FixId::FixLinks,
            "Find where the broken link comes from",
            "Check the Referer of these requests in the access log; fix internal links, and ask other sites to update theirs.",
        ),
        FixId::AddRedirect => fix(
            FixId::AddRedirect,
            "Redirect moved pages",
            "If the page moved, redirect the old address to the new one with a 301, so old links and search engines follow.",
        ),
        FixId::RaiseHeaderLimits => fix(
            FixId::RaiseHeaderLimits,
            "Raise request header limits",
            "If large headers are legitimate, raise the server's limit for request header size.",
        ),
        FixId::ShrinkCookies => fix(
            FixId::ShrinkCookies,
            "Send fewer and smaller cookies",
            "Find which cookies grow (analytics, session data, A/B tests) and stop storing data in them or scope them to a path; raising limits only postpones the problem.",
        ),
        FixId::RaiseBodyLimit => fix(
            FixId::RaiseBodyLimit,
            "Raise the upload size limit",
            "Raise the server's request body size limit, or send large files directly to storage.",
        ),
        FixId::CheckPermissions => fix(
            FixId::CheckPermissions,
            "Check file permissions and access rules",
            "The web server user must be able to read the files (`namei -l /path/to/file`); check `deny`/`Require` rules and whether a directory without an index file is being requested.",
        ),
        FixId::CheckWafRules => {
            let detail = format!(
                "Find the rule that blocked the request in {n}'s security or firewall log (ModSecurity, fail2ban, WAF), and add an exception if it was a false positive."
            );
            fix(
                FixId::CheckWafRules,
                "Find the rule that blocked it",
                detail,
            )
        }
        FixId::CheckRateLimits => fix(
            FixId::CheckRateLimits,
            "Review the rate limits",
            format!(
                "Check {n}'s rate-limit rules: limits keyed on IP address hit many people behind one shared address (offices, mobile networks, VPNs); send `Retry-After` with the 429."
            ),
        ),
        FixId::CheckAuthConfig => fix(
            FixId::CheckAuthConfig,
            "Check the sign-in setup",
            "If visitors should see this page without signing in, check the access rules; otherwise make sure sessions and tokens are not expiring too early.",
        ),
        FixId::CheckIdentityProvider => fix(
            FixId::CheckIdentityProvider,
            "Check the identity provider settings",
            "Check the load balancer's authenticate action: client ID, secret, callback URL and that the identity provider's endpoints are reachable from the load balancer.",
        ),
        FixId::FixProxyLoop => fix(
            FixId::FixProxyLoop,
            "Break the proxy loop",
            "Requests are passing through the load balancer repeatedly; check that targets do not forward back to the load balancer's own address.",
        ),
    }
}

/// What the visitor can do, most useful first.
pub fn visitor_fixes(ctx: &Context<'_>) -> Vec<Fix> {
    let s = situation(ctx);
    let ids = visitor_ids(ctx, s);
    ids.into_iter().map(|id| make_fix(ctx, s, id)).collect()
}

fn visitor_ids(ctx: &Context<'_>, s: Situation) -> Vec<FixId> {
    use Situation::*;
    let transient_server = |first: FixId| -> Vec<FixId> {
        vec![
            first,
            FixId::AutoRetry,
            FixId::CheckDownForEveryone,
            FixId::TellOwner,
        ]
    };
    match s {
        NotError => vec![],
        Net(k) => match k {
            NetKind::Dns => vec![
                FixId::CheckUrl,
                FixId::FlushDns,
                FixId::SwitchNetwork,
                FixId::RestartRouter,
                FixId::CheckDownForEveryone,
            ],
            NetKind::DnsConfig => vec![
                FixId::RestartRouter,
                FixId::FlushDns,
                FixId::SwitchNetwork,
                FixId::Retry,
            ],
            NetKind::Offline => vec![
                FixId::CheckConnection,
                FixId::RestartRouter,
                FixId::SwitchNetwork,
                FixId::AutoRetry,
            ],
            NetKind::Refused => vec![
                FixId::CheckUrl,
                FixId::Retry,
                FixId::CheckDownForEveryone,
                FixId::SwitchNetwork,
                FixId::TellOwner,
            ],
            NetKind::Dropped => vec![
                FixId::Retry,
                FixId::SwitchNetwork,
                FixId::DisableExtensions,
                FixId::CheckDownForEveryone,
                FixId::TellOwner,
            ],
            NetKind::Timeout => vec![
                FixId::Retry,
                FixId::AutoRetry,
                FixId::SwitchNetwork,
                FixId::RestartRouter,
                FixId::CheckDownForEveryone,
                FixId::TellOwner,
            ],
            NetKind::Unreachable => vec![
                FixId::SwitchNetwork,
                FixId::RestartRouter,
                FixId::Retry,
                FixId::CheckDownForEveryone,
            ],
            NetKind::NetworkChanged => vec![FixId::Retry, FixId::CheckConnection],
            NetKind::Proxy => vec![
                FixId::CheckProxySettings,
                FixId::SwitchNetwork,
                FixId::Retry,
            ],
            NetKind::Tls => vec![
                FixId::CheckDateTime,
                FixId::SwitchNetwork,
                FixId::OtherBrowser,
                FixId::TellOwner,
            ],
            NetKind::CertAuthority => {
                vec![FixId::SwitchNetwork, FixId::CheckDateTime, FixId::TellOwner]
            }
            NetKind::CertDate => vec![FixId::CheckDateTime, FixId::TellOwner],
            NetKind::CertName => vec![FixId::CheckUrl, FixId::TellOwner],
            NetKind::CertRevoked | NetKind::CertOther => {
                vec![FixId::CheckDateTime, FixId::TellOwner]
            }
            NetKind::Redirects => vec![FixId::ClearCookies, FixId::PrivateWindow, FixId::TellOwner],
            NetKind::BadResponse => vec![
                FixId::Retry,
                FixId::ClearSiteCache,
                FixId::DisableExtensions,
                FixId::TellOwner,
            ],
            NetKind::Blocked => vec![
                FixId::DisableExtensions,
                FixId::PrivateWindow,
                FixId::OtherBrowser,
            ],
            NetKind::Protocol => vec![
                FixId::Retry,
                FixId::DisableExtensions,
                FixId::SwitchNetwork,
                FixId::OtherBrowser,
                FixId::TellOwner,
            ],
            NetKind::CacheMiss => vec![FixId::Retry],
            NetKind::FileNotFound | NetKind::BadUrl => vec![FixId::CheckUrl],
            NetKind::Aborted => vec![FixId::Retry, FixId::DisableExtensions],
            NetKind::HttpStatus | NetKind::Other => vec![
                FixId::Retry,
                FixId::PrivateWindow,
                FixId::OtherBrowser,
                FixId::SwitchNetwork,
                FixId::CheckDownForEveryone,
            ],
        },
        NotFound => vec![FixId::CheckUrl, FixId::ClearSiteCache, FixId::TellOwner],
        Gone => vec![FixId::CheckUrl, FixId::TellOwner],
        BadRequest => match ctx.status {
            Some(463) | Some(464) => vec![FixId::Retry, FixId::TellOwner],
            _ => vec![
                FixId::ClearCookies,
                FixId::PrivateWindow,
                FixId::CheckUrl,
                FixId::TellOwner,
            ],
        },
        CookiesTooLarge => vec![
            FixId::ClearCookies,
            FixId::PrivateWindow,
            FixId::DisableExtensions,
            FixId::TellOwner,
        ],
        PayloadTooLarge => vec![FixId::SmallerUpload, FixId::TellOwner],
        UriTooLong => vec![FixId::CheckUrl, FixId::ClearCookies, FixId::TellOwner],
        Unauthorized => vec![
            FixId::SignIn,
            FixId::ClearCookies,
            FixId::PrivateWindow,
            FixId::TellOwner,
        ],
        ProxyAuth => vec![
            FixId::SignIn,
            FixId::CheckProxySettings,
            FixId::SwitchNetwork,
        ],
        Forbidden => vec![
            FixId::CheckUrl,
            FixId::SignIn,
            FixId::SwitchNetwork,
            FixId::PrivateWindow,
            FixId::TellOwner,
        ],
        Blocked if security(ctx) == Some(Security::Gateway) => vec![FixId::AskNetworkAdmin],
        Blocked => vec![
            FixId::SwitchNetwork,
            FixId::DisableExtensions,
            FixId::PrivateWindow,
            FixId::OtherBrowser,
            FixId::TellOwner,
        ],
        RateLimited => vec![
            FixId::Wait,
            FixId::SwitchNetwork,
            FixId::DisableExtensions,
            FixId::TellOwner,
        ],
        ClientTimeout | SendAgain => vec![FixId::Retry, FixId::SwitchNetwork],
        ClientClosed => vec![FixId::Retry, FixId::TellOwner],
        ClientCert => vec![FixId::SignIn, FixId::OtherBrowser, FixId::TellOwner],
        HttpsPort => vec![FixId::CheckUrl],
        Legal => vec![FixId::TellOwner],
        ClientOther => vec![FixId::CheckUrl, FixId::PrivateWindow, FixId::TellOwner],
        NetworkAuth => vec![FixId::SignIn, FixId::SwitchNetwork],
        Maintenance => vec![FixId::Wait, FixId::AutoRetry, FixId::CheckDownForEveryone],
        BandwidthLimit => vec![FixId::Wait, FixId::TellOwner],
        AppCrashed => vec![
            FixId::Wait,
            FixId::AutoRetry,
            FixId::CheckDownForEveryone,
            FixId::TellOwner,
        ],
        Overloaded | Unavailable => vec![
            FixId::Wait,
            FixId::AutoRetry,
            FixId::CheckDownForEveryone,
            FixId::TellOwner,
        ],
        UpstreamTls | UpstreamDns | OriginUnreachable | UpstreamHeaderTooBig => {
            let mut v = vec![FixId::CheckDownForEveryone, FixId::TellOwner, FixId::Wait];
            if s == UpstreamHeaderTooBig {
                v.insert(0, FixId::ClearCookies);
            }
            v
        }
        ServerError => vec![
            FixId::Retry,
            FixId::PrivateWindow,
            FixId::CheckDownForEveryone,
            FixId::TellOwner,
        ],
        BadGateway => {
            // Nothing points at a particular hop: include the cheap visitor-side checks too.
            vec![
                FixId::Retry,
                FixId::AutoRetry,
                FixId::PrivateWindow,
                FixId::CheckDownForEveryone,
                FixId::TellOwner,
            ]
        }
        EdgeInternal => vec![
            FixId::Retry,
            FixId::AutoRetry,
            FixId::SwitchNetwork,
            FixId::CheckDownForEveryone,
        ],
        UpstreamRefused | UpstreamClosed | UpstreamReset | UpstreamTimeout | ConnectTimeout
        | UpstreamInvalid | NoUpstream | AppBootTimeout | GatewayTimeout => {
            let mut v = transient_server(FixId::Retry);
            if matches!(s, ConnectTimeout) {
                // A timeout reaching the origin can be regional routing.
                v.insert(3, FixId::SwitchNetwork);
            }
            v
        }
        NotImplemented => vec![FixId::OtherBrowser, FixId::TellOwner],
        ServerOther => vec![FixId::Retry, FixId::CheckDownForEveryone, FixId::TellOwner],
        Unknown => vec![
            FixId::Retry,
            FixId::PrivateWindow,
            FixId::OtherBrowser,
            FixId::CheckDownForEveryone,
            FixId::TellOwner,
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
        .map(|id| make_fix(ctx, s, id))
        .collect();
    v.truncate(7);
    v
}

/// The owner fixes for the situation: the general list, changed as the product's file says.
fn owner_ids(ctx: &Context<'_>, s: Situation) -> Vec<FixId> {
    let mut ids = general_owner_ids(ctx, s);
    for o in product(ctx).map_or(&[][..], |a| a.owner) {
        if !o.situations.contains(&s) {
            continue;
        }
        if let Some(list) = o.replace {
            ids = list.to_vec();
        }
        let mut at = o
            .after
            .and_then(|a| ids.iter().position(|&i| i == a))
            .map_or(ids.len(), |p| p + 1);
        for &id in o.add {
            if !ids.contains(&id) {
                ids.insert(at, id);
                at += 1;
            }
        }
    }
    ids
}

fn general_owner_ids(ctx: &Context<'_>, s: Situation) -> Vec<FixId> {
    use Situation::*;
    let php = ctx.php();
    match s {
        NotError => vec![],
        Net(k) => match k {
            NetKind::Dns => vec![FixId::CheckDns, FixId::CheckDomainRenewal],
            NetKind::Refused => vec![
                FixId::CheckUpstreamRunning,
                FixId::CheckFirewall,
                FixId::ReadErrorLog,
            ],
            NetKind::Timeout | NetKind::Unreachable => vec![
                FixId::CheckUpstreamRunning,
                FixId::CheckFirewall,
                FixId::CheckDns,
                FixId::ScaleUp,
            ],
            NetKind::Dropped | NetKind::BadResponse => vec![
                FixId::ReadErrorLog,
                FixId::CheckUpstreamRunning,
                FixId::TestBackendDirectly,
            ],
            NetKind::Tls
            | NetKind::CertAuthority
            | NetKind::CertDate
            | NetKind::CertName
            | NetKind::CertRevoked
            | NetKind::CertOther => {
                vec![FixId::FixCertificate, FixId::TestTls]
            }
            NetKind::Redirects => vec![FixId::FixRedirectLoop, FixId::ReadErrorLog],
            NetKind::Protocol => vec![FixId::ReadErrorLog, FixId::CheckConfig],
            NetKind::HttpStatus | NetKind::Other => {
                vec![FixId::ReadErrorLog, FixId::CheckUpstreamRunning]
            }
            // The visitor's own side: nothing for the owner.
            _ => vec![],
        },
        NotFound if serves_many_sites(ctx) => {
            vec![
                FixId::CheckDomainConfig,
                FixId::CheckDeploy,
                FixId::FixLinks,
                FixId::AddRedirect,
            ]
        }
        NotFound | Gone => {
            let mut v = vec![FixId::FixLinks, FixId::AddRedirect];
            if ctx.is_site() {
                v.push(FixId::CheckDeploy);
            } else {
                v.push(FixId::CheckConfig);
            }
            v
        }
        BadRequest => match ctx.status {
            Some(463) => vec![FixId::FixProxyLoop, FixId::ReadErrorLog],
            Some(464) => vec![FixId::CheckConfig, FixId::ReadErrorLog],
            _ => vec![
                FixId::ReadErrorLog,
                FixId::RaiseHeaderLimits,
                FixId::CheckConfig,
            ],
        },
        CookiesTooLarge => vec![
            FixId::ShrinkCookies,
            FixId::RaiseHeaderLimits,
            FixId::ReadErrorLog,
        ],
        PayloadTooLarge => vec![FixId::RaiseBodyLimit, FixId::ReadErrorLog],
        UriTooLong => vec![FixId::FixRedirectLoop, FixId::RaiseHeaderLimits],
        Unauthorized => match ctx.status {
            Some(561) => vec![FixId::CheckIdentityProvider, FixId::ReadErrorLog],
            _ => vec![FixId::CheckAuthConfig, FixId::ReadErrorLog],
        },
        ProxyAuth | NetworkAuth => vec![],
        Forbidden => vec![
            FixId::CheckPermissions,
            FixId::CheckWafRules,
            FixId::ReadErrorLog,
        ],
        // The site's owner cannot change a filter on the visitor's network; its administrators can.
        Blocked if security(ctx) == Some(Security::Gateway) => {
            vec![FixId::CheckWafRules, FixId::AddException]
        }
        Blocked => vec![
            FixId::CheckWafRules,
            FixId::AddException,
            FixId::ReadErrorLog,
        ],
        RateLimited => vec![
            FixId::CheckRateLimits,
            FixId::AddException,
            FixId::ReadErrorLog,
        ],
        ClientTimeout | SendAgain | ClientCert | HttpsPort | Legal | ClientOther => {
            vec![FixId::ReadErrorLog, FixId::CheckConfig]
        }
        ClientClosed => vec![
            FixId::ReadErrorLog,
            FixId::RaiseProxyTimeouts,
            FixId::ScaleUp,
        ],
        UpstreamRefused => {
            if fronts_origin(ctx) {
                vec![
                    FixId::CheckUpstreamRunning,
                    FixId::AllowProxyIps,
                    FixId::TestBackendDirectly,
                    FixId::ReadErrorLog,
                    FixId::ContactHost,
                ]
            } else if php {
                vec![
                    FixId::CheckUpstreamRunning,
                    FixId::ReadErrorLog,
                    FixId::CheckConfig,
                    FixId::TunePhpFpm,
                ]
            } else {
                vec![
                    FixId::CheckUpstreamRunning,
                    FixId::CheckConfig,
                    FixId::TestBackendDirectly,
                    FixId::ReadErrorLog,
                    FixId::CheckDeploy,
                ]
            }
        }
        ConnectTimeout => vec![
            FixId::CheckUpstreamRunning,
            FixId::AllowProxyIps,
            FixId::CheckDns,
            FixId::TestBackendDirectly,
            FixId::ScaleUp,
            FixId::ContactHost,
        ],
        OriginUnreachable => vec![
            FixId::CheckDns,
            FixId::CheckUpstreamRunning,
            FixId::AllowProxyIps,
            FixId::ContactHost,
        ],
        UpstreamClosed | UpstreamReset => {
            let mut v = vec![
                FixId::ReadErrorLog,
                FixId::CheckMemory,
                FixId::CheckUpstreamRunning,
            ];
            if php {
                v.push(FixId::TunePhpFpm);
                v.push(FixId::DisablePlugins);
            } else {
                v.push(FixId::CheckKeepalive);
            }
            v.push(FixId::CheckDeploy);
            v
        }
        UpstreamTimeout | GatewayTimeout => {
            let mut v = vec![
                FixId::ReadErrorLog,
                FixId::FindSlowRequests,
                FixId::RaiseProxyTimeouts,
            ];
            if php {
                v.push(FixId::TunePhpFpm);
            }
            v.push(FixId::CheckDatabase);
            v.push(FixId::ScaleUp);
            v
        }
        UpstreamInvalid => {
            let mut v = vec![
                FixId::ReadErrorLog,
                FixId::TestBackendDirectly,
                FixId::CheckConfig,
                FixId::CheckUpstreamRunning,
            ];
            if php {
                v.push(FixId::DisablePlugins);
            }
            v
        }
        UpstreamHeaderTooBig => vec![
            FixId::RaiseProxyBuffers,
            FixId::ShrinkCookies,
            FixId::ReadErrorLog,
        ],
        UpstreamDns => vec![FixId::CheckDns, FixId::CheckConfig, FixId::ContactHost],
        UpstreamTls => vec![FixId::CheckOriginTls, FixId::TestTls, FixId::ReadErrorLog],
        NoUpstream => vec![
            FixId::CheckUpstreamRunning,
            FixId::CheckHealthChecks,
            FixId::ReadErrorLog,
            FixId::ScaleUp,
        ],
        EdgeInternal => vec![
            FixId::CheckProviderStatus,
            FixId::ContactHost,
            FixId::BypassCdn,
        ],
        AppCrashed => vec![
            FixId::ReadErrorLog,
            FixId::CheckDeploy,
            FixId::CheckUpstreamRunning,
        ],
        AppBootTimeout => vec![FixId::ReadErrorLog, FixId::BindPort, FixId::CheckDeploy],
        Overloaded => {
            let mut v = vec![FixId::ReadErrorLog];
            if php {
                v.push(FixId::TunePhpFpm);
            }
            v.extend([FixId::AddCaching, FixId::ScaleUp]);
            if ctx.is_site() {
                v.push(FixId::DisablePlugins);
                v.push(FixId::ContactHost);
            }
            v
        }
        Unavailable => {
            let mut v = vec![FixId::CheckUpstreamRunning, FixId::ReadErrorLog];
            if php {
                v.push(FixId::TunePhpFpm);
            }
            v.extend([FixId::CheckMaintenance, FixId::ScaleUp]);
            if ctx.is_site() {
                v.push(FixId::ContactHost);
            }
            v
        }
        Maintenance => vec![
            FixId::CheckMaintenance,
            FixId::SendRetryAfter,
            FixId::AnnounceMaintenance,
        ],
        BandwidthLimit => vec![FixId::ContactHost, FixId::CheckTraffic, FixId::AddCaching],
        ServerError => {
            let mut v = vec![FixId::ReadErrorLog, FixId::CheckDeploy];
            if php {
                v.push(FixId::DisablePlugins);
            }
            if ctx.category == Category::WebServer && ctx.hop == Hop::Gateway {
                v.push(FixId::CheckConfig);
                v.push(FixId::CheckPermissions);
            } else {
                v.push(FixId::CheckDatabase);
                v.push(FixId::TestBackendDirectly);
            }
            v
        }
        BadGateway => {
            let mut v = vec![
                FixId::ReadErrorLog,
                FixId::CheckUpstreamRunning,
                FixId::TestBackendDirectly,
            ];
            if fronts_origin(ctx) {
                v.push(FixId::AllowProxyIps);
            }
            if php {
                v.push(FixId::TunePhpFpm);
            }
            v.push(FixId::RaiseProxyTimeouts);
            v.push(FixId::ContactHost);
            v
        }
        NotImplemented => vec![FixId::ReadErrorLog, FixId::CheckConfig],
        ServerOther | Unknown => vec![
            FixId::ReadErrorLog,
            FixId::CheckUpstreamRunning,
            FixId::ContactHost,
        ],
    }
}

fn php_service() -> &'static str {
    "php8.2-fpm"
}

/// The general "read the log" advice (a product's file gives its own log and lines to look for).
fn log_hint(ctx: &Context<'_>, s: Situation) -> String {
    if matches!(s, Situation::Net(_)) && ctx.category == Category::Browser {
        "Read the web server's error and access logs: if the request never appears there, it was lost before reaching the server.".to_string()
    } else if ctx.is_site() {
        "Read the application's error log at the time of the failure (with WordPress, enable `WP_DEBUG_LOG` with `WP_DEBUG_DISPLAY` off).".to_string()
    } else {
        format!(
            "Read {}'s error log and the application's log at the time of the failure.",
            ctx.source_name
        )
    }
}

/// The sentence every timeout fix starts with; a product's file says how to raise its timeout.
const SLOW_FIRST: &str = "First find out why the backend is slow; a longer timeout only helps requests that are slow by nature (reports, imports). ";

/// The general "raise the timeout" advice.
fn timeout_hint(ctx: &Context<'_>) -> String {
    let how = if ctx.is_site() {
        "Then raise the timeout of whatever proxy sits in front of the application, for the slow route only.".to_string()
    } else {
        format!(
            "Then raise {}'s read or response timeout for the slow route only.",
            ctx.source_name
        )
    };
    format!("{SLOW_FIRST}{how}")
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
        run_as(c, false, f)
    }

    /// `run`, with the input read as log lines when `from_log`.
    fn run_as<T>(c: &Case, from_log: bool, f: impl Fn(&Context<'_>) -> T) -> T {
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
            from_log,
            article: false,
            sent_success: None,
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

    /// A log records a status that the product may only have passed on (HAProxy's `----`):
    /// the sentence says the log records it, not that the product wrote it.
    #[test]
    fn refused_credentials_are_not_told_as_a_sign_in() {
        let s = run(&case(403, "cloudflare", &[Fact::AuthFailed]), summary);
        assert!(
            s.ends_with("the credentials sent were not accepted."),
            "{s}"
        );
        let s = run(&case(401, "nginx", &[]), summary);
        assert!(s.ends_with("sign-in is required."), "{s}");
    }

    #[test]
    fn a_log_records_its_status_rather_than_writing_it() {
        let c = case(500, "haproxy", &[]);
        assert_eq!(
            run_as(&c, true, summary),
            "HAProxy's log records a 500: the site's application failed."
        );
        assert_eq!(
            run_as(&c, false, summary),
            "HAProxy wrote this 500: the site's application failed."
        );
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
                article: false,
                sent_success: None,
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
        assert!(r.explanation.contains("right away"), "{}", r.explanation);
        // As far off as the engine hands on (a date in 9999): no real schedule.
        let r = mk(Some(RETRY_AFTER_CAP), None);
        assert_eq!(r.advice, RetryAdvice::Later);
        assert!(
            r.explanation.contains("a week or more"),
            "{}",
            r.explanation
        );
        assert_eq!(duration(3 * 86_400), "about 3 days");
        let r = mk(None, Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert_eq!(r.advice, RetryAdvice::Later);
        assert_eq!(r.at.as_deref(), Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert!(r.from_header && r.explanation.contains("2026"));
    }

    /// A security filter's 403 is a block, told from the side it stands on: a firewall in front
    /// of the site, or a gateway on the visitor's own network whose block only its IT can lift.
    #[test]
    fn security_filters_say_who_blocked_and_where() {
        let on = |id: &'static str, hop: Hop, f: &dyn Fn(&Context<'_>)| {
            let c = case(403, id, &[]);
            let ctx = Context {
                status: c.status,
                source_id: c.id,
                source_name: c.name,
                category: c.category,
                role: c.role,
                hop,
                facts: c.facts,
                net_error: None,
                via: &[],
                has_ids: false,
                retry_after_seconds: None,
                retry_after_date: None,
                from_log: false,
                article: false,
                sent_success: None,
            };
            f(&ctx);
        };
        let ids = |v: Vec<Fix>| v.into_iter().map(|f| f.id).collect::<Vec<_>>();
        on("barracuda", Hop::Edge, &|ctx| {
            assert_eq!(situation(ctx), Situation::Blocked);
            let e = explain(ctx);
            assert!(
                e.contains("in front of the site") && e.contains("security filter"),
                "{e}"
            );
            assert!(ids(visitor_fixes(ctx)).contains(&"tell-owner".to_string()));
        });
        on("zscaler", Hop::Network, &|ctx| {
            assert_eq!(situation(ctx), Situation::Blocked);
            let e = explain(ctx);
            assert!(
                e.contains("on your own network") && e.contains("not at fault"),
                "{e}"
            );
            assert!(summary(ctx).contains("your network's security filter"));
            assert_eq!(ids(visitor_fixes(ctx)), ["ask-network-admin"]);
            assert!(!ids(owner_fixes(ctx)).contains(&"read-error-log".to_string()));
        });
        // Sold for both sides: the failing hop says which one blocked.
        on("fortinet", Hop::Edge, &|ctx| {
            assert!(
                explain(ctx).contains("in front of the site"),
                "{}",
                explain(ctx)
            );
        });
        on("fortinet", Hop::Network, &|ctx| {
            assert!(
                explain(ctx).contains("on your own network"),
                "{}",
                explain(ctx)
            );
        });
        // A web server's 403 is not a security filter's block.
        on("nginx", Hop::Gateway, &|ctx| {
            assert_eq!(situation(ctx), Situation::Forbidden);
        });
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
            article: false,
            sent_success: None,
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
    fn a_site_error_page_sent_as_200_says_so() {
        let ctx = Context {
            status: None,
            source_id: "php",
            source_name: "PHP",
            category: Category::Site,
            role: Hop::Origin,
            hop: Hop::Origin,
            facts: &[],
            net_error: None,
            via: &[],
            has_ids: false,
            retry_after_seconds: None,
            retry_after_date: None,
            from_log: false,
            article: false,
            sent_success: Some(200),
        };
        assert_eq!(
            summary(&ctx),
            "The site's own page reports an application error, even though the server sent 200 OK."
        );
        // Saved without its response: no status to speak of.
        let saved = Context {
            sent_success: None,
            ..ctx
        };
        assert_eq!(
            summary(&saved),
            "The site's own error page, with no status to say what failed."
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
