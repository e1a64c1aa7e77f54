package dev.licensing;

import static dev.licensing.Fixtures.NOW;
import static dev.licensing.Fixtures.OTHER_SERIAL;
import static dev.licensing.Fixtures.SERIAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendor's grants through the store (a trial extension, a clock reset)
 * and an anchor kept by the host ({@link Store#withAnchor}): tests/c/grants.c
 * through the binding.
 */
class GrantsTest {
    private static final long DAY = 86_400L;
    /** trial-extension.lic's end: 2027-04-01T00:00:00Z. */
    private static final long EXTENSION_UNTIL = 1806537600L;
    /** clock-reset.lic's time: 2026-06-01T12:00:00Z. */
    private static final long RESET_AT = NOW;
    /** 2100-01-01T00:00:00Z: a clock set ahead by mistake. */
    private static final long AHEAD = 4102444800L;

    @TempDir
    Path dir;

    private Validator validator;
    private Store store;

    @BeforeEach
    void open() {
        validator = Fixtures.testValidator();
        store = Store.create(dir);
    }

    @AfterEach
    void close() {
        store.close();
        validator.close();
    }

    private static Status status(Store s, Validator v, long time) {
        return s.status(v, SERIAL, time, null);
    }

    private Status status(long time) {
        return status(store, validator, time);
    }

    private static boolean anyContains(List<String> warnings, String part) {
        return warnings.stream().anyMatch(w -> w.contains(part));
    }

    private static LicensingException fails(ResultCode expected, Executable call) {
        LicensingException e = assertThrows(LicensingException.class, call);
        assertEquals(expected, e.code(), e.getMessage());
        return e;
    }

    /** The trial made over by a state edited by hand (as StoreTest's aStateEditedByHandEndsTheTrialForGood). */
    private void trialOver() throws IOException {
        try (Status s = status(NOW)) {
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(30), s.daysLeft());
        }
        Files.writeString(dir.resolve("state"), "trial-started=4102444800\n");
        try (Status s = status(NOW + DAY)) {
            assertEquals(Standing.TRIAL_OVER, s.standing(), s.warnings().toString());
        }
    }

    // ---- trial extensions --------------------------------------------------

    @Test
    void aTrialExtensionMakesATrialThatIsOverATrialAgain() throws IOException {
        trialOver();
        long until = store.installTrialExtension(validator, Fixtures.bytes("trial-extension.lic"), SERIAL,
                NOW + DAY);
        assertEquals(EXTENSION_UNTIL, until, "the extension's end, 2027-04-01T00:00:00Z");
        try (Status s = status(NOW + 2 * DAY)) {
            assertEquals(Standing.TRIAL, s.standing(), "the trial runs again whatever the state said: "
                    + s.warnings());
            assertTrue(s.mayRun());
            long days = (EXTENSION_UNTIL - (NOW + 2 * DAY) + DAY - 1) / DAY;
            assertEquals(OptionalInt.of((int) days), s.daysLeft(), "a part day counting as one");
        }
        try (Status s = status(EXTENSION_UNTIL)) {
            assertEquals(Standing.TRIAL_OVER, s.standing(), "over at the extension's end");
            assertFalse(s.mayRun());
        }
    }

    @Test
    void refusedTrialExtensionsLeaveTheTrialOver() throws IOException {
        trialOver();
        byte[] extension = Fixtures.bytes("trial-extension.lic");
        LicensingException wrongSerial = fails(ResultCode.WRONG_SERIAL,
                () -> store.installTrialExtension(validator, extension, OTHER_SERIAL, NOW));
        assertTrue(wrongSerial.detail().contains("the trial extension is for serial " + SERIAL),
                wrongSerial.detail());
        assertTrue(wrongSerial.code().isLicenseInvalid());
        LicensingException notAnExtension = fails(ResultCode.MALFORMED,
                () -> store.installTrialExtension(validator, Fixtures.bytes("prod.lic"), SERIAL, NOW));
        assertTrue(notAnExtension.detail().contains("not a trial extension file"), notAnExtension.detail());
        fails(ResultCode.MALFORMED, () -> store.installTrialExtension(validator, new byte[0], SERIAL, NOW));
        try (Validator stranger = new Validator(Fixtures.untrustedKey())) {
            fails(ResultCode.UNKNOWN_KEY, () -> store.installTrialExtension(stranger, extension, SERIAL, NOW));
        }
        byte[] altered = extension.clone();
        altered[70] ^= 0x01; // inside the signature
        fails(ResultCode.BAD_SIGNATURE, () -> store.installTrialExtension(validator, altered, SERIAL, NOW));
        try (Status s = status(NOW + DAY)) {
            assertEquals(Standing.TRIAL_OVER, s.standing(), "a refused extension changes nothing");
        }
        // The binding's own checks, before any native call.
        assertThrows(NullPointerException.class, () -> store.installTrialExtension(validator, null, SERIAL, NOW));
        assertThrows(NullPointerException.class, () -> store.installTrialExtension(null, extension, SERIAL, NOW));
        assertThrows(IllegalArgumentException.class,
                () -> store.installTrialExtension(validator, extension, SERIAL + "\0", NOW));
        fails(ResultCode.INVALID_SERIAL_NUMBER,
                () -> store.installTrialExtension(validator, extension, "not-a-serial", NOW));
    }

    @Test
    void aTrialExtensionNeedsAnOpenStoreAndValidator() {
        byte[] extension = Fixtures.bytes("trial-extension.lic");
        Validator closed = Fixtures.testValidator();
        closed.close();
        assertThrows(IllegalStateException.class, () -> store.installTrialExtension(closed, extension, SERIAL, NOW));
        store.close();
        assertThrows(IllegalStateException.class,
                () -> store.installTrialExtension(validator, extension, SERIAL, NOW));
        assertThrows(IllegalStateException.class, () -> store.resetClock(validator, extension, SERIAL, NOW));
        assertThrows(IllegalStateException.class, () -> store.withAnchor(new MemoryAnchor()));
    }

    // ---- clock resets -------------------------------------------------------

    /** prod.lic installed a day before NOW, then the clock set to 2100 by mistake and fixed. */
    private void clockSetAheadAndFixed() {
        long t0 = NOW - DAY;
        store.install(validator, Fixtures.bytes("prod.lic"), SERIAL, t0, false).close();
        try (Status s = status(AHEAD)) {
            assertEquals(Standing.EXPIRED, s.standing());
        }
        try (Status s = status(t0)) {
            assertEquals(Standing.EXPIRED, s.standing(), "judged at the latest time seen, in 2100");
            assertTrue(anyContains(s.warnings(), "clock"), s.warnings().toString());
        }
    }

    @Test
    void aClockResetBringsTheLatestTimeSeenBackOnce() {
        clockSetAheadAndFixed();
        byte[] reset = Fixtures.bytes("clock-reset.lic");
        long latest = store.resetClock(validator, reset, SERIAL, NOW - DAY);
        assertEquals(RESET_AT, latest, "the reset's time, later than the clock here");
        try (Status s = status(RESET_AT)) {
            assertEquals(Standing.ACTIVE, s.standing(), s.warnings().toString());
            assertTrue(s.mayRun());
            assertEquals(List.of(), s.warnings(), "no clock warning any more");
        }
        LicensingException used = fails(ResultCode.CLOCK_RESET_USED,
                () -> store.resetClock(validator, reset, SERIAL, RESET_AT));
        assertTrue(used.detail().contains("already applied"), used.detail());
        assertEquals(505, used.rawCode());
        assertFalse(used.code().isMisuse() || used.code().isEnvironment() || used.code().isLicenseInvalid(),
                "CLOCK_RESET_USED is an answer, none of the three kinds");
    }

    @Test
    void refusedClockResetsChangeNothing() {
        clockSetAheadAndFixed();
        byte[] reset = Fixtures.bytes("clock-reset.lic");
        fails(ResultCode.WRONG_SERIAL, () -> store.resetClock(validator, reset, OTHER_SERIAL, NOW - DAY));
        LicensingException notAReset = fails(ResultCode.MALFORMED,
                () -> store.resetClock(validator, Fixtures.bytes("trial-extension.lic"), SERIAL, NOW - DAY));
        assertTrue(notAReset.detail().contains("not a clock reset file"), notAReset.detail());
        try (Validator stranger = new Validator(Fixtures.untrustedKey())) {
            fails(ResultCode.UNKNOWN_KEY, () -> store.resetClock(stranger, reset, SERIAL, NOW - DAY));
        }
        assertThrows(NullPointerException.class, () -> store.resetClock(validator, null, SERIAL, NOW));
        assertThrows(NullPointerException.class, () -> store.resetClock(null, reset, SERIAL, NOW));
        assertThrows(IllegalArgumentException.class, () -> store.resetClock(validator, reset, "\0", NOW));
        try (Status s = status(NOW)) {
            assertEquals(Standing.EXPIRED, s.standing(), "still judged in 2100: " + s.warnings());
        }
        // The refusals did not use the reset up.
        assertEquals(RESET_AT, store.resetClock(validator, reset, SERIAL, NOW - DAY));
    }

    // ---- anchors ------------------------------------------------------------

    /** The host's anchor: a few keys in memory, counting the calls. */
    static final class MemoryAnchor implements Anchor {
        final Map<String, byte[]> saved = new ConcurrentHashMap<>();
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger saves = new AtomicInteger();

        @Override
        public byte[] load(String key) {
            loads.incrementAndGet();
            byte[] data = saved.get(key);
            return data == null ? null : data.clone();
        }

        @Override
        public void save(String key, byte[] data) {
            saves.incrementAndGet();
            assertTrue(data.length <= Anchor.MAX_LENGTH, "asked to keep " + data.length + " bytes");
            saved.put(key, data.clone());
        }
    }

    @Test
    void anAnchorKeepsTheTrialOverWhenTheStateIsDeleted() throws IOException {
        MemoryAnchor anchor = new MemoryAnchor();
        Store anchored = store.withAnchor(anchor);
        store.close(); // the anchored store is a store of its own
        try (anchored) {
            assertFalse(anchored.isClosed());
            try (Status s = status(anchored, validator, NOW)) {
                assertEquals(Standing.TRIAL, s.standing());
                assertEquals(OptionalInt.of(30), s.daysLeft());
            }
            assertTrue(anchor.saves.get() >= 1, "the trial's start is saved in the anchor");
            assertEquals(1, anchor.saved.size(), "under one key: " + anchor.saved.keySet());
            String key = anchor.saved.keySet().iterator().next();
            assertTrue(key.matches("[0-9a-f]+"), "a hex key: " + key);
            byte[] record = anchor.saved.get(key);
            assertArrayEquals("licensing-anchor 1\n".getBytes(StandardCharsets.US_ASCII),
                    Arrays.copyOf(record, 19), new String(record, StandardCharsets.UTF_8));
            try (Status s = status(anchored, validator, NOW + 7 * DAY)) {
                assertEquals(Standing.TRIAL, s.standing());
                assertEquals(OptionalInt.of(23), s.daysLeft());
            }
            // Deleting the state (and the store's id) no longer restarts the trial:
            // the anchor remembers that this store was used.
            Files.delete(dir.resolve("state"));
            Files.delete(dir.resolve("store-id"));
            int loadsBefore = anchor.loads.get();
            try (Status s = status(anchored, validator, NOW + 8 * DAY)) {
                assertEquals(Standing.TRIAL_OVER, s.standing(), s.warnings().toString());
                assertFalse(s.mayRun());
                assertTrue(anyContains(s.warnings(), "altered or reset"), s.warnings().toString());
            }
            assertTrue(anchor.loads.get() > loadsBefore, "the anchor was read");
        }
    }

    /** An anchor that fails: throws, or (tooLong) returns more than the buffer holds. */
    static final class FailingAnchor implements Anchor {
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger saves = new AtomicInteger();
        private final int mode;

        FailingAnchor(int mode) {
            this.mode = mode;
        }

        @Override
        public byte[] load(String key) throws Exception {
            loads.incrementAndGet();
            switch (mode) {
                case 0:
                    throw new IOException("the anchor's database is down");
                case 1:
                    throw new AssertionError("not even an Exception");
                default:
                    return new byte[Anchor.MAX_LENGTH + 4000];
            }
        }

        @Override
        public void save(String key, byte[] data) throws Exception {
            saves.incrementAndGet();
            if (mode == 1) {
                throw new AssertionError("not even an Exception");
            }
            throw new IOException("the anchor's database is down");
        }
    }

    @Test
    void anAnchorThatFailsNeverStopsTheStore() {
        for (int mode = 0; mode <= 2; mode++) {
            Path other = dir.resolve("failing-" + mode);
            FailingAnchor failing = new FailingAnchor(mode);
            try (Store plain = Store.create(other); Store anchored = plain.withAnchor(failing)) {
                try (Status s = status(anchored, validator, NOW)) {
                    assertEquals(Standing.TRIAL, s.standing(), "mode " + mode + ": " + s.warnings());
                    assertEquals(OptionalInt.of(30), s.daysLeft());
                }
                try (Status s = status(anchored, validator, NOW + DAY)) {
                    assertEquals(Standing.TRIAL, s.standing(), "mode " + mode + ": " + s.warnings());
                    assertEquals(OptionalInt.of(29), s.daysLeft());
                }
                assertTrue(failing.loads.get() >= 1 && failing.saves.get() >= 1,
                        "mode " + mode + ": loads " + failing.loads + ", saves " + failing.saves);
            }
        }
    }

    @Test
    void anAnchoredStoreKeepsItsCallbacksAlive() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Map<String, byte[]> saved = new ConcurrentHashMap<>();
        // Only the store refers to the anchor (and to the JNA callbacks over it).
        Store anchored = store.withAnchor(new Anchor() {
            @Override
            public byte[] load(String key) {
                calls.incrementAndGet();
                return saved.get(key);
            }

            @Override
            public void save(String key, byte[] data) {
                calls.incrementAndGet();
                saved.put(key, data);
            }
        });
        try (anchored) {
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            int before = calls.get();
            try (Status s = status(anchored, validator, NOW)) {
                assertEquals(Standing.TRIAL, s.standing());
            }
            assertTrue(calls.get() > before, "the callbacks still reach the anchor after a collection");
            assertFalse(saved.isEmpty());
        }
        // The plain store is still the caller's, and still works.
        try (Status s = status(NOW + DAY)) {
            assertEquals(Standing.TRIAL, s.standing());
            assertEquals(OptionalInt.of(29), s.daysLeft());
        }
    }

    @Test
    void withAnchorArguments() {
        assertThrows(NullPointerException.class, () -> store.withAnchor(null));
        Store a = store.withAnchor(new MemoryAnchor());
        Store b = store.withAnchor(new MemoryAnchor());
        assertNotEquals(a, b, "each call makes a new store");
        a.close();
        a.close(); // idempotent
        assertTrue(a.isClosed());
        assertThrows(IllegalStateException.class, () -> status(a, validator, NOW));
        try (b; Status s = status(b, validator, NOW)) {
            assertEquals(Standing.TRIAL, s.standing(), "closing one anchored store leaves the others");
        }
        assertFalse(store.isClosed());
    }
}
