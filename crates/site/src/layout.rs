//! The frame around every page: skip link, header with navigation, footer.

use crate::route::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub route: Route,
    pub children: Html,
}

#[function_component(Layout)]
pub fn layout(props: &LayoutProps) -> Html {
    let current = |r: &Route| -> Option<&'static str> {
        let here = match (&props.route, r) {
            (Route::Status(_), Route::StatusIndex) | (Route::Source(_), Route::SourceIndex) => true,
            (a, b) => a == b,
        };
        here.then_some("page")
    };
    let nav = [
        (Route::Home, "Diagnose"),
        (Route::StatusIndex, "Status codes"),
        (Route::SourceIndex, "Products"),
        (Route::Compare, "500 vs 502 vs 503 vs 504"),
        (Route::Faq, "FAQ"),
    ];
    html! {
        <>
            <a class="skip" href="#main">{"Skip to content"}</a>
            <header class="site-header">
                <a class="brand" href="/">
                    // Drawn inline: an <img> of the SVG costs the page an isolated SVG
                    // document, built on the main thread while the app starts.
                    <svg class="brand-mark" viewBox="0 0 512 512" width="28" height="28"
                        aria-hidden="true" focusable="false">
                        <rect width="512" height="512" rx="112" fill="#b3261e" />
                        <rect x="222.72" y="122.88" width="66.56" height="194.56" rx="33.28" fill="#fff" />
                        <circle cx="256" cy="378.88" r="38.4" fill="#fff" />
                    </svg>
                    <span>{"Culprit"}</span>
                </a>
                <nav aria-label="Site">
                    <ul>
                        { for nav.into_iter().map(|(r, label)| html! {
                            <li><a href={r.path()} aria-current={current(&r)}>{ label }</a></li>
                        }) }
                    </ul>
                </nav>
            </header>
            <main id="main" tabindex="-1">{ props.children.clone() }</main>
            <footer class="site-footer">
                <p>{"Culprit runs in your browser: what you paste never leaves this device, and this site loads nothing from anywhere else. "}
                    <a href="/privacy/">{"Privacy"}</a></p>
            </footer>
        </>
    }
}
