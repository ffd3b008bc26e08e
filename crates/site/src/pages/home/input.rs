//! The paste panel: the paste area (uncontrolled: a paste of megabytes is never copied back
//! into the DOM; input is diagnosed after a short debounce), a chosen or dropped file, the
//! clipboard button and Clear.

use super::{DEBOUNCE_MS, answered_at_start, diagnose, load, load_text, say, send};
use crate::browser;
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Reads `file` and diagnoses its bytes.
fn open_file(file: web_sys::File) {
    let name = file.name();
    browser::read_file(
        file,
        Callback::from(move |r: Result<Vec<u8>, String>| match r {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                load(Rc::from(bytes), text);
                say(format!("Read {name}."));
            }
            Err(e) => say(e),
        }),
    );
}

#[function_component(PasteInput)]
pub fn paste_input() -> Html {
    let area = use_node_ref();
    let timer = use_mut_ref(|| None::<Timeout>);
    let can_read_clipboard = use_state(|| false);
    let dragging = use_state(|| false);

    // Set by a paste or a drop, which arrive whole: their answer is brought into view once
    // rendered. Typing does not move the page.
    let whole = use_mut_ref(|| false);

    let oninput = {
        let area = area.clone();
        let timer = timer.clone();
        Callback::from(move |e: InputEvent| {
            if matches!(
                e.input_type().as_str(),
                "insertFromPaste" | "insertFromDrop"
            ) {
                *whole.borrow_mut() = true;
            }
            let area = area.clone();
            let whole = whole.clone();
            let t = Timeout::new(DEBOUNCE_MS, move || {
                if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                    let text = a.value();
                    let bytes: Rc<[u8]> = Rc::from(text.as_bytes());
                    diagnose(
                        bytes,
                        Rc::from(text),
                        std::mem::take(&mut *whole.borrow_mut()),
                    );
                }
            });
            // Dropping the previous timeout cancels it.
            *timer.borrow_mut() = Some(t);
        })
    };

    // On start (the app starts on the first interaction, see boot.js): focus the paste
    // area, offer the clipboard button, then take whatever is already there: a shared
    // link's text, a file dropped while the app was starting, or text typed or pasted that
    // the answer does not show yet.
    {
        let area = area.clone();
        let can_read_clipboard = can_read_clipboard.clone();
        use_effect_with((), move |_| {
            let typed = area
                .cast::<HtmlTextAreaElement>()
                .map(|a| a.value())
                .unwrap_or_default();
            // `autofocus` has normally done this already (focusing again would force a layout
            // of whatever was pasted meanwhile); and the app, which starts on the first
            // interaction, must not take the focus from what the person has just focused.
            if let Some(a) = area.cast::<web_sys::HtmlElement>()
                && browser::nothing_focused()
            {
                let _ = a.focus();
            }
            if browser::clipboard_readable() {
                can_read_clipboard.set(true);
            }
            let shared =
                browser::shared_text(Callback::from(move |r: Result<String, String>| match r {
                    Ok(text) => {
                        load_text(text);
                        say("Opened the text from the shared link.".into());
                    }
                    Err(e) => say(e),
                }));
            if shared {
                return;
            }
            match browser::take_pending() {
                Some(browser::Pending::File(f)) => open_file(f),
                Some(browser::Pending::Text(t)) => load_text(t),
                None if answered_at_start(&typed) => {}
                None if !typed.trim().is_empty() => {
                    let bytes: Rc<[u8]> = Rc::from(typed.as_bytes());
                    diagnose(bytes, Rc::from(typed), true);
                }
                None => {
                    // A fresh wasm instance compiles each function of the core on its first
                    // call: have that done now, while the person is still reaching for the
                    // page to paste.
                    Timeout::new(0, || {
                        let _ = culprit_core::diagnose(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                    })
                    .forget();
                }
            }
        });
    }

    let onchange = Callback::from(move |e: Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            open_file(f);
        }
        input.set_value("");
    });
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(dt) = e.data_transfer() else { return };
            if let Some(f) = dt.files().and_then(|l| l.get(0)) {
                open_file(f);
            } else if let Ok(text) = dt.get_data("text/plain")
                && !text.is_empty()
            {
                load_text(text);
            }
        })
    };
    let onpasteclip = Callback::from(move |_: MouseEvent| {
        browser::read_clipboard(Callback::from(|r: Result<String, String>| match r {
            Ok(t) if t.is_empty() => say("The clipboard holds no text.".into()),
            Ok(t) => load_text(t),
            Err(e) => say(e),
        }));
    });
    let onclear = {
        let area = area.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                a.set_value("");
                let _ = a.focus();
            }
            send(super::Action::Clear);
        })
    };

    html! {
        <section id="paste-panel" class={classes!("paste-panel", dragging.then_some("dragging"))}
            {ondragover} {ondragleave} {ondrop} aria-label="Your input">
            <label for="paste" class="paste-label">{"Paste the page's text, its HTML, "}<code>{"curl -i"}</code>{" output, a HAR file or log lines"}</label>
            <textarea id="paste" ref={area} {oninput} autofocus=true spellcheck="false"
                autocomplete="off" rows="10" data-debounce-ms={DEBOUNCE_MS.to_string()}
                placeholder={"502 Bad Gateway\nnginx"} />
            <div class="paste-actions">
                <button type="button" id="paste-clipboard" class="button" hidden={!*can_read_clipboard} onclick={onpasteclip}>{"Paste from clipboard"}</button>
                <label for="file" class="button file-button">{"Choose a file"}</label>
                <input id="file" type="file" class="visually-hidden" accept=".html,.htm,.txt,.http,.har,.log,text/*" {onchange} />
                <span class="muted drop-hint">{"or drop one here (.html, .txt, .http, .har, .log)"}</span>
                <button type="button" class="button button-quiet" onclick={onclear}>{"Clear"}</button>
            </div>
        </section>
    }
}
