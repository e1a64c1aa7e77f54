use super::*;
use licensing::{HardwareComponent, Slots, Subscription};
use std::sync::{Arc, Barrier};

fn serial(i: u32) -> SerialNumber {
    SerialNumber::from_components(&[HardwareComponent::new("machine-id", format!("m-{i}"))])
        .unwrap()
}

fn subscription(organization: &str, production: u16, ends: Option<Date>) -> Infrastructure {
    let mut terms = Terms::new(organization, "Enterprise", "premium");
    terms.slots = Slots {
        production,
        ..Slots::default()
    };
    terms.ends = ends;
    Infrastructure::new(Subscription::new(terms).unwrap())
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(1_800_000_000 + seconds)
}

#[test]
fn import_and_export_round_trip_and_a_second_import_is_refused() {
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        assert!(matches!(
            Registry::init(&place.location),
            Err(Error::Exists(_))
        ));
        let (infra, _, _) = licensing::testing::sample_infrastructure();
        let code = registry.import(&infra, "alice", at(0)).unwrap();
        let reopened = Registry::open(&place.location).unwrap();
        let back = reopened.infrastructure(&code).unwrap();
        assert_eq!(back, infra);
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&infra).unwrap()
        );
        assert!(matches!(
            registry.import(&infra, "alice", at(1)),
            Err(Error::AlreadyImported(_))
        ));
    }
}

#[test]
fn a_file_that_is_not_a_registry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not a database").unwrap();
    assert!(matches!(
        Registry::open(path.to_str().unwrap()),
        Err(Error::NotARegistry { .. })
    ));
    assert!(matches!(
        Registry::open(dir.path().join("missing.db").to_str().unwrap()),
        Err(Error::NotARegistry { .. })
    ));
}

#[test]
fn a_database_that_is_not_a_registry_is_refused_and_a_password_never_shown() {
    if let Some(place) = testing::postgres() {
        let err = Registry::open(&place.location).err().unwrap();
        assert!(matches!(err, Error::NotARegistry { .. }), "{err}");
        assert!(err.to_string().contains("registry init"), "{err}");
    }
    if let Some(place) = testing::postgres() {
        let missing = format!("{}_missing", place.location);
        let err = Registry::init(&missing).err().unwrap().to_string();
        assert!(err.contains("does not exist"), "{err}");
        assert!(err.contains("createdb"), "{err}");
    }
    // Nothing listens on port 1: the message names the server, not the
    // password.
    let err = Registry::open("postgres://vendor:s3cret@127.0.0.1:1/registry")
        .err()
        .unwrap();
    let message = err.to_string();
    assert!(matches!(err, Error::Database { .. }), "{message}");
    assert!(
        message.contains("postgres://vendor@127.0.0.1:1/registry"),
        "{message}"
    );
    assert!(!message.contains("s3cret"), "{message}");
}

#[test]
fn registrations_take_slots_and_releases_free_them_with_history() {
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        let code = registry
            .import(&subscription("Acme Corp", 1, None), "alice", at(0))
            .unwrap();
        registry
            .register(
                &code,
                serial(1),
                "Production",
                Purpose::Production,
                "bob",
                at(1),
            )
            .unwrap();
        let full = registry.register(
            &code,
            serial(2),
            "Production 2",
            Purpose::Production,
            "bob",
            at(2),
        );
        assert!(matches!(
            full,
            Err(Error::Refused(RegistryError::NoFreeSlot { .. }))
        ));
        registry.release(&code, &serial(1), "carol", at(3)).unwrap();
        registry
            .register(
                &code,
                serial(2),
                "Production 2",
                Purpose::Production,
                "bob",
                at(4),
            )
            .unwrap();
        let infra = registry.infrastructure(&code).unwrap();
        assert_eq!(infra.environments().len(), 1);
        assert_eq!(infra.environments()[0].serial_number, serial(2));
        let history = registry.history(&code).unwrap();
        let lines: Vec<String> = history
            .iter()
            .map(|e| format!("{} {}", e.operator, e.what))
            .collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[0].starts_with("alice imported at revision 1"));
        assert!(lines[1].starts_with("bob registered 'Production'"));
        assert!(lines[2].starts_with("carol released 'Production'"));
        assert!(lines[3].starts_with("bob registered 'Production 2'"));
        // A serial of another subscription is refused by name.
        let other = registry
            .import(&subscription("Globex", 1, None), "alice", at(5))
            .unwrap();
        let taken = registry.register(&other, serial(2), "Prod", Purpose::Production, "bob", at(6));
        assert!(matches!(taken, Err(Error::SerialElsewhere { .. })));
    }
}

#[test]
fn two_writers_racing_for_the_last_slot_get_one_success_and_one_refusal() {
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        for round in 0..20u32 {
            let code = registry
                .import(
                    &subscription(&format!("Customer {round}"), 1, None),
                    "alice",
                    at(0),
                )
                .unwrap();
            let barrier = Arc::new(Barrier::new(2));
            let racers: Vec<_> = (0..2u32)
                .map(|i| {
                    let (location, barrier) = (place.location.clone(), Arc::clone(&barrier));
                    std::thread::spawn(move || {
                        let mut mine = Registry::open(&location).unwrap();
                        barrier.wait();
                        mine.register(
                            &code,
                            serial(round * 2 + i),
                            &format!("Production {i}"),
                            Purpose::Production,
                            "racer",
                            at(1),
                        )
                    })
                })
                .collect();
            let results: Vec<_> = racers.into_iter().map(|r| r.join().unwrap()).collect();
            let won = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(won, 1, "round {round}: {results:?}");
            assert!(
                results
                    .iter()
                    .any(|r| matches!(r, Err(Error::Refused(RegistryError::NoFreeSlot { .. }))))
            );
            assert_eq!(
                registry.infrastructure(&code).unwrap().environments().len(),
                1
            );
        }
    }
}

#[test]
fn list_filters_by_organization_and_end_and_find_answers_both_codes() {
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        let soon = Date::new(2027, 1, 10).unwrap();
        let later = Date::new(2028, 1, 10).unwrap();
        let acme = registry
            .import(&subscription("Acme Corp", 1, Some(soon)), "alice", at(0))
            .unwrap();
        registry
            .import(&subscription("Globex", 1, Some(later)), "alice", at(0))
            .unwrap();
        registry
            .import(&subscription("Initech", 1, None), "alice", at(0))
            .unwrap();
        let names = |rows: Vec<SubscriptionRow>| {
            rows.into_iter().map(|r| r.organization).collect::<Vec<_>>()
        };
        assert_eq!(
            names(registry.list(None, None).unwrap()),
            ["Acme Corp", "Globex", "Initech"]
        );
        assert_eq!(
            names(registry.list(Some("acme"), None).unwrap()),
            ["Acme Corp"]
        );
        let by = Date::new(2027, 2, 1).unwrap();
        assert_eq!(names(registry.list(None, Some(by)).unwrap()), ["Acme Corp"]);
        registry
            .register(
                &acme,
                serial(7),
                "Production",
                Purpose::Production,
                "bob",
                at(1),
            )
            .unwrap();
        let found = registry.find(&serial(7).to_string()).unwrap().unwrap();
        assert_eq!(found.activation_code, acme);
        assert_eq!(found.environment.unwrap().name, "Production");
        assert_eq!(found.latest_license, None);
        let by_code = registry.find(&acme.to_string()).unwrap().unwrap();
        assert_eq!(by_code.activation_code, acme);
        assert!(registry.find(&serial(8).to_string()).unwrap().is_none());
    }
}

#[test]
fn issued_licenses_are_recorded_and_found() {
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        let (infra, serial, key) = licensing::testing::sample_infrastructure();
        let code = registry.import(&infra, "alice", at(0)).unwrap();
        let file = licensing::issue(&infra, &serial, &key, at(1)).unwrap();
        registry.record_license(&file, "bob", at(1)).unwrap();
        let found = registry.find(&serial.to_string()).unwrap().unwrap();
        let (id, revision, issued) = found.latest_license.unwrap();
        assert_eq!(id, file.license().license_id.to_string());
        assert_eq!((revision, issued), (1, at(1)));
        let last = registry.history(&code).unwrap().pop().unwrap();
        assert!(last.what.starts_with("issued license"), "{}", last.what);
        // After a renewal: the later license is the latest, recorded
        // before or after an older one.
        let mut terms = infra.subscription().terms().clone();
        terms.grace_days += 1;
        let renewed = registry
            .update_terms(&code, 1, terms, "carol", at(2))
            .unwrap();
        let newer = licensing::issue(&renewed, &serial, &key, at(3)).unwrap();
        let older = licensing::issue(&infra, &serial, &key, at(2)).unwrap();
        registry
            .record_licenses(&[newer.clone(), older], "bob", at(3))
            .unwrap();
        let found = registry.find(&serial.to_string()).unwrap().unwrap();
        let (id, revision, issued) = found.latest_license.unwrap();
        assert_eq!(
            id,
            newer.license().license_id.to_string(),
            "{}",
            place.backend
        );
        assert_eq!((revision, issued), (2, at(3)));
        assert_eq!(found.environment.unwrap().serial_number, serial);
        assert_eq!(found.activation_code, code);
    }
}

/// docs/FORMAT.md section 14 shows the schema `init` creates, verbatim.
#[test]
fn the_schema_in_format_md_is_the_one_created() {
    let format_md = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/FORMAT.md"),
    )
    .unwrap();
    for (schema, file) in [
        (sqlite::SCHEMA, "registry-schema-v1.sql"),
        (postgres::SCHEMA, "registry-schema-v1-postgres.sql"),
    ] {
        assert!(
            format_md.contains(schema.trim_matches('\n')),
            "FORMAT.md section 14 differs from tests/vectors/{file}"
        );
    }
}

/// A database made from the schema vector of version 1
/// (tests/vectors/registry-schema-v1.sql), as registries in the field
/// were made, opens and works.
#[test]
fn a_registry_of_schema_version_1_opens() {
    let vector = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors/registry-schema-v1.sql"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&vector).unwrap();
    conn.execute(
        "INSERT INTO registry_meta (key, value) VALUES ('schema-version', '1')",
        [],
    )
    .unwrap();
    drop(conn);
    let mut registry = Registry::open(path.to_str().unwrap()).unwrap();
    let (infra, _, _) = licensing::testing::sample_infrastructure();
    let code = registry.import(&infra, "alice", at(0)).unwrap();
    assert_eq!(registry.infrastructure(&code).unwrap(), infra);
}

/// The same for PostgreSQL: a database made from
/// tests/vectors/registry-schema-v1-postgres.sql opens and works.
#[test]
fn a_postgres_registry_of_schema_version_1_opens() {
    let Some(place) = testing::postgres() else {
        return;
    };
    let vector = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors/registry-schema-v1-postgres.sql"),
    )
    .unwrap();
    let mut client = ::postgres::Client::connect(&place.location, ::postgres::NoTls).unwrap();
    client.batch_execute(&vector).unwrap();
    client
        .batch_execute("INSERT INTO registry_meta (key, value) VALUES ('schema-version', '1')")
        .unwrap();
    drop(client);
    let mut registry = Registry::open(&place.location).unwrap();
    let (infra, serial, key) = licensing::testing::sample_infrastructure();
    let code = registry.import(&infra, "alice", at(0)).unwrap();
    assert_eq!(registry.infrastructure(&code).unwrap(), infra);
    let file = licensing::issue(&infra, &serial, &key, at(1)).unwrap();
    registry.record_license(&file, "bob", at(1)).unwrap();
    let found = registry.find(&serial.to_string()).unwrap().unwrap();
    assert_eq!(
        found.latest_license.unwrap().0,
        file.license().license_id.to_string()
    );
}

/// More licenses than one statement records: every one is recorded, and
/// the history lists them in the order given.
#[test]
fn a_hundred_and_fifty_licenses_are_recorded_in_order() {
    assert_eq!(
        rows_of("INSERT INTO t VALUES", 2, 2),
        "INSERT INTO t VALUES (?1, ?2), (?3, ?4)"
    );
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        let mut infra = subscription("Big", 150, None);
        for i in 0..150 {
            infra
                .register(
                    serial(1000 + i),
                    &format!("P{i}"),
                    Purpose::Production,
                    at(0),
                )
                .unwrap();
        }
        let code = registry.import(&infra, "alice", at(0)).unwrap();
        let key = licensing::SigningKey::generate();
        let files = licensing::issue_all(&infra, &key, at(1)).unwrap();
        registry.record_licenses(&files, "bob", at(1)).unwrap();
        let issued: Vec<String> = registry
            .history(&code)
            .unwrap()
            .into_iter()
            .filter(|e| e.what.starts_with("issued license"))
            .map(|e| e.what)
            .collect();
        let expected: Vec<String> = files
            .iter()
            .map(|f| format!("issued license {} ", f.license().license_id))
            .collect();
        assert_eq!(issued.len(), 150, "{}", place.backend);
        for (line, start) in issued.iter().zip(&expected) {
            assert!(line.starts_with(start), "{}: {line}", place.backend);
        }
        let found = registry.find(&serial(1120).to_string()).unwrap().unwrap();
        assert_eq!(
            found.latest_license.unwrap().0,
            files[120].license().license_id.to_string()
        );
    }
}

/// Terms made from an older revision are refused (another operator's
/// change is never lost); an operator name that would forge a history line
/// is refused; a file that breaks the core's rules is not imported.
#[test]
fn stale_terms_forged_operators_and_files_breaking_the_rules_are_refused() {
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        let infra = subscription("Acme Corp", 1, None);
        let code = registry.import(&infra, "alice", at(0)).unwrap();
        let mut more = infra.subscription().terms().clone();
        more.slots.production = 3;
        registry
            .update_terms(&code, 1, more.clone(), "alice", at(1))
            .unwrap();
        let mut later = infra.subscription().terms().clone();
        later.grace_days += 5;
        let stale = registry.update_terms(&code, 1, later, "bob", at(2));
        assert!(
            matches!(
                stale,
                Err(Error::ChangedMeanwhile {
                    based_on: 1,
                    now: 2,
                    ..
                })
            ),
            "{}: {stale:?}",
            place.backend
        );
        let kept = registry.infrastructure(&code).unwrap();
        assert_eq!(kept.subscription().terms(), &more);

        for forged in [
            "bob\n2026-01-01T00:00:00Z  mallory  released",
            "",
            "a\u{202e}b",
        ] {
            let refused =
                registry.register(&code, serial(1), "P", Purpose::Production, forged, at(3));
            assert!(matches!(refused, Err(Error::BadOperator(_))), "{forged:?}");
        }
        assert!(
            registry
                .infrastructure(&code)
                .unwrap()
                .environments()
                .is_empty()
        );

        // Two production environments in a file whose subscription has one
        // production slot (a file edited by hand).
        let mut json = serde_json::to_value(subscription("Globex", 2, None)).unwrap();
        let mut two =
            Infrastructure::new(serde_json::from_value(json["subscription"].take()).unwrap());
        two.register(serial(5), "P1", Purpose::Production, at(0))
            .unwrap();
        two.register(serial(6), "P2", Purpose::Production, at(0))
            .unwrap();
        let mut edited = serde_json::to_value(&two).unwrap();
        edited["subscription"]["terms"]["slots"]["production"] = 1.into();
        let edited: Infrastructure = serde_json::from_value(edited).unwrap();
        let refused = registry.import(&edited, "alice", at(4));
        assert!(
            matches!(
                refused,
                Err(Error::Refused(RegistryError::NoFreeSlot { .. }))
            ),
            "{}: {refused:?}",
            place.backend
        );
        assert_eq!(registry.list(None, None).unwrap().len(), 1);
    }
}

/// A write that panics half way leaves nothing behind, and the registry
/// works on (its transaction was rolled back, not left open).
#[test]
fn a_write_that_panics_half_way_leaves_nothing() {
    for place in testing::places() {
        let mut registry = Registry::init(&place.location).unwrap();
        let infra = subscription("Acme Corp", 1, None);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = registry.write(|db| -> Result<(), Error> {
                import_one(db, &infra, "alice", at(0))?;
                if db.name.is_empty() {
                    return Ok(());
                }
                panic!("half way");
            });
        }));
        assert!(panicked.is_err());
        assert!(
            registry.list(None, None).unwrap().is_empty(),
            "{}",
            place.backend
        );
        let code = registry.import(&infra, "alice", at(1)).unwrap();
        drop(registry);
        let reopened = Registry::open(&place.location).unwrap();
        assert_eq!(
            reopened.history(&code).unwrap().len(),
            1,
            "{}",
            place.backend
        );
    }
}
