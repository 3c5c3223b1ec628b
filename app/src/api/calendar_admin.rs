//! Server functions of `/admin/calendare` (see `backend::calendar_admin`): the page, the effect
//! of a change (shown before it is saved) and the save. The forms work without JavaScript: the
//! change is proposed by a GET of the page, which shows its effect and the form that saves it.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::calendar_admin::{CalendarChange, CalendarEffect, CalendarPage};

/// The adjustments of `calendar` and its days off in `year`.
#[server(endpoint = "admin_calendar")]
pub async fn admin_calendar(
    calendar: String,
    year: Option<i32>,
    lang: Lang,
) -> Result<CalendarPage, AppError> {
    let state = super::state()?;
    let now = state.config.clock.now();
    let year = year
        .filter(|y| (1990..=2100).contains(y))
        .unwrap_or_else(|| crate::backend::calendar_admin::this_year(now));
    crate::backend::calendar_admin::page(
        &state.db,
        super::principal()?.as_ref(),
        &calendar,
        year,
        lang,
    )
    .await
}

/// What `change` would do to the running terms (nothing stored).
#[server(endpoint = "preview_calendar_change")]
pub async fn preview_calendar_change(change: CalendarChange) -> Result<CalendarEffect, AppError> {
    let state = super::state()?;
    crate::backend::calendar_admin::preview(
        &state.db,
        super::principal()?.as_ref(),
        &change,
        state.config.clock.now(),
    )
    .await
}

/// A change as the confirmation form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChangeForm {
    pub calendar: String,
    /// An institution's id, or blank for the whole country.
    pub scope: Option<String>,
    pub kind: Option<String>,
    /// `YYYY-MM-DD`
    pub date: Option<String>,
    pub name: Option<String>,
    pub remove: Option<String>,
}

/// `form` as a change; a value that does not parse is a field error.
pub fn change_of(form: &ChangeForm) -> Result<CalendarChange, AppError> {
    let num = |field: &str, v: &Option<String>| -> Result<Option<i64>, AppError> {
        match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::field(field, "choice_invalid")),
        }
    };
    let date = match form
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| AppError::field("date", "date_invalid"))?,
        ),
    };
    Ok(CalendarChange {
        calendar: form.calendar.clone(),
        institution_id: num("scope", &form.scope)?,
        kind: form.kind.clone().unwrap_or_default(),
        date,
        name: form.name.clone().unwrap_or_default(),
        remove: num("remove", &form.remove)?,
    })
}

/// Saves a change and moves the running terms it lengthens; back to the page with a notice.
#[server(endpoint = "save_calendar_change")]
pub async fn save_calendar_change(form: ChangeForm) -> Result<(), AppError> {
    let state = super::state()?;
    let change = change_of(&form)?;
    let effect = crate::backend::calendar_admin::apply(
        &state.db,
        super::principal()?.as_ref(),
        &change,
        state.config.clock.now(),
    )
    .await?;
    let year = change
        .date
        .map(|d| chrono::Datelike::year(&d).to_string())
        .unwrap_or_default();
    let calendar = crate::model::calendar_admin::CALENDARS
        .into_iter()
        .find(|c| *c == change.calendar)
        .unwrap_or("md");
    leptos_axum::redirect(&format!(
        "/admin/calendare?calendar={calendar}&an={year}&salvat={}",
        effect.moved_count
    ));
    Ok(())
}
