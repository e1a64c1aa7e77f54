//! Registries for tests, on every backend: a SQLite file, and a fresh
//! database on the PostgreSQL server that `LICENSING_TEST_POSTGRES` names
//! (`tests/postgres/start.sh` starts one and prints the line to export).
//! Used by this crate's tests and the CLI's; not for production use.
//!
//! ```
//! for place in licensing_registry::testing::places() {
//!     let registry = licensing_registry::Registry::init(&place.location)?;
//!     assert!(registry.list(None, None)?.is_empty(), "{}", place.location);
//! }
//! # Ok::<(), licensing_registry::Error>(())
//! ```

use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming a PostgreSQL server for tests, as a URL without a
/// database: `postgres://licensing@127.0.0.1:54329`.
pub const POSTGRES_VARIABLE: &str = "LICENSING_TEST_POSTGRES";

/// Set (to anything) where the PostgreSQL tests must run, as in CI: then
/// a missing [`POSTGRES_VARIABLE`] fails them instead of skipping them.
pub const REQUIRE_VARIABLE: &str = "LICENSING_REQUIRE_POSTGRES";

/// Where a test's registry goes; what it made is removed when dropped.
pub struct Place {
    /// The location to give `Registry::init` / `--registry` (nothing
    /// there yet).
    pub location: String,
    /// Which backend, for messages.
    pub backend: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    Database { server: String, name: String },
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Cleanup::Database { server, name } = &self.cleanup
            && let Ok(mut admin) =
                ::postgres::Client::connect(&format!("{server}/postgres"), ::postgres::NoTls)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A new SQLite file in `folder` (which the caller keeps), as a place.
pub fn sqlite_in(folder: &std::path::Path) -> String {
    folder.join("vendor.db").display().to_string()
}

/// A place on SQLite, then one on PostgreSQL when a server is given.
///
/// # Panics
/// When [`REQUIRE_VARIABLE`] is set and no server is given or reachable.
pub fn places() -> Vec<Place> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut places = vec![Place {
        location: sqlite_in(dir.path()),
        backend: "SQLite",
        cleanup: Cleanup::Folder(dir),
    }];
    places.extend(postgres());
    places
}

/// A fresh, empty PostgreSQL database, when a server is given.
///
/// # Panics
/// When [`REQUIRE_VARIABLE`] is set and no server is given, or when the
/// given server refuses to create a database.
pub fn postgres() -> Option<Place> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let Ok(server) = std::env::var(POSTGRES_VARIABLE) else {
        assert!(
            std::env::var_os(REQUIRE_VARIABLE).is_none(),
            "{REQUIRE_VARIABLE} is set but {POSTGRES_VARIABLE} is not: run eval \"$(tests/postgres/start.sh)\" first"
        );
        eprintln!("PostgreSQL skipped: {POSTGRES_VARIABLE} is not set (tests/postgres/start.sh)");
        return None;
    };
    let server = server.trim_end_matches('/').to_owned();
    let name = format!(
        "licensing_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = ::postgres::Client::connect(&format!("{server}/postgres"), ::postgres::NoTls)
        .unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE}={server}: {e}"));
    // One statement per call: CREATE DATABASE cannot run in the implicit
    // transaction of a multi-statement batch.
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&statement)
            .unwrap_or_else(|e| panic!("{statement} on {server}: {e:?}"));
    }
    Some(Place {
        location: format!("{server}/{name}"),
        backend: "PostgreSQL",
        cleanup: Cleanup::Database { server, name },
    })
}
