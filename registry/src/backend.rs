//! What the registry asks of a database: statements with parameters, rows
//! of plain values, and a write transaction that holds the registry's one
//! write lock. SQLite ([`crate::sqlite`]) and PostgreSQL
//! ([`crate::postgres`]) answer it; every query the registry makes is
//! written once, in the SQL both speak, with `?1`, `?2`... parameters.

use std::path::PathBuf;

/// What a database library said, kept whole for the message.
pub(crate) type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A statement's parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    /// A 64-bit integer (times in Unix seconds, revisions), or NULL.
    Int(Option<i64>),
    /// Text, or NULL.
    Text(Option<&'a str>),
    /// Bytes (a license file).
    Bytes(&'a [u8]),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(text: &'a str) -> Self {
        Param::Text(Some(text))
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(text: &'a String) -> Self {
        Param::Text(Some(text))
    }
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Param::Int(Some(value))
    }
}

impl From<u32> for Param<'_> {
    fn from(value: u32) -> Self {
        Param::Int(Some(i64::from(value)))
    }
}

/// A column's value in a row read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// One row read back.
pub(crate) type Row = Vec<Value>;

/// A database holding a registry.
pub(crate) trait Backend {
    /// Starts a transaction that holds the registry's write lock until
    /// [`commit`](Self::commit) or [`rollback`](Self::rollback): writers
    /// take turns, so a check and the write it allows see the same state.
    fn begin_write(&mut self) -> Result<(), Failure>;
    /// Makes the transaction's changes durable and releases the lock.
    fn commit(&mut self) -> Result<(), Failure>;
    /// Drops the transaction's changes (best effort: a connection that
    /// fails here has lost the transaction anyway).
    fn rollback(&mut self);
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, Failure>;
    /// Runs a query; its rows.
    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>, Failure>;
    /// Creates the tables of schema version 1, in this database's dialect
    /// (docs/FORMAT.md section 14).
    fn create_schema(&mut self) -> Result<(), Failure>;
}

/// Where a registry is: a SQLite file, or a PostgreSQL database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Location {
    /// Reads a location: a `postgres://` / `postgresql://` URL names a
    /// PostgreSQL database, anything else a SQLite file.
    pub(crate) fn parse(text: &str) -> Self {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Location::Postgres(text.to_owned())
        } else {
            Location::Sqlite(PathBuf::from(text))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_postgres_and_anything_else_a_file() {
        for url in [
            "postgres://vendor@db/licensing",
            "POSTGRESQL://vendor@db:5433/licensing",
        ] {
            assert_eq!(Location::parse(url), Location::Postgres(url.to_owned()));
        }
        for file in ["vendor.db", "postgres.db", "./postgres:/x", "", "pg"] {
            assert_eq!(Location::parse(file), Location::Sqlite(PathBuf::from(file)));
        }
    }
}
