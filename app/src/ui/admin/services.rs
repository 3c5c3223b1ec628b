//! `/admin/servicii`: the service registry of an institution (the portal's administrators
//! choose which), searched with a plain GET form, a form to add a service, the CSV export (a
//! plain link) and the CSV import (a file form with a "check" and an "import" button, the
//! problems listed by line); `/admin/servicii/{id}`: one service's form, its deactivation or
//! reactivation. Plain forms that post to server functions: each works without JavaScript,
//! shows its errors next to its own fields and, once done, the page again with a notice.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::institutions::{Choose, Field, Problem, described};
use crate::api::services_admin::{
    CreateService, ImportServices, SetServiceActive, UpdateService, admin_service, admin_services,
};
use crate::model::AppError;
use crate::model::services_admin::{
    ServiceAdminView, ServiceChoice, ServiceDetail, ServiceFilter, ServicesOverview,
    parse_problem_key,
};
use crate::ui::account::forms::{
    ErrorSummary, action_error, code_message, filter_error, last_answered_error,
};
use crate::ui::multipart::MultipartForm;
use crate::ui::prefs::use_prefs;

/// What the list's address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Query {
    institution: Option<String>,
    filter: ServiceFilter,
}

fn query_of(q: &leptos_router::params::ParamsMap) -> Query {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    Query {
        institution: get("institutie"),
        filter: ServiceFilter {
            q: get("q"),
            area: get("area"),
            active: get("active"),
            page: get("page"),
            per_page: get("per_page"),
        },
    }
}

/// `s` as a query string value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The list's address with the same filters at `page`.
fn page_href(institution_id: i64, f: &ServiceFilter, page: u64) -> String {
    let mut query: Vec<String> = vec![format!("institutie={institution_id}")];
    query.extend(
        [
            ("q", &f.q),
            ("area", &f.area),
            ("active", &f.active),
            ("per_page", &f.per_page),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v)))),
    );
    if page > 1 {
        query.push(format!("page={page}"));
    }
    format!("/admin/servicii?{}", query.join("&"))
}

fn pairs(list: &[ServiceChoice]) -> Vec<(String, String)> {
    list.iter()
        .map(|c| (c.value.clone(), c.label.clone()))
        .collect()
}

/// A service's state, as a tag.
#[component]
fn ServiceState(active: bool) -> impl IntoView {
    let t = use_prefs().lang.services_admin();
    if active {
        view! { <span class="tag tag-ok">{t.state_active}</span> }.into_any()
    } else {
        view! { <span class="tag tag-bad">{t.state_inactive}</span> }.into_any()
    }
}

/// `/admin/servicii`
#[component]
pub fn ServicesAdminPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.services_admin();
    let query = use_query_map();
    let wanted = Memo::new(move |_| query.with(query_of));
    let create = ServerAction::<CreateService>::new();
    let create_error = action_error(create);
    let data = Resource::new(
        move || (wanted.get(), lang, create.version().get()),
        |(q, lang, _)| admin_services(q.institution, q.filter, lang),
    );
    let filter_error = filter_error(data);
    view! {
        <Title text=t.list_title/>
        <h1>{t.list_title}</h1>
        <p>{t.list_intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let q = wanted.get();
                match data.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.admins_only}</p> }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="notice">{lang.texts().load_failed}</p> }.into_any(),
                    Err(AppError::Validation { .. }) => view! {
                        <ErrorSummary error=filter_error/>
                        <p><a href="/admin/servicii">{lang.staff().reset}</a></p>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(o) => view! { <ServicesBody o f=q.filter create create_error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ServicesBody(
    o: ServicesOverview,
    f: ServiceFilter,
    create: ServerAction<CreateService>,
    create_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.services_admin();
    let s = lang.staff();
    let ServicesOverview {
        institution_id,
        institution,
        institutions,
        list,
        categories,
        departments,
        areas,
    } = o;
    let pages = list.total.div_ceil(list.per_page.max(1)).max(1);
    let label = t
        .page_of
        .replace("{page}", &list.page.to_string())
        .replace("{pages}", &pages.to_string());
    let (prev, next) = (
        (list.page > 1).then(|| page_href(institution_id, &f, list.page - 1)),
        (list.page < pages).then(|| page_href(institution_id, &f, list.page + 1)),
    );
    let total = t.total.replace("{n}", &list.total.to_string());
    let table = if list.items.is_empty() {
        view! { <p>{t.empty}</p> }.into_any()
    } else {
        let rows = list
            .items
            .into_iter()
            .map(|sv| {
                let href = format!("/admin/servicii/{}", sv.id);
                let provider = if sv.provider_type == "private" {
                    let kind = if sv.accredited {
                        t.private_accredited
                    } else {
                        t.private_not_accredited
                    };
                    format!("{} ({kind})", sv.provider)
                } else {
                    sv.provider.clone()
                };
                view! {
                    <tr>
                        <td><code>{sv.code.clone()}</code></td>
                        <td><a href=href>{sv.name.clone()}</a></td>
                        <td>{provider}</td>
                        <td>{sv.area.clone().unwrap_or_default()}</td>
                        <td><ServiceState active=sv.active/></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="list-title">
                <table>
                    <caption class="visually-hidden">{t.list_title}</caption>
                    <thead><tr>
                        <th scope="col">{t.col_code}</th>
                        <th scope="col">{t.col_name}</th>
                        <th scope="col">{t.col_provider}</th>
                        <th scope="col">{t.col_area}</th>
                        <th scope="col">{t.col_state}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let paged = prev.is_some() || next.is_some();
    let several = institutions.len() > 1;
    let chosen = institution_id.to_string();
    let (inst_filter, inst_new) = (institution_id.to_string(), institution_id.to_string());
    let export = format!("/api/v1/admin/institutions/{institution_id}/services.csv");
    let active = f.active.clone().unwrap_or_default();
    let area = f.area.clone();
    let area_options = areas.clone();
    let chooser = several.then(|| {
        view! {
            <Form method="get" action="/admin/servicii">
                <div class="form-group">
                    <label for="institutie">{t.institution_label}</label>
                    <select id="institutie" name="institutie">
                        {institutions.into_iter().map(|c| {
                            let is = c.value == chosen;
                            view! { <option value=c.value selected=is>{c.label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button-secondary">{t.institution_show}</button>
            </Form>
        }
        .into_any()
    });
    let filters = view! {
    <section aria-labelledby="filters-title">
        <h2 id="filters-title">{t.filters_title}</h2>
        <Form method="get" action="/admin/servicii">
            <input type="hidden" name="institutie" value=inst_filter/>
            <div class="filter-grid">
                <div class="form-group">
                    <label for="q">{t.filter_q}</label>
                    <p class="hint" id="q-hint">{t.filter_q_hint}</p>
                    <input type="search" id="q" name="q" maxlength="200" aria-describedby="q-hint" value=f.q.clone()/>
                </div>
                <div class="form-group">
                    <label for="area">{t.filter_area}</label>
                    <select id="area" name="area">
                        <option value="">{t.any}</option>
                        {area_options.into_iter().map(|a| {
                            let is = area.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(&a));
                            view! { <option value=a.clone() selected=is>{a.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label for="active">{t.filter_active}</label>
                    <select id="active" name="active">
                        <option value="">{t.any}</option>
                        <option value="true" selected={active == "true"}>{t.only_active}</option>
                        <option value="false" selected={active == "false"}>{t.only_inactive}</option>
                    </select>
                </div>
            </div>
            <div class="actions">
                <button type="submit">{s.apply}</button>
                " "<a href=format!("/admin/servicii?institutie={institution_id}")>{s.reset}</a>
            </div>
        </Form>
    </section>
    }
    .into_any();
    let list_section = view! {
    <section aria-labelledby="list-title">
        <h2 id="list-title">{total}</h2>
        {table}
        {paged.then(|| view! {
            <nav class="pagination" aria-label=label.clone()>
                {prev.clone().map(|h| view! { <a href=h rel="prev">{t.previous}</a> })}
                " "<span>{label.clone()}</span>" "
                {next.clone().map(|h| view! { <a href=h rel="next">{t.next}</a> })}
            </nav>
        })}
    </section>
    }
    .into_any();
    let new_section = view! {
    <section aria-labelledby="new-title">
        <h2 id="new-title">{t.new_title}</h2>
        <ActionForm action=create attr:novalidate=true attr:aria-labelledby="new-title">
            <input type="hidden" name="institution_id" value=inst_new/>
            <ServiceFields prefix="n-" current=None categories departments areas error=create_error/>
            <button type="submit">{t.create}</button>
        </ActionForm>
    </section>
    }
    .into_any();
    let export_section = view! {
    <section aria-labelledby="export-title">
        <h2 id="export-title">{t.export_title}</h2>
        <p>{t.export_intro}</p>
        <p><a href=export download="">{t.export_link}</a></p>
    </section>
    }
    .into_any();
    view! {
        <ErrorSummary error=create_error/>
        {chooser}
        <p>{t.of_institution.replace("{institution}", &institution)}</p>
        {filters}
        {list_section}
        {new_section}
        {export_section}
        <ImportSection institution_id/>
    }
    .into_any()
}

/// The fields of a service's form (`prefix`: the ids' prefix; `current`: its values).
#[component]
fn ServiceFields(
    prefix: &'static str,
    current: Option<ServiceAdminView>,
    categories: Vec<ServiceChoice>,
    departments: Vec<ServiceChoice>,
    areas: Vec<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_prefs().lang.services_admin();
    let c = current.as_ref();
    let get = |f: fn(&ServiceAdminView) -> String| c.map(f).unwrap_or_default();
    let id = move |f: &str| format!("{prefix}{f}");
    let mut cats = vec![(String::new(), t.none.to_string())];
    cats.extend(pairs(&categories));
    let mut deps = vec![(String::new(), t.none.to_string())];
    deps.extend(pairs(&departments));
    let types = vec![
        ("public".to_string(), t.public.to_string()),
        ("private".to_string(), t.private.to_string()),
    ];
    let accredited = c.is_some_and(|s| s.accredited);
    let accredited_id = id("accredited");
    let areas_id = id("areas");
    view! {
        <Field id=id("code") name="form[code]" label=t.code hint=t.code_hint maxlength=64 value=get(|s| s.code.clone()) error/>
        <Field id=id("name_ro") name="form[name_ro]" label=t.name_ro maxlength=300 value=get(|s| s.name_ro.clone()) error/>
        <Field id=id("name_ru") name="form[name_ru]" label=t.name_ru hint=t.name_other_hint optional=true maxlength=300 value=get(|s| s.name_ru.clone()) error/>
        <Field id=id("name_en") name="form[name_en]" label=t.name_en hint=t.name_other_hint optional=true maxlength=300 value=get(|s| s.name_en.clone()) error/>
        <Field id=id("provider") name="form[provider]" label=t.provider maxlength=300 value=get(|s| s.provider.clone()) error/>
        <Choose id=id("provider_type") name="form[provider_type]" label=t.provider_type options=types selected=c.map(|s| s.provider_type.clone()).unwrap_or_else(|| "public".into()) error/>
        <div class="form-group">
            <div class="choice">
                <input type="checkbox" id=accredited_id.clone() name="form[accredited]" value="true" checked=accredited/>
                <label for=accredited_id>{t.accredited}</label>
            </div>
        </div>
        <Field id=id("area") name="form[area]" label=t.area optional=true maxlength=100 list=areas_id.clone() value=get(|s| s.area.clone().unwrap_or_default()) error/>
        <datalist id=areas_id>
            {areas.into_iter().map(|a| view! { <option value=a/> }).collect_view()}
        </datalist>
        <div class="form-group">
            <label for=id("address")>{t.address}</label>
            <Problem id=id("address") error/>
            <textarea id=id("address") name="form[address]" rows="2" maxlength="500" aria-describedby=described(error, id("address"), false)>{get(|s| s.address.clone().unwrap_or_default())}</textarea>
        </div>
        <Field id=id("contact") name="form[contact]" label=t.contact hint=t.contact_hint optional=true maxlength=300 value=get(|s| s.contact.clone().unwrap_or_default()) error/>
        <Choose id=id("category_id") name="form[category_id]" label=t.category options=cats selected=c.and_then(|s| s.category_id).map(|d| d.to_string()).unwrap_or_default() error/>
        <Choose id=id("department_id") name="form[department_id]" label=t.department options=deps selected=c.and_then(|s| s.department_id).map(|d| d.to_string()).unwrap_or_default() error/>
    }
    .into_any()
}

/// The CSV import: a file, "check" or "import", the outcome (from the address) or the
/// problems by line.
#[component]
fn ImportSection(institution_id: i64) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.services_admin();
    let form = MultipartForm::new();
    let error = form.error(ImportServices::PATH);
    let query = use_query_map();
    let outcome = Memo::new(move |_| {
        query.with(|q| {
            let text = if q.get("importat").is_some() {
                t.imported
            } else if q.get("verificat").is_some() {
                t.checked
            } else {
                return None;
            };
            let n = |k: &str| q.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            Some(
                text.replace("{created}", &n("noi").to_string())
                    .replace("{updated}", &n("actualizate").to_string())
                    .replace("{unchanged}", &n("neschimbate").to_string()),
            )
        })
    });
    let file_error = Signal::derive(move || {
        error.get().and_then(|e| match e {
            AppError::Validation { fields, .. } => fields
                .get("file")
                .and_then(|c| c.first())
                .map(|c| code_message(lang, c)),
            AppError::NotFound | AppError::Forbidden | AppError::Unauthorized => {
                Some(lang.account().error_forbidden.to_string())
            }
            _ => Some(lang.account().error_generic.to_string()),
        })
    });
    // The problems of lines: (line, column, message), in line order.
    let problems = Signal::derive(move || {
        let mut rows: Vec<(u64, String, String)> = error
            .get()
            .and_then(|e| e.fields().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, codes)| {
                let (line, column) = parse_problem_key(k)?;
                let msg = codes
                    .iter()
                    .map(|c| code_message(lang, c))
                    .collect::<Vec<_>>()
                    .join(" ");
                Some((line, column.to_string(), msg))
            })
            .collect();
        rows.sort_by_key(|(line, _, _)| *line);
        rows
    });
    let total = Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.fields().cloned())
            .and_then(|f| f.get("file").cloned())
            .and_then(|c| {
                c.iter()
                    .find_map(|c| c.strip_prefix("import_problems:").map(str::to_string))
            })
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0)
    });
    let file_described = move || {
        let mut ids = vec!["file-hint"];
        if file_error.get().is_some() {
            ids.push("file-error");
        }
        ids.join(" ")
    };
    let inst = institution_id.to_string();
    view! {
        <section aria-labelledby="import-title">
            <h2 id="import-title">{t.import_title}</h2>
            <p>{t.import_intro}</p>
            <p class="hint">{t.import_format}</p>
            {move || outcome.get().map(|m| view! { <p class="notice notice-success" role="status">{m}</p> })}
            <form method="post" action=ImportServices::PATH enctype="multipart/form-data" novalidate=true aria-labelledby="import-title">
                <input type="hidden" name="institution_id" value=inst/>
                <div class="form-group" class:has-error=move || file_error.get().is_some()>
                    <label for="file">{t.file_label}</label>
                    <p class="hint" id="file-hint">{t.file_hint}</p>
                    {move || file_error.get().map(|m| view! { <p class="field-error" id="file-error">{m}</p> })}
                    <input
                        type="file"
                        id="file"
                        name="file"
                        accept=".csv,text/csv"
                        aria-describedby=file_described
                        aria-invalid=move || file_error.get().is_some().then_some("true")
                    />
                </div>
                <div class="actions">
                    <button type="submit" name="mode" value="check">{t.check}</button>
                    " "
                    <button type="submit" name="mode" value="import" class="button-secondary">{t.import}</button>
                </div>
            </form>
            {move || {
                let rows = problems.get();
                (!rows.is_empty()).then(|| {
                    let more = total.get().saturating_sub(rows.len());
                    view! {
                        <h3 id="problems-title">{t.problems_title}</h3>
                        <p>{t.problems_intro}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="problems-title">
                            <table>
                                <caption class="visually-hidden">{t.problems_title}</caption>
                                <thead><tr>
                                    <th scope="col">{t.col_line}</th>
                                    <th scope="col">{t.col_column}</th>
                                    <th scope="col">{t.col_problem}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|(line, column, msg)| {
                                        let column = if column == "file" { t.whole_file.to_string() } else { column };
                                        view! {
                                            <tr>
                                                <td>{line}</td>
                                                <td><code>{column}</code></td>
                                                <td>{msg}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {(more > 0).then(|| view! { <p>{t.more_problems.replace("{n}", &more.to_string())}</p> })}
                    }
                })
            }}
        </section>
    }
    .into_any()
}

/// The forms of a service's page.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateService>,
    active: ServerAction<SetServiceActive>,
}

/// `/admin/servicii/{id}`
#[component]
pub fn ServiceAdminPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.services_admin();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let a = Actions {
        update: ServerAction::new(),
        active: ServerAction::new(),
    };
    let errors = [action_error(a.update), action_error(a.active)];
    let versions = [a.update.version(), a.active.version()];
    let error = last_answered_error(errors, versions);
    let data = Resource::new(
        move || (id.get(), lang, versions.map(|v| v.get())),
        |(id, lang, _)| async move {
            match id {
                Some(id) => admin_service(id, lang).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! {
                        <Title text=t.list_title/>
                        <h1>{t.list_title}</h1>
                        <p class="notice">{t.admins_only}</p>
                    }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <Title text=t.list_title/>
                        <h1>{t.list_title}</h1>
                        <p class="notice">{t.not_found}</p>
                        <p><a href="/admin/servicii">{t.back_to_list}</a></p>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(d) => view! { <ServiceBody d error a/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The notice of the change just made (the address's flag), if any (none while a form shows
/// an error).
fn notice(
    t: &'static crate::i18n::services_admin::ServicesTexts,
    query: &leptos_router::params::ParamsMap,
    error: Option<AppError>,
) -> Option<&'static str> {
    if error.is_some() {
        return None;
    }
    let flag = |k: &str| query.get(k).is_some();
    if flag("creat") {
        Some(t.created_notice)
    } else if flag("salvat") {
        Some(t.saved)
    } else if flag("dezactivat") {
        Some(t.deactivated)
    } else if flag("reactivat") {
        Some(t.reactivated)
    } else {
        None
    }
}

#[component]
fn ServiceBody(d: ServiceDetail, error: Signal<Option<AppError>>, a: Actions) -> impl IntoView {
    let t = use_prefs().lang.services_admin();
    let ServiceDetail {
        service,
        institution,
        categories,
        departments,
        areas,
        cases,
    } = d;
    let query = use_query_map();
    let message = Memo::new(move |_| query.with(|q| notice(t, q, error.get())));
    let created = service.created_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let back = format!("/admin/servicii?institutie={}", service.institution_id);
    let id = service.id.to_string();
    let id_active = service.id.to_string();
    let next = (!service.active).to_string();
    let (state, button, hint) = if service.active {
        (t.state_is_active, t.deactivate, t.deactivate_hint)
    } else {
        (t.state_is_inactive, t.reactivate, t.reactivate_hint)
    };
    view! {
        <Title text=service.name.clone()/>
        <p><a href=back>{t.back_to_list}</a></p>
        <h1>{service.name.clone()}</h1>
        <ErrorSummary error/>
        {move || message.get().map(|m| view! { <p class="notice notice-success" role="status">{m}</p> })}
        <section aria-labelledby="details-title">
            <h2 id="details-title">{t.details_title}</h2>
            <dl class="summary-list">
                <dt>{t.institution_label}</dt>
                <dd>{institution}</dd>
                <dt>{t.code}</dt>
                <dd><code>{service.code.clone()}</code></dd>
                <dt>{t.col_state}</dt>
                <dd><ServiceState active=service.active/></dd>
                <dt>{t.created_label}</dt>
                <dd>{created}</dd>
            </dl>
            <p>{t.cases.replace("{n}", &cases.to_string())}</p>
            <ActionForm action=a.update attr:novalidate=true attr:aria-labelledby="details-title">
                <input type="hidden" name="id" value=id/>
                <ServiceFields prefix="" current=Some(service.clone()) categories departments areas error/>
                <button type="submit">{t.save}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="state-title">
            <h2 id="state-title">{t.state_title}</h2>
            <p>{state}</p>
            <ActionForm action=a.active>
                <input type="hidden" name="id" value=id_active/>
                <input type="hidden" name="active" value=next/>
                <p class="hint" id="active-hint">{hint}</p>
                <Problem id="active".to_string() error/>
                <button type="submit" id="active" class="button-secondary" aria-describedby=described(error, "active".to_string(), true)>{button}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
