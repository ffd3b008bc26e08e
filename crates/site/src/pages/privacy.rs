//! What the site does with what you paste: nothing leaves the device.

use yew::prelude::*;

#[function_component(Privacy)]
pub fn privacy() -> Html {
    html! {
        <article class="reference">
            <h1>{"Privacy"}</h1>
            <p class="lead">{"Everything happens on your device."}</p>
            <ul>
                <li>{"What you paste, drop or open is read by code running in your browser (Rust compiled to WebAssembly). It is never uploaded."}</li>
                <li>{"The site loads nothing from other servers: no fonts, scripts, images or analytics from anywhere else. Its Content-Security-Policy forbids it."}</li>
                <li>{"A share link carries your text inside the link itself, after the #. Browsers do not send that part to any server; whoever you give the link to can read the text, so share it only with people who may see it."}</li>
                <li>{"After your first visit the site works offline: your browser keeps a copy of its files. No cookies are set."}</li>
            </ul>
        </article>
    }
}
