//! The diagnose page: one big paste area, the answer, and the example gallery.
//!
//! State is a reducer with an [`Action`] enum. The textarea is uncontrolled (a paste of
//! megabytes is never copied back into the DOM); input is diagnosed after a short debounce.

use crate::browser;
use crate::gallery::EXAMPLES;
use culprit_core::Diagnosis;
use culprit_views::{CopyRequest, DiagnosisView, report};
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// How long typing must pause before the input is diagnosed.
pub const DEBOUNCE_MS: u32 = 150;

/// What came of the last input.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Diagnosed(Rc<Diagnosis>),
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// The text shown in the highlighted view (files are decoded leniently).
    pub input: Rc<str>,
    pub outcome: Option<Outcome>,
    /// When the diagnosis was made, for the report.
    pub when: String,
    /// What the last copy, share or load did (announced politely).
    pub message: String,
    pub share_link: Option<String>,
    pub can_read_clipboard: bool,
    /// Bumped on each diagnosis, so effects can measure it.
    pub run: u64,
}

pub enum Action {
    Diagnose {
        bytes: Rc<[u8]>,
        text: Rc<str>,
        when: String,
    },
    /// A diagnosis made before the app started ([`diagnose_early`]).
    Show {
        outcome: Outcome,
        text: Rc<str>,
        when: String,
    },
    Clear,
    Say(String),
    Shared(String),
    ClipboardReadable,
}

impl State {
    fn show(&mut self, outcome: Outcome, text: Rc<str>, when: String) {
        self.outcome = Some(outcome);
        self.input = text;
        self.when = when;
        self.share_link = None;
        self.run += 1;
    }
}

/// The core's answer for what was pasted.
fn outcome_of(bytes: &[u8]) -> Outcome {
    match culprit_core::diagnose(bytes) {
        Ok(d) => Outcome::Diagnosed(Rc::new(d)),
        Err(e) => Outcome::Unreadable(e.to_string()),
    }
}

/// A diagnosis of the paste area's text made as the app starts, before the page is hydrated.
struct Early {
    text: String,
    outcome: Outcome,
    started: f64,
    when: String,
}

thread_local! {
    static EARLY: std::cell::RefCell<Option<Early>> = const { std::cell::RefCell::new(None) };
}

/// Diagnoses `text` (what the paste area held when the app started) before the page is
/// hydrated; the page's start-up effect then shows the answer without computing it.
///
/// Why before: Yew yields to the browser once a slice of its work passes 16 ms. Hydrating
/// is one such slice; the effects that follow are the next. With the diagnosis inside the
/// effects, that slice too ran past 16 ms, so the answer waited for one more yield (and
/// paint).
pub fn diagnose_early(text: String) {
    if text.trim().is_empty() {
        return;
    }
    let started = browser::now_ms();
    let when = browser::now_utc();
    let outcome = outcome_of(text.as_bytes());
    EARLY.with(|e| {
        *e.borrow_mut() = Some(Early {
            text,
            outcome,
            started,
            when,
        })
    });
}

/// The early diagnosis, when it was made of exactly `text`.
fn take_early(text: &str) -> Option<Early> {
    EARLY
        .with(|e| e.borrow_mut().take())
        .filter(|e| e.text == text)
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Diagnose { bytes, text, when } => s.show(outcome_of(&bytes), text, when),
            Action::Show {
                outcome,
                text,
                when,
            } => s.show(outcome, text, when),
            Action::Clear => {
                s.outcome = None;
                s.input = Rc::from("");
                s.share_link = None;
            }
            Action::Say(m) => s.message = m,
            Action::Shared(link) => s.share_link = Some(link),
            Action::ClipboardReadable => s.can_read_clipboard = true,
        }
        Rc::new(s)
    }
}

#[function_component(Home)]
pub fn home() -> Html {
    let state = use_reducer(State::default);
    let area = use_node_ref();
    let timer = use_mut_ref(|| None::<Timeout>);
    let started = use_mut_ref(|| 0.0_f64);
    // Set when the input arrived whole (a paste, a file, an example): the answer is then
    // brought into view once rendered. Typing does not move the page.
    let reveal = use_mut_ref(|| false);

    // Diagnose now: bytes as given, text for the view.
    let diagnose = {
        let state = state.dispatcher();
        let started = started.clone();
        Callback::from(move |(bytes, text): (Rc<[u8]>, Rc<str>)| {
            if text.trim().is_empty() && bytes.iter().all(|b| b.is_ascii_whitespace()) {
                state.dispatch(Action::Clear);
                return;
            }
            *started.borrow_mut() = browser::now_ms();
            state.dispatch(Action::Diagnose {
                bytes,
                text,
                when: browser::now_utc(),
            });
        })
    };
    // Put text in the paste area and diagnose it.
    let load = {
        let area = area.clone();
        let diagnose = diagnose.clone();
        let reveal = reveal.clone();
        Callback::from(move |(bytes, text): (Rc<[u8]>, String)| {
            *reveal.borrow_mut() = true;
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                a.set_value(&text);
            }
            diagnose.emit((bytes, Rc::from(text)));
        })
    };
    let load_text = {
        let load = load.clone();
        Callback::from(move |text: String| {
            let bytes: Rc<[u8]> = Rc::from(text.as_bytes());
            load.emit((bytes, text));
        })
    };
    let say = {
        let state = state.dispatcher();
        Callback::from(move |m: String| state.dispatch(Action::Say(m)))
    };

    // After each diagnosis has been rendered: record how long it took.
    {
        let started = started.clone();
        let reveal = reveal.clone();
        use_effect_with(state.run, move |run| {
            if *run > 0 {
                browser::record_timing(browser::now_ms() - *started.borrow());
                if std::mem::take(&mut *reveal.borrow_mut()) {
                    browser::reveal("answer");
                }
            }
        });
    }

    let oninput = {
        let area = area.clone();
        let timer = timer.clone();
        let diagnose = diagnose.clone();
        let reveal = reveal.clone();
        Callback::from(move |e: InputEvent| {
            if matches!(
                e.input_type().as_str(),
                "insertFromPaste" | "insertFromDrop"
            ) {
                *reveal.borrow_mut() = true;
            }
            let area = area.clone();
            let diagnose = diagnose.clone();
            let t = Timeout::new(DEBOUNCE_MS, move || {
                if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                    let text = a.value();
                    let bytes: Rc<[u8]> = Rc::from(text.as_bytes());
                    diagnose.emit((bytes, Rc::from(text)));
                }
            });
            // Dropping the previous timeout cancels it.
            *timer.borrow_mut() = Some(t);
        })
    };

    let open_file = {
        let load = load.clone();
        let say = say.clone();
        Rc::new(move |file: web_sys::File| {
            let name = file.name();
            let load = load.clone();
            let say = say.clone();
            browser::read_file(
                file,
                Callback::from(move |r: Result<Vec<u8>, String>| match r {
                    Ok(bytes) => {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        load.emit((Rc::from(bytes), text));
                        say.emit(format!("Read {name}."));
                    }
                    Err(e) => say.emit(e),
                }),
            );
        })
    };
    // On start (the app starts on the first interaction, see boot.js): focus the paste
    // area, offer the clipboard button, then take whatever is already there: a shared
    // link's text, a file dropped while the app was starting, or text pasted meanwhile.
    {
        let area = area.clone();
        let state = state.dispatcher();
        let load_text = load_text.clone();
        let say = say.clone();
        let open_file = open_file.clone();
        let diagnose = diagnose.clone();
        let started = started.clone();
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
                state.dispatch(Action::ClipboardReadable);
            }
            let shared = {
                let load_text = load_text.clone();
                browser::shared_text(Callback::from(move |r: Result<String, String>| match r {
                    Ok(text) => {
                        load_text.emit(text);
                        say.emit("Opened the text from the shared link.".into());
                    }
                    Err(e) => say.emit(e),
                }))
            };
            if shared {
                return;
            }
            match browser::take_pending() {
                Some(browser::Pending::File(f)) => open_file(f),
                Some(browser::Pending::Text(t)) => load_text.emit(t),
                None if !typed.trim().is_empty() => {
                    *reveal.borrow_mut() = true;
                    if let Some(early) = take_early(&typed) {
                        *started.borrow_mut() = early.started;
                        state.dispatch(Action::Show {
                            outcome: early.outcome,
                            text: Rc::from(early.text),
                            when: early.when,
                        });
                    } else {
                        let bytes: Rc<[u8]> = Rc::from(typed.as_bytes());
                        diagnose.emit((bytes, Rc::from(typed)));
                    }
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
    let onchange = {
        let open_file = open_file.clone();
        Callback::from(move |e: Event| {
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
        })
    };
    let dragging = use_state(|| false);
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
        let open_file = open_file.clone();
        let load_text = load_text.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(dt) = e.data_transfer() else { return };
            if let Some(f) = dt.files().and_then(|l| l.get(0)) {
                open_file(f);
            } else if let Ok(text) = dt.get_data("text/plain")
                && !text.is_empty()
            {
                load_text.emit(text);
            }
        })
    };
    let onpasteclip = {
        let load_text = load_text.clone();
        let say = say.clone();
        Callback::from(move |_: MouseEvent| {
            let load_text = load_text.clone();
            let say = say.clone();
            browser::read_clipboard(Callback::from(move |r: Result<String, String>| match r {
                Ok(t) if t.is_empty() => say.emit("The clipboard holds no text.".into()),
                Ok(t) => load_text.emit(t),
                Err(e) => say.emit(e),
            }));
        })
    };
    let onclear = {
        let area = area.clone();
        let state = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                a.set_value("");
                let _ = a.focus();
            }
            state.dispatch(Action::Clear);
        })
    };
    let oncopy = {
        let say = say.clone();
        Callback::from(move |req: CopyRequest| {
            let say = say.clone();
            let what = req.what.clone();
            browser::copy(
                req.text,
                Callback::from(move |r: Result<(), String>| match r {
                    Ok(()) => say.emit(format!("{what} copied.")),
                    Err(e) => say.emit(e),
                }),
            );
        })
    };
    let onexample = {
        let load_text = load_text.clone();
        let say = say.clone();
        Callback::from(move |name: &'static str| {
            let load_text = load_text.clone();
            let say = say.clone();
            browser::fetch_text(
                format!("/examples/{name}.txt"),
                Callback::from(move |r: Result<String, String>| match r {
                    Ok(t) => load_text.emit(t),
                    Err(e) => say.emit(e),
                }),
            );
        })
    };

    let answer = match &state.outcome {
        None => html! {
            <p class="placeholder">{"The answer appears here as soon as you paste. Try one of the examples below if you have nothing at hand."}</p>
        },
        Some(Outcome::Unreadable(e)) => html! {
            <p id="input-error" class="input-error" role="alert">{ e.clone() }</p>
        },
        Some(Outcome::Diagnosed(d)) => {
            let oncopyreport = {
                let oncopy = oncopy.clone();
                let d = d.clone();
                let when = state.when.clone();
                // Written on the click: the first answer is not kept waiting for it.
                Callback::from(move |_: MouseEvent| {
                    oncopy.emit(CopyRequest {
                        what: "Report".into(),
                        text: report::markdown(&d, &when),
                    })
                })
            };
            let onshare = {
                let input = state.input.clone();
                let state = state.dispatcher();
                let oncopy = oncopy.clone();
                let say = say.clone();
                Callback::from(move |_: MouseEvent| {
                    let state = state.clone();
                    let oncopy = oncopy.clone();
                    let say = say.clone();
                    browser::share_link(
                        input.to_string(),
                        Callback::from(move |r: Result<String, String>| match r {
                            Ok(link) => {
                                state.dispatch(Action::Shared(link.clone()));
                                oncopy.emit(CopyRequest {
                                    what: "Link".into(),
                                    text: link,
                                });
                            }
                            Err(e) => say.emit(e),
                        }),
                    );
                })
            };
            let toolbar = html! {
                <div class="toolbar">
                    <button type="button" id="copy-report" class="button" onclick={oncopyreport}>{"Copy report"}</button>
                    <button type="button" id="share" class="button" onclick={onshare}>{"Share"}</button>
                    if let Some(link) = &state.share_link {
                        <label class="share-link">
                            <span>{"Link (the text travels after the #, which is never sent to a server):"}</span>
                            <input id="share-link" type="text" readonly=true value={link.clone()} />
                        </label>
                    }
                </div>
            };
            html! {
                <DiagnosisView diagnosis={d.clone()} input={Some(state.input.clone())}
                    oncopy={oncopy.clone()} reference_base={Some(AttrValue::from("/"))} {toolbar} />
            }
        }
    };

    html! {
        <div class="home">
            <section class="intro">
                <h1>{"Who broke this page?"}</h1>
                <p class="lead">{"Paste the error page you are looking at. Culprit names the product that wrote it, the hop that failed, and what you can do, in your browser, without sending anything anywhere."}</p>
            </section>
            <section id="paste-panel" class={classes!("paste-panel", dragging.then_some("dragging"))}
                {ondragover} {ondragleave} {ondrop} aria-label="Your input">
                <label for="paste" class="paste-label">{"Paste the page's text, its HTML, "}<code>{"curl -i"}</code>{" output, a HAR file or log lines"}</label>
                <textarea id="paste" ref={area} {oninput} autofocus=true spellcheck="false"
                    autocomplete="off" rows="10" data-debounce-ms={DEBOUNCE_MS.to_string()}
                    placeholder={"502 Bad Gateway\nnginx"} />
                <div class="paste-actions">
                    <button type="button" id="paste-clipboard" class="button" hidden={!state.can_read_clipboard} onclick={onpasteclip}>{"Paste from clipboard"}</button>
                    <label for="file" class="button file-button">{"Choose a file"}</label>
                    <input id="file" type="file" class="visually-hidden" accept=".html,.htm,.txt,.http,.har,.log,text/*" {onchange} />
                    <span class="muted drop-hint">{"or drop one here (.html, .txt, .http, .har, .log)"}</span>
                    <button type="button" class="button button-quiet" onclick={onclear}>{"Clear"}</button>
                </div>
            </section>
            <p id="status-message" class="status-message" role="status" aria-live="polite">{ state.message.clone() }</p>
            { answer }
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
        </div>
    }
}
