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

/// Confidence as a whole percentage.
pub fn percent(confidence: f64) -> u32 {
    let p = (confidence.clamp(0.0, 1.0) * 100.0).round();
    p as u32
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

/// A duration in seconds, in words ("10 seconds", "5 minutes", "2 hours").
pub fn duration(seconds: u64) -> String {
    let (n, unit) = if seconds < 120 {
        (seconds, "second")
    } else if seconds < 7200 {
        (seconds.div_ceil(60), "minute")
    } else if seconds < 2 * 86_400 {
        (seconds.div_ceil(3600), "hour")
    } else {
        (seconds.div_ceil(86_400), "day")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
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

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(1), "1 second");
        assert_eq!(duration(90), "90 seconds");
        assert_eq!(duration(600), "10 minutes");
        assert_eq!(duration(3 * 3600), "3 hours");
        assert_eq!(
            duration(u64::MAX),
            format!("{} days", u64::MAX.div_ceil(86_400))
        );
    }

    #[test]
    fn percent_is_clamped() {
        assert_eq!(percent(0.994), 99);
        assert_eq!(percent(2.0), 100);
        assert_eq!(percent(-1.0), 0);
    }
}
