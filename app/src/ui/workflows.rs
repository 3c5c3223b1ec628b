//! The workflows in use, each drawn as a diagram with its terms and a deadline preview. Read
//! only: it lets petitioners, officers and administrators see the legal path of a case.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::prefs::use_prefs;
use crate::api::workflows::{get_workflow, list_workflows};
use crate::i18n::Lang;
use crate::model::AppError;

fn pick(lang: Lang, ro: &'static str, ru: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ro => ro,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

#[component]
pub fn WorkflowsPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let list = Resource::new(move || lang, list_workflows);
    let title = pick(
        lang,
        "Fluxuri de lucru și termene",
        "Порядок рассмотрения и сроки",
        "Workflows and terms",
    );
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p class="lead">{pick(lang,
            "Cum se examinează fiecare tip de cerere, cine acționează la fiecare pas și în ce termene legale.",
            "Как рассматривается каждый вид обращения, кто действует на каждом шаге и в какие сроки.",
            "How each kind of request is examined, who acts at each step, and within which legal terms.")}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) => view! {
                        <ul class="card-list">
                            {items.into_iter().map(|w| {
                                let href = format!("/fluxuri/{}", w.name);
                                view! { <li class="card"><a href=href>{w.label}</a><p class="hint">{w.name}" · v"{w.version}</p></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="notice notice-warning" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn WorkflowPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let query = use_query_map();
    let name = move || params.read().get("name").unwrap_or_default();
    let filed = move || query.read().get("filed");
    let data = Resource::new(
        move || (name(), filed(), lang),
        |(n, f, l)| get_workflow(n, f, l),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(w) => {
                        let title = w.label.clone();
                        view! {
                            <Title text=title.clone()/>
                            <p><a href="/fluxuri">{pick(lang, "← Toate fluxurile", "← Все процедуры", "← All workflows")}</a></p>
                            <h1>{title}</h1>
                            <dl class="summary-list">
                                <dt>{pick(lang, "Identificator", "Идентификатор", "Name")}</dt><dd><code>{w.name.clone()}</code>" · v"{w.version}</dd>
                                <dt>{pick(lang, "Calendar", "Календарь", "Calendar")}</dt><dd>{w.calendar.to_uppercase()}</dd>
                                <dt>{pick(lang, "Calculul termenelor", "Исчисление сроков", "Counting of terms")}</dt><dd>{w.counting.clone()}</dd>
                            </dl>
                            <h2 id="diagram">{pick(lang, "Diagrama", "Схема", "Diagram")}</h2>
                            <div class="workflow-diagram" inner_html=w.svg.clone()></div>

                            <h2 id="preview">{pick(lang, "Termene pentru o dată de înregistrare", "Сроки для даты регистрации", "Terms for a registration date")}</h2>
                            <form method="get" class="actions">
                                <div class="form-group">
                                    <label for="filed">{pick(lang, "Data înregistrării", "Дата регистрации", "Registration date")}</label>
                                    <input type="date" id="filed" name="filed" value=w.filed.clone() required/>
                                </div>
                                <button type="submit">{pick(lang, "Calculează", "Рассчитать", "Calculate")}</button>
                            </form>
                            <div class="table-wrap">
                                <table>
                                    <caption>{pick(lang, "Ultima zi pentru a acționa, înregistrare la ", "Последний день для действия, регистрация ", "Last day to act, registered on ")}{w.filed.clone()}</caption>
                                    <thead><tr><th scope="col">{pick(lang, "Termen", "Срок", "Term")}</th><th scope="col">{pick(lang, "Data", "Дата", "Date")}</th><th scope="col">{pick(lang, "Ziua", "День", "Day")}</th></tr></thead>
                                    <tbody>
                                        {w.preview.iter().map(|(label, date, day)| view! { <tr><td>{label.clone()}</td><td><time datetime=date.clone()>{date.clone()}</time></td><td>{day.clone()}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>

                            <h2>{pick(lang, "Termene", "Сроки", "Terms")}</h2>
                            <div class="table-wrap">
                                <table>
                                    <thead><tr>
                                        <th scope="col">{pick(lang, "Termen", "Срок", "Term")}</th>
                                        <th scope="col">{pick(lang, "Durata", "Продолжительность", "Length")}</th>
                                        <th scope="col">{pick(lang, "Mementouri (zile înainte)", "Напоминания (дней до)", "Reminders (days before)")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {w.timers.iter().map(|t| view! { <tr><td>{t.label.clone()}</td><td>{t.term.clone()}</td><td>{t.reminders.clone()}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>

                            <h2>{pick(lang, "Acțiuni", "Действия", "Actions")}</h2>
                            <div class="table-wrap">
                                <table>
                                    <thead><tr>
                                        <th scope="col">{pick(lang, "Acțiune", "Действие", "Action")}</th>
                                        <th scope="col">{pick(lang, "Din", "Из", "From")}</th>
                                        <th scope="col">{pick(lang, "În", "В", "To")}</th>
                                        <th scope="col">{pick(lang, "Cine", "Кто", "Who")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {w.transitions.iter().map(|t| view! { <tr><td>{t.label.clone()}</td><td>{t.from.clone()}</td><td>{t.to.clone()}</td><td>{t.roles.clone()}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(e) => {
                        let heading = if e == AppError::NotFound {
                            pick(lang, "Flux necunoscut", "Неизвестная процедура", "Unknown workflow")
                        } else {
                            pick(lang, "Date incorecte", "Неверные данные", "Invalid input")
                        };
                        let message = e
                            .fields()
                            .and_then(|f| f.values().flatten().next().cloned())
                            .unwrap_or_else(|| e.to_string());
                        view! {
                        <Title text=heading/>
                        <h1>{heading}</h1>
                        <p class="notice notice-warning" role="alert">{message}</p>
                        <p><a href="/fluxuri">{pick(lang, "Toate fluxurile", "Все процедуры", "All workflows")}</a></p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
