//! The root component: the layout around the page the path names.

use crate::layout::Layout;
use crate::pages;
use crate::route::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The URL path being shown (`/status/502/`).
    pub path: AttrValue,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let route = Route::parse(&props.path);
    // Effects run once the first render (here: the hydration) is done.
    use_effect_with((), |_| crate::browser::mark_hydrated());
    html! { <Layout route={route.clone()}>{ page(&route) }</Layout> }
}

/// The home page's own build carries only the home page (see `docs/site.md`).
#[cfg(feature = "home-only")]
fn page(route: &Route) -> Html {
    match route {
        Route::Home => html! { <pages::home::Home /> },
        _ => html! {},
    }
}

#[cfg(not(feature = "home-only"))]
fn page(route: &Route) -> Html {
    match route {
        Route::Home => html! { <pages::home::Home /> },
        Route::StatusIndex => html! { <pages::status::StatusIndex /> },
        Route::Status(code) => html! { <pages::status::StatusPage code={*code} /> },
        Route::SourceIndex => html! { <pages::source::SourceIndex /> },
        Route::Source(id) => html! { <pages::source::SourcePage id={*id} /> },
        Route::Compare => html! { <pages::compare::Compare /> },
        Route::Faq => html! { <pages::faq::Faq /> },
        Route::Privacy => html! { <pages::privacy::Privacy /> },
        Route::NotFound => html! { <pages::not_found::NotFound /> },
    }
}
