//! The example gallery: one click loads a realistic page of a main product into the paste
//! area (the pages themselves are `crate::gallery::EXAMPLES`, fetched on the click).

use super::{load_text, say};
use crate::browser;
use crate::gallery::EXAMPLES;
use yew::prelude::*;

#[function_component(Gallery)]
pub fn gallery() -> Html {
    // The gallery is the last of the home page's roots to be hydrated (`super::start`), and
    // effects run once every render queued with them is done: from here on every control of
    // the page listens. (A whole-page hydration marks the page in `App` as well.)
    use_effect_with((), |_| browser::mark_hydrated());
    let onexample = Callback::from(|name: &'static str| {
        browser::fetch_text(
            format!("/examples/{name}.txt"),
            Callback::from(|r: Result<String, String>| match r {
                Ok(t) => load_text(t),
                Err(e) => say(e),
            }),
        );
    });
    html! {
        <section class="gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">{"Try an example"}</h2>
            <ul class="examples">
                { for EXAMPLES.iter().map(|ex| {
                    let onexample = onexample.clone();
                    let name = ex.name;
                    html! {
                        <li>
                            <button type="button" class="example" data-example={ex.name}
                                onclick={Callback::from(move |_: MouseEvent| onexample.emit(name))}>
                                <span class="example-label">{ ex.label }</span>
                                <span class="example-kind">{ ex.kind }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
