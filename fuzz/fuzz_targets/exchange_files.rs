//! Exchange files (activation requests, usage reports, usage summaries)
//! from any bytes: never panics; a file that reads back writes the same
//! file again, which reads back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{ActivationRequest, UsageReport, UsageSummary};

fuzz_target!(|data: &[u8]| {
    match ActivationRequest::parse(data) {
        Ok(request) => {
            let text = request.to_armored();
            assert_eq!(ActivationRequest::parse(text.as_bytes()), Ok(request));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match UsageReport::parse(data) {
        Ok(report) => {
            let text = report.to_armored();
            assert_eq!(UsageReport::parse(text.as_bytes()), Ok(report));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match UsageSummary::parse(data) {
        Ok(summary) => {
            let text = summary.to_armored();
            assert_eq!(UsageSummary::parse(text.as_bytes()), Ok(summary));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
