//! The diagnose page: one big paste area, the answer, and the example gallery.
//!
//! The page is three Yew roots, not one: the paste panel ([`PasteInput`]), the answer
//! ([`AnswerPanel`]) and the gallery ([`Gallery`]). The answer owns the state (a reducer
//! with an [`Action`] enum); the paste panel and the gallery send it actions through
//! [`send`]. Pre-rendered, the three sit in one page like any other; in the home page's own
//! build, [`start`] brings them to life one by one, the answer first: text pasted before the
//! app started is diagnosed and answered before the controls around it are hydrated, so the
//! person waits for the answer only (`docs/site.md`, "Start-up").

mod answer;
mod gallery;
mod input;

pub use answer::{AnswerPanel, State};
pub use gallery::Gallery;
pub use input::PasteInput;

use crate::browser;
use culprit_core::Diagnosis;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// How long typing must pause before the input is diagnosed.
pub const DEBOUNCE_MS: u32 = 150;

/// The ids of the three roots' host elements.
pub const INPUT_ROOT: &str = "home-input";
pub const ANSWER_ROOT: &str = "home-answer";
pub const GALLERY_ROOT: &str = "home-gallery";

/// What came of the last input.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Diagnosed(Rc<Diagnosis>),
    Unreadable(String),
}

/// The core's answer for what was pasted.
fn outcome_of(bytes: &[u8]) -> Outcome {
    match culprit_core::diagnose(bytes) {
        Ok(d) => Outcome::Diagnosed(Rc::new(d)),
        Err(e) => Outcome::Unreadable(e.to_string()),
    }
}

/// What the paste panel and the gallery tell the answer.
pub enum Action {
    /// Diagnose this input: bytes as given, text for the highlighted view.
    Diagnose {
        bytes: Rc<[u8]>,
        text: Rc<str>,
        /// When it was asked for (the report's time) and `browser::now_ms()` then.
        when: String,
        started: f64,
        /// The input arrived whole (a paste, a file, an example): bring the answer into view.
        reveal: bool,
    },
    Clear,
    /// A message for the polite status line.
    Say(String),
    /// A share link was made for the input shown.
    Shared(String),
}

thread_local! {
    static ANSWER: RefCell<Option<UseReducerDispatcher<State>>> = const { RefCell::new(None) };
    static QUEUED: RefCell<Vec<Action>> = const { RefCell::new(Vec::new()) };
    static EARLY: RefCell<Option<Early>> = const { RefCell::new(None) };
}

/// Connects the answer's reducer; actions sent before it existed are delivered now.
fn connect(answer: UseReducerDispatcher<State>) {
    let queued = QUEUED.with(|q| std::mem::take(&mut *q.borrow_mut()));
    for a in queued {
        answer.dispatch(a);
    }
    ANSWER.with(|s| *s.borrow_mut() = Some(answer));
}

/// Hands `action` to the answer (kept until the answer exists).
pub fn send(action: Action) {
    let answer = ANSWER.with(|s| s.borrow().clone());
    match answer {
        Some(a) => a.dispatch(action),
        None => QUEUED.with(|q| q.borrow_mut().push(action)),
    }
}

/// Diagnoses an input (an empty one clears the answer).
pub fn diagnose(bytes: Rc<[u8]>, text: Rc<str>, reveal: bool) {
    if text.trim().is_empty() && bytes.iter().all(|b| b.is_ascii_whitespace()) {
        send(Action::Clear);
        return;
    }
    send(Action::Diagnose {
        bytes,
        text,
        when: browser::now_utc(),
        started: browser::now_ms(),
        reveal,
    });
}

/// Puts `text` in the paste area and diagnoses `bytes` (a file's bytes, or the text's).
pub fn load(bytes: Rc<[u8]>, text: String) {
    browser::set_paste_text(&text);
    diagnose(bytes, Rc::from(text), true);
}

/// Puts `text` in the paste area and diagnoses it.
pub fn load_text(text: String) {
    let bytes: Rc<[u8]> = Rc::from(text.as_bytes());
    load(bytes, text);
}

/// Shows `message` in the polite status line.
pub fn say(message: String) {
    send(Action::Say(message));
}

/// A diagnosis of what the paste area held when the app started.
#[derive(Clone)]
pub struct Early {
    pub text: Rc<str>,
    pub outcome: Outcome,
    pub started: f64,
    pub when: String,
}

/// Diagnoses the paste area's text as the app starts; the answer's first state is made of
/// it ([`early`]).
#[cfg(feature = "hydrate")]
fn diagnose_early(text: String) {
    if text.trim().is_empty() {
        return;
    }
    let started = browser::now_ms();
    let when = browser::now_utc();
    let outcome = outcome_of(text.as_bytes());
    EARLY.with(|e| {
        *e.borrow_mut() = Some(Early {
            text: Rc::from(text),
            outcome,
            started,
            when,
        })
    });
}

/// The diagnosis made as the app started, if any.
fn early() -> Option<Early> {
    EARLY.with(|e| e.borrow().clone())
}

/// True when the answer was made, as the app started, of exactly `text`.
fn answered_at_start(text: &str) -> bool {
    EARLY.with(|e| e.borrow().as_ref().is_some_and(|e| *e.text == *text))
}

/// Starts the home page in its own build: diagnoses what is already in the paste area,
/// renders the answer in place of the pre-rendered one, then (in a task of its own, once the
/// answer is on screen) hydrates the paste panel and the gallery.
#[cfg(feature = "hydrate")]
pub fn start() {
    if let Some(text) = browser::paste_area_text() {
        diagnose_early(text);
    }
    if let Some(host) = browser::element(ANSWER_ROOT) {
        // The pre-rendered answer area (its placeholder) gives way to the live one.
        host.set_inner_html("");
        yew::Renderer::<AnswerPanel>::with_root(host).render();
    }
    gloo_timers::callback::Timeout::new(0, || {
        if let Some(host) = browser::element(INPUT_ROOT) {
            yew::Renderer::<PasteInput>::with_root(host).hydrate();
        }
        if let Some(host) = browser::element(GALLERY_ROOT) {
            yew::Renderer::<Gallery>::with_root(host).hydrate();
        }
    })
    .forget();
}

#[function_component(Home)]
pub fn home() -> Html {
    html! {
        <div class="home">
            <section class="intro">
                <h1>{"Who broke this page?"}</h1>
                <p class="lead">{"Paste the error page you are looking at. Culprit names the product that wrote it, the hop that failed, and what you can do, in your browser, without sending anything anywhere."}</p>
            </section>
            <div id={INPUT_ROOT}><PasteInput /></div>
            <div id={ANSWER_ROOT}><AnswerPanel /></div>
            <div id={GALLERY_ROOT}><Gallery /></div>
        </div>
    }
}
