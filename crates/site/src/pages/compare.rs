//! "500 vs 502 vs 503 vs 504": the four statuses people confuse, side by side. Meanings,
//! failing hops and retry advice come from the core; the guidance around them is ours.

use culprit_core::{reference, status};
use culprit_views::words::{hop_name, retry_name};
use yew::prelude::*;

/// What each status says about the path, in one line, and what usually causes it.
const ROWS: &[(u16, &str, &str)] = &[
    (
        500,
        "The server that ran the page crashed on this request.",
        "A bug, a failed deploy, a database error, a full disk.",
    ),
    (
        502,
        "A gateway in front of the site got no usable answer from the server behind it.",
        "The app server is down or restarting, refused the connection, or sent garbage.",
    ),
    (
        503,
        "The server is up but refuses work for now.",
        "Overload, maintenance, no healthy server left in the pool.",
    ),
    (
        504,
        "A gateway waited for the server behind it and gave up.",
        "A slow query, a hung app, a firewall silently dropping the connection.",
    ),
];

#[function_component(Compare)]
pub fn compare() -> Html {
    html! {
        <article class="reference">
            <h1>{"500 vs 502 vs 503 vs 504"}</h1>
            <p class="lead">{"All four say a server failed, not you. What differs is which server, and that decides whether waiting helps and who has to act."}</p>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{"Status"}</th>
                            <th scope="col">{"What it says"}</th>
                            <th scope="col">{"Usually failed"}</th>
                            <th scope="col">{"Typical causes"}</th>
                            <th scope="col">{"Retry?"}</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for ROWS.iter().map(|(code, says, causes)| {
                            let reason = status::reason(*code).unwrap_or_default();
                            let typical = reference::typical("custom", Some(*code), None);
                            html! {
                                <tr>
                                    <th scope="row"><a href={format!("/status/{code}/")}>{ format!("{code} {reason}") }</a></th>
                                    <td>{ *says }</td>
                                    <td>{ typical.as_ref().map_or("not known", |d| hop_name(d.failing_hop.hop)) }</td>
                                    <td>{ *causes }</td>
                                    <td>{ typical.as_ref().map_or("", |d| retry_name(d.retry.advice)) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            <h2>{"The one question that separates them"}</h2>
            <p>{"Did the page come from the server that runs the site, or from something in front of it? A 500 is the site's own server admitting it failed. A 502, 503 or 504 is usually written by a gateway (a CDN such as Cloudflare, a load balancer, or nginx in front of the app) about the server behind it. That is why the same outage can show a CDN's page on one day and a plain nginx page on another."}</p>
            <h2>{"How to tell them apart on screen"}</h2>
            <ul>
                <li><strong>{"500"}</strong>{": often the site's own styled page (\"Something went wrong\"), or a framework's error page. Reloading rarely helps until the owner fixes the bug."}</li>
                <li><strong>{"502"}</strong>{": short pages that name the gateway, like nginx's one-liner or Cloudflare's page with a Ray ID. Often gone within seconds when an app restarts."}</li>
                <li><strong>{"503"}</strong>{": maintenance notices, \"Service Unavailable\", sometimes with a Retry-After header saying when to come back."}</li>
                <li><strong>{"504"}</strong>{": \"Gateway Time-out\" after a long wait. The request may still have gone through on the server: check before you submit a form or a payment again."}</li>
            </ul>
            <h2>{"What to do"}</h2>
            <p>{"As a visitor: wait and retry with growing pauses for 502, 503 and 504; for a 500, retrying the same thing seldom helps, so tell the site with the time and any request ID. As the site's owner: for 502 and 504 look at the gateway's error log first (it names the reason), for 503 at capacity and health checks, for 500 at the application's own log."}</p>
            <p class="cta"><a href="/">{"Paste the page you see"}</a>{" and Culprit says which of these it is and who wrote it."}</p>
        </article>
    }
}
