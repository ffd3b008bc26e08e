//! The whole answer: the plain sentence first, then the hop diagram, the facts, the IDs,
//! the fixes and the evidence.

use crate::{CopyRequest, EvidenceList, Facts, FixTabs, HopDiagram, Ids, PastedView};
use culprit_core::Diagnosis;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosisViewProps {
    pub diagnosis: Rc<Diagnosis>,
    /// The pasted text, for the highlighted view; `None` hides that view (the extension).
    #[prop_or_default]
    pub input: Option<Rc<str>>,
    pub oncopy: Callback<CopyRequest>,
    /// Where reference pages live, for links from the facts.
    #[prop_or_default]
    pub reference_base: Option<AttrValue>,
    /// Buttons shown under the sentence (copy report, share...), owned by the front end.
    #[prop_or_default]
    pub toolbar: Html,
    #[prop_or_default]
    pub visitor_actions: Option<Callback<String, Html>>,
}

#[function_component(DiagnosisView)]
pub fn diagnosis_view(props: &DiagnosisViewProps) -> Html {
    let d = &props.diagnosis;
    let visitor = use_memo(d.clone(), |d| d.visitor_fixes.clone());
    let owner = use_memo(d.clone(), |d| d.owner_fixes.clone());
    let status = d.status.map(|s| s.to_string()).unwrap_or_default();
    html! {
        <section id="answer" class="answer" aria-labelledby="summary"
            data-source-id={d.source.id.clone()}
            data-status={status}
            data-failing-hop={d.failing_hop.hop.as_str()}
            data-input-form={d.input_form.as_str()}>
            <h2 id="summary" class="summary">{ d.summary.clone() }</h2>
            { props.toolbar.clone() }
            <HopDiagram diagnosis={d.clone()} />
            <Facts diagnosis={d.clone()} reference_base={props.reference_base.clone()} />
            <h3>{"Identifiers to quote"}</h3>
            <Ids diagnosis={d.clone()} oncopy={props.oncopy.clone()} />
            <h3>{"What you can do"}</h3>
            <FixTabs visitor={visitor} owner={owner} oncopy={props.oncopy.clone()} visitor_actions={props.visitor_actions.clone()} />
            <h3>{"Evidence"}</h3>
            <EvidenceList diagnosis={d.clone()} />
            if let Some(input) = &props.input {
                <details class="pasted-details" open=true>
                    <summary>{"Where it was found in your input"}</summary>
                    <PastedView diagnosis={d.clone()} input={input.clone()} />
                </details>
            }
        </section>
    }
}
