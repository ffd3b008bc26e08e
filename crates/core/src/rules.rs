//! The detection rules, compiled in from `src/rules/*.toml` by `build.rs`.
//!
//! One file per source. See `docs/rules.md` for the file format.

use crate::model::{Category, Hop};
use crate::neterror::NetKind;
use crate::status::StatusInfo;

/// Where in the input a signal is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The raw body (HTML source or pasted text).
    Body,
    /// The visible text: tags stripped, whitespace collapsed to single spaces.
    Text,
    /// The page title.
    Title,
    /// A response header value (`pattern` empty: the header's presence).
    Header,
    /// Log lines (only when the input was recognised as logs).
    Log,
    /// The whole visible text equals the pattern (for one-line bodies such as `Bad Gateway`).
    WholeText,
}

/// One literal, case-insensitive signal.
#[derive(Debug)]
pub struct Signal {
    pub place: Place,
    pub pattern: &'static str,
    /// 1..=100: how strongly this signal alone says the product wrote the page
    /// (for headers: that the product was on the path).
    pub weight: u8,
    pub meaning: &'static str,
    /// Lower-cased header name, for `Place::Header`.
    pub header: Option<&'static str>,
    /// Status this signal implies when the input carries none.
    pub status: Option<u16>,
    /// A fact about what went wrong.
    pub fact: Option<Fact>,
    /// The browser network error this signal names (for browser pages that show no code).
    pub net_error: Option<&'static str>,
    /// Match the pattern's case exactly (HAProxy's `SH--` and `sH--` differ).
    pub exact_case: bool,
    /// The failing hop whenever this signal of the source is found (e.g. Envoy's `LR`: it
    /// reset the request itself); more specific than the rule's per-status `hops`.
    pub hop: Option<Hop>,
}

/// How to pull an identifier out of a response.
#[derive(Debug)]
pub struct IdSpec {
    pub kind: &'static str,
    pub label: &'static str,
    /// Take the value of this (lower-cased) header.
    pub header: Option<&'static str>,
    /// Or take the token after this marker in the body or text.
    pub after: Option<&'static str>,
    /// Also report the part after the last dash as a POP code.
    pub pop_after_dash: bool,
}

/// A source: a product that can write an error page.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub category: Category,
    /// The hop this product occupies when it writes a page.
    pub role: Hop,
    /// One sentence about the product, for explainers (empty in the site's home-page wasm,
    /// built with `CULPRIT_WITHOUT_ABOUT` set: that page shows no product page).
    pub about: &'static str,
    /// Per-status override of the failing hop when this product wrote the page.
    pub hops: &'static [(u16, Hop)],
    pub signals: &'static [Signal],
    pub ids: &'static [IdSpec],
    /// What is specific to this product in the advice (`[advice]` in its file).
    pub advice: &'static ProductAdvice,
    /// For browsers: how to recognise it (`[browser]` in its file).
    pub browser: Option<BrowserSpec>,
}

/// How a browser is recognised when the input says which browser it came from.
#[derive(Debug, Clone, Copy)]
pub struct BrowserSpec {
    /// Lower-case pieces of its name, user agent or HAR creator (`firefox`, `webinspector`).
    pub names: &'static [&'static str],
    /// Prefixes of the network error codes only it uses (`NS_`, `SEC_ERROR`).
    pub net_error_prefixes: &'static [&'static str],
    /// The browser assumed when nothing says which one it was.
    pub default: bool,
}

/// The browser an observation came from: by the name it gives (a browser's name, user agent
/// or HAR creator), else by the spelling of its network error, else the default browser.
pub fn browser_for(name: Option<&str>, net_error: Option<&str>) -> Option<&'static Rule> {
    let browsers = || {
        RULES
            .iter()
            .filter_map(|r| r.browser.as_ref().map(|b| (r, b)))
    };
    let name = name.map(str::to_ascii_lowercase);
    // A user agent names several browsers ("... like Gecko) Chrome/131 Safari/537.36 Edg/131"):
    // the browser's own token comes last, so the piece found furthest along wins.
    let by_name = name.as_deref().and_then(|n| {
        browsers()
            .filter_map(|(r, b)| {
                b.names
                    .iter()
                    .filter_map(|p| n.rfind(p))
                    .max()
                    .map(|at| (r, at))
            })
            .fold(
                None,
                |best: Option<(&'static Rule, usize)>, (r, at)| match best {
                    Some((_, b)) if b >= at => best,
                    _ => Some((r, at)),
                },
            )
            .map(|(r, _)| r)
    });
    let by_code = || {
        let e = net_error.unwrap_or_default();
        browsers()
            .find(|(_, b)| b.net_error_prefixes.iter().any(|p| e.starts_with(p)))
            .map(|(r, _)| r)
    };
    let default = || browsers().find(|(_, b)| b.default).map(|(r, _)| r);
    by_name.or_else(by_code).or_else(default)
}

/// A sentence from a product file: literal text and placeholders.
pub type Text = &'static [Part];

/// A piece of a [`Text`].
#[derive(Debug)]
pub enum Part {
    Lit(&'static str),
    Slot(Slot),
}

/// What kind of security filter a product is (`security` in its `[advice]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// A web application firewall in front of the site, run for the site's owner.
    Waf,
    /// A secure web gateway or firewall on the visitor's own network, run by their organisation.
    Gateway,
}

/// What a product file says about advice for that product. Every field is optional: the
/// advice falls back to what is true of the product's category.
#[derive(Debug)]
pub struct ProductAdvice {
    /// A security filter (WAF, secure web gateway): its blocks are told as such.
    pub security: Option<Security>,
    /// What it is called in sentences ("API gateway"), when not its category's usual name.
    pub kind: Option<&'static str>,
    /// The server behind it, in full ("the app's web dynos").
    pub backend: Option<&'static str>,
    /// The same, short, for the summary line ("the app").
    pub backend_short: Option<&'static str>,
    /// How long it waits for the server behind ("about 100 seconds").
    pub timeout_limit: Option<&'static str>,
    /// What its request identifiers are called ("Ray ID"); also used when it only relayed.
    pub id_label: Option<&'static str>,
    /// How its configuration names the address it forwards to (`proxy_pass`).
    pub directive: Option<&'static str>,
    /// The same when it hands requests to PHP-FPM (`fastcgi_pass`).
    pub directive_php: Option<&'static str>,
    /// Explanations that replace the general one in some situations.
    pub explain: &'static [Explain],
    /// Changes to the owner fix list in some situations.
    pub owner: &'static [OwnerList],
    /// The product's own version of fixes, tried in order.
    pub fixes: &'static [FixText],
}

/// An explanation for some situations.
#[derive(Debug)]
pub struct Explain {
    pub situations: &'static [Situation],
    pub text: Text,
}

/// Owner fixes for some situations: a whole list (`replace`) or fixes to add.
#[derive(Debug)]
pub struct OwnerList {
    pub situations: &'static [Situation],
    pub replace: Option<&'static [FixId]>,
    pub add: &'static [FixId],
    /// Insert `add` after this fix (at the end when absent or missing).
    pub after: Option<FixId>,
}

/// A product's version of a fix; applies when every condition given holds.
#[derive(Debug)]
pub struct FixText {
    pub id: FixId,
    pub title: Option<Text>,
    pub detail: Text,
    /// Only in these situations (any when empty).
    pub situations: &'static [Situation],
    /// Only with these statuses (any when empty).
    pub statuses: &'static [u16],
    /// Only when PHP-FPM is (true) or is not (false) involved.
    pub php: Option<bool>,
    /// Also when the product only relayed the page (`via`), not only when it wrote it.
    pub on_path: bool,
}

include!(concat!(env!("OUT_DIR"), "/rules_gen.rs"));

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
