//! The exchange files' vectors (docs/FORMAT.md section 13): an activation
//! request, a usage report and a usage summary, each written byte for byte
//! from fixed values, read back, and their checksum recomputed here from
//! the specification (SHA-256 over the domain and the bytes), not through
//! the library. `LICENSING_BLESS_VECTORS=1 cargo test --test exchange_vectors`
//! writes them again after a deliberate change of the format.

use base64ct::{Base64, Encoding};
use licensing::{
    ActivationCode, ActivationRequest, Date, Enforcement, ExchangeError, LicenseId, Limit, Purpose,
    ReportedLimit, SerialNumber, SummaryEnvironment, SummedTotal, Timestamp, UsageReport,
    UsageSummary,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;

const CODE: &str = "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ";
const PRODUCTION: &str = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T";
const SECOND: &str = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name)
}

fn t(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

/// Compares `text` with the vector `name`, or writes it when blessing.
fn check_vector(name: &str, text: &str) {
    if std::env::var_os("LICENSING_BLESS_VECTORS").is_some() {
        std::fs::write(path(name), text).unwrap();
    }
    let stored = std::fs::read_to_string(path(name)).unwrap();
    assert!(
        stored == text,
        "{name} differs from what the library writes"
    );
}

/// The binary bytes inside the armor, with the checksum checked as
/// FORMAT.md section 13.1 says; the content after magic and version.
fn content(text: &str, magic: &[u8; 4], domain: &[u8]) -> Vec<u8> {
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let bytes = Base64::decode_vec(&b64).unwrap();
    assert_eq!(&bytes[..4], magic);
    assert_eq!(bytes[4], 1, "version");
    let (body, sum) = bytes.split_at(bytes.len() - 32);
    let expected = Sha256::new()
        .chain_update(domain)
        .chain_update(body)
        .finalize();
    assert_eq!(sum, &expected[..]);
    body[5..].to_vec()
}

fn request() -> ActivationRequest {
    ActivationRequest {
        serial_number: SerialNumber::parse(PRODUCTION).unwrap(),
        activation_code: ActivationCode::parse(CODE).unwrap(),
        environment_name: "Production".into(),
        purpose: Purpose::Production,
        platform_version: Some("11.14".parse().unwrap()),
        created_at: t("2026-06-01T12:00:00Z"),
    }
}

fn limits() -> Vec<ReportedLimit> {
    vec![
        ReportedLimit {
            name: "application-objects".into(),
            value: 450,
            enforcement: Enforcement::Hard,
            summed: true,
        },
        ReportedLimit {
            name: "internal-users".into(),
            value: 100,
            enforcement: Enforcement::Soft,
            summed: false,
        },
    ]
}

fn report(serial: &str, objects: [u64; 2]) -> UsageReport {
    let peaks = BTreeMap::from([
        (
            day("2026-05-31"),
            BTreeMap::from([
                ("application-objects".to_string(), objects[0]),
                ("internal-users".to_string(), 40),
            ]),
        ),
        (
            day("2026-06-01"),
            BTreeMap::from([("application-objects".to_string(), objects[1])]),
        ),
    ]);
    UsageReport {
        serial_number: SerialNumber::parse(serial).unwrap(),
        activation_code: ActivationCode::parse(CODE).unwrap(),
        license_id: LicenseId(*b"vector-prod-0001"),
        revision: 7,
        environment_name: "Production".into(),
        purpose: Purpose::Production,
        created_at: t("2026-06-01T12:00:00Z"),
        limits: limits(),
        peaks,
    }
}

#[test]
fn activation_request() {
    let request = request();
    let text = request.to_armored();
    check_vector("activation-request.txt", &text);
    assert_eq!(ActivationRequest::parse(text.as_bytes()).unwrap(), request);
    let c = content(&text, b"LICQ", b"licensing/activation-request\0");
    // serial, code, purpose, created_at, name, platform version.
    assert_eq!(c[..15], SerialNumber::parse(PRODUCTION).unwrap().to_bytes());
    assert_eq!(c[15..30], ActivationCode::parse(CODE).unwrap().to_bytes());
    assert_eq!(c[30], 2);
    assert_eq!(c[31..39], 1_780_315_200i64.to_be_bytes());
    assert_eq!(c[39..41], [0, 10]);
    assert_eq!(&c[41..51], b"Production");
    assert_eq!(c[51..], [2, 0, 0, 0, 11, 0, 0, 0, 14]);
}

#[test]
fn usage_report() {
    let report = report(PRODUCTION, [280, 300]);
    let text = report.to_armored();
    check_vector("usage-report.txt", &text);
    assert_eq!(UsageReport::parse(text.as_bytes()).unwrap(), report);
    content(&text, b"LICU", b"licensing/usage-report\0");
    assert_eq!(report.latest_peaks()["application-objects"], 300);
    assert_eq!(report.latest_peaks()["internal-users"], 40);
}

#[test]
fn usage_summary() {
    let reports = [report(PRODUCTION, [280, 300]), report(SECOND, [310, 300])];
    let summary = UsageSummary::from_reports(&reports, t("2026-06-01T13:00:00Z")).unwrap();
    assert_eq!(
        summary.totals,
        [SummedTotal {
            limit: Limit::new("application-objects", 450, Enforcement::Hard),
            total: 600,
        }]
    );
    assert_eq!(
        summary.environments[0],
        SummaryEnvironment {
            serial_number: SerialNumber::parse(PRODUCTION).unwrap(),
            environment_name: "Production".into(),
            purpose: Purpose::Production,
            reported_at: t("2026-06-01T12:00:00Z"),
            latest_day: Some(day("2026-06-01")),
            peaks: BTreeMap::from([
                ("application-objects".to_string(), 300),
                ("internal-users".to_string(), 40),
            ]),
        }
    );
    let text = summary.to_armored();
    check_vector("usage-summary.txt", &text);
    assert_eq!(UsageSummary::parse(text.as_bytes()).unwrap(), summary);
    content(&text, b"LICS", b"licensing/usage-summary\0");
}

#[test]
fn every_byte_changed_is_detected() {
    for name in [
        "activation-request.txt",
        "usage-report.txt",
        "usage-summary.txt",
    ] {
        let text = std::fs::read_to_string(path(name)).unwrap();
        let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        let bytes = Base64::decode_vec(&b64).unwrap();
        for i in 0..bytes.len() {
            for bit in [0x01, 0x80] {
                let mut damaged = bytes.clone();
                damaged[i] ^= bit;
                let errors = [
                    ActivationRequest::parse(&damaged).err(),
                    UsageReport::parse(&damaged).err(),
                    UsageSummary::parse(&damaged).err(),
                ];
                assert!(
                    errors.iter().all(Option::is_some),
                    "{name}: byte {i} bit {bit:02x} not detected"
                );
            }
        }
        // Cut short anywhere: an error, never a panic.
        for len in 0..bytes.len() {
            assert!(ActivationRequest::parse(&bytes[..len]).is_err());
            assert!(UsageReport::parse(&bytes[..len]).is_err());
            assert!(UsageSummary::parse(&bytes[..len]).is_err());
        }
        // The wrong kind is refused by name.
        let other = match name {
            "activation-request.txt" => UsageReport::parse(text.as_bytes()).unwrap_err(),
            _ => ActivationRequest::parse(text.as_bytes()).unwrap_err(),
        };
        assert!(
            matches!(other, ExchangeError::Malformed { .. }),
            "{name}: {other:?}"
        );
    }
}
