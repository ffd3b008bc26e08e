//! The human report: a [`Diagnosis`] as wrapped, optionally coloured, terminal text.

use culprit_core::{
    Diagnosis, Evidence, Fix, FoundId, Hop, InputForm, Location, OtherFailure, RetryAdvice,
};

/// Column where values start in the key/value block at the top.
const LABEL_WIDTH: usize = 18;
/// Longest run of input-derived text shown in one place; the JSON output has everything.
const MAX_SHOWN: usize = 300;

/// How the report is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

// ANSI SGR codes.
const BOLD: &str = "1";
const DIM: &str = "2";
const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const CYAN: &str = "36";
const BOLD_RED: &str = "1;31";

/// Renders the whole report, ending with a newline.
pub fn render(d: &Diagnosis, style: Style) -> String {
    let mut r = Report {
        out: String::new(),
        style,
    };
    r.headline(d);
    r.facts(d);
    r.ids(&d.ids);
    r.other_failures(&d.other_failures);
    r.fixes("What you can do", &d.visitor_fixes);
    r.fixes("What the site owner can do", &d.owner_fixes);
    r.evidence(d);
    r.notes(&d.notes);
    r.out
}

struct Report {
    out: String,
    style: Style,
}

impl Report {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.style.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn heading(&mut self, title: &str) {
        self.blank();
        let title = self.paint(BOLD, title);
        self.line(&title);
    }

    /// Writes `text` wrapped to the report width: the first line after `first` (whose
    /// visible width is `first_width`), the following ones indented by `indent` spaces.
    fn wrapped(
        &mut self,
        first: &str,
        first_width: usize,
        indent: usize,
        text: &str,
        code: Option<&str>,
    ) {
        let room_first = self.style.width.saturating_sub(first_width).max(20);
        let room_rest = self.style.width.saturating_sub(indent).max(20);
        let lines = wrap(text, room_first, room_rest);
        let pad = " ".repeat(indent);
        for (i, l) in lines.iter().enumerate() {
            let body = match code {
                Some(c) => self.paint(c, l),
                None => l.clone(),
            };
            if i == 0 {
                self.out.push_str(first);
            } else {
                self.out.push_str(&pad);
            }
            self.line(&body);
        }
        if lines.is_empty() {
            self.line(first.trim_end());
        }
    }

    /// A `Label        value` row of the top block.
    fn field(&mut self, label: &str, value: &str, code: Option<&str>) {
        let padded = format!("  {label:<width$}", width = LABEL_WIDTH - 2);
        let painted = self.paint(CYAN, &padded);
        self.wrapped(&painted, LABEL_WIDTH, LABEL_WIDTH, value, code);
    }

    fn headline(&mut self, d: &Diagnosis) {
        let summary = clean(&d.summary);
        let text = if summary.trim().is_empty() {
            clean(&d.source.name)
        } else {
            summary
        };
        self.wrapped("", 0, 0, &text, Some(BOLD));
        self.blank();
    }

    fn facts(&mut self, d: &Diagnosis) {
        let src = &d.source;
        let nothing_failed = src.id == "none";
        let source = if nothing_failed {
            clean(&src.name)
        } else {
            format!(
                "{} ({}), {}% sure",
                clean(&src.name),
                src.category.label(),
                src.percent()
            )
        };
        self.field("Written by", &source, Some(BOLD));

        match (d.status, &d.status_text) {
            (Some(code), text) => {
                let mut s = code.to_string();
                if let Some(t) = text.as_deref().map(clean).filter(|t| !t.is_empty()) {
                    s.push(' ');
                    s.push_str(&t);
                }
                if d.status_inferred {
                    s.push_str(if d.input_form == InputForm::Log {
                        " (read off the log, not from a status line)"
                    } else {
                        " (read off the page, not from a status line)"
                    });
                }
                let code = if code >= 500 {
                    Some(RED)
                } else if code >= 400 {
                    Some(YELLOW)
                } else {
                    None
                };
                self.field("Status", &s, code);
            }
            (None, Some(t)) if !t.trim().is_empty() => self.field("Status", &clean(t), None),
            _ => {}
        }
        if let Some(e) = &d.net_error {
            self.field("Network error", &clean(e), Some(RED));
        }
        if let Some(u) = &d.url {
            self.field("URL", &shorten(&clean(u)), None);
        }
        self.field("Read as", form_name(d.input_form), None);

        let hop = &d.failing_hop;
        let code = (!nothing_failed && hop.hop != Hop::Unknown).then_some(BOLD_RED);
        self.field("Failing hop", hop_name(hop.hop), code);
        let explanation = clean(&hop.explanation);
        if !explanation.trim().is_empty() {
            let pad = " ".repeat(LABEL_WIDTH);
            self.wrapped(&pad, LABEL_WIDTH, LABEL_WIDTH, &explanation, None);
        }

        if !d.via.is_empty() {
            let hops: Vec<String> = d
                .via
                .iter()
                .map(|v| format!("{} ({})", clean(&v.name), v.category.label()))
                .collect();
            self.field("Passed through", &hops.join(" → "), None);
        }

        let retry = &d.retry;
        let mut advice = retry_name(retry.advice).to_string();
        if let Some(secs) = retry.after_seconds {
            advice.push_str(", in ");
            advice.push_str(&culprit_core::duration_words(secs));
        } else if let Some(at) = &retry.at {
            advice.push_str(", at ");
            advice.push_str(&clean(at));
        }
        if retry.from_header {
            advice.push_str(" (the server said so in Retry-After)");
        }
        let code = match retry.advice {
            _ if nothing_failed => None,
            RetryAdvice::Now | RetryAdvice::Soon => Some(GREEN),
            RetryAdvice::Later => Some(YELLOW),
            RetryAdvice::No => Some(RED),
        };
        self.field("Retry", &advice, code);
        let explanation = clean(&retry.explanation);
        if !explanation.trim().is_empty() {
            let pad = " ".repeat(LABEL_WIDTH);
            self.wrapped(&pad, LABEL_WIDTH, LABEL_WIDTH, &explanation, None);
        }
    }

    fn ids(&mut self, ids: &[FoundId]) {
        if ids.is_empty() {
            return;
        }
        self.heading("Identifiers to quote to support");
        for id in ids {
            let label = format!("  {}:", clean(&id.label));
            let label_width = label.chars().count() + 1;
            let painted = self.paint(CYAN, &label);
            let value = shorten(&clean(&id.value));
            let place = format!("({})", location_name(&id.location));
            let value_width = value.chars().count();
            let place_width = place.chars().count();
            let place = self.paint(DIM, &place);
            // The value is never wrapped inside: ids must stay copyable in one piece.
            if label_width + value_width + 2 + place_width <= self.style.width {
                self.out.push_str(&painted);
                self.out.push(' ');
                self.line(&format!("{value}  {place}"));
            } else {
                self.line(&painted);
                if 4 + value_width + 2 + place_width <= self.style.width {
                    self.line(&format!("    {value}  {place}"));
                } else {
                    self.line(&format!("    {value}"));
                    self.line(&format!("    {place}"));
                }
            }
        }
    }

    fn fixes(&mut self, title: &str, fixes: &[Fix]) {
        if fixes.is_empty() {
            return;
        }
        self.heading(title);
        for (i, fix) in fixes.iter().enumerate() {
            let number = format!("  {}. ", i + 1);
            let width = number.chars().count();
            let painted = self.paint(GREEN, &number);
            self.wrapped(&painted, width, width, &clean(&fix.title), Some(BOLD));
            let detail = clean(&fix.detail);
            if !detail.trim().is_empty() {
                let pad = " ".repeat(width);
                self.wrapped(&pad, width, width, &detail, None);
            }
        }
    }

    fn evidence(&mut self, d: &Diagnosis) {
        if d.evidence.is_empty() {
            return;
        }
        self.heading("Evidence");
        for e in &d.evidence {
            self.one_evidence(e, &d.source.id);
        }
    }

    fn one_evidence(&mut self, e: &Evidence, main_source: &str) {
        let bullet = self.paint(DIM, "  • ");
        let found = format!("“{}”", shorten(&clean(&e.found)));
        let mut where_ = format!("in the {}", location_name(&e.location));
        if e.source_id != main_source && !e.source_id.is_empty() && e.source_id != "status" {
            where_.push_str(&format!(", points to {}", clean(&e.source_id)));
        }
        let head = format!("{found} {}", where_);
        self.wrapped(&bullet, 4, 4, &head, None);
        let meaning = clean(&e.meaning);
        if !meaning.trim().is_empty() {
            self.wrapped("    ", 4, 4, &meaning, Some(DIM));
        }
    }

    /// The log's other failing requests, by kind: how many, what, on which lines.
    fn other_failures(&mut self, others: &[OtherFailure]) {
        if others.is_empty() {
            return;
        }
        self.heading("Other failures in the log");
        for f in others {
            let bullet = self.paint(DIM, "  • ");
            self.wrapped(&bullet, 4, 4, &clean(&f.line()), None);
        }
    }

    fn notes(&mut self, notes: &[String]) {
        if notes.is_empty() {
            return;
        }
        self.heading("Notes");
        for n in notes {
            let bullet = self.paint(DIM, "  • ");
            self.wrapped(&bullet, 4, 4, &clean(n), None);
        }
    }
}

fn hop_name(h: Hop) -> &'static str {
    match h {
        Hop::Browser => "your browser",
        Hop::Network => "the network (DNS, connection or TLS)",
        Hop::Edge => "the edge (CDN or front door)",
        Hop::Gateway => "the gateway (load balancer or proxy)",
        Hop::Origin => "the origin (the site's own server)",
        Hop::Unknown => "not known",
    }
}

fn form_name(f: InputForm) -> &'static str {
    match f {
        InputForm::Http => "HTTP response",
        InputForm::Html => "HTML page",
        InputForm::Text => "text copied off the screen",
        InputForm::Har => "HAR file",
        InputForm::Log => "log lines",
        InputForm::Observation => "browser observation",
    }
}

fn retry_name(a: RetryAdvice) -> &'static str {
    match a {
        RetryAdvice::Now => "try again now",
        RetryAdvice::Soon => "try again shortly",
        RetryAdvice::Later => "try again later",
        RetryAdvice::No => "retrying will not help",
    }
}

fn location_name(l: &Location) -> String {
    match l {
        Location::Header { name } => format!("header {}", clean(name)),
        Location::StatusLine => "status line".to_string(),
        Location::Title => "page title".to_string(),
        Location::Body { offset } => format!("body at byte {offset}"),
        Location::Text { offset } => format!("page text at byte {offset}"),
        Location::Log { line } => format!("log line {line}"),
        Location::NetError => "network error code".to_string(),
    }
}

/// Makes input-derived text safe to print: control characters (which could drive the
/// terminal) and bidirectional overrides are shown escaped; line breaks and tabs become
/// spaces.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.extend(c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// Cuts long input-derived text, marking the cut.
fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_SHOWN {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_SHOWN).collect();
    out.push('…');
    out
}

/// Greedy word wrap. The first line holds `first` characters, the others `rest`. Words
/// longer than a line are split.
pub fn wrap(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_len = 0usize;
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest };

    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let limit = room(&lines).max(1);
            let needed = if current_len == 0 {
                word.len()
            } else {
                current_len + 1 + word.len()
            };
            if needed <= limit {
                if current_len > 0 {
                    current.push(' ');
                    current_len += 1;
                }
                current.extend(word.iter());
                current_len += word.len();
                break;
            }
            if current_len > 0 {
                lines.push(std::mem::take(&mut current));
                current_len = 0;
                continue;
            }
            // The word alone is longer than a line: split it.
            let tail = word.split_off(limit.min(word.len()));
            lines.push(word.iter().collect());
            word = tail;
            if word.is_empty() {
                break;
            }
        }
    }
    if current_len > 0 {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use culprit_core::{FailingHop, Retry, Source, Via};

    fn sample() -> Diagnosis {
        Diagnosis {
            input_form: InputForm::Http,
            status: Some(502),
            status_text: Some("Bad Gateway".into()),
            status_inferred: false,
            net_error: None,
            url: Some("https://shop.example/checkout".into()),
            source: Source {
                id: "cloudflare".into(),
                name: "Cloudflare".into(),
                category: culprit_core::Category::Cdn,
                confidence: 0.93,
            },
            via: vec![Via {
                id: "cloudflare".into(),
                name: "Cloudflare".into(),
                category: culprit_core::Category::Cdn,
            }],
            failing_hop: FailingHop {
                hop: Hop::Origin,
                explanation: "Cloudflare reached the site's server, but the server answered with something that was not a valid HTTP response, so Cloudflare wrote this page instead.".into(),
            },
            summary: "Cloudflare could not get a valid answer from the site's own server.".into(),
            evidence: vec![Evidence {
                source_id: "cloudflare".into(),
                found: "cf-ray: 7d2a1b3c4d5e6f70-AMS\x1b[31m".into(),
                location: Location::Header {
                    name: "cf-ray".into(),
                },
                meaning: "Every response that passed through Cloudflare carries this header.".into(),
            }],
            ids: vec![FoundId {
                kind: "ray-id".into(),
                label: "Cloudflare Ray ID".into(),
                value: "7d2a1b3c4d5e6f70-AMS".into(),
                location: Location::Header {
                    name: "cf-ray".into(),
                },
            }],
            retry: Retry {
                advice: RetryAdvice::Soon,
                after_seconds: Some(30),
                at: None,
                from_header: false,
                explanation: "Bad gateway errors are often brief while a server restarts.".into(),
            },
            visitor_fixes: vec![Fix {
                id: "retry".into(),
                title: "Reload the page in half a minute".into(),
                detail: "The problem is on the site's side; nothing on your computer needs changing.".into(),
            }],
            owner_fixes: vec![Fix {
                id: "check-upstream".into(),
                title: "Check that the origin server is running".into(),
                detail: "Look at the origin's error log around the time of the Ray ID above; a crashed or restarting application server is the usual cause.".into(),
            }],
            notes: vec!["The body was compressed and could not be inspected.".into()],
            other_failures: vec![OtherFailure {
                status: Some(504),
                summary: "nginx logged a 504: the upstream timed out.".into(),
                count: 12,
                lines: vec![40, 31, 22, 17, 15, 12, 9, 7, 4, 3],
            }],
        }
    }

    #[test]
    fn wraps_at_width_with_hanging_indent() {
        let text = render(
            &sample(),
            Style {
                color: false,
                width: 80,
            },
        );
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "too long: {line:?}");
        }
        assert!(text.contains("Written by      Cloudflare (CDN), 93% sure"));
        assert!(text.contains("  Status          502 Bad Gateway"));
        assert!(text.contains("Cloudflare Ray ID: 7d2a1b3c4d5e6f70-AMS"));
        assert!(text.contains("What the site owner can do"));
        assert!(text.contains("Other failures in the log"));
        assert!(text.contains("12× nginx logged a 504: the upstream timed out."));
        assert!(text.contains("9, 7, 4, 3, ...)"), "{text}");
        assert!(!text.contains('\x1b'), "no colour asked for");
        // The escape sequence from the input is shown, not obeyed.
        assert!(text.contains("\\u{1b}[31m"));
    }

    #[test]
    fn colour_only_when_asked() {
        let text = render(
            &sample(),
            Style {
                color: true,
                width: 80,
            },
        );
        assert!(text.contains("\x1b[1m"));
        assert!(text.contains("\\u{1b}[31m"));
    }

    #[test]
    fn wrap_splits_long_words() {
        let lines = wrap(&"x".repeat(50), 20, 20);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(
            wrap("a b c", 3, 3),
            vec!["a b".to_string(), "c".to_string()]
        );
        assert!(wrap("   ", 10, 10).is_empty());
    }

    #[test]
    fn clean_escapes_controls() {
        assert_eq!(clean("a\tb\nc"), "a b c");
        assert_eq!(clean("\x07"), "\\u{7}");
        assert_eq!(clean("\u{202e}x"), "\\u{202e}x");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(culprit_core::duration_words(30), "30 seconds");
        assert_eq!(culprit_core::duration_words(300), "5 minutes");
        assert_eq!(culprit_core::duration_words(7200), "2 hours");
    }
}
