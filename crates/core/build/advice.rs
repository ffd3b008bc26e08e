//! The advice part of a product file (`[advice]`), checked and compiled into Rust statics.
//!
//! Declares, once, the names rule files may use: situations (`SITUATIONS`), fixes (`FIXES`)
//! and text placeholders (`SLOTS`). Each becomes a generated Rust enum, so a name misspelt in
//! a rule file stops the build here, and one misspelt in Rust does not compile.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What went wrong, as far as advice is concerned (the generated `Situation` enum, plus
/// `Net(NetKind)` for browser network errors). Rule files name them in kebab case.
pub const SITUATIONS: &[(&str, &str)] = &[
    ("not-error", "Not an error page."),
    ("not-found", "404: nothing at this address."),
    ("gone", "410: removed on purpose."),
    (
        "bad-request",
        "400 (and AWS 463/464): the request was not understood.",
    ),
    (
        "cookies-too-large",
        "400/431/494 because of oversized headers, nearly always cookies.",
    ),
    ("payload-too-large", "413: an upload or form too big."),
    ("uri-too-long", "414: the address is too long."),
    (
        "unauthorized",
        "401 (and AWS 561): sign-in needed or refused.",
    ),
    ("proxy-auth", "407: a proxy wants the visitor to sign in."),
    ("forbidden", "403: access refused."),
    (
        "blocked",
        "A security rule (WAF, bot check, IP or country filter) stopped the request.",
    ),
    ("rate-limited", "429 or a rate-limit page."),
    ("client-timeout", "408: the request arrived too slowly."),
    ("send-again", "421/425: send again on a fresh connection."),
    (
        "client-closed",
        "460/499: the client gave up first (log lines).",
    ),
    ("client-cert", "495/496: a client certificate is required."),
    ("https-port", "497: http:// sent to the HTTPS port."),
    ("legal", "451: withheld for legal reasons."),
    ("client-other", "Any other 4xx."),
    (
        "upstream-refused",
        "The server behind refused the connection.",
    ),
    (
        "upstream-closed",
        "The server behind closed the connection before a full answer.",
    ),
    (
        "upstream-reset",
        "The connection to the server behind was reset.",
    ),
    ("upstream-timeout", "The server behind answered too slowly."),
    (
        "connect-timeout",
        "The connection to the server behind could not even be opened in time (522, 599).",
    ),
    (
        "upstream-invalid",
        "The server behind sent an unusable answer.",
    ),
    (
        "upstream-header-too-big",
        "The server behind sent headers too big for the writer's buffers.",
    ),
    (
        "upstream-dns",
        "The name of the server behind does not resolve.",
    ),
    ("upstream-tls", "TLS to the server behind failed."),
    ("no-upstream", "No healthy server behind the writer."),
    ("origin-unreachable", "No route to the origin."),
    (
        "edge-internal",
        "The writer failed internally, before reaching the site.",
    ),
    ("app-crashed", "The platform's app has crashed."),
    (
        "app-boot-timeout",
        "The platform's app did not start in time.",
    ),
    ("overloaded", "More requests than workers."),
    ("maintenance", "Planned maintenance."),
    (
        "bandwidth-limit",
        "509: the hosting account's bandwidth is used up.",
    ),
    ("network-auth", "511: a captive portal wants a sign-in."),
    (
        "server-error",
        "500 from the application (or the web server itself).",
    ),
    ("bad-gateway", "502 without anything more specific."),
    ("unavailable", "503 without anything more specific."),
    ("gateway-timeout", "504 without anything more specific."),
    ("not-implemented", "501/505/506/510."),
    ("server-other", "Any other 5xx."),
    ("unknown", "No status, no network error, no facts."),
];

/// Every fix the core can offer (visitor and owner), in kebab case. The sentences of the
/// product-independent version are in `src/advice.rs`; a product file may replace a fix's
/// title and detail for that product (`[[advice.fix]]`).
pub const FIXES: &[&str] = &[
    // For visitors.
    "retry",
    "auto-retry",
    "wait",
    "private-window",
    "clear-site-cache",
    "clear-cookies",
    "other-browser",
    "flush-dns",
    "switch-network",
    "restart-router",
    "check-down-for-everyone",
    "tell-owner",
    "disable-extensions",
    "check-date-time",
    "check-url",
    "smaller-upload",
    "check-connection",
    "check-proxy-settings",
    "sign-in",
    "ask-network-admin",
    // For site owners.
    "check-upstream-running",
    "read-error-log",
    "test-backend-directly",
    "raise-proxy-timeouts",
    "raise-proxy-buffers",
    "tune-php-fpm",
    "allow-proxy-ips",
    "check-firewall",
    "check-dns",
    "check-domain-renewal",
    "check-origin-tls",
    "fix-certificate",
    "test-tls",
    "fix-redirect-loop",
    "bypass-cdn",
    "disable-plugins",
    "scale-up",
    "add-caching",
    "check-deploy",
    "contact-host",
    "check-config",
    "check-memory",
    "check-keepalive",
    "find-slow-requests",
    "check-database",
    "check-health-checks",
    "check-provider-status",
    "bind-port",
    "check-maintenance",
    "send-retry-after",
    "check-domain-config",
    "add-exception",
    "announce-maintenance",
    "check-traffic",
    "check-tunnel",
    "fix-links",
    "add-redirect",
    "raise-header-limits",
    "shrink-cookies",
    "raise-body-limit",
    "check-permissions",
    "check-waf-rules",
    "check-rate-limits",
    "check-auth-config",
    "check-identity-provider",
    "fix-proxy-loop",
];

/// Placeholders a product's sentences may use, as `{name}`.
pub const SLOTS: &[(&str, &str)] = &[
    (
        "name",
        "the product's name (\"the site\" when the site's own page is the source)",
    ),
    (
        "who",
        "the writer with its role, e.g. \"nginx, the gateway in front of the site,\"",
    ),
    (
        "backend",
        "the server behind the writer, e.g. \"the application server behind it\"",
    ),
    (
        "code",
        "\" (error 521)\" when the status is known, else nothing",
    ),
    (
        "id_label",
        "what the request identifier is called (\"Ray ID\", \"request ID\")",
    ),
    ("fpm", "the PHP-FPM service name"),
    (
        "directive",
        "how the product's configuration names the address it forwards to",
    ),
];

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct AdviceFile {
    /// Start from another product's advice (e.g. OpenResty from nginx).
    #[serde(default)]
    like: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    /// A security filter: `waf` (a web application firewall in front of the site) or
    /// `gateway` (a secure web gateway or firewall on the visitor's own network).
    #[serde(default)]
    security: Option<String>,
    #[serde(default)]
    backend: Option<String>,
    #[serde(default)]
    backend_short: Option<String>,
    #[serde(default)]
    timeout_limit: Option<String>,
    #[serde(default)]
    id_label: Option<String>,
    #[serde(default)]
    directive: Option<String>,
    #[serde(default)]
    directive_php: Option<String>,
    #[serde(default)]
    explain: Vec<ExplainFile>,
    #[serde(default)]
    owner: Vec<OwnerFile>,
    #[serde(default)]
    fix: Vec<FixFile>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct ExplainFile {
    situation: Vec<String>,
    text: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct OwnerFile {
    situation: Vec<String>,
    /// Replaces the owner fixes for these situations.
    #[serde(default)]
    fixes: Option<Vec<String>>,
    /// Or adds these (after `after`, or at the end).
    #[serde(default)]
    add: Vec<String>,
    #[serde(default)]
    after: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct FixFile {
    id: String,
    #[serde(default)]
    title: Option<String>,
    detail: String,
    #[serde(default)]
    situation: Vec<String>,
    #[serde(default)]
    status: Vec<u16>,
    #[serde(default)]
    php: Option<bool>,
    #[serde(default)]
    on_path: bool,
}

/// `upstream-refused` -> `UpstreamRefused`.
pub fn camel(id: &str) -> String {
    id.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn upper_snake(id: &str) -> String {
    id.replace('-', "_").to_ascii_uppercase()
}

/// The enums `Situation`, `FixId` and `Slot`.
pub fn write_enums(out: &mut String) {
    out.push_str(
        "/// What went wrong, as far as advice is concerned (declared in build/advice.rs).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Situation {\n    \
         /// A browser network error, before any HTTP status.\n    Net(NetKind),\n",
    );
    for (s, doc) in SITUATIONS {
        writeln!(out, "    /// {doc}\n    {},", camel(s)).ok();
    }
    out.push_str("}\n\n");

    out.push_str(
        "/// A fix the core can offer (declared in build/advice.rs `FIXES`).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum FixId {\n",
    );
    for f in FIXES {
        writeln!(out, "    /// `{f}`\n    {},", camel(f)).ok();
    }
    out.push_str(
        "}\n\nimpl FixId {\n    /// The fix's id as rule files and the diagnosis spell it.\n    \
         pub fn as_str(self) -> &'static str {\n        match self {\n",
    );
    for f in FIXES {
        writeln!(out, "            FixId::{} => {f:?},", camel(f)).ok();
    }
    out.push_str("        }\n    }\n}\n\n");

    out.push_str(
        "/// A placeholder in a product's sentence (declared in build/advice.rs `SLOTS`).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Slot {\n",
    );
    for (s, doc) in SLOTS {
        writeln!(out, "    /// `{{{s}}}`: {doc}\n    {},", camel(s)).ok();
    }
    out.push_str("}\n\n");
}

fn situations(list: &[String], file: &str) -> String {
    assert!(!list.is_empty(), "{file}: `situation` lists at least one");
    let mut s = String::from("&[");
    for name in list {
        assert!(
            SITUATIONS.iter().any(|(n, _)| n == name),
            "{file}: unknown situation `{name}`; allowed: {:?}",
            SITUATIONS.iter().map(|(n, _)| *n).collect::<Vec<_>>()
        );
        write!(s, "Situation::{}, ", camel(name)).ok();
    }
    s.push(']');
    s
}

fn fix_id(id: &str, file: &str) -> String {
    assert!(
        FIXES.contains(&id),
        "{file}: unknown fix `{id}`; declared fixes: {FIXES:?}"
    );
    format!("FixId::{}", camel(id))
}

fn fix_ids(list: &[String], file: &str) -> String {
    let mut s = String::from("&[");
    for id in list {
        write!(s, "{}, ", fix_id(id, file)).ok();
    }
    s.push(']');
    s
}

/// A sentence as generated parts: literal text and `{slot}` placeholders. A brace not
/// followed by a lower-case word and `}` is literal text (Caddyfile blocks, JSON).
fn text(t: &str, file: &str) -> String {
    assert!(!t.trim().is_empty(), "{file}: empty advice text");
    let mut parts = String::from("&[");
    let mut lit = String::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        let (before, from) = rest.split_at(open);
        lit.push_str(before);
        let word: String = from[1..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if !word.is_empty() && from[1 + word.len()..].starts_with('}') {
            assert!(
                SLOTS.iter().any(|(n, _)| *n == word),
                "{file}: unknown placeholder `{{{word}}}` in {t:?}; allowed: {:?}",
                SLOTS.iter().map(|(n, _)| *n).collect::<Vec<_>>()
            );
            if !lit.is_empty() {
                write!(parts, "Part::Lit({lit:?}), ").ok();
                lit.clear();
            }
            write!(parts, "Part::Slot(Slot::{}), ", camel(&word)).ok();
            rest = &from[word.len() + 2..];
        } else {
            lit.push('{');
            rest = &from[1..];
        }
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        write!(parts, "Part::Lit({lit:?}), ").ok();
    }
    parts.push(']');
    parts
}

fn opt_str(v: &Option<String>) -> String {
    match v {
        Some(s) => {
            assert!(!s.contains('{'), "placeholders are not allowed in {s:?}");
            format!("Some({s:?})")
        }
        None => "None".to_string(),
    }
}

/// The static name holding a product's advice.
pub fn static_name(id: &str) -> String {
    format!("ADVICE_{}", upper_snake(id))
}

/// Resolves `like`, checks every name, and writes one `ProductAdvice` static per product.
pub fn write_statics(out: &mut String, files: &BTreeMap<String, (String, AdviceFile)>) {
    for (id, (file, own)) in files {
        let a = match &own.like {
            Some(base) => {
                let (_, b) = files
                    .get(base)
                    .unwrap_or_else(|| panic!("{file}: `like = {base:?}` names no product"));
                assert!(
                    b.like.is_none(),
                    "{file}: `like` cannot point at a product that itself uses `like`"
                );
                merge(own, b)
            }
            None => own.clone(),
        };
        // Entries for one fix are tried in order: one without conditions must come last.
        for (i, f) in a.fix.iter().enumerate() {
            let unconditional =
                f.situation.is_empty() && f.status.is_empty() && f.php.is_none() && !f.on_path;
            if unconditional {
                assert!(
                    !a.fix.iter().skip(i + 1).any(|g| g.id == f.id),
                    "{file}: fix `{}` has an entry without conditions before another entry, which could never apply",
                    f.id
                );
            }
        }
        let security = match a.security.as_deref() {
            None => "None",
            Some("waf") => "Some(Security::Waf)",
            Some("gateway") => "Some(Security::Gateway)",
            Some(other) => panic!(
                "{file}: unknown `security = {other:?}`; allowed: \"waf\" (a firewall in front of the site), \"gateway\" (a filter on the visitor's network)"
            ),
        };
        writeln!(
            out,
            "pub static {}: ProductAdvice = ProductAdvice {{\n    security: {security},\n    kind: {},\n    backend: {},\n    backend_short: {},\n    timeout_limit: {},\n    id_label: {},\n    directive: {},\n    directive_php: {},",
            static_name(id),
            opt_str(&a.kind),
            opt_str(&a.backend),
            opt_str(&a.backend_short),
            opt_str(&a.timeout_limit),
            opt_str(&a.id_label),
            opt_str(&a.directive),
            opt_str(&a.directive_php),
        )
        .ok();
        out.push_str("    explain: &[\n");
        for e in &a.explain {
            writeln!(
                out,
                "        Explain {{ situations: {}, text: {} }},",
                situations(&e.situation, file),
                text(&e.text, file)
            )
            .ok();
        }
        out.push_str("    ],\n    owner: &[\n");
        for o in &a.owner {
            assert!(
                o.fixes.is_some() == o.add.is_empty(),
                "{file}: an [[advice.owner]] entry takes exactly one of `fixes` or `add`"
            );
            assert!(
                o.after.is_none() || !o.add.is_empty(),
                "{file}: `after` only goes with `add`"
            );
            writeln!(
                out,
                "        OwnerList {{ situations: {}, replace: {}, add: {}, after: {} }},",
                situations(&o.situation, file),
                o.fixes.as_ref().map_or("None".to_string(), |f| format!(
                    "Some({})",
                    fix_ids(f, file)
                )),
                fix_ids(&o.add, file),
                o.after
                    .as_ref()
                    .map_or("None".to_string(), |f| format!("Some({})", fix_id(f, file))),
            )
            .ok();
        }
        out.push_str("    ],\n    fixes: &[\n");
        for f in &a.fix {
            let sits = if f.situation.is_empty() {
                "&[]".to_string()
            } else {
                situations(&f.situation, file)
            };
            writeln!(
                out,
                "        FixText {{ id: {}, title: {}, detail: {}, situations: {sits}, statuses: &{:?}, php: {:?}, on_path: {} }},",
                fix_id(&f.id, file),
                f.title
                    .as_ref()
                    .map_or("None".to_string(), |t| format!("Some({})", text(t, file))),
                text(&f.detail, file),
                f.status,
                f.php,
                f.on_path,
            )
            .ok();
        }
        out.push_str("    ],\n};\n\n");
    }
}

/// `own` on top of `base`: own values win, own entries are tried first.
fn merge(own: &AdviceFile, base: &AdviceFile) -> AdviceFile {
    let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
    AdviceFile {
        like: None,
        kind: pick(&own.kind, &base.kind),
        security: pick(&own.security, &base.security),
        backend: pick(&own.backend, &base.backend),
        backend_short: pick(&own.backend_short, &base.backend_short),
        timeout_limit: pick(&own.timeout_limit, &base.timeout_limit),
        id_label: pick(&own.id_label, &base.id_label),
        directive: pick(&own.directive, &base.directive),
        directive_php: pick(&own.directive_php, &base.directive_php),
        explain: own.explain.iter().chain(&base.explain).cloned().collect(),
        owner: own.owner.iter().chain(&base.owner).cloned().collect(),
        fix: own.fix.iter().chain(&base.fix).cloned().collect(),
    }
}
