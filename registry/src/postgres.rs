//! The registry in a PostgreSQL database, for vendors that run it as a
//! shared service.
//!
//! The same tables as SQLite's, in PostgreSQL's types
//! (`tests/vectors/registry-schema-v1-postgres.sql`). The write lock is a
//! transaction-scoped advisory lock (`pg_advisory_xact_lock`), taken first
//! in every write transaction, so writers take turns exactly as on SQLite
//! and a slot checked free is still free when it is taken; readers never
//! wait. A writer waits up to 30 s for the lock (`lock_timeout`).
//!
//! The connection is not encrypted (no TLS yet): use it on loopback, a
//! Unix socket or a tunnel.

use crate::backend::{Backend, Failure, Param, Row, Value};
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;

/// A PostgreSQL failure, said whole (the crate's own message for a
/// server's error is only "db error", with the server's words below it),
/// with its SQLSTATE code when the server gave one.
#[derive(Debug)]
struct ServerError {
    text: String,
    sqlstate: Option<String>,
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for ServerError {}

fn failure(e: postgres::Error) -> Failure {
    let Some(db) = e.as_db_error() else {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            text = format!("{text}: {cause}");
            source = cause.source();
        }
        return Box::new(ServerError {
            text,
            sqlstate: None,
        });
    };
    let mut text = format!("{} (SQLSTATE {})", db.message(), db.code().code());
    if let Some(detail) = db.detail() {
        text = format!("{text}; {detail}");
    }
    if let Some(hint) = db.hint() {
        text = format!("{text}; {hint}");
    }
    Box::new(ServerError {
        text,
        sqlstate: Some(db.code().code().to_owned()),
    })
}

fn sqlstate<'a>(failure: &'a (dyn std::error::Error + Send + Sync + 'static)) -> Option<&'a str> {
    failure.downcast_ref::<ServerError>()?.sqlstate.as_deref()
}

/// Whether `failure` is the write lock not taken within `lock_timeout`
/// (SQLSTATE 55P03, lock_not_available).
pub(crate) fn is_busy(failure: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    sqlstate(failure) == Some(SqlState::LOCK_NOT_AVAILABLE.code())
}

/// Whether `failure` is a missing table (SQLSTATE 42P01, undefined_table).
pub(crate) fn is_missing_table(failure: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    sqlstate(failure) == Some(SqlState::UNDEFINED_TABLE.code())
}

/// Schema version 1 for PostgreSQL, kept as the vector
/// `tests/vectors/registry-schema-v1-postgres.sql`.
pub(crate) const SCHEMA: &str = include_str!("../../tests/vectors/registry-schema-v1-postgres.sql");

/// The advisory lock every write transaction takes: one per database
/// (the ASCII bytes of "licenseg"; docs/FORMAT.md section 14 publishes it).
const WRITE_LOCK: i64 = 0x6c69_6365_6e73_6567;

pub(crate) struct Postgres {
    client: Client,
    /// Prepared once per connection: a statement costs a round trip to
    /// prepare.
    statements: HashMap<String, Statement>,
}

impl Postgres {
    /// Connects to the database the URL names.
    pub(crate) fn connect(url: &str) -> Result<Self, Failure> {
        let mut client = Client::connect(url, NoTls).map_err(|e| {
            let missing = e.code() == Some(&SqlState::INVALID_CATALOG_NAME);
            let text = failure(e);
            if missing {
                Box::new(ServerError {
                    text: format!("{text}: create the database first (createdb), then 'licensing registry init' it"),
                    sqlstate: None,
                })
            } else {
                text
            }
        })?;
        client
            .batch_execute("SET lock_timeout = '30s'")
            .map_err(failure)?;
        Ok(Self {
            client,
            statements: HashMap::new(),
        })
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, Failure> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&dollars(sql)).map_err(failure)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

/// The registry's SQL numbers parameters ?1, ?2 (SQLite's way); PostgreSQL
/// says $1, $2. Only a '?' before a digit is a parameter.
fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// The parameters as the postgres crate takes them: typed, NULL included.
fn params<'a>(params: &'a [Param<'a>]) -> Vec<Box<dyn ToSql + Sync + 'a>> {
    params
        .iter()
        .map(|p| -> Box<dyn ToSql + Sync + 'a> {
            match *p {
                Param::Int(i) => Box::new(i),
                Param::Text(t) => Box::new(t),
                Param::Bytes(b) => Box::new(b),
            }
        })
        .collect()
}

fn row(row: &postgres::Row) -> Result<Row, Failure> {
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            Ok(if *ty == Type::INT8 {
                row.try_get::<_, Option<i64>>(i)?
                    .map_or(Value::Null, Value::Int)
            } else if *ty == Type::INT4 {
                row.try_get::<_, Option<i32>>(i)?
                    .map_or(Value::Null, |v| Value::Int(v.into()))
            } else if *ty == Type::BYTEA {
                row.try_get::<_, Option<Vec<u8>>>(i)?
                    .map_or(Value::Null, Value::Bytes)
            } else {
                row.try_get::<_, Option<String>>(i)?
                    .map_or(Value::Null, Value::Text)
            })
        })
        .collect()
}

impl Backend for Postgres {
    fn begin_write(&mut self) -> Result<(), Failure> {
        // One round trip: the transaction and its lock.
        let begin = format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})");
        if let Err(e) = self.client.batch_execute(&begin) {
            self.rollback();
            return Err(failure(e));
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Failure> {
        self.client.batch_execute("COMMIT").map_err(failure)
    }

    fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
    }

    fn execute(&mut self, sql: &str, p: &[Param]) -> Result<u64, Failure> {
        let statement = self.statement(sql)?;
        let values = params(p);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
        self.client.execute(&statement, &refs).map_err(failure)
    }

    fn query(&mut self, sql: &str, p: &[Param]) -> Result<Vec<Row>, Failure> {
        let statement = self.statement(sql)?;
        let values = params(p);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
        self.client
            .query(&statement, &refs)
            .map_err(failure)?
            .iter()
            .map(row)
            .collect()
    }

    fn create_schema(&mut self) -> Result<(), Failure> {
        self.client.batch_execute(SCHEMA).map_err(failure)
    }
}

/// A URL as it may be shown: without its password.
pub(crate) fn describe(url: &str) -> String {
    match url.parse::<postgres::Config>() {
        Ok(config) => {
            let host = match config.get_hosts().first() {
                Some(postgres::config::Host::Tcp(host)) => host.clone(),
                #[cfg(unix)]
                Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
                None => "localhost".to_owned(),
            };
            let port = config
                .get_ports()
                .first()
                .map_or(String::new(), |p| format!(":{p}"));
            let user = config.get_user().map_or(String::new(), |u| format!("{u}@"));
            let db = config.get_dbname().unwrap_or_default();
            format!("postgres://{user}{host}{port}/{db}")
        }
        Err(_) => "a PostgreSQL URL that does not parse".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_question_mark_before_a_digit_is_a_parameter() {
        assert_eq!(
            super::dollars("SELECT '?' FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?' FROM t WHERE a = $1 AND b = $12"
        );
    }
}
