//! Validation from the runtime's point of view: every verdict, damaged
//! files, key rotation and the verified-bytes cache.

use licensing::testing::{TEN_FEATURES, sample_infrastructure};
use licensing::*;
use proptest::prelude::*;
use std::sync::Arc;

struct Fixture {
    infra: Infrastructure,
    serial: SerialNumber,
    key: SigningKey,
    file: LicenseFile,
}

const ISSUED: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

fn fixture() -> Fixture {
    let (infra, serial, key) = sample_infrastructure();
    let file = issue(&infra, &serial, &key, ISSUED).unwrap();
    Fixture {
        infra,
        serial,
        key,
        file,
    }
}

fn validator(keys: &[&SigningKey]) -> Validator {
    Validator::new(TrustedKeys::new(
        keys.iter().map(|k| k.public_key().clone()),
    ))
}

/// Signs `license` after `edit`, for time and field scenarios.
fn resign(f: &Fixture, edit: impl FnOnce(&mut License)) -> Vec<u8> {
    let mut license = f.file.license().clone();
    edit(&mut license);
    SigningRequest::new(license, f.key.public_key().key_id())
        .unwrap()
        .sign(&f.key)
        .unwrap()
        .to_bytes()
}

fn check(f: &Fixture, bytes: &[u8], at: Timestamp) -> Result<ValidatedLicense, ValidationError> {
    validator(&[&f.key]).validate(
        bytes,
        &f.serial,
        Some(&f.infra.subscription().activation_code()),
        at,
    )
}

#[test]
fn a_fresh_license_is_active_in_both_forms() {
    let f = fixture();
    let binary = check(&f, &f.file.to_bytes(), ISSUED).unwrap();
    assert_eq!(binary.state(), LicenseState::Active);
    assert_eq!(binary.key_id(), f.key.public_key().key_id());
    let text = check(&f, f.file.to_armored().as_bytes(), ISSUED).unwrap();
    assert_eq!(text.license(), binary.license());
    let l = binary.license();
    assert_eq!(l.organization, "Acme Corp");
    assert_eq!(l.license_type, LicenseType::Production);
    assert_eq!(l.revision, 1);
    assert_eq!(
        l.expires_at,
        Some(Date::new(2099, 12, 31).unwrap().end_of_day())
    );
    assert!(binary.has_feature("multi-tenancy"));
    assert!(!binary.has_feature("multi"));
    assert_eq!(
        binary.check_usage("application-objects", 451),
        Usage::OverHardLimit
    );
    assert_eq!(
        binary.check_usage("internal-users", 101),
        Usage::OverSoftLimit
    );
    assert_eq!(binary.check_usage("internal-users", 95), Usage::Near);
    assert_eq!(binary.check_usage("tenants", 1_000_000), Usage::Unlimited);
}

#[test]
fn states_over_time() {
    let f = fixture();
    let expires = Timestamp::from_unix_seconds(1_900_000_000);
    let bytes = resign(&f, |l| {
        l.expires_at = Some(expires);
        l.grace_days = 30;
    });
    let at = |days: i64| expires.plus_seconds(days * DAY);
    assert_eq!(
        check(&f, &bytes, at(-31)).unwrap().state(),
        LicenseState::Active
    );
    assert_eq!(
        check(&f, &bytes, at(-30)).unwrap().state(),
        LicenseState::ExpiringSoon { days_left: 30 }
    );
    assert_eq!(
        check(&f, &bytes, at(-10).plus_seconds(1)).unwrap().state(),
        LicenseState::ExpiringSoon { days_left: 10 }
    );
    assert_eq!(
        check(&f, &bytes, at(0)).unwrap().state(),
        LicenseState::InGrace { days_left: 30 }
    );
    assert_eq!(
        check(&f, &bytes, at(5)).unwrap().state(),
        LicenseState::InGrace { days_left: 25 }
    );
    let err = check(&f, &bytes, at(30)).unwrap_err();
    assert_eq!(
        err,
        ValidationError::Expired {
            expired_at: expires,
            grace_ended_at: at(30),
            now: at(30)
        }
    );
    assert!(err.to_string().contains("renew the subscription"), "{err}");
}

#[test]
fn a_license_without_end_never_expires() {
    let f = fixture();
    let bytes = resign(&f, |l| l.expires_at = None);
    let far = Timestamp::from_unix_seconds(i64::MAX / 2);
    assert_eq!(
        check(&f, &bytes, far).unwrap().state(),
        LicenseState::Active
    );
}

#[test]
fn not_yet_valid_allows_a_little_clock_skew() {
    let f = fixture();
    let bytes = f.file.to_bytes();
    assert!(check(&f, &bytes, ISSUED.plus_seconds(-CLOCK_TOLERANCE_SECONDS)).is_ok());
    let early = ISSUED.plus_seconds(-CLOCK_TOLERANCE_SECONDS - 1);
    let err = check(&f, &bytes, early).unwrap_err();
    assert_eq!(
        err,
        ValidationError::NotYetValid {
            not_before: ISSUED,
            now: early
        }
    );
    assert!(err.to_string().contains("check the clock"), "{err}");
}

#[test]
fn wrong_serial_names_both_serials() {
    let f = fixture();
    let other =
        SerialNumber::from_components(&[HardwareComponent::new("machine-id", "another")]).unwrap();
    let err = validator(&[&f.key])
        .validate(&f.file.to_bytes(), &other, None, ISSUED)
        .unwrap_err();
    assert_eq!(
        err,
        ValidationError::WrongSerial {
            license: f.serial,
            this_environment: other
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&f.serial.to_string()) && msg.contains(&other.to_string()),
        "{msg}"
    );
    assert!(msg.contains("register this serial"), "{msg}");
}

#[test]
fn wrong_activation_code_is_refused_and_optional() {
    let f = fixture();
    let other = ActivationCode::generate().unwrap();
    let v = validator(&[&f.key]);
    let err = v
        .validate(&f.file.to_bytes(), &f.serial, Some(&other), ISSUED)
        .unwrap_err();
    assert!(
        matches!(err, ValidationError::WrongActivationCode { expected, .. } if expected == other)
    );
    assert!(
        v.validate(&f.file.to_bytes(), &f.serial, None, ISSUED)
            .is_ok()
    );
}

#[test]
fn an_untrusted_key_is_unknown_not_a_bad_signature() {
    let f = fixture();
    let stranger = SigningKey::generate();
    let err = validator(&[&stranger])
        .validate(&f.file.to_bytes(), &f.serial, None, ISSUED)
        .unwrap_err();
    assert_eq!(
        err,
        ValidationError::UnknownKey {
            key_id: f.key.public_key().key_id(),
            trusted: vec![stranger.public_key().key_id()]
        }
    );
    assert!(
        err.to_string()
            .contains(&stranger.public_key().key_id().to_string())
    );
}

#[test]
fn rotated_keys_are_trusted_side_by_side() {
    let f = fixture();
    let new_key = SigningKey::generate();
    let new_file = issue(&f.infra, &f.serial, &new_key, ISSUED).unwrap();
    let both = TrustedKeys::from_pem(&format!(
        "# old\n{}# new\n{}",
        f.key.public_key().to_pem().unwrap(),
        new_key.public_key().to_pem().unwrap()
    ))
    .unwrap();
    let v = Validator::new(both);
    for bytes in [f.file.to_bytes(), new_file.to_bytes()] {
        assert!(v.validate(&bytes, &f.serial, None, ISSUED).is_ok());
    }
}

#[test]
fn a_changed_byte_is_a_bad_signature() {
    let f = fixture();
    let mut bytes = f.file.to_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert_eq!(
        check(&f, &bytes, ISSUED).unwrap_err(),
        ValidationError::BadSignature {
            key_id: f.key.public_key().key_id()
        }
    );
    // A field changed consistently (same layout) is caught by the signature.
    let mut bytes = f.file.to_bytes();
    let at = bytes
        .windows(b"Acme Corp".len())
        .position(|w| w == b"Acme Corp")
        .unwrap();
    bytes[at] = b'X';
    assert!(matches!(
        check(&f, &bytes, ISSUED),
        Err(ValidationError::BadSignature { .. })
    ));
}

#[test]
fn the_high_s_twin_of_a_valid_signature_is_refused() {
    let f = fixture();
    let bytes = f.file.to_bytes();
    let split = bytes.len() - SIGNATURE_LEN;
    let low = p256::ecdsa::Signature::from_slice(&bytes[split..]).unwrap();
    let (r, s) = low.split_scalars();
    let high = p256::ecdsa::Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).unwrap();
    let mut twin = bytes[..split].to_vec();
    twin.extend_from_slice(&high.to_bytes());
    assert!(matches!(
        check(&f, &twin, ISSUED),
        Err(ValidationError::BadSignature { .. })
    ));
}

#[test]
fn another_format_version_is_unsupported() {
    let f = fixture();
    let mut bytes = f.file.to_bytes();
    for version in [0, 3, 255] {
        bytes[4] = version;
        let err = check(&f, &bytes, ISSUED).unwrap_err();
        assert_eq!(
            err,
            ValidationError::UnsupportedVersion {
                found: version,
                supported: 2
            }
        );
    }
    let err = check(&f, &bytes, ISSUED).unwrap_err();
    assert!(err.to_string().contains("update the runtime"));
}

#[test]
fn malformed_input_says_what_and_where() {
    let f = fixture();
    let bytes = f.file.to_bytes();
    match check(&f, b"hello, this is not a license", ISSUED) {
        Err(ValidationError::Malformed {
            what, offset: 0, ..
        }) => {
            assert!(what.contains("LICF"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"junk");
    match check(&f, &longer, ISSUED) {
        Err(ValidationError::Malformed { what, .. }) => {
            assert!(what.contains("4 unexpected bytes"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    match check(&f, &bytes[..bytes.len() - 1], ISSUED) {
        Err(ValidationError::Malformed { what, .. }) => {
            assert!(what.contains("cut short"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    let armored = f.file.to_armored();
    let cut = &armored[..armored.len() / 2];
    assert!(matches!(
        check(&f, cut.as_bytes(), ISSUED),
        Err(ValidationError::Malformed { .. })
    ));
}

#[test]
fn unsorted_features_are_malformed_even_when_signed() {
    // A conforming issuer sorts; lookups rely on it, so readers refuse
    // anything else rather than answer feature checks wrongly.
    let f = fixture();
    let mut license = f.file.license().clone();
    license.features = vec!["zeta".into(), "alpha".into()];
    // SigningRequest sorts, so build the unsorted body by hand: swap the
    // two encoded names in a sorted file.
    let sorted = {
        let mut l = license.clone();
        l.features.sort();
        SigningRequest::new(l, f.key.public_key().key_id()).unwrap()
    };
    let mut message = sorted.message();
    let a = message.windows(5).position(|w| w == b"alpha").unwrap();
    let z = message.windows(4).position(|w| w == b"zeta").unwrap();
    assert!(a < z);
    // "\x05alpha\x04zeta" -> "\x04zeta\x05alpha": same length.
    message.splice(a - 1..z + 4, b"\x04zeta\x05alpha".iter().copied());
    let request = SigningRequest::from_message(&message);
    assert!(matches!(
        request,
        Err(IssueError::Format(FormatError::Malformed { what, .. })) if what.contains("sorted")
    ));
}

#[test]
fn every_bit_flip_and_every_truncation_is_rejected() {
    let f = fixture();
    let v = validator(&[&f.key]);
    let code = f.infra.subscription().activation_code();
    let bytes = f.file.to_bytes();
    for bit in 0..bytes.len() * 8 {
        let mut flipped = bytes.clone();
        flipped[bit / 8] ^= 0x80 >> (bit % 8);
        assert!(
            v.validate(&flipped, &f.serial, Some(&code), ISSUED)
                .is_err(),
            "bit {bit} flipped was accepted"
        );
    }
    for len in 0..bytes.len() {
        assert!(
            v.validate(&bytes[..len], &f.serial, Some(&code), ISSUED)
                .is_err(),
            "truncation to {len} bytes was accepted"
        );
    }
    // The original still validates: nothing above poisoned the cache.
    assert!(v.validate(&bytes, &f.serial, Some(&code), ISSUED).is_ok());
}

#[test]
fn seen_bytes_are_not_verified_again() {
    let f = fixture();
    let v = validator(&[&f.key]);
    let bytes = f.file.to_bytes();
    for _ in 0..5 {
        v.validate(&bytes, &f.serial, None, ISSUED).unwrap();
    }
    assert_eq!(v.signatures_checked(), 1);
    // The cached verdict still applies this call's checks.
    let other =
        SerialNumber::from_components(&[HardwareComponent::new("machine-id", "x")]).unwrap();
    assert!(matches!(
        v.validate(&bytes, &other, None, ISSUED),
        Err(ValidationError::WrongSerial { .. })
    ));
    assert_eq!(v.signatures_checked(), 1);
    // Failures are not remembered: damaged bytes are checked every time.
    let mut bad = bytes.clone();
    bad[bytes.len() - 1] ^= 1;
    for _ in 0..3 {
        assert!(v.validate(&bad, &f.serial, None, ISSUED).is_err());
    }
    assert_eq!(v.signatures_checked(), 4);
    // Another form of the same license is other bytes: verified once more.
    v.validate(f.file.to_armored().as_bytes(), &f.serial, None, ISSUED)
        .unwrap();
    assert_eq!(v.signatures_checked(), 5);
}

#[test]
fn one_validator_serves_many_threads() {
    let f = fixture();
    let v = Arc::new(validator(&[&f.key]));
    let bytes = Arc::new(f.file.to_bytes());
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (v, bytes, serial) = (Arc::clone(&v), Arc::clone(&bytes), f.serial);
            std::thread::spawn(move || {
                for _ in 0..200 {
                    let l = v.validate(&bytes, &serial, None, ISSUED).unwrap();
                    assert!(l.has_feature("sap-connector"));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert!(v.signatures_checked() <= 8);
}

#[test]
fn a_license_with_ten_features_and_six_limits_fits_in_512_bytes() {
    let (mut infra, serial, key) = sample_infrastructure();
    let mut terms = infra.subscription().terms().clone();
    terms.features = TEN_FEATURES.into_iter().map(String::from).collect();
    for (name, value) in [
        ("tenants", 50),
        ("front-end-servers", 8),
        ("database-catalogs", 4),
    ] {
        terms
            .limits
            .insert(name.into(), LimitTerms::with_defaults(name, value));
    }
    infra.amend(terms).unwrap();
    let file = issue(&infra, &serial, &key, ISSUED).unwrap();
    assert_eq!(file.license().features.len(), 10);
    assert_eq!(file.license().limits.len(), 6);
    let size = file.to_bytes().len();
    assert!(size <= 512, "{size} bytes");
    assert_eq!(file.license().revision, 2);
}

#[test]
fn non_production_licenses_carry_no_application_object_limit() {
    let (mut infra, _, key) = sample_infrastructure();
    let qa = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "qa")]).unwrap();
    infra
        .register(qa, "Quality", Purpose::NonProduction, ISSUED)
        .unwrap();
    let file = issue(&infra, &qa, &key, ISSUED).unwrap();
    let l = file.license();
    assert_eq!(l.license_type, LicenseType::Development);
    assert_eq!(l.purpose, Purpose::NonProduction);
    assert!(l.limit(limit::APPLICATION_OBJECTS).is_none());
    assert!(l.limit(limit::INTERNAL_USERS).is_some());
}

#[test]
fn issuing_for_an_unregistered_serial_is_refused() {
    let (infra, _, key) = sample_infrastructure();
    let stranger =
        SerialNumber::from_components(&[HardwareComponent::new("machine-id", "nope")]).unwrap();
    let err = issue(&infra, &stranger, &key, ISSUED).unwrap_err();
    assert!(err.to_string().contains("register it first"), "{err}");
}

#[test]
fn external_signatures_in_der_or_raw_form_attach() {
    let f = fixture();
    let request =
        SigningRequest::new(f.file.license().clone(), f.key.public_key().key_id()).unwrap();
    let message = request.message();
    let raw = f.key.sign(&message).unwrap();
    assert_eq!(raw.len(), 64);
    let der = p256::ecdsa::Signature::from_slice(&raw).unwrap().to_der();
    let attached = SigningRequest::from_message(&message)
        .unwrap()
        .attach(der.as_bytes(), Some(f.key.public_key()))
        .unwrap();
    assert_eq!(attached.to_bytes(), f.file.to_bytes());
    // A signature by another key is caught before a useless file is made.
    let stranger = SigningKey::generate();
    let wrong = stranger.sign(&message).unwrap();
    assert!(matches!(
        SigningRequest::from_message(&message)
            .unwrap()
            .attach(&wrong, Some(f.key.public_key())),
        Err(IssueError::SignatureMismatch { .. })
    ));
    assert!(matches!(
        SigningRequest::from_message(&message)
            .unwrap()
            .attach(b"nonsense", None),
        Err(IssueError::BadSignatureEncoding(_))
    ));
    assert!(SigningRequest::from_message(&message[1..]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
        let _ = LicenseFile::parse(&bytes);
        let _ = SigningRequest::from_message(&bytes);
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_header_never_panic(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut bytes = b"LICF\x01\0\0\0\0\0\0\0\0".to_vec();
        let len = body.len().saturating_sub(64) as u16;
        bytes.extend_from_slice(&len.to_be_bytes());
        bytes.extend_from_slice(&body);
        let _ = LicenseFile::parse(&bytes);
        let mut armored = b"-----BEGIN LICENSE-----\n".to_vec();
        armored.extend_from_slice(&body);
        armored.extend_from_slice(b"\n-----END LICENSE-----\n");
        let _ = LicenseFile::parse(&armored);
    }

    #[test]
    fn random_edits_of_a_valid_file_are_rejected(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let f = fixture_cached();
        let mut bytes = f.1.clone();
        for (at, value) in edits {
            let i = at % bytes.len();
            bytes[i] = value;
        }
        let result = f.0.validate(&bytes, &f.2, None, ISSUED);
        prop_assert_eq!(result.is_ok(), bytes == f.1);
    }
}

fn fixture_cached() -> &'static (Validator, Vec<u8>, SerialNumber) {
    static F: std::sync::OnceLock<(Validator, Vec<u8>, SerialNumber)> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let f = fixture();
        (validator(&[&f.key]), f.file.to_bytes(), f.serial)
    })
}

#[test]
fn extreme_times_never_panic() {
    let f = fixture();
    let v = validator(&[&f.key]);
    let bytes = f.file.to_bytes();
    for t in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
        let _ = v.validate(&bytes, &f.serial, None, Timestamp::from_unix_seconds(t));
        let _ = Timestamp::from_unix_seconds(t).to_string();
    }
    let never = resign(&f, |l| {
        l.expires_at = Some(Timestamp::from_unix_seconds(i64::MAX))
    });
    let _ = v.validate(
        &never,
        &f.serial,
        None,
        Timestamp::from_unix_seconds(i64::MIN),
    );
    let past = resign(&f, |l| {
        l.not_before = Timestamp::from_unix_seconds(i64::MIN);
        l.expires_at = Some(Timestamp::from_unix_seconds(i64::MIN + 1));
        l.grace_days = u16::MAX;
    });
    let _ = v.validate(
        &past,
        &f.serial,
        None,
        Timestamp::from_unix_seconds(i64::MAX),
    );
}

/// Times at the ends of the i64 range: exact arithmetic, as FORMAT.md
/// section 7 says (the grace period of a license ending near the last
/// second ends beyond it), and shown in ISO 8601's expanded form.
#[test]
fn the_ends_of_time() {
    let f = fixture();
    let end = Timestamp::from_unix_seconds(i64::MAX - DAY);
    let bytes = resign(&f, |l| {
        l.not_before = Timestamp::from_unix_seconds(i64::MIN);
        l.issued_at = Timestamp::from_unix_seconds(i64::MIN);
        l.expires_at = Some(end);
        l.grace_days = 30;
    });
    let last = Timestamp::from_unix_seconds(i64::MAX);
    let valid = check(&f, &bytes, last).unwrap();
    assert_eq!(valid.state(), LicenseState::InGrace { days_left: 29 });
    let first = Timestamp::from_unix_seconds(i64::MIN);
    assert_eq!(
        check(&f, &bytes, first).unwrap().state(),
        LicenseState::Active
    );
    assert_eq!(last.to_string(), "+292277026596-12-04T15:30:07Z");
    assert_eq!(first.to_string(), "-292277022657-01-27T08:29:52Z");
    // No grace: expired from the end on, the message names both times.
    let bytes = resign(&f, |l| {
        l.expires_at = Some(end);
        l.grace_days = 0;
    });
    let err = check(&f, &bytes, last).unwrap_err().to_string();
    assert!(
        err.contains("expired at +292277026596-12-03T15:30:07Z"),
        "{err}"
    );
}
