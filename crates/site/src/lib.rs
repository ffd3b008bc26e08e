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

/// Hydrates the page the server sent.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    // Text pasted before the app started is diagnosed before hydrating (see
    // `diagnose_early`); a shared link or a dropped file, which the page takes first, leaves
    // it unused.
    if let Some(text) = browser::paste_area_text() {
        pages::home::diagnose_early(text);
    }
    let props = AppProps {
        path: browser::path().into(),
    };
    yew::Renderer::<App>::with_root_and_props(root, props).hydrate();
}
