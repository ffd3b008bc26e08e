//! The explainer site: paste an error page, see who broke it; a reference page for every
//! status and product the core knows. Pre-rendered at build time (`bin/prerender.rs`,
//! feature `ssr`) and hydrated in the browser (feature `hydrate`). See `docs/site.md`.

pub mod app;
pub mod browser;
pub mod gallery;
pub mod layout;
pub mod pages;
pub mod route;

pub use app::{App, AppProps};
pub use route::Route;

/// Hydrates the page the server sent; the home page's own build starts its page in parts
/// (`pages::home::start`).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    if cfg!(feature = "home-only") {
        pages::home::start();
        return;
    }
    let Some(root) = browser::element("app") else {
        return;
    };
    let props = AppProps {
        path: browser::path().into(),
    };
    yew::Renderer::<App>::with_root_and_props(root, props).hydrate();
}
