//! The registry in a SQLite file (the default: nothing to run).
//!
//! The write lock is SQLite's own, taken when the transaction begins
//! (`BEGIN IMMEDIATE`); writers wait up to 30 s for each other. The file
//! is in WAL mode, so readers never wait for a writer.

use crate::backend::{Backend, Failure, Param, Row, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};
use std::path::Path;
use std::time::Duration;

/// Schema version 1, kept as the vector `tests/vectors/registry-schema-v1.sql`
/// (docs/FORMAT.md section 14): a later version adds a file and a
/// migration, never edits this one.
pub(crate) const SCHEMA: &str = include_str!("../../tests/vectors/registry-schema-v1.sql");

pub(crate) struct Sqlite {
    conn: Connection,
}

impl Sqlite {
    /// Opens (or creates) the file.
    pub(crate) fn connect(path: &Path) -> Result<Self, Failure> {
        let conn = Connection::open(path)?;
        // Writers wait for each other rather than fail at once.
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")?;
        Ok(Self { conn })
    }
}

impl ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Param::Int(Some(i)) => ToSqlOutput::Borrowed(ValueRef::Integer(i)),
            Param::Text(Some(t)) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Param::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Param::Int(None) | Param::Text(None) => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

fn value(v: ValueRef) -> Result<Value, Failure> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Text(t) => Value::Text(String::from_utf8(t.to_vec())?),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
        ValueRef::Real(r) => return Err(format!("a real number ({r}) where none is stored").into()),
    })
}

impl Backend for Sqlite {
    fn begin_write(&mut self) -> Result<(), Failure> {
        Ok(self.conn.execute_batch("BEGIN IMMEDIATE")?)
    }

    fn commit(&mut self) -> Result<(), Failure> {
        Ok(self.conn.execute_batch("COMMIT")?)
    }

    fn rollback(&mut self) {
        let _ = self.conn.execute_batch("ROLLBACK");
    }

    fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, Failure> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let changed = statement.execute(rusqlite::params_from_iter(params.iter()))?;
        Ok(changed as u64)
    }

    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>, Failure> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(
                (0..columns)
                    .map(|i| value(row.get_ref(i)?))
                    .collect::<Result<Row, Failure>>()?,
            );
        }
        Ok(out)
    }

    fn create_schema(&mut self) -> Result<(), Failure> {
        Ok(self.conn.execute_batch(SCHEMA)?)
    }
}

/// Whether `failure` is SQLite's "database is locked" after the 30 s wait.
pub(crate) fn is_busy(failure: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    matches!(
        failure.downcast_ref::<rusqlite::Error>(),
        Some(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
