//! `/admin/utilizatori`: the staff of the institutions the reader administers (filtered by
//! role, department and words of the name or address, a plain GET form), and a form to invite
//! someone; `/admin/utilizatori/{id}`: one user, their roles (an editor of rows), deactivation
//! or reactivation, and a password link. Plain forms that post to server functions: each works
//! without JavaScript, shows its errors next to its own fields and, once done, the user's page
//! again with a notice.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::institutions::{Choose, Field, Problem, described};
use crate::api::users_admin::{
    InviteUser, SaveUserRoles, SendUserPasswordLink, SetUserActive, admin_user, admin_users,
};
use crate::model::AppError;
use crate::model::users_admin::{
    Choice, GrantView, STAFF_ROLES, StaffUser, StaffUserDetail, UserFilter, UsersOverview,
    scope_value,
};
use crate::ui::account::forms::{
    ErrorSummary, FieldError, action_error, filter_error, last_answered_error,
};
use crate::ui::account::my_account::role_name;
use crate::ui::prefs::use_prefs;

fn filter_from_query(q: &leptos_router::params::ParamsMap) -> UserFilter {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    UserFilter {
        role: get("role"),
        department_id: get("department_id"),
        q: get("q"),
        page: get("page"),
        per_page: get("per_page"),
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
fn page_href(f: &UserFilter, page: u64) -> String {
    let mut query: Vec<String> = [
        ("role", &f.role),
        ("department_id", &f.department_id),
        ("q", &f.q),
        ("per_page", &f.per_page),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
    .collect();
    if page > 1 {
        query.push(format!("page={page}"));
    }
    if query.is_empty() {
        "/admin/utilizatori".into()
    } else {
        format!("/admin/utilizatori?{}", query.join("&"))
    }
}

/// The roles of the forms, `(code, label)`.
fn role_options() -> Vec<(String, String)> {
    let a = use_prefs().lang.account();
    STAFF_ROLES
        .iter()
        .map(|r| (r.code().to_string(), role_name(*r, a).to_string()))
        .collect()
}

fn choices(list: &[Choice]) -> Vec<(String, String)> {
    list.iter()
        .map(|c| (c.value.clone(), c.label.clone()))
        .collect()
}

/// A role with where it holds: "Funcționar — Primăria — Direcția".
fn grant_text(g: &GrantView) -> String {
    let prefs = use_prefs();
    let (a, t) = (prefs.lang.account(), prefs.lang.users_admin());
    let role = role_name(g.role, a);
    match (&g.institution, &g.department) {
        (None, _) if g.institution_id.is_none() => format!("{role} — {}", t.scope_portal),
        (Some(i), Some(d)) => format!("{role} — {i} — {d}"),
        (Some(i), None) => format!("{role} — {i}"),
        (None, _) => role.to_string(),
    }
}

/// A user's state, as a tag.
#[component]
fn UserState(user: StaffUser) -> impl IntoView {
    let t = use_prefs().lang.users_admin();
    if !user.active {
        view! { <span class="tag tag-bad">{t.state_inactive}</span> }.into_any()
    } else if user.invitation_pending {
        view! { <span class="tag tag-info">{t.state_invited}</span> }.into_any()
    } else {
        view! { <span class="tag tag-ok">{t.state_active}</span> }.into_any()
    }
}

/// `/admin/utilizatori`
#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.users_admin();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_query));
    let invite = ServerAction::<InviteUser>::new();
    let invite_error = action_error(invite);
    let data = Resource::new(
        move || (filter.get(), lang, invite.version().get()),
        |(f, lang, _)| admin_users(f, lang),
    );
    let filter_error = filter_error(data);
    let error = Signal::derive(move || invite_error.get().or_else(|| filter_error.get()));
    view! {
        <Title text=t.list_title/>
        <h1>{t.list_title}</h1>
        <p>{t.list_intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let f = filter.get();
                match data.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.admins_only}</p> }.into_any(),
                    Err(AppError::Validation { .. }) => view! {
                        <ErrorSummary error/>
                        <FilterForm f departments=Vec::new() error=filter_error/>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(o) => view! { <UsersBody o f error invite_error invite filter_error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The list's filters: a plain GET form.
#[component]
fn FilterForm(
    f: UserFilter,
    departments: Vec<Choice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.users_admin();
    let s = lang.staff();
    let role = f.role.clone();
    let dep = f.department_id.clone();
    view! {
        <section aria-labelledby="filters-title">
            <h2 id="filters-title">{t.filters_title}</h2>
            <Form method="get" action="/admin/utilizatori">
                <div class="filter-grid">
                    <div class="form-group">
                        <label for="role">{t.filter_role}</label>
                        <FieldError name="role" error/>
                        <select id="role" name="role">
                            <option value="">{t.any}</option>
                            {role_options().into_iter().map(|(v, l)| {
                                let is = role.as_deref() == Some(v.as_str());
                                view! { <option value=v selected=is>{l}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="form-group">
                        <label for="department_id">{t.filter_department}</label>
                        <FieldError name="department_id" error/>
                        <select id="department_id" name="department_id">
                            <option value="">{t.any}</option>
                            {departments.into_iter().map(|c| {
                                let is = dep.as_deref() == Some(c.value.as_str());
                                view! { <option value=c.value selected=is>{c.label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="form-group">
                        <label for="q">{t.filter_q}</label>
                        <p class="hint" id="q-hint">{t.filter_q_hint}</p>
                        <input type="search" id="q" name="q" maxlength="200" aria-describedby="q-hint" value=f.q.clone()/>
                    </div>
                </div>
                <div class="actions">
                    <button type="submit">{s.apply}</button>
                    " "<a href="/admin/utilizatori">{s.reset}</a>
                </div>
            </Form>
        </section>
    }
}

#[component]
fn UsersBody(
    o: UsersOverview,
    f: UserFilter,
    error: Signal<Option<AppError>>,
    invite_error: Signal<Option<AppError>>,
    filter_error: Signal<Option<AppError>>,
    invite: ServerAction<InviteUser>,
) -> impl IntoView {
    let t = use_prefs().lang.users_admin();
    let UsersOverview {
        list,
        departments,
        scopes,
    } = o;
    let pages = list.total.div_ceil(list.per_page.max(1)).max(1);
    let label = t
        .page_of
        .replace("{page}", &list.page.to_string())
        .replace("{pages}", &pages.to_string());
    let (prev, next) = (
        (list.page > 1).then(|| page_href(&f, list.page - 1)),
        (list.page < pages).then(|| page_href(&f, list.page + 1)),
    );
    let total = t.total.replace("{n}", &list.total.to_string());
    let table = if list.items.is_empty() {
        view! { <p>{t.empty}</p> }.into_any()
    } else {
        let rows = list
            .items
            .into_iter()
            .map(|u| {
                let roles = if u.grants.is_empty() {
                    t.no_roles_here.to_string()
                } else {
                    u.grants
                        .iter()
                        .map(grant_text)
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                let href = format!("/admin/utilizatori/{}", u.id);
                let (name, email) = (u.full_name.clone(), u.email.clone());
                view! {
                    <tr>
                        <td><a href=href>{name}</a></td>
                        <td>{email}</td>
                        <td>{roles}</td>
                        <td><UserState user=u/></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="list-title">
                <table>
                    <caption class="visually-hidden">{t.list_title}</caption>
                    <thead><tr>
                        <th scope="col">{t.col_name}</th>
                        <th scope="col">{t.col_email}</th>
                        <th scope="col">{t.col_roles}</th>
                        <th scope="col">{t.col_state}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let paged = prev.is_some() || next.is_some();
    view! {
        <ErrorSummary error/>
        <FilterForm f departments error=filter_error/>
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
        <section aria-labelledby="invite-title">
            <h2 id="invite-title">{t.invite_title}</h2>
            <p id="invite-intro">{t.invite_intro}</p>
            <ActionForm action=invite attr:novalidate=true attr:aria-labelledby="invite-title" attr:aria-describedby="invite-intro">
                <Field id="i-email" name="form[email]" label=t.email kind="email" maxlength=254 error=invite_error/>
                <Field id="i-full_name" name="form[full_name]" label=t.full_name maxlength=200 error=invite_error/>
                <Choose id="i-role" name="form[role]" label=t.role options=role_options() error=invite_error/>
                <Choose id="i-scope" name="form[scope]" label=t.scope hint=t.scope_hint options=choices(&scopes) error=invite_error/>
                <button type="submit">{t.invite}</button>
            </ActionForm>
        </section>
    }
}

/// The forms of a user's page.
#[derive(Clone, Copy)]
struct Actions {
    roles: ServerAction<SaveUserRoles>,
    active: ServerAction<SetUserActive>,
    link: ServerAction<SendUserPasswordLink>,
}

/// `/admin/utilizatori/{id}`
#[component]
pub fn UserPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.users_admin();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let a = Actions {
        roles: ServerAction::new(),
        active: ServerAction::new(),
        link: ServerAction::new(),
    };
    let errors = [
        action_error(a.roles),
        action_error(a.active),
        action_error(a.link),
    ];
    let versions = [a.roles.version(), a.active.version(), a.link.version()];
    let error = last_answered_error(errors, versions);
    let data = Resource::new(
        move || (id.get(), lang, versions.map(|v| v.get())),
        |(id, lang, _)| async move {
            match id {
                Some(id) => admin_user(id, lang).await,
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
                        <p><a href="/admin/utilizatori">{t.back_to_list}</a></p>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(d) => view! { <UserBody d error a/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The notice of the change just made (the address's flag), if any (none while a form shows
/// an error).
fn notice(
    t: &'static crate::i18n::users_admin::UsersTexts,
    query: &leptos_router::params::ParamsMap,
    email: &str,
    error: Option<AppError>,
) -> Option<String> {
    if error.is_some() {
        return None;
    }
    let flag = |k: &str| query.get(k).is_some();
    if flag("invitat") {
        Some(t.invited.replace("{email}", email))
    } else if flag("salvat") {
        Some(t.saved.to_string())
    } else if flag("dezactivat") {
        Some(t.deactivated.to_string())
    } else if flag("reactivat") {
        Some(t.reactivated.to_string())
    } else if flag("trimis") {
        Some(t.link_sent.replace("{email}", email))
    } else {
        None
    }
}

#[component]
fn UserBody(d: StaffUserDetail, error: Signal<Option<AppError>>, a: Actions) -> impl IntoView {
    let prefs = use_prefs();
    let t = prefs.lang.users_admin();
    let StaffUserDetail {
        user,
        editable,
        is_self,
        scopes,
    } = d;
    let email = user.email.clone();
    let query = use_query_map();
    let message = Memo::new(move |_| query.with(|q| notice(t, q, &email, error.get())));
    let created = user.created_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let grants = if user.grants.is_empty() {
        view! { <p>{t.no_roles_here}</p> }.into_any()
    } else {
        let items = user
            .grants
            .iter()
            .map(|g| view! { <li>{grant_text(g)}</li> })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    let note = if is_self {
        Some(t.self_note)
    } else if user.roles_elsewhere {
        Some(t.elsewhere_note)
    } else {
        None
    };
    let state_user = user.clone();
    view! {
        <Title text=user.full_name.clone()/>
        <p><a href="/admin/utilizatori">{t.back_to_list}</a></p>
        <h1>{user.full_name.clone()}</h1>
        <ErrorSummary error/>
        {move || message.get().map(|m| view! { <p class="notice notice-success" role="status">{m}</p> })}
        {note.map(|n| view! { <p class="notice">{n}</p> })}

        <section aria-labelledby="account-title">
            <h2 id="account-title">{t.account_title}</h2>
            <dl class="summary-list">
                <dt>{t.email}</dt>
                <dd>{user.email.clone()}</dd>
                <dt>{t.state}</dt>
                <dd><UserState user=state_user/></dd>
                <dt>{t.created}</dt>
                <dd>{created}</dd>
            </dl>
        </section>

        <section aria-labelledby="roles-title">
            <h2 id="roles-title">{t.roles_title}</h2>
            {if editable {
                view! { <RolesEditor user=user.clone() scopes error action=a.roles/> }.into_any()
            } else {
                grants
            }}
        </section>

        {editable.then(|| view! { <AccessForms user=user.clone() error a/> })}
    }
}

/// The roles as rows of a form, and an empty row to add one.
#[component]
fn RolesEditor(
    user: StaffUser,
    scopes: Vec<Choice>,
    error: Signal<Option<AppError>>,
    action: ServerAction<SaveUserRoles>,
) -> impl IntoView {
    let t = use_prefs().lang.users_admin();
    let mut roles = vec![(String::new(), t.no_role.to_string())];
    roles.extend(role_options());
    let count = user.grants.len();
    let rows: Vec<(String, String)> = user
        .grants
        .iter()
        .map(|g| {
            (
                g.role.code().to_string(),
                scope_value(g.institution_id, g.department_id),
            )
        })
        .chain(std::iter::once((String::new(), String::new())))
        .collect();
    let fieldsets = rows
        .into_iter()
        .enumerate()
        .map(|(i, (role, scope))| {
            let legend = if i < count {
                t.role_row.replace("{n}", &(i + 1).to_string())
            } else {
                t.new_role_row.to_string()
            };
            // A role held where the reader offers no choice (an inactive department) keeps
            // its place in the list.
            let mut options = choices(&scopes);
            if !scope.is_empty() && !options.iter().any(|(v, _)| *v == scope) {
                options.push((scope.clone(), scope.clone()));
            }
            view! {
                <fieldset class="grant-row">
                    <legend>{legend}</legend>
                    <Choose id=format!("g{i}-role") name=format!("grants[{i}][role]") label=t.role options=roles.clone() selected=role error/>
                    <Choose id=format!("g{i}-scope") name=format!("grants[{i}][scope]") label=t.scope options=options selected=scope error/>
                </fieldset>
            }
        })
        .collect_view();
    let id = user.id.to_string();
    view! {
        <p id="roles-intro">{t.roles_intro}</p>
        <ActionForm action attr:novalidate=true attr:aria-labelledby="roles-title" attr:aria-describedby="roles-intro">
            <input type="hidden" name="id" value=id/>
            <div id="grants" tabindex="-1">
                <Problem id="grants".to_string() error/>
                {fieldsets}
            </div>
            <button type="submit">{t.save_roles}</button>
        </ActionForm>
    }
}

/// Deactivation or reactivation, and the password link.
#[component]
fn AccessForms(user: StaffUser, error: Signal<Option<AppError>>, a: Actions) -> impl IntoView {
    let t = use_prefs().lang.users_admin();
    let (id_active, id_link) = (user.id.to_string(), user.id.to_string());
    let next = (!user.active).to_string();
    let (state, button, hint) = if user.active {
        (t.access_active, t.deactivate, t.deactivate_hint)
    } else {
        (t.access_inactive, t.reactivate, t.reactivate_hint)
    };
    let (intro, send) = if user.invitation_pending {
        (t.invitation_intro, t.send_invitation)
    } else {
        (t.password_intro, t.send_reset)
    };
    let active = user.active;
    view! {
        <section aria-labelledby="access-title">
            <h2 id="access-title">{t.access_title}</h2>
            <p>{state}</p>
            <ActionForm action=a.active>
                <input type="hidden" name="id" value=id_active/>
                <input type="hidden" name="active" value=next/>
                <p class="hint" id="active-hint">{hint}</p>
                <Problem id="active".to_string() error/>
                <button type="submit" id="active" class="button-secondary" aria-describedby=described(error, "active".to_string(), true)>{button}</button>
            </ActionForm>
        </section>
        {active.then(|| view! {
            <section aria-labelledby="password-title">
                <h2 id="password-title">{t.password_title}</h2>
                <ActionForm action=a.link>
                    <input type="hidden" name="id" value=id_link/>
                    <p class="hint" id="password_link-hint">{intro}</p>
                    <Problem id="password_link".to_string() error/>
                    <button type="submit" id="password_link" class="button-secondary" aria-describedby=described(error, "password_link".to_string(), true)>{send}</button>
                </ActionForm>
            </section>
        })}
    }
}
