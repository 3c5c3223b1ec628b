//! Forms that carry files (`multipart/form-data`). Without JavaScript they post to their server
//! function like any form, and an error comes back in the address (`__err`); with JavaScript
//! the browser's `FormData` is sent to the same server function and its answer kept here.

use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;

use crate::model::AppError;

/// The state of one multipart form: its last answer, whether one is on its way, and how many
/// submissions succeeded (to reload what they changed).
#[derive(Clone, Copy)]
pub struct MultipartForm {
    pub result: RwSignal<Option<Result<(), AppError>>>,
    pub pending: RwSignal<bool>,
    pub done: RwSignal<u32>,
}

impl MultipartForm {
    pub fn new() -> Self {
        MultipartForm {
            result: RwSignal::new(None),
            pending: RwSignal::new(false),
            done: RwSignal::new(0),
        }
    }

    /// The last error: of the last submission with JavaScript, else the one the server put in
    /// the address after a plain post to the server function at `path`.
    pub fn error(self, path: &'static str) -> Signal<Option<AppError>> {
        let from_url = use_context::<ServerActionError>()
            .filter(|e| e.path() == path)
            .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()));
        Signal::derive(move || match self.result.get() {
            Some(r) => r.err(),
            None => from_url.clone(),
        })
    }

    /// Sends the submitted form with `call` instead of letting the browser post it.
    #[cfg(feature = "hydrate")]
    pub fn submit<Fut>(
        self,
        ev: leptos::ev::SubmitEvent,
        call: impl FnOnce(web_sys::FormData) -> Fut + 'static,
    ) where
        Fut: std::future::Future<Output = Result<(), AppError>> + 'static,
    {
        use wasm_bindgen::JsCast;
        ev.prevent_default();
        if self.pending.get_untracked() {
            return;
        }
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        self.pending.set(true);
        leptos::task::spawn_local(async move {
            let r = call(data).await;
            self.pending.set(false);
            // Reload what changed: after success, and after a refusal because the record
            // changed meanwhile (the page then shows it as it is now).
            if matches!(r, Ok(()) | Err(AppError::Conflict(_))) {
                self.done.update(|n| *n += 1);
            }
            self.result.set(Some(r));
        });
    }
}

impl Default for MultipartForm {
    fn default() -> Self {
        Self::new()
    }
}
