//! The fixes: two tabs, "I'm visiting this site" and "I run this site". Commands and
//! config lines (the backticked parts of a fix) get copy buttons in the owner view.

use crate::CopyRequest;
use crate::words::code_spans;
use culprit_core::Fix;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RichTextProps {
    pub text: AttrValue,
    /// When set, each code part gets a copy button.
    #[prop_or_default]
    pub oncopy: Option<Callback<CopyRequest>>,
}

/// A sentence whose backticked parts are code.
#[function_component(RichText)]
pub fn rich_text(props: &RichTextProps) -> Html {
    html! {
        <>
            { for code_spans(&props.text).into_iter().map(|(code, part)| {
                if !code {
                    return html! { { part.to_string() } };
                }
                match &props.oncopy {
                    Some(cb) if part.len() > 3 => {
                        let cb = cb.clone();
                        let req = CopyRequest { what: "Command".into(), text: part.to_string() };
                        let onclick = Callback::from(move |_: MouseEvent| cb.emit(req.clone()));
                        html! {
                            <span class="cmd">
                                <code>{ part.to_string() }</code>
                                <button type="button" class="copy copy-small" {onclick} aria-label={format!("Copy {part}")}>{"Copy"}</button>
                            </span>
                        }
                    }
                    _ => html! { <code>{ part.to_string() }</code> },
                }
            }) }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct FixListProps {
    pub fixes: Rc<Vec<Fix>>,
    #[prop_or_default]
    pub oncopy: Option<Callback<CopyRequest>>,
    /// Rendered after a fix's text, by id (the extension's one-click actions).
    #[prop_or_default]
    pub actions: Option<Callback<String, Html>>,
}

#[function_component(FixList)]
pub fn fix_list(props: &FixListProps) -> Html {
    html! {
        <ol class="fixes">
            { for props.fixes.iter().map(|f| html! {
                <li data-fix={f.id.clone()}>
                    <strong class="fix-title">{ f.title.clone() }</strong>
                    <p class="fix-detail"><RichText text={f.detail.clone()} oncopy={props.oncopy.clone()} /></p>
                    if let Some(a) = &props.actions { { a.emit(f.id.clone()) } }
                </li>
            }) }
        </ol>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Visitor,
    Owner,
}

#[derive(Properties, PartialEq)]
pub struct FixTabsProps {
    pub visitor: Rc<Vec<Fix>>,
    pub owner: Rc<Vec<Fix>>,
    pub oncopy: Callback<CopyRequest>,
    #[prop_or_default]
    pub visitor_actions: Option<Callback<String, Html>>,
}

#[function_component(FixTabs)]
pub fn fix_tabs(props: &FixTabsProps) -> Html {
    let tab = use_state(|| Tab::Visitor);
    let select = |t: Tab| {
        let tab = tab.clone();
        Callback::from(move |_: MouseEvent| tab.set(t))
    };
    // Arrow keys move between the two tabs, as in any tab list.
    let onkeydown = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowLeft" | "ArrowRight" | "Home" | "End" => {
                e.prevent_default();
                let next = match (e.key().as_str(), *tab) {
                    ("Home", _) => Tab::Visitor,
                    ("End", _) => Tab::Owner,
                    (_, Tab::Visitor) => Tab::Owner,
                    (_, Tab::Owner) => Tab::Visitor,
                };
                tab.set(next);
            }
            _ => {}
        })
    };
    let is = |t: Tab| *tab == t;
    let tab_button = |t: Tab, id: &'static str, panel: &'static str, label: &'static str| {
        html! {
            <button type="button" role="tab" id={id} aria-controls={panel}
                aria-selected={is(t).to_string()} tabindex={if is(t) { "0" } else { "-1" }}
                class={classes!("tab", is(t).then_some("active"))} onclick={select(t)}>
                { label }
            </button>
        }
    };
    html! {
        <div class="tabs">
            <div role="tablist" aria-label="What you can do" class="tablist" onkeydown={onkeydown}>
                { tab_button(Tab::Visitor, "tab-visitor", "panel-visitor", "I'm visiting this site") }
                { tab_button(Tab::Owner, "tab-owner", "panel-owner", "I run this site") }
            </div>
            <div role="tabpanel" id="panel-visitor" aria-labelledby="tab-visitor" hidden={!is(Tab::Visitor)} tabindex="0" data-title="I'm visiting this site">
                if props.visitor.is_empty() {
                    <p class="muted">{"There is nothing you need to do."}</p>
                } else {
                    <FixList fixes={props.visitor.clone()} actions={props.visitor_actions.clone()} />
                }
            </div>
            <div role="tabpanel" id="panel-owner" aria-labelledby="tab-owner" hidden={!is(Tab::Owner)} tabindex="0" data-title="I run this site">
                if props.owner.is_empty() {
                    <p class="muted">{"Nothing here points at the site's setup."}</p>
                } else {
                    <FixList fixes={props.owner.clone()} oncopy={Some(props.oncopy.clone())} />
                }
            </div>
        </div>
    }
}
