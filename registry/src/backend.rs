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
    /// PostgreSQL database, a path a SQLite file. Refused: another kind of
    /// URL, and PostgreSQL's `key=value` settings (give them as a URL),
    /// which would otherwise name a strange file; the refusal never
    /// repeats the text, which may hold a password.
    pub(crate) fn parse(text: &str) -> Result<Self, &'static str> {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_owned()));
        }
        if lower.contains("://") {
            return Err("a URL of another kind: a registry is a SQLite file or a postgres:// URL");
        }
        const SETTINGS: [&str; 6] = [
            "host=",
            "hostaddr=",
            "dbname=",
            "user=",
            "password=",
            "port=",
        ];
        if lower
            .split_whitespace()
            .any(|word| SETTINGS.iter().any(|s| word.starts_with(s)))
        {
            return Err(
                "PostgreSQL settings (key=value): give them as a URL, postgres://USER@HOST:PORT/DATABASE",
            );
        }
        Ok(Location::Sqlite(PathBuf::from(text)))
    }
}

/// Whether a database's failure is a writer that waited too long for the
/// write lock.
pub(crate) fn is_busy(failure: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    crate::sqlite::is_busy(failure) || crate::postgres::is_busy(failure)
}

/// Whether a database's failure is a table that does not exist (a
/// database that holds no registry).
pub(crate) fn is_missing_table(failure: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    crate::postgres::is_missing_table(failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_postgres_and_a_path_a_file() {
        for url in [
            "postgres://vendor@db/licensing",
            "POSTGRESQL://vendor@db:5433/licensing",
        ] {
            assert_eq!(Location::parse(url), Ok(Location::Postgres(url.to_owned())));
        }
        for file in ["vendor.db", "postgres.db", "./a b/c=d.db", "", "pg"] {
            assert_eq!(
                Location::parse(file),
                Ok(Location::Sqlite(PathBuf::from(file)))
            );
        }
        for refused in [
            "postgress://vendor:s3cret@db/licensing",
            "mysql://vendor@db/licensing",
            "host=127.0.0.1 user=vendor password=s3cret dbname=licensing",
            "dbname=licensing",
        ] {
            let why = Location::parse(refused).unwrap_err();
            assert!(!why.contains("s3cret"), "{why}");
        }
    }
}
