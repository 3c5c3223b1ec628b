//! Registration numbers: sequential per institution and year, without gaps.
//!
//! The next value comes from one upsert on the `registration_counter` row, run inside the
//! filing transaction: the row stays locked until that transaction ends, so concurrent filings
//! of one institution queue on it, and a filing that rolls back takes its number back with it.
//! A filing therefore takes it as late as it can ([`super::filing::file_case_in`]: after
//! everything but the audit records).

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::model::AppError;

/// Reserves the next sequence number for `institution_id` in `year`. Call it inside the
/// transaction that inserts the case.
pub async fn next_sequence<C: ConnectionTrait>(
    txn: &C,
    institution_id: i64,
    year: i32,
) -> Result<i64, AppError> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO registration_counter (institution_id, year, last_value) VALUES ($1, $2, 1) \
             ON CONFLICT (institution_id, year) DO UPDATE SET last_value = registration_counter.last_value + 1 \
             RETURNING last_value"
        }
        _ => {
            "INSERT INTO registration_counter (institution_id, year, last_value) VALUES (?, ?, 1) \
             ON CONFLICT (institution_id, year) DO UPDATE SET last_value = registration_counter.last_value + 1 \
             RETURNING last_value"
        }
    };
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [institution_id.into(), year.into()],
        ))
        .await?
        .ok_or_else(|| {
            super::error::internal("registration counter", "the upsert returned no row")
        })?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// The number people see, e.g. `CHI-2026-000123`.
pub fn format_number(prefix: &str, year: i32, seq: i64) -> String {
    format!("{prefix}-{year}-{seq:06}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_prefixed_and_zero_padded() {
        assert_eq!(super::format_number("CHI", 2026, 123), "CHI-2026-000123");
        assert_eq!(
            super::format_number("BLT", 2027, 1_234_567),
            "BLT-2027-1234567"
        );
    }
}
