//! Every binding of the extension's Rust to the browser, in one place: messages to the
//! background worker, the clipboard, the popup's own address, the clock.
//!
//! The popup needs only `runtime.sendMessage` of the extension APIs (the background worker,
//! in `static/background.js`, performs every browser action), so these few extern lines
//! replace a bindings crate such as `web-extensions-sys`.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `chrome.runtime.sendMessage(message)`: a promise of the background's answer (Chrome
    /// and Firefox both return promises in Manifest V3).
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = sendMessage)]
    async fn send_message(message: JsValue) -> Result<JsValue, JsValue>;
}

/// A JavaScript error as a sentence.
fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}

use wasm_bindgen::JsCast;

/// Sends `request` to the background worker and returns its JSON answer.
pub async fn request(request: &serde_json::Value) -> Result<serde_json::Value, String> {
    let value = js_sys::JSON::parse(&request.to_string()).map_err(|e| message(&e))?;
    let answer = send_message(value).await.map_err(|e| message(&e))?;
    if answer.is_undefined() || answer.is_null() {
        return Err("the background worker did not answer".to_string());
    }
    let text = js_sys::JSON::stringify(&answer)
        .map(String::from)
        .map_err(|e| message(&e))?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Puts `text` on the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| message(&e))
}

/// The tab the popup is about when its address names one (`popup.html?tab=12`, used when the
/// popup is opened as a page); `None` means the active tab.
pub fn tab_param() -> Option<i64> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("tab="))
        .and_then(|v| v.parse().ok())
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A time (milliseconds since the epoch) in UTC.
pub fn utc(ms: f64) -> String {
    let iso = String::from(js_sys::Date::new(&JsValue::from_f64(ms)).to_iso_string());
    match (iso.get(0..10), iso.get(11..19)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => iso,
    }
}

/// The element the popup renders into.
pub fn root() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    document
        .get_element_by_id("app")
        .or_else(|| document.body().map(Into::into))
}

/// Whether the "also cookies" box is ticked.
pub fn checked(id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}
