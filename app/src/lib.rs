//! Petitio: petitions and complaints to public authorities, examined within legal deadlines.
//!
//! - `calendar`: working days, public holidays, legal terms (pure)
//! - `i18n`: interface texts (ro, ru, en)
//! - `model`: types shared by browser and server
//! - `redaction`: finding personal data in a text (pure)
//! - `stats`: the arithmetic of the managers' indicators (pure)
//! - `ui`: pages and components
//! - `api`: server functions (thin: they call `backend`)
//! - `backend` (server only): database, service layer

#![recursion_limit = "256"]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod api;
pub mod calendar;
pub mod diagram;
pub mod i18n;
pub mod model;
pub mod redaction;
pub mod stats;
pub mod ui;
pub mod workflow;

#[cfg(feature = "ssr")]
pub mod backend;

pub use ui::app::{App, shell};

/// The browser entry point: attaches the application to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Marks the page as interactive: CSS may enhance it, and the browser tests wait for it.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
