//! `/admin/calendare`: a country calendar's days off in a year and its adjustments. A change is
//! proposed with a GET of this page (`tip`, `data`, `denumire`, `domeniu`; or `sterge` for an
//! adjustment to remove), which shows its effect on the running terms and the form that saves
//! it: nothing is stored before the administrator has seen what it does. Works without
//! JavaScript; once hydrated, the GET forms navigate in place.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::calendar_admin::{
    ChangeForm, SaveCalendarChange, admin_calendar, change_of, preview_calendar_change,
};
use crate::model::AppError;
use crate::model::calendar_admin::{CALENDARS, CalendarEffect, CalendarPage, KINDS};
use crate::ui::account::forms::{ErrorSummary, action_error, field_message, query_flag};
use crate::ui::prefs::use_prefs;

/// The change the address proposes, if any.
fn proposed(q: &leptos_router::params::ParamsMap, calendar: &str) -> Option<ChangeForm> {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    if get("tip").is_none() && get("sterge").is_none() {
        return None;
    }
    Some(ChangeForm {
        calendar: calendar.to_string(),
        scope: get("domeniu"),
        kind: get("tip"),
        date: get("data"),
        name: get("denumire"),
        remove: get("sterge"),
    })
}

#[component]
pub fn CalendarsPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.calendar_admin();
    let query = use_query_map();
    let calendar = Memo::new(move |_| {
        query.with(|q| {
            q.get("calendar")
                .filter(|c| CALENDARS.contains(&c.as_str()))
                .unwrap_or_else(|| "md".into())
        })
    });
    let year = Memo::new(move |_| query.with(|q| q.get("an").and_then(|y| y.parse::<i32>().ok())));
    let proposal = Memo::new(move |_| query.with(|q| proposed(q, &calendar.get())));
    let save = ServerAction::<SaveCalendarChange>::new();
    let saved = query_flag("salvat");
    // One resource: the page and the effect of the change proposed, rendered together (no
    // part of the page waits on its own).
    let data = Resource::new(
        move || {
            (
                calendar.get(),
                year.get(),
                lang,
                save.version().get(),
                proposal.get(),
            )
        },
        |(c, y, lang, _, p)| async move {
            let page = admin_calendar(c, y, lang).await;
            let effect = match p {
                None => None,
                Some(form) => Some(match change_of(&form) {
                    Ok(change) => preview_calendar_change(change).await,
                    Err(e) => Err(e),
                }),
            };
            (page, effect)
        },
    );
    let save_error = action_error(save);
    view! {
        <Title text=t.title/>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        {move || saved.get().map(|n| view! {
            <p class="notice notice-success" role="status">{t.saved.replace("{moved}", &n)}</p>
        })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (page, effect) = data.await;
                let effect_error = effect.clone().and_then(|r| r.err());
                let error = Signal::derive(move || save_error.get().or_else(|| effect_error.clone()));
                match page {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.admins_only}</p> }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(p) => view! {
                        <ErrorSummary error/>
                        <CalendarBody p proposal error effect=effect.and_then(Result::ok) save/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CalendarBody(
    p: CalendarPage,
    proposal: Memo<Option<ChangeForm>>,
    error: Signal<Option<AppError>>,
    effect: Option<CalendarEffect>,
    save: ServerAction<SaveCalendarChange>,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.calendar_admin();
    let kind_label = move |k: &str| {
        KINDS
            .iter()
            .position(|x| *x == k)
            .map_or_else(|| k.to_string(), |i| t.kinds[i].to_string())
    };
    let scope_label = move |v: &str, l: &str| {
        if v.is_empty() {
            t.whole_country.to_string()
        } else {
            l.to_string()
        }
    };
    let current = proposal.get_untracked().unwrap_or_default();
    let calendar = p.calendar.clone();
    let base = format!("/admin/calendare?calendar={}&an={}", p.calendar, p.year);
    let message = move |f: &'static str| move || field_message(&error.get(), f);
    let describe = move |f: &'static str, hint: bool| {
        move || {
            let mut ids = Vec::new();
            if hint {
                ids.push(format!("{f}-hint"));
            }
            if field_message(&error.get(), f).is_some() {
                ids.push(format!("{f}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let problem = move |f: &'static str| {
        let id = format!("{f}-error");
        move || message(f)().map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
    };
    let removing = current.remove.clone();
    let proposal_text = {
        let adjustments = p.adjustments.clone();
        let c = current.clone();
        move || -> Option<String> {
            let _ = proposal.get();
            if let Some(id) = &c.remove {
                let a = adjustments.iter().find(|a| a.id.to_string() == *id)?;
                return Some(
                    t.effect_remove
                        .replace("{name}", &a.name)
                        .replace("{date}", &a.date.to_string()),
                );
            }
            Some(
                t.effect_add
                    .replace("{name}", c.name.as_deref().unwrap_or(""))
                    .replace("{date}", c.date.as_deref().unwrap_or("")),
            )
        }
    };
    view! {
        <Form method="get" action="/admin/calendare">
            <div class="inline-form">
                <label for="cal-calendar">{t.calendar}</label>
                <select id="cal-calendar" name="calendar">
                    {CALENDARS.iter().zip(t.calendars).map(|(c, l)| view! {
                        <option value=*c selected=*c == calendar>{l}</option>
                    }).collect_view()}
                </select>
                <label for="cal-year">{t.year}</label>
                <input id="cal-year" name="an" type="number" min="1990" max="2100" value=p.year.to_string()/>
                <button type="submit" class="button-secondary">{t.show}</button>
            </div>
        </Form>

        <h2 id="days-off">{t.days_off_title.replace("{year}", &p.year.to_string())}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="days-off">
            <table>
                <thead><tr><th scope="col">{t.col_date}</th><th scope="col">{t.col_name}</th></tr></thead>
                <tbody>
                    {p.days_off.iter().map(|d| view! {
                        <tr><td>{d.date.to_string()}</td><td>{d.name.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="adjustments">{t.adjustments_title}</h2>
        {if p.adjustments.is_empty() {
            view! { <p>{t.no_adjustments}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="adjustments">
                    <table>
                        <thead><tr>
                            <th scope="col">{t.col_date}</th>
                            <th scope="col">{t.col_kind}</th>
                            <th scope="col">{t.col_name}</th>
                            <th scope="col">{t.col_scope}</th>
                            <th scope="col">{t.col_action}</th>
                        </tr></thead>
                        <tbody>
                            {p.adjustments.iter().map(|a| {
                                let href = format!("{base}&sterge={}#effect", a.id);
                                let label = format!("{} {} ({})", t.remove.trim_end_matches('…'), a.name, a.date);
                                view! {
                                    <tr>
                                        <td>{a.date.to_string()}</td>
                                        <td>{kind_label(&a.kind)}</td>
                                        <td>{a.name.clone()}</td>
                                        <td>{a.institution.clone().unwrap_or_else(|| t.whole_country.to_string())}</td>
                                        <td>{a.removable.then(|| view! { <a href=href aria-label=label>{t.remove}</a> })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}

        <h2 id="propose">{t.propose_title}</h2>
        <p>{t.propose_intro}</p>
        <Form method="get" action="/admin/calendare" attr:aria-labelledby="propose">
            <input type="hidden" name="calendar" value=p.calendar.clone()/>
            <input type="hidden" name="an" value=p.year.to_string()/>
            <div class="form-group" class:has-error=move || message("kind")().is_some()>
                <label for="kind">{t.kind}</label>
                {problem("kind")}
                <select id="kind" name="tip" aria-describedby=describe("kind", false)>
                    {KINDS.iter().map(|k| {
                        let is = current.kind.as_deref() == Some(*k);
                        view! { <option value=*k selected=is>{kind_label(k)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-group" class:has-error=move || message("date")().is_some()>
                <label for="date">{t.date}</label>
                <p class="hint" id="date-hint">{t.date_hint}</p>
                {problem("date")}
                <input id="date" name="data" type="date" required value=current.date.clone().unwrap_or_default()
                    aria-describedby=describe("date", true)
                    aria-invalid=move || message("date")().is_some().then_some("true")/>
            </div>
            <div class="form-group" class:has-error=move || message("name")().is_some()>
                <label for="name">{t.name}</label>
                {problem("name")}
                <input id="name" name="denumire" type="text" maxlength="255" required value=current.name.clone().unwrap_or_default()
                    aria-describedby=describe("name", false)
                    aria-invalid=move || message("name")().is_some().then_some("true")/>
            </div>
            <div class="form-group" class:has-error=move || message("scope")().is_some()>
                <label for="scope">{t.scope}</label>
                {problem("scope")}
                <select id="scope" name="domeniu" aria-describedby=describe("scope", false)>
                    {p.scopes.iter().map(|(v, l)| {
                        let is = current.scope.as_deref().unwrap_or("") == v.as_str();
                        view! { <option value=v.clone() selected=is>{scope_label(v, l)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{t.see_effect}</button>
        </Form>

        {effect.map(|e| {
                let form = proposal.get_untracked().unwrap_or_default();
                let more = (e.moved_count as usize > e.moved.len()).then(|| {
                    t.effect_more
                        .replace("{shown}", &e.moved.len().to_string())
                        .replace("{all}", &e.moved_count.to_string())
                });
                view! {
                    <section aria-labelledby="effect" class="effect">
                        <h2 id="effect">{t.effect_title}</h2>
                        <p>{proposal_text()}</p>
                        <p>{t.effect_counts
                            .replace("{checked}", &e.checked.to_string())
                            .replace("{moved}", &e.moved_count.to_string())}</p>
                        {(e.kept_count > 0).then(|| view! { <p>{t.effect_kept.replace("{kept}", &e.kept_count.to_string())}</p> })}
                        {if e.moved.is_empty() {
                            view! { <p>{t.effect_none}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="effect">
                                    <table>
                                        <thead><tr>
                                            <th scope="col">{t.col_case}</th>
                                            <th scope="col">{t.col_term}</th>
                                            <th scope="col">{t.col_from}</th>
                                            <th scope="col">{t.col_to}</th>
                                        </tr></thead>
                                        <tbody>
                                            {e.moved.into_iter().map(|m| view! {
                                                <tr>
                                                    <td><a href=format!("/cazuri/{}", m.case_id)>{m.registration_number}</a></td>
                                                    <td><code>{m.timer}</code></td>
                                                    <td>{m.from.to_string()}</td>
                                                    <td>{m.to.to_string()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        {more.map(|m| view! { <p>{m}</p> })}
                        <ActionForm action=save attr:aria-labelledby="effect">
                            <input type="hidden" name="form[calendar]" value=form.calendar.clone()/>
                            <input type="hidden" name="form[scope]" value=form.scope.clone().unwrap_or_default()/>
                            <input type="hidden" name="form[kind]" value=form.kind.clone().unwrap_or_default()/>
                            <input type="hidden" name="form[date]" value=form.date.clone().unwrap_or_default()/>
                            <input type="hidden" name="form[name]" value=form.name.clone().unwrap_or_default()/>
                            <input type="hidden" name="form[remove]" value=removing.unwrap_or_default()/>
                            <div class="button-row">
                                <button type="submit">{t.save}</button>
                                <a href="/admin/calendare">{t.cancel}</a>
                            </div>
                        </ActionForm>
                    </section>
                }
            })}
    }
}
