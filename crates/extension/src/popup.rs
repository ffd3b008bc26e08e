//! The popup: the diagnosis of the current tab with the shared views, and the visitor's
//! fixes as one-click actions (carried out by the background worker).
//!
//! DOM contract (tests and people's automation): `#no-failure` when the tab has no failure;
//! otherwise `#answer` (the shared view), `#actions` with `button[data-action=...]`
//! (`retry`, `auto-retry`, `stop-retry`, `clear-cache`, `private-window`, `down-checker`),
//! `#countdown` while auto-retry waits, `#action-result` (`role=status`) after an action,
//! `#copy-url` when a private window was refused, `#network-help`, `#history`.

use crate::browser;
use culprit_core::Diagnosis;
use culprit_views::{CopyRequest, DiagnosisView, report};
use gloo_timers::callback::Interval;
use serde::Deserialize;
use serde_json::json;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The auto-retry schedule of a tab, as the background keeps it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
struct RetryState {
    attempt: u32,
    next_at: Option<f64>,
    started_at: f64,
    /// `waiting`, `retrying`, `gave-up`, `recovered`.
    state: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
struct RecentOk {
    host: String,
    at: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
struct HistoryEntry {
    time: f64,
    url: String,
    status: Option<u16>,
    net_error: Option<String>,
    source: String,
    summary: String,
    recovered: Option<f64>,
}

/// What the background worker says about a tab.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
struct TabState {
    tab_id: Option<i64>,
    url: Option<String>,
    host: Option<String>,
    diagnosis: Option<Diagnosis>,
    diagnosed_at: f64,
    retry: Option<RetryState>,
    browser: String,
    os: String,
    online: bool,
    recent_ok: Vec<RecentOk>,
    subresource_failures: u32,
    history: Vec<HistoryEntry>,
    history_notice: Option<String>,
}

/// An action's outcome, shown under the buttons.
#[derive(Debug, Clone, Default, PartialEq)]
struct Outcome {
    message: String,
    /// The address to copy when a private window was refused.
    copy_url: Option<String>,
}

pub fn start() {
    if let Some(root) = browser::root() {
        yew::Renderer::<Popup>::with_root(root).render();
    }
}

async fn load(tab: Option<i64>) -> Result<TabState, String> {
    let answer = browser::request(&json!({ "type": "popup-state", "tab_id": tab })).await?;
    serde_json::from_value(answer).map_err(|e| format!("unreadable state: {e}"))
}

fn flush_dns(os: &str) -> Option<&'static str> {
    match os {
        "win" => Some("ipconfig /flushdns"),
        "mac" => Some("sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder"),
        "linux" | "openbsd" => Some("resolvectl flush-caches"),
        _ => None,
    }
}

fn ago(now: f64, then: f64) -> String {
    let secs = ((now - then) / 1000.0).max(0.0).round() as u64;
    if secs < 90 {
        format!("{secs} s ago")
    } else if secs < 90 * 60 {
        format!("{} min ago", secs / 60)
    } else {
        format!("{} h ago", secs / 3600)
    }
}

#[function_component(Popup)]
fn popup() -> Html {
    let tab = use_memo((), |_| browser::tab_param());
    let state = use_state(|| None::<Rc<TabState>>);
    let diagnosis = use_state(|| None::<(f64, Rc<Diagnosis>)>);
    let error = use_state(|| None::<String>);
    let outcome = use_state(Outcome::default);
    let copied = use_state(String::new);
    let refresh = use_state(|| 0u32);

    {
        let (state, diagnosis, error) = (state.clone(), diagnosis.clone(), error.clone());
        let tab = *tab;
        use_effect_with(*refresh, move |_| {
            let fetch = move || {
                let (state, diagnosis, error) = (state.clone(), diagnosis.clone(), error.clone());
                spawn_local(async move {
                    match load(tab).await {
                        Ok(mut s) => {
                            // The views keep their own state (the open tab): hand them a new
                            // diagnosis only when there is one.
                            match s.diagnosis.take() {
                                Some(d) => {
                                    let fresh = (*diagnosis)
                                        .as_ref()
                                        .is_none_or(|(at, _)| *at != s.diagnosed_at);
                                    if fresh {
                                        diagnosis.set(Some((s.diagnosed_at, Rc::new(d))));
                                    }
                                }
                                None => {
                                    if diagnosis.is_some() {
                                        diagnosis.set(None);
                                    }
                                }
                            }
                            error.set(None);
                            state.set(Some(Rc::new(s)));
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            };
            fetch();
            let interval = Interval::new(1000, fetch);
            move || drop(interval)
        });
    }

    let oncopy = {
        let copied = copied.clone();
        Callback::from(move |req: CopyRequest| {
            let copied = copied.clone();
            spawn_local(async move {
                match browser::copy(&req.text).await {
                    Ok(()) => copied.set(format!("{} copied", req.what)),
                    Err(e) => copied.set(format!("Could not copy: {e}")),
                }
            });
        })
    };

    let Some(s) = (*state).clone() else {
        return html! {
            <main class="popup">
                <h1 class="brand">{"Culprit"}</h1>
                if let Some(e) = &*error {
                    <p id="popup-error" role="alert">{ format!("Cannot reach the extension's background: {e}") }</p>
                } else {
                    <p class="muted">{"Loading…"}</p>
                }
            </main>
        };
    };

    let act = {
        let (outcome, refresh) = (outcome.clone(), refresh.clone());
        let tab_id = s.tab_id;
        move |kind: &'static str| {
            let (outcome, refresh) = (outcome.clone(), refresh.clone());
            Callback::from(move |_: MouseEvent| {
                let (outcome, refresh) = (outcome.clone(), refresh.clone());
                let cookies = browser::checked("clear-cookies");
                spawn_local(async move {
                    let answer = browser::request(&json!({
                        "type": kind, "tab_id": tab_id, "cookies": cookies,
                    }))
                    .await;
                    let next = match answer {
                        Ok(a) => Outcome {
                            message: a["message"].as_str().unwrap_or("Done.").to_string(),
                            copy_url: a["copy_url"].as_str().map(str::to_string),
                        },
                        Err(e) => Outcome {
                            message: format!("That did not work: {e}"),
                            copy_url: None,
                        },
                    };
                    outcome.set(next);
                    refresh.set(*refresh + 1);
                });
            })
        }
    };

    let now = browser::now_ms();
    let firefox = s.browser == "firefox";
    let retry = s.retry.clone().unwrap_or_default();
    let waiting = s.retry.is_some() && matches!(retry.state.as_str(), "waiting" | "retrying");
    let countdown = match (waiting, retry.next_at) {
        (true, Some(at)) => {
            let secs = ((at - now) / 1000.0).ceil().max(0.0);
            html! { <p id="countdown" class="countdown" data-seconds={secs.to_string()}>
                { format!("Auto-retry {}: next try in {secs} s.", retry.attempt + 1) }
            </p> }
        }
        (true, None) => {
            html! { <p id="countdown" class="countdown">{"Auto-retry: trying now…"}</p> }
        }
        _ => match retry.state.as_str() {
            "gave-up" => {
                html! { <p id="countdown" class="countdown">{"Auto-retry gave up: the site did not come back within the schedule."}</p> }
            }
            _ => html! {},
        },
    };

    let report_button = match &*diagnosis {
        Some((at, d)) => {
            let (d, oncopy, at) = (d.clone(), oncopy.clone(), *at);
            let onclick = Callback::from(move |_: MouseEvent| {
                oncopy.emit(CopyRequest {
                    what: "Report".to_string(),
                    text: report::markdown(&d, &browser::utc(at)),
                });
            });
            html! { <button type="button" id="copy-report" class="copy" {onclick}>{"Copy report"}</button> }
        }
        None => html! {},
    };

    let clear_label = if firefox {
        "Clear the cache (all sites: Firefox cannot clear one site's cache), then reload"
    } else {
        "Clear this site's cache, then reload"
    };
    let actions = html! {
        <section id="actions" class="actions" aria-label="Fix it">
            <div class="row">
                <button type="button" data-action="retry" onclick={act("retry")}>{"Retry now"}</button>
                if waiting {
                    <button type="button" data-action="stop-retry" onclick={act("auto-retry-stop")}>{"Stop auto-retry"}</button>
                } else {
                    <button type="button" data-action="auto-retry" onclick={act("auto-retry-start")}>{"Auto-retry"}</button>
                }
                { report_button }
            </div>
            { countdown }
            <details class="more">
                <summary>{"More fixes"}</summary>
                <div class="row">
                    <button type="button" data-action="clear-cache" onclick={act("clear-cache")}>{ clear_label }</button>
                </div>
                <label class="warn"><input type="checkbox" id="clear-cookies" />
                    {" also this site's cookies (this signs you out of it)"}</label>
                <div class="row">
                    <button type="button" data-action="private-window" onclick={act("private-window")}>{"Open in a private window"}</button>
                    <button type="button" data-action="down-checker" onclick={act("down-checker")}
                        title="Opens a down-checker site for this host in a new tab">{"Is it just me?"}</button>
                </div>
            </details>
            if !outcome.message.is_empty() {
                <p id="action-result" role="status">{ outcome.message.clone() }</p>
            }
            if let Some(url) = &outcome.copy_url {
                <button type="button" id="copy-url" class="copy" onclick={{
                    let (oncopy, url) = (oncopy.clone(), url.clone());
                    Callback::from(move |_: MouseEvent| oncopy.emit(CopyRequest { what: "Address".into(), text: url.clone() }))
                }}>{"Copy the address"}</button>
            }
            if !copied.is_empty() {
                <p id="copied" role="status" class="muted">{ (*copied).clone() }</p>
            }
        </section>
    };

    // A small button after the fixes the core lists that have a one-click action here.
    let visitor_actions = {
        let act = act.clone();
        Callback::from(move |id: String| {
            let kind = match id.as_str() {
                "retry" => "retry",
                "auto-retry" | "wait" => "auto-retry-start",
                "clear-site-cache" | "clear-cookies" => "clear-cache",
                "private-window" => "private-window",
                "check-down-for-everyone" => "down-checker",
                _ => return html! {},
            };
            html! { <button type="button" class="fix-action" data-fix-action={kind} onclick={act(kind)}>{"Do it"}</button> }
        })
    };

    let network_help = {
        let command = flush_dns(&s.os);
        let others: Vec<&RecentOk> = s
            .recent_ok
            .iter()
            .filter(|r| Some(&r.host) != s.host.as_ref())
            .take(3)
            .collect();
        html! {
            <details id="network-help" class="more">
                <summary>{"Switch network"}</summary>
                <p id="online">{ if s.online { "The browser says it is online." } else { "The browser says it is offline: check Wi-Fi or the cable first." } }</p>
                if others.is_empty() {
                    <p id="other-sites">{"No other site loaded lately in this browser (as far as Culprit saw)."}</p>
                } else {
                    <p id="other-sites">{ format!("Other sites loaded lately: {}. Your connection works; the problem is more likely on this site's side or its route.",
                        others.iter().map(|r| format!("{} ({})", r.host, ago(now, r.at))).collect::<Vec<_>>().join(", ")) }</p>
                }
                <ul>
                    if let Some(cmd) = command {
                        <li>{"Flush this computer's DNS cache: "}<code class="cmd">{ cmd }</code>{" "}
                            <button type="button" class="copy copy-small" onclick={{
                                let oncopy = oncopy.clone();
                                Callback::from(move |_: MouseEvent| oncopy.emit(CopyRequest { what: "Command".into(), text: cmd.to_string() }))
                            }}>{"Copy"}</button></li>
                    }
                    <li>{"Try mobile data (a phone hotspot) or turn a VPN on or off: if the site loads there, the problem is your network's route or DNS."}</li>
                    <li>{"Restart the router: unplug it for 30 seconds."}</li>
                </ul>
            </details>
        }
    };

    let history = html! {
        <details id="history" class="more">
            <summary>{ format!("Failures of this site ({})", s.history.len()) }</summary>
            if let Some(notice) = &s.history_notice {
                <p id="history-notice" role="status">{ notice.clone() }</p>
            }
            if s.history.is_empty() {
                <p class="muted">{"None recorded."}</p>
            } else {
                <ol class="history">
                    { for s.history.iter().rev().take(20).map(|h| html! {
                        <li>
                            { browser::utc(h.time) }{": "}
                            <strong>{ h.status.map(|c| c.to_string()).or_else(|| h.net_error.clone()).unwrap_or_default() }</strong>
                            { format!(" by {}", h.source) }
                            { match h.recovered { Some(r) => format!(", back {}", ago(r, h.time).replace(" ago", " later")), None => String::new() } }
                            <span class="muted history-summary">{ format!(" — {}", h.summary) }</span>
                            <span class="sr-only">{ h.url.clone() }</span>
                        </li>
                    }) }
                </ol>
            }
            <p><a href="options.html" target="_blank">{"All sites, export and options"}</a></p>
        </details>
    };

    html! {
        <main class="popup">
            <h1 class="brand">{"Culprit"}<span class="host muted">{ s.host.clone().unwrap_or_default() }</span></h1>
            if let Some((_, d)) = &*diagnosis {
                { actions }
                <DiagnosisView diagnosis={d.clone()} oncopy={oncopy.clone()} visitor_actions={Some(visitor_actions)} />
                if s.subresource_failures > 0 {
                    <p id="subresources" class="muted">{ format!("This page's own requests (API calls) failed {} time(s) with a server error.", s.subresource_failures) }</p>
                }
                { network_help }
            } else {
                <p id="no-failure">{"No failure seen on this tab."}</p>
                if s.subresource_failures > 0 {
                    <p id="subresources" class="muted">{ format!("The page loaded, but its own requests (API calls) failed {} time(s) with a server error.", s.subresource_failures) }</p>
                }
            }
            { history }
        </main>
    }
}
