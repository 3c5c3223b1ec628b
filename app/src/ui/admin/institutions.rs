//! `/admin/institutii`: the institutions the reader administers (and, for the portal's
//! administrator, a form to add one); `/admin/institutii/{id}`: one institution's details, its
//! departments (add, change, deactivate) and its routing rules (add, delete). Plain forms that
//! post to server functions: each works without JavaScript, shows its errors next to its own
//! fields (their ids carry the form's prefix: `i-`, `nd-`, `d{id}-`, `r-`) and, once done,
//! the page again with a notice.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::org_admin::{
    CreateDepartment, CreateInstitution, CreateRoutingRule, DeleteRoutingRule, SetDepartmentActive,
    UpdateDepartment, UpdateInstitution, org_institution, org_institutions,
};
use crate::model::AppError;
use crate::model::org_admin::{
    CALENDARS, COUNTING_RULES, DEFAULT_TIMEZONE, DepartmentView, InstitutionDetail,
    InstitutionView, RoutingRuleView,
};
use crate::ui::account::forms::{
    ErrorSummary, action_error, field_message, last_answered_error, query_flag,
};
use crate::ui::prefs::use_prefs;

/// The `aria-describedby` of a control: its hint (when it has one) and its error (when shown).
pub(crate) fn described(
    error: Signal<Option<AppError>>,
    id: String,
    hint: bool,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if field_message(&error.get(), &id).is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The error of the control `id`, under its label.
#[component]
pub(crate) fn Problem(id: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let error_id = format!("{id}-error");
    move || {
        field_message(&error.get(), &id)
            .map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })
    }
}

/// A labelled input: `id` is the form's prefix and the field (the key of its error), `name`
/// what the form sends.
#[component]
pub(crate) fn Field(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    label: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] optional: bool,
    #[prop(default = 255)] maxlength: u32,
    #[prop(optional)] list: Option<String>,
) -> impl IntoView {
    let has_error = {
        let id = id.clone();
        move || field_message(&error.get(), &id).is_some()
    };
    let invalid = {
        let id = id.clone();
        move || field_message(&error.get(), &id).is_some().then_some("true")
    };
    let hint_id = format!("{id}-hint");
    view! {
        <div class="form-group" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <Problem id=id.clone() error/>
            <input
                type=kind
                id=id.clone()
                name=name
                value=value
                maxlength=maxlength.to_string()
                list=list
                required=!optional
                spellcheck=(kind == "email").then_some("false")
                aria-describedby=described(error, id.clone(), hint.is_some())
                aria-invalid=invalid
            />
        </div>
    }
}

/// A labelled select list of `(value, label)`.
#[component]
pub(crate) fn Choose(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    label: &'static str,
    error: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="form-group">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <Problem id=id.clone() error/>
            <select id=id.clone() name=name aria-describedby=described(error, id.clone(), hint.is_some())>
                {options.into_iter().map(|(v, l)| {
                    let is = selected.as_deref() == Some(v.as_str());
                    view! { <option value=v selected=is>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The forms of an institution's page.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateInstitution>,
    add_dep: ServerAction<CreateDepartment>,
    edit_dep: ServerAction<UpdateDepartment>,
    set_active: ServerAction<SetDepartmentActive>,
    add_rule: ServerAction<CreateRoutingRule>,
    delete_rule: ServerAction<DeleteRoutingRule>,
}

/// The fields of an institution's form (`prefix`: the ids' prefix; `current`: its values).
#[component]
fn InstitutionFields(
    prefix: &'static str,
    current: Option<InstitutionView>,
    /// The active departments, for the "I don't know" department (none when creating).
    departments: Vec<DepartmentView>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_prefs().lang.org_admin();
    let c = current.clone();
    let get = move |f: fn(&InstitutionView) -> String| c.as_ref().map(f);
    let calendars: Vec<(String, String)> = CALENDARS
        .iter()
        .zip(t.calendars)
        .map(|(c, l)| (c.to_string(), format!("{l} ({c})")))
        .collect();
    let rules: Vec<(String, String)> = COUNTING_RULES
        .iter()
        .zip(t.counting_rules)
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    let creating = current.is_none();
    let mut defaults = vec![(String::new(), t.none.to_string())];
    defaults.extend(
        departments
            .iter()
            .filter(|d| d.active)
            .map(|d| (d.id.to_string(), d.name.clone())),
    );
    let id = move |f: &str| format!("{prefix}{f}");
    view! {
        {creating.then(|| view! {
            <Field id=id("slug") name="form[slug]" label=t.slug hint=t.slug_hint maxlength=64 error/>
        })}
        <Field id=id("name_ro") name="form[name_ro]" label=t.name_ro value=get(|i| i.name_ro.clone()).unwrap_or_default() error/>
        <Field id=id("name_ru") name="form[name_ru]" label=t.name_ru value=get(|i| i.name_ru.clone()).unwrap_or_default() error/>
        <Field id=id("name_en") name="form[name_en]" label=t.name_en value=get(|i| i.name_en.clone()).unwrap_or_default() error/>
        <Field id=id("reg_prefix") name="form[reg_prefix]" label=t.reg_prefix hint=t.reg_prefix_hint maxlength=16 value=get(|i| i.reg_prefix.clone()).unwrap_or_default() error/>
        <Choose id=id("calendar") name="form[calendar]" label=t.calendar options=calendars selected=get(|i| i.calendar.clone()).unwrap_or_else(|| "md".into()) error/>
        <Choose id=id("counting_rule") name="form[counting_rule]" label=t.counting_rule options=rules selected=get(|i| i.counting_rule.clone()).unwrap_or_else(|| "plain".into()) error/>
        <Field id=id("timezone") name="form[timezone]" label=t.timezone hint=t.timezone_hint maxlength=64 value=get(|i| i.timezone.clone()).unwrap_or_else(|| DEFAULT_TIMEZONE.into()) error/>
        <Field id=id("email") name="form[email]" label=t.email kind="email" optional=true value=get(|i| opt(&i.email)).unwrap_or_default() error/>
        <Field id=id("phone") name="form[phone]" label=t.phone kind="tel" optional=true maxlength=64 value=get(|i| opt(&i.phone)).unwrap_or_default() error/>
        <div class="form-group">
            <label for=id("address")>{t.address}</label>
            <Problem id=id("address") error/>
            <textarea id=id("address") name="form[address]" rows="3" maxlength="500" aria-describedby=described(error, id("address"), false)>{get(|i| opt(&i.address))}</textarea>
        </div>
        {(!creating).then(|| view! {
            <Choose id=id("default_department_id") name="form[default_department_id]" label=t.default_department hint=t.default_department_hint options=defaults selected=get(|i| i.default_department_id.map(|d| d.to_string()).unwrap_or_default()).unwrap_or_default() error/>
        })}
    }
}

/// `/admin/institutii`
#[component]
pub fn InstitutionsPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.org_admin();
    let create = ServerAction::<CreateInstitution>::new();
    let error = action_error(create);
    let list = Resource::new(
        move || (lang, create.version().get()),
        |(lang, _)| org_institutions(lang),
    );
    view! {
        <Title text=t.list_title/>
        <h1>{t.list_title}</h1>
        <p>{t.list_intro}</p>
        <ErrorSummary error/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.admins_only}</p> }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(l) => view! {
                        {if l.institutions.is_empty() {
                            view! { <p>{t.empty}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" tabindex="0" role="region" aria-label=t.list_title>
                                    <table>
                                        <caption class="visually-hidden">{t.list_title}</caption>
                                        <thead><tr>
                                            <th scope="col">{t.col_name}</th>
                                            <th scope="col">{t.col_prefix}</th>
                                            <th scope="col">{t.col_calendar}</th>
                                            <th scope="col">{t.col_timezone}</th>
                                        </tr></thead>
                                        <tbody>
                                            {l.institutions.into_iter().map(|i| view! {
                                                <tr>
                                                    <td><a href=format!("/admin/institutii/{}", i.id)>{i.name}</a></td>
                                                    <td><code>{i.reg_prefix}</code></td>
                                                    <td>{i.calendar}</td>
                                                    <td>{i.timezone}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        {l.can_create.then(|| view! {
                            <h2 id="new-title">{t.new_title}</h2>
                            <ActionForm action=create attr:novalidate=true attr:aria-labelledby="new-title">
                                <InstitutionFields prefix="" current=None departments=Vec::new() error/>
                                <button type="submit">{t.create}</button>
                            </ActionForm>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/institutii/{id}`
#[component]
pub fn InstitutionPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.org_admin();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let a = Actions {
        update: ServerAction::new(),
        add_dep: ServerAction::new(),
        edit_dep: ServerAction::new(),
        set_active: ServerAction::new(),
        add_rule: ServerAction::new(),
        delete_rule: ServerAction::new(),
    };
    let errors = [
        action_error(a.update),
        action_error(a.add_dep),
        action_error(a.edit_dep),
        action_error(a.set_active),
        action_error(a.add_rule),
        action_error(a.delete_rule),
    ];
    let versions = [
        a.update.version(),
        a.add_dep.version(),
        a.edit_dep.version(),
        a.set_active.version(),
        a.add_rule.version(),
        a.delete_rule.version(),
    ];
    let error = last_answered_error(errors, versions);
    let saved = query_flag("salvat");
    let data = Resource::new(
        move || (id.get(), lang, versions.map(|v| v.get())),
        |(id, lang, _)| async move {
            match id {
                Some(id) => org_institution(id, lang).await,
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
                        <p><a href="/admin/institutii">{t.back_to_list}</a></p>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(d) => view! {
                        <InstitutionBody d error saved a/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InstitutionBody(
    d: InstitutionDetail,
    error: Signal<Option<AppError>>,
    saved: Signal<Option<String>>,
    a: Actions,
) -> impl IntoView {
    let t = use_prefs().lang.org_admin();
    let Actions {
        update,
        add_dep,
        edit_dep,
        set_active,
        add_rule,
        delete_rule,
    } = a;
    let InstitutionDetail {
        institution: inst,
        departments,
        rules,
        categories,
        services,
        areas,
    } = d;
    let (id_update, id_add_dep, id_add_rule) = (
        inst.id.to_string(),
        inst.id.to_string(),
        inst.id.to_string(),
    );
    let (name, title, slug) = (inst.name.clone(), inst.name.clone(), inst.slug.clone());
    let slug_value = slug.clone();
    let default_id = inst.default_department_id;
    let active: Vec<(String, String)> = departments
        .iter()
        .filter(|x| x.active)
        .map(|x| (x.id.to_string(), x.name.clone()))
        .collect();
    let any = |list: &[crate::model::org_admin::OrgChoice]| {
        let mut v = vec![(String::new(), t.any.to_string())];
        v.extend(list.iter().map(|c| (c.id.to_string(), c.name.clone())));
        v
    };
    let categories = any(&categories);
    let services = any(&services);
    let department_list = if departments.is_empty() {
        view! { <p>{t.departments_empty}</p> }.into_any()
    } else {
        let items = departments
            .iter()
            .cloned()
            .map(|dep| {
                let is_default = default_id == Some(dep.id);
                view! { <DepartmentItem dep is_default error edit_dep set_active/> }
            })
            .collect_view();
        view! { <ul class="canned-list">{items}</ul> }.into_any()
    };
    let rule_table = if rules.is_empty() {
        view! { <p>{t.rules_empty}</p> }.into_any()
    } else {
        let rows = rules
            .into_iter()
            .map(|r| view! { <RuleRow r delete_rule/> })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="rules-title">
                <table>
                    <caption class="visually-hidden">{t.rules_title}</caption>
                    <thead><tr>
                        <th scope="col">{t.col_condition}</th>
                        <th scope="col">{t.col_department}</th>
                        <th scope="col">{t.col_actions}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let area_options = areas
        .into_iter()
        .map(|a| view! { <option value=a></option> })
        .collect_view();
    view! {
        <Title text=title/>
        <p><a href="/admin/institutii">{t.back_to_list}</a></p>
        <h1>{name}</h1>
        <ErrorSummary error/>
        {move || (saved.get().is_some() && error.get().is_none()).then(|| view! {
            <p class="notice notice-success" role="status">{t.saved}</p>
        })}

        <section aria-labelledby="details-title">
            <h2 id="details-title">{t.details_title}</h2>
            <p>{t.slug}": "<code>{slug}</code></p>
            <ActionForm action=update attr:novalidate=true attr:aria-labelledby="details-title">
                <input type="hidden" name="id" value=id_update/>
                <input type="hidden" name="form[slug]" value=slug_value/>
                <InstitutionFields prefix="i-" current=Some(inst) departments error/>
                <button type="submit">{t.save}</button>
            </ActionForm>
        </section>

        <section aria-labelledby="departments-title">
            <h2 id="departments-title">{t.departments_title}</h2>
            {department_list}
            <h3 id="new-department-title">{t.new_department_title}</h3>
            <ActionForm action=add_dep attr:novalidate=true attr:aria-labelledby="new-department-title">
                <input type="hidden" name="institution_id" value=id_add_dep/>
                <DepartmentFields prefix="nd-".to_string() dep=None error/>
                <button type="submit">{t.add_department}</button>
            </ActionForm>
        </section>

        <section aria-labelledby="rules-title">
            <h2 id="rules-title">{t.rules_title}</h2>
            <p>{t.rules_intro}</p>
            {rule_table}
            <h3 id="new-rule-title">{t.new_rule_title}</h3>
            <p class="hint" id="r-hint">{t.rule_hint}</p>
            <ActionForm action=add_rule attr:novalidate=true attr:aria-labelledby="new-rule-title" attr:aria-describedby="r-hint">
                <input type="hidden" name="institution_id" value=id_add_rule/>
                <Choose id="r-service_id" name="service_id" label=t.service options=services error/>
                <Choose id="r-category_id" name="category_id" label=t.category options=categories error/>
                <Field id="r-area" name="area" label=t.area_short optional=true maxlength=128 list="r-areas".to_string() error/>
                <datalist id="r-areas">{area_options}</datalist>
                <Choose id="r-department_id" name="department_id" label=t.department options=active error/>
                <button type="submit">{t.add_rule}</button>
            </ActionForm>
        </section>
    }
}

/// The fields of a department's form.
#[component]
fn DepartmentFields(
    prefix: String,
    dep: Option<DepartmentView>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_prefs().lang.org_admin();
    let id = |f: &str| format!("{prefix}{f}");
    let get = |f: fn(&DepartmentView) -> String| dep.as_ref().map(f);
    view! {
        <Field id=id("code") name="code" label=t.code hint=t.code_hint maxlength=64 value=get(|d| d.code.clone()).unwrap_or_default() error/>
        <Field id=id("name_ro") name="name_ro" label=t.name_ro value=get(|d| d.name_ro.clone()).unwrap_or_default() error/>
        <Field id=id("name_ru") name="name_ru" label=t.name_ru value=get(|d| d.name_ru.clone()).unwrap_or_default() error/>
        <Field id=id("name_en") name="name_en" label=t.name_en value=get(|d| d.name_en.clone()).unwrap_or_default() error/>
        <Field id=id("area") name="area" label=t.area hint=t.area_hint optional=true maxlength=128 value=get(|d| opt(&d.area)).unwrap_or_default() error/>
        <Field id=id("email") name="email" label=t.email kind="email" optional=true value=get(|d| opt(&d.email)).unwrap_or_default() error/>
    }
}

/// One department: what it is, a form to change it, a button to deactivate or activate it.
#[component]
fn DepartmentItem(
    dep: DepartmentView,
    is_default: bool,
    error: Signal<Option<AppError>>,
    edit_dep: ServerAction<UpdateDepartment>,
    set_active: ServerAction<SetDepartmentActive>,
) -> impl IntoView {
    let t = use_prefs().lang.org_admin();
    let prefix = format!("d{}-", dep.id);
    // The change form stays open while it shows an error.
    let open = {
        let prefix = prefix.clone();
        move || {
            error
                .get()
                .as_ref()
                .and_then(|e| e.fields())
                .is_some_and(|f| {
                    f.keys()
                        .any(|k| k.starts_with(&prefix) && !k.ends_with("-active"))
                })
        }
    };
    let of_name = format!(": {}", dep.name);
    let (of_name_save, of_name_toggle) = (of_name.clone(), of_name.clone());
    let button_id = format!("{prefix}active");
    let (problem_id, described_id) = (button_id.clone(), button_id.clone());
    let facts: Vec<String> = [
        Some(dep.code.clone()),
        dep.area.clone(),
        dep.email.clone(),
        Some(t.open_cases.replace("{n}", &dep.open_cases.to_string())),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (id_edit, id_toggle) = (dep.id.to_string(), dep.id.to_string());
    let next = (!dep.active).to_string();
    let toggle = if dep.active { t.deactivate } else { t.activate };
    let name = dep.name.clone();
    let inactive = !dep.active;
    view! {
        <li>
            <h3>
                {name}
                {inactive.then(|| view! { " "<span class="tag tag-warn">{t.inactive}</span> })}
                {is_default.then(|| view! { " "<span class="tag tag-info">{t.is_default}</span> })}
            </h3>
            <p class="hint">{facts.join(" · ")}</p>
            <details open=open>
                <summary>{t.edit}<span class="visually-hidden">{of_name}</span></summary>
                <ActionForm action=edit_dep attr:novalidate=true>
                    <input type="hidden" name="id" value=id_edit/>
                    <DepartmentFields prefix=prefix dep=Some(dep) error/>
                    <button type="submit">{t.save}<span class="visually-hidden">{of_name_save}</span></button>
                </ActionForm>
            </details>
            <ActionForm action=set_active>
                <input type="hidden" name="id" value=id_toggle/>
                <input type="hidden" name="active" value=next/>
                <Problem id=problem_id error/>
                <button type="submit" id=button_id class="button-secondary" aria-describedby=described(error, described_id, false)>
                    {toggle}
                    <span class="visually-hidden">{of_name_toggle}</span>
                </button>
            </ActionForm>
        </li>
    }
}

/// One routing rule in the table, with its delete button.
#[component]
fn RuleRow(r: RoutingRuleView, delete_rule: ServerAction<DeleteRoutingRule>) -> impl IntoView {
    let t = use_prefs().lang.org_admin();
    let mut condition = Vec::new();
    if let Some(s) = &r.service {
        condition.push(format!("{}: {s}", t.service));
    }
    if let Some(c) = &r.category {
        condition.push(format!("{}: {c}", t.category));
    }
    if let Some(a) = &r.area {
        condition.push(format!("{}: {a}", t.area_short));
    }
    let condition = condition.join("; ");
    let label = format!(": {condition} → {}", r.department);
    view! {
        <tr>
            <td>{condition.clone()}</td>
            <td>
                {r.department.clone()}
                {(!r.department_active).then(|| view! { " "<span class="hint">{t.rule_inactive}</span> })}
            </td>
            <td>
                <ActionForm action=delete_rule>
                    <input type="hidden" name="id" value=r.id.to_string()/>
                    <button type="submit" class="button-secondary">{t.delete_rule}<span class="visually-hidden">{label}</span></button>
                </ActionForm>
            </td>
        </tr>
    }
}
