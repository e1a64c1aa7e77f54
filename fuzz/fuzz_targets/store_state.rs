//! A license store's `state` file from any bytes, read as a store with an
//! id (version 2, authenticated) and as a store of 0.1 without one: never
//! panics, and gives the same answer twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::testing::read_store_state;

const STORE_ID: &str = "00112233445566778899aabbccddeeff";

fuzz_target!(|data: &[u8]| {
    for store_id in [Some(STORE_ID), None] {
        let believed = read_store_state(data, store_id);
        assert_eq!(
            believed,
            read_store_state(data, store_id),
            "not deterministic"
        );
    }
});
