//! The diagnosis views, shared by the explainer site and the extension's popup, so the two
//! never drift apart.
//!
//! Every component takes a [`Diagnosis`] (or a part of it) and renders it; none detects
//! anything and none touches a browser API. Actions that need the browser (copying to the
//! clipboard, sharing) are callbacks the front end implements. All text from the input is
//! rendered as text, never as HTML.

mod answer;
mod evidence;
mod facts;
mod fixes;
mod hops;
pub mod report;
pub mod words;

pub use answer::{DiagnosisView, DiagnosisViewProps};
pub use evidence::{EvidenceList, EvidenceListProps, PastedView, PastedViewProps};
pub use facts::{Facts, FactsProps, Ids, IdsProps};
pub use fixes::{FixList, FixListProps, FixTabs, FixTabsProps, RichText, RichTextProps};
pub use hops::{HopDiagram, HopDiagramProps};

pub use culprit_core::Diagnosis;

/// A request to copy `text` to the clipboard; `what` names it for the confirmation
/// ("Ray ID copied").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRequest {
    pub what: String,
    pub text: String,
}
