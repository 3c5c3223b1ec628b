//! Texts of publication: the staff section of a case page, the redaction page, the public
//! list and page of published cases, and the messages of their errors.

use super::Lang;
use crate::redaction::Kind;

pub struct PublicationTexts {
    /// What stands for each piece of personal data removed from a published text.
    pub marker: &'static str,
    // The staff section of the case page.
    pub section_title: &'static str,
    pub no_consent: &'static str,
    pub consent_given: &'static str,
    pub not_published: &'static str,
    /// `{date}`, `{name}`, `{n}`.
    pub published_on: &'static str,
    pub prepare: &'static str,
    pub prepare_again: &'static str,
    pub public_link: &'static str,
    pub unpublish: &'static str,
    pub published_notice: &'static str,
    pub unpublished_notice: &'static str,
    // The redaction page.
    /// `{number}`.
    pub draft_title: &'static str,
    pub draft_intro: &'static str,
    pub field_subject: &'static str,
    pub field_body: &'static str,
    pub field_address: &'static str,
    pub field_answer: &'static str,
    /// `{field}`.
    pub found_in: &'static str,
    pub nothing_found: &'static str,
    /// `{text}`, `{kind}`.
    pub remove_label: &'static str,
    pub kinds: [&'static str; 7],
    pub extra_label: &'static str,
    pub extra_hint: &'static str,
    pub preview: &'static str,
    pub publish: &'static str,
    pub back: &'static str,
    pub no_answer_yet: &'static str,
    pub staff_only: &'static str,
    // The public pages.
    pub nav: &'static str,
    pub list_title: &'static str,
    pub list_intro: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    /// `{n}`.
    pub count: &'static str,
    pub none: &'static str,
    pub filed: &'static str,
    pub answered: &'static str,
    pub published: &'static str,
    pub status: &'static str,
    pub institution: &'static str,
    pub category: &'static str,
    pub place: &'static str,
    /// `{number}`.
    pub case_title: &'static str,
    pub request_heading: &'static str,
    pub answer_heading: &'static str,
    pub no_answer_public: &'static str,
    /// `{marker}`.
    pub redaction_note: &'static str,
    pub not_found: &'static str,
    pub back_to_list: &'static str,
    /// `{page}`, `{pages}`.
    pub page_of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
}

impl PublicationTexts {
    /// The name of a kind of personal data.
    pub fn kind(&self, kind: Kind) -> &'static str {
        let i = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        self.kinds[i]
    }
}

pub const RO: PublicationTexts = PublicationTexts {
    marker: "[date personale eliminate]",
    section_title: "Publicare",
    no_consent: "Petiționarul nu a consimțit la publicare: cazul nu poate fi publicat.",
    consent_given: "Petiționarul a consimțit la publicarea unei versiuni anonimizate a cazului și a răspunsului.",
    not_published: "Cazul nu este publicat.",
    published_on: "Publicat la {date} de {name}; date personale eliminate: {n}.",
    prepare: "Pregătiți publicarea",
    prepare_again: "Pregătiți din nou publicarea",
    public_link: "Pagina publică a cazului",
    unpublish: "Retrageți publicarea",
    published_notice: "Cazul a fost publicat fără datele personale.",
    unpublished_notice: "Publicarea a fost retrasă.",
    draft_title: "Publicarea cazului {number}",
    draft_intro: "Datele personale găsite automat sunt evidențiate și bifate: vor fi eliminate. Debifați doar ce nu este o dată personală (de exemplu locul problemei) și adăugați mai jos ce a scăpat. Pe pagina publică fiecare eliminare apare ca „[date personale eliminate]”; petiționarul și funcționarii văd în continuare textul complet.",
    field_subject: "Subiectul",
    field_body: "Textul petiției",
    field_address: "Locul",
    field_answer: "Răspunsul",
    found_in: "Date personale găsite: {field}",
    nothing_found: "Nu s-au găsit date personale.",
    remove_label: "Eliminați „{text}” ({kind})",
    kinds: [
        "CNP",
        "IDNP",
        "telefon",
        "e-mail",
        "adresă",
        "nume",
        "adăugat de mână",
    ],
    extra_label: "Alte texte de eliminat (opțional)",
    extra_hint: "Câte unul pe rând, de cel puțin 2 caractere; fiecare apariție va fi eliminată. Apăsați „Previzualizați” pentru a le vedea evidențiate.",
    preview: "Previzualizați",
    publish: "Publicați",
    back: "Înapoi la caz",
    no_answer_yet: "Cazul nu are încă un răspuns: se publică doar petiția. Pregătiți din nou publicarea după răspuns.",
    staff_only: "Pagina este pentru funcționarii care examinează cazul.",
    nav: "Cazuri publicate",
    list_title: "Cazuri publicate",
    list_intro: "Petiții și răspunsuri publicate cu acordul petiționarilor, fără datele lor personale.",
    search_label: "Căutați în cazurile publicate",
    search_button: "Căutați",
    count: "Cazuri publicate: {n}",
    none: "Niciun caz publicat nu corespunde căutării.",
    filed: "Depus la",
    answered: "Răspuns la",
    published: "Publicat la",
    status: "Starea",
    institution: "Instituția",
    category: "Categoria",
    place: "Locul",
    case_title: "Cazul {number}",
    request_heading: "Petiția",
    answer_heading: "Răspunsul",
    no_answer_public: "Răspunsul nu a fost încă publicat.",
    redaction_note: "Datele personale au fost eliminate; locul lor este marcat cu „{marker}”.",
    not_found: "Acest caz nu este publicat.",
    back_to_list: "Toate cazurile publicate",
    page_of: "Pagina {page} din {pages}",
    previous: "Pagina anterioară",
    next: "Pagina următoare",
};

pub const RU: PublicationTexts = PublicationTexts {
    marker: "[персональные данные удалены]",
    section_title: "Публикация",
    no_consent: "Заявитель не дал согласия на публикацию: дело нельзя опубликовать.",
    consent_given: "Заявитель согласился на публикацию обезличенной версии дела и ответа.",
    not_published: "Дело не опубликовано.",
    published_on: "Опубликовано {date}, {name}; удалено персональных данных: {n}.",
    prepare: "Подготовить публикацию",
    prepare_again: "Подготовить публикацию заново",
    public_link: "Публичная страница дела",
    unpublish: "Снять с публикации",
    published_notice: "Дело опубликовано без персональных данных.",
    unpublished_notice: "Дело снято с публикации.",
    draft_title: "Публикация дела {number}",
    draft_intro: "Автоматически найденные персональные данные выделены и отмечены: они будут удалены. Снимите отметку только с того, что не является персональными данными (например, место проблемы), и добавьте ниже пропущенное. На публичной странице каждое удаление показано как «[персональные данные удалены]»; заявитель и сотрудники по-прежнему видят полный текст.",
    field_subject: "Тема",
    field_body: "Текст петиции",
    field_address: "Место",
    field_answer: "Ответ",
    found_in: "Найденные персональные данные: {field}",
    nothing_found: "Персональные данные не найдены.",
    remove_label: "Удалить «{text}» ({kind})",
    kinds: [
        "CNP",
        "IDNP",
        "телефон",
        "e-mail",
        "адрес",
        "имя",
        "добавлено вручную",
    ],
    extra_label: "Другие тексты для удаления (необязательно)",
    extra_hint: "По одному на строке, не короче 2 символов; каждое вхождение будет удалено. Нажмите «Предпросмотр», чтобы увидеть их выделенными.",
    preview: "Предпросмотр",
    publish: "Опубликовать",
    back: "Назад к делу",
    no_answer_yet: "У дела ещё нет ответа: публикуется только петиция. Подготовьте публикацию заново после ответа.",
    staff_only: "Эта страница для сотрудников, рассматривающих дело.",
    nav: "Опубликованные дела",
    list_title: "Опубликованные дела",
    list_intro: "Петиции и ответы, опубликованные с согласия заявителей, без их персональных данных.",
    search_label: "Поиск по опубликованным делам",
    search_button: "Искать",
    count: "Опубликованных дел: {n}",
    none: "Нет опубликованных дел, соответствующих поиску.",
    filed: "Подано",
    answered: "Ответ дан",
    published: "Опубликовано",
    status: "Состояние",
    institution: "Учреждение",
    category: "Категория",
    place: "Место",
    case_title: "Дело {number}",
    request_heading: "Петиция",
    answer_heading: "Ответ",
    no_answer_public: "Ответ ещё не опубликован.",
    redaction_note: "Персональные данные удалены; их место отмечено как «{marker}».",
    not_found: "Это дело не опубликовано.",
    back_to_list: "Все опубликованные дела",
    page_of: "Страница {page} из {pages}",
    previous: "Предыдущая страница",
    next: "Следующая страница",
};

pub const EN: PublicationTexts = PublicationTexts {
    marker: "[personal data removed]",
    section_title: "Publication",
    no_consent: "The petitioner did not consent to publication: the case cannot be published.",
    consent_given: "The petitioner consented to the publication of an anonymised version of the case and the answer.",
    not_published: "The case is not published.",
    published_on: "Published on {date} by {name}; pieces of personal data removed: {n}.",
    prepare: "Prepare the publication",
    prepare_again: "Prepare the publication again",
    public_link: "The case's public page",
    unpublish: "Unpublish",
    published_notice: "The case was published without personal data.",
    unpublished_notice: "The case is no longer published.",
    draft_title: "Publishing case {number}",
    draft_intro: "The personal data found automatically is highlighted and ticked: it will be removed. Untick only what is not personal data (the place of the problem, for example) and add below what was missed. On the public page each removal shows as “[personal data removed]”; the petitioner and staff still see the full text.",
    field_subject: "Subject",
    field_body: "The petition's text",
    field_address: "Place",
    field_answer: "Answer",
    found_in: "Personal data found: {field}",
    nothing_found: "No personal data found.",
    remove_label: "Remove “{text}” ({kind})",
    kinds: [
        "CNP",
        "IDNP",
        "phone",
        "e-mail",
        "address",
        "name",
        "added by hand",
    ],
    extra_label: "Other text to remove (optional)",
    extra_hint: "One per line, at least 2 characters; every occurrence will be removed. Press “Preview” to see them highlighted.",
    preview: "Preview",
    publish: "Publish",
    back: "Back to the case",
    no_answer_yet: "The case has no answer yet: only the petition is published. Prepare the publication again after the answer.",
    staff_only: "This page is for the staff examining the case.",
    nav: "Published cases",
    list_title: "Published cases",
    list_intro: "Petitions and answers published with the petitioners' consent, without their personal data.",
    search_label: "Search the published cases",
    search_button: "Search",
    count: "Published cases: {n}",
    none: "No published case matches the search.",
    filed: "Filed on",
    answered: "Answered on",
    published: "Published on",
    status: "Status",
    institution: "Institution",
    category: "Category",
    place: "Place",
    case_title: "Case {number}",
    request_heading: "The petition",
    answer_heading: "The answer",
    no_answer_public: "The answer is not published yet.",
    redaction_note: "Personal data was removed; each place is marked “{marker}”.",
    not_found: "This case is not published.",
    back_to_list: "All published cases",
    page_of: "Page {page} of {pages}",
    previous: "Previous page",
    next: "Next page",
};

/// The messages of the publication's validation codes.
pub fn field_error(lang: Lang, code: &str) -> Option<&'static str> {
    Some(match (code, lang) {
        ("publish_no_consent", Lang::Ro) => {
            "Petiționarul nu a consimțit la publicare: cazul nu poate fi publicat."
        }
        ("publish_no_consent", Lang::Ru) => {
            "Заявитель не дал согласия на публикацию: дело нельзя опубликовать."
        }
        ("publish_no_consent", Lang::En) => {
            "The petitioner did not consent to publication: the case cannot be published."
        }
        ("extra_short", Lang::Ro) => {
            "Fiecare text de eliminat trebuie să aibă cel puțin 2 caractere."
        }
        ("extra_short", Lang::Ru) => "Каждый текст для удаления должен быть не короче 2 символов.",
        ("extra_short", Lang::En) => "Each text to remove must have at least 2 characters.",
        ("extra_long", Lang::Ro) => {
            "Fiecare text de eliminat poate avea cel mult 200 de caractere."
        }
        ("extra_long", Lang::Ru) => {
            "Каждый текст для удаления может содержать не более 200 символов."
        }
        ("extra_long", Lang::En) => "Each text to remove can have at most 200 characters.",
        ("extra_many", Lang::Ro) => "Adăugați cel mult 50 de texte de eliminat.",
        ("extra_many", Lang::Ru) => "Добавьте не более 50 текстов для удаления.",
        ("extra_many", Lang::En) => "Add at most 50 texts to remove.",
        _ => return None,
    })
}
