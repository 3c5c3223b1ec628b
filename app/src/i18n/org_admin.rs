//! Texts of the administration of institutions, departments and routing rules
//! (`/admin/institutii`), and the messages of its validation codes.

use super::Lang;

pub struct OrgTexts {
    pub nav: &'static str,
    pub list_title: &'static str,
    pub list_intro: &'static str,
    pub admins_only: &'static str,
    pub not_found: &'static str,
    pub empty: &'static str,
    pub col_name: &'static str,
    pub col_prefix: &'static str,
    pub col_calendar: &'static str,
    pub col_timezone: &'static str,
    pub new_title: &'static str,
    pub create: &'static str,
    pub saved: &'static str,
    pub back_to_list: &'static str,
    pub details_title: &'static str,
    pub slug: &'static str,
    pub slug_hint: &'static str,
    pub name_ro: &'static str,
    pub name_ru: &'static str,
    pub name_en: &'static str,
    pub reg_prefix: &'static str,
    pub reg_prefix_hint: &'static str,
    pub calendar: &'static str,
    /// In the order of `model::org_admin::CALENDARS`.
    pub calendars: [&'static str; 2],
    pub counting_rule: &'static str,
    /// In the order of `model::org_admin::COUNTING_RULES`.
    pub counting_rules: [&'static str; 2],
    pub timezone: &'static str,
    pub timezone_hint: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
    pub default_department: &'static str,
    pub default_department_hint: &'static str,
    pub none: &'static str,
    pub save: &'static str,
    pub departments_title: &'static str,
    pub departments_empty: &'static str,
    pub code: &'static str,
    pub code_hint: &'static str,
    pub area: &'static str,
    pub area_hint: &'static str,
    pub area_short: &'static str,
    pub inactive: &'static str,
    /// `{n}`: how many.
    pub open_cases: &'static str,
    pub is_default: &'static str,
    pub edit: &'static str,
    pub deactivate: &'static str,
    pub activate: &'static str,
    pub new_department_title: &'static str,
    pub add_department: &'static str,
    pub rules_title: &'static str,
    pub rules_intro: &'static str,
    pub rules_empty: &'static str,
    pub col_condition: &'static str,
    pub col_department: &'static str,
    pub col_actions: &'static str,
    pub service: &'static str,
    pub category: &'static str,
    pub any: &'static str,
    pub rule_inactive: &'static str,
    pub delete_rule: &'static str,
    pub new_rule_title: &'static str,
    pub rule_hint: &'static str,
    pub department: &'static str,
    pub add_rule: &'static str,
}

pub const RO: OrgTexts = OrgTexts {
    nav: "Instituții",
    list_title: "Instituții",
    list_intro: "Instituțiile pe care le administrați: datele lor, subdiviziunile și regulile după care petițiile ajung la subdiviziunea competentă.",
    admins_only: "Această pagină este pentru administratori.",
    not_found: "Instituția nu există sau nu o administrați.",
    empty: "Nicio instituție.",
    col_name: "Denumirea",
    col_prefix: "Prefixul numerelor",
    col_calendar: "Calendarul",
    col_timezone: "Fusul orar",
    new_title: "Adăugați o instituție",
    create: "Adăugați instituția",
    saved: "Modificările au fost salvate.",
    back_to_list: "Toate instituțiile",
    details_title: "Datele instituției",
    slug: "Identificatorul (în adrese și configurare)",
    slug_hint: "2–64 de litere mici latine, cifre și cratime, de exemplu primaria-balti. Nu se mai poate schimba.",
    name_ro: "Denumirea în română",
    name_ru: "Denumirea în rusă",
    name_en: "Denumirea în engleză",
    reg_prefix: "Prefixul numerelor de înregistrare",
    reg_prefix_hint: "2–16 litere mari latine sau cifre, de exemplu CHI în CHI-2026-000123.",
    calendar: "Calendarul zilelor lucrătoare",
    calendars: ["Republica Moldova", "România"],
    counting_rule: "Calculul termenelor",
    counting_rules: [
        "Ziua de început nu se numără (D + N)",
        "Zile libere: nici ziua de început, nici cea finală (D + N + 1)",
    ],
    timezone: "Fusul orar",
    timezone_hint: "Un nume IANA, de exemplu Europe/Chisinau sau Europe/Bucharest.",
    email: "Adresa de e-mail (opțional)",
    phone: "Telefonul (opțional)",
    address: "Adresa poștală (opțional)",
    default_department: "Subdiviziunea pentru „Nu știu”",
    default_department_hint: "Primește petițiile pentru care petiționarul nu a ales subdiviziunea și nicio regulă, serviciu sau categorie nu o indică.",
    none: "— niciuna —",
    save: "Salvați",
    departments_title: "Subdiviziuni",
    departments_empty: "Nicio subdiviziune încă.",
    code: "Codul",
    code_hint: "1–64 de litere mici latine, cifre, cratime sau linii de subliniere; unic în instituție.",
    area: "Zona teritorială (opțional)",
    area_hint: "De exemplu Botanica: regulile de repartizare o pot folosi.",
    area_short: "Zona",
    inactive: "inactivă",
    open_cases: "Cazuri deschise: {n}",
    is_default: "subdiviziunea pentru „Nu știu”",
    edit: "Modificați",
    deactivate: "Dezactivați",
    activate: "Activați din nou",
    new_department_title: "Adăugați o subdiviziune",
    add_department: "Adăugați subdiviziunea",
    rules_title: "Reguli de repartizare",
    rules_intro: "Când petiționarul nu alege subdiviziunea, petiția merge la subdiviziunea celei mai precise reguli care i se potrivește: serviciu și zonă, serviciu, categorie și zonă, categorie, apoi doar zonă. Fără nicio regulă potrivită: subdiviziunea serviciului, a categoriei, apoi cea pentru „Nu știu”. Zona unei petiții este zona serviciului ales.",
    rules_empty: "Nicio regulă încă.",
    col_condition: "Petițiile",
    col_department: "Merg la",
    col_actions: "Acțiuni",
    service: "Serviciul",
    category: "Categoria",
    any: "— oricare —",
    rule_inactive: "(subdiviziune inactivă: regula nu se aplică)",
    delete_rule: "Ștergeți regula",
    new_rule_title: "Adăugați o regulă",
    rule_hint: "Alegeți un serviciu sau o categorie (nu amândouă), cu sau fără zonă, ori doar o zonă.",
    department: "Subdiviziunea",
    add_rule: "Adăugați regula",
};

pub const RU: OrgTexts = OrgTexts {
    nav: "Учреждения",
    list_title: "Учреждения",
    list_intro: "Учреждения, которыми вы управляете: их данные, подразделения и правила, по которым петиции попадают в компетентное подразделение.",
    admins_only: "Эта страница для администраторов.",
    not_found: "Учреждение не существует или вы им не управляете.",
    empty: "Нет учреждений.",
    col_name: "Название",
    col_prefix: "Префикс номеров",
    col_calendar: "Календарь",
    col_timezone: "Часовой пояс",
    new_title: "Добавить учреждение",
    create: "Добавить учреждение",
    saved: "Изменения сохранены.",
    back_to_list: "Все учреждения",
    details_title: "Данные учреждения",
    slug: "Идентификатор (в адресах и настройках)",
    slug_hint: "2–64 строчные латинские буквы, цифры и дефисы, например primaria-balti. Изменить его потом нельзя.",
    name_ro: "Название на румынском",
    name_ru: "Название на русском",
    name_en: "Название на английском",
    reg_prefix: "Префикс регистрационных номеров",
    reg_prefix_hint: "2–16 заглавных латинских букв или цифр, например CHI в CHI-2026-000123.",
    calendar: "Календарь рабочих дней",
    calendars: ["Республика Молдова", "Румыния"],
    counting_rule: "Исчисление сроков",
    counting_rules: [
        "День начала не считается (D + N)",
        "Свободные дни: не считаются ни день начала, ни последний (D + N + 1)",
    ],
    timezone: "Часовой пояс",
    timezone_hint: "Имя IANA, например Europe/Chisinau или Europe/Bucharest.",
    email: "Адрес электронной почты (необязательно)",
    phone: "Телефон (необязательно)",
    address: "Почтовый адрес (необязательно)",
    default_department: "Подразделение для «Не знаю»",
    default_department_hint: "Получает петиции, в которых заявитель не выбрал подразделение и на него не указывают ни правило, ни услуга, ни категория.",
    none: "— нет —",
    save: "Сохранить",
    departments_title: "Подразделения",
    departments_empty: "Подразделений пока нет.",
    code: "Код",
    code_hint: "1–64 строчные латинские буквы, цифры, дефисы или подчёркивания; уникален в учреждении.",
    area: "Территориальная зона (необязательно)",
    area_hint: "Например Botanica: её могут использовать правила распределения.",
    area_short: "Зона",
    inactive: "отключено",
    open_cases: "Открытых дел: {n}",
    is_default: "подразделение для «Не знаю»",
    edit: "Изменить",
    deactivate: "Отключить",
    activate: "Включить снова",
    new_department_title: "Добавить подразделение",
    add_department: "Добавить подразделение",
    rules_title: "Правила распределения",
    rules_intro: "Если заявитель не выбрал подразделение, петиция идёт в подразделение самого точного подходящего правила: услуга и зона, услуга, категория и зона, категория, затем только зона. Если ни одно правило не подходит: подразделение услуги, категории, затем подразделение для «Не знаю». Зона петиции — зона выбранной услуги.",
    rules_empty: "Правил пока нет.",
    col_condition: "Петиции",
    col_department: "Направляются в",
    col_actions: "Действия",
    service: "Услуга",
    category: "Категория",
    any: "— любая —",
    rule_inactive: "(подразделение отключено: правило не применяется)",
    delete_rule: "Удалить правило",
    new_rule_title: "Добавить правило",
    rule_hint: "Выберите услугу или категорию (не обе), с зоной или без, либо только зону.",
    department: "Подразделение",
    add_rule: "Добавить правило",
};

pub const EN: OrgTexts = OrgTexts {
    nav: "Institutions",
    list_title: "Institutions",
    list_intro: "The institutions you administer: their details, their departments and the rules that bring each petition to the competent department.",
    admins_only: "This page is for administrators.",
    not_found: "The institution does not exist or you do not administer it.",
    empty: "No institution.",
    col_name: "Name",
    col_prefix: "Number prefix",
    col_calendar: "Calendar",
    col_timezone: "Time zone",
    new_title: "Add an institution",
    create: "Add the institution",
    saved: "The changes were saved.",
    back_to_list: "All institutions",
    details_title: "The institution's details",
    slug: "Identifier (in addresses and configuration)",
    slug_hint: "2–64 lower-case Latin letters, digits and hyphens, like primaria-balti. It cannot be changed later.",
    name_ro: "Name in Romanian",
    name_ru: "Name in Russian",
    name_en: "Name in English",
    reg_prefix: "Registration number prefix",
    reg_prefix_hint: "2–16 capital Latin letters or digits, like CHI in CHI-2026-000123.",
    calendar: "Working-day calendar",
    calendars: ["Republic of Moldova", "Romania"],
    counting_rule: "How terms are counted",
    counting_rules: [
        "The start day does not count (D + N)",
        "Free days: neither the start day nor the last one counts (D + N + 1)",
    ],
    timezone: "Time zone",
    timezone_hint: "An IANA name, like Europe/Chisinau or Europe/Bucharest.",
    email: "E-mail address (optional)",
    phone: "Phone (optional)",
    address: "Postal address (optional)",
    default_department: "Department for “I don't know”",
    default_department_hint: "Receives the petitions whose petitioner chose no department and that no rule, service or category points anywhere.",
    none: "— none —",
    save: "Save",
    departments_title: "Departments",
    departments_empty: "No department yet.",
    code: "Code",
    code_hint: "1–64 lower-case Latin letters, digits, hyphens or underscores; unique in the institution.",
    area: "Territorial area (optional)",
    area_hint: "Like Botanica: routing rules can use it.",
    area_short: "Area",
    inactive: "inactive",
    open_cases: "Open cases: {n}",
    is_default: "the department for “I don't know”",
    edit: "Change",
    deactivate: "Deactivate",
    activate: "Activate again",
    new_department_title: "Add a department",
    add_department: "Add the department",
    rules_title: "Routing rules",
    rules_intro: "When the petitioner chooses no department, the petition goes to the department of the most specific rule that matches it: service and area, service, category and area, category, then area alone. When no rule matches: the service's department, the category's, then the one for “I don't know”. A petition's area is the area of the service chosen.",
    rules_empty: "No rule yet.",
    col_condition: "Petitions",
    col_department: "Go to",
    col_actions: "Actions",
    service: "Service",
    category: "Category",
    any: "— any —",
    rule_inactive: "(inactive department: the rule does not apply)",
    delete_rule: "Delete the rule",
    new_rule_title: "Add a rule",
    rule_hint: "Choose a service or a category (not both), with or without an area, or an area alone.",
    department: "Department",
    add_rule: "Add the rule",
};

/// The message of a validation code of these pages (`{name}` where the code carries a value).
pub fn field_error(lang: Lang, code: &str) -> Option<&'static str> {
    Some(match (code, lang) {
        ("name_length", Lang::Ro) => "Scrieți denumirea (1–255 de caractere).",
        ("name_length", Lang::Ru) => "Введите название (1–255 символов).",
        ("name_length", Lang::En) => "Enter the name (1–255 characters).",
        ("slug_format", Lang::Ro) => {
            "Identificatorul are 2–64 de litere mici latine, cifre și cratime."
        }
        ("slug_format", Lang::Ru) => {
            "Идентификатор: 2–64 строчные латинские буквы, цифры и дефисы."
        }
        ("slug_format", Lang::En) => {
            "The identifier has 2–64 lower-case Latin letters, digits and hyphens."
        }
        ("slug_taken", Lang::Ro) => "Altă instituție are deja acest identificator.",
        ("slug_taken", Lang::Ru) => "Этот идентификатор уже у другого учреждения.",
        ("slug_taken", Lang::En) => "Another institution has this identifier already.",
        ("slug_fixed", Lang::Ro) => "Identificatorul unei instituții nu se poate schimba.",
        ("slug_fixed", Lang::Ru) => "Идентификатор учреждения изменить нельзя.",
        ("slug_fixed", Lang::En) => "An institution's identifier cannot change.",
        ("reg_prefix_format", Lang::Ro) => {
            "Prefixul are 2–16 litere mari latine sau cifre, de exemplu CHI."
        }
        ("reg_prefix_format", Lang::Ru) => {
            "Префикс: 2–16 заглавных латинских букв или цифр, например CHI."
        }
        ("reg_prefix_format", Lang::En) => {
            "The prefix has 2–16 capital Latin letters or digits, like CHI."
        }
        ("reg_prefix_taken", Lang::Ro) => {
            "Acest prefix este folosit de altă instituție: numerele de înregistrare trebuie să fie unice."
        }
        ("reg_prefix_taken", Lang::Ru) => {
            "Этот префикс использует другое учреждение: регистрационные номера должны быть уникальными."
        }
        ("reg_prefix_taken", Lang::En) => {
            "Another institution uses this prefix: registration numbers must be unique."
        }
        ("timezone_invalid", Lang::Ro) => "Scrieți un fus orar IANA, de exemplu Europe/Chisinau.",
        ("timezone_invalid", Lang::Ru) => "Укажите часовой пояс IANA, например Europe/Chisinau.",
        ("timezone_invalid", Lang::En) => "Enter an IANA time zone, like Europe/Chisinau.",
        ("phone_invalid", Lang::Ro) => {
            "Scrieți telefonul cu cifre (cel mult 64 de caractere), de exemplu +373 22 123 456."
        }
        ("phone_invalid", Lang::Ru) => {
            "Укажите телефон цифрами (не более 64 символов), например +373 22 123 456."
        }
        ("phone_invalid", Lang::En) => {
            "Enter the phone number in digits (at most 64 characters), like +373 22 123 456."
        }
        ("area_length", Lang::Ro) => "Zona are cel mult 128 de caractere, pe un singur rând.",
        ("area_length", Lang::Ru) => "Зона: не более 128 символов, одной строкой.",
        ("area_length", Lang::En) => "The area has at most 128 characters, on one line.",
        ("department_code_format", Lang::Ro) => {
            "Codul are 1–64 de litere mici latine, cifre, cratime sau linii de subliniere."
        }
        ("department_code_format", Lang::Ru) => {
            "Код: 1–64 строчные латинские буквы, цифры, дефисы или подчёркивания."
        }
        ("department_code_format", Lang::En) => {
            "The code has 1–64 lower-case Latin letters, digits, hyphens or underscores."
        }
        ("department_code_taken", Lang::Ro) => "Altă subdiviziune a instituției are acest cod.",
        ("department_code_taken", Lang::Ru) => "Этот код уже у другого подразделения учреждения.",
        ("department_code_taken", Lang::En) => {
            "Another department of the institution has this code."
        }
        ("department_open_cases", Lang::Ro) => {
            "Subdiviziunea are încă cazuri deschise ({name}): transferați-le sau închideți-le înainte de a o dezactiva."
        }
        ("department_open_cases", Lang::Ru) => {
            "В подразделении ещё есть открытые дела ({name}): передайте или закройте их, прежде чем отключать его."
        }
        ("department_open_cases", Lang::En) => {
            "The department still has open cases ({name}): transfer or close them before deactivating it."
        }
        ("department_is_default", Lang::Ro) => {
            "Este subdiviziunea pentru „Nu știu”: alegeți alta în datele instituției înainte de a o dezactiva."
        }
        ("department_is_default", Lang::Ru) => {
            "Это подразделение для «Не знаю»: выберите другое в данных учреждения, прежде чем отключать его."
        }
        ("department_is_default", Lang::En) => {
            "It is the department for “I don't know”: choose another in the institution's details before deactivating it."
        }
        ("rule_service_or_category", Lang::Ro) => {
            "Alegeți un serviciu sau o categorie, nu amândouă."
        }
        ("rule_service_or_category", Lang::Ru) => "Выберите услугу или категорию, но не обе.",
        ("rule_service_or_category", Lang::En) => "Choose a service or a category, not both.",
        ("rule_condition_required", Lang::Ro) => {
            "Alegeți un serviciu, o categorie sau o zonă: regula trebuie să spună ce petiții repartizează."
        }
        ("rule_condition_required", Lang::Ru) => {
            "Выберите услугу, категорию или зону: правило должно указывать, какие петиции оно распределяет."
        }
        ("rule_condition_required", Lang::En) => {
            "Choose a service, a category or an area: the rule must say which petitions it routes."
        }
        ("rule_duplicate", Lang::Ro) => {
            "Există deja o regulă pentru aceleași petiții: ștergeți-o mai întâi."
        }
        ("rule_duplicate", Lang::Ru) => "Правило для тех же петиций уже есть: сначала удалите его.",
        ("rule_duplicate", Lang::En) => {
            "A rule for the same petitions exists already: delete it first."
        }
        _ => return None,
    })
}
