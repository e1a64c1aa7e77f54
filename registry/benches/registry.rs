//! The registry at a vendor's scale: 10,000 subscriptions and 50,000
//! environments in one database (built once, in one transaction): a SQLite
//! file, then a PostgreSQL database when `LICENSING_TEST_POSTGRES` names a
//! server (`eval "$(tests/postgres/start.sh)"`),
//! then `find` by serial number, a registration (checked and taken in one
//! write transaction), and issuing and recording the licenses of a
//! subscription of 100 environments.
//!
//! `cargo bench -p licensing-registry` (the figures are in README.md).

use criterion::{Criterion, criterion_group, criterion_main};
use licensing::{
    HardwareComponent, Infrastructure, LimitTerms, Purpose, SerialNumber, SigningKey, Slots,
    Subscription, Terms, Timestamp,
};
use licensing_registry::Registry;
use std::hint::black_box;

const SUBSCRIPTIONS: usize = 10_000;
const ENVIRONMENTS: usize = 50_000;

fn serial(i: usize) -> SerialNumber {
    SerialNumber::from_components(&[HardwareComponent::new("machine-id", format!("bench-{i}"))])
        .expect("one component")
}

fn subscription(
    i: usize,
    environments: usize,
    first_serial: usize,
    at: Timestamp,
) -> Infrastructure {
    let mut terms = Terms::new(format!("Customer {i}"), "Enterprise", "premium");
    terms.slots = Slots {
        development: 1000,
        non_production: 1000,
        production: 1000,
    };
    terms.limits.insert(
        "application-objects".into(),
        LimitTerms::with_defaults("application-objects", 450),
    );
    terms.features.insert("multi-tenancy".into());
    let mut infra = Infrastructure::new(Subscription::new(terms).expect("valid terms"));
    for e in 0..environments {
        let purpose = [
            Purpose::Development,
            Purpose::NonProduction,
            Purpose::Production,
        ][e % 3];
        infra
            .register(serial(first_serial + e), &format!("Env {e}"), purpose, at)
            .expect("free slot");
    }
    infra
}

fn registry(c: &mut Criterion) {
    for place in licensing_registry::testing::places() {
        on(c, &place);
    }
}

fn on(c: &mut Criterion, place: &licensing_registry::testing::Place) {
    let backend = place.backend;
    let mut registry = Registry::init(&place.location).expect("a registry");
    let now = Timestamp::now();
    // 9,999 subscriptions of 5 environments, and one of 100 (for issue --all).
    let mut infras: Vec<Infrastructure> = (0..SUBSCRIPTIONS - 1)
        .map(|i| subscription(i, 5, i * 5, now))
        .collect();
    let big_first = (SUBSCRIPTIONS - 1) * 5;
    infras.push(subscription(SUBSCRIPTIONS - 1, 100, big_first, now));
    const { assert!((SUBSCRIPTIONS - 1) * 5 + 100 >= ENVIRONMENTS) };
    let codes = registry
        .import_all(&infras, "bench", now)
        .expect("imported");
    let big = *codes.last().expect("the big one");
    let key = SigningKey::generate();

    let mut i = 0usize;
    c.bench_function(
        &format!("registry/{backend}/find-by-serial (10k subscriptions, 50k environments)"),
        |b| {
            b.iter(|| {
                i = (i + 7919) % ((SUBSCRIPTIONS - 1) * 5);
                black_box(registry.find(&serial(i).to_string()).expect("found"))
            })
        },
    );
    let mut n = 0usize;
    c.bench_function(
        &format!("registry/{backend}/register (one write transaction)"),
        |b| {
            b.iter(|| {
                n += 1;
                let code = codes[n % (SUBSCRIPTIONS - 1)];
                black_box(
                    registry
                        .register(
                            &code,
                            serial(1_000_000 + n),
                            &format!("New {n}"),
                            Purpose::Development,
                            "bench",
                            now,
                        )
                        .expect("registered"),
                )
            })
        },
    );
    let mut group = c.benchmark_group(format!("registry/{backend}"));
    group.sample_size(10);
    group.bench_function("issue-all (100 environments: load, sign, record)", |b| {
        b.iter(|| {
            let infra = registry.infrastructure(&big).expect("loaded");
            // Signed on every core (licensing::issue_all).
            let files = licensing::issue_all(&infra, &key, now).expect("issued");
            registry
                .record_licenses(&files, "bench", now)
                .expect("recorded");
            black_box(files.len())
        })
    });
    group.finish();
}

criterion_group!(benches, registry);
criterion_main!(benches);
