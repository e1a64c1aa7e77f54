//! `licensing demo`: the whole flow in a temporary folder, one numbered
//! step at a time, each checking that it behaved as expected.

use crate::failure::{Failure, Outcome, invalid};
use crate::files::{self, Access, Existing};
use crate::present;
use licensing::limit::{APPLICATION_OBJECTS, EXTERNAL_USERS, INTERNAL_USERS};
use licensing::{
    ActivationCode, CodeError, CodePosition, Correction, DAY, HardwareComponent, Infrastructure,
    LicenseFile, LicenseState, LimitTerms, MachineIdentity, Purpose, RegistryError,
    SERIAL_ALGORITHM, SerialNumber, Signer, SigningKey, SigningRequest, Slots, Subscription, Terms,
    Timestamp, ValidationError, Validator, issue, license_for,
};
use licensing::{ActivationRequest, LicenseStore, Standing, UsageSummary};
use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::Path;

/// A step's result: what went differently from the expectation.
type Check<T> = Result<T, String>;

pub fn run() -> Outcome {
    let mut demo = Demo { step: 0 };
    match demo.tour() {
        Ok(()) => {
            say!();
            say!("All {} steps behaved as expected.", demo.step);
            Ok(())
        }
        Err(message) => Err(invalid(format!(
            "demo step {} did not behave as expected: {message}",
            demo.step
        ))),
    }
}

struct Demo {
    step: usize,
}

fn io(failure: Failure) -> String {
    failure.to_string()
}

/// The environments of the tour: name, purpose and example hardware.
const MACHINES: [(&str, Purpose, &str, &str); 3] = [
    (
        "Development",
        Purpose::Development,
        "02:fc:00:00:00:01",
        "4c4c4544-0044-3010-8052-b4c04f4a4e31",
    ),
    (
        "Quality",
        Purpose::NonProduction,
        "02:fc:00:00:00:02",
        "4c4c4544-0044-3010-8052-b4c04f4a4e32",
    ),
    (
        "Production",
        Purpose::Production,
        "02:fc:00:00:00:03",
        "4c4c4544-0044-3010-8052-b4c04f4a4e33",
    ),
];

fn serial_of(mac: &str, machine_id: &str) -> Check<SerialNumber> {
    SerialNumber::from_components(&[
        HardwareComponent::new("mac", mac),
        HardwareComponent::new("machine-id", machine_id),
    ])
    .map_err(|e| e.to_string())
}

/// `expected` when `result` is the error `matches` accepts, else what happened.
fn refused<T, E: Display>(
    result: Result<T, E>,
    expected: &str,
    matches: impl Fn(&E) -> bool,
) -> Check<E> {
    match result {
        Ok(_) => Err(format!("expected {expected}, but it was accepted")),
        Err(e) if matches(&e) => Ok(e),
        Err(e) => Err(format!("expected {expected}, found: {e}")),
    }
}

impl Demo {
    fn step(&mut self, text: impl Display) {
        self.step += 1;
        say!("{:>2}. {text}", self.step);
    }

    fn detail(&self, text: impl Display) {
        for line in text.to_string().lines() {
            if line.is_empty() {
                say!();
            } else {
                say!("    {line}");
            }
        }
    }

    fn tour(&mut self) -> Check<()> {
        let folder = tempfile::Builder::new()
            .prefix("licensing-demo-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
        let dir = folder.path();
        say!("Working in {} (removed at the end)", dir.display());
        let now = Timestamp::now();

        let key = self.keys(dir)?;
        let mut infra = self.subscription(dir, now)?;
        let code = infra.subscription().activation_code();
        self.mistyped_code(code)?;
        self.this_machine();
        let serials = self.serials()?;
        self.serial_as_code(&serials[2])?;
        self.register(dir, &mut infra, &serials, now)?;
        self.no_free_slot(&mut infra, now)?;
        let [development, _, production] = serials;
        let file = self.issue(dir, &infra, &production, &key, now)?;

        let trusted = files::load_trusted_keys(&dir.join("vendor.pub")).map_err(io)?;
        let validator = Validator::new(trusted);
        let bytes = files::read(&dir.join("production.lic"), "license file").map_err(io)?;
        let valid = validator
            .validate(&bytes, &production, Some(&code), now)
            .map_err(|e| format!("the fresh license was refused: {e}"))?;
        self.step(format!(
            "Validated production.lic on Production: {}",
            valid.state()
        ));
        if valid.state() != LicenseState::Active {
            return Err(format!(
                "expected active (the subscription ends in a year), found {}",
                valid.state()
            ));
        }

        self.tampered(&validator, &bytes, &production, now)?;

        let wrong = validator.validate(&bytes, &development, Some(&code), now);
        let error = refused(wrong, "WrongSerial", |e| {
            matches!(e, ValidationError::WrongSerial { .. })
        })?;
        self.step("Installed Production's license on Development: refused");
        self.detail(error);

        let grace_end = file
            .license()
            .grace_ends_at()
            .ok_or("the license has no end, so it cannot expire")?;
        let late = grace_end.plus_seconds(DAY);
        let expired = validator.validate(&bytes, &production, Some(&code), late);
        let error = refused(expired, "Expired", |e| {
            matches!(e, ValidationError::Expired { .. })
        })?;
        self.step(format!(
            "Validated at {late}, a day after the grace period: refused"
        ));
        self.detail(error);

        self.external_signing(dir, &infra, &production, &key, &validator, now)?;
        self.store(dir, &bytes, &validator, &production, now)?;
        self.exchange(dir, &mut infra, &key, &validator, &production, now)?;
        self.registry(dir, &infra, &key, &validator, now)?;

        self.step("The licensing page, as the administrator sees it:");
        say!();
        self.detail(present::licensing_page(valid.license()));
        Ok(())
    }

    /// Installs the license in a store and shows what the runtime may do,
    /// with usage over the hard application-objects limit.
    fn store(
        &mut self,
        dir: &Path,
        bytes: &[u8],
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Check<()> {
        let store = LicenseStore::create(dir.join("store")).map_err(|e| e.to_string())?;
        let trial = store
            .status(validator, serial, now, &BTreeMap::new())
            .map_err(|e| e.to_string())?;
        if !matches!(trial.standing, Standing::Trial { days_left: 30 }) {
            return Err(format!(
                "expected a fresh 30-day trial, found {:?}",
                trial.standing
            ));
        }
        store
            .install(bytes, validator, serial, now, false)
            .map_err(|e| format!("the license was not installed: {e}"))?;
        let usage = BTreeMap::from([(APPLICATION_OBJECTS.to_owned(), 460)]);
        let status = store
            .status(validator, serial, now, &usage)
            .map_err(|e| e.to_string())?;
        let d = &status.decisions;
        if !(d.run.allowed && !d.publish.allowed && d.administer.allowed) {
            return Err(format!(
                "expected run yes, publish no, administer yes; found {d:?}"
            ));
        }
        self.step(format!(
            "Started on a 30-day trial, then installed production.lic in the store {}; with 460 application objects in use:",
            dir.join("store").display()
        ));
        for (what, decision) in [
            ("run", &d.run),
            ("publish", &d.publish),
            ("administer", &d.administer),
        ] {
            let answer = if decision.allowed { "yes" } else { "no" };
            self.detail(format!("{what:<10} {answer:<3} ({})", decision.reason));
        }
        for warning in &status.warnings {
            self.detail(format!("warning: {warning}"));
        }
        Ok(())
    }

    /// The offline exchange: a second production environment asks for
    /// registration with a request file, and the usage of both production
    /// environments is summed against the application-objects limit.
    fn exchange(
        &mut self,
        dir: &Path,
        infra: &mut Infrastructure,
        key: &SigningKey,
        validator: &Validator,
        production: &SerialNumber,
        now: Timestamp,
    ) -> Check<()> {
        let e = |e: &dyn Display| e.to_string();
        // Production 2's store; its identity pinned, as on a cluster.
        let store2 = LicenseStore::create(dir.join("store-2"))
            .map_err(|x| e(&x))?
            .with_identity(MachineIdentity::pinned("acme-production-2"));
        let code = infra.subscription().activation_code();
        let version = "11.14".parse().map_err(|x| e(&x))?;
        let request = store2
            .activation_request(
                code,
                "Production 2",
                Purpose::Production,
                Some(version),
                now,
            )
            .map_err(|x| e(&x))?;
        let request_path = dir.join("production-2.request");
        files::write(
            &request_path,
            request.to_armored().as_bytes(),
            Existing::Refuse,
            Access::Normal,
        )
        .map_err(io)?;
        let received = ActivationRequest::parse(
            &files::read(&request_path, "activation request").map_err(io)?,
        )
        .map_err(|x| e(&x))?;
        let mut terms = infra.subscription().terms().clone();
        terms.slots.production = 2;
        infra.amend(terms).map_err(|x| e(&x))?;
        infra.register_request(&received, now).map_err(|x| e(&x))?;
        files::save_infrastructure(&dir.join("acme.json"), infra, Existing::Replace).map_err(io)?;
        self.step(format!(
            "Production 2 wrote an activation request (production-2.request: serial {}, nobody typed it); the vendor added a production slot and registered it",
            received.serial_number
        ));
        let serial2 = store2.serial_number().map_err(|x| e(&x))?;
        let file2 = issue(infra, &serial2, key, now).map_err(|x| e(&x))?;
        store2
            .install(&file2.to_bytes(), validator, &serial2, now, false)
            .map_err(|x| e(&x))?;
        let usage = BTreeMap::from([(APPLICATION_OBJECTS.to_owned(), 300)]);
        let alone = store2
            .status(validator, &serial2, now, &usage)
            .map_err(|x| e(&x))?;
        if !alone.decisions.publish.allowed {
            return Err("300 application objects of 450 were refused on their own".into());
        }
        let store1 = LicenseStore::open(dir.join("store")).map_err(|x| e(&x))?;
        let reports = [
            store1
                .usage_report(validator, production, now)
                .map_err(|x| e(&x))?,
            store2
                .usage_report(validator, &serial2, now)
                .map_err(|x| e(&x))?,
        ];
        let summary = UsageSummary::from_reports(&reports, now).map_err(|x| e(&x))?;
        let total = summary
            .totals
            .iter()
            .find(|t| t.limit.name == APPLICATION_OBJECTS)
            .ok_or("application-objects is not summed")?;
        if summary.exceeded_hard_limits().is_empty() {
            return Err(format!("expected the total {} over 450", total.total));
        }
        store2
            .install_usage_summary(summary.to_armored().as_bytes(), validator, &serial2, now)
            .map_err(|x| e(&x))?;
        let summed = store2
            .status(validator, &serial2, now, &usage)
            .map_err(|x| e(&x))?;
        let d = &summed.decisions;
        if !d.run.allowed || d.publish.allowed {
            return Err(format!("expected run yes, publish no; found {d:?}"));
        }
        self.step(format!(
            "Usage reports of both production environments summed: application-objects {} of {} across production; given the summary, Production 2 (300 of its own) stops publishing:",
            total.total, total.limit.value
        ));
        for (what, decision) in [("run", &d.run), ("publish", &d.publish)] {
            let answer = if decision.allowed { "yes" } else { "no" };
            self.detail(format!("{what:<10} {answer:<3} ({})", decision.reason));
        }
        Ok(())
    }

    /// The vendor's registry (SQLite): the subscription imported, renewed
    /// (the next revision), every environment's license issued on every
    /// core and recorded, the history with its operators.
    fn registry(
        &mut self,
        dir: &Path,
        infra: &Infrastructure,
        key: &SigningKey,
        validator: &Validator,
        now: Timestamp,
    ) -> Check<()> {
        let e = |e: &dyn Display| e.to_string();
        let location = dir.join("vendor.db");
        let mut registry = licensing_registry::Registry::init(&location.display().to_string())
            .map_err(|x| e(&x))?;
        let code = registry.import(infra, "alice", now).map_err(|x| e(&x))?;
        let mut terms = infra.subscription().terms().clone();
        terms.ends = terms
            .ends
            .map(|end| end.end_of_day().plus_seconds(365 * DAY).date());
        let renewed = registry
            .update_terms(&code, infra.subscription().revision(), terms, "bob", now)
            .map_err(|x| e(&x))?;
        let files = licensing::issue_all(&renewed, key, now).map_err(|x| e(&x))?;
        registry
            .record_licenses(&files, "bob", now)
            .map_err(|x| e(&x))?;
        let revision = renewed.subscription().revision();
        for (file, environment) in files.iter().zip(renewed.environments()) {
            let valid = validator
                .validate(
                    &file.to_bytes(),
                    &environment.serial_number,
                    Some(&code),
                    now,
                )
                .map_err(|x| format!("{}'s renewed license: {x}", environment.name))?;
            if valid.license().revision != revision {
                return Err(format!(
                    "expected revision {revision}, found {}",
                    valid.license().revision
                ));
            }
        }
        let found = registry
            .find(&renewed.environments()[0].serial_number.to_string())
            .map_err(|x| e(&x))?
            .and_then(|f| f.latest_license)
            .ok_or("the registry did not find the first environment's license")?;
        if found.1 != revision {
            return Err(format!(
                "the latest license recorded is revision {}",
                found.1
            ));
        }
        self.step(format!(
            "The vendor's registry (vendor.db): the subscription renewed to revision {revision}, its {} licenses issued on every core, each valid, and recorded. Its history:",
            files.len()
        ));
        for entry in registry.history(&code).map_err(|x| e(&x))? {
            self.detail(format!("{:<6} {}", entry.operator, entry.what));
        }
        Ok(())
    }

    fn keys(&mut self, dir: &Path) -> Check<SigningKey> {
        let key = SigningKey::generate();
        let private = key.to_pkcs8_pem().map_err(|e| e.to_string())?;
        let public = key.public_key().to_pem().map_err(|e| e.to_string())?;
        files::write(
            &dir.join("vendor.key"),
            private.as_bytes(),
            Existing::Refuse,
            Access::OwnerOnly,
        )
        .map_err(io)?;
        files::write(
            &dir.join("vendor.pub"),
            public.as_bytes(),
            Existing::Refuse,
            Access::Normal,
        )
        .map_err(io)?;
        self.step(format!(
            "Generated the vendor's keys vendor.key and vendor.pub: key id {}",
            key.public_key().key_id()
        ));
        Ok(key)
    }

    fn subscription(&mut self, dir: &Path, now: Timestamp) -> Check<Infrastructure> {
        let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
        terms.ends = Some(now.plus_seconds(365 * DAY).date());
        terms.slots = Slots {
            development: 1,
            non_production: 1,
            production: 1,
        };
        for (name, value) in [
            (INTERNAL_USERS, 100),
            (EXTERNAL_USERS, 10_000),
            (APPLICATION_OBJECTS, 450),
        ] {
            terms
                .limits
                .insert(name.into(), LimitTerms::with_defaults(name, value));
        }
        terms.features.insert("multi-tenancy".into());
        terms.features.insert("sap-connector".into());
        let infra = Infrastructure::new(Subscription::new(terms).map_err(|e| e.to_string())?);
        files::save_infrastructure(&dir.join("acme.json"), &infra, Existing::Refuse).map_err(io)?;
        let subscription = infra.subscription();
        self.step(format!(
            "Created the subscription for Acme Corp in acme.json: activation code {}",
            subscription.activation_code()
        ));
        self.detail(format!(
            "Enterprise edition, premium support, ends {}, slots 1 development / 1 non-production / 1 production",
            present::end_date(subscription.terms().ends)
        ));
        Ok(infra)
    }

    /// An administrator pastes the serial number where the activation
    /// code goes: the check characters tell which kind of code it is.
    fn serial_as_code(&mut self, serial: &SerialNumber) -> Check<()> {
        let pasted = serial.to_string();
        let error = match ActivationCode::parse(&pasted) {
            Ok(_) => {
                return Err(format!(
                    "the serial number {pasted} was taken as an activation code"
                ));
            }
            Err(e) if e.to_string().contains("this is a serial number") => e,
            Err(e) => {
                return Err(format!(
                    "the serial number {pasted} was refused, but not as a serial number: {e}"
                ));
            }
        };
        self.step(format!(
            "Pasted Production's serial number {pasted} where the activation code goes: refused"
        ));
        self.detail(error);
        Ok(())
    }

    fn mistyped_code(&mut self, code: ActivationCode) -> Check<()> {
        let text = code.to_string();
        let at = CodePosition {
            group: 3,
            character: 2,
        };
        let index = usize::from(at.group - 1) * 4 + usize::from(at.character - 1);
        let original = text
            .chars()
            .nth(index)
            .ok_or("the activation code is too short")?;
        let mut caught = None;
        for typo in licensing::ALPHABET
            .iter()
            .map(|&c| char::from(c))
            .filter(|&c| c != original)
        {
            let typed: String = text
                .chars()
                .enumerate()
                .map(|(i, c)| if i == index { typo } else { c })
                .collect();
            match ActivationCode::parse(&typed) {
                Ok(_) => return Err(format!("the mistyped code {typed} was accepted")),
                Err(e) => {
                    let pinpointed = matches!(
                        &e,
                        CodeError::Mistyped {
                            correction: Some(Correction::Replace { at: found, with }),
                            ..
                        } if *found == at && *with == original
                    );
                    // Prefer a typo the check characters pinpoint; any
                    // refusal still shows the typo was caught.
                    if pinpointed || caught.is_none() {
                        caught = Some((typed, e));
                    }
                    if pinpointed {
                        break;
                    }
                }
            }
        }
        let (typed, error) = caught.ok_or("no mistyped code was tried")?;
        self.step(format!(
            "Typed the activation code with a mistake at {at}: {typed} is refused"
        ));
        self.detail(error);
        Ok(())
    }

    /// This machine's own serial number, explained; never fails the tour (a
    /// bare container has nothing stable to read: it gets the pin advice).
    fn this_machine(&mut self) {
        match MachineIdentity::from_env().fingerprint(None) {
            Ok(fingerprint) => {
                let kinds: Vec<String> = fingerprint
                    .components
                    .iter()
                    .map(|c| c.kind.clone())
                    .collect();
                self.step(format!(
                    "This machine's own serial number: {}",
                    fingerprint.serial_number
                ));
                let from = if fingerprint.pinned {
                    "a pinned identity"
                } else {
                    "its hardware"
                };
                self.detail(format!(
                    "Algorithm version {SERIAL_ALGORITHM}, from {from}: {}.\n\
                     `licensing serial --explain` shows each component's source and hash; \
                     the examples below use made-up hardware so the tour is the same everywhere.",
                    licensing::kinds_in_words(&kinds)
                ));
            }
            Err(e) => {
                self.step("This machine's own serial number: none could be made");
                self.detail(format!(
                    "{e}\nThe examples below use made-up hardware, so the tour goes on."
                ));
            }
        }
    }

    fn serials(&mut self) -> Check<[SerialNumber; 3]> {
        let mut serials = Vec::new();
        self.step("Derived the serial numbers of 3 environments from their hardware:");
        for (name, _, mac, machine_id) in MACHINES {
            let serial = serial_of(mac, machine_id)?;
            self.detail(format!(
                "{name:<12} mac={mac} machine-id={machine_id} -> {serial}"
            ));
            if serials.contains(&serial) {
                return Err(format!("two environments got the same serial {serial}"));
            }
            serials.push(serial);
        }
        serials
            .try_into()
            .map_err(|_| "expected 3 serial numbers".to_owned())
    }

    fn register(
        &mut self,
        dir: &Path,
        infra: &mut Infrastructure,
        serials: &[SerialNumber; 3],
        now: Timestamp,
    ) -> Check<()> {
        self.step("Registered the environments in the subscription's slots:");
        for ((name, purpose, _, _), serial) in MACHINES.into_iter().zip(serials) {
            infra
                .register(*serial, name, purpose, now)
                .map_err(|e| e.to_string())?;
            self.detail(format!(
                "{name:<12} {:<15} {} of {} {purpose} slots used",
                purpose.as_str(),
                infra.used(purpose),
                infra.subscription().terms().slots.allowed(purpose)
            ));
        }
        files::save_infrastructure(&dir.join("acme.json"), infra, Existing::Replace).map_err(io)
    }

    fn no_free_slot(&mut self, infra: &mut Infrastructure, now: Timestamp) -> Check<()> {
        let serial = serial_of("02:fc:00:00:00:04", "4c4c4544-0044-3010-8052-b4c04f4a4e34")?;
        let second = infra.register(serial, "Production 2", Purpose::Production, now);
        let error = refused(second, "NoFreeSlot", |e| {
            matches!(e, RegistryError::NoFreeSlot { .. })
        })?;
        self.step("Registered a second production environment: refused");
        self.detail(error);
        Ok(())
    }

    fn issue(
        &mut self,
        dir: &Path,
        infra: &Infrastructure,
        production: &SerialNumber,
        key: &SigningKey,
        now: Timestamp,
    ) -> Check<LicenseFile> {
        let file = issue(infra, production, key, now).map_err(|e| e.to_string())?;
        let size = files::save_license(&dir.join("production.lic"), &file, false, Existing::Refuse)
            .map_err(io)?;
        let armored = file.to_armored();
        let parsed = LicenseFile::parse(armored.as_bytes()).map_err(|e| e.to_string())?;
        if parsed.to_bytes() != file.to_bytes() {
            return Err("the text form does not read back as the same file".into());
        }
        self.step(format!(
            "Issued Production's license production.lic: {size} bytes; its text form:"
        ));
        self.detail(armored);
        Ok(file)
    }

    fn tampered(
        &mut self,
        validator: &Validator,
        bytes: &[u8],
        production: &SerialNumber,
        now: Timestamp,
    ) -> Check<()> {
        let mut tampered = bytes.to_vec();
        let name = b"Acme Corp";
        let (offset, what) = match bytes.windows(name.len()).position(|w| w == name) {
            Some(at) => (at, "'Acme Corp' became 'acme Corp'"),
            None => (bytes.len().saturating_sub(1), "in the signature"),
        };
        let byte = tampered
            .get_mut(offset)
            .ok_or("the license file is empty")?;
        *byte ^= 0x20;
        let result = validator.validate(&tampered, production, None, now);
        let error = refused(result, "BadSignature", |e| {
            matches!(e, ValidationError::BadSignature { .. })
        })?;
        self.step(format!(
            "Flipped one byte of a copy (byte {offset}: {what}): refused"
        ));
        self.detail(error);
        Ok(())
    }

    fn external_signing(
        &mut self,
        dir: &Path,
        infra: &Infrastructure,
        production: &SerialNumber,
        key: &SigningKey,
        validator: &Validator,
        now: Timestamp,
    ) -> Check<()> {
        let license = license_for(infra, production, now).map_err(|e| e.to_string())?;
        let request =
            SigningRequest::new(license, key.public_key().key_id()).map_err(|e| e.to_string())?;
        let input = dir.join("req.bin");
        files::write(&input, &request.message(), Existing::Refuse, Access::Normal).map_err(io)?;
        // The external signer sees only the bytes of the signing input.
        let message = files::read(&input, "signing input").map_err(io)?;
        let signature = Signer::sign(key, &message).map_err(|e| e.to_string())?;
        let file = SigningRequest::from_message(&message)
            .and_then(|r| r.attach(&signature, Some(key.public_key())))
            .map_err(|e| e.to_string())?;
        let size = files::save_license(&dir.join("external.lic"), &file, false, Existing::Refuse)
            .map_err(io)?;
        let valid = validator
            .validate(&file.to_bytes(), production, None, now)
            .map_err(|e| format!("the externally signed license was refused: {e}"))?;
        self.step(format!(
            "Signed externally: req.bin ({} bytes) signed through the Signer trait ({}-byte signature), attached as external.lic ({size} bytes): {}",
            message.len(),
            signature.len(),
            valid.state()
        ));
        Ok(())
    }
}
