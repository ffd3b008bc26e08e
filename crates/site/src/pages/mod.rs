//! One module per page.

pub mod compare;
pub mod faq;
pub mod home;
pub mod not_found;
pub mod privacy;
pub mod source;
pub mod status;

use culprit_views::CopyRequest;
use yew::prelude::*;

/// A copy callback for pages, and the message it leaves (shown in a `role=status` line).
#[hook]
pub fn use_copy() -> (Callback<CopyRequest>, UseStateHandle<String>) {
    let message = use_state(String::new);
    let cb = {
        let message = message.clone();
        Callback::from(move |req: CopyRequest| {
            let message = message.clone();
            let what = req.what.clone();
            crate::browser::copy(
                req.text,
                Callback::from(move |r: Result<(), String>| match r {
                    Ok(()) => message.set(format!("{what} copied.")),
                    Err(e) => message.set(e),
                }),
            );
        })
    };
    (cb, message)
}
