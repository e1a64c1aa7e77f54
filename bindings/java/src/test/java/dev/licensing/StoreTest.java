package dev.licensing;

import static dev.licensing.Fixtures.CODE;
import static dev.licensing.Fixtures.NOW;
import static dev.licensing.Fixtures.SERIAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The license store through Store and Status, on the fixtures of tests/vectors. */
class StoreTest {
    private static final long DAY = 86_400L;
    private static final String PROD_ID = "766563746f722d70726f642d30303031";
    /** prod-renewal.lic: revision 8 of prod.lic's environment. */
    private static final String RENEWAL_ID = "766563746f722d70726f642d30303032";

    @TempDir
    Path dir;

    private Validator validator;
    private Store store;

    @BeforeEach
    void open() {
        validator = Fixtures.testValidator();
        // A fresh directory: the installer's call creates the store (open only opens one).
        store = Store.create(dir);
    }

    @AfterEach
    void close() {
        store.close();
        validator.close();
    }

    /** Every file of the store (but the lock file) and its bytes. */
    private Map<String, String> snapshot() {
        Map<String, String> files = everyFile(dir);
        files.keySet().removeIf(name -> name.endsWith(".lock") || name.equals("lock"));
        return files;
    }

    /**
     * Every file in {@code directory} (the lock file too) and its bytes, as
     * text: printable ASCII and newlines as themselves, any other byte as
     * {@code \xNN} (compared exactly, and a text file such as {@code state}
     * reads as itself in a failure); a subdirectory as its name and "/".
     */
    private static Map<String, String> everyFile(Path directory) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    files.put(name + "/", "");
                    continue;
                }
                StringBuilder text = new StringBuilder();
                for (byte x : Files.readAllBytes(p)) {
                    int c = x & 0xff;
                    text.append(c == '\n' || (c >= 0x20 && c < 0x7f && c != '\\') ? String.valueOf((char) c)
                            : String.format("\\x%02x", c));
                }
                files.put(name, text.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private License installProd() {
        return store.install(validator, Fixtures.bytes("prod.lic"), SERIAL, NOW, false);
    }

    private Status status(long time, Map<String, Long> usage) {
        return store.status(validator, SERIAL, time, usage);
    }

    private static boolean anyContains(List<String> warnings, String... parts) {
        return warnings.stream().anyMatch(w -> Stream.of(parts).allMatch(w::contains));
    }

    @Test
    void installProdAtTheFixtureTime() throws IOException {
        try (License l = installProd()) {
            assertEquals(PROD_ID, l.licenseId());
            assertEquals(SERIAL, l.serialNumber());
            assertEquals(CODE, l.activationCode());
            assertEquals(State.ACTIVE, l.state());
        }
        assertArrayEquals(Fixtures.bytes("prod.lic"), Files.readAllBytes(dir.resolve("license.lic")));
        assertFalse(Files.exists(dir.resolve("license.lic.bak")), "nothing to back up on the first install");
        try (Status s = status(NOW, Map.of())) {
            assertEquals(Standing.ACTIVE, s.standing());
            // Active: the days until expiry (lic_status_standing said 0 before lic_status_days_left).
            assertEquals(OptionalInt.of(579), s.daysLeft(), "2026-06-01T12:00Z to 2028-01-01T00:00Z: 578.5 days,"
                    + " a part day counting as one");
            assertTrue(s.mayRun());
            assertTrue(s.mayPublish());
            assertTrue(s.mayAdminister());
            assertEquals(List.of(), s.warnings());
            Optional<License> license = s.license();
            assertTrue(license.isPresent());
            try (License l = license.get()) {
                assertEquals(PROD_ID, l.licenseId());
                assertEquals(450L, l.limit("application-objects").getAsLong());
            }
        }
    }

    @Test
    void aNewStoreObjectSeesTheInstalledLicense() {
        installProd().close();
        try (Store again = Store.open(dir); Status s = again.status(validator, SERIAL, NOW, null)) {
            assertEquals(Standing.ACTIVE, s.standing());
            assertEquals(PROD_ID, s.license().map(l -> {
                try (l) {
                    return l.licenseId();
                }
            }).orElse("none"));
        }
    }

    @Test
    void tamperedLicenseIsRefusedAndTheStoreIsUnchanged() {
        installProd().close();
        Map<String, String> before = snapshot();
        assertTrue(before.containsKey("license.lic"), before.keySet().toString());
        LicensingException e = assertThrows(LicensingException.class,
                () -> store.install(validator, Fixtures.bytes("tampered-body.lic"), SERIAL, NOW, false));
        assertEquals(ResultCode.BAD_SIGNATURE, e.code());
        assertFalse(e.detail().isBlank());
        assertEquals(before, snapshot());
        assertEquals(ResultCode.NO_BACKUP,
                assertThrows(LicensingException.class, () -> store.restore(validator, SERIAL, NOW)).code());
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.ACTIVE, s.standing());
        }
    }

    @Test
    void tamperedLicenseOnAnEmptyStoreInstallsNothing() {
        LicensingException e = assertThrows(LicensingException.class,
                () -> store.install(validator, Fixtures.bytes("tampered-body.lic"), SERIAL, NOW, true));
        assertEquals(ResultCode.BAD_SIGNATURE, e.code());
        assertFalse(Files.exists(dir.resolve("license.lic")));
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.TRIAL, s.standing());
        }
    }

    @Test
    void restoreWithoutBackup() {
        LicensingException e = assertThrows(LicensingException.class, () -> store.restore(validator, SERIAL, NOW));
        assertEquals(ResultCode.NO_BACKUP, e.code());
        installProd().close();
        e = assertThrows(LicensingException.class, () -> store.restore(validator, SERIAL, NOW));
        assertEquals(ResultCode.NO_BACKUP, e.code());
    }

    @Test
    void restoreBringsThePreviousLicenseBack() throws IOException {
        installProd().close();
        // prod.pem is the text form of prod.lic: the same revision, so not a downgrade.
        try (License l = store.install(validator, Fixtures.bytes("prod.pem"), SERIAL, NOW, false)) {
            assertEquals(PROD_ID, l.licenseId());
        }
        assertArrayEquals(Fixtures.bytes("prod.lic"), Files.readAllBytes(dir.resolve("license.lic.bak")));
        try (License l = store.restore(validator, SERIAL, NOW)) {
            assertEquals(PROD_ID, l.licenseId());
        }
        assertArrayEquals(Fixtures.bytes("prod.lic"), Files.readAllBytes(dir.resolve("license.lic")));
    }

    @Test
    void renewalThenDowngradeRefusedForcedAndRestored() throws IOException {
        // prod-renewal.lic is revision 8 of prod.lic's environment (revision 7),
        // with "tenants" raised from 25 to 50; both are valid at NOW.
        try (License l = store.install(validator, Fixtures.bytes("prod-renewal.lic"), SERIAL, NOW, false)) {
            assertEquals(8L, l.revision());
            assertEquals(RENEWAL_ID, l.licenseId());
            assertEquals(50L, l.limit("tenants").getAsLong());
        }

        // Revision 7 over revision 8: a downgrade, refused without force.
        Map<String, String> before = snapshot();
        LicensingException e = assertThrows(LicensingException.class,
                () -> store.install(validator, Fixtures.bytes("prod.lic"), SERIAL, NOW, false));
        assertEquals(ResultCode.DOWNGRADE, e.code());
        assertEquals(501, e.rawCode());
        assertTrue(e.detail().contains("revision 7 but revision 8"), e.detail());
        assertTrue(e.getMessage().contains("LIC_DOWNGRADE"), e.getMessage());
        assertEquals(before, snapshot());
        try (Status s = status(NOW, null); License l = s.license().orElseThrow()) {
            assertEquals(Standing.ACTIVE, s.standing());
            assertEquals(8L, l.revision(), "the refused file changed nothing");
            assertEquals(50L, l.limits().get("tenants"));
        }

        // On purpose: force.
        try (License l = store.install(validator, Fixtures.bytes("prod.lic"), SERIAL, NOW, true)) {
            assertEquals(7L, l.revision());
            assertEquals(PROD_ID, l.licenseId());
            assertEquals(25L, l.limit("tenants").getAsLong());
        }
        assertArrayEquals(Fixtures.bytes("prod.lic"), Files.readAllBytes(dir.resolve("license.lic")));
        assertArrayEquals(Fixtures.bytes("prod-renewal.lic"), Files.readAllBytes(dir.resolve("license.lic.bak")));

        // Restore brings revision 8 back and keeps revision 7 as the backup.
        try (License l = store.restore(validator, SERIAL, NOW)) {
            assertEquals(8L, l.revision());
            assertEquals(RENEWAL_ID, l.licenseId());
            assertEquals(50L, l.limit("tenants").getAsLong());
        }
        assertArrayEquals(Fixtures.bytes("prod-renewal.lic"), Files.readAllBytes(dir.resolve("license.lic")));
        assertArrayEquals(Fixtures.bytes("prod.lic"), Files.readAllBytes(dir.resolve("license.lic.bak")));
    }

    /** Installs prod.lic (revision 7), then prod-renewal.lic (revision 8) over it. */
    private void installProdThenRenewal() {
        installProd().close();
        try (License l = store.install(validator, Fixtures.bytes("prod-renewal.lic"), SERIAL, NOW, false)) {
            assertEquals(8L, l.revision());
        }
    }

    /** The revision of the active license, as a status sees it. */
    private long activeRevision() {
        try (Status s = status(NOW, null); License l = s.license().orElseThrow()) {
            return l.revision();
        }
    }

    @Test
    void backupIsEmptyWithoutOne() {
        assertEquals(Optional.empty(), store.backup(validator, SERIAL, NOW));
        installProd().close();
        assertEquals(Optional.empty(), store.backup(validator, SERIAL, NOW), "nothing replaced yet");
        assertFalse(Files.exists(dir.resolve("license.lic.bak")));
    }

    @Test
    void backupShowsWhatRestoreWouldBringBackAndChangesNothing() {
        installProdThenRenewal();
        Map<String, String> before = snapshot();
        for (int i = 0; i < 2; i++) {
            try (License l = store.backup(validator, SERIAL, NOW).orElseThrow()) {
                assertEquals(7L, l.revision());
                assertEquals(PROD_ID, l.licenseId());
                assertEquals(25L, l.limit("tenants").getAsLong());
            }
            assertEquals(before, snapshot(), "backup() call " + (i + 1) + " changed the store");
        }
        assertEquals(8L, activeRevision(), "the active license is still the renewal");
    }

    @Test
    void afterRestoreTheBackupIsTheLicenseRestoreReplaced() throws IOException {
        installProdThenRenewal();
        try (License backup = store.backup(validator, SERIAL, NOW).orElseThrow();
                License restored = store.restore(validator, SERIAL, NOW)) {
            assertEquals(backup.licenseId(), restored.licenseId(), "restore brings back what backup showed");
            assertEquals(7L, restored.revision());
        }
        // The swap: revision 7 is active, revision 8 (which restore replaced) is the backup.
        assertEquals(7L, activeRevision());
        assertArrayEquals(Fixtures.bytes("prod.lic"), Files.readAllBytes(dir.resolve("license.lic")));
        assertArrayEquals(Fixtures.bytes("prod-renewal.lic"), Files.readAllBytes(dir.resolve("license.lic.bak")));
        try (License l = store.backup(validator, SERIAL, NOW).orElseThrow()) {
            assertEquals(8L, l.revision());
            assertEquals(RENEWAL_ID, l.licenseId());
            assertEquals(50L, l.limit("tenants").getAsLong());
        }
        assertEquals(7L, activeRevision(), "backup() did not restore");
    }

    @Test
    void backupForAnotherSerialIsRefused() {
        installProdThenRenewal();
        Map<String, String> before = snapshot();
        LicensingException e = assertThrows(LicensingException.class,
                () -> store.backup(validator, Fixtures.OTHER_SERIAL, NOW));
        assertEquals(ResultCode.WRONG_SERIAL, e.code());
        assertFalse(e.detail().isBlank());
        assertEquals(before, snapshot());
        assertEquals(ResultCode.INVALID_SERIAL_NUMBER,
                assertThrows(LicensingException.class, () -> store.backup(validator, "not-a-serial", NOW)).code());
        assertEquals(8L, activeRevision());
    }

    @Test
    void licenseForAnotherSerialIsRefused() {
        Map<String, String> before = snapshot();
        LicensingException e = assertThrows(LicensingException.class,
                () -> store.install(validator, Fixtures.bytes("dev-never-expires.lic"), SERIAL, NOW, false));
        assertEquals(ResultCode.WRONG_SERIAL, e.code());
        assertEquals(before, snapshot());
        assertFalse(Files.exists(dir.resolve("license.lic")));
    }

    @Test
    void emptyStoreIsOnTheTrial() {
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(30), s.daysLeft());
            assertTrue(s.mayRun());
            assertTrue(s.mayPublish());
            assertTrue(s.mayAdminister());
            assertEquals(List.of(), s.warnings());
            assertEquals(Optional.empty(), s.license());
        }
    }

    @Test
    void daysLeftUntilExpiryThenUntilTheEndOfGraceThenNone() {
        installProd().close();
        // prod.lic expires 2028-01-01T00:00Z; its grace period ends 2028-01-31T00:00Z.
        try (Status s = status(1828850400L, null)) { // 2027-12-14T14:00Z
            assertEquals(Standing.EXPIRING_SOON, s.standing());
            assertEquals(OptionalInt.of(17), s.daysLeft());
        }
        try (Status s = status(1831075200L, null)) { // 2028-01-10T00:00Z
            assertEquals(Standing.IN_GRACE, s.standing());
            assertEquals(OptionalInt.of(21), s.daysLeft());
        }
        try (Status s = status(1832889600L + DAY, null)) { // 2028-02-01T00:00Z
            assertEquals(Standing.EXPIRED, s.standing());
            assertEquals(OptionalInt.of(0), s.daysLeft());
            assertFalse(s.mayRun());
        }
    }

    @Test
    void aLicenseThatNeverExpiresHasNoDaysLeft() {
        // dev-never-expires.lic is for OTHER_SERIAL's environment.
        store.install(validator, Fixtures.bytes("dev-never-expires.lic"), Fixtures.OTHER_SERIAL, NOW, false).close();
        try (Status s = store.status(validator, Fixtures.OTHER_SERIAL, NOW, null)) {
            assertEquals(Standing.ACTIVE, s.standing());
            assertEquals(OptionalInt.empty(), s.daysLeft());
            assertTrue(s.toString().contains("never expires"), s.toString());
            assertTrue(s.mayRun());
        }
    }

    @Test
    void trialIsOverAfter31Days() {
        status(NOW, null).close();
        try (Status s = status(NOW + 25 * DAY, null)) {
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(5), s.daysLeft());
            assertTrue(anyContains(s.warnings(), "the trial ends within 5 days"), s.warnings().toString());
        }
        try (Status s = status(NOW + 31 * DAY, null)) {
            assertEquals(Standing.TRIAL_OVER, s.standing());
            assertEquals(OptionalInt.of(0), s.daysLeft());
            assertFalse(s.mayRun());
            assertFalse(s.mayPublish());
            assertTrue(s.mayAdminister());
            assertTrue(s.warnings().contains("the trial is over: install a license"), s.warnings().toString());
            assertEquals(Optional.empty(), s.license());
        }
    }

    @Test
    void trialLimitsApply() {
        try (Status s = status(NOW, Map.of("application-objects", 151L))) {
            assertEquals(Standing.TRIAL, s.standing());
            assertTrue(s.mayRun());
            assertFalse(s.mayPublish());
            assertTrue(anyContains(s.warnings(), "application-objects 151/150", "hard"), s.warnings().toString());
        }
    }

    @Test
    void usageOverAHardLimitBlocksPublishingOnly() {
        installProd().close();
        try (Status s = status(NOW, Map.of("application-objects", 450L))) {
            assertTrue(s.mayPublish(), "450 of 450 is not over the limit");
            assertEquals(List.of(), s.warnings());
        }
        try (Status s = status(NOW, Map.of("application-objects", 451L))) {
            assertEquals(Standing.ACTIVE, s.standing());
            assertTrue(s.mayRun());
            assertFalse(s.mayPublish());
            assertTrue(s.mayAdminister());
            assertTrue(anyContains(s.warnings(), "application-objects", "451/450", "hard limit"),
                    s.warnings().toString());
        }
    }

    @Test
    void severalUsageEntriesAreAllRead() {
        installProd().close();
        // Three contiguous lic_usage_entry: the interesting ones are not first.
        Map<String, Long> usage = new LinkedHashMap<>();
        usage.put("internal-users", 5L);
        usage.put("external-users", 10_001L);
        usage.put("application-objects", 451L);
        try (Status s = status(NOW, usage)) {
            List<String> w = s.warnings();
            assertEquals(2, w.size(), w.toString());
            assertTrue(anyContains(w, "external-users 10001/10000", "soft limit"), w.toString());
            assertTrue(anyContains(w, "application-objects 451/450", "hard limit"), w.toString());
            assertFalse(s.mayPublish());
            assertTrue(s.mayRun());
        }
        // Over a soft limit only: publishing goes on.
        try (Status s = status(NOW, Map.of("external-users", 10_001L))) {
            assertTrue(s.mayPublish());
            assertTrue(anyContains(s.warnings(), "external-users", "soft limit"), s.warnings().toString());
        }
    }

    @Test
    void negativeUsageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> status(NOW, Map.of("application-objects", -1L)));
        assertThrows(IllegalArgumentException.class, () -> status(NOW, Map.of("a\0b", 1L)));
        assertThrows(IllegalArgumentException.class, () -> preview(NOW, Map.of("application-objects", -1L)));
        assertThrows(IllegalArgumentException.class, () -> preview(NOW, Map.of("a\0b", 1L)));
        assertFalse(Files.exists(dir.resolve("state")), "a rejected call records nothing");
    }

    @Test
    void clockTurnedBackMoreThanADayWarns() {
        status(NOW, null).close();
        try (Status s = status(NOW - 23 * 3600, null)) {
            assertFalse(anyContains(s.warnings(), "clock"), "23 h is within the tolerance: " + s.warnings());
        }
        try (Status s = status(NOW - 25 * 3600, null)) {
            assertTrue(anyContains(s.warnings(), "clock", "turned back"), s.warnings().toString());
            assertEquals(Standing.TRIAL, s.standing());
            assertTrue(s.mayRun());
        }
    }

    @Test
    void clockTurnedBackDoesNotRestartTheTrial() {
        status(NOW, null).close();
        status(NOW + 31 * DAY, null).close();
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.TRIAL_OVER, s.standing(), "judged at the latest time seen");
            assertFalse(s.mayRun());
            assertTrue(anyContains(s.warnings(), "clock"), s.warnings().toString());
        }
    }

    private static final String ALTERED = "the licensing state of this store was altered or reset";

    /** Whether {@code warnings} hold the warning of a state found altered, with what to do about it. */
    private static boolean saysAltered(List<String> warnings) {
        return warnings.stream().anyMatch(w -> w.startsWith(ALTERED)
                && w.contains("install a license, or ask the vendor for a trial extension"));
    }

    @Test
    void aStateEditedByHandEndsTheTrialForGood() throws IOException {
        status(NOW, null).close(); // the trial starts now
        assertTrue(Files.exists(dir.resolve("state")), "the first status records the trial");
        // A trial that would start in 2100, written by hand (no mac: not the store's own writing).
        Files.writeString(dir.resolve("state"), "trial-started=4102444800\n");
        try (Status s = assertDoesNotThrow(() -> status(NOW + DAY, null),
                "an altered state is a standing, not a CORRUPT_STATE failure")) {
            assertEquals(Standing.TRIAL_OVER, s.standing(), s.warnings().toString());
            assertFalse(s.mayRun());
            assertFalse(s.mayPublish());
            assertTrue(s.mayAdminister(), "an administrator can still install a license");
            assertEquals(OptionalInt.of(0), s.daysLeft());
            assertEquals(Optional.empty(), s.license());
            assertTrue(saysAltered(s.warnings()), s.warnings().toString());
        }
        // The store's own rewrite of the state does not bring the trial back.
        try (Status s = status(NOW + 2 * DAY, null)) {
            assertEquals(Standing.TRIAL_OVER, s.standing(), "the trial never restarts: " + s.warnings());
            assertFalse(s.mayRun());
        }
    }

    @Test
    void aDamagedStateWarnsButALicenseKeepsRunningUntilInstalledAgain() throws IOException {
        installProd().close();
        status(NOW, null).close();
        Path state = dir.resolve("state");
        byte[] bytes = Files.readAllBytes(state);
        assertTrue(bytes.length > 0, "the status recorded a state");
        bytes[bytes.length / 2] ^= 0x01; // one byte flipped
        Files.write(state, bytes);
        try (Status s = assertDoesNotThrow(() -> status(NOW, null),
                "a damaged state is a warning, not a CORRUPT_STATE failure")) {
            assertEquals(Standing.ACTIVE, s.standing(), "a valid license keeps running: " + s.warnings());
            assertTrue(s.mayRun());
            assertTrue(saysAltered(s.warnings()), s.warnings().toString());
            try (License l = s.license().orElseThrow()) {
                assertEquals(PROD_ID, l.licenseId());
            }
        }
        // Installing the license again clears the warning.
        installProd().close();
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.ACTIVE, s.standing());
            assertTrue(s.mayRun());
            assertEquals(List.of(), s.warnings());
        }
    }

    @Test
    void reasonsOnAnEmptyStore() {
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.TRIAL, s.standing());
            assertTrue(s.runReason().contains("trial"), s.runReason());
            assertTrue(s.mayPublish());
            assertFalse(s.publishReason().isBlank());
            assertFalse(s.publishReason().contains("over"), s.publishReason());
            assertTrue(s.administerReason().contains("install a license"), s.administerReason());
        }
    }

    @Test
    void reasonsOverAHardLimit() {
        installProd().close();
        String within;
        try (Status s = status(NOW, Map.of("application-objects", 450L))) {
            within = s.publishReason();
            assertFalse(within.contains("application-objects"), within);
        }
        try (Status s = status(NOW, Map.of("application-objects", 451L))) {
            assertFalse(s.mayPublish());
            assertTrue(s.publishReason().contains("application-objects 451/450"), s.publishReason());
            assertTrue(s.publishReason().contains("hard limit"), s.publishReason());
            assertNotEquals(within, s.publishReason());
            assertTrue(s.mayRun());
            assertEquals("licensed", s.runReason());
            assertFalse(s.runReason().contains("trial"), s.runReason());
        }
    }

    @Test
    void reasonsWhenTheTrialIsOver() {
        status(NOW, null).close();
        try (Status s = status(NOW + 31 * DAY, null)) {
            assertEquals(Standing.TRIAL_OVER, s.standing());
            assertFalse(s.mayRun());
            assertTrue(s.runReason().contains("trial is over"), s.runReason());
            assertTrue(s.publishReason().contains("trial is over"), s.publishReason());
            assertTrue(s.mayAdminister());
            assertTrue(s.administerReason().contains("install a license"), s.administerReason());
        }
    }

    @Test
    void reasonsAreReadWhateverTheFirstBufferSize() {
        int saved = NativeStrings.initialCapacity;
        NativeStrings.initialCapacity = 1;
        try (Status s = status(NOW, null)) {
            assertTrue(s.runReason().contains("trial"), s.runReason());
            assertTrue(s.administerReason().length() > 1, s.administerReason());
        } finally {
            NativeStrings.initialCapacity = saved;
        }
    }

    @Test
    void judgedAtIsTheTimeGiven() {
        try (Status s = status(NOW, null)) {
            assertEquals(Instant.ofEpochSecond(NOW), s.judgedAt());
        }
        try (Status s = status(NOW + 3 * DAY + 17, null)) {
            assertEquals(Instant.ofEpochSecond(NOW + 3 * DAY + 17), s.judgedAt());
        }
    }

    @Test
    void judgedAtIsTheLatestTimeSeenWhenTheClockIsTurnedBack() {
        long latest = NOW + 10 * DAY + 5;
        status(NOW, null).close();
        status(latest, null).close();
        try (Status s = status(NOW, null)) {
            assertTrue(anyContains(s.warnings(), "clock", "turned back"), s.warnings().toString());
            assertEquals(Instant.ofEpochSecond(latest), s.judgedAt());
        }
    }

    @Test
    void aLargerClockToleranceAcceptsAClockTwoDaysBack() {
        status(NOW, null).close();
        try (Status s = status(NOW - 2 * DAY, null)) {
            assertTrue(anyContains(s.warnings(), "clock", "turned back"),
                    "the default store tolerates a day: " + s.warnings());
        }
        try (Store tolerant = Store.open(dir, Duration.ofDays(3));
                Status s = tolerant.status(validator, SERIAL, NOW - 2 * DAY, null)) {
            assertFalse(anyContains(s.warnings(), "clock"), "3 days tolerated: " + s.warnings());
            assertEquals(Standing.TRIAL, s.standing());
            assertTrue(s.mayRun());
        }
        try (Store tolerant = Store.open(dir, Duration.ofDays(3));
                Status s = tolerant.status(validator, SERIAL, NOW - 4 * DAY, null)) {
            assertTrue(anyContains(s.warnings(), "clock", "turned back"),
                    "4 days is beyond a tolerance of 3: " + s.warnings());
        }
    }

    @Test
    void negativeClockToleranceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Store.open(dir, Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> Store.open(dir, null));
    }

    @Test
    void anInstalledLicenseThatIsNotValidHereStopsRunning() throws IOException {
        // Put another environment's license in place behind the store's back.
        Files.write(dir.resolve("license.lic"), Fixtures.bytes("dev-never-expires.lic"));
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.INVALID, s.standing());
            assertEquals(OptionalInt.of(0), s.daysLeft());
            assertFalse(s.mayRun());
            assertFalse(s.mayPublish());
            assertTrue(s.mayAdminister());
            assertEquals(Optional.empty(), s.license());
            assertTrue(anyContains(s.warnings(), "the installed license is not valid here"), s.warnings().toString());
        }
    }

    @Test
    void creatingAStoreWhereAFileIsIsAStoreError() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        LicensingException e = assertThrows(LicensingException.class, () -> Store.create(file));
        assertEquals(ResultCode.STORE_IO, e.code(), e.getMessage());
        assertTrue(e.code().isEnvironment());
        // A file holds no store: opening it says so.
        assertEquals(ResultCode.NO_STORE, assertThrows(LicensingException.class, () -> Store.open(file)).code());
        assertEquals("x", Files.readString(file), "the file is left as it was");
    }

    /** Asserts that opening {@code where} (both overloads) fails with NO_STORE for an operator. */
    private static void openFailsWithNoStore(Path where) {
        List<org.junit.jupiter.api.function.Executable> opens = List.of(
                () -> Store.open(where).close(),
                () -> Store.open(where, Duration.ofDays(3)).close());
        for (org.junit.jupiter.api.function.Executable open : opens) {
            LicensingException e = assertThrows(LicensingException.class, open,
                    "opening " + where + ", which holds no store, should fail rather than start a new trial");
            assertEquals(ResultCode.NO_STORE, e.code(), e.getMessage());
            assertEquals(504, e.rawCode());
            assertTrue(e.code().isEnvironment(), "NO_STORE is for an operator (check the path): " + e.getMessage());
            assertFalse(e.code().isMisuse() || e.code().isLicenseInvalid(), e.getMessage());
            assertTrue(e.detail().contains(where.toString()), "the message should name the directory: " + e.detail());
            assertTrue(e.detail().contains("holds no license store"), e.detail());
            assertTrue(e.getMessage().contains("LIC_NO_STORE"), e.getMessage());
        }
    }

    @Test
    void openingAMissingDirectoryFailsWithNoStoreAndCreatesNothing() {
        Path typo = dir.resolve("licnesing"); // a mistyped path
        openFailsWithNoStore(typo);
        assertFalse(Files.exists(typo), "open must not create the directory it did not find");
    }

    @Test
    void openingAnEmptyDirectoryFailsWithNoStoreAndLeavesItEmpty() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        openFailsWithNoStore(empty);
        assertEquals(Map.of(), everyFile(empty), "open must not write into a directory that holds no store");
    }

    @Test
    void createWritesOnlyTheLockFileThenOpenOpensTheStore() throws IOException {
        Path fresh = dir.resolve("var/lib/acme/license"); // parents missing too
        try (Store created = Store.create(fresh)) {
            assertTrue(Files.isDirectory(fresh), "create makes the directory and its parents");
            assertEquals(Map.of(".lock", ""), everyFile(fresh),
                    "a new store is only its empty lock file until something happens");
            created.install(validator, Fixtures.bytes("prod.lic"), SERIAL, NOW, false).close();
        }
        try (Store opened = Store.open(fresh); Status s = opened.status(validator, SERIAL, NOW, null)) {
            assertEquals(Standing.ACTIVE, s.standing(), "open finds the license installed through create's store");
        }
        // Creating an existing store opens it as it is.
        Map<String, String> before = everyFile(fresh);
        try (Store again = Store.create(fresh); Status s = again.status(validator, SERIAL, NOW, null)) {
            assertEquals(Standing.ACTIVE, s.standing(), "create of an existing store keeps its license");
        }
        assertArrayEquals(Fixtures.bytes("prod.lic"), Files.readAllBytes(fresh.resolve("license.lic")));
        assertEquals(before.keySet(), everyFile(fresh).keySet());
    }

    @Test
    void createThenOpenOfAnEmptyStoreIsOnTheTrial() {
        Path fresh = dir.resolve("fresh");
        Store.create(fresh).close();
        try (Store opened = Store.open(fresh, Duration.ofDays(1));
                Status s = opened.status(validator, SERIAL, NOW, null)) {
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(30), s.daysLeft());
        }
    }

    private Status preview(long time, Map<String, Long> usage) {
        return store.previewStatus(validator, SERIAL, time, usage);
    }

    @Test
    void previewAYearAheadRecordsNothing() {
        status(NOW, null).close(); // the trial starts now
        Map<String, String> before = everyFile(dir);
        assertTrue(before.containsKey("state"), "the first status records the trial: " + before.keySet());
        try (Status s = preview(NOW + 365 * DAY, null)) {
            assertEquals(Standing.TRIAL_OVER, s.standing(), "a year ahead the 30-day trial is over");
            assertEquals(Instant.ofEpochSecond(NOW + 365 * DAY), s.judgedAt(), "judged at the time given");
            assertFalse(s.mayRun());
            assertEquals(OptionalInt.of(0), s.daysLeft());
        }
        assertEquals(before, everyFile(dir), "previewStatus wrote to the store");
        try (Status s = status(NOW, null)) {
            assertFalse(anyContains(s.warnings(), "clock"),
                    "the preview a year ahead must not count as a time the clock showed: " + s.warnings());
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(30), s.daysLeft());
            assertEquals(Instant.ofEpochSecond(NOW), s.judgedAt());
        }
        // The same call as a status does record the time: the clock then looks turned back.
        status(NOW + 365 * DAY, null).close();
        try (Status s = status(NOW, null)) {
            assertTrue(anyContains(s.warnings(), "clock", "turned back"), s.warnings().toString());
        }
    }

    @Test
    void previewShowsTheGracePeriodOfTheInstalledLicenseAndRecordsNothing() {
        installProd().close();
        status(NOW, null).close();
        Map<String, String> before = everyFile(dir);
        // prod.lic expires 2028-01-01T00:00Z; its grace period ends 2028-01-31T00:00Z.
        try (Status s = preview(1831075200L, Map.of("application-objects", 451L))) { // 2028-01-10T00:00Z
            assertEquals(Standing.IN_GRACE, s.standing());
            assertEquals(OptionalInt.of(21), s.daysLeft());
            assertTrue(s.mayRun());
            assertFalse(s.mayPublish(), "the usage figures count in a preview too");
            assertTrue(anyContains(s.warnings(), "application-objects 451/450", "hard limit"),
                    s.warnings().toString());
        }
        assertEquals(before, everyFile(dir), "previewStatus wrote to the store");
        try (Status s = status(NOW, null)) {
            assertEquals(Standing.ACTIVE, s.standing());
            assertEquals(List.of(), s.warnings());
        }
    }

    @Test
    void previewOnAFreshStoreShowsTheTrialWithoutWritingAStateFile() {
        try (Status s = preview(NOW, Map.of("application-objects", 151L))) {
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(30), s.daysLeft());
            assertTrue(s.mayRun());
            assertFalse(s.mayPublish(), "the trial's limits apply in a preview");
            assertEquals(Optional.empty(), s.license());
        }
        assertFalse(Files.exists(dir.resolve("state")), "previewStatus started the trial (wrote the state file)");
        assertEquals(Map.of(".lock", ""), everyFile(dir), "previewStatus wrote to a fresh store");
        // No trial was started by the preview: it starts at the first status, 25 days later.
        status(NOW + 25 * DAY, null).close();
        try (Status s = status(NOW + 26 * DAY, null)) {
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(29), s.daysLeft(), "the trial runs from the first status, not the preview");
        }
    }

    @Test
    void invalidSerialIsReported() {
        LicensingException e = assertThrows(LicensingException.class,
                () -> store.status(validator, "not-a-serial", NOW, null));
        assertEquals(ResultCode.INVALID_SERIAL_NUMBER, e.code());
        e = assertThrows(LicensingException.class, () -> store.previewStatus(validator, "not-a-serial", NOW, null));
        assertEquals(ResultCode.INVALID_SERIAL_NUMBER, e.code(), "previewStatus reports as lic_store_preview_status");
    }

    @Test
    void handlesAfterClose() {
        installProd().close();
        Status s = status(NOW, null);
        License l = s.license().orElseThrow();
        s.close();
        assertDoesNotThrow(s::close);
        assertTrue(s.isClosed());
        assertEquals("Status[closed]", s.toString());
        assertThrows(IllegalStateException.class, s::standing);
        assertThrows(IllegalStateException.class, s::daysLeft);
        assertThrows(IllegalStateException.class, s::warnings);
        assertThrows(IllegalStateException.class, s::license);
        assertThrows(IllegalStateException.class, s::judgedAt);
        assertThrows(IllegalStateException.class, s::runReason);
        assertThrows(IllegalStateException.class, s::publishReason);
        assertThrows(IllegalStateException.class, s::administerReason);
        assertEquals(PROD_ID, l.licenseId(), "a license from a status outlives it");
        l.close();

        Validator closed = Fixtures.testValidator();
        closed.close();
        assertThrows(IllegalStateException.class, () -> store.status(closed, SERIAL, NOW, null));
        assertThrows(IllegalStateException.class, () -> store.previewStatus(closed, SERIAL, NOW, null));
        assertThrows(IllegalStateException.class, () -> store.backup(closed, SERIAL, NOW));

        store.close();
        assertTrue(store.isClosed());
        assertDoesNotThrow(store::close);
        assertThrows(IllegalStateException.class, () -> status(NOW, null));
        assertThrows(IllegalStateException.class, () -> preview(NOW, null));
        assertThrows(IllegalStateException.class, store::serialNumber);
        assertThrows(IllegalStateException.class, () -> store.restore(validator, SERIAL, NOW));
        assertThrows(IllegalStateException.class, () -> store.backup(validator, SERIAL, NOW));
    }
}
