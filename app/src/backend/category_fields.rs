//! A category's own questions: reading their definitions, checking a petitioner's answers
//! against them, and the answers as a case keeps and shows them. No I/O but [`fields_of`] and
//! [`fields_by_category`].
//!
//! Answers come keyed by the question's code (`{"floor": "3"}`, the JSON API and Open311's
//! `attribute[floor]`) or, from the filing form, by the category and the code
//! (`extra.12.floor`: the form shows every category's questions without JavaScript, and only
//! the chosen category's are read). A problem is reported under the key the answer came with
//! (`extra.floor` or `extra.12.floor`), so that it shows next to its field. A case keeps each
//! answer with the question's labels as they were at filing ([`Answer`]): questions edited or
//! removed later leave filed cases readable.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::entity::category_field;
use super::portal::localized;
use crate::i18n::Lang;
use crate::model::categories::{ANSWER_MAX, AnswerView, FieldView};
use crate::model::{AppError, FieldErrors};

/// One option of a `choice` question, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub ro: String,
    pub ru: String,
    pub en: String,
}

/// An answer as a case keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub code: String,
    /// The question's labels in ro, ru, en.
    pub label: [String; 3],
    pub value: String,
    /// The value as read in ro, ru, en (an option's label, "Da").
    pub text: [String; 3],
}

/// The options of a `choice` question.
pub fn options(field: &category_field::Model) -> Vec<Choice> {
    field
        .options
        .clone()
        .and_then(|o| serde_json::from_value(o).ok())
        .unwrap_or_default()
}

/// Reads the options' text: one per line, `value | ro | ru | en` (ru and en default to ro; a
/// line with no `|` is its own value and label). Problems as validation codes.
pub fn parse_options(text: &str) -> Result<Vec<Choice>, &'static str> {
    let mut out: Vec<Choice> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (value, ro) = match parts.as_slice() {
            [only] => (*only, *only),
            [value, ro, ..] => (*value, *ro),
            [] => continue,
        };
        let ru = parts
            .get(2)
            .copied()
            .filter(|s| !s.is_empty())
            .unwrap_or(ro);
        let en = parts
            .get(3)
            .copied()
            .filter(|s| !s.is_empty())
            .unwrap_or(ro);
        let too_long = |s: &str| s.is_empty() || s.chars().count() > 200;
        if parts.len() > 4 || too_long(value) || too_long(ro) || too_long(ru) || too_long(en) {
            return Err("option_format");
        }
        if out.iter().any(|c| c.value == value) {
            return Err("option_duplicate");
        }
        out.push(Choice {
            value: value.into(),
            ro: ro.into(),
            ru: ru.into(),
            en: en.into(),
        });
    }
    if out.len() > crate::model::categories::OPTIONS_MAX {
        return Err("option_count");
    }
    Ok(out)
}

/// The options as the administration edits them (the inverse of [`parse_options`]).
pub fn options_text(field: &category_field::Model) -> String {
    options(field)
        .iter()
        .map(|c| format!("{} | {} | {} | {}", c.value, c.ro, c.ru, c.en))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The questions of category `category_id`, in their order.
pub async fn fields_of<C: ConnectionTrait>(
    db: &C,
    category_id: i64,
) -> Result<Vec<category_field::Model>, AppError> {
    Ok(category_field::Entity::find()
        .filter(category_field::Column::CategoryId.eq(category_id))
        .order_by_asc(category_field::Column::Position)
        .order_by_asc(category_field::Column::Id)
        .all(db)
        .await?)
}

/// The questions of the categories `ids`, by category, in their order.
pub async fn fields_by_category<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<BTreeMap<i64, Vec<category_field::Model>>, AppError> {
    let mut out: BTreeMap<i64, Vec<category_field::Model>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for f in category_field::Entity::find()
        .filter(category_field::Column::CategoryId.is_in(ids.iter().copied()))
        .order_by_asc(category_field::Column::Position)
        .order_by_asc(category_field::Column::Id)
        .all(db)
        .await?
    {
        out.entry(f.category_id).or_default().push(f);
    }
    Ok(out)
}

/// A question as the filing form asks it.
pub fn view(field: &category_field::Model, lang: Lang) -> FieldView {
    FieldView {
        code: field.code.clone(),
        label: localized(lang, &field.label_ro, &field.label_ru, &field.label_en).to_string(),
        field_type: field.field_type.clone(),
        required: field.required,
        options: options(field)
            .into_iter()
            .map(|c| {
                let label = localized(lang, &c.ro, &c.ru, &c.en).to_string();
                (c.value, label)
            })
            .collect(),
    }
}

const YES: [&str; 3] = ["Da", "Да", "Yes"];
const NO: [&str; 3] = ["Nu", "Нет", "No"];

/// A yes/no answer as given (`true`, `da`, `on`, …), if it is one.
fn yes_no(value: &str) -> Option<bool> {
    match value.to_lowercase().as_str() {
        "true" | "da" | "yes" | "on" | "1" | "да" => Some(true),
        "false" | "nu" | "no" | "0" | "нет" => Some(false),
        _ => None,
    }
}

/// Checks the answers `given` (keyed `code` or `{category_id}.{code}`) to the questions
/// `fields` of category `category_id`: every required question answered, every answer of its
/// type, no answer to a question the category does not ask (unqualified keys only: a form's
/// answers to other categories are left aside). The answers to keep, or the problems under
/// `extra.{key}`, each code carrying the question's label (`extra_required:Floor`).
pub fn check(
    fields: &[category_field::Model],
    category_id: i64,
    given: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<Vec<Answer>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut answers = Vec::new();
    let prefix = format!("{category_id}.");
    let from_form = given.keys().any(|k| k.contains('.'));
    for key in given.keys() {
        if !key.contains('.') && !fields.iter().any(|f| &f.code == key) {
            errors
                .entry(format!("extra.{key}"))
                .or_default()
                .push(format!("extra_unknown:{key}"));
        }
    }
    for f in fields {
        let qualified = format!("{prefix}{}", f.code);
        let (key, value) = match (given.get(&qualified), given.get(&f.code)) {
            (Some(v), _) => (qualified, v.trim()),
            (None, Some(v)) => (f.code.clone(), v.trim()),
            // Not given: named as the other answers came (the form's, by category).
            (None, None) if from_form => (qualified, ""),
            (None, None) => (f.code.clone(), ""),
        };
        let label = localized(lang, &f.label_ro, &f.label_ru, &f.label_en);
        let mut fail = |code: &str| {
            errors
                .entry(format!("extra.{key}"))
                .or_default()
                .push(format!("{code}:{label}"));
        };
        if value.is_empty() {
            if f.required {
                fail("extra_required");
            }
            continue;
        }
        let labels = [f.label_ro.clone(), f.label_ru.clone(), f.label_en.clone()];
        let same = |s: &str| [s.to_string(), s.to_string(), s.to_string()];
        let answer = match f.field_type.as_str() {
            "number" => {
                let normal = value.replace(',', ".");
                match normal.parse::<f64>() {
                    Ok(n) if n.is_finite() && normal.len() <= 30 => Some(same(value)),
                    _ => {
                        fail("extra_number");
                        None
                    }
                }
            }
            "date" => match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                Ok(d) => Some(same(&d.to_string())),
                Err(_) => {
                    fail("extra_date");
                    None
                }
            },
            "choice" => match options(f).into_iter().find(|c| c.value == value) {
                Some(c) => Some([c.ro, c.ru, c.en]),
                None => {
                    fail("extra_choice");
                    None
                }
            },
            "yes_no" => match yes_no(value) {
                Some(true) => Some(YES.map(str::to_string)),
                Some(false) => Some(NO.map(str::to_string)),
                None => {
                    fail("extra_choice");
                    None
                }
            },
            _ => {
                if value.chars().count() > ANSWER_MAX {
                    fail("extra_length");
                    None
                } else if value
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
                {
                    fail("extra_chars");
                    None
                } else {
                    Some(same(value))
                }
            }
        };
        if let Some(text) = answer {
            let value = match f.field_type.as_str() {
                "yes_no" => yes_no(value).unwrap_or_default().to_string(),
                "date" => text[0].clone(),
                _ => value.to_string(),
            };
            answers.push(Answer {
                code: f.code.clone(),
                label: labels,
                value,
                text,
            });
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The answers a case keeps, as JSON (none: `None`).
pub fn to_json(answers: &[Answer]) -> Option<serde_json::Value> {
    (!answers.is_empty()).then(|| serde_json::to_value(answers).unwrap_or_default())
}

/// The answers of a case, in the reader's language.
pub fn answers_view(stored: Option<&serde_json::Value>, lang: Lang) -> Vec<AnswerView> {
    let answers: Vec<Answer> = stored
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let i = match lang {
        Lang::Ro => 0,
        Lang::Ru => 1,
        Lang::En => 2,
    };
    answers
        .into_iter()
        .map(|a| AnswerView {
            label: a.label[i].clone(),
            text: a.text[i].clone(),
            code: a.code,
            value: a.value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(
        code: &str,
        kind: &str,
        required: bool,
        options: Option<&str>,
    ) -> category_field::Model {
        category_field::Model {
            id: 1,
            category_id: 7,
            code: code.into(),
            label_ro: format!("{code} ro"),
            label_ru: format!("{code} ru"),
            label_en: format!("{code} en"),
            field_type: kind.into(),
            required,
            options: options.map(|o| serde_json::to_value(parse_options(o).unwrap()).unwrap()),
            position: 0,
            updated_at: chrono::Utc::now(),
        }
    }

    fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn options_read_one_per_line_with_defaults() {
        let o =
            parse_options("bloc | Bloc locativ | Жилой дом | Apartment block\ncasa | Casă\n\nalt")
                .unwrap();
        assert_eq!(o.len(), 3);
        assert_eq!(
            (o[1].value.as_str(), o[1].ru.as_str(), o[1].en.as_str()),
            ("casa", "Casă", "Casă")
        );
        assert_eq!((o[2].value.as_str(), o[2].ro.as_str()), ("alt", "alt"));
        assert_eq!(parse_options("a | A\na | B"), Err("option_duplicate"));
        assert_eq!(parse_options("a | A | B | C | D"), Err("option_format"));
        assert_eq!(parse_options(" | A"), Err("option_format"));
    }

    #[test]
    fn answers_are_checked_by_type_and_keyed_as_they_came() {
        let fields = [
            field("floor", "number", true, None),
            field("since", "date", false, None),
            field(
                "kind",
                "choice",
                true,
                Some("bloc | Bloc\ncasa | Casă | Дом | House"),
            ),
            field("heating", "yes_no", false, None),
        ];
        let ok = check(
            &fields,
            7,
            &given(&[
                ("7.floor", "3,5"),
                ("kind", "casa"),
                ("heating", "da"),
                ("8.floor", "x"),
            ]),
            Lang::En,
        )
        .expect("valid answers");
        assert_eq!(ok.len(), 3);
        assert_eq!(
            ok[1].text,
            ["Casă".to_string(), "Дом".into(), "House".into()]
        );
        assert_eq!(
            (ok[2].value.as_str(), ok[2].text[2].as_str()),
            ("true", "Yes")
        );
        let e = check(
            &fields,
            7,
            &given(&[
                ("7.floor", "three"),
                ("since", "31.12.2025"),
                ("kind", "villa"),
                ("colour", "red"),
            ]),
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(
            e["extra.7.floor"],
            vec!["extra_number:floor en".to_string()]
        );
        assert_eq!(e["extra.since"], vec!["extra_date:since en".to_string()]);
        assert_eq!(e["extra.kind"], vec!["extra_choice:kind en".to_string()]);
        assert_eq!(e["extra.colour"], vec!["extra_unknown:colour".to_string()]);
        let e = check(&fields, 7, &given(&[]), Lang::Ro).unwrap_err();
        assert_eq!(
            e["extra.floor"],
            vec!["extra_required:floor ro".to_string()]
        );
        assert_eq!(e.len(), 2, "the two required questions: {e:?}");
        // From the form (keys by category), a question left out is named by category too.
        let e = check(&fields, 7, &given(&[("7.since", "")]), Lang::Ro).unwrap_err();
        assert_eq!(
            e["extra.7.kind"],
            vec!["extra_required:kind ro".to_string()]
        );
    }

    #[test]
    fn stored_answers_read_in_the_readers_language() {
        let fields = [field("heating", "yes_no", true, None)];
        let answers = check(&fields, 7, &given(&[("heating", "nu")]), Lang::Ro).unwrap();
        let json = to_json(&answers);
        let v = answers_view(json.as_ref(), Lang::Ru);
        assert_eq!(
            (v[0].label.as_str(), v[0].text.as_str(), v[0].value.as_str()),
            ("heating ru", "Нет", "false")
        );
        assert!(answers_view(None, Lang::Ro).is_empty());
        assert_eq!(to_json(&[]), None);
    }
}
