//! Matching and scoring: observation -> diagnosis.
use crate::input::Observation;
use crate::model::*;

pub fn diagnose(o: &Observation<'_>) -> Diagnosis {
    let _ = (crate::matcher::placeholder, crate::ids::placeholder, crate::text::placeholder);
    Diagnosis {
        input_form: o.form,
        status: o.status,
        status_text: o.status_text.clone(),
        status_inferred: false,
        net_error: o.net_error.clone(),
        url: o.url.clone(),
        source: Source { id: "none".into(), name: "Not an error page".into(), category: Category::None, confidence: 0.0 },
        via: vec![],
        failing_hop: FailingHop { hop: Hop::Unknown, explanation: String::new() },
        summary: String::new(),
        evidence: vec![],
        ids: vec![],
        retry: Retry { advice: RetryAdvice::No, after_seconds: None, at: None, from_header: false, explanation: String::new() },
        visitor_fixes: vec![],
        owner_fixes: vec![],
        notes: o.notes.clone(),
    }
}
