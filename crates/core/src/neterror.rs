//! Browser network errors: failures before any HTTP status exists.

use crate::model::{Hop, RetryAdvice};

/// Knowledge about one browser network error.
#[derive(Debug)]
pub struct NetErrorInfo {
    /// Canonical Chromium code without the `net::` prefix, e.g. `ERR_NAME_NOT_RESOLVED`.
    pub code: &'static str,
    /// Other spellings of the same failure: Chrome's `DNS_PROBE_FINISHED_NXDOMAIN`,
    /// Firefox's `NS_ERROR_UNKNOWN_HOST`, `dnsNotFound`, `SSL_ERROR_...`.
    pub aliases: &'static [&'static str],
    /// The hop that failed.
    pub hop: Hop,
    /// One sentence: what happened.
    pub meaning: &'static str,
    pub retry: RetryAdvice,
}

pub static NET_ERRORS: &[NetErrorInfo] = &[];

/// Looks a network error up by any of its spellings (with or without `net::`, any case).
pub fn info(code: &str) -> Option<&'static NetErrorInfo> {
    let code = code.trim();
    let code = code.strip_prefix("net::").unwrap_or(code);
    NET_ERRORS
        .iter()
        .find(|e| e.code.eq_ignore_ascii_case(code) || e.aliases.iter().any(|a| a.eq_ignore_ascii_case(code)))
}
