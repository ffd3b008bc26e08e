//! Reference pages for statuses: the index, and one page per status the core knows, built
//! from the core's own status table, rules and advice.

use super::use_copy;
use culprit_core::{reference, status};
use culprit_views::words::{hop_name, retry_name};
use culprit_views::{FixTabs, HopDiagram};
use std::rc::Rc;
use yew::prelude::*;

fn class_name(code: u16) -> &'static str {
    match code / 100 {
        2 => "Success (2xx)",
        3 => "Redirect (3xx)",
        4 => "Client error (4xx): the server blames the request",
        5 => "Server error (5xx): a server failed",
        _ => "Other",
    }
}

#[function_component(StatusIndex)]
pub fn status_index() -> Html {
    let group = |lo: u16, hi: u16, title: &'static str| {
        html! {
            <section>
                <h2>{ title }</h2>
                <ul class="code-list">
                    { for status::all().into_iter().filter(|s| s.code >= lo && s.code <= hi).map(|s| html! {
                        <li>
                            <a href={format!("/status/{}/", s.code)}><strong>{ s.code }</strong>{ format!(" {}", s.reason) }</a>
                            if let Some(v) = s.vendor {
                                <span class="tag">{ format!("{} only", vendor_name(v)) }</span>
                            }
                            <span class="code-meaning">{ s.meaning }</span>
                        </li>
                    }) }
                </ul>
            </section>
        }
    };
    html! {
        <article class="reference">
            <h1>{"HTTP status codes, explained"}</h1>
            <p class="lead">{"Every status Culprit knows: the registered ones, and the codes that products such as Cloudflare, nginx and AWS made up for themselves. Each page says whose fault the status usually is and what you can do about it."}</p>
            { group(500, 599, "Server errors (5xx)") }
            { group(400, 499, "Client errors (4xx)") }
            { group(100, 399, "Not errors") }
        </article>
    }
}

/// A vendor's display name: its rule's name, or the few vendors without a rule.
pub fn vendor_name(v: &str) -> String {
    match culprit_core::rules::rule(v) {
        Some(r) => r.name.to_string(),
        None => match v {
            "cpanel" => "cPanel hosting".to_string(),
            "proxy" => "some proxies".to_string(),
            other => other.to_string(),
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusPageProps {
    pub code: u16,
}

#[function_component(StatusPage)]
pub fn status_page(props: &StatusPageProps) -> Html {
    let (oncopy, message) = use_copy();
    let code = props.code;
    let Some(info) = status::info(code) else {
        return html! { <super::not_found::NotFound /> };
    };
    // Who writes it: a vendor code's own product, else the site itself.
    let writer = info
        .vendor
        .filter(|v| culprit_core::rules::rule(v).is_some())
        .unwrap_or("custom");
    let typical = reference::typical(writer, Some(code), None).map(Rc::new);
    let writers = reference::sources_of(code);
    let statuses = status::all();
    let idx = statuses.iter().position(|s| s.code == code);
    let prev = idx
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| statuses.get(i).copied());
    let next = idx.and_then(|i| statuses.get(i + 1).copied());
    html! {
        <article class="reference">
            <p class="kicker">{ class_name(code) }</p>
            <h1>{ format!("{code} {}", info.reason) }</h1>
            <p class="lead">{ info.meaning }</p>
            if let Some(v) = info.vendor {
                <p>{ format!("Not part of the HTTP standard: a code used by {} for its own purpose.", vendor_name(v)) }
                    if culprit_core::rules::rule(v).is_some() {
                        {" "}<a href={format!("/source/{v}/")}>{ format!("More about {}", vendor_name(v)) }</a>
                    }
                </p>
            }
            if (500..=504).contains(&code) {
                <p><a href="/compare/500-502-503-504/">{"How 500, 502, 503 and 504 differ"}</a></p>
            }
            if let Some(d) = &typical {
                if code >= 400 {
                    <h2>{"Whose fault is it usually?"}</h2>
                    <p>{ format!("Usually {}.", hop_name(d.failing_hop.hop)) }</p>
                    if status::gateway_answer(code) {
                        <HopDiagram diagnosis={d.clone()} show_writer={false} generic_gateway={true}
                            caption={Some(AttrValue::from(format!("Usually a gateway in front of the site (a CDN, a proxy such as nginx, or a load balancer) writes the {code} page about the server behind it, which is where the failure is.")))} />
                    } else {
                        <HopDiagram diagnosis={d.clone()} show_writer={false} />
                    }
                    <h2>{"Will retrying help?"}</h2>
                    <p><strong>{ retry_name(d.retry.advice) }
                        if let Some(s) = d.retry.after_seconds { { format!(", in about {}", culprit_core::duration_words(s)) } }
                        {"."}</strong>{" "}{ d.retry.explanation.clone() }</p>
                    <h2>{"What you can do"}</h2>
                    <FixTabs visitor={Rc::new(d.visitor_fixes.clone())} owner={Rc::new(d.owner_fixes.clone())} oncopy={oncopy} />
                    <p id="status-message" class="status-message" role="status" aria-live="polite">{ (*message).clone() }</p>
                }
            }
            if !writers.is_empty() {
                <h2>{"Products that write this status"}</h2>
                <ul class="chips">
                    { for writers.iter().map(|r| html! {
                        <li><a href={format!("/source/{}/", r.id)}>{ r.name }</a></li>
                    }) }
                </ul>
            }
            <p class="cta">{"Seeing it right now? "}<a href="/">{"Paste the page to find out who wrote it"}</a>{"."}</p>
            <nav class="prev-next" aria-label="Other statuses">
                if let Some(p) = prev { <a href={format!("/status/{}/", p.code)} rel="prev">{ format!("← {} {}", p.code, p.reason) }</a> }
                <a href="/status/">{"All statuses"}</a>
                if let Some(n) = next { <a href={format!("/status/{}/", n.code)} rel="next">{ format!("{} {} →", n.code, n.reason) }</a> }
            </nav>
        </article>
    }
}
