//! The page for paths that do not exist.

use yew::prelude::*;

#[function_component(NotFound)]
pub fn not_found() -> Html {
    html! {
        <article class="reference">
            <h1>{"Page not found"}</h1>
            <p class="lead">{"There is no page at this address. Fittingly, this is a 404 written by the site itself."}</p>
            <ul>
                <li><a href="/">{"Diagnose an error page"}</a></li>
                <li><a href="/status/">{"All status codes"}</a></li>
                <li><a href="/source/">{"All products"}</a></li>
            </ul>
        </article>
    }
}
