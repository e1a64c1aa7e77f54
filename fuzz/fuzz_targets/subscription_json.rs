//! A subscription file (the JSON the CLI reads into an `Infrastructure`,
//! cli/src/files.rs) from any bytes: never panics; what parses writes back
//! to JSON that parses to the same infrastructure; and a license built from
//! it for any registered environment (as `licensing issue` would) encodes
//! to a signing request that reads back to the same license.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{Infrastructure, KeyId, Purpose, SigningRequest, Timestamp, license_for};

fuzz_target!(|data: &[u8]| {
    let Ok(infra) = serde_json::from_slice::<Infrastructure>(data) else {
        return;
    };
    for json in [
        serde_json::to_vec(&infra).expect("serializes"),
        serde_json::to_vec_pretty(&infra).expect("serializes"),
    ] {
        let again: Infrastructure = serde_json::from_slice(&json).expect("its own JSON parses");
        assert_eq!(
            again, infra,
            "the JSON round trip changed the infrastructure"
        );
    }

    let subscription = infra.subscription();
    let _ = subscription.terms().check();
    let _ = subscription.activation_code().to_string();
    for purpose in [
        Purpose::Development,
        Purpose::NonProduction,
        Purpose::Production,
        Purpose::Management,
    ] {
        let _ = infra.used(purpose);
        let _ = subscription.terms().slots.allowed(purpose);
        let _ = subscription.terms().limits_for(purpose);
    }
    let now = Timestamp::from_unix_seconds(1_780_315_200);
    for environment in infra.environments() {
        assert!(infra.environment(&environment.serial_number).is_some());
        let Ok(license) = license_for(&infra, &environment.serial_number, now) else {
            continue;
        };
        let Ok(request) = SigningRequest::new(license, KeyId([7; 8])) else {
            continue;
        };
        let read = SigningRequest::from_message(&request.message())
            .unwrap_or_else(|e| panic!("an issued license must read back: {e}"));
        assert_eq!(read.license(), request.license());
        assert_eq!(read.message(), request.message());
    }
});
