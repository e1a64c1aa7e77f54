//! An activation request: the file an environment writes so that the vendor
//! can register it without anyone typing its serial number (docs/FORMAT.md
//! section 13.2). Air-gapped sites carry it out on a USB stick or in a
//! mail; the vendor's tool registers it (`Infrastructure::register_request`)
//! and issues the license as usual.

use crate::exchange::{ExchangeError, Kind, Reader, Writer};
use crate::infrastructure::{Environment, Infrastructure, RegistryError};
use crate::{ActivationCode, PlatformVersion, Purpose, SerialNumber, Timestamp};

pub(crate) const KIND: Kind = Kind {
    name: "activation request",
    magic: b"LICQ",
    domain: b"licensing/activation-request\0",
    begin: "-----BEGIN LICENSING ACTIVATION REQUEST-----",
    end: "-----END LICENSING ACTIVATION REQUEST-----",
};

/// What an environment asks the vendor to register: its serial number
/// under an activation code, with its name and purpose.
///
/// ```
/// use licensing::{ActivationRequest, Infrastructure, Purpose, Subscription, Terms, Slots, Timestamp};
///
/// // The vendor's subscription with one production slot.
/// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
/// terms.slots = Slots { production: 1, ..Slots::default() };
/// let mut infra = Infrastructure::new(Subscription::new(terms)?);
///
/// // On the environment (a store writes it with its own serial:
/// // `LicenseStore::activation_request`).
/// let serial: licensing::SerialNumber = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T".parse()?;
/// let request = ActivationRequest::new(serial, infra.subscription().activation_code(), "Production", Purpose::Production, None, Timestamp::now())?;
/// let file = request.to_armored();
/// assert!(file.starts_with("-----BEGIN LICENSING ACTIVATION REQUEST-----"));
///
/// // At the vendor's.
/// let received = ActivationRequest::parse(file.as_bytes())?;
/// infra.register_request(&received, Timestamp::now())?;
/// assert_eq!(infra.environment(&serial).unwrap().name, "Production");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationRequest {
    /// The environment's serial number.
    pub serial_number: SerialNumber,
    /// The subscription it asks to join.
    pub activation_code: ActivationCode,
    /// The environment's name, as the license will show it.
    pub environment_name: String,
    /// What the environment is for: the slot it takes.
    pub purpose: Purpose,
    /// The platform version the environment runs, when known.
    pub platform_version: Option<PlatformVersion>,
    /// When it was written.
    pub created_at: Timestamp,
}

impl ActivationRequest {
    /// A request; the name is checked as registration checks it (1 to 100
    /// printable characters).
    ///
    /// ```
    /// use licensing::{ActivationRequest, Purpose, RegistryError, SerialNumber, Timestamp};
    /// # let code = licensing::testing::sample_infrastructure().0.subscription().activation_code();
    /// let serial = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6".parse::<SerialNumber>()?;
    /// let err = ActivationRequest::new(serial, code, " ", Purpose::NonProduction, None, Timestamp::now()).unwrap_err();
    /// assert!(matches!(err, RegistryError::BadName(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        serial_number: SerialNumber,
        activation_code: ActivationCode,
        environment_name: &str,
        purpose: Purpose,
        platform_version: Option<PlatformVersion>,
        created_at: Timestamp,
    ) -> Result<Self, RegistryError> {
        let environment_name = environment_name.trim();
        crate::infrastructure::check_name(environment_name)?;
        Ok(Self {
            serial_number,
            activation_code,
            environment_name: environment_name.to_owned(),
            purpose,
            platform_version,
            created_at,
        })
    }

    /// The file, in its text armor (checksummed: damage is detected).
    ///
    /// ```
    /// # use licensing::{ActivationRequest, Purpose, SerialNumber, Timestamp};
    /// # let code = licensing::testing::sample_infrastructure().0.subscription().activation_code();
    /// let request = ActivationRequest::new("3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6".parse::<SerialNumber>()?, code, "QA", Purpose::NonProduction, Some("11.14".parse()?), Timestamp::now())?;
    /// assert_eq!(ActivationRequest::parse(request.to_armored().as_bytes())?, request);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_armored(&self) -> String {
        let mut w = Writer::default();
        w.bytes(&self.serial_number.to_bytes());
        w.bytes(&self.activation_code.to_bytes());
        w.u8(purpose_byte(self.purpose));
        w.i64(self.created_at.unix_seconds());
        w.string(&self.environment_name);
        let parts = self
            .platform_version
            .as_ref()
            .map_or(&[][..], |v| v.parts());
        w.u8(parts.len() as u8);
        for &part in parts {
            w.u32(part);
        }
        KIND.write(&w.0)
    }

    /// Reads a request (armored, anywhere in a mail, or binary); a damaged
    /// or altered one is [`ExchangeError::Damaged`].
    ///
    /// ```
    /// # use licensing::{ActivationRequest, ExchangeError, Purpose, SerialNumber, Timestamp};
    /// # let code = licensing::testing::sample_infrastructure().0.subscription().activation_code();
    /// # let request = ActivationRequest::new("3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6".parse::<SerialNumber>()?, code, "QA", Purpose::NonProduction, None, Timestamp::now())?;
    /// let mut text = request.to_armored().into_bytes();
    /// text[60] = if text[60] == b'A' { b'B' } else { b'A' }; // one character changed in transit
    /// assert!(matches!(ActivationRequest::parse(&text), Err(ExchangeError::Damaged { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(file: &[u8]) -> Result<Self, ExchangeError> {
        let mut buffer = Vec::new();
        let content = KIND.read(file, &mut buffer)?;
        let mut r = Reader::new(KIND.name, content);
        let serial_number = SerialNumber::from_bytes(&r.array("serial_number")?)
            .ok_or_else(|| r.error("serial_number", "not a serial number"))?;
        let activation_code = ActivationCode::from_bytes(&r.array("activation_code")?)
            .ok_or_else(|| r.error("activation_code", "not an activation code"))?;
        let purpose = purpose_of(r.u8("purpose")?).ok_or_else(|| r.error("purpose", "unknown"))?;
        let created_at = Timestamp::from_unix_seconds(r.i64("created_at")?);
        let environment_name = r.string("environment_name")?;
        let count = usize::from(r.u8("platform_version")?);
        let mut parts = Vec::with_capacity(count);
        for _ in 0..count {
            parts.push(r.u32("platform_version")?);
        }
        let platform_version = match count {
            0 => None,
            _ => Some(
                PlatformVersion::from_parts(parts)
                    .ok_or_else(|| r.error("platform_version", "too many parts"))?,
            ),
        };
        r.end()?;
        Ok(Self {
            serial_number,
            activation_code,
            environment_name,
            purpose,
            platform_version,
            created_at,
        })
    }
}

pub(crate) fn purpose_byte(purpose: Purpose) -> u8 {
    match purpose {
        Purpose::Development => 0,
        Purpose::NonProduction => 1,
        Purpose::Production => 2,
        Purpose::Management => 3,
    }
}

pub(crate) fn purpose_of(byte: u8) -> Option<Purpose> {
    Some(match byte {
        0 => Purpose::Development,
        1 => Purpose::NonProduction,
        2 => Purpose::Production,
        3 => Purpose::Management,
        _ => return None,
    })
}

impl Infrastructure {
    /// Registers the environment an activation request describes, into a
    /// free slot of its purpose; refused when the request is for another
    /// subscription, and for every reason [`Infrastructure::register`]
    /// refuses.
    ///
    /// ```
    /// use licensing::{ActivationCode, ActivationRequest, Purpose, RegistryError, SerialNumber, Timestamp};
    /// let (mut infra, _, _) = licensing::testing::sample_infrastructure();
    /// let other: ActivationCode = "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V".parse()?;
    /// let request = ActivationRequest::new("3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6".parse::<SerialNumber>()?, other, "QA", Purpose::NonProduction, None, Timestamp::now())?;
    /// let err = infra.register_request(&request, Timestamp::now()).unwrap_err();
    /// assert!(matches!(err, RegistryError::OtherSubscription { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register_request(
        &mut self,
        request: &ActivationRequest,
        at: Timestamp,
    ) -> Result<&Environment, RegistryError> {
        let this = self.subscription().activation_code();
        if request.activation_code != this {
            return Err(RegistryError::OtherSubscription {
                requested: request.activation_code,
                this,
            });
        }
        self.register(
            request.serial_number,
            &request.environment_name,
            request.purpose,
            at,
        )
    }
}

impl crate::LicenseStore {
    /// The activation request of this environment: its serial number as
    /// the store keeps it (the store's fingerprint record and identity
    /// policy, as `status` uses), under `activation_code`.
    ///
    /// ```
    /// use licensing::{ActivationRequest, LicenseStore, MachineIdentity, Purpose, Timestamp};
    /// # let code = licensing::testing::sample_infrastructure().0.subscription().activation_code();
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?.with_identity(MachineIdentity::pinned("acme-qa"));
    /// let request = store.activation_request(code, "QA", Purpose::NonProduction, None, Timestamp::now())?;
    /// assert_eq!(request.serial_number, store.serial_number()?);
    /// std::fs::write(dir.path().join("qa.request"), request.to_armored())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn activation_request(
        &self,
        activation_code: ActivationCode,
        environment_name: &str,
        purpose: Purpose,
        platform_version: Option<PlatformVersion>,
        now: Timestamp,
    ) -> Result<ActivationRequest, crate::StoreError> {
        // The caller's mistake is told before the machine's (no identity).
        crate::infrastructure::check_name(environment_name.trim())
            .map_err(crate::StoreError::Request)?;
        let serial = self.serial_number()?;
        ActivationRequest::new(
            serial,
            activation_code,
            environment_name,
            purpose,
            platform_version,
            now,
        )
        .map_err(crate::StoreError::Request)
    }
}
