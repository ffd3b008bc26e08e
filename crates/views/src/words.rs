//! Plain words for the diagnosis's enums, shared by every view and the report.

use culprit_core::{Category, Hop, InputForm, Location, RetryAdvice};

/// Short name of a hop, as a person says it.
pub fn hop_name(hop: Hop) -> &'static str {
    match hop {
        Hop::Browser => "your browser",
        Hop::Network => "your network",
        Hop::Edge => "the CDN or edge",
        Hop::Gateway => "a gateway or proxy",
        Hop::Origin => "the site's own server",
        Hop::Unknown => "not known",
    }
}

/// The hop a product of this category usually sits at.
pub fn category_hop(category: Category) -> Hop {
    match category {
        Category::Cdn | Category::Platform | Category::LoadBalancer => Hop::Edge,
        Category::Proxy | Category::WebServer => Hop::Gateway,
        Category::AppServer | Category::Site => Hop::Origin,
        Category::Browser => Hop::Browser,
        Category::None => Hop::Unknown,
    }
}

pub fn form_name(form: InputForm) -> &'static str {
    match form {
        InputForm::Http => "an HTTP response",
        InputForm::Html => "an HTML page",
        InputForm::Text => "text copied off the screen",
        InputForm::Har => "a HAR file",
        InputForm::Log => "log lines",
        InputForm::Observation => "what the browser saw",
    }
}

pub fn retry_name(advice: RetryAdvice) -> &'static str {
    match advice {
        RetryAdvice::Now => "Retry now",
        RetryAdvice::Soon => "Retry shortly",
        RetryAdvice::Later => "Retry later",
        RetryAdvice::No => "Retrying will not help",
    }
}

/// Where a piece of evidence was found, in a few words.
pub fn location_name(location: &Location) -> String {
    match location {
        Location::Header { name } => format!("header {name}"),
        Location::StatusLine => "status line".to_string(),
        Location::Title => "page title".to_string(),
        Location::Body { .. } => "page source".to_string(),
        Location::Text { .. } => "visible text".to_string(),
        Location::Log { line } => format!("log line {line}"),
        Location::NetError => "browser error code".to_string(),
    }
}

/// The status and its reason phrase, e.g. `502 Bad Gateway`.
pub fn status_line(status: Option<u16>, text: Option<&str>) -> Option<String> {
    let s = status?;
    Some(match text {
        Some(t) if !t.is_empty() => format!("{s} {t}"),
        _ => s.to_string(),
    })
}

/// Splits a sentence into plain and `code` parts at backticks. An unpaired backtick is kept
/// as plain text.
pub fn code_spans(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else {
            break;
        };
        if open > 0 {
            out.push((false, &rest[..open]));
        }
        out.push((true, &after[..close]));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_split_and_keep_unpaired() {
        assert_eq!(
            code_spans("run `a b` then `c`."),
            vec![
                (false, "run "),
                (true, "a b"),
                (false, " then "),
                (true, "c"),
                (false, ".")
            ]
        );
        assert_eq!(code_spans("odd ` tick"), vec![(false, "odd ` tick")]);
        assert_eq!(code_spans(""), Vec::<(bool, &str)>::new());
    }
}
