//! Form parts shared by the account pages: the error summary at the top (GOV.UK pattern) and
//! text fields that show their own error, both reading the last answer of a server action.

use leptos::prelude::*;

use crate::i18n::account::field_error;
use crate::model::AppError;
use crate::ui::prefs::use_prefs;

/// The error of a server action's last answer, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// The filter problems of a list page: the validation error its `data` holds. Read in place,
/// not cloned: the summary and every field's message read this signal, and a clone of the
/// value would copy the whole list each time.
pub fn filter_error<T, Ser>(data: Resource<Result<T, AppError>, Ser>) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    Ser: Send + Sync + 'static,
{
    Signal::derive(move || {
        data.with(|d| match d {
            Some(Err(e @ AppError::Validation { .. })) => Some(e.clone()),
            _ => None,
        })
    })
}

/// The error of a page's several forms (`errors[i]`, the form whose action counts
/// `versions[i]`): once hydrated, the form answered last; rendered on the server, the one the
/// address carries back.
pub fn last_answered_error<const N: usize>(
    errors: [Signal<Option<AppError>>; N],
    versions: [RwSignal<usize>; N],
) -> Signal<Option<AppError>> {
    let last = RwSignal::new(None::<usize>);
    for (i, v) in versions.into_iter().enumerate() {
        Effect::new(move |_| {
            if v.get() > 0 {
                last.set(Some(i));
            }
        });
    }
    Signal::derive(move || match last.get() {
        Some(i) => errors[i].get(),
        None => errors.iter().find_map(|e| e.get()),
    })
}

/// Reloads who is signed in once `action` succeeds (login, logout).
pub fn refresh_viewer_on_success<I, O>(action: ServerAction<I>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    if let Some(version) = use_context::<crate::ui::app::AuthVersion>() {
        Effect::new(move |_| {
            if matches!(action.value().get(), Some(Ok(_))) {
                version.0.update(|v| *v += 1);
            }
        });
    }
}

/// The text of a validation code (`similar_case:NUMBER` names the similar case, an
/// attachment's code the file: `attachment_type:NAME`).
pub fn code_message(lang: crate::i18n::Lang, code: &str) -> String {
    if let Some(number) = code.strip_prefix("similar_case:") {
        return lang.filing().similar_case.replace("{number}", number);
    }
    match code.split_once(':') {
        Some((code, name)) => field_error(lang, code).replace("{name}", name),
        None => field_error(lang, code).to_string(),
    }
}

/// The message of `field` in `error`, in the reader's language.
pub fn field_message(error: &Option<AppError>, field: &str) -> Option<String> {
    let lang = use_prefs().lang;
    error
        .as_ref()
        .and_then(|e| e.fields())
        .and_then(|f| f.get(field))
        .and_then(|m| m.first())
        .map(|code| code_message(lang, code))
}

/// The problems of the last submission, each linking to its field.
#[component]
pub fn ErrorSummary(error: Signal<Option<AppError>>) -> impl IntoView {
    let prefs = use_prefs();
    let a = prefs.lang.account();
    let lang = prefs.lang;
    move || {
        error.get().map(|e| {
            let items = match &e {
                AppError::Validation { fields, .. } if !fields.is_empty() => fields
                    .iter()
                    .map(|(field, codes)| {
                        let href = format!("#{field}");
                        let msg = codes.first().map(|c| code_message(lang, c)).unwrap_or_default();
                        view! { <li><a href=href>{msg}</a></li> }.into_any()
                    })
                    .collect::<Vec<_>>(),
                other => {
                    let msg = match other {
                        AppError::Unauthorized => a.error_credentials.to_string(),
                        AppError::RateLimited { retry_after_secs } => a
                            .error_rate_limited
                            .replace("{minutes}", &retry_after_secs.div_ceil(60).to_string()),
                        AppError::Forbidden => a.error_forbidden.to_string(),
                        _ => a.error_generic.to_string(),
                    };
                    vec![view! { <li>{msg}</li> }.into_any()]
                }
            };
            view! {
                <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                    <h2 id="error-summary-title">{a.error_summary_title}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// A labelled input with its hint and its error.
#[component]
pub fn TextField(
    /// The form field's name, also its id (the error summary links to it).
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<&'static str>,
    error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: Option<String>,
    /// The field may be left blank.
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let message = move || field_message(&error.get(), name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="form-group" class:has-error=move || message().is_some()>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {move || message().map(|m| view! {
                <p class="field-error" id=error_id.clone()>{m}</p>
            })}
            <input
                id=name
                name=name
                type=kind
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                spellcheck=(kind == "email" || kind == "password").then_some("false")
                aria-describedby=described
                aria-invalid=move || message().is_some().then_some("true")
                value=value
                required=!optional
            />
        </div>
    }
}

/// The value of `key` in the page's query string.
pub fn query_flag(key: &'static str) -> Signal<Option<String>> {
    let q = leptos_router::hooks::use_query_map();
    Signal::derive(move || q.with(|q| q.get(key)))
}

/// The error of `name` in the last answer, as shown under a field's label (for fields that are
/// not a [`TextField`]: text areas, lists, choices).
#[component]
pub fn FieldError(name: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    let id = format!("{name}-error");
    move || {
        field_message(&error.get(), name)
            .map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
    }
}
