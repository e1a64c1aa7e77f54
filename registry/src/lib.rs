//! The vendor's registry: every subscription (each revision of its
//! terms), every registered environment, every issued license and an
//! append-only audit log, in one database: a SQLite file by default, or
//! PostgreSQL for a registry run as a shared service (the same tables and
//! the same behaviour). The runtime never links this crate.
//!
//! The rules stay in the core: a registration loads the subscription's
//! [`Infrastructure`] inside a write transaction, asks the core's
//! [`Infrastructure::register`] (free slots, names, serials), and writes
//! what changed in the same transaction. The transaction holds the
//! registry's one write lock from its start (SQLite's `BEGIN IMMEDIATE`,
//! a PostgreSQL advisory lock), so two processes racing for the last slot
//! get one success and one refusal.
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

use backend::{Backend, Location, Param, Row, Value};
use licensing::{
    ActivationCode, ActivationRequest, Date, Environment, Infrastructure, LicenseFile, Purpose,
    RegistryError, SerialNumber, Terms, Timestamp,
};
use std::cell::RefCell;

mod backend;
mod postgres;
mod sqlite;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

/// The schema version this crate writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// What went wrong with the registry.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be read or written.
    #[error(
        "the registry {registry} could not be used: {source} (check that it is reachable and that --registry or LICENSING_REGISTRY names it)"
    )]
    Database {
        /// The registry (a file, or a PostgreSQL URL without its password).
        registry: String,
        /// What the database said.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// `init` of a file that exists, or of a database that holds a
    /// registry.
    #[error(
        "{0} exists already: open it with --registry, or choose another location for a new registry"
    )]
    Exists(String),
    /// A file or database that is not a registry of this version.
    #[error(
        "{registry} is not a licensing registry ({why}): create one with 'licensing registry init'"
    )]
    NotARegistry {
        /// The registry.
        registry: String,
        /// What is wrong.
        why: String,
    },
    /// A location that names no registry (it is not repeated: it may hold
    /// a password).
    #[error("the registry location given is {0}")]
    BadLocation(&'static str),
    /// No subscription has that activation code.
    #[error(
        "no subscription in the registry has activation code {0}: check the code ('licensing subscription list' shows the registry's subscriptions), or import its file with 'licensing registry import'"
    )]
    UnknownSubscription(ActivationCode),
    /// The subscription is in the registry already.
    #[error(
        "the registry holds the subscription {0} already: change it with 'subscription update', or export it first"
    )]
    AlreadyImported(ActivationCode),
    /// The serial number is registered under another subscription.
    #[error(
        "serial number {serial} is registered under activation code {code} already: release it there first (licensing release {code} --serial {serial}), or check the serial"
    )]
    SerialElsewhere {
        /// The serial.
        serial: SerialNumber,
        /// The subscription that has it.
        code: ActivationCode,
    },
    /// The core refused (no free slot, a name taken, ...).
    #[error(transparent)]
    Refused(#[from] RegistryError),
    /// New terms made from a revision that is no longer the current one:
    /// another operator changed the subscription meanwhile.
    #[error(
        "{code} changed while these terms were made (they start from revision {based_on}, it is at revision {now} now): nothing was changed; run the command again"
    )]
    ChangedMeanwhile {
        /// The subscription.
        code: ActivationCode,
        /// The revision the new terms were made from.
        based_on: u32,
        /// Its revision now.
        now: u32,
    },
    /// An operator name the history cannot hold.
    #[error(
        "operator '{0}' is not a name the history can hold: give 1 to 100 printable characters (--operator NAME)"
    )]
    BadOperator(String),
    /// Another writer held the registry's write lock for 30 s.
    #[error(
        "the registry {0} is busy: another writer held it for 30 s; nothing was changed, run the command again"
    )]
    Busy(String),
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
    backend: RefCell<Box<dyn Backend + Send>>,
    /// How messages name it (a PostgreSQL URL without its password).
    name: String,
}

/// The database during one operation: statements, with failures named
/// after the registry.
struct Db<'a> {
    backend: &'a mut (dyn Backend + Send),
    name: &'a str,
}

impl Db<'_> {
    fn failed(&self, source: backend::Failure) -> Error {
        if backend::is_busy(source.as_ref()) {
            return Error::Busy(self.name.to_owned());
        }
        Error::Database {
            registry: self.name.to_owned(),
            source,
        }
    }

    fn exec(&mut self, sql: &str, params: &[Param]) -> Result<u64, Error> {
        self.backend
            .execute(sql, params)
            .map_err(|e| self.failed(e))
    }

    fn rows(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>, Error> {
        self.backend.query(sql, params).map_err(|e| self.failed(e))
    }

    /// The first row, with its `N` columns, if any.
    fn row<const N: usize>(
        &mut self,
        sql: &str,
        params: &[Param],
    ) -> Result<Option<[Value; N]>, Error> {
        self.rows(sql, params)?
            .into_iter()
            .next()
            .map(columns)
            .transpose()
    }
}

fn not_a_registry(registry: String, why: impl std::fmt::Display) -> Error {
    Error::NotARegistry {
        registry,
        why: why.to_string(),
    }
}

/// A write transaction: rolled back when dropped before its commit (an
/// error, or a panic), so that a `Registry` used again never carries a
/// half-done change.
struct Transaction<'a> {
    db: Db<'a>,
    open: bool,
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            self.db.backend.rollback();
        }
    }
}

/// A row's `N` columns.
fn columns<const N: usize>(row: Row) -> Result<[Value; N], Error> {
    let found = row.len();
    row.try_into()
        .map_err(|_| Error::Damaged(format!("a row of {found} columns, {N} expected")))
}

impl Value {
    fn int(&self, what: &str) -> Result<i64, Error> {
        match self {
            Value::Int(i) => Ok(*i),
            other => Err(Error::Damaged(format!(
                "{what}: {other:?}, a number expected"
            ))),
        }
    }

    fn revision(&self) -> Result<u32, Error> {
        let value = self.int("revision")?;
        u32::try_from(value).map_err(|_| Error::Damaged(format!("revision {value}")))
    }

    fn text(self, what: &str) -> Result<String, Error> {
        match self {
            Value::Text(t) => Ok(t),
            other => Err(Error::Damaged(format!("{what}: {other:?}, text expected"))),
        }
    }

    fn optional_text(self, what: &str) -> Result<Option<String>, Error> {
        match self {
            Value::Null => Ok(None),
            other => other.text(what).map(Some),
        }
    }
}

impl Registry {
    /// Creates a new registry at `location`: a SQLite file (refused when
    /// it exists), or a `postgres://` URL naming an existing database
    /// (refused when it holds a registry already).
    pub fn init(location: &str) -> Result<Self, Error> {
        let location = Location::parse(location).map_err(Error::BadLocation)?;
        if let Location::Sqlite(path) = &location
            && path.exists()
        {
            return Err(Error::Exists(path.display().to_string()));
        }
        let mut registry = Self::connect(&location)?;
        if registry.schema_version().is_ok() {
            return Err(Error::Exists(registry.name));
        }
        registry.write(|db| {
            db.backend.create_schema().map_err(|e| db.failed(e))?;
            db.exec(
                "INSERT INTO registry_meta (key, value) VALUES ('schema-version', ?1)",
                &[Param::from(SCHEMA_VERSION.to_string().as_str())],
            )
        })?;
        Ok(registry)
    }

    /// Opens the registry at `location` (a SQLite file or a `postgres://`
    /// URL); refused for a missing file, or for a file or database that is
    /// not a registry of this version.
    pub fn open(location: &str) -> Result<Self, Error> {
        let location = Location::parse(location).map_err(Error::BadLocation)?;
        let registry = match &location {
            Location::Sqlite(path) => {
                let name = path.display().to_string();
                if !path.exists() {
                    return Err(not_a_registry(name, "no such file"));
                }
                // A file SQLite cannot read is not a registry.
                Self::connect(&location).map_err(|e| match e {
                    Error::Database { source, .. } => not_a_registry(name, source),
                    other => other,
                })?
            }
            // A server that cannot be reached is not "not a registry".
            Location::Postgres(_) => Self::connect(&location)?,
        };
        let name = registry.name.clone();
        match registry.schema_version() {
            Ok(Some(v)) if v == SCHEMA_VERSION.to_string() => Ok(registry),
            Ok(Some(v)) => Err(not_a_registry(
                name,
                format!("schema version {v}, this tool reads {SCHEMA_VERSION}"),
            )),
            Ok(None) => Err(not_a_registry(name, "no schema version")),
            Err(Error::Database { source, .. })
                if matches!(location, Location::Sqlite(_))
                    || backend::is_missing_table(source.as_ref()) =>
            {
                Err(not_a_registry(name, source))
            }
            Err(other) => Err(other),
        }
    }

    fn connect(location: &Location) -> Result<Self, Error> {
        let (name, backend): (String, Result<Box<dyn Backend + Send>, _>) = match location {
            Location::Sqlite(path) => (
                path.display().to_string(),
                sqlite::Sqlite::connect(path).map(|b| Box::new(b) as _),
            ),
            Location::Postgres(url) => (
                postgres::describe(url),
                postgres::Postgres::connect(url).map(|b| Box::new(b) as _),
            ),
        };
        match backend {
            Ok(backend) => Ok(Self {
                backend: RefCell::new(backend),
                name,
            }),
            Err(source) => Err(Error::Database {
                registry: name,
                source,
            }),
        }
    }

    /// How messages name this registry: its file, or its PostgreSQL URL
    /// without the password.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let file = dir.path().join("vendor.db");
    /// let registry = licensing_registry::Registry::init(file.to_str().unwrap())?;
    /// assert_eq!(registry.name(), file.display().to_string());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    fn schema_version(&self) -> Result<Option<String>, Error> {
        self.read(|db| {
            db.row(
                "SELECT value FROM registry_meta WHERE key = 'schema-version'",
                &[],
            )?
            .map(|[v]| v.text("schema version"))
            .transpose()
        })
    }

    /// Runs `query` on the database (reads see committed changes only).
    fn read<T>(&self, query: impl FnOnce(&mut Db) -> Result<T, Error>) -> Result<T, Error> {
        let mut backend = self.backend.borrow_mut();
        query(&mut Db {
            backend: &mut **backend,
            name: &self.name,
        })
    }

    /// Runs `change` in one write transaction, which holds the registry's
    /// write lock from its start: committed whole, or not at all.
    fn write<T>(&mut self, change: impl FnOnce(&mut Db) -> Result<T, Error>) -> Result<T, Error> {
        let backend = self.backend.get_mut();
        let mut tx = Transaction {
            db: Db {
                backend: &mut **backend,
                name: &self.name,
            },
            open: false,
        };
        tx.db.backend.begin_write().map_err(|e| tx.db.failed(e))?;
        tx.open = true;
        let value = change(&mut tx.db)?;
        tx.db.backend.commit().map_err(|e| tx.db.failed(e))?;
        tx.open = false;
        Ok(value)
    }

    /// One change to subscription `code`, by `operator`: in one write
    /// transaction, `apply` gets the database and the subscription as
    /// stored, makes the change and says what it did, which goes to the
    /// history.
    fn change<T>(
        &mut self,
        code: &ActivationCode,
        operator: &str,
        now: Timestamp,
        apply: impl FnOnce(&mut Db, &mut Infrastructure) -> Result<(T, String), Error>,
    ) -> Result<T, Error> {
        check_operator(operator)?;
        self.write(|db| {
            let mut infra = load(db, code)?;
            let (value, what) = apply(db, &mut infra)?;
            audit(db, now, operator, Some(*code), &what)?;
            Ok(value)
        })
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
        check_operator(operator)?;
        self.write(|db| {
            infras
                .iter()
                .map(|infra| import_one(db, infra, operator, now))
                .collect()
        })
    }

    /// The subscription `code` and its registered environments, as the
    /// core works with them (and as `export` writes them).
    pub fn infrastructure(&self, code: &ActivationCode) -> Result<Infrastructure, Error> {
        self.read(|db| load(db, code))
    }

    /// New terms for `code`, made from its revision `based_on`: the next
    /// revision, refused as the core refuses it (fewer slots than
    /// environments registered, terms that cannot be licensed), and
    /// refused when the subscription is no longer at `based_on` (another
    /// operator's change would be lost).
    pub fn update_terms(
        &mut self,
        code: &ActivationCode,
        based_on: u32,
        terms: Terms,
        operator: &str,
        now: Timestamp,
    ) -> Result<Infrastructure, Error> {
        self.change(code, operator, now, |db, infra| {
            let current = infra.subscription().revision();
            if current != based_on {
                return Err(Error::ChangedMeanwhile {
                    code: *code,
                    based_on,
                    now: current,
                });
            }
            infra.amend(terms)?;
            put_subscription(db, infra, operator, now, false)?;
            let what = format!(
                "terms changed: revision {}",
                infra.subscription().revision()
            );
            Ok((infra.clone(), what))
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
        self.register_with(code, serial, operator, now, |infra| {
            infra.register(serial, name, purpose, now)
        })
    }

    /// Registers the environment an activation request describes (the
    /// core's [`Infrastructure::register_request`]: refused for another
    /// subscription's request).
    pub fn register_request(
        &mut self,
        code: &ActivationCode,
        request: &ActivationRequest,
        operator: &str,
        now: Timestamp,
    ) -> Result<Environment, Error> {
        self.register_with(code, request.serial_number, operator, now, |infra| {
            infra.register_request(request, now)
        })
    }

    /// A registration of `serial` by the core's `register` (or
    /// `register_request`), checked and written in one transaction.
    fn register_with(
        &mut self,
        code: &ActivationCode,
        serial: SerialNumber,
        operator: &str,
        now: Timestamp,
        register: impl FnOnce(&mut Infrastructure) -> Result<&Environment, RegistryError>,
    ) -> Result<Environment, Error> {
        self.change(code, operator, now, |db, infra| {
            let environment = register(infra)?.clone();
            // The core knows this subscription; the registry knows the others.
            if let Some(elsewhere) = serial_code(db, &serial)? {
                return Err(Error::SerialElsewhere {
                    serial,
                    code: elsewhere,
                });
            }
            insert_environment(db, *code, &environment)?;
            let purpose = environment.purpose;
            let what = format!(
                "registered '{}' ({purpose}) with serial {serial}: {} of {} {purpose} slots used",
                environment.name,
                infra.used(purpose),
                infra.subscription().terms().slots.allowed(purpose)
            );
            Ok((environment, what))
        })
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
        self.change(code, operator, now, |db, infra| {
            let environment = infra.release(serial)?;
            let json = serde_json::to_string(&environment)
                .map_err(|e| Error::Damaged(e.to_string()))?;
            let serial_text = serial.to_string();
            db.exec(
                "DELETE FROM environments WHERE serial_number = ?1",
                &[(&serial_text).into()],
            )?;
            db.exec(
                "INSERT INTO releases (serial_number, activation_code, environment_json, released_at, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    (&serial_text).into(),
                    (&code.to_string()).into(),
                    (&json).into(),
                    now.unix_seconds().into(),
                    operator.into(),
                ],
            )?;
            let what = format!("released '{}' with serial {serial}", environment.name);
            Ok((environment, what))
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
        check_operator(operator)?;
        self.write(|db| record_all(db, files, operator, now))
    }

    /// Every subscription, optionally only those whose organization
    /// contains `organization` (case-insensitive) and those ending on or
    /// before `ending_by`; sorted by organization.
    pub fn list(
        &self,
        organization: Option<&str>,
        ending_by: Option<Date>,
    ) -> Result<Vec<SubscriptionRow>, Error> {
        let rows = self.read(|db| {
            db.rows(
                "SELECT s.activation_code, s.organization, s.ends, s.revision,
                        (SELECT COUNT(*) FROM environments e WHERE e.activation_code = s.activation_code)
                 FROM subscriptions s",
                &[],
            )
        })?;
        let needle = organization.map(str::to_lowercase);
        let mut out = Vec::new();
        for row in rows {
            let [code, org, ends, revision, count] = columns(row)?;
            let org = org.text("organization")?;
            let ends = match ends.optional_text("end date")? {
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
                activation_code: parse_code(&code.text("activation code")?)?,
                organization: org,
                ends,
                revision: revision.revision()?,
                environments: usize::try_from(count.int("environments")?).unwrap_or(0),
            });
        }
        // Sorted here, not by the database: PostgreSQL's order depends on
        // its collation, SQLite's does not.
        out.sort_by(|a, b| {
            (a.organization.as_str(), a.activation_code.to_string())
                .cmp(&(b.organization.as_str(), b.activation_code.to_string()))
        });
        Ok(out)
    }

    /// Which subscription (and environment) a serial number or an
    /// activation code belongs to; `None` when the registry has neither.
    pub fn find(&self, text: &str) -> Result<Option<Found>, Error> {
        if let Ok(serial) = SerialNumber::parse(text) {
            // One statement (one round trip to a server): the environment
            // and its latest license.
            let row = self.read(|db| {
                db.row(
                    "SELECT e.activation_code, e.environment_json, l.license_id, l.revision, l.issued_at
                     FROM environments e LEFT JOIN licenses l ON l.license_id = (
                         SELECT license_id FROM licenses WHERE serial_number = e.serial_number
                         ORDER BY issued_at DESC, revision DESC, license_id DESC LIMIT 1)
                     WHERE e.serial_number = ?1",
                    &[(&serial.to_string()).into()],
                )
            })?;
            let Some([code, environment, id, revision, at]) = row else {
                return Ok(None);
            };
            let environment = environment.text("environment")?;
            let environment: Environment = serde_json::from_str(&environment)
                .map_err(|e| Error::Damaged(format!("environment {serial}: {e}")))?;
            let latest_license = match id.optional_text("license id")? {
                Some(id) => Some((
                    id,
                    revision.revision()?,
                    Timestamp::from_unix_seconds(at.int("issue time")?),
                )),
                None => None,
            };
            return Ok(Some(Found {
                activation_code: parse_code(&code.text("activation code")?)?,
                environment: Some(environment),
                latest_license,
            }));
        }
        let code = ActivationCode::parse(text).map_err(|e| {
            Error::Damaged(format!(
                "'{}' is neither a serial number nor an activation code: {e}",
                licensing::printable(text)
            ))
        })?;
        match self.infrastructure(&code) {
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
        self.read(|db| {
            load(db, code)?;
            db.rows(
                "SELECT at, operator, what FROM audit WHERE activation_code = ?1 ORDER BY id",
                &[(&code.to_string()).into()],
            )?
            .into_iter()
            .map(|row| {
                let [at, operator, what] = columns(row)?;
                Ok(AuditEntry {
                    at: Timestamp::from_unix_seconds(at.int("time")?),
                    operator: operator.text("operator")?,
                    what: what.text("what")?,
                })
            })
            .collect()
        })
    }
}

/// Adds one subscription and its environments inside a write transaction.
fn import_one(
    db: &mut Db,
    infra: &Infrastructure,
    operator: &str,
    now: Timestamp,
) -> Result<ActivationCode, Error> {
    let code = infra.subscription().activation_code();
    if subscription_json(db, &code)?.is_some() {
        return Err(Error::AlreadyImported(code));
    }
    // The file's environments, registered again through the core: its
    // rules (free slots, names, one serial once) hold for a file edited by
    // hand as for the registry's own registrations.
    let mut checked = Infrastructure::new(infra.subscription().clone());
    for e in infra.environments() {
        checked.register(e.serial_number, &e.name, e.purpose, e.registered_at)?;
    }
    put_subscription(db, infra, operator, now, true)?;
    for environment in infra.environments() {
        if let Some(elsewhere) = serial_code(db, &environment.serial_number)? {
            return Err(Error::SerialElsewhere {
                serial: environment.serial_number,
                code: elsewhere,
            });
        }
        insert_environment(db, code, environment)?;
    }
    audit(
        db,
        now,
        operator,
        Some(code),
        &format!(
            "imported at revision {} with {} environment(s)",
            infra.subscription().revision(),
            infra.environments().len()
        ),
    )?;
    Ok(code)
}

/// Licenses recorded per statement: a statement is a round trip to a
/// server, and 100 rows of 8 parameters stay far below SQLite's and
/// PostgreSQL's limits on parameters.
const RECORDS_PER_STATEMENT: usize = 100;

/// Records issued licenses inside a write transaction: each license's row
/// and its line in the audit log, a statement of many rows for each.
fn record_all(
    db: &mut Db,
    files: &[LicenseFile],
    operator: &str,
    now: Timestamp,
) -> Result<(), Error> {
    for chunk in files.chunks(RECORDS_PER_STATEMENT) {
        let texts: Vec<[String; 4]> = chunk
            .iter()
            .map(|file| {
                let l = file.license();
                [
                    l.license_id.to_string(),
                    l.activation_code.to_string(),
                    l.serial_number.to_string(),
                    format!(
                        "issued license {} revision {} for '{}' (serial {})",
                        l.license_id, l.revision, l.environment_name, l.serial_number
                    ),
                ]
            })
            .collect();
        let bytes: Vec<Vec<u8>> = chunk.iter().map(LicenseFile::to_bytes).collect();
        let mut licenses: Vec<Param> = Vec::with_capacity(chunk.len() * 8);
        let mut audit: Vec<Param> = Vec::with_capacity(chunk.len() * 4);
        for ((file, [id, code, serial, what]), bytes) in chunk.iter().zip(&texts).zip(&bytes) {
            let l = file.license();
            licenses.extend::<[Param; 8]>([
                id.into(),
                code.into(),
                serial.into(),
                l.revision.into(),
                l.issued_at.unix_seconds().into(),
                Param::Int(l.expires_at.map(Timestamp::unix_seconds)),
                Param::Bytes(bytes),
                operator.into(),
            ]);
            audit.extend::<[Param; 4]>([
                now.unix_seconds().into(),
                operator.into(),
                code.into(),
                what.into(),
            ]);
        }
        db.exec(
            &rows_of(
                "INSERT INTO licenses (license_id, activation_code, serial_number, revision, issued_at, expires_at, file, operator) VALUES",
                8,
                chunk.len(),
            ),
            &licenses,
        )?;
        // In the order of the rows: the history lists them in that order.
        db.exec(
            &rows_of(
                "INSERT INTO audit (at, operator, activation_code, what) VALUES",
                4,
                chunk.len(),
            ),
            &audit,
        )?;
    }
    Ok(())
}

/// `insert` followed by `rows` tuples of `columns` parameters:
/// `(?1, ?2), (?3, ?4)`.
fn rows_of(insert: &str, columns: usize, rows: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|row| {
            let params: Vec<String> = (1..=columns)
                .map(|column| format!("?{}", row * columns + column))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!("{insert} {}", tuples.join(", "))
}

/// An operator name is a line of the history: 1 to 100 characters, none
/// that a terminal would act on (a line break would forge a line).
fn check_operator(operator: &str) -> Result<(), Error> {
    if operator.trim().is_empty()
        || operator.chars().count() > 100
        || operator.chars().any(licensing::is_unsafe_to_print)
    {
        return Err(Error::BadOperator(
            licensing::printable(operator).into_owned(),
        ));
    }
    Ok(())
}

fn parse_code(text: &str) -> Result<ActivationCode, Error> {
    ActivationCode::parse(text).map_err(|e| Error::Damaged(format!("activation code: {e}")))
}

/// The subscription that has `serial` registered, if any.
fn serial_code(db: &mut Db, serial: &SerialNumber) -> Result<Option<ActivationCode>, Error> {
    db.row(
        "SELECT activation_code FROM environments WHERE serial_number = ?1",
        &[(&serial.to_string()).into()],
    )?
    .map(|[code]| parse_code(&code.text("activation code")?))
    .transpose()
}

/// The stored subscription `code` (its `subscription_json`), if any.
fn subscription_json(db: &mut Db, code: &ActivationCode) -> Result<Option<String>, Error> {
    db.row(
        "SELECT subscription_json FROM subscriptions WHERE activation_code = ?1",
        &[(&code.to_string()).into()],
    )?
    .map(|[json]| json.text("subscription"))
    .transpose()
}

/// Reads subscription `code` and its environments (in the order they were
/// registered), in one statement.
fn load(db: &mut Db, code: &ActivationCode) -> Result<Infrastructure, Error> {
    let rows = db.rows(
        "SELECT s.subscription_json, e.environment_json
         FROM subscriptions s LEFT JOIN environments e ON e.activation_code = s.activation_code
         WHERE s.activation_code = ?1 ORDER BY e.rowid",
        &[(&code.to_string()).into()],
    )?;
    let mut subscription = None;
    let mut environments = Vec::with_capacity(rows.len());
    for row in rows {
        let [json, environment] = columns(row)?;
        if subscription.is_none() {
            subscription = Some(json.text("subscription")?);
        }
        // A subscription without environments has one row, and no environment in it.
        if let Some(environment) = environment.optional_text("environment")? {
            environments.push(environment);
        }
    }
    let subscription = subscription.ok_or(Error::UnknownSubscription(*code))?;
    let json = format!(
        "{{\"subscription\":{subscription},\"environments\":[{}]}}",
        environments.join(",")
    );
    serde_json::from_str(&json).map_err(|e| Error::Damaged(format!("subscription {code}: {e}")))
}

/// Writes the subscription's current terms (a new row, or an update) and
/// its revision to the history of revisions.
fn put_subscription(
    db: &mut Db,
    infra: &Infrastructure,
    operator: &str,
    now: Timestamp,
    new: bool,
) -> Result<(), Error> {
    let subscription = infra.subscription();
    let json = serde_json::to_string(subscription).map_err(|e| Error::Damaged(e.to_string()))?;
    let terms = subscription.terms();
    let ends = terms.ends.map(|d| d.to_string());
    let code = subscription.activation_code().to_string();
    let columns = [
        Param::from(&code),
        Param::from(&terms.organization),
        Param::Text(ends.as_deref()),
        subscription.revision().into(),
        Param::from(&json),
    ];
    db.exec(
        if new {
            "INSERT INTO subscriptions (activation_code, organization, ends, revision, subscription_json) VALUES (?1, ?2, ?3, ?4, ?5)"
        } else {
            "UPDATE subscriptions SET organization = ?2, ends = ?3, revision = ?4, subscription_json = ?5 WHERE activation_code = ?1"
        },
        &columns,
    )?;
    db.exec(
        "INSERT INTO revisions (activation_code, revision, subscription_json, changed_at, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            (&code).into(),
            subscription.revision().into(),
            (&json).into(),
            now.unix_seconds().into(),
            operator.into(),
        ],
    )?;
    Ok(())
}

/// Inserts a registered environment; the caller has checked that its
/// serial number is registered nowhere (the core, or `import_one`).
fn insert_environment(
    db: &mut Db,
    code: ActivationCode,
    environment: &Environment,
) -> Result<(), Error> {
    let json = serde_json::to_string(environment).map_err(|e| Error::Damaged(e.to_string()))?;
    db.exec(
        "INSERT INTO environments (serial_number, activation_code, name, purpose, registered_at, environment_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            (&environment.serial_number.to_string()).into(),
            (&code.to_string()).into(),
            (&environment.name).into(),
            environment.purpose.as_str().into(),
            environment.registered_at.unix_seconds().into(),
            (&json).into(),
        ],
    )?;
    Ok(())
}

fn audit(
    db: &mut Db,
    at: Timestamp,
    operator: &str,
    code: Option<ActivationCode>,
    what: &str,
) -> Result<(), Error> {
    let code = code.map(|c| c.to_string());
    db.exec(
        "INSERT INTO audit (at, operator, activation_code, what) VALUES (?1, ?2, ?3, ?4)",
        &[
            at.unix_seconds().into(),
            operator.into(),
            Param::Text(code.as_deref()),
            what.into(),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
