//! Questions people ask when a site fails, answered briefly.

use yew::prelude::*;

const QA: &[(&str, &str, &[&str])] = &[
    (
        "my-fault",
        "Is it my fault?",
        &[
            "Almost never for a 5xx status: those say a server failed. The exceptions are rare: a browser extension that breaks requests, a very old browser, a stale cache, or cookies that have grown too large (which usually gives a 400 or 431, not a 5xx).",
            "Network errors shown by your browser itself (\"This site can't be reached\", DNS errors) can be on your side: your Wi-Fi, your DNS resolver, a VPN or a firewall. Culprit tells the two apart.",
        ],
    ),
    (
        "hacked",
        "Does an error page mean the site was hacked?",
        &[
            "No. Error pages come from overload, crashes, deployments and configuration mistakes far more often than from attacks. A flood of traffic (including a denial-of-service attack) can overload a server and cause 502, 503 or 504 errors, but that is not a break-in and does not put your account at risk.",
        ],
    ),
    (
        "how-long",
        "How long will it last?",
        &[
            "Most 502 and 504 errors clear within seconds to minutes, as an app restarts or a traffic spike passes. Planned maintenance (503) usually says when it ends, and a Retry-After header gives the exact wait. Errors caused by a broken configuration or an expired certificate last until someone fixes them, which can be hours.",
            "Retry with growing pauses (10 seconds, 30 seconds, a minute, then several minutes) rather than hammering reload: an overloaded server recovers faster when it is left alone.",
        ],
    ),
    (
        "vpn",
        "Will a VPN or another network help?",
        &[
            "Only when the problem is between you and the site: your provider's routing, a regional block, a DNS resolver that gives a wrong answer, or a firewall rule that blocks your address. Switching to mobile data or a VPN is a quick test for that. For a server-side 5xx (the site's server is down or overloaded) it makes no difference.",
        ],
    ),
    (
        "seo",
        "Do errors hurt search ranking?",
        &[
            "A short outage does not. Search engines retry pages that answer 5xx, and a 503 with Retry-After tells them the outage is planned. Pages that keep failing for days can be dropped from the index until they work again, so owners should fix long or repeated outages quickly and use 503 (not 200 or 404) for maintenance.",
        ],
    ),
    (
        "own-page",
        "What does \"the site's own page\" mean?",
        &[
            "The error page was not written by a CDN, proxy or server product Culprit knows, but by the website itself (a styled \"Oops\" page, a framework's error page). The failure is then usually in the site's own application.",
        ],
    ),
    (
        "privacy",
        "Does Culprit send what I paste anywhere?",
        &[
            "No. The diagnosis runs in your browser, compiled to WebAssembly. Nothing you paste, drop or open is uploaded, and the site loads nothing from any other server. Share links keep the text after the # in the address, which browsers never send to a server.",
        ],
    ),
];

#[function_component(Faq)]
pub fn faq() -> Html {
    html! {
        <article class="reference">
            <h1>{"Website errors: your questions"}</h1>
            <p class="lead">{"Short, honest answers to what people ask when a page fails."}</p>
            { for QA.iter().map(|(id, q, answers)| html! {
                <section id={*id} class="qa">
                    <h2>{ *q }</h2>
                    { for answers.iter().map(|a| html! { <p>{ *a }</p> }) }
                </section>
            }) }
            <p>{"More: "}<a href="/compare/500-502-503-504/">{"how 500, 502, 503 and 504 differ"}</a>{", and "}<a href="/status/">{"every status code"}</a>{"."}</p>
        </article>
    }
}
