//! Texts of the administration of staff users (`/admin/utilizatori`), and the messages of its
//! validation codes.

use super::Lang;

pub struct UsersTexts {
    pub nav: &'static str,
    pub list_title: &'static str,
    pub list_intro: &'static str,
    pub admins_only: &'static str,
    pub not_found: &'static str,
    pub filters_title: &'static str,
    pub filter_role: &'static str,
    pub filter_department: &'static str,
    pub filter_q: &'static str,
    pub filter_q_hint: &'static str,
    pub any: &'static str,
    pub empty: &'static str,
    /// `{n}`: how many.
    pub total: &'static str,
    pub col_name: &'static str,
    pub col_email: &'static str,
    pub col_roles: &'static str,
    pub col_state: &'static str,
    pub state_active: &'static str,
    pub state_inactive: &'static str,
    pub state_invited: &'static str,
    pub no_roles_here: &'static str,
    /// `{page}`, `{pages}`.
    pub page_of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub scope_portal: &'static str,
    /// `{institution}`.
    pub scope_institution: &'static str,
    pub invite_title: &'static str,
    pub invite_intro: &'static str,
    pub email: &'static str,
    pub full_name: &'static str,
    pub role: &'static str,
    pub scope: &'static str,
    pub scope_hint: &'static str,
    pub invite: &'static str,
    pub back_to_list: &'static str,
    pub account_title: &'static str,
    pub created: &'static str,
    pub state: &'static str,
    /// `{email}`.
    pub invited: &'static str,
    pub roles_title: &'static str,
    pub roles_intro: &'static str,
    /// `{n}`: the row's number.
    pub role_row: &'static str,
    pub new_role_row: &'static str,
    pub no_role: &'static str,
    pub save_roles: &'static str,
    pub saved: &'static str,
    pub access_title: &'static str,
    pub access_active: &'static str,
    pub access_inactive: &'static str,
    pub deactivate: &'static str,
    pub deactivate_hint: &'static str,
    pub reactivate: &'static str,
    pub reactivate_hint: &'static str,
    pub deactivated: &'static str,
    pub reactivated: &'static str,
    pub password_title: &'static str,
    pub password_intro: &'static str,
    pub invitation_intro: &'static str,
    pub send_reset: &'static str,
    pub send_invitation: &'static str,
    /// `{email}`.
    pub link_sent: &'static str,
    pub self_note: &'static str,
    pub elsewhere_note: &'static str,
}

pub const RO: UsersTexts = UsersTexts {
    nav: "Utilizatori",
    list_title: "Utilizatori",
    list_intro: "Personalul instituțiilor pe care le administrați: rolurile fiecăruia, invitațiile noi și conturile dezactivate.",
    admins_only: "Această pagină este pentru administratori.",
    not_found: "Utilizatorul nu există sau nu îl administrați.",
    filters_title: "Căutați în listă",
    filter_role: "Rolul",
    filter_department: "Subdiviziunea",
    filter_q: "Numele sau adresa de e-mail",
    filter_q_hint: "Unul sau mai multe cuvinte; literele mari și diacriticele nu contează.",
    any: "— oricare —",
    empty: "Niciun utilizator nu corespunde căutării.",
    total: "Utilizatori găsiți: {n}",
    col_name: "Numele",
    col_email: "Adresa de e-mail",
    col_roles: "Rolurile",
    col_state: "Starea",
    state_active: "activ",
    state_inactive: "dezactivat",
    state_invited: "invitat, fără parolă încă",
    no_roles_here: "niciun rol aici",
    page_of: "Pagina {page} din {pages}",
    previous: "Pagina anterioară",
    next: "Pagina următoare",
    scope_portal: "Tot portalul",
    scope_institution: "{institution} — toate subdiviziunile",
    invite_title: "Invitați un membru al personalului",
    invite_intro: "Persoana primește un e-mail cu un link prin care își alege parola (valabil 7 zile).",
    email: "Adresa de e-mail",
    full_name: "Numele și prenumele",
    role: "Rolul",
    scope: "Unde are rolul",
    scope_hint: "O instituție întreagă sau una dintre subdiviziunile ei.",
    invite: "Trimiteți invitația",
    back_to_list: "Toți utilizatorii",
    account_title: "Contul",
    created: "Creat la",
    state: "Starea",
    invited: "Invitația a fost trimisă la {email}.",
    roles_title: "Rolurile",
    roles_intro: "Fiecare rând este un rol într-o instituție sau într-o subdiviziune. Pentru a scoate un rol, alegeți „— fără rol —”; ultimul rând adaugă un rol nou. La salvare, sesiunile utilizatorului se închid: la următoarea autentificare are drepturile noi.",
    role_row: "Rolul {n}",
    new_role_row: "Rol nou (opțional)",
    no_role: "— fără rol —",
    save_roles: "Salvați rolurile",
    saved: "Rolurile au fost salvate, iar sesiunile utilizatorului au fost închise.",
    access_title: "Accesul",
    access_active: "Contul este activ.",
    access_inactive: "Contul este dezactivat: utilizatorul nu se poate autentifica.",
    deactivate: "Dezactivați contul",
    deactivate_hint: "Toate sesiunile utilizatorului se închid imediat, iar linkurile trimise lui prin e-mail nu mai funcționează. Cazurile lui rămân unde sunt.",
    reactivate: "Reactivați contul",
    reactivate_hint: "Utilizatorul se va putea autentifica din nou, cu aceleași roluri.",
    deactivated: "Contul a fost dezactivat, iar toate sesiunile lui au fost închise.",
    reactivated: "Contul a fost reactivat.",
    password_title: "Parola",
    password_intro: "Trimiteți utilizatorului un link prin care își alege o parolă nouă (valabil 2 ore). Parola veche funcționează până atunci.",
    invitation_intro: "Utilizatorul nu și-a ales încă parola. Trimiteți-i invitația din nou (link valabil 7 zile); linkul trimis anterior nu mai funcționează.",
    send_reset: "Trimiteți linkul de resetare a parolei",
    send_invitation: "Trimiteți invitația din nou",
    link_sent: "Linkul a fost trimis la {email}.",
    self_note: "Acesta este contul dumneavoastră: rolurile și accesul vi le poate schimba un alt administrator.",
    elsewhere_note: "Utilizatorul are roluri și în alte instituții: doar administratorul portalului îi poate schimba rolurile și accesul.",
};

pub const RU: UsersTexts = UsersTexts {
    nav: "Пользователи",
    list_title: "Пользователи",
    list_intro: "Сотрудники учреждений, которыми вы управляете: роли каждого, новые приглашения и отключённые учётные записи.",
    admins_only: "Эта страница для администраторов.",
    not_found: "Пользователь не существует или вы им не управляете.",
    filters_title: "Поиск в списке",
    filter_role: "Роль",
    filter_department: "Подразделение",
    filter_q: "Имя или адрес электронной почты",
    filter_q_hint: "Одно или несколько слов; регистр и диакритические знаки не важны.",
    any: "— любое —",
    empty: "Нет пользователей, соответствующих поиску.",
    total: "Найдено пользователей: {n}",
    col_name: "Имя",
    col_email: "Адрес электронной почты",
    col_roles: "Роли",
    col_state: "Состояние",
    state_active: "активен",
    state_inactive: "отключён",
    state_invited: "приглашён, пароль ещё не выбран",
    no_roles_here: "здесь ролей нет",
    page_of: "Страница {page} из {pages}",
    previous: "Предыдущая страница",
    next: "Следующая страница",
    scope_portal: "Весь портал",
    scope_institution: "{institution} — все подразделения",
    invite_title: "Пригласить сотрудника",
    invite_intro: "Человек получит письмо со ссылкой, по которой выберет пароль (действует 7 дней).",
    email: "Адрес электронной почты",
    full_name: "Фамилия и имя",
    role: "Роль",
    scope: "Где действует роль",
    scope_hint: "Учреждение целиком или одно из его подразделений.",
    invite: "Отправить приглашение",
    back_to_list: "Все пользователи",
    account_title: "Учётная запись",
    created: "Создана",
    state: "Состояние",
    invited: "Приглашение отправлено на {email}.",
    roles_title: "Роли",
    roles_intro: "Каждая строка — роль в учреждении или подразделении. Чтобы снять роль, выберите «— без роли —»; последняя строка добавляет новую роль. При сохранении сеансы пользователя закрываются: при следующем входе у него будут новые права.",
    role_row: "Роль {n}",
    new_role_row: "Новая роль (необязательно)",
    no_role: "— без роли —",
    save_roles: "Сохранить роли",
    saved: "Роли сохранены, сеансы пользователя закрыты.",
    access_title: "Доступ",
    access_active: "Учётная запись активна.",
    access_inactive: "Учётная запись отключена: пользователь не может войти.",
    deactivate: "Отключить учётную запись",
    deactivate_hint: "Все сеансы пользователя сразу закрываются, а отправленные ему по почте ссылки перестают действовать. Его дела остаются на месте.",
    reactivate: "Включить учётную запись",
    reactivate_hint: "Пользователь снова сможет войти, с теми же ролями.",
    deactivated: "Учётная запись отключена, все её сеансы закрыты.",
    reactivated: "Учётная запись снова включена.",
    password_title: "Пароль",
    password_intro: "Отправьте пользователю ссылку, по которой он выберет новый пароль (действует 2 часа). Старый пароль действует до тех пор.",
    invitation_intro: "Пользователь ещё не выбрал пароль. Отправьте приглашение снова (ссылка действует 7 дней); прежняя ссылка перестанет действовать.",
    send_reset: "Отправить ссылку для сброса пароля",
    send_invitation: "Отправить приглашение снова",
    link_sent: "Ссылка отправлена на {email}.",
    self_note: "Это ваша учётная запись: ваши роли и доступ может изменить другой администратор.",
    elsewhere_note: "У пользователя есть роли и в других учреждениях: его роли и доступ может изменить только администратор портала.",
};

pub const EN: UsersTexts = UsersTexts {
    nav: "Users",
    list_title: "Users",
    list_intro: "The staff of the institutions you administer: each one's roles, new invitations and deactivated accounts.",
    admins_only: "This page is for administrators.",
    not_found: "The user does not exist or you do not administer them.",
    filters_title: "Search the list",
    filter_role: "Role",
    filter_department: "Department",
    filter_q: "Name or e-mail address",
    filter_q_hint: "One or more words; capitals and diacritics do not matter.",
    any: "— any —",
    empty: "No user matches the search.",
    total: "Users found: {n}",
    col_name: "Name",
    col_email: "E-mail address",
    col_roles: "Roles",
    col_state: "State",
    state_active: "active",
    state_inactive: "deactivated",
    state_invited: "invited, no password yet",
    no_roles_here: "no role here",
    page_of: "Page {page} of {pages}",
    previous: "Previous page",
    next: "Next page",
    scope_portal: "The whole portal",
    scope_institution: "{institution} — every department",
    invite_title: "Invite a staff member",
    invite_intro: "They get an e-mail with a link to choose their password (it works for 7 days).",
    email: "E-mail address",
    full_name: "Full name",
    role: "Role",
    scope: "Where the role holds",
    scope_hint: "A whole institution or one of its departments.",
    invite: "Send the invitation",
    back_to_list: "All users",
    account_title: "Account",
    created: "Created",
    state: "State",
    invited: "The invitation was sent to {email}.",
    roles_title: "Roles",
    roles_intro: "Each row is a role in an institution or a department. To remove a role, choose “— no role —”; the last row adds a new one. Saving ends the user's sessions: their next login has the new rights.",
    role_row: "Role {n}",
    new_role_row: "New role (optional)",
    no_role: "— no role —",
    save_roles: "Save the roles",
    saved: "The roles were saved and the user's sessions ended.",
    access_title: "Access",
    access_active: "The account is active.",
    access_inactive: "The account is deactivated: the user cannot log in.",
    deactivate: "Deactivate the account",
    deactivate_hint: "Every session of the user ends at once, and the links mailed to them stop working. Their cases stay where they are.",
    reactivate: "Reactivate the account",
    reactivate_hint: "The user will be able to log in again, with the same roles.",
    deactivated: "The account was deactivated and every session of it ended.",
    reactivated: "The account was reactivated.",
    password_title: "Password",
    password_intro: "Send the user a link to choose a new password (it works for 2 hours). The old password works until then.",
    invitation_intro: "The user has not chosen a password yet. Send the invitation again (the link works for 7 days); the earlier link stops working.",
    send_reset: "Send a password reset link",
    send_invitation: "Send the invitation again",
    link_sent: "The link was sent to {email}.",
    self_note: "This is your own account: another administrator can change your roles and access.",
    elsewhere_note: "The user also has roles in other institutions: only the portal's administrator can change their roles and access.",
};

/// The message of a validation code of these pages (and of login's `account_inactive`).
pub fn field_error(lang: Lang, code: &str) -> Option<&'static str> {
    Some(match (code, lang) {
        ("account_inactive", Lang::Ro) => {
            "Acest cont a fost dezactivat. Adresați-vă administratorului instituției dumneavoastră."
        }
        ("account_inactive", Lang::Ru) => {
            "Эта учётная запись отключена. Обратитесь к администратору вашего учреждения."
        }
        ("account_inactive", Lang::En) => {
            "This account has been deactivated. Contact your institution's administrator."
        }
        ("staff_email_taken", Lang::Ro) => {
            "Există deja un cont cu această adresă: căutați-l în listă și schimbați-i rolurile."
        }
        ("staff_email_taken", Lang::Ru) => {
            "Учётная запись с этим адресом уже есть: найдите её в списке и измените её роли."
        }
        ("staff_email_taken", Lang::En) => {
            "An account with this address exists already: find it in the list and change its roles."
        }
        ("grants_empty", Lang::Ro) => "Lăsați utilizatorului cel puțin un rol.",
        ("grants_empty", Lang::Ru) => "Оставьте пользователю хотя бы одну роль.",
        ("grants_empty", Lang::En) => "Leave the user at least one role.",
        ("grant_needs_institution", Lang::Ro) => {
            "Alegeți o instituție: doar rolul de administrator poate cuprinde tot portalul, și doar administratorii portalului îl pot da."
        }
        ("grant_needs_institution", Lang::Ru) => {
            "Выберите учреждение: только роль администратора может охватывать весь портал, и дать её могут только администраторы портала."
        }
        ("grant_needs_institution", Lang::En) => {
            "Choose an institution: only the administrator's role can cover the whole portal, and only the portal's administrators give it."
        }
        ("grant_unknown_institution", Lang::Ro) => "Instituția aleasă nu există.",
        ("grant_unknown_institution", Lang::Ru) => "Выбранное учреждение не существует.",
        ("grant_unknown_institution", Lang::En) => "The chosen institution does not exist.",
        ("grant_unknown_department", Lang::Ro) => "Subdiviziunea aleasă nu aparține instituției.",
        ("grant_unknown_department", Lang::Ru) => {
            "Выбранное подразделение не относится к учреждению."
        }
        ("grant_unknown_department", Lang::En) => {
            "The chosen department does not belong to the institution."
        }
        ("grant_outside_scope", Lang::Ro) => {
            "Puteți da roluri doar în instituțiile pe care le administrați."
        }
        ("grant_outside_scope", Lang::Ru) => {
            "Вы можете давать роли только в учреждениях, которыми управляете."
        }
        ("grant_outside_scope", Lang::En) => {
            "You can give roles only in the institutions you administer."
        }
        ("user_self_deactivate", Lang::Ro) => "Nu vă puteți dezactiva propriul cont.",
        ("user_self_deactivate", Lang::Ru) => "Нельзя отключить собственную учётную запись.",
        ("user_self_deactivate", Lang::En) => "You cannot deactivate your own account.",
        ("user_self_change", Lang::Ro) => "Nu vă puteți schimba propriile roluri.",
        ("user_self_change", Lang::Ru) => "Нельзя изменить собственные роли.",
        ("user_self_change", Lang::En) => "You cannot change your own roles.",
        ("user_self_link", Lang::Ro) => {
            "Pentru propriul cont folosiți „Am uitat parola” sau pagina contului."
        }
        ("user_self_link", Lang::Ru) => {
            "Для своей учётной записи используйте «Забыли пароль» или страницу учётной записи."
        }
        ("user_self_link", Lang::En) => {
            "For your own account, use “Forgot your password” or your account page."
        }
        ("user_inactive", Lang::Ro) => {
            "Contul este dezactivat: reactivați-l înainte de a trimite un link."
        }
        ("user_inactive", Lang::Ru) => {
            "Учётная запись отключена: включите её, прежде чем отправлять ссылку."
        }
        ("user_inactive", Lang::En) => {
            "The account is deactivated: reactivate it before sending a link."
        }
        _ => return None,
    })
}
