//! Writes the license file test vectors in `tests/vectors/` and their
//! description `tests/vectors/vectors.json` (checked by `tests/vectors.rs`,
//! specified by `docs/FORMAT.md`).
//!
//! ```text
//! cargo run --example make_vectors
//! ```
//!
//! Everything is fixed: the keys (generated once with OpenSSL and kept in
//! `tests/vectors/`), the license ids, the times, the codes. ECDSA signing is
//! deterministic (RFC 6979), so rerunning rewrites the same bytes; a change
//! in any written file means the format changed.
//!
//! Every verdict below is written by hand and compared with what the library
//! says before anything is written: the program fails rather than record a
//! verdict the library disagrees with.
//!
//! What this program and `tests/vectors.rs` must agree on (where the vectors
//! are, how a verdict is written, the error names) is in
//! `tests/vectors_common/mod.rs`, which both compile: one definition, so
//! the writer and the checker cannot drift apart.

#[path = "../tests/vectors_common/mod.rs"]
mod vectors_common;

use licensing::extension::Extension;
use licensing::{
    ActivationCode, Enforcement, HardwareComponent, License, LicenseFile, LicenseId, LicenseType,
    Limit, MAGIC, PublicKey, Purpose, SIGNING_DOMAIN, SerialNumber, Signer, SigningKey, Timestamp,
    TrustedKeys, Validator,
};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use vectors_common::{dir, err, hex, malformed, ok, sign, stored_bytes, verdict};

/// The activation code of the vectors' subscription.
const ACTIVATION_CODE: &str = "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ";
/// Another subscription's activation code.
const OTHER_ACTIVATION_CODE: &str = "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V";
/// The production environment's serial (`tests/vectors/serial-v1.txt`).
const PRODUCTION_SERIAL: &str = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T";
/// The development environment's serial.
const DEVELOPMENT_SERIAL: &str = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";

/// The file whose annotated dump `docs/FORMAT.md` shows.
const DUMPED: &str = "dev-never-expires.lic";

fn t(text: &str) -> Timestamp {
    text.parse().expect("a fixed time")
}

fn id(text: &str) -> LicenseId {
    LicenseId(text.as_bytes().try_into().expect("16 ASCII bytes"))
}

fn key(name: &str) -> SigningKey {
    let path = dir().join(format!("{name}-signing-key.pem"));
    let pem = std::fs::read_to_string(&path).expect("the key files are kept in tests/vectors");
    let key = SigningKey::from_pem(&pem).expect("a P-256 key");
    let public = std::fs::read_to_string(dir().join(format!("{name}-public-key.pem"))).unwrap();
    assert_eq!(&PublicKey::from_pem(&public).unwrap(), key.public_key());
    key
}

fn components(parts: &[(&str, &str)]) -> Vec<HardwareComponent> {
    parts
        .iter()
        .map(|(k, v)| HardwareComponent::new(*k, *v))
        .collect()
}

const PRODUCTION_COMPONENTS: &[(&str, &str)] = &[
    ("mac", "02:fc:00:00:00:01"),
    ("machine-id", "4c4c4544004c"),
    ("board-serial", "PF2ABC"),
];
const DEVELOPMENT_COMPONENTS: &[(&str, &str)] = &[("machine-id", "dev-box-0001")];

fn production_license() -> License {
    let limit = |name: &str, value, enforcement| Limit::new(name, value, enforcement);
    License {
        license_id: id("vector-prod-0001"),
        revision: 7,
        issued_at: t("2025-01-15T09:30:00Z"),
        not_before: t("2025-01-15T09:30:00Z"),
        expires_at: Some(t("2028-01-01T00:00:00Z")),
        grace_days: 30,
        activation_code: ActivationCode::parse(ACTIVATION_CODE).unwrap(),
        serial_number: SerialNumber::parse(PRODUCTION_SERIAL).unwrap(),
        environment_name: "Production".into(),
        purpose: Purpose::Production,
        license_type: LicenseType::Production,
        organization: "Acme Corp".into(),
        edition: "Enterprise".into(),
        support: "premium".into(),
        limits: vec![
            limit("application-objects", 450, Enforcement::Hard),
            limit("api-calls-per-day", 1_000_000, Enforcement::Soft),
            limit("external-users", 10_000, Enforcement::Soft),
            limit("internal-users", 100, Enforcement::Soft),
            limit("storage-gb", 500, Enforcement::Hard),
            limit("tenants", 25, Enforcement::Hard),
        ],
        features: [
            "sap-connector",
            "audit-log",
            "multi-tenancy",
            "sso-saml",
            "sso-oidc",
            "data-export",
            "workflow",
            "reporting",
            "ha-cluster",
            "api-gateway",
        ]
        .map(String::from)
        .to_vec(),
        max_platform_version: None,
        summed_limits: None,
        other_extensions: Vec::new(),
    }
}

fn development_license() -> License {
    License {
        license_id: id("vector-dev--0001"),
        revision: 3,
        issued_at: t("2025-03-01T08:00:00Z"),
        not_before: t("2025-03-01T08:00:00Z"),
        expires_at: None,
        grace_days: 0,
        activation_code: ActivationCode::parse(ACTIVATION_CODE).unwrap(),
        serial_number: SerialNumber::parse(DEVELOPMENT_SERIAL).unwrap(),
        environment_name: "Dev".into(),
        purpose: Purpose::Development,
        license_type: LicenseType::Development,
        organization: "Acme".into(),
        edition: "Team".into(),
        support: "basic".into(),
        limits: vec![Limit::new("internal-users", 5, Enforcement::Soft)],
        features: vec!["sso-saml".into(), "audit-log".into()],
        max_platform_version: None,
        summed_limits: None,
        other_extensions: Vec::new(),
    }
}

/// A renewal of the production license, valid at the same time: a pair
/// for downgrade tests (installing revision 7 over 8).
fn renewal_license() -> License {
    let mut license = License {
        license_id: id("vector-prod-0002"),
        revision: 8,
        issued_at: t("2026-01-10T10:00:00Z"),
        not_before: t("2026-01-10T10:00:00Z"),
        expires_at: Some(t("2029-01-01T00:00:00Z")),
        ..production_license()
    };
    for limit in &mut license.limits {
        if limit.name == "tenants" {
            limit.value = 50;
        }
    }
    license
}

fn expired_license() -> License {
    License {
        license_id: id("vector-expd-0001"),
        revision: 1,
        issued_at: t("2024-01-10T12:00:00Z"),
        not_before: t("2024-01-10T12:00:00Z"),
        expires_at: Some(t("2025-01-01T00:00:00Z")),
        grace_days: 14,
        environment_name: "Production (2024)".into(),
        ..production_license()
    }
}

/// A production license of format version 2: `prod.lic`'s terms, another
/// id, and what `change` sets.
fn version_2_license(license_id: &str, change: impl FnOnce(&mut License)) -> License {
    let mut license = License {
        license_id: id(license_id),
        ..production_license()
    };
    change(&mut license);
    license
}

/// Signs `license` exactly as postcard encodes it, skipping the issuer's
/// normalization: how a non-conforming issuer would make a file.
fn sign_raw(body: &[u8], key: &SigningKey) -> Vec<u8> {
    sign_raw_version(1, body, key)
}

/// [`sign_raw`] with the version byte `version`.
fn sign_raw_version(version: u8, body: &[u8], key: &SigningKey) -> Vec<u8> {
    let mut signed = MAGIC.to_vec();
    signed.push(version);
    signed.extend_from_slice(&key.public_key().key_id().0);
    signed.extend_from_slice(&u16::try_from(body.len()).unwrap().to_be_bytes());
    signed.extend_from_slice(body);
    let message = [SIGNING_DOMAIN, &signed].concat();
    let signature = Signer::sign(key, &message).expect("signed");
    [signed, signature].concat()
}

fn active() -> Value {
    ok(json!({"state": "active"}))
}

fn expiring_soon(days_left: u32) -> Value {
    ok(json!({"state": "expiring-soon", "days_left": days_left}))
}

fn in_grace(days_left: u32) -> Value {
    ok(json!({"state": "in-grace", "days_left": days_left}))
}

/// One validation: at `now`, for `serial`, optionally with an activation
/// code, trusting `trusted` keys; and the verdict expected.
struct Check {
    trusted: &'static [&'static str],
    /// The platform version the validator is told, if any.
    platform_version: Option<&'static str>,
    now: &'static str,
    serial: &'static str,
    activation_code: Option<&'static str>,
    verdict: Value,
}

/// The time of most checks: prod.lic, its renewal and the development
/// license are all valid then.
const NOW: &str = "2026-06-01T12:00:00Z";

/// A check at `now` trusting the test key, with the vectors' activation code
/// and `serial`.
fn check(now: &'static str, serial: &'static str, verdict: Value) -> Check {
    Check {
        trusted: &["test"],
        platform_version: None,
        now,
        serial,
        activation_code: Some(ACTIVATION_CODE),
        verdict,
    }
}

/// A [`check`] in the production environment.
fn on_prod(now: &'static str, verdict: Value) -> Check {
    check(now, PRODUCTION_SERIAL, verdict)
}

/// A [`check`] in the development environment.
fn on_dev(now: &'static str, verdict: Value) -> Check {
    check(now, DEVELOPMENT_SERIAL, verdict)
}

struct Vector {
    name: &'static str,
    description: &'static str,
    bytes: Vec<u8>,
    /// The key whose signature re-made from the decoded license reproduces
    /// the file byte for byte, if any.
    canonical_signer: Option<&'static str>,
    checks: Vec<Check>,
}

/// A file that no signature re-made reproduces, with one check.
fn rejected(name: &'static str, description: &'static str, bytes: Vec<u8>, check: Check) -> Vector {
    Vector {
        name,
        description,
        bytes,
        canonical_signer: None,
        checks: vec![check],
    }
}

/// A check in the production environment by a runtime of platform
/// version `running`.
fn on_prod_running(running: &'static str, verdict: Value) -> Check {
    Check {
        platform_version: Some(running),
        ..on_prod(NOW, verdict)
    }
}

/// The license's fields; those of format version 2 only when set.
fn license_json(license: &License) -> Value {
    let mut value = serde_json::to_value(license).unwrap();
    value["license_id"] = json!(license.license_id.to_string());
    if let Some(cap) = &license.max_platform_version {
        value["max_platform_version"] = json!(cap.to_string());
    }
    if let Some(summed) = &license.summed_limits {
        value["summed_limits"] = json!(summed);
    }
    if !license.other_extensions.is_empty() {
        value["other_extensions"] = license
            .other_extensions
            .iter()
            .map(|e| json!({"tag": e.tag, "critical": e.critical, "data": hex(&e.data)}))
            .collect();
    }
    value
}

fn main() {
    let test = key("test");
    let untrusted = key("untrusted");
    let keys = |name: &str| match name {
        "test" => &test,
        "untrusted" => &untrusted,
        other => panic!("no key {other}"),
    };

    // The fixed serials are the version 1 derivations of fixed components.
    for (parts, serial) in [
        (PRODUCTION_COMPONENTS, PRODUCTION_SERIAL),
        (DEVELOPMENT_COMPONENTS, DEVELOPMENT_SERIAL),
    ] {
        let derived = SerialNumber::from_components(&components(parts)).unwrap();
        assert_eq!(derived.to_string(), serial);
    }

    let production = sign(production_license(), &test);
    let prod = production.to_bytes();
    assert!(prod.len() <= 512, "{} bytes", prod.len());
    let development = sign(development_license(), &test);
    let expired = sign(expired_license(), &test);

    let vectors = vec![
        Vector {
            name: "prod.lic",
            description: "valid production license, 10 features and 6 limits",
            bytes: prod.clone(),
            canonical_signer: Some("test"),
            checks: vec![
                on_prod(NOW, active()),
                Check {
                    activation_code: None,
                    ..on_prod(NOW, active())
                },
                // The clock may be up to 5 minutes behind not_before.
                on_prod("2025-01-15T09:25:00Z", active()),
                on_prod("2025-01-15T09:24:59Z", err("NotYetValid")),
                // Expiring soon from 30 days (inclusive) before expiry.
                on_prod("2027-12-01T23:59:59Z", active()),
                on_prod("2027-12-02T00:00:00Z", expiring_soon(30)),
                on_prod("2027-12-15T06:00:00Z", expiring_soon(17)),
                on_prod("2028-01-01T00:00:00Z", in_grace(30)),
                on_prod("2028-01-10T00:00:00Z", in_grace(21)),
                on_prod("2028-01-31T00:00:00Z", err("Expired")),
                on_dev(NOW, err("WrongSerial")),
                Check {
                    activation_code: Some(OTHER_ACTIVATION_CODE),
                    ..on_prod(NOW, err("WrongActivationCode"))
                },
                // The activation code is checked before the serial, the
                // serial before the time.
                Check {
                    activation_code: Some(OTHER_ACTIVATION_CODE),
                    ..on_dev("2030-01-01T00:00:00Z", err("WrongActivationCode"))
                },
                on_dev("2030-01-01T00:00:00Z", err("WrongSerial")),
                Check {
                    trusted: &["untrusted"],
                    ..on_prod(NOW, err("UnknownKey"))
                },
                Check {
                    trusted: &["untrusted", "test"],
                    ..on_prod(NOW, active())
                },
            ],
        },
        Vector {
            name: "prod-renewal.lic",
            description: "renewal of prod.lic: revision 8, 2026-01-10 to 2029-01-01, 50 tenants; both valid on 2026-06-01, for downgrade tests",
            bytes: sign(renewal_license(), &test).to_bytes(),
            canonical_signer: Some("test"),
            checks: vec![
                on_prod(NOW, active()),
                on_prod("2026-01-10T09:54:59Z", err("NotYetValid")),
                on_prod("2029-02-01T00:00:00Z", err("Expired")),
                on_dev(NOW, err("WrongSerial")),
            ],
        },
        Vector {
            name: "prod.pem",
            description: "prod.lic in the text armor",
            bytes: production.to_armored().into_bytes(),
            canonical_signer: Some("test"),
            checks: vec![
                on_prod(NOW, active()),
                on_prod("2028-02-01T00:00:00Z", err("Expired")),
            ],
        },
        Vector {
            name: "prod-mail.txt",
            description: "prod.lic armored in a mail: text around it, CRLF, 76-column lines",
            bytes: mail(&prod),
            canonical_signer: None,
            checks: vec![on_prod(NOW, active())],
        },
        Vector {
            name: "dev-never-expires.lic",
            description: "valid development license without an expiry",
            bytes: development.to_bytes(),
            canonical_signer: Some("test"),
            checks: vec![
                on_dev("2025-03-01T08:00:00Z", active()),
                on_dev("2099-12-31T23:59:59Z", active()),
                on_dev("2025-03-01T07:54:59Z", err("NotYetValid")),
                on_prod(NOW, err("WrongSerial")),
            ],
        },
        Vector {
            name: "expired.lic",
            description: "production license that expired on 2025-01-01 with 14 days of grace",
            bytes: expired.to_bytes(),
            canonical_signer: Some("test"),
            checks: vec![
                on_prod("2024-12-31T23:59:59Z", expiring_soon(1)),
                on_prod("2025-01-05T00:00:00Z", in_grace(10)),
                on_prod("2025-01-14T23:59:59Z", in_grace(1)),
                on_prod("2025-01-15T00:00:00Z", err("Expired")),
                on_prod(NOW, err("Expired")),
            ],
        },
        Vector {
            name: "untrusted-key.lic",
            description: "the production license signed by the untrusted key",
            bytes: sign(production_license(), &untrusted).to_bytes(),
            canonical_signer: Some("untrusted"),
            checks: vec![
                on_prod(NOW, err("UnknownKey")),
                Check {
                    trusted: &["test", "untrusted"],
                    ..on_prod(NOW, active())
                },
            ],
        },
        rejected(
            "bad-signature.lic",
            "prod.lic with byte 10 of the signature (in r) flipped",
            {
                let mut b = prod.clone();
                let at = b.len() - 64 + 10;
                b[at] ^= 0xff;
                b
            },
            on_prod(NOW, err("BadSignature")),
        ),
        rejected(
            "tampered-body.lic",
            "prod.lic with the organization changed from 'Acme Corp' to 'Acme Corq'",
            {
                let mut b = prod.clone();
                let at = find(&b, b"Acme Corp").unwrap() + 8;
                b[at] = b'q';
                b
            },
            on_prod(NOW, err("BadSignature")),
        ),
        rejected(
            "truncated.lic",
            "the first 200 bytes of prod.lic",
            prod[..200].to_vec(),
            on_prod(NOW, malformed("body_length", 200)),
        ),
        rejected(
            "version-9.lic",
            "prod.lic with the version byte set to 9, a version no runtime reads yet",
            {
                let mut b = prod.clone();
                b[4] = 9;
                b
            },
            on_prod(NOW, err("UnsupportedVersion")),
        ),
        Vector {
            name: "capped.lic",
            description: "format version 2: prod.lic's terms with a platform version cap of 11.14 (extension 1, critical); runtimes of version 1 only refuse it as UnsupportedVersion",
            bytes: sign(
                version_2_license("vector-cap--0001", |l| {
                    l.max_platform_version = Some("11.14".parse().unwrap());
                }),
                &test,
            )
            .to_bytes(),
            canonical_signer: Some("test"),
            checks: vec![
                on_prod(NOW, active()),
                on_prod_running("11.14", active()),
                on_prod_running("11.9", active()),
                on_prod_running("11.14.3", active()),
                on_prod_running("11.15", err("PlatformVersionNotCovered")),
                on_prod_running("12", err("PlatformVersionNotCovered")),
                // The serial is checked before the platform version, the
                // platform version before the time.
                Check {
                    platform_version: Some("11.15"),
                    ..on_dev(NOW, err("WrongSerial"))
                },
                Check {
                    platform_version: Some("11.15"),
                    ..on_prod("2030-01-01T00:00:00Z", err("PlatformVersionNotCovered"))
                },
            ],
        },
        Vector {
            name: "summed-limits.lic",
            description: "format version 2: prod.lic's terms with application-objects and storage-gb summed across the production environments (extension 2, not critical)",
            bytes: sign(
                version_2_license("vector-sum--0001", |l| {
                    l.summed_limits = Some(vec!["application-objects".into(), "storage-gb".into()]);
                }),
                &test,
            )
            .to_bytes(),
            canonical_signer: Some("test"),
            checks: vec![on_prod(NOW, active()), on_prod_running("99", active())],
        },
        Vector {
            name: "unknown-extension.lic",
            description: "format version 2: prod.lic's terms with extension 1000, not critical, which no runtime knows: ignored, kept",
            bytes: sign(
                version_2_license("vector-ext--0001", |l| {
                    l.other_extensions.push(Extension {
                        tag: 1000,
                        critical: false,
                        data: b"a field of a later version".to_vec(),
                    });
                }),
                &test,
            )
            .to_bytes(),
            canonical_signer: Some("test"),
            checks: vec![on_prod(NOW, active())],
        },
        rejected(
            "unknown-critical-extension.lic",
            "format version 2: prod.lic's terms with extension 1001, critical, which no runtime knows: refused (a newer runtime is needed)",
            sign(
                version_2_license("vector-ext--0002", |l| {
                    l.other_extensions.push(Extension {
                        tag: 1001,
                        critical: true,
                        data: b"a rule of a later version".to_vec(),
                    });
                }),
                &test,
            )
            .to_bytes(),
            on_prod(NOW, err("UnknownCriticalExtension")),
        ),
        rejected(
            "version-2-no-extensions.lic",
            "prod.lic's body under version byte 2, with no extension list, correctly signed by the test key: a version 2 body ends with its extensions",
            {
                let mut license = production_license();
                license.features.sort();
                license.limits.sort_by(|a, b| a.name.cmp(&b.name));
                sign_raw_version(2, &postcard::to_allocvec(&license).unwrap(), &test)
            },
            on_prod(NOW, malformed("extensions", 337)),
        ),
        rejected(
            "trailing-garbage.lic",
            "prod.lic followed by the 8 bytes 'garbage\\n'",
            [prod.as_slice(), b"garbage\n"].concat(),
            on_prod(NOW, malformed("body_length", 401)),
        ),
        rejected(
            "unsorted-features.lic",
            "the development license with its features out of order, correctly signed by the test key",
            {
                let mut license = development_license();
                license.features = vec!["sso-saml".into(), "audit-log".into()];
                sign_raw(&postcard::to_allocvec(&license).unwrap(), &test)
            },
            on_dev(NOW, malformed("features[1]", 124)),
        ),
        rejected(
            "bad-serial-check.lic",
            "the development license with the last bit of the packed serial number flipped (its check characters no longer match), correctly signed by the test key",
            {
                let mut license = development_license();
                license.features.sort();
                let mut body = postcard::to_allocvec(&license).unwrap();
                let serial = license.serial_number.to_bytes();
                let at = find(&body, &serial).unwrap() + 14;
                body[at] ^= 1;
                sign_raw(&body, &test)
            },
            on_dev(NOW, malformed("serial_number", 59)),
        ),
        rejected(
            "long-varint.lic",
            "the development license with its revision written as a two-byte varint (its first byte with the high bit set, then 00) instead of one byte, correctly signed by the test key: a second byte form of the same license, refused",
            {
                let mut license = development_license();
                license.features.sort();
                let mut body = postcard::to_allocvec(&license).unwrap();
                // license_id takes bytes 0-15 of the body; revision is next.
                let revision = body[16];
                assert!(revision < 0x80, "a one-byte varint");
                body.splice(16..17, [revision | 0x80, 0x00]);
                sign_raw(&body, &test)
            },
            on_dev(NOW, malformed("revision", 31)),
        ),
        rejected(
            "control-character.lic",
            "the development license with the organization 'Acme' followed by ESC [1A and a carriage return (a terminal's cursor-up and line rewrite), correctly signed by the test key: no issuer writes a control character, and a reader refuses it at its byte",
            {
                let mut license = development_license();
                license.features.sort();
                license.organization = "Acme\x1b[1A\rSignature verified".into();
                sign_raw(&postcard::to_allocvec(&license).unwrap(), &test)
            },
            on_dev(NOW, malformed("organization", 85)),
        ),
    ];

    // Check every verdict against the library before writing anything.
    let trusted =
        |names: &[&str]| TrustedKeys::new(names.iter().map(|n| keys(n).public_key().clone()));
    let mut files = Vec::new();
    for v in &vectors {
        let parsed = LicenseFile::parse(&v.bytes).ok();
        if let Some(signer) = v.canonical_signer {
            let file = parsed.as_ref().expect("a canonical vector parses");
            let remade = stored_bytes(v.name, &sign(file.license().clone(), keys(signer)));
            assert_eq!(remade, v.bytes, "{}: not canonical", v.name);
        }
        let mut checks = Vec::new();
        for c in &v.checks {
            let mut validator = Validator::new(trusted(c.trusted));
            if let Some(running) = c.platform_version {
                validator = validator.with_platform_version(running.parse().unwrap());
            }
            let code = c.activation_code.map(|a| ActivationCode::parse(a).unwrap());
            let result = validator.validate(
                &v.bytes,
                &SerialNumber::parse(c.serial).unwrap(),
                code.as_ref(),
                t(c.now),
            );
            let actual = verdict(&result);
            assert_eq!(
                actual, c.verdict,
                "{} at {}: the library says {result:?}",
                v.name, c.now
            );
            let mut check = json!({
                "trusted": c.trusted,
                "now": t(c.now).unix_seconds(),
                "now_text": c.now,
                "serial": c.serial,
                "activation_code": c.activation_code,
                "verdict": c.verdict,
            });
            if let Some(running) = c.platform_version {
                check["platform_version"] = json!(running);
            }
            checks.push(check);
        }
        files.push(json!({
            "name": v.name,
            "description": v.description,
            "size": v.bytes.len(),
            "sha256": hex(&Sha256::digest(&v.bytes)),
            "key_id": parsed.as_ref().map(|f| f.key_id().to_string()),
            "license": parsed.as_ref().map(|f| license_json(f.license())),
            "canonical_signer": v.canonical_signer,
            "checks": checks,
        }));
    }

    let key_json = |name: &str| {
        json!({
            "private": format!("{name}-signing-key.pem"),
            "public": format!("{name}-public-key.pem"),
            "key_id": keys(name).public_key().key_id().to_string(),
        })
    };
    let derivation = |parts: &[(&str, &str)]| {
        let comps = components(parts);
        json!({
            "components": parts.iter().map(|(k, v)| json!({"kind": k, "value": v})).collect::<Vec<_>>(),
            "component_hashes": comps.iter().map(|c| hex(&c.hash_v1().unwrap())).collect::<Vec<_>>(),
            "serial": SerialNumber::from_components(&comps).unwrap().to_string(),
        })
    };
    let code_json = |kind: &str, text: &str, packed: [u8; 15]| json!({"kind": kind, "text": text, "packed": hex(&packed)});
    let codes = vec![
        code_json(
            "activation-code",
            ACTIVATION_CODE,
            ActivationCode::parse(ACTIVATION_CODE).unwrap().to_bytes(),
        ),
        code_json(
            "activation-code",
            OTHER_ACTIVATION_CODE,
            ActivationCode::parse(OTHER_ACTIVATION_CODE)
                .unwrap()
                .to_bytes(),
        ),
        code_json(
            "serial-number",
            PRODUCTION_SERIAL,
            SerialNumber::parse(PRODUCTION_SERIAL).unwrap().to_bytes(),
        ),
        code_json(
            "serial-number",
            DEVELOPMENT_SERIAL,
            SerialNumber::parse(DEVELOPMENT_SERIAL).unwrap().to_bytes(),
        ),
    ];
    let document = json!({
        "comment": "Test vectors of the license file format (docs/FORMAT.md), written by `cargo run --example make_vectors` and checked by tests/vectors.rs. Times are Unix seconds; verdicts are those of Validator::validate with the listed trusted keys.",
        "keys": { "test": key_json("test"), "untrusted": key_json("untrusted") },
        "codes": codes,
        "serial_derivation_v1": [derivation(PRODUCTION_COMPONENTS), derivation(DEVELOPMENT_COMPONENTS)],
        "dump": { "file": DUMPED, "text": "dev-never-expires.dump.txt" },
        "files": files,
    });

    for v in &vectors {
        std::fs::write(dir().join(v.name), &v.bytes).unwrap();
    }
    let dumped = vectors.iter().find(|v| v.name == DUMPED).unwrap();
    let dump = annotated_dump(&development, &dumped.bytes);
    std::fs::write(dir().join("dev-never-expires.dump.txt"), &dump).unwrap();
    let mut json = serde_json::to_string_pretty(&document).unwrap();
    json.push('\n');
    std::fs::write(dir().join("vectors.json"), json).unwrap();
    println!(
        "wrote {} license files, vectors.json and dev-never-expires.dump.txt to {}",
        vectors.len(),
        dir().display()
    );
    println!("prod.lic: {} bytes", prod.len());
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// prod.lic armored as a mail client might pass it on.
fn mail(bytes: &[u8]) -> Vec<u8> {
    use base64ct::{Base64, Encoding};
    let b64 = Base64::encode_string(bytes);
    let mut text =
        String::from("Hello,\r\n\r\nhere is your license:\r\n\r\n-----BEGIN LICENSE-----\r\n");
    for chunk in b64.as_bytes().chunks(76) {
        text.push_str(std::str::from_utf8(chunk).unwrap());
        text.push_str("\r\n");
    }
    text.push_str("-----END LICENSE-----\r\n\r\nRegards,\r\nthe vendor\r\n");
    text.into_bytes()
}

/// Lines of `offset  bytes  meaning`, at most 8 bytes a line.
struct Dump {
    out: String,
    offset: usize,
    bytes: Vec<u8>,
}

impl Dump {
    fn piece(&mut self, bytes: &[u8], meaning: &str) {
        for (i, chunk) in bytes.chunks(8).enumerate() {
            let hexes: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            let meaning = if i == 0 { meaning } else { "..." };
            let line = format!("{:04x}  {:<23}  {meaning}", self.offset, hexes.join(" "));
            writeln!(self.out, "{}", line.trim_end()).unwrap();
            self.offset += chunk.len();
        }
        self.bytes.extend_from_slice(bytes);
    }

    fn field<T: Serialize>(&mut self, value: &T, meaning: &str) {
        self.piece(&postcard::to_allocvec(value).unwrap(), meaning);
    }

    fn string(&mut self, name: &str, value: &str) {
        self.field(&value.len(), &format!("{name}: length {}", value.len()));
        self.piece(value.as_bytes(), &format!("{name}: \"{value}\""));
    }
}

fn annotated_dump(file: &LicenseFile, bytes: &[u8]) -> String {
    let l = file.license();
    let mut d = Dump {
        out: String::new(),
        offset: 0,
        bytes: Vec::new(),
    };
    let body_len = bytes.len() - 15 - 64;
    writeln!(d.out, "off   bytes                    meaning").unwrap();
    d.piece(&MAGIC, "magic \"LICF\"");
    d.piece(&[1], "format version 1");
    d.piece(
        &file.key_id().0,
        "key id (SHA-256 of the SPKI DER, first 8 bytes)",
    );
    d.piece(
        &u16::try_from(body_len).unwrap().to_be_bytes(),
        &format!("body length {body_len} (u16 big-endian)"),
    );
    d.piece(
        &l.license_id.0,
        &format!(
            "license_id: 16 raw bytes (\"{}\")",
            String::from_utf8_lossy(&l.license_id.0)
        ),
    );
    d.field(&l.revision, &format!("revision: varint {}", l.revision));
    d.field(
        &l.issued_at,
        &format!(
            "issued_at: zigzag varint {} = {}",
            l.issued_at.unix_seconds(),
            l.issued_at
        ),
    );
    d.field(
        &l.not_before,
        &format!(
            "not_before: zigzag varint {} = {}",
            l.not_before.unix_seconds(),
            l.not_before
        ),
    );
    match l.expires_at {
        None => d.field(&l.expires_at, "expires_at: None (never expires)"),
        Some(e) => {
            d.piece(&[1], "expires_at: Some");
            d.field(
                &e,
                &format!("expires_at: zigzag varint {} = {e}", e.unix_seconds()),
            );
        }
    }
    d.field(
        &l.grace_days,
        &format!("grace_days: varint {}", l.grace_days),
    );
    d.piece(
        &l.activation_code.to_bytes(),
        &format!("activation_code: packed {}", l.activation_code),
    );
    d.piece(
        &l.serial_number.to_bytes(),
        &format!("serial_number: packed {}", l.serial_number),
    );
    d.string("environment_name", &l.environment_name);
    d.field(&l.purpose, &format!("purpose: variant {}", l.purpose));
    d.field(
        &l.license_type,
        &format!("license_type: variant {}", l.license_type),
    );
    d.string("organization", &l.organization);
    d.string("edition", &l.edition);
    d.string("support", &l.support);
    d.field(
        &l.limits.len(),
        &format!("limits: count {}", l.limits.len()),
    );
    for (i, limit) in l.limits.iter().enumerate() {
        d.string(&format!("limits[{i}].name"), &limit.name);
        d.field(
            &limit.value,
            &format!("limits[{i}].value: varint {}", limit.value),
        );
        d.field(
            &limit.enforcement,
            &format!("limits[{i}].enforcement: variant {}", limit.enforcement),
        );
    }
    d.field(
        &l.features.len(),
        &format!("features: count {}", l.features.len()),
    );
    for (i, feature) in l.features.iter().enumerate() {
        d.string(&format!("features[{i}]"), feature);
    }
    d.piece(
        &file.signature()[..32],
        "signature r (32 bytes, big-endian)",
    );
    d.piece(
        &file.signature()[32..],
        "signature s (32 bytes, big-endian, low-s)",
    );
    assert_eq!(d.bytes, bytes, "the dump covers the file exactly");
    d.out
}
