//! `licensing demo`: the whole flow, step by step.

use crate::common::{assert_contains_all, ok};
use tempfile::TempDir;

#[test]
fn demo_walks_the_whole_flow() {
    let dir = TempDir::new().unwrap();
    let out = ok(dir.path(), &["demo"]);
    assert_contains_all(
        &out,
        &[
            " 1. ",
            "key id",
            "activation code",
            "mistyped",
            "no free production slot",
            "BEGIN LICENSE",
            "signature does not match",
            "the license was issued for serial",
            "grace period ended",
            "Signer trait",
            "Feature / Limit",
            "450 (hard)",
            "multi-tenancy",
            "enabled",
            "This machine's own serial number",
            "publish    no  (over a hard limit: application-objects 460/450)",
            "this is a serial number, not an activation code",
            "activation request (production-2.request",
            "application-objects 760 of 450 across production",
            "publish    no  (over a hard limit: application-objects 760/450 summed across 2 production environments)",
            "The vendor's registry (vendor.db): the subscription renewed to revision 3, its 4 licenses issued on every core, each valid, and recorded",
            "bob    terms changed: revision 3",
            "revision 3 for 'Production 2'",
            "All 19 steps behaved as expected.",
        ],
    );
}
