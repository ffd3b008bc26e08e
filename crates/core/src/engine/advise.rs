//! Stage 7, advice: the findings become one [`advice::Context`] (built in [`context`] and
//! nowhere else), and `advice.rs` turns it into sentences, retry advice and fixes.

use super::Findings;
use crate::advice::{self, Context, RETRY_AFTER_CAP};
use crate::input::Observation;
use crate::model::{Fix, Hop, InputForm, Retry};
use crate::rules::RULES;

/// What `advice.rs` says about the findings.
pub struct Advice {
    pub explanation: String,
    pub summary: String,
    pub retry: Retry,
    pub visitor_fixes: Vec<Fix>,
    pub owner_fixes: Vec<Fix>,
}

#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn advise(ctx: &Context<'_>) -> Advice {
    Advice {
        explanation: advice::explain(ctx),
        summary: advice::summary(ctx),
        retry: advice::retry(ctx),
        visitor_fixes: advice::visitor_fixes(ctx),
        owner_fixes: advice::owner_fixes(ctx),
    }
}

/// Everything advice needs to know, from the findings and the response's `Retry-After`.
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn context<'a>(o: &'a Observation<'_>, f: &'a Findings) -> Context<'a> {
    let header = |name: &str| {
        o.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let (retry_after_seconds, retry_after_date) = match header("retry-after") {
        Some(v) => retry_after(v, header("date")),
        None => (None, None),
    };
    let source = &f.choice.source;
    Context {
        // An error page sent with a 2xx (PHP's fatal error in a 200, a WAF's challenge in a
        // 202): the status says nothing about what failed, so the advice goes by the page.
        status: f.status.code.filter(|&c| c >= 400 || !f.status.is_error),
        source_id: &source.id,
        source_name: &source.name,
        category: source.category,
        // The hop the source occupies; a page no rule claims is the origin's.
        role: f
            .choice
            .rule
            .and_then(|i| RULES.get(i))
            .map_or(Hop::Origin, |r| r.role),
        hop: f.hop,
        facts: &f.facts,
        // As the browser spelled it (Firefox users see Firefox's codes).
        net_error: f
            .status
            .net_error
            .as_deref()
            .map(|e| e.strip_prefix("net::").unwrap_or(e)),
        via: &f.choice.via,
        has_ids: f.ids.iter().any(|i| {
            matches!(
                i.kind.as_str(),
                "ray-id" | "request-id" | "reference" | "trace-id"
            )
        }),
        retry_after_seconds,
        retry_after_date,
        from_log: f.form() == InputForm::Log,
        article: f.prose.is_article(),
        sent_success: o.status.filter(|&c| c < 400 && f.status.is_error),
    }
}

/// `Retry-After`: seconds, or an HTTP date turned into seconds using the
/// `Date` header; a date with no `Date` to compare it with is handed on as written.
fn retry_after<'a>(value: &'a str, date: Option<&str>) -> (Option<u64>, Option<&'a str>) {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return (Some(secs.min(RETRY_AFTER_CAP)), None);
    }
    match (parse_http_date(v), date.and_then(parse_http_date)) {
        // A date in 9999 is as far off as a week: no real schedule either way.
        (Some(at), Some(now)) => (Some(at.saturating_sub(now).min(RETRY_AFTER_CAP)), None),
        (Some(_), None) => (None, Some(v)),
        _ => (None, None),
    }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into seconds since 1970.
fn parse_http_date(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, _] = parts.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u64 + 1;
    let year: u64 = year.parse().ok()?;
    let mut t = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, mi, se) = (t.next()??, t.next()??, t.next()??);
    if !(1970..=9999).contains(&year) || !(1..=31).contains(&day) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from civil date (Howard Hinnant's algorithm).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + mi * 60 + se)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scan::{LogLines, Scan};
    use crate::engine::source::{Choice, source_of};
    use crate::engine::status::Status;
    use crate::engine::testing::{idx, obs};
    use crate::model::{Category, FoundId, Location, Via};
    use crate::rules::Fact;
    use crate::text::PageText;

    fn findings(rule: Option<&str>, form: InputForm, ids: &[&str], net: Option<&str>) -> Findings {
        let source = match rule.and_then(crate::rules::rule) {
            Some(r) => source_of(r, 0.8),
            None => source_of(
                crate::rules::rule("custom").unwrap_or_else(|| unreachable!("custom is a source")),
                0.4,
            ),
        };
        Findings {
            scan: Scan {
                hits: Vec::new(),
                page: PageText::default(),
                form,
                lines: LogLines::new(b"", &[]),
                note: None,
            },
            prose: crate::engine::prose::Prose::default(),
            status: Status {
                code: Some(503),
                inferred: None,
                net_error: net.map(str::to_string),
                net_info: None,
                is_error: true,
                sent_success: false,
            },
            choice: Choice {
                rule: rule.map(idx),
                source,
                via_rules: Vec::new(),
                via: vec![Via {
                    id: "cloudflare".into(),
                    name: "Cloudflare".into(),
                    category: Category::Cdn,
                }],
                note: None,
                possible: None,
            },
            facts: vec![Fact::UpstreamRefused],
            hop: Hop::Origin,
            ids: ids
                .iter()
                .map(|k| FoundId {
                    kind: k.to_string(),
                    label: String::new(),
                    value: "v".into(),
                    location: Location::StatusLine,
                })
                .collect(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn the_context_carries_the_findings() {
        let o = obs(InputForm::Http, Some(503), &[], b"");
        let f = findings(Some("nginx"), InputForm::Http, &["pop", "request-id"], None);
        let ctx = context(&o, &f);
        assert_eq!(
            (ctx.status, ctx.source_id, ctx.source_name, ctx.category),
            (Some(503), "nginx", "nginx", Category::WebServer)
        );
        assert_eq!((ctx.role, ctx.hop), (Hop::Gateway, Hop::Origin));
        assert_eq!(ctx.facts, [Fact::UpstreamRefused]);
        assert_eq!(ctx.via.first().map(|v| v.id.as_str()), Some("cloudflare"));
        assert!(ctx.has_ids && !ctx.from_log);
        assert_eq!(
            (ctx.retry_after_seconds, ctx.retry_after_date),
            (None, None)
        );
    }

    #[test]
    fn the_context_reads_the_rest_off_the_input() {
        let o = obs(
            InputForm::Text,
            None,
            &[("retry-after", " 120 "), ("date", "x")],
            b"",
        );
        let f = findings(
            None,
            InputForm::Log,
            &["pop", "server"],
            Some("net::ERR_FAILED"),
        );
        let ctx = context(&o, &f);
        // A page no rule claims is the origin's; only quotable ids count.
        assert_eq!(
            (ctx.role, ctx.has_ids, ctx.from_log),
            (Hop::Origin, false, true)
        );
        assert_eq!(ctx.net_error, Some("ERR_FAILED"));
        assert_eq!(ctx.retry_after_seconds, Some(120));
        let o = obs(
            InputForm::Http,
            Some(503),
            &[("retry-after", "Sun, 22 Nov 2026 01:05:00 GMT")],
            b"",
        );
        let ctx = context(&o, &f);
        assert_eq!(
            (ctx.retry_after_seconds, ctx.retry_after_date),
            (None, Some("Sun, 22 Nov 2026 01:05:00 GMT"))
        );
    }

    #[test]
    fn http_dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:10 GMT"), Some(10));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            retry_after(
                "Sun, 22 Nov 2026 01:05:00 GMT",
                Some("Sun, 22 Nov 2026 01:00:00 GMT")
            ),
            (Some(300), None)
        );
        assert_eq!(retry_after("120", None), (Some(120), None));
        assert_eq!(retry_after("999999999", None), (Some(7 * 24 * 3600), None));
        // A date far in the future is capped like a number of seconds.
        assert_eq!(
            retry_after(
                "Fri, 31 Dec 9999 23:59:59 GMT",
                Some("Sun, 22 Nov 2026 09:00:00 GMT")
            ),
            (Some(7 * 24 * 3600), None)
        );
        assert_eq!(parse_http_date("garbage"), None);
        assert_eq!(parse_http_date("Sun, 32 Nov 2026 01:05:00 GMT"), None);
    }
}
