//! # licensing
//!
//! Signed, offline license files for an *infrastructure* of runtime
//! environments. A platform vendor keeps one [`Subscription`] per customer
//! infrastructure, identified forever by its [`ActivationCode`]; each
//! runtime environment is identified by a hardware-based [`SerialNumber`]
//! and gets one signed [`LicenseFile`]; the runtime checks it in-process
//! with a [`Validator`], in microseconds.
//!
//! ```
//! use licensing::*;
//!
//! // The vendor: a key, a subscription, an environment, its license.
//! let key = SigningKey::generate();
//! let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
//! terms.ends = Some(Date::new(2099, 12, 31).unwrap());
//! terms.slots.production = 1;
//! terms.features.insert("multi-tenancy".into());
//! let mut infra = Infrastructure::new(Subscription::new(terms)?);
//! let serial = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "4c4c4544")])?;
//! infra.register(serial, "Production", Purpose::Production, Timestamp::now())?;
//! let file = issue(&infra, &serial, &key, Timestamp::now())?.to_bytes();
//!
//! // The runtime: trusted public keys, this environment's serial, the file.
//! let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
//! let license = validator.validate(&file, &serial, None, Timestamp::now())?;
//! assert!(license.has_feature("multi-tenancy"));
//! assert_eq!(license.state(), LicenseState::Active);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
// The core has no `unsafe`; the C ABI is a crate of its own (ffi/).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod activation_code;
mod activation_request;
mod armor;
mod atomic_file;
mod clock_reset;
mod code;
mod exchange;
pub mod extension;
mod file_kind;
mod fingerprint;
mod fingerprint_record;
mod grant;
mod hardware;
mod infrastructure;
mod io_failure;
mod issuing;
mod json;
mod keys;
mod license;
mod license_body;
mod license_file;
mod license_source;
pub mod limit;
mod name_index;
mod platform_identity;
mod platform_version;
mod printable;
mod purpose;
mod serial_number;
mod store;
mod subscription;
mod this_machine;
mod time;
mod trial_extension;
mod usage_report;
mod usage_summary;
mod validation;

pub use activation_code::ActivationCode;
pub use activation_request::ActivationRequest;
pub use atomic_file::{Access, Existing, write_atomically};
pub use clock_reset::{CLOCK_RESET_DOMAIN, CLOCK_RESET_MAGIC, ClockReset};
pub use code::{ALPHABET, CodeError, CodePosition, Correction};
pub use exchange::ExchangeError;
pub use fingerprint::{
    ExplainedComponent, Fingerprint, SERIAL_ALGORITHM, SerialChange, keeps_serial, kinds_in_words,
};
pub use fingerprint_record::{
    FingerprintRecord, RecordError, RecordedComponent, SerialReplacement,
};
pub use grant::GrantError;
pub use hardware::{
    ComponentReading, HARDWARE_ROOT_VAR, HardwareError, IDENTITY_FILE_VAR, IDENTITY_VAR,
    IdentitySource, MachineIdentity, PINNED_KIND, read_linux,
};
pub use infrastructure::{Environment, Infrastructure, RegistryError};
pub use io_failure::explain_io_failure;
pub use issuing::{IssueError, Signer, SigningRequest, issue, issue_all, license_for};
pub use keys::{KeyError, KeyId, PublicKey, SigningKey, TrustedKeys};
pub use license::{License, LicenseId};
pub use license_file::{
    FORMAT_VERSION, FormatError, HEADER_LEN, LATEST_FORMAT_VERSION, LicenseFile, MAGIC,
    SIGNATURE_LEN, SIGNING_DOMAIN,
};
pub use license_source::{DEFAULT_LICENSE_SOURCE, license_source, set_license_source};
pub use limit::{Enforcement, Limit, Scope, Usage};
pub use platform_version::{PlatformVersion, PlatformVersionError};
pub use printable::{is_unsafe_to_print, printable, printable_bytes};
pub use purpose::{LicenseType, Purpose, UnknownPurpose};
pub use serial_number::{HardwareComponent, NoComponents, SerialNumber};
pub use store::{
    ACTIVE, ANCHOR_DIR_VAR, Accepted, Anchor, BACKUP, CLOCK_RESET_VALID_DAYS,
    DEFAULT_CLOCK_TOLERANCE_SECONDS, Decision, Decisions, DirectoryAnchor, FINGERPRINT, Installed,
    LicenseStore, LimitStatus, Replaced, Standing, Status, StoreError, SummedUsage, TRIAL_DAYS,
    USAGE_DAYS, Warning, trial_limits,
};
pub use subscription::{
    DEFAULT_GRACE_DAYS, LimitTerms, Slots, Subscription, SubscriptionError, Terms, TermsError,
};
pub use this_machine::ThisMachine;
pub use time::{DAY, Date, TimeError, Timestamp};
pub use trial_extension::{TRIAL_EXTENSION_DOMAIN, TRIAL_EXTENSION_MAGIC, TrialExtension};
pub use usage_report::{ReportedLimit, UsageReport};
pub use usage_summary::{SummaryEnvironment, SummaryError, SummedTotal, UsageSummary};
pub use validation::{
    CLOCK_TOLERANCE_SECONDS, EXPIRING_SOON_DAYS, LicenseState, ValidatedLicense, ValidationError,
    Validator,
};

// The README's examples are compiled and run with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Ready-made values for examples and tests. Not part of the stable API.
#[doc(hidden)]
pub mod testing {
    use crate::*;

    /// Ten feature names of a realistic production license (the size the
    /// format and the speed targets are measured with).
    pub const TEN_FEATURES: [&str; 10] = [
        "multi-tenancy",
        "sap-connector",
        "ldap-integration",
        "integrated-authentication",
        "hot-deployment",
        "deployment-zones",
        "multiple-database-catalogs",
        "parallel-timers",
        "front-end-servers",
        "performance-monitor",
    ];

    /// When the samples are registered and issued: a fixed instant, so that
    /// examples validating at fixed dates keep their meaning over the years.
    pub const ISSUED_AT: Timestamp = Timestamp::from_unix_seconds(1_767_225_600); // 2026-01-01

    /// A registered production environment in a subscription with a few
    /// features and limits, its serial number and a fresh signing key.
    pub fn sample_infrastructure() -> (Infrastructure, SerialNumber, SigningKey) {
        let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
        terms.ends = Some(Date::new(2099, 12, 31).expect("valid date"));
        terms.slots = Slots {
            development: 1,
            non_production: 1,
            production: 1,
        };
        for (name, value) in [
            (limit::INTERNAL_USERS, 100),
            (limit::EXTERNAL_USERS, 10_000),
            (limit::APPLICATION_OBJECTS, 450),
        ] {
            terms
                .limits
                .insert(name.into(), LimitTerms::with_defaults(name, value));
        }
        terms.features.insert("multi-tenancy".into());
        terms.features.insert("sap-connector".into());
        let mut infra = Infrastructure::new(Subscription::new(terms).expect("valid terms"));
        let serial = SerialNumber::from_components(&[HardwareComponent::new(
            "machine-id",
            "4c4c4544-0042-3510-8052-b4c04f4a4e32",
        )])
        .expect("one component");
        infra
            .register(serial, "Production", Purpose::Production, ISSUED_AT)
            .expect("free slot");
        (infra, serial, SigningKey::generate())
    }

    /// The sample environment's license file and the key that signed it.
    pub fn sample_file() -> (LicenseFile, SigningKey) {
        let (infra, serial, key) = sample_infrastructure();
        let file = issue(&infra, &serial, &key, ISSUED_AT).expect("issued");
        (file, key)
    }

    /// The sample environment's license.
    pub fn sample_license() -> License {
        sample_file().0.into_license()
    }

    /// A usage report of the sample production environment: its license's
    /// limits (application objects 450, hard, summed) and a peak of 300
    /// application objects on 2026-06-01.
    pub fn sample_usage_report() -> UsageReport {
        let license = sample_license();
        usage_report_of(&license, license.serial_number, 300)
    }

    /// A report of `license`'s limits for `serial`, with `objects`
    /// application objects on 2026-06-01.
    fn usage_report_of(license: &License, serial: SerialNumber, objects: u64) -> UsageReport {
        let day = Date::new(2026, 6, 1).expect("valid date");
        UsageReport {
            serial_number: serial,
            activation_code: license.activation_code,
            license_id: license.license_id,
            revision: license.revision,
            environment_name: format!("Production {serial}"),
            purpose: Purpose::Production,
            created_at: day.start_of_day().plus_seconds(3600),
            limits: ReportedLimit::of(license),
            peaks: [(
                day,
                [(limit::APPLICATION_OBJECTS.to_owned(), objects)].into(),
            )]
            .into(),
        }
    }

    /// The summary of two production environments of the sample
    /// infrastructure using `first` and `second` application objects.
    pub fn sample_usage_summary(first: u64, second: u64) -> UsageSummary {
        usage_summary_for(&sample_license(), first, second)
    }

    /// The summary of two production environments of `license`'s
    /// infrastructure, `license`'s own and another, using `first` and
    /// `second` application objects.
    pub fn usage_summary_for(license: &License, first: u64, second: u64) -> UsageSummary {
        let license = license.clone();
        let other =
            SerialNumber::from_components(&[HardwareComponent::new("machine-id", "second")])
                .expect("one component");
        let reports = [
            usage_report_of(&license, license.serial_number, first),
            usage_report_of(&license, other, second),
        ];
        UsageSummary::from_reports(&reports, ISSUED_AT).expect("one infrastructure")
    }

    /// Reads a store's `state` file as a store with the id `store_id`
    /// would (`None`: a store of 0.1, without one), for the fuzzer:
    /// whether it would be believed.
    pub fn read_store_state(bytes: &[u8], store_id: Option<&str>) -> bool {
        crate::store::read_state_for_fuzzing(bytes, store_id)
    }
}
