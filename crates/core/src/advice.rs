//! Advice: the failing hop's explanation, retry guidance and fixes, chosen from the status,
//! the source, the failing hop and the facts the rules found.

use crate::model::{Category, Fix, Hop, Retry, RetryAdvice, Via};

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
    pub facts: &'a [&'static str],
    /// Canonical browser network error code, when there is one.
    pub net_error: Option<&'a str>,
    pub via: &'a [Via],
    /// True when an identifier (Ray ID, request ID...) was found to quote to the owner.
    pub has_ids: bool,
    /// `Retry-After` as seconds, when sent and readable.
    pub retry_after_seconds: Option<u64>,
    /// `Retry-After` as an HTTP date that could not be turned into seconds.
    pub retry_after_date: Option<&'a str>,
}

/// One sentence: what happened between which hops.
pub fn explain(ctx: &Context<'_>) -> String {
    format!("{} reported a failure at the {:?} hop.", ctx.source_name, ctx.hop)
}

/// Whether and when retrying helps.
pub fn retry(ctx: &Context<'_>) -> Retry {
    Retry {
        advice: RetryAdvice::Soon,
        after_seconds: ctx.retry_after_seconds,
        at: ctx.retry_after_date.map(str::to_string),
        from_header: ctx.retry_after_seconds.is_some() || ctx.retry_after_date.is_some(),
        explanation: String::new(),
    }
}

/// What the visitor can do, most useful first.
pub fn visitor_fixes(_ctx: &Context<'_>) -> Vec<Fix> {
    Vec::new()
}

/// What the site owner can do, most useful first.
pub fn owner_fixes(_ctx: &Context<'_>) -> Vec<Fix> {
    Vec::new()
}

/// One-line summary, e.g. "nginx wrote this 502: the application behind it refused the connection".
pub fn summary(ctx: &Context<'_>) -> String {
    match ctx.status {
        Some(s) => format!("{} wrote this {s} page", ctx.source_name),
        None => format!("{} wrote this page", ctx.source_name),
    }
}
