//! The reader's preferences: language and text size, kept in cookies so that they work
//! without JavaScript. The server reads them from the request; the browser reads them back
//! from the `<html>` element the server rendered, so hydration sees the same values.

use leptos::prelude::*;

use crate::i18n::{LANG_COOKIE, Lang};

/// Cookie that remembers the larger-text choice (`large` or `normal`).
pub const TEXT_COOKIE: &str = "petitio_text";

#[derive(Clone, Copy)]
pub struct Prefs {
    pub lang: Lang,
    pub large_text: RwSignal<bool>,
}

impl Prefs {
    pub fn texts(&self) -> &'static crate::i18n::Texts {
        self.lang.texts()
    }
}

/// The preferences of the page being rendered (provided by `App`).
pub fn use_prefs() -> Prefs {
    use_context::<Prefs>().unwrap_or(Prefs {
        lang: Lang::Ro,
        large_text: RwSignal::new(false),
    })
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Language and larger-text flag of the current request or page.
pub fn current() -> (Lang, bool) {
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = use_context::<http::request::Parts>() {
            let cookies = parts
                .headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let lang = cookie_value(cookies, LANG_COOKIE)
                .and_then(Lang::parse)
                .or_else(|| {
                    parts
                        .headers
                        .get(http::header::ACCEPT_LANGUAGE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(Lang::from_accept_language)
                })
                .unwrap_or_default();
            let large = cookie_value(cookies, TEXT_COOKIE) == Some("large");
            return (lang, large);
        }
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        if let Some(root) = document().document_element() {
            let lang = root
                .get_attribute("lang")
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or_default();
            let large = root.get_attribute("data-text").as_deref() == Some("large");
            return (lang, large);
        }
    }
    let _ = LANG_COOKIE;
    (Lang::default(), false)
}

/// Applies the text size in the browser at once and remembers it for the server.
#[cfg(feature = "hydrate")]
pub fn apply_text_size(large: bool) {
    use wasm_bindgen::JsCast;
    let value = if large { "large" } else { "normal" };
    let doc = document();
    if let Some(root) = doc.document_element() {
        let _ = root.set_attribute("data-text", value);
    }
    if let Ok(html_doc) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let _ = html_doc.set_cookie(&format!(
            "{TEXT_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_value_finds_the_named_cookie_only() {
        let h = "a=1; petitio_lang=ru; petitio_text=large";
        assert_eq!(cookie_value(h, "petitio_lang"), Some("ru"));
        assert_eq!(cookie_value(h, "petitio_text"), Some("large"));
        assert_eq!(cookie_value(h, "lang"), None);
        assert_eq!(cookie_value("", "a"), None);
    }

    #[test]
    fn accept_language_picks_the_first_supported_language() {
        assert_eq!(
            Lang::from_accept_language("de-DE,ru;q=0.8,en;q=0.5"),
            Some(Lang::Ru)
        );
        assert_eq!(Lang::from_accept_language("ro-MD"), Some(Lang::Ro));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
    }
}
