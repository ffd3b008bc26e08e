//! "Copy report": a Markdown summary of a diagnosis for a ticket to the site's host.

use crate::facts::retry_line;
use crate::words::{hop_name, location_name, status_line};
use culprit_core::Diagnosis;

/// Makes Markdown inline text safe: no line breaks, no stray markup.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Code spans hold anything but a backtick.
fn code(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c == '`' || c.is_control() { ' ' } else { c })
        .collect();
    format!("`{}`", clean.trim())
}

/// The report. `when` is the time the diagnosis was made, as the front end formats it.
pub fn markdown(d: &Diagnosis, when: &str) -> String {
    let mut s = String::new();
    let status = status_line(d.status, d.status_text.as_deref());
    let title = match (&status, &d.net_error) {
        (Some(st), _) => format!("Error {st}"),
        (None, Some(net)) => format!("Network error {net}"),
        (None, None) => "Error page".to_string(),
    };
    s.push_str(&format!("## {}\n\n", inline(&title)));
    s.push_str(&format!("{}\n\n", inline(&d.summary)));
    if let Some(st) = &status {
        s.push_str(&format!("- **Status:** {}\n", inline(st)));
    }
    if let Some(net) = &d.net_error {
        s.push_str(&format!("- **Browser error:** {}\n", code(net)));
    }
    let writer = match d.source.id.as_str() {
        "none" => "nobody: not an error page".to_string(),
        "custom" => "the site's own error page".to_string(),
        _ => format!("{} ({})", d.source.name, d.source.category.label()),
    };
    s.push_str(&format!(
        "- **Written by:** {}, {}% sure\n",
        inline(&writer),
        d.source.percent()
    ));
    if !d.via.is_empty() {
        let names: Vec<String> = d.via.iter().map(|v| inline(&v.name)).collect();
        s.push_str(&format!("- **Passed through:** {}\n", names.join(", ")));
    }
    s.push_str(&format!(
        "- **Failing hop:** {}: {}\n",
        hop_name(d.failing_hop.hop),
        inline(&d.failing_hop.explanation)
    ));
    if let Some(url) = &d.url {
        s.push_str(&format!("- **Address:** {}\n", code(url)));
    }
    s.push_str(&format!("- **Seen:** {}\n", inline(when)));
    s.push_str(&format!("- **Retry:** {}\n", inline(&retry_line(&d.retry))));
    if !d.ids.is_empty() {
        s.push_str("\n### Identifiers\n\n");
        for id in &d.ids {
            s.push_str(&format!("- {}: {}\n", inline(&id.label), code(&id.value)));
        }
    }
    if !d.evidence.is_empty() {
        s.push_str("\n### Evidence\n\n");
        for e in &d.evidence {
            s.push_str(&format!(
                "- {} in the {}: {}\n",
                code(&e.found),
                inline(&location_name(&e.location)),
                inline(&e.meaning)
            ));
        }
    }
    if !d.other_failures.is_empty() {
        s.push_str("\n### Other failures in the log\n\n");
        for f in &d.other_failures {
            s.push_str(&format!("- {}\n", inline(&f.line())));
        }
    }
    s.push_str("\n_Diagnosed by Culprit, on the reporter's own device._\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_holds_status_source_hop_ids_time_and_evidence() {
        let input = "HTTP/2 522\r\nserver: cloudflare\r\ncf-ray: 8d0f1e2a3b4c5d6e-FRA\r\ncontent-type: text/html\r\n\r\n<title>example.com | 522: Connection timed out</title><div id=\"cf-error-details\">Error code 522</div>";
        let d = match culprit_core::diagnose(input.as_bytes()) {
            Ok(d) => d,
            Err(e) => unreachable!("{e}"),
        };
        let md = markdown(&d, "2026-11-27 12:00 UTC");
        assert!(md.contains("522"), "{md}");
        assert!(md.contains("Cloudflare"), "{md}");
        assert!(md.contains("Failing hop:** the site's own server"), "{md}");
        assert!(md.contains("`8d0f1e2a3b4c5d6e-FRA`"), "{md}");
        assert!(md.contains("2026-11-27 12:00 UTC"), "{md}");
        assert!(md.contains("### Evidence"), "{md}");
    }

    #[test]
    fn report_lists_the_other_failures_of_a_log() {
        let log = concat!(
            "[2026-11-27T21:40:02.114Z] \"GET /a HTTP/1.1\" 503 UH 0 19 0 - \"-\" \"ua\" \"id1\" \"shop.example\" \"-\"\n",
            "[2026-11-27T21:40:05.114Z] \"GET /b HTTP/1.1\" 503 UH 0 19 0 - \"-\" \"ua\" \"id2\" \"shop.example\" \"-\"\n",
            "[2026-11-27T21:41:48.330Z] \"GET /c HTTP/1.1\" 504 UT 0 24 15001 - \"-\" \"ua\" \"id3\" \"shop.example\" \"10.0.0.1:8080\"\n",
        );
        let d = match culprit_core::diagnose(log.as_bytes()) {
            Ok(d) => d,
            Err(e) => unreachable!("{e}"),
        };
        assert_eq!(d.status, Some(504));
        let other = d.other_failures.first().map(|f| f.summary.clone());
        let Some(other) = other else {
            unreachable!("two other failures: {d:?}")
        };
        let md = markdown(&d, "2026-11-27 22:00 UTC");
        assert!(md.contains("### Other failures in the log"), "{md}");
        assert!(md.contains(&format!("- 2× {}", inline(&other))), "{md}");
        assert!(md.contains("(lines 2, 1)"), "{md}");
    }

    #[test]
    fn hostile_text_cannot_break_out() {
        assert_eq!(inline("a\n# b <script>"), "a \\# b \\<script\\>");
        assert_eq!(code("x`y\n"), "`x y`");
    }
}
