//! Schema helpers shared by the migrations.

use sea_orm_migration::prelude::*;

/// Creates `name` over `cols` on `table`.
pub fn index(name: &str, table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(Alias::new(table));
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

/// A foreign key `from.col` → `to.id`, named `fk_{from}_{col}`.
pub fn fk(
    from: &str,
    col: &str,
    to: &str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(Alias::new(from), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .on_delete(on_delete)
        .to_owned()
}
