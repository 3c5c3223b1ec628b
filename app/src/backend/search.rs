//! Searching cases by words of their registration number, subject, text and petitioner's
//! name, case-insensitive, ignoring Romanian diacritics and their legacy forms, by prefix (a
//! word of the query matches the start of a word or any part of it).
//!
//! Text and query are folded the same way ([`fold`]): lower case; ă, â → a; ș/ş → s; ț/ţ → t;
//! î → i at the start of a word and → a inside one, because before 1993 `î` was written inside
//! words where `â` is now: "plîngere", "plângere" and "plangere" all fold to "plangere", while
//! "încălzire" and "incalzire" fold to "incalzire". The folded text is stored with the case
//! (`search_text`) and matched with `LIKE` (a trigram index serves it on PostgreSQL).

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::entity::petition_case;
use crate::model::AppError;

/// Folds `s` for search (see the module's comment).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word_start = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'ă' | 'â' => 'a',
            'î' if word_start => 'i',
            'î' => 'a',
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            c => c,
        };
        word_start = !c.is_alphanumeric();
        out.push(folded);
    }
    out
}

/// The folded text stored with a case.
pub fn case_text(number: &str, subject: &str, body: &str, petitioner: &str) -> String {
    fold(&format!("{number}\n{subject}\n{petitioner}\n{body}"))
}

/// The query's words, folded (at most 8, each at most 64 characters).
pub fn query_words(q: &str) -> Vec<String> {
    fold(q)
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.chars().take(64).collect())
        .collect()
}

/// Cases whose text contains every word of `q`.
pub fn condition(q: &str) -> Condition {
    let mut all = Condition::all();
    for w in query_words(q) {
        let escaped = w
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        all = all.add(
            Expr::col(petition_case::Column::SearchText)
                .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
        );
    }
    all
}

/// Fills `search_text` where it is missing (cases from before the column existed), in
/// batches; returns how many were filled.
pub async fn backfill<C: ConnectionTrait>(db: &C) -> Result<u64, AppError> {
    let mut filled = 0;
    loop {
        let batch = petition_case::Entity::find()
            .filter(petition_case::Column::SearchText.is_null())
            .limit(500)
            .all(db)
            .await?;
        if batch.is_empty() {
            return Ok(filled);
        }
        for c in batch {
            let text = case_text(
                &c.registration_number,
                &c.subject,
                &c.body,
                &c.petitioner_name,
            );
            petition_case::Entity::update_many()
                .col_expr(petition_case::Column::SearchText, Expr::value(text))
                .filter(petition_case::Column::Id.eq(c.id))
                .exec(db)
                .await?;
            filled += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_spellings_and_both_cedilla_forms_fold_alike() {
        for s in ["plîngere", "plângere", "plangere", "PLÂNGERE", "Plîngere"] {
            assert_eq!(fold(s), "plangere", "{s}");
        }
        assert_eq!(fold("încălzire"), "incalzire");
        assert_eq!(fold("Încălzirea"), fold("incalzirea"));
        assert_eq!(fold("ş ș Ş Ș ţ ț Ţ Ț"), "s s s s t t t t");
        assert_eq!(fold("pîine pâine"), "paine paine");
        assert_eq!(fold("CHI-2026-000123"), "chi-2026-000123");
    }

    #[test]
    fn queries_are_words_escaped_for_like() {
        assert_eq!(
            query_words("  Plîngere  Botanica "),
            ["plangere", "botanica"]
        );
        assert_eq!(query_words(""), Vec::<String>::new());
        assert_eq!(query_words(&"a ".repeat(20)).len(), 8);
    }
}
