//! Reading input: detects the form and normalises it into an [`Observation`].

use crate::error::InputError;
use crate::model::InputForm;
use serde::{Deserialize, Serialize};

/// One response header as a browser reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderPair {
    pub name: String,
    pub value: String,
}

/// What a browser front end saw: a response, or a network error before any response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrowserObservation {
    pub url: Option<String>,
    pub status: Option<u16>,
    pub status_text: Option<String>,
    pub headers: Vec<HeaderPair>,
    /// The page's HTML or text, when the front end could read it.
    pub body: Option<String>,
    /// A network error code such as `net::ERR_NAME_NOT_RESOLVED` or `NS_ERROR_UNKNOWN_HOST`.
    pub net_error: Option<String>,
    /// `chrome` or `firefox`, when known.
    pub browser: Option<String>,
}

/// The normalised observation every form is turned into.
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    pub form: InputForm,
    pub status: Option<u16>,
    pub status_text: Option<String>,
    /// Lower-cased names, values as sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes (HTML, text or log lines).
    pub body: std::borrow::Cow<'a, [u8]>,
    pub net_error: Option<String>,
    pub browser: Option<String>,
    pub url: Option<String>,
    pub notes: Vec<String>,
}

pub fn read(_input: &[u8]) -> Result<Observation<'_>, InputError> {
    Err(InputError::Empty)
}

pub fn from_browser(o: &BrowserObservation) -> Observation<'_> {
    Observation {
        form: InputForm::Observation,
        status: o.status,
        status_text: o.status_text.clone(),
        headers: o.headers.iter().map(|h| (h.name.to_ascii_lowercase(), h.value.clone())).collect(),
        body: std::borrow::Cow::Borrowed(o.body.as_deref().unwrap_or_default().as_bytes()),
        net_error: o.net_error.clone(),
        browser: o.browser.clone(),
        url: o.url.clone(),
        notes: Vec::new(),
    }
}
