//! The license file test vectors in `tests/vectors/` (written by
//! `cargo run --example make_vectors`, described by `vectors.json`) against
//! the library and against `docs/FORMAT.md`: verdicts, decoded fields, byte
//! for byte reproduction by re-signing, and the annotated dump.
//!
//! What the example and these tests must agree on (where the vectors are,
//! how a verdict is written, the error names) is in `vectors_common/mod.rs`,
//! which both compile.

mod vectors_common;

use base64ct::{Base64, Encoding};
use licensing::extension::Extension;
use licensing::{
    ActivationCode, HardwareComponent, License, LicenseFile, PublicKey, SerialNumber, SigningKey,
    Timestamp, TrustedKeys, ValidationError, Validator,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::Path;
use vectors_common::{ERROR_NAMES, dir, hex, sign, stored_bytes, verdict};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_text(name: &str) -> String {
    String::from_utf8(read(name)).unwrap()
}

fn vectors() -> Value {
    serde_json::from_slice(&read("vectors.json")).expect("vectors.json is JSON")
}

fn unhex(text: &str) -> Vec<u8> {
    assert_eq!(text.len() % 2, 0, "{text}");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn signing_key(name: &str) -> SigningKey {
    SigningKey::from_pem(&read_text(&format!("{name}-signing-key.pem"))).unwrap()
}

fn public_key(name: &str) -> PublicKey {
    PublicKey::from_pem(&read_text(&format!("{name}-public-key.pem"))).unwrap()
}

/// The DER inside a PEM block, decoded without the library.
fn pem_der(pem: &str) -> Vec<u8> {
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    Base64::decode_vec(b64.trim()).unwrap()
}

/// The `license` object of vectors.json as a [`License`] (the id is hex
/// there, 16 bytes in the library's serde form).
fn license_from_json(value: &Value) -> License {
    let mut value = value.clone();
    let id = unhex(str_of(&value["license_id"]));
    value["license_id"] = json!(id);
    let mut license: License = serde_json::from_value(value.clone()).expect("a license");
    // Format version 2's fields, listed only when set.
    license.max_platform_version = value["max_platform_version"]
        .as_str()
        .map(|v| v.parse().expect("a platform version"));
    license.summed_limits = value["summed_limits"]
        .as_array()
        .map(|names| names.iter().map(|n| str_of(n).to_owned()).collect());
    if let Some(others) = value["other_extensions"].as_array() {
        license.other_extensions = others
            .iter()
            .map(|e| Extension {
                tag: e["tag"].as_u64().unwrap() as u16,
                critical: e["critical"].as_bool().unwrap(),
                data: unhex(str_of(&e["data"])),
            })
            .collect();
    }
    license
}

fn files(v: &Value) -> &Vec<Value> {
    v["files"].as_array().unwrap()
}

fn file_entry<'a>(v: &'a Value, name: &str) -> &'a Value {
    files(v)
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in vectors.json"))
}

#[test]
fn keys_and_their_ids() {
    let v = vectors();
    for name in ["test", "untrusted"] {
        let entry = &v["keys"][name];
        let private = signing_key(name);
        let public = public_key(name);
        assert_eq!(private.public_key(), &public, "{name}");
        // The key id is the first 8 bytes of SHA-256 over the SPKI DER.
        let der = pem_der(&read_text(str_of(&entry["public"])));
        let id = hex(&Sha256::digest(&der)[..8]);
        assert_eq!(id, str_of(&entry["key_id"]), "{name}");
        assert_eq!(public.key_id().to_string(), id, "{name}");
        assert_eq!(PublicKey::from_der(&der).unwrap(), public);
    }
    assert_ne!(
        v["keys"]["test"]["key_id"],
        v["keys"]["untrusted"]["key_id"]
    );
}

#[test]
fn codes_pack_to_the_listed_bytes() {
    let v = vectors();
    for code in v["codes"].as_array().unwrap() {
        let text = str_of(&code["text"]);
        let packed: [u8; 15] = unhex(str_of(&code["packed"])).try_into().unwrap();
        match str_of(&code["kind"]) {
            "activation-code" => {
                let parsed = ActivationCode::parse(text).unwrap();
                assert_eq!(parsed.to_bytes(), packed, "{text}");
                assert_eq!(ActivationCode::from_bytes(&packed), Some(parsed));
                assert_eq!(SerialNumber::from_bytes(&packed), None, "{text}");
            }
            "serial-number" => {
                let parsed = SerialNumber::parse(text).unwrap();
                assert_eq!(parsed.to_bytes(), packed, "{text}");
                assert_eq!(SerialNumber::from_bytes(&packed), Some(parsed));
                assert_eq!(ActivationCode::from_bytes(&packed), None, "{text}");
            }
            other => panic!("unknown kind {other}"),
        }
    }
}

#[test]
fn serial_derivation_v1() {
    let v = vectors();
    for d in v["serial_derivation_v1"].as_array().unwrap() {
        let components: Vec<HardwareComponent> = d["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| HardwareComponent::new(str_of(&c["kind"]), str_of(&c["value"])))
            .collect();
        let hashes: Vec<String> = components
            .iter()
            .map(|c| hex(&c.hash_v1().unwrap()))
            .collect();
        assert_eq!(json!(hashes), d["component_hashes"]);
        let serial = SerialNumber::from_components(&components).unwrap();
        assert_eq!(serial.to_string(), str_of(&d["serial"]));
    }
    // The stability vector of the derivation is among them.
    let stable = read_text("serial-v1.txt");
    assert!(
        v["serial_derivation_v1"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["serial"] == stable.trim())
    );
}

#[test]
fn files_are_the_listed_bytes() {
    let v = vectors();
    for f in files(&v) {
        let name = str_of(&f["name"]);
        let bytes = read(name);
        assert_eq!(bytes.len() as u64, f["size"].as_u64().unwrap(), "{name}");
        assert_eq!(hex(&Sha256::digest(&bytes)), str_of(&f["sha256"]), "{name}");
    }
}

#[test]
fn every_vector_file_is_listed() {
    let v = vectors();
    let mut listed: Vec<String> = files(&v)
        .iter()
        .map(|f| str_of(&f["name"]).to_owned())
        .collect();
    listed.extend(
        [
            "vectors.json",
            "serial-v1.txt",
            "dev-never-expires.dump.txt",
            "test-signing-key.pem",
            "test-public-key.pem",
            "untrusted-signing-key.pem",
            "untrusted-public-key.pem",
            // Fingerprint records (FORMAT.md section 11.2), checked by
            // tests/hardware_change.rs.
            "fingerprint-record.json",
            "fingerprint-record-replaced.json",
            // Store states (FORMAT.md section 11.1), checked by
            // tests/tamper.rs.
            "state-v1.txt",
            "state-v2.txt",
            "state-v2.store-id",
            "state-v2-clock-reset.txt",
            // Vendor grants (FORMAT.md section 12), checked by
            // tests/tamper.rs.
            "trial-extension.lic",
            "clock-reset.lic",
            // Exchange files (FORMAT.md section 13), checked by
            // tests/exchange_vectors.rs.
            "activation-request.txt",
            "usage-report.txt",
            "usage-summary.txt",
            // The registry database's schema (FORMAT.md section 14),
            // checked by registry/src/tests.rs.
            "registry-schema-v1.sql",
            "registry-schema-v1-postgres.sql",
        ]
        .map(String::from),
    );
    for entry in std::fs::read_dir(dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(listed.contains(&name), "{name} is not described");
    }
}

#[test]
fn decoded_fields_match() {
    let v = vectors();
    for f in files(&v) {
        let name = str_of(&f["name"]);
        let parsed = LicenseFile::parse(&read(name));
        if f["license"].is_null() {
            assert!(parsed.is_err(), "{name} should not parse");
            assert!(f["key_id"].is_null(), "{name}");
            continue;
        }
        let parsed = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            parsed.license(),
            &license_from_json(&f["license"]),
            "{name}"
        );
        assert_eq!(parsed.key_id().to_string(), str_of(&f["key_id"]), "{name}");
        // Version 1 unless the license has an extension.
        let extended = ["max_platform_version", "summed_limits", "other_extensions"]
            .iter()
            .any(|k| !f["license"][k].is_null());
        assert_eq!(parsed.version(), if extended { 2 } else { 1 }, "{name}");
    }
}

#[test]
fn re_signing_reproduces_the_bytes() {
    let v = vectors();
    let mut canonical = 0;
    for f in files(&v) {
        let Some(signer) = f["canonical_signer"].as_str() else {
            continue;
        };
        canonical += 1;
        let name = str_of(&f["name"]);
        let key = signing_key(signer);
        assert_eq!(
            key.public_key().key_id().to_string(),
            str_of(&v["keys"][signer]["key_id"])
        );
        // From the fields listed in vectors.json, not from the file.
        let license = license_from_json(&f["license"]);
        let made = stored_bytes(name, &sign(license, &key));
        assert!(made == read(name), "{name}: re-signing gives other bytes");
    }
    assert!(canonical >= 5);
}

#[test]
fn verdicts() {
    let v = vectors();
    let mut checked = 0;
    for f in files(&v) {
        let name = str_of(&f["name"]);
        let bytes = read(name);
        for c in f["checks"].as_array().unwrap() {
            let trusted = TrustedKeys::new(
                c["trusted"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| public_key(str_of(k))),
            );
            let now = Timestamp::from_unix_seconds(c["now"].as_i64().unwrap());
            assert_eq!(now.to_string(), str_of(&c["now_text"]));
            let serial = SerialNumber::parse(str_of(&c["serial"])).unwrap();
            let code = c["activation_code"]
                .as_str()
                .map(|a| ActivationCode::parse(a).unwrap());
            let mut validator = Validator::new(trusted);
            if let Some(running) = c["platform_version"].as_str() {
                validator = validator.with_platform_version(running.parse().unwrap());
            }
            let result = validator.validate(&bytes, &serial, code.as_ref(), now);
            assert_eq!(
                verdict(&result),
                c["verdict"],
                "{name} at {now}: {result:?}"
            );
            // A malformed file's message names the field and its byte.
            if let Err(e @ ValidationError::Malformed { field, offset, .. }) = &result {
                let message = e.to_string();
                assert!(
                    message.contains(&format!("{field} at byte {offset}: ")),
                    "{name}: {message}"
                );
            }
            // The second time comes from the validator's cache: same verdict.
            let again = validator.validate(&bytes, &serial, code.as_ref(), now);
            assert_eq!(verdict(&again), c["verdict"], "{name} at {now}, cached");
            checked += 1;
        }
    }
    assert!(checked >= 20);
}

#[test]
fn the_required_vectors_are_there() {
    let v = vectors();
    let names: Vec<&str> = files(&v).iter().map(|f| str_of(&f["name"])).collect();
    for name in [
        "prod.lic",
        "prod.pem",
        "dev-never-expires.lic",
        "expired.lic",
        "untrusted-key.lic",
        "bad-signature.lic",
        "truncated.lic",
        "long-varint.lic",
        "version-9.lic",
        "trailing-garbage.lic",
        "capped.lic",
        "unknown-extension.lic",
        "unknown-critical-extension.lic",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    let verdicts: Vec<&Value> = files(&v)
        .iter()
        .flat_map(|f| f["checks"].as_array().unwrap())
        .map(|c| &c["verdict"])
        .collect();
    for error in ERROR_NAMES {
        assert!(verdicts.iter().any(|v| v["error"] == error), "{error}");
    }
    for state in ["active", "expiring-soon", "in-grace"] {
        assert!(
            verdicts.iter().any(|v| v["ok"]["state"] == state),
            "{state}"
        );
    }
}

#[test]
fn the_full_production_license_fits_in_512_bytes() {
    let v = vectors();
    let bytes = read("prod.lic");
    assert!(bytes.len() <= 512, "{} bytes", bytes.len());
    let entry = file_entry(&v, "prod.lic");
    assert_eq!(entry["license"]["features"].as_array().unwrap().len(), 10);
    assert_eq!(entry["license"]["limits"].as_array().unwrap().len(), 6);
    let file = LicenseFile::parse(&bytes).unwrap();
    assert_eq!(file.license().features.len(), 10);
    assert_eq!(file.license().limits.len(), 6);
    // The text form is the same file.
    let text = LicenseFile::parse(&read("prod.pem")).unwrap();
    assert_eq!(text.to_bytes(), bytes);
    let mail = LicenseFile::parse(&read("prod-mail.txt")).unwrap();
    assert_eq!(mail.to_bytes(), bytes);
}

#[test]
fn damaged_files_are_prod_lic_damaged() {
    let prod = read("prod.lic");
    assert_eq!(read("truncated.lic"), prod[..200]);
    assert_eq!(
        read("trailing-garbage.lic"),
        [&prod[..], b"garbage\n"].concat()
    );
    let v9 = read("version-9.lic");
    assert_eq!((v9[4], &v9[..4], &v9[5..]), (9, &prod[..4], &prod[5..]));
    let flipped = read("bad-signature.lic");
    let diffs: Vec<usize> = (0..prod.len()).filter(|&i| prod[i] != flipped[i]).collect();
    assert_eq!(diffs, [prod.len() - 64 + 10]);
}

/// The annotated dump in `docs/FORMAT.md`: generated with the vectors, and
/// its bytes are those of the file it names.
#[test]
fn the_dump_in_format_md_is_a_vector() {
    let v = vectors();
    let dump = read_text(str_of(&v["dump"]["text"]));
    let file = read(str_of(&v["dump"]["file"]));
    let format_md =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/FORMAT.md"))
            .unwrap();
    assert!(
        format_md.contains(&dump),
        "docs/FORMAT.md does not contain {} verbatim",
        str_of(&v["dump"]["text"])
    );
    assert!(format_md.contains(str_of(&v["dump"]["file"])));
    for name in ["test", "untrusted"] {
        assert!(
            format_md.contains(str_of(&v["keys"][name]["key_id"])),
            "{name}"
        );
    }
    let mut bytes = Vec::new();
    for line in dump.lines().skip(1) {
        let offset = usize::from_str_radix(&line[..4], 16).unwrap();
        assert_eq!(offset, bytes.len(), "{line}");
        let field = line.get(6..29).unwrap_or(&line[6..]);
        bytes.extend(
            field
                .split_whitespace()
                .map(|b| u8::from_str_radix(b, 16).unwrap()),
        );
    }
    assert!(bytes == file, "the dump's bytes differ from the file");
}
