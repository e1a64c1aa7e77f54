//! The fingerprint record (`fingerprint.json` in a store), read by the
//! core's own small JSON reader (src/json.rs), from any text: never
//! panics; a record that reads writes back (`to_json`) to JSON that reads
//! to the same record, with the core's reader and with serde_json.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::FingerprintRecord;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let record = match FingerprintRecord::from_json(text) {
        Ok(record) => record,
        Err(err) => {
            let _ = err.len();
            return;
        }
    };
    let json = record.to_json();
    let again = FingerprintRecord::from_json(&json)
        .unwrap_or_else(|e| panic!("its own JSON reads: {e}\n{json}"));
    assert_eq!(again, record, "to_json round trip\n{json}");
    let by_serde: FingerprintRecord = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("serde_json reads its JSON: {e}\n{json}"));
    assert_eq!(by_serde, record, "serde_json reads the same record\n{json}");
});
