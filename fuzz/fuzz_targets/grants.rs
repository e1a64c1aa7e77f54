//! Trial extensions and clock resets from any bytes: never panics; a grant
//! that parses writes back to the same bytes, and its signature check
//! (against the test vectors' key, for their environment) does not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{ClockReset, SerialNumber, Timestamp, TrialExtension, TrustedKeys};
use std::sync::LazyLock;

const TEST_PUBLIC_KEY: &str = include_str!("../../tests/vectors/test-public-key.pem");

static FIXTURE: LazyLock<(TrustedKeys, SerialNumber)> = LazyLock::new(|| {
    (
        TrustedKeys::from_pem(TEST_PUBLIC_KEY).expect("the test public key"),
        SerialNumber::parse("1HA-009-DEZ-RD3-PJA-MNH-C1S-91T").expect("the test serial"),
    )
});

fuzz_target!(|data: &[u8]| {
    let (keys, serial) = &*FIXTURE;
    match TrialExtension::parse(data) {
        Ok(extension) => {
            assert_eq!(
                extension.to_bytes(),
                data,
                "a trial extension is its own to_bytes()"
            );
            assert_eq!(
                TrialExtension::parse(&extension.to_bytes()).as_ref(),
                Ok(&extension)
            );
            check_times(extension.until(), extension.issued_at());
            let _ = extension.verify(keys, serial).map_err(|e| e.to_string());
            let _ = extension.verify(keys, &extension.serial_number());
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
    match ClockReset::parse(data) {
        Ok(reset) => {
            assert_eq!(
                reset.to_bytes(),
                data,
                "a clock reset is its own to_bytes()"
            );
            assert_eq!(ClockReset::parse(&reset.to_bytes()).as_ref(), Ok(&reset));
            check_times(reset.latest_time_seen(), reset.issued_at());
            let _ = reset.verify(keys, serial).map_err(|e| e.to_string());
            let _ = reset.verify(keys, &reset.serial_number());
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
});

/// The grant's times are any 64-bit numbers: printing them and counting
/// days to them must not panic, and a printed time that reads back is the
/// same time.
fn check_times(granted: Timestamp, issued_at: Timestamp) {
    let now = Timestamp::from_unix_seconds(1_780_315_200);
    for t in [granted, issued_at] {
        let text = t.to_string();
        if let Ok(again) = text.parse::<Timestamp>() {
            assert_eq!(again, t, "{text}");
        }
        let _ = t.date().to_string();
        let _ = now.days_until(t);
        let _ = t.days_until(now);
        let _ = t.plus_seconds(licensing::DAY);
    }
}
