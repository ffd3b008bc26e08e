//! The answer: a [`Diagnosis`] and everything it is made of.
//!
//! Every type here is plain data, serialisable with serde, with no behaviour that
//! depends on where it is shown. Field meanings are documented in `docs/diagnosis.md`.

use serde::{Deserialize, Serialize};

/// What kind of input the core recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputForm {
    /// A raw HTTP response, `curl -i` or `curl -v` output.
    Http,
    /// An HTML page without headers.
    Html,
    /// Visible text copied off the screen.
    Text,
    /// A HAR file; the failing document request was picked.
    Har,
    /// Proxy or platform log lines.
    Log,
    /// A structured observation sent by a browser front end.
    Observation,
}

impl InputForm {
    /// The form's id, as the JSON spells it (`http`, `html`, `text`, `har`, `log`, `observation`).
    pub fn as_str(self) -> &'static str {
        match self {
            InputForm::Http => "http",
            InputForm::Html => "html",
            InputForm::Text => "text",
            InputForm::Har => "har",
            InputForm::Log => "log",
            InputForm::Observation => "observation",
        }
    }
}

/// Broad kind of product, used to pick a failing hop and fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// A content delivery network or edge security service.
    Cdn,
    /// A hosting platform that fronts the site (Vercel, Netlify, Heroku, GitHub Pages).
    Platform,
    /// A cloud load balancer or API gateway.
    LoadBalancer,
    /// A reverse or forward proxy, or a cache.
    Proxy,
    /// A general web server that often also acts as a reverse proxy.
    WebServer,
    /// An application server (Tomcat and friends).
    AppServer,
    /// The visitor's browser.
    Browser,
    /// The site's own page.
    Site,
    /// Not an error page.
    None,
}

impl Category {
    /// What kind of product this is, in a few words (`CDN`, `web server`...).
    pub fn label(self) -> &'static str {
        match self {
            Category::Cdn => "CDN",
            Category::Platform => "hosting platform",
            Category::LoadBalancer => "load balancer",
            Category::Proxy => "proxy",
            Category::WebServer => "web server",
            Category::AppServer => "application server",
            Category::Browser => "browser",
            Category::Site => "the site itself",
            Category::None => "nobody",
        }
    }
}

/// A hop on the path between the visitor and the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hop {
    Browser,
    Network,
    Edge,
    Gateway,
    Origin,
    Unknown,
}

impl Hop {
    /// The hop's id, as the JSON, fixtures and rule files spell it (`origin`, `edge`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Hop::Browser => "browser",
            Hop::Network => "network",
            Hop::Edge => "edge",
            Hop::Gateway => "gateway",
            Hop::Origin => "origin",
            Hop::Unknown => "unknown",
        }
    }
}

/// The product that wrote the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Stable identifier, e.g. `cloudflare`, `nginx`, `custom`, `none`.
    pub id: String,
    /// Human name, e.g. `Cloudflare`.
    pub name: String,
    pub category: Category,
    /// 0.0 to 1.0: how sure the core is that this product wrote the page.
    pub confidence: f64,
}

impl Source {
    /// The confidence as a whole percentage, 0 to 100 (odd values clamped, NaN as 0).
    pub fn percent(&self) -> u32 {
        if self.confidence.is_nan() {
            return 0;
        }
        // `as` saturates; the clamp keeps odd values inside 0..=100.
        (self.confidence.clamp(0.0, 1.0) * 100.0).round() as u32
    }
}

/// A wait in words, for reports: `a moment`, `30 seconds`, `5 minutes`, `2 hours`, `3 days`.
pub fn duration_words(secs: u64) -> String {
    match secs {
        0 => "a moment".to_string(),
        1 => "1 second".to_string(),
        2..=119 => format!("{secs} seconds"),
        120..=7199 => format!("{} minutes", secs.div_ceil(60)),
        7200..=172_799 => format!("{} hours", secs.div_ceil(3600)),
        _ => format!("{} days", secs.div_ceil(86_400)),
    }
}

/// Another product seen on the path that only relayed the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Via {
    pub id: String,
    pub name: String,
    pub category: Category,
}

/// Which hop failed, and what happened in one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailingHop {
    pub hop: Hop,
    pub explanation: String,
}

/// Where in the input a signal was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// A response header; `name` is lower-cased.
    Header { name: String },
    /// The status line (or the observed status).
    StatusLine,
    /// The page title.
    Title,
    /// The body (raw HTML or text), at a byte offset.
    Body { offset: usize },
    /// The visible text of the page, at a byte offset into the normalised text.
    Text { offset: usize },
    /// A log line, numbered from 1.
    Log { line: usize },
    /// A browser network error code.
    NetError,
}

/// One signal that counted towards the diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Which source this signal speaks for (`status` evidence uses `status`).
    pub source_id: String,
    /// What was found, as it appears in the input (shortened when long).
    pub found: String,
    pub location: Location,
    /// What the signal means, in plain words.
    pub meaning: String,
}

/// An identifier worth quoting to a site owner or support desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundId {
    /// `ray-id`, `request-id`, `reference`, `trace-id`, `pop`, `region`, `server`.
    pub kind: String,
    /// Human label, e.g. `Cloudflare Ray ID`.
    pub label: String,
    pub value: String,
    pub location: Location,
}

/// Whether retrying helps, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retry {
    /// `now`, `soon`, `later` or `no`.
    pub advice: RetryAdvice,
    /// Seconds to wait before the first retry, when known or sensible.
    pub after_seconds: Option<u64>,
    /// An absolute time from `Retry-After` that could not be turned into seconds.
    pub at: Option<String>,
    /// True when `after_seconds` or `at` came from a `Retry-After` header.
    pub from_header: bool,
    pub explanation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetryAdvice {
    /// Retrying right away is likely to work.
    Now,
    /// Retry after a short wait (seconds to a minute).
    Soon,
    /// Retry much later (minutes or more).
    Later,
    /// Retrying the same request will not help.
    No,
}

/// One thing a person can do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Stable identifier (`retry`, `private-window`, `clear-site-cache`, `check-upstream`...),
    /// which front ends use to attach one-click actions.
    pub id: String,
    pub title: String,
    pub detail: String,
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// What the input was recognised as.
    pub input_form: InputForm,
    /// HTTP status, when there is one.
    pub status: Option<u16>,
    /// Reason phrase: the one sent, or the registered one.
    pub status_text: Option<String>,
    /// True when the status was read off the page rather than a status line.
    pub status_inferred: bool,
    /// Browser network error code (e.g. `ERR_NAME_NOT_RESOLVED`), when there is one.
    pub net_error: Option<String>,
    /// URL of the failed request, when known.
    pub url: Option<String>,
    /// Who wrote the page.
    pub source: Source,
    /// Other products seen on the path, outermost first.
    pub via: Vec<Via>,
    pub failing_hop: FailingHop,
    /// One-line summary suitable for a badge tooltip or a terminal.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    pub ids: Vec<FoundId>,
    pub retry: Retry,
    pub visitor_fixes: Vec<Fix>,
    pub owner_fixes: Vec<Fix>,
    /// Things the reader should know about how the input was read
    /// (e.g. a compressed body that could not be inspected).
    pub notes: Vec<String>,
    /// For log lines from several requests: the other failures the log shows, by kind
    /// (the diagnosis is of the most recent one). Left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_failures: Vec<OtherFailure>,
}

/// Failing requests of one kind in a log, other than the one diagnosed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherFailure {
    /// The status they share, sent or read off the lines.
    pub status: Option<u16>,
    /// What each of them was diagnosed as, in one line (the summary of its own diagnosis).
    pub summary: String,
    /// How many requests of this kind.
    pub count: usize,
    /// The first line of each, most recent first (at most ten).
    pub lines: Vec<usize>,
}

impl OtherFailure {
    /// As one line of text: "3× nginx logged a 504: ... (lines 9, 7, 4)", with ", ..." when
    /// more requests than the lines listed.
    pub fn line(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(usize::to_string).collect();
        let more = if self.count > self.lines.len() {
            ", ..."
        } else {
            ""
        };
        let label = if self.lines.len() == 1 {
            "line"
        } else {
            "lines"
        };
        format!(
            "{}× {} ({label} {}{more})",
            self.count,
            self.summary,
            lines.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(confidence: f64) -> Source {
        Source {
            id: "x".into(),
            name: "X".into(),
            category: Category::Cdn,
            confidence,
        }
    }

    #[test]
    fn percent_is_rounded_and_clamped() {
        assert_eq!(source(0.994).percent(), 99);
        assert_eq!(source(2.0).percent(), 100);
        assert_eq!(source(-1.0).percent(), 0);
        assert_eq!(source(f64::NAN).percent(), 0);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(0), "a moment");
        assert_eq!(duration_words(1), "1 second");
        assert_eq!(duration_words(90), "90 seconds");
        assert_eq!(duration_words(600), "10 minutes");
        assert_eq!(duration_words(3 * 3600), "3 hours");
        assert_eq!(
            duration_words(u64::MAX),
            format!("{} days", u64::MAX.div_ceil(86_400))
        );
    }
}
