//! The site's routes: parsed from a path, written back as a canonical path, and described
//! (title, description) for the pre-rendered `<head>`.

use culprit_core::{reference, rules, status};

/// The "500 vs 502 vs 503 vs 504" page's path segment.
pub const COMPARE_SLUG: &str = "500-502-503-504";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    StatusIndex,
    Status(u16),
    SourceIndex,
    Source(&'static str),
    Compare,
    Faq,
    Privacy,
    NotFound,
}

impl Route {
    /// Reads a URL path (with or without a trailing slash or `index.html`). Unknown codes
    /// and products are `NotFound`.
    pub fn parse(path: &str) -> Route {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => Route::Home,
            ["status"] => Route::StatusIndex,
            ["status", code] => code
                .parse::<u16>()
                .ok()
                .filter(|c| status::info(*c).is_some())
                .map_or(Route::NotFound, Route::Status),
            ["source"] => Route::SourceIndex,
            ["source", id] => rules::rule(id).map_or(Route::NotFound, |r| Route::Source(r.id)),
            ["compare", slug] if *slug == COMPARE_SLUG => Route::Compare,
            ["faq"] => Route::Faq,
            ["privacy"] => Route::Privacy,
            _ => Route::NotFound,
        }
    }

    /// The canonical path, with a trailing slash (`/status/502/`).
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::StatusIndex => "/status/".into(),
            Route::Status(c) => format!("/status/{c}/"),
            Route::SourceIndex => "/source/".into(),
            Route::Source(id) => format!("/source/{id}/"),
            Route::Compare => format!("/compare/{COMPARE_SLUG}/"),
            Route::Faq => "/faq/".into(),
            Route::Privacy => "/privacy/".into(),
            Route::NotFound => "/404.html".into(),
        }
    }

    /// Every route that has a page, in sitemap order.
    pub fn all() -> Vec<Route> {
        let mut out = vec![Route::Home, Route::Compare, Route::Faq, Route::StatusIndex];
        out.extend(status::all().into_iter().map(|s| Route::Status(s.code)));
        out.push(Route::SourceIndex);
        out.extend(rules::RULES.iter().map(|r| Route::Source(r.id)));
        out.push(Route::Privacy);
        out
    }

    /// The page title.
    pub fn title(&self) -> String {
        match self {
            Route::Home => "Culprit: who broke this page? Paste an error page and find out".into(),
            Route::StatusIndex => "HTTP error codes explained, 4xx and 5xx | Culprit".into(),
            Route::Status(c) => match status::info(*c) {
                Some(s) if *c >= 400 => {
                    format!("{c} {}: what it means and what to do | Culprit", s.reason)
                }
                Some(s) => format!("{c} {}: what it means | Culprit", s.reason),
                None => format!("HTTP {c} | Culprit"),
            },
            Route::SourceIndex => {
                "Who wrote this error page? Every product Culprit knows | Culprit".into()
            }
            Route::Source(id) => match rules::rule(id) {
                Some(r) if matches!(*id, "custom" | "none") => format!("{} | Culprit", r.name),
                Some(r) => format!("{} error pages: codes, causes and fixes | Culprit", r.name),
                None => "Product | Culprit".into(),
            },
            Route::Compare => "500 vs 502 vs 503 vs 504: which server failed? | Culprit".into(),
            Route::Faq => "Website errors: your questions answered | Culprit".into(),
            Route::Privacy => "Privacy: nothing you paste leaves your device | Culprit".into(),
            Route::NotFound => "Page not found | Culprit".into(),
        }
    }

    /// The meta description: one or two sentences, at most about 160 characters.
    pub fn description(&self) -> String {
        let d = match self {
            Route::Home => "Paste an error page, curl output, HAR file or log lines: Culprit names who wrote it (Cloudflare, nginx, AWS...), which hop failed and what you can do. Nothing leaves your device.".to_string(),
            Route::StatusIndex => "What every HTTP 4xx and 5xx status means, whose fault it usually is, and what visitors and site owners can do, including vendor codes like Cloudflare's 52x.".to_string(),
            Route::Status(c) => match status::info(*c) {
                Some(s) => format!("HTTP {c} {}: {}", s.reason, s.meaning),
                None => format!("HTTP status {c}."),
            },
            Route::SourceIndex => "The products that write error pages, from CDNs and load balancers to web servers and browsers: how to recognise each one's page and what its codes mean.".to_string(),
            Route::Source(id) => match rules::rule(id) {
                Some(r) => {
                    let codes: Vec<String> = reference::statuses_of(id).iter().take(6).map(u16::to_string).collect();
                    if codes.is_empty() {
                        r.about.to_string()
                    } else {
                        format!("{} error pages ({}): {}", r.name, codes.join(", "), r.about)
                    }
                }
                None => String::new(),
            },
            Route::Compare => "500, 502, 503 and 504 all mean a server failed, but not the same server. How to tell them apart, whose fault each is, and when retrying helps.".to_string(),
            Route::Faq => "Is a 502 your fault? Was the site hacked? How long do outages last, will a VPN help, and do errors hurt search ranking? Short, honest answers.".to_string(),
            Route::Privacy => "Culprit runs entirely in your browser: what you paste is never sent anywhere, and the site makes no third-party requests.".to_string(),
            Route::NotFound => "This page does not exist on Culprit.".to_string(),
        };
        shorten(&d, 160)
    }
}

/// Cuts `s` at a word boundary to at most `max` bytes, adding an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut cut = max.saturating_sub(3);
    while cut > 0 && !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &s[..cut];
    let head = head.rsplit_once(' ').map_or(head, |(a, _)| a);
    format!("{}…", head.trim_end_matches([',', '.', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        for r in Route::all() {
            assert_eq!(Route::parse(&r.path()), r, "{}", r.path());
            assert_eq!(Route::parse(r.path().trim_end_matches('/')), r);
            assert_eq!(Route::parse(&format!("{}index.html", r.path())), r);
        }
        assert_eq!(Route::parse("/status/999/"), Route::NotFound);
        assert_eq!(Route::parse("/source/../etc/"), Route::NotFound);
        assert_eq!(Route::parse("/status/502/extra"), Route::NotFound);
    }

    #[test]
    fn descriptions_fit() {
        for r in Route::all() {
            let d = r.description();
            assert!(!d.is_empty() && d.len() <= 160, "{:?}: {d}", r);
            assert!(!r.title().is_empty());
        }
    }
}
