//! How long the runtime's checks take, on a realistic license (10
//! features, 6 limits, production environment).
//!
//! `cargo bench --bench validation` measures, in one run:
//!
//! - `validate/new-bytes`: [`Validator::validate`] on bytes the validator has
//!   not seen (a fresh validator per iteration, made outside the
//!   measurement): parse, key lookup, signature check, cache insert, checks.
//! - `validate/p256-verify-only`: a bare p256 ECDSA verification of the same
//!   signature over the same message. Target: `new-bytes` at most 1.05x this.
//! - `validate/seen-bytes`: [`Validator::validate`] on bytes it verified
//!   before (the cache). Target: at most 1 µs.
//! - `lookup/has-feature`: a feature check. Target: at most 20 ns.
//!   `has-feature-bare-loop` is a plain scan of the feature list written
//!   inline, with no call into the library, for comparison with the index.
//! - `lookup/check-usage`: a limit check.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use licensing::limit::{APPLICATION_OBJECTS, EXTERNAL_USERS, INTERNAL_USERS};
use licensing::*;
use p256::ecdsa::signature::Verifier;
use p256::pkcs8::DecodePublicKey;
use std::hint::black_box;

/// Ten features, six limits, a production environment.
fn realistic() -> (Vec<u8>, SerialNumber, ActivationCode, SigningKey, Timestamp) {
    let mut terms = Terms::new("Acme Corporation International", "Enterprise", "premium");
    terms.ends = Some(Date::new(2099, 12, 31).expect("valid date"));
    terms.slots = Slots {
        development: 2,
        non_production: 2,
        production: 2,
    };
    for (name, value) in [
        (INTERNAL_USERS, 500),
        (EXTERNAL_USERS, 100_000),
        (APPLICATION_OBJECTS, 1_350),
        ("anonymous-sessions", 2_000),
        ("tenants", 20),
        ("front-end-servers", 8),
    ] {
        terms
            .limits
            .insert(name.into(), LimitTerms::with_defaults(name, value));
    }
    for feature in testing::TEN_FEATURES {
        terms.features.insert(feature.into());
    }
    let mut infra = Infrastructure::new(Subscription::new(terms).expect("valid terms"));
    let serial = SerialNumber::from_components(&[
        HardwareComponent::new("machine-id", "4c4c4544-0042-3510-8052-b4c04f4a4e32"),
        HardwareComponent::new("mac", "02:fc:00:00:00:01"),
    ])
    .expect("components");
    let now = Timestamp::now();
    infra
        .register(serial, "Production", Purpose::Production, now)
        .expect("free slot");
    let key = SigningKey::generate();
    let file = issue(&infra, &serial, &key, now).expect("issued");
    assert_eq!(file.license().features.len(), 10);
    assert_eq!(file.license().limits.len(), 6);
    let code = infra.subscription().activation_code();
    (file.to_bytes(), serial, code, key, now)
}

fn validation(c: &mut Criterion) {
    let (bytes, serial, code, key, now) = realistic();
    let trusted = TrustedKeys::new([key.public_key().clone()]);

    // The same check done by p256 alone: message = domain || header || body.
    let verifying_key =
        p256::ecdsa::VerifyingKey::from_public_key_pem(&key.public_key().to_pem().expect("pem"))
            .expect("spki pem");
    let (signed, signature) = bytes.split_at(bytes.len() - SIGNATURE_LEN);
    let message = [SIGNING_DOMAIN, signed].concat();
    let signature = p256::ecdsa::Signature::from_slice(signature).expect("r || s");
    assert!(verifying_key.verify(&message, &signature).is_ok());

    let mut group = c.benchmark_group("validate");
    group.bench_function("new-bytes", |b| {
        b.iter_batched_ref(
            || Validator::new(trusted.clone()),
            |validator| {
                validator
                    .validate(black_box(&bytes), &serial, Some(&code), now)
                    .expect("valid")
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("p256-verify-only", |b| {
        b.iter(|| {
            verifying_key
                .verify(black_box(&message), black_box(&signature))
                .expect("valid")
        })
    });
    let validator = Validator::new(trusted.clone());
    validator
        .validate(&bytes, &serial, Some(&code), now)
        .expect("valid");
    group.bench_function("seen-bytes", |b| {
        b.iter(|| {
            validator
                .validate(black_box(&bytes), &serial, Some(&code), now)
                .expect("valid")
        })
    });
    group.finish();

    let license = validator
        .validate(&bytes, &serial, Some(&code), now)
        .expect("valid");
    let mut group = c.benchmark_group("lookup");
    group.bench_function("has-feature", |b| {
        b.iter(|| license.has_feature(black_box("parallel-timers")))
    });
    group.bench_function("has-feature-absent", |b| {
        b.iter(|| license.has_feature(black_box("sap-connectors")))
    });
    // For comparison: a plain scan of the feature list, written inline.
    let features = &license.license().features;
    group.bench_function("has-feature-bare-loop", |b| {
        b.iter(|| {
            let wanted = black_box("parallel-timers");
            features.iter().any(|f| f == wanted)
        })
    });
    group.bench_function("check-usage", |b| {
        b.iter(|| license.check_usage(black_box(APPLICATION_OBJECTS), black_box(1_300)))
    });
    group.finish();
}

criterion_group!(benches, validation);
criterion_main!(benches);
