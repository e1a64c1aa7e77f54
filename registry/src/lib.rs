//! The vendor's registry: every subscription (each revision of its
//! terms), every registered environment, every issued license and an
//! append-only audit log, in one SQLite database. The runtime never links
//! this crate.
//!
//! The rules stay in the core: a registration loads the subscription's
//! [`Infrastructure`] inside a write transaction, asks the core's
//! [`Infrastructure::register`] (free slots, names, serials), and writes
//! what changed in the same transaction. SQLite's write lock, taken when
//! the transaction begins (`BEGIN IMMEDIATE`), makes two processes racing
//! for the last slot one success and one refusal.
//!
//! ```
//! use licensing::{Purpose, Timestamp};
//! use licensing_registry::Registry;
//!
//! let dir = tempfile::tempdir()?;
//! let mut registry = Registry::init(dir.path().join("vendor.db").to_str().unwrap())?;
//! let (infra, serial, _) = licensing::testing::sample_infrastructure();
//! let code = registry.import(&infra, "alice", Timestamp::now())?;
//! assert_eq!(registry.infrastructure(&code)?, infra);
//! let found = registry.find(&serial.to_string())?.expect("registered");
//! assert_eq!(found.activation_code, code);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use licensing::{
    ActivationCode, ActivationRequest, Date, Environment, Infrastructure, LicenseFile, Purpose,
    RegistryError, SerialNumber, Terms, Timestamp,
};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema version this crate writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Schema version 1, kept as the vector `tests/vectors/registry-schema-v1.sql`
/// (docs/FORMAT.md section 14): a later version adds a file and a
/// migration, never edits this one.
const SCHEMA: &str = include_str!("../../tests/vectors/registry-schema-v1.sql");

/// What went wrong with the registry.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be read or written.
    #[error("the registry {path} could not be used: {source}")]
    Database {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// `init` of a file that exists.
    #[error(
        "{0} exists already: open it with --registry, or choose another file for a new registry"
    )]
    Exists(PathBuf),
    /// A file that is not a registry of this version.
    #[error(
        "{path} is not a licensing registry ({why}): create one with 'licensing registry init'"
    )]
    NotARegistry {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// No subscription has that activation code.
    #[error(
        "no subscription in the registry has activation code {0}: 'licensing registry list' shows them"
    )]
    UnknownSubscription(ActivationCode),
    /// The subscription is in the registry already.
    #[error(
        "the registry holds the subscription {0} already: change it with 'subscription update', or export it first"
    )]
    AlreadyImported(ActivationCode),
    /// The serial number is registered under another subscription.
    #[error("serial number {serial} is registered under activation code {code} already")]
    SerialElsewhere {
        /// The serial.
        serial: SerialNumber,
        /// The subscription that has it.
        code: ActivationCode,
    },
    /// The core refused (no free slot, a name taken, ...).
    #[error(transparent)]
    Refused(#[from] RegistryError),
    /// A stored value that does not read back (a database edited by hand).
    #[error("the registry holds a damaged record ({0})")]
    Damaged(String),
}

/// One subscription, as `list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRow {
    /// Its activation code.
    pub activation_code: ActivationCode,
    /// The customer.
    pub organization: String,
    /// Its last day, if it ends.
    pub ends: Option<Date>,
    /// Its current revision.
    pub revision: u32,
    /// Environments registered.
    pub environments: usize,
}

/// What `find` found for a serial number or an activation code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The subscription.
    pub activation_code: ActivationCode,
    /// The environment, when a serial number was given.
    pub environment: Option<Environment>,
    /// The latest license issued to it: id, revision, issue time.
    pub latest_license: Option<(String, u32, Timestamp)>,
}

/// One line of a subscription's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// By whom.
    pub operator: String,
    /// What changed, in words.
    pub what: String,
}

/// The registry database.
pub struct Registry {
    conn: Connection,
    path: PathBuf,
}

impl Registry {
    /// Creates a new registry at `location` (a SQLite file, refused when
    /// it exists).
    pub fn init(location: &str) -> Result<Self, Error> {
        let path = Path::new(location);
        if path.exists() {
            return Err(Error::Exists(path.to_owned()));
        }
        let registry = Self::connect(path)?;
        registry
            .conn
            .execute_batch(SCHEMA)
            .map_err(|e| registry.db(e))?;
        registry
            .conn
            .execute(
                "INSERT INTO registry_meta (key, value) VALUES ('schema-version', ?1)",
                params![SCHEMA_VERSION.to_string()],
            )
            .map_err(|e| registry.db(e))?;
        Ok(registry)
    }

    /// Opens the registry at `location`; refused for a missing file or
    /// one that is not a registry of this version.
    pub fn open(location: &str) -> Result<Self, Error> {
        let path = Path::new(location);
        if !path.exists() {
            return Err(Error::NotARegistry {
                path: path.to_owned(),
                why: "no such file".into(),
            });
        }
        let registry = Self::connect(path).map_err(|e| Error::NotARegistry {
            path: path.to_owned(),
            why: match e {
                Error::Database { source, .. } => source.to_string(),
                other => other.to_string(),
            },
        })?;
        let version: Option<String> = registry
            .conn
            .query_row(
                "SELECT value FROM registry_meta WHERE key = 'schema-version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| Error::NotARegistry {
                path: path.to_owned(),
                why: e.to_string(),
            })?;
        match version.as_deref() {
            Some(v) if v == SCHEMA_VERSION.to_string() => Ok(registry),
            Some(v) => Err(Error::NotARegistry {
                path: path.to_owned(),
                why: format!("schema version {v}, this tool reads {SCHEMA_VERSION}"),
            }),
            None => Err(Error::NotARegistry {
                path: path.to_owned(),
                why: "no schema version".into(),
            }),
        }
    }

    fn connect(path: &Path) -> Result<Self, Error> {
        let conn = Connection::open(path).map_err(database(path))?;
        let registry = Self {
            conn,
            path: path.to_owned(),
        };
        // Writers wait for each other rather than fail at once.
        registry
            .conn
            .busy_timeout(Duration::from_secs(30))
            .map_err(|e| registry.db(e))?;
        registry
            .conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")
            .map_err(|e| registry.db(e))?;
        Ok(registry)
    }

    fn db(&self, source: rusqlite::Error) -> Error {
        Error::Database {
            path: self.path.clone(),
            source,
        }
    }

    /// Runs `change` in one write transaction, which holds the database's
    /// write lock from its start: committed whole, or not at all.
    fn write<T>(
        &mut self,
        change: impl FnOnce(&Transaction, &Path) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let path = self.path.clone();
        let db = |source| Error::Database {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let value = change(&tx, &path)?;
        tx.commit().map_err(db)?;
        Ok(value)
    }

    /// Adds a subscription and its environments (today's JSON file, read
    /// as an [`Infrastructure`]); its activation code.
    pub fn import(
        &mut self,
        infra: &Infrastructure,
        operator: &str,
        now: Timestamp,
    ) -> Result<ActivationCode, Error> {
        Ok(self.import_all(std::slice::from_ref(infra), operator, now)?[0])
    }

    /// [`import`](Self::import) of many subscriptions in one transaction
    /// (a vendor's folder of JSON files): all of them, or none.
    pub fn import_all(
        &mut self,
        infras: &[Infrastructure],
        operator: &str,
        now: Timestamp,
    ) -> Result<Vec<ActivationCode>, Error> {
        self.write(|tx, path| {
            infras
                .iter()
                .map(|infra| import_one(tx, path, infra, operator, now))
                .collect()
        })
    }
}

/// Adds one subscription and its environments inside the transaction `tx`.
fn import_one(
    tx: &Transaction,
    path: &Path,
    infra: &Infrastructure,
    operator: &str,
    now: Timestamp,
) -> Result<ActivationCode, Error> {
    let code = infra.subscription().activation_code();
    let db = database(path);
    if subscription_json(tx, &code, path)?.is_some() {
        return Err(Error::AlreadyImported(code));
    }
    put_subscription(tx, infra, operator, now, true).map_err(db)?;
    for environment in infra.environments() {
        insert_environment(tx, code, environment, path)?;
    }
    audit(
        tx,
        now,
        operator,
        Some(code),
        &format!(
            "imported at revision {} with {} environment(s)",
            infra.subscription().revision(),
            infra.environments().len()
        ),
    )
    .map_err(db)?;
    Ok(code)
}

impl Registry {
    /// The subscription `code` and its registered environments, as the
    /// core works with them (and as `export` writes them).
    pub fn infrastructure(&self, code: &ActivationCode) -> Result<Infrastructure, Error> {
        load(&self.conn, code, &self.path)
    }

    /// New terms for `code`: the next revision, refused as the core
    /// refuses it (fewer slots than environments registered, terms that
    /// cannot be licensed).
    pub fn update_terms(
        &mut self,
        code: &ActivationCode,
        terms: Terms,
        operator: &str,
        now: Timestamp,
    ) -> Result<Infrastructure, Error> {
        self.write(|tx, path| {
            let db = database(path);
            let mut infra = load(tx, code, path)?;
            infra.amend(terms)?;
            put_subscription(tx, &infra, operator, now, false).map_err(db)?;
            audit(
                tx,
                now,
                operator,
                Some(*code),
                &format!(
                    "terms changed: revision {}",
                    infra.subscription().revision()
                ),
            )
            .map_err(db)?;
            Ok(infra)
        })
    }

    /// Registers an environment in a free slot of `code`'s subscription,
    /// checked and taken in one transaction.
    pub fn register(
        &mut self,
        code: &ActivationCode,
        serial: SerialNumber,
        name: &str,
        purpose: Purpose,
        operator: &str,
        now: Timestamp,
    ) -> Result<Environment, Error> {
        self.write(|tx, path| {
            let db = database(path);
            let mut infra = load(tx, code, path)?;
            if let Some(elsewhere) = serial_code(tx, &serial, path)?
                && elsewhere != *code
            {
                return Err(Error::SerialElsewhere {
                    serial,
                    code: elsewhere,
                });
            }
            let environment = infra.register(serial, name, purpose, now)?.clone();
            insert_environment(tx, *code, &environment, path)?;
            audit(
                tx,
                now,
                operator,
                Some(*code),
                &format!(
                    "registered '{}' ({}) with serial {serial}: {} of {} {purpose} slots used",
                    environment.name,
                    environment.purpose,
                    infra.used(purpose),
                    infra.subscription().terms().slots.allowed(purpose)
                ),
            )
            .map_err(db)?;
            Ok(environment)
        })
    }

    /// Registers the environment an activation request describes.
    pub fn register_request(
        &mut self,
        code: &ActivationCode,
        request: &ActivationRequest,
        operator: &str,
        now: Timestamp,
    ) -> Result<Environment, Error> {
        if request.activation_code != *code {
            return Err(RegistryError::OtherSubscription {
                requested: request.activation_code,
                this: *code,
            }
            .into());
        }
        self.register(
            code,
            request.serial_number,
            &request.environment_name,
            request.purpose,
            operator,
            now,
        )
    }

    /// Releases the environment `serial`, freeing its slot; the release is
    /// kept in the history.
    pub fn release(
        &mut self,
        code: &ActivationCode,
        serial: &SerialNumber,
        operator: &str,
        now: Timestamp,
    ) -> Result<Environment, Error> {
        self.write(|tx, path| {
            let db = database(path);
            let mut infra = load(tx, code, path)?;
            let environment = infra.release(serial)?;
            let json = serde_json::to_string(&environment)
                .map_err(|e| Error::Damaged(e.to_string()))?;
            tx.execute(
                "DELETE FROM environments WHERE serial_number = ?1",
                params![serial.to_string()],
            )
            .map_err(db)?;
            tx.execute(
                "INSERT INTO releases (serial_number, activation_code, environment_json, released_at, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![serial.to_string(), code.to_string(), json, now.unix_seconds(), operator],
            )
            .map_err(db)?;
            audit(
                tx,
                now,
                operator,
                Some(*code),
                &format!("released '{}' with serial {serial}", environment.name),
            )
            .map_err(db)?;
            Ok(environment)
        })
    }

    /// Records an issued license (the file itself, its id, serial,
    /// revision and times).
    pub fn record_license(
        &mut self,
        file: &LicenseFile,
        operator: &str,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.record_licenses(std::slice::from_ref(file), operator, now)
    }

    /// [`record_license`](Self::record_license) of many, in one
    /// transaction.
    pub fn record_licenses(
        &mut self,
        files: &[LicenseFile],
        operator: &str,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.write(|tx, path| {
            files
                .iter()
                .try_for_each(|file| record_one(tx, path, file, operator, now))
        })
    }

    /// Every subscription, optionally only those whose organization
    /// contains `organization` (case-insensitive) and those ending on or
    /// before `ending_by`; sorted by organization.
    pub fn list(
        &self,
        organization: Option<&str>,
        ending_by: Option<Date>,
    ) -> Result<Vec<SubscriptionRow>, Error> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT s.activation_code, s.organization, s.ends, s.revision,
                        (SELECT COUNT(*) FROM environments e WHERE e.activation_code = s.activation_code)
                 FROM subscriptions s ORDER BY s.organization, s.activation_code",
            )
            .map_err(|e| self.db(e))?;
        let rows = statement
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .map_err(|e| self.db(e))?;
        let needle = organization.map(str::to_lowercase);
        let mut out = Vec::new();
        for row in rows {
            let (code, org, ends, revision, count) = row.map_err(|e| self.db(e))?;
            let ends = match ends {
                Some(text) => Some(
                    text.parse::<Date>()
                        .map_err(|e| Error::Damaged(format!("end date '{text}': {e}")))?,
                ),
                None => None,
            };
            if needle
                .as_ref()
                .is_some_and(|n| !org.to_lowercase().contains(n.as_str()))
            {
                continue;
            }
            if let Some(by) = ending_by
                && ends.is_none_or(|e| e > by)
            {
                continue;
            }
            out.push(SubscriptionRow {
                activation_code: parse_code(&code)?,
                organization: org,
                ends,
                revision,
                environments: count as usize,
            });
        }
        Ok(out)
    }

    /// Which subscription (and environment) a serial number or an
    /// activation code belongs to; `None` when the registry has neither.
    pub fn find(&self, text: &str) -> Result<Option<Found>, Error> {
        if let Ok(serial) = SerialNumber::parse(text) {
            let Some(code) = serial_code(&self.conn, &serial, &self.path)? else {
                return Ok(None);
            };
            let infra = load(&self.conn, &code, &self.path)?;
            let latest = self
                .conn
                .query_row(
                    "SELECT license_id, revision, issued_at FROM licenses WHERE serial_number = ?1 ORDER BY issued_at DESC, revision DESC LIMIT 1",
                    params![serial.to_string()],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get::<_, i64>(2)?)),
                )
                .optional()
                .map_err(|e| self.db(e))?
                .map(|(id, revision, at)| (id, revision, Timestamp::from_unix_seconds(at)));
            return Ok(Some(Found {
                activation_code: code,
                environment: infra.environment(&serial).cloned(),
                latest_license: latest,
            }));
        }
        let code = ActivationCode::parse(text).map_err(|e| {
            Error::Damaged(format!(
                "'{}' is neither a serial number nor an activation code: {e}",
                licensing::printable(text)
            ))
        })?;
        match load(&self.conn, &code, &self.path) {
            Ok(_) => Ok(Some(Found {
                activation_code: code,
                environment: None,
                latest_license: None,
            })),
            Err(Error::UnknownSubscription(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The subscription's history, oldest first: imports, revisions,
    /// registrations, releases, licenses, with their operators.
    pub fn history(&self, code: &ActivationCode) -> Result<Vec<AuditEntry>, Error> {
        load(&self.conn, code, &self.path)?;
        let mut statement = self
            .conn
            .prepare("SELECT at, operator, what FROM audit WHERE activation_code = ?1 ORDER BY id")
            .map_err(|e| self.db(e))?;
        let rows = statement
            .query_map(params![code.to_string()], |r| {
                Ok(AuditEntry {
                    at: Timestamp::from_unix_seconds(r.get(0)?),
                    operator: r.get(1)?,
                    what: r.get(2)?,
                })
            })
            .map_err(|e| self.db(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db(e))
    }
}

/// Records one issued license inside the transaction `tx`.
fn record_one(
    tx: &Transaction,
    path: &Path,
    file: &LicenseFile,
    operator: &str,
    now: Timestamp,
) -> Result<(), Error> {
    let l = file.license();
    let db = database(path);
    tx.execute(
                "INSERT INTO licenses (license_id, activation_code, serial_number, revision, issued_at, expires_at, file, operator) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    l.license_id.to_string(),
                    l.activation_code.to_string(),
                    l.serial_number.to_string(),
                    l.revision,
                    l.issued_at.unix_seconds(),
                    l.expires_at.map(Timestamp::unix_seconds),
                    file.to_bytes(),
                    operator
                ],
            )
            .map_err(db)?;
    audit(
        tx,
        now,
        operator,
        Some(l.activation_code),
        &format!(
            "issued license {} revision {} for '{}' (serial {})",
            l.license_id, l.revision, l.environment_name, l.serial_number
        ),
    )
    .map_err(db)
}

/// The error of a failed statement on the registry at `path`.
fn database(path: &Path) -> impl Fn(rusqlite::Error) -> Error + Copy + '_ {
    move |source| Error::Database {
        path: path.to_owned(),
        source,
    }
}

fn parse_code(text: &str) -> Result<ActivationCode, Error> {
    ActivationCode::parse(text).map_err(|e| Error::Damaged(format!("activation code: {e}")))
}

/// The subscription that has `serial` registered, if any.
fn serial_code(
    conn: &Connection,
    serial: &SerialNumber,
    path: &Path,
) -> Result<Option<ActivationCode>, Error> {
    let code: Option<String> = conn
        .query_row(
            "SELECT activation_code FROM environments WHERE serial_number = ?1",
            params![serial.to_string()],
            |r| r.get(0),
        )
        .optional()
        .map_err(database(path))?;
    code.as_deref().map(parse_code).transpose()
}

/// The stored subscription `code` (its `subscription_json`), if any.
fn subscription_json(
    conn: &Connection,
    code: &ActivationCode,
    path: &Path,
) -> Result<Option<String>, Error> {
    conn.query_row(
        "SELECT subscription_json FROM subscriptions WHERE activation_code = ?1",
        params![code.to_string()],
        |r| r.get(0),
    )
    .optional()
    .map_err(database(path))
}

/// Reads subscription `code` and its environments.
fn load(conn: &Connection, code: &ActivationCode, path: &Path) -> Result<Infrastructure, Error> {
    let db = database(path);
    let subscription =
        subscription_json(conn, code, path)?.ok_or(Error::UnknownSubscription(*code))?;
    let mut statement = conn
        .prepare(
            "SELECT environment_json FROM environments WHERE activation_code = ?1 ORDER BY rowid",
        )
        .map_err(db)?;
    let environments = statement
        .query_map(params![code.to_string()], |r| r.get::<_, String>(0))
        .map_err(db)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db)?;
    let json = format!(
        "{{\"subscription\":{subscription},\"environments\":[{}]}}",
        environments.join(",")
    );
    serde_json::from_str(&json).map_err(|e| Error::Damaged(format!("subscription {code}: {e}")))
}

/// Writes the subscription's current terms (a new row, or an update) and
/// its revision to the history of revisions.
fn put_subscription(
    tx: &Transaction,
    infra: &Infrastructure,
    operator: &str,
    now: Timestamp,
    new: bool,
) -> rusqlite::Result<()> {
    let subscription = infra.subscription();
    let json = serde_json::to_string(subscription).expect("a subscription serializes");
    let terms = subscription.terms();
    let ends = terms.ends.map(|d| d.to_string());
    let code = subscription.activation_code().to_string();
    if new {
        tx.execute(
            "INSERT INTO subscriptions (activation_code, organization, ends, revision, subscription_json) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![code, terms.organization, ends, subscription.revision(), json],
        )?;
    } else {
        tx.execute(
            "UPDATE subscriptions SET organization = ?2, ends = ?3, revision = ?4, subscription_json = ?5 WHERE activation_code = ?1",
            params![code, terms.organization, ends, subscription.revision(), json],
        )?;
    }
    tx.execute(
        "INSERT INTO revisions (activation_code, revision, subscription_json, changed_at, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![code, subscription.revision(), json, now.unix_seconds(), operator],
    )?;
    Ok(())
}

fn insert_environment(
    tx: &Transaction,
    code: ActivationCode,
    environment: &Environment,
    path: &Path,
) -> Result<(), Error> {
    if let Some(elsewhere) = serial_code(tx, &environment.serial_number, path)? {
        return Err(Error::SerialElsewhere {
            serial: environment.serial_number,
            code: elsewhere,
        });
    }
    let json = serde_json::to_string(environment).map_err(|e| Error::Damaged(e.to_string()))?;
    tx.execute(
        "INSERT INTO environments (serial_number, activation_code, name, purpose, registered_at, environment_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            environment.serial_number.to_string(),
            code.to_string(),
            environment.name,
            environment.purpose.as_str(),
            environment.registered_at.unix_seconds(),
            json
        ],
    )
    .map_err(database(path))?;
    Ok(())
}

fn audit(
    tx: &Transaction,
    at: Timestamp,
    operator: &str,
    code: Option<ActivationCode>,
    what: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit (at, operator, activation_code, what) VALUES (?1, ?2, ?3, ?4)",
        params![
            at.unix_seconds(),
            operator,
            code.map(|c| c.to_string()),
            what
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
