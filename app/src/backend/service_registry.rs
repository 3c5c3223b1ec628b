//! The service registry as the public sees it: every active service of the portal's
//! institution, found by words of its name, provider or area (case and diacritics ignored).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entity::public_service;
use super::portal::{home_institution, localized};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::services::ServiceView;

/// Lower case without Romanian diacritics (old and new forms): "Râșcani" and "rascani" match.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ă' | 'â' => 'a',
            'î' => 'i',
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            c => c,
        })
        .collect()
}

/// The services whose name, provider or area contain every word of `q` (all when blank).
pub async fn search<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    q: Option<&str>,
) -> Result<Vec<ServiceView>, AppError> {
    let inst = home_institution(db).await?;
    let words: Vec<String> = q
        .map(fold)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
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
            let hay = fold(&format!(
                "{} {} {} {} {}",
                s.name_ro,
                s.name_ru,
                s.name_en,
                s.provider,
                s.area.as_deref().unwrap_or_default()
            ));
            words.iter().all(|w| hay.contains(w.as_str()))
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
    #[test]
    fn folding_ignores_case_and_both_forms_of_diacritics() {
        assert_eq!(super::fold("Râșcani ŞI Ţară"), "rascani si tara");
        assert_eq!(super::fold("plîngere"), super::fold("plângere"));
    }
}
