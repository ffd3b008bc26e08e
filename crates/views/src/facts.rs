//! The facts of a diagnosis: who wrote the page and how sure, the status and its meaning,
//! retry advice; and the identifiers to quote, each with a copy button.

use crate::CopyRequest;
use crate::words::{form_name, retry_name, status_line};
use culprit_core::{Diagnosis, Retry};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FactsProps {
    pub diagnosis: Rc<Diagnosis>,
    /// Where reference pages live (`/` on the site); `None` shows no links.
    #[prop_or_default]
    pub reference_base: Option<AttrValue>,
}

/// Retry advice in one line: what and when.
pub fn retry_line(r: &Retry) -> String {
    let mut s = retry_name(r.advice).to_string();
    if let Some(secs) = r.after_seconds {
        s.push_str(&format!(", in {}", culprit_core::duration_words(secs)));
    } else if let Some(at) = &r.at {
        s.push_str(&format!(", after {at}"));
    }
    if r.from_header {
        s.push_str(" (the site asked for this wait)");
    }
    s
}

fn link(base: &Option<AttrValue>, path: String, text: String) -> Html {
    match base {
        Some(b) => html! { <a href={format!("{}{}", b.trim_end_matches('/'), path)}>{ text }</a> },
        None => html! { { text } },
    }
}

#[function_component(Facts)]
pub fn facts(props: &FactsProps) -> Html {
    let d = &props.diagnosis;
    let base = &props.reference_base;
    let pct = d.source.percent();
    let writer = match d.source.id.as_str() {
        "none" => html! { {"Nobody: this does not look like an error page"} },
        "custom" => html! { {"The site itself (its own error page)"} },
        id => html! {
            <>
                { link(base, format!("/source/{id}/"), d.source.name.clone()) }
                { format!(" ({})", d.source.category.label()) }
            </>
        },
    };
    let status = status_line(d.status, d.status_text.as_deref());
    let meaning = d
        .status
        .and_then(culprit_core::status::info)
        .map(|i| i.meaning)
        .or_else(|| d.status.map(culprit_core::status::class_meaning));
    let net = d.net_error.as_deref();
    let net_meaning = net
        .and_then(culprit_core::neterror::info)
        .map(|i| i.meaning);
    html! {
        <dl class="facts">
            <div>
                <dt>{"Written by"}</dt>
                <dd>{ writer }</dd>
            </div>
            <div>
                <dt>{"Confidence"}</dt>
                <dd>
                    <meter min="0" max="100" low="50" high="80" optimum="100" value={pct.to_string()} aria-label="Confidence">{ format!("{pct}%") }</meter>
                    { format!(" {pct}% sure") }
                </dd>
            </div>
            if let (Some(line), Some(code)) = (status, d.status) {
                <div>
                    <dt>{"Status"}</dt>
                    <dd>
                        <strong>{ link(base, format!("/status/{code}/"), line) }</strong>
                        if d.status_inferred { {" (read off the page)"} }
                        if let Some(m) = meaning { <span class="fact-detail">{ m }</span> }
                    </dd>
                </div>
            }
            if let Some(code) = net {
                <div>
                    <dt>{"Browser error"}</dt>
                    <dd>
                        <code>{ code }</code>
                        if let Some(m) = net_meaning { <span class="fact-detail">{ m }</span> }
                    </dd>
                </div>
            }
            if !d.via.is_empty() {
                <div>
                    <dt>{"Passed through"}</dt>
                    <dd>{ for d.via.iter().enumerate().map(|(i, v)| html! {
                        <>
                            if i > 0 { {", "} }
                            { link(base, format!("/source/{}/", v.id), v.name.clone()) }
                        </>
                    }) }</dd>
                </div>
            }
            <div>
                <dt>{"Retry"}</dt>
                <dd>
                    <strong>{ retry_line(&d.retry) }</strong>
                    <span class="fact-detail">{ d.retry.explanation.clone() }</span>
                </dd>
            </div>
            <div>
                <dt>{"Read as"}</dt>
                <dd>{ form_name(d.input_form) }</dd>
            </div>
            if let Some(url) = &d.url {
                <div>
                    <dt>{"Address"}</dt>
                    <dd><code class="wrap">{ url.clone() }</code></dd>
                </div>
            }
            if !d.other_failures.is_empty() {
                <div>
                    <dt>{"Other failures in the log"}</dt>
                    <dd><ul class="notes">{ for d.other_failures.iter().map(|f| html! { <li>{ f.line() }</li> }) }</ul></dd>
                </div>
            }
            if !d.notes.is_empty() {
                <div>
                    <dt>{"Notes"}</dt>
                    <dd><ul class="notes">{ for d.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul></dd>
                </div>
            }
        </dl>
    }
}

#[derive(Properties, PartialEq)]
pub struct IdsProps {
    pub diagnosis: Rc<Diagnosis>,
    pub oncopy: Callback<CopyRequest>,
}

#[function_component(Ids)]
pub fn ids(props: &IdsProps) -> Html {
    let d = &props.diagnosis;
    if d.ids.is_empty() {
        return html! {
            <p id="ids" class="muted">{"No request or Ray ID was found. If you contact the site, give the page address and the time you saw the error."}</p>
        };
    }
    html! {
        <ul id="ids" class="ids">
            { for d.ids.iter().map(|id| {
                let oncopy = props.oncopy.clone();
                let req = CopyRequest { what: id.label.clone(), text: id.value.clone() };
                let onclick = Callback::from(move |_: MouseEvent| oncopy.emit(req.clone()));
                html! {
                    <li>
                        <span class="id-label">{ id.label.clone() }</span>
                        <code class="id-value">{ id.value.clone() }</code>
                        <button type="button" class="copy" {onclick} aria-label={format!("Copy {}", id.label)}>{"Copy"}</button>
                    </li>
                }
            }) }
        </ul>
    }
}
