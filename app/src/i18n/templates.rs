//! Texts of the mail-template pages (`/admin/sabloane`).

use super::Lang;

pub struct TemplateTexts {
    pub nav: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub admins_only: &'static str,
    pub not_found: &'static str,
    pub col_template: &'static str,
    pub col_lang: &'static str,
    pub col_text: &'static str,
    pub builtin: &'static str,
    /// `{at}`: when it was saved.
    pub own: &'static str,
    pub edit: &'static str,
    /// `{template}`, `{lang}`.
    pub edit_title: &'static str,
    pub edit_intro: &'static str,
    pub subject: &'static str,
    pub body: &'static str,
    pub body_hint: &'static str,
    pub variables: &'static str,
    pub preview: &'static str,
    pub preview_title: &'static str,
    pub preview_intro: &'static str,
    pub preview_subject: &'static str,
    pub preview_problems: &'static str,
    pub save: &'static str,
    pub reset: &'static str,
    pub reset_hint: &'static str,
    pub in_use_own: &'static str,
    pub in_use_builtin: &'static str,
    pub saved: &'static str,
    pub back: &'static str,
    /// In the order of `backend::mail_templates::LANGS`.
    pub langs: [&'static str; 3],
}

pub const RO: TemplateTexts = TemplateTexts {
    nav: "Șabloane de e-mail",
    title: "Șabloane de e-mail",
    intro: "Textele mesajelor pe care portalul le trimite petiționarilor și personalului, pentru fiecare eveniment și limbă. Un text salvat de administrator înlocuiește textul implicit până când reveniți la acesta.",
    admins_only: "Această pagină este pentru administratorii portalului.",
    not_found: "Nu există acest șablon.",
    col_template: "Șablonul",
    col_lang: "Limba",
    col_text: "Textul folosit",
    builtin: "implicit",
    own: "propriu, salvat {at}",
    edit: "Editați",
    edit_title: "Șablonul {template} ({lang})",
    edit_intro: "Previzualizarea arată mesajul completat cu datele unui caz de exemplu. Un text cu o greșeală de sintaxă sau cu o variabilă necunoscută nu se salvează.",
    subject: "Subiectul",
    body: "Textul mesajului",
    body_hint: "O variabilă se scrie între acolade duble, de exemplu {{ registration_number }}; o condiție: {% if answer %}…{% endif %}.",
    variables: "Variabile disponibile",
    preview: "Previzualizați",
    preview_title: "Previzualizare",
    preview_intro: "Așa va arăta mesajul pentru un caz de exemplu:",
    preview_subject: "Subiect:",
    preview_problems: "Textul are probleme; le vedeți lângă câmpuri.",
    save: "Salvați",
    reset: "Reveniți la textul implicit",
    reset_hint: "Textul propriu se șterge; se folosește din nou cel livrat cu portalul.",
    in_use_own: "Se folosește textul propriu al administratorului.",
    in_use_builtin: "Se folosește textul implicit.",
    saved: "Modificarea a fost salvată.",
    back: "Înapoi la șabloane",
    langs: ["română", "rusă", "engleză"],
};

pub const RU: TemplateTexts = TemplateTexts {
    nav: "Шаблоны писем",
    title: "Шаблоны писем",
    intro: "Тексты писем, которые портал отправляет заявителям и сотрудникам, для каждого события и языка. Текст, сохранённый администратором, заменяет стандартный, пока вы не вернёте стандартный.",
    admins_only: "Эта страница для администраторов портала.",
    not_found: "Такого шаблона нет.",
    col_template: "Шаблон",
    col_lang: "Язык",
    col_text: "Используемый текст",
    builtin: "стандартный",
    own: "собственный, сохранён {at}",
    edit: "Изменить",
    edit_title: "Шаблон {template} ({lang})",
    edit_intro: "Предпросмотр показывает письмо, заполненное данными примерного обращения. Текст с синтаксической ошибкой или неизвестной переменной не сохраняется.",
    subject: "Тема",
    body: "Текст письма",
    body_hint: "Переменная пишется в двойных фигурных скобках, например {{ registration_number }}; условие: {% if answer %}…{% endif %}.",
    variables: "Доступные переменные",
    preview: "Предпросмотр",
    preview_title: "Предпросмотр",
    preview_intro: "Так будет выглядеть письмо для примерного обращения:",
    preview_subject: "Тема:",
    preview_problems: "В тексте есть ошибки; они показаны рядом с полями.",
    save: "Сохранить",
    reset: "Вернуть стандартный текст",
    reset_hint: "Собственный текст удаляется; снова используется текст, поставляемый с порталом.",
    in_use_own: "Используется собственный текст администратора.",
    in_use_builtin: "Используется стандартный текст.",
    saved: "Изменение сохранено.",
    back: "К шаблонам",
    langs: ["румынский", "русский", "английский"],
};

pub const EN: TemplateTexts = TemplateTexts {
    nav: "Mail templates",
    title: "Mail templates",
    intro: "The texts of the mails the portal sends to petitioners and staff, per event and language. A text an administrator saves replaces the built-in one until you go back to it.",
    admins_only: "This page is for the portal's administrators.",
    not_found: "There is no such template.",
    col_template: "Template",
    col_lang: "Language",
    col_text: "Text in use",
    builtin: "built-in",
    own: "own, saved {at}",
    edit: "Edit",
    edit_title: "Template {template} ({lang})",
    edit_intro: "The preview shows the mail filled with a sample case's data. A text with a syntax error or an unknown variable is not saved.",
    subject: "Subject",
    body: "Mail text",
    body_hint: "A variable is written in double braces, like {{ registration_number }}; a condition: {% if answer %}…{% endif %}.",
    variables: "Available variables",
    preview: "Preview",
    preview_title: "Preview",
    preview_intro: "This is how the mail reads for a sample case:",
    preview_subject: "Subject:",
    preview_problems: "The text has problems; they are shown next to the fields.",
    save: "Save",
    reset: "Go back to the built-in text",
    reset_hint: "Your own text is deleted; the text shipped with the portal is used again.",
    in_use_own: "The administrator's own text is in use.",
    in_use_builtin: "The built-in text is in use.",
    saved: "The change was saved.",
    back: "Back to the templates",
    langs: ["Romanian", "Russian", "English"],
};

pub fn texts(lang: Lang) -> &'static TemplateTexts {
    match lang {
        Lang::Ro => &RO,
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

/// The messages of a template's problems (`{name}`: the line or the variable).
pub fn field_error(lang: Lang, code: &str) -> Option<&'static str> {
    Some(match (code, lang) {
        ("template_empty", Lang::Ro) => "Scrieți textul; nu poate fi gol.",
        ("template_empty", Lang::Ru) => "Введите текст; он не может быть пустым.",
        ("template_empty", Lang::En) => "Enter the text; it cannot be empty.",
        ("template_syntax", Lang::Ro) => "Eroare de sintaxă la linia {name}.",
        ("template_syntax", Lang::Ru) => "Синтаксическая ошибка в строке {name}.",
        ("template_syntax", Lang::En) => "Syntax error on line {name}.",
        ("template_variable", Lang::Ro) => {
            "Variabila „{name}” nu există; vedeți lista variabilelor disponibile."
        }
        ("template_variable", Lang::Ru) => {
            "Переменной «{name}» нет; см. список доступных переменных."
        }
        ("template_variable", Lang::En) => {
            "There is no variable “{name}”; see the list of available variables."
        }
        _ => return None,
    })
}
