//! The answer: the status line and the diagnosis of the last input. It owns the home page's
//! state; the paste panel and the gallery reach it through `super::send`.

use super::{Action, Outcome, outcome_of};
use crate::browser;
use culprit_views::{CopyRequest, DiagnosisView, report};
use std::rc::Rc;
use yew::prelude::*;

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
    /// Bumped on each diagnosis, so effects can measure it.
    pub run: u64,
    /// `browser::now_ms()` when the last diagnosis was asked for.
    pub started: f64,
    /// Bring the answer into view once rendered (the input arrived whole).
    pub reveal: bool,
}

impl State {
    /// The first state: the answer to what the paste area held when the app started, if
    /// anything.
    fn initial() -> Self {
        let mut s = Self::default();
        if let Some(early) = super::early() {
            s.show(early.outcome, early.text, early.when, early.started, true);
        }
        s
    }

    fn show(&mut self, outcome: Outcome, text: Rc<str>, when: String, started: f64, reveal: bool) {
        self.outcome = Some(outcome);
        self.input = text;
        self.when = when;
        self.started = started;
        self.reveal = reveal;
        self.share_link = None;
        self.run += 1;
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Diagnose {
                bytes,
                text,
                when,
                started,
                reveal,
            } => s.show(outcome_of(&bytes), text, when, started, reveal),
            Action::Clear => {
                s.outcome = None;
                s.input = Rc::from("");
                s.share_link = None;
            }
            Action::Say(m) => s.message = m,
            Action::Shared(link) => s.share_link = Some(link),
        }
        Rc::new(s)
    }
}

#[function_component(AnswerPanel)]
pub fn answer_panel() -> Html {
    let state = use_reducer(State::initial);
    super::connect(state.dispatcher());

    // After each diagnosis has been rendered: record how long it took, and bring the answer
    // into view when the input arrived whole.
    {
        let run = state.run;
        let started = state.started;
        let reveal = state.reveal;
        use_effect_with(run, move |run| {
            if *run > 0 {
                browser::record_timing(browser::now_ms() - started);
                if reveal {
                    browser::reveal("answer");
                }
            }
        });
    }

    let oncopy = {
        let state = state.dispatcher();
        Callback::from(move |req: CopyRequest| {
            let state = state.clone();
            let what = req.what.clone();
            browser::copy(
                req.text,
                Callback::from(move |r: Result<(), String>| match r {
                    Ok(()) => state.dispatch(Action::Say(format!("{what} copied."))),
                    Err(e) => state.dispatch(Action::Say(e)),
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
                Callback::from(move |_: MouseEvent| {
                    let state = state.clone();
                    let oncopy = oncopy.clone();
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
                            Err(e) => state.dispatch(Action::Say(e)),
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
                    {oncopy} reference_base={Some(AttrValue::from("/"))} {toolbar} />
            }
        }
    };

    html! {
        <>
            <p id="status-message" class="status-message" role="status" aria-live="polite">{ state.message.clone() }</p>
            { answer }
        </>
    }
}
