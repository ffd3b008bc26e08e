//! Stage 6, evidence: why the answer is what it is. The status, the network error, then the
//! signals of the source and of each via product, each with where it was found.

use super::scan::Scan;
use super::source::Choice;
use super::status::Status;
use crate::input::Observation;
use crate::matcher::Region;
use crate::model::{Evidence, Location};
use crate::rules::{Place, RULES};
use crate::text;

#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn collect(
    o: &Observation<'_>,
    scan: &Scan,
    status: &Status,
    choice: &Choice,
) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    evidence.extend(of_status(o, status));
    evidence.extend(of_net_error(status));
    // A product that may have written the page but is not named shows why it may have.
    let order = choice
        .rule
        .into_iter()
        .chain(choice.possible)
        .chain(choice.via_rules.iter().copied());
    for (ri, rule) in order.filter_map(|i| Some((i, RULES.get(i)?))) {
        for h in scan.hits.iter().filter(|h| h.rule == ri) {
            let location = match (h.region, h.signal.place) {
                (Region::Header(i), _) => Location::Header {
                    name: o.headers.get(i).map(|(n, _)| n.clone()).unwrap_or_default(),
                },
                (_, Place::Title) => Location::Title,
                (_, Place::Log) => Location::Log {
                    line: scan.lines.line(h.at),
                },
                (Region::Text, _) => Location::Text { offset: h.at },
                (Region::Body, _) => Location::Body { offset: h.at },
            };
            evidence.push(Evidence {
                source_id: rule.id.to_string(),
                found: text::shorten(&h.found, 120),
                location,
                meaning: h.signal.meaning.to_string(),
            });
        }
    }
    evidence
}

/// The status: as read off the page, or as sent (with its reason phrase).
fn of_status(o: &Observation<'_>, status: &Status) -> Option<Evidence> {
    let s = status.code?;
    let meaning = crate::status::info(s)
        .map_or_else(|| format!("HTTP status {s}"), |i| i.meaning.to_string());
    let (found, location) = match &status.inferred {
        Some((found, location)) => (found.clone(), location.clone()),
        None => (
            match &o.status_text {
                Some(t) => format!("{s} {t}"),
                None => s.to_string(),
            },
            Location::StatusLine,
        ),
    };
    Some(Evidence {
        source_id: "status".into(),
        found,
        location,
        meaning,
    })
}

fn of_net_error(status: &Status) -> Option<Evidence> {
    let code = status.net_error.as_ref()?;
    let meaning = status
        .net_info
        .map_or("A network error reported by the browser".to_string(), |i| {
            i.meaning.to_string()
        });
    Some(Evidence {
        source_id: "net-error".into(),
        found: code.clone(),
        location: Location::NetError,
        meaning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scan::{Found, LogLines};
    use crate::engine::testing::{found, idx, obs, sig};
    use crate::model::{InputForm, Source};
    use crate::text::PageText;

    fn scan_of(hits: Vec<Found>, body: &[u8]) -> Scan {
        let lines = LogLines::new(body, &hits);
        Scan {
            hits,
            page: PageText::default(),
            form: InputForm::Http,
            lines,
            note: None,
        }
    }

    fn choice(source: Option<&str>, via: &[&str]) -> Choice {
        Choice {
            rule: source.map(idx),
            source: Source {
                id: String::new(),
                name: String::new(),
                category: crate::model::Category::Site,
                confidence: 0.5,
            },
            via_rules: via.iter().map(|v| idx(v)).collect(),
            via: Vec::new(),
            note: None,
            possible: None,
        }
    }

    fn status(
        code: Option<u16>,
        inferred: Option<(String, Location)>,
        net: Option<&str>,
    ) -> Status {
        Status {
            code,
            inferred,
            net_error: net.map(str::to_string),
            net_info: net.and_then(crate::neterror::info),
            is_error: true,
            sent_success: false,
        }
    }

    fn summary(ev: &[Evidence]) -> Vec<(&str, &str, &Location)> {
        ev.iter()
            .map(|e| (e.source_id.as_str(), e.found.as_str(), &e.location))
            .collect()
    }

    #[test]
    fn status_and_network_error_come_first() {
        let mut o = obs(InputForm::Http, Some(502), &[], b"");
        o.status_text = Some("Bad Gateway".into());
        let st = status(Some(502), None, Some("net::ERR_FAILED"));
        let ev = collect(&o, &scan_of(vec![], b""), &st, &choice(None, &[]));
        assert_eq!(
            summary(&ev),
            [
                ("status", "502 Bad Gateway", &Location::StatusLine),
                ("net-error", "net::ERR_FAILED", &Location::NetError),
            ]
        );
        let meaning = crate::status::info(502).map(|i| i.meaning.to_string());
        assert_eq!(ev.first().map(|e| e.meaning.clone()), meaning);
        let odd = collect(
            &o,
            &scan_of(vec![], b""),
            &status(Some(299), None, None),
            &choice(None, &[]),
        );
        assert_eq!(
            odd.first().map(|e| e.meaning.as_str()),
            Some("HTTP status 299")
        );

        let read = status(
            Some(404),
            Some(("404 Not Found".into(), Location::Title)),
            None,
        );
        let ev = collect(&o, &scan_of(vec![], b""), &read, &choice(None, &[]));
        assert_eq!(
            summary(&ev),
            [("status", "404 Not Found", &Location::Title)]
        );
        let none = status(None, None, None);
        assert!(collect(&o, &scan_of(vec![], b""), &none, &choice(None, &[])).is_empty());
    }

    #[test]
    fn the_source_s_signals_then_each_via_s_with_where_they_were_found() {
        let o = obs(
            InputForm::Http,
            None,
            &[("server", "x"), ("cf-ray", "y")],
            b"",
        );
        let header = sig(Place::Header, 50);
        let title = sig(Place::Title, 50);
        let log = sig(Place::Log, 50);
        let text = sig(Place::Text, 50);
        let body = sig(Place::Body, 50);
        let hits = vec![
            found("cloudflare", header, 1, Region::Header(1)),
            found("haproxy", text, 3, Region::Text),
            found("nginx", body, 7, Region::Body),
            found("nginx", title, 2, Region::Body),
            found("nginx", log, 4, Region::Body),
            found("nginx", text, 5, Region::Text),
            found("varnish", header, 9, Region::Header(9)),
        ];
        let scan = scan_of(hits, b"a\nb\nc");
        let ev = collect(
            &o,
            &scan,
            &status(None, None, None),
            &choice(Some("nginx"), &["cloudflare", "varnish"]),
        );
        let header = |name: &str| Location::Header { name: name.into() };
        assert_eq!(
            summary(&ev),
            [
                ("nginx", "pattern", &Location::Body { offset: 7 }),
                ("nginx", "pattern", &Location::Title),
                ("nginx", "pattern", &Location::Log { line: 3 }),
                ("nginx", "pattern", &Location::Text { offset: 5 }),
                ("cloudflare", "pattern", &header("cf-ray")),
                ("varnish", "pattern", &header("")),
            ]
        );
    }
}
