//! Every binding of the site to the browser, in one place: clipboard, files, fetch, the
//! URL fragment, share-link compression, timing. Nothing here runs during pre-rendering
//! (it is only called from event handlers and effects).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use yew::Callback;

#[wasm_bindgen(module = "/js/share.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn deflate(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn inflate(data: &str) -> Result<JsValue, JsValue>;
}

/// A JavaScript error as a sentence.
fn message(e: &JsValue, fallback: &str) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// Milliseconds since the page started loading.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The current time in UTC, e.g. `2026-11-27 12:34:56 UTC`.
pub fn now_utc() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    match (iso.get(0..10), iso.get(11..19)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => iso,
    }
}

/// Records how long the last diagnosis took, for people's own measurements and the tests.
pub fn record_timing(ms: f64) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"__culpritLastDiagnoseMs".into(), &ms.into());
    }
}

/// True when no element has the keyboard focus (only the page itself).
pub fn nothing_focused() -> bool {
    let Some(d) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match d.active_element() {
        None => true,
        Some(a) => d.body().is_some_and(|b| *b == a),
    }
}

/// Brings the answer into view when it starts low on the screen (a phone, after a paste).
pub fn reveal(id: &str) {
    let Some(w) = web_sys::window() else { return };
    let Some(el) = w.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let height = w
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    if el.get_bounding_client_rect().top() > height * 0.6 {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// Marks the page as hydrated (`html[data-hydrated]`).
pub fn mark_hydrated() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("data-hydrated", "");
    }
}

fn clipboard() -> Option<web_sys::Clipboard> {
    let nav = web_sys::window()?.navigator();
    // Older browsers and insecure origins have no clipboard object.
    let has = js_sys::Reflect::has(&nav, &"clipboard".into()).unwrap_or(false);
    has.then(|| nav.clipboard())
}

/// True where the page may ask to read the clipboard.
pub fn clipboard_readable() -> bool {
    clipboard().is_some_and(|c| js_sys::Reflect::has(&c, &"readText".into()).unwrap_or(false))
}

/// Copies `text`; `done` hears whether it worked.
pub fn copy(text: String, done: Callback<Result<(), String>>) {
    spawn_local(async move {
        let outcome = match clipboard() {
            Some(c) => JsFuture::from(c.write_text(&text))
                .await
                .map(|_| ())
                .map_err(|e| message(&e, "The browser did not allow copying.")),
            None => Err("This browser offers no clipboard to the page.".to_string()),
        };
        done.emit(outcome);
    });
}

/// Reads text from the clipboard (the browser may ask the person first).
pub fn read_clipboard(done: Callback<Result<String, String>>) {
    spawn_local(async move {
        let outcome = match clipboard() {
            Some(c) => JsFuture::from(c.read_text())
                .await
                .map(|v| v.as_string().unwrap_or_default())
                .map_err(|e| message(&e, "The browser did not allow reading the clipboard.")),
            None => Err("This browser does not let pages read the clipboard.".to_string()),
        };
        done.emit(outcome);
    });
}

/// Reads a chosen or dropped file's bytes.
pub fn read_file(file: web_sys::File, done: Callback<Result<Vec<u8>, String>>) {
    spawn_local(async move {
        let outcome = JsFuture::from(file.array_buffer())
            .await
            .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
            .map_err(|e| message(&e, "The file could not be read."));
        done.emit(outcome);
    });
}

/// Fetches a same-origin text file (the gallery's examples).
pub fn fetch_text(url: String, done: Callback<Result<String, String>>) {
    spawn_local(async move {
        let outcome = async {
            let w = web_sys::window().ok_or("no window")?;
            let resp: web_sys::Response = JsFuture::from(w.fetch_with_str(&url))
                .await
                .map_err(|_| "The example could not be loaded.")?
                .dyn_into()
                .map_err(|_| "The example could not be loaded.")?;
            if !resp.ok() {
                return Err("The example could not be loaded.");
            }
            let text = JsFuture::from(resp.text().map_err(|_| "The example could not be read.")?)
                .await
                .map_err(|_| "The example could not be read.")?;
            Ok(text.as_string().unwrap_or_default())
        }
        .await
        .map_err(str::to_string);
        done.emit(outcome);
    });
}

/// The site's origin, e.g. `http://127.0.0.1:8080`.
fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Makes a share link for `text` (the text compressed into the fragment), puts it in the
/// address bar without reloading, and hands it to `done`.
pub fn share_link(text: String, done: Callback<Result<String, String>>) {
    spawn_local(async move {
        let outcome = match deflate(&text).await {
            Ok(data) => {
                let link = format!("{}/#d={}", origin(), data.as_string().unwrap_or_default());
                if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&link));
                }
                Ok(link)
            }
            Err(e) => Err(message(
                &e,
                "This browser cannot compress the text for a link.",
            )),
        };
        done.emit(outcome);
    });
}

/// When the page was opened from a share link, hands its text to `done` and returns true.
pub fn shared_text(done: Callback<Result<String, String>>) -> bool {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let Some(data) = hash.strip_prefix("#d=").map(str::to_string) else {
        return false;
    };
    spawn_local(async move {
        let outcome = inflate(&data)
            .await
            .map(|v| v.as_string().unwrap_or_default())
            .map_err(|e| {
                message(
                    &e,
                    "This share link is damaged: its text could not be unpacked.",
                )
            });
        done.emit(outcome);
    });
    true
}

/// The current URL path.
pub fn path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_string())
}

/// What was dropped on the paste area before the app was ready (kept by `boot.js`).
pub enum Pending {
    File(web_sys::File),
    Text(String),
}

/// The paste area's text (`textarea#paste`, on the home page only).
pub fn paste_area_text() -> Option<String> {
    let area = element("paste")?
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .ok()?;
    Some(area.value())
}

/// The element with this id.
pub fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// Puts `text` in the paste area (`textarea#paste`).
pub fn set_paste_text(text: &str) {
    if let Some(area) =
        element("paste").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        area.set_value(text);
    }
}

/// Takes what `boot.js` kept while the app was starting, if anything.
pub fn take_pending() -> Option<Pending> {
    let w = web_sys::window()?;
    let file = js_sys::Reflect::get(&w, &"__culpritPendingFile".into()).ok();
    let text = js_sys::Reflect::get(&w, &"__culpritPendingText".into()).ok();
    let _ = js_sys::Reflect::delete_property(&w, &"__culpritPendingFile".into());
    let _ = js_sys::Reflect::delete_property(&w, &"__culpritPendingText".into());
    if let Some(f) = file.and_then(|f| f.dyn_into::<web_sys::File>().ok()) {
        return Some(Pending::File(f));
    }
    text.and_then(|t| t.as_string())
        .filter(|t| !t.is_empty())
        .map(Pending::Text)
}
