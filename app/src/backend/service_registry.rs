//! The service registry as the public sees it: every active service of the portal's
//! institution, found by words of its name, provider or area (case and diacritics ignored).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entity::public_service;
use super::portal::{home_institution, localized};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::services::ServiceView;

/// Whether every word of `query` is in `text`, folded as case search folds them
/// ([`super::search::fold`]: case, diacritics and their legacy forms ignored).
pub fn matches(text: &str, query: &str) -> bool {
    let hay = super::search::fold(text);
    super::search::query_words(query)
        .iter()
        .all(|w| hay.contains(w.as_str()))
}

/// The services whose name, provider or area contain every word of `q` (all when blank).
pub async fn search<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    q: Option<&str>,
) -> Result<Vec<ServiceView>, AppError> {
    let inst = home_institution(db).await?;
    let q = q.unwrap_or_default();
    // A registry is hundreds of rows, not millions: filtered here, in one pass.
    Ok(public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(inst.id))
        .filter(public_service::Column::Active.eq(true))
        .order_by_asc(public_service::Column::Area)
        .order_by_asc(public_service::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| {
            let text = format!(
                "{} {} {} {} {}",
                s.name_ro,
                s.name_ru,
                s.name_en,
                s.provider,
                s.area.as_deref().unwrap_or_default()
            );
            matches(&text, q)
        })
        .map(|s| ServiceView {
            id: s.id,
            code: s.code,
            name: localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string(),
            provider: s.provider,
            private: s.provider_type == "private",
            accredited: s.accredited,
            area: s.area,
            address: s.address,
            contact: s.contact,
            category_id: s.category_id,
            department_id: s.department_id,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn folding_ignores_case_and_both_forms_of_diacritics() {
        assert!(matches("Râșcani ŞI Ţară", "rascani si tara"));
        for text in ["plîngere", "plângere", "plangere", "PLÂNGERE"] {
            for query in ["plîngere", "plângere", "plangere", "plang"] {
                assert!(matches(text, query), "{query} finds {text}");
            }
        }
        assert!(matches("Încălzirea blocului", "incalzirea"));
        assert!(matches("Cantina socială Râșcani", "cantina rascani"));
        assert!(!matches("Cantina socială Râșcani", "cantina botanica"));
        assert!(matches("anything", "  "), "no words: everything");
    }
}
