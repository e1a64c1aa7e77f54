package dev.licensing;

import static dev.licensing.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The offline exchange through the Java binding: the environment's activation
 * request ({@link Store#activationRequest}), its usage report
 * ({@link Store#usageReport}) with the daily peaks {@link Store#status}
 * records, and the infrastructure's usage summary
 * ({@link Store#installUsageSummary}), after which a production store judges
 * the limits summed across the production environments on the
 * infrastructure's total. The rules are the library's: these tests check that
 * the binding passes the arguments, returns the text and throws the code it
 * gets back. The vendor's side is the licensing CLI (register, issue,
 * usage-summary): {@code -Dlicensing.cli}, else {@code LICENSING_CLI}, else the
 * one Cargo builds next to the library.
 */
class ExchangeTest {
    private static final String REQUEST_BEGIN = "-----BEGIN LICENSING ACTIVATION REQUEST-----\n";
    private static final String REQUEST_END = "-----END LICENSING ACTIVATION REQUEST-----";
    private static final String REPORT_BEGIN = "-----BEGIN LICENSING USAGE REPORT-----\n";
    private static final String SUMMARY_BEGIN = "-----BEGIN LICENSING USAGE SUMMARY-----\n";

    private static LicensingException refused(ResultCode code, org.junit.jupiter.api.function.Executable call) {
        LicensingException e = assertThrows(LicensingException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    // -- the activation request ----------------------------------------------

    /** The store's serial, or null when this machine has no identity (the request needs one). */
    private static String serialOrNull(Store store) {
        try {
            return store.serialNumber();
        } catch (LicensingException e) {
            assertEquals(ResultCode.NO_HARDWARE_IDENTITY, e.code(), e.getMessage());
            return null;
        }
    }

    @Test
    void aRequestIsArmoredTextOfItsArguments(@TempDir Path dir) {
        try (Store store = Store.create(dir)) {
            if (serialOrNull(store) == null) {
                refused(ResultCode.NO_HARDWARE_IDENTITY,
                        () -> store.activationRequest(Fixtures.CODE, "Production", Purpose.PRODUCTION, null, NOW));
                return;
            }
            String text = store.activationRequest(Fixtures.CODE, "Production", Purpose.PRODUCTION, "11.14", NOW);
            assertTrue(text.startsWith(REQUEST_BEGIN), text);
            assertTrue(text.strip().endsWith(REQUEST_END), text);
            assertEquals(text, store.activationRequest(Fixtures.CODE, "Production", Purpose.PRODUCTION, "11.14", NOW));
            List<String> others = List.of(
                    store.activationRequest(Fixtures.CODE, "Production", Purpose.PRODUCTION, null, NOW),
                    store.activationRequest(Fixtures.CODE, "Staging", Purpose.PRODUCTION, "11.14", NOW),
                    store.activationRequest(Fixtures.CODE, "Production", Purpose.NON_PRODUCTION, "11.14", NOW),
                    store.activationRequest(Fixtures.OTHER_CODE, "Production", Purpose.PRODUCTION, "11.14", NOW),
                    store.activationRequest(Fixtures.CODE, "Production", Purpose.PRODUCTION, "11.14", NOW + 1));
            for (String other : others) {
                assertNotEquals(text, other);
            }
            for (Purpose purpose : Purpose.values()) {
                assertTrue(store.activationRequest(Fixtures.CODE, "QA", purpose, null, null).startsWith(REQUEST_BEGIN));
            }
            assertTrue(store.activationRequest(Fixtures.CODE, "x".repeat(100), Purpose.PRODUCTION, null, NOW)
                    .startsWith(REQUEST_BEGIN));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "XYZ", "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRR", Fixtures.SERIAL})
    void aRequestWithABadCodeIsMisuse(String code, @TempDir Path dir) {
        try (Store store = Store.create(dir)) {
            if (serialOrNull(store) == null) {
                return;
            }
            LicensingException e = refused(ResultCode.INVALID_ACTIVATION_CODE,
                    () -> store.activationRequest(code, "Production", Purpose.PRODUCTION, null, NOW));
            assertTrue(e.code().isMisuse());
            assertTrue(e.detail().contains("activation code"), e.detail());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Prod\u0001uction", "Prod\nuction"})
    void aRequestWithABadNameIsMisuse(String name, @TempDir Path dir) {
        try (Store store = Store.create(dir)) {
            if (serialOrNull(store) == null) {
                return;
            }
            LicensingException e = refused(ResultCode.INVALID_ENVIRONMENT_NAME,
                    () -> store.activationRequest(Fixtures.CODE, name, Purpose.PRODUCTION, null, NOW));
            assertTrue(e.code().isMisuse());
            assertTrue(e.detail().contains("name"), e.detail());
            refused(ResultCode.INVALID_ENVIRONMENT_NAME,
                    () -> store.activationRequest(Fixtures.CODE, "x".repeat(101), Purpose.PRODUCTION, null, NOW));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.x", "", "v11.14", "11..14"})
    void aRequestWithABadPlatformVersionIsMisuse(String version, @TempDir Path dir) {
        try (Store store = Store.create(dir)) {
            if (serialOrNull(store) == null) {
                return;
            }
            refused(ResultCode.INVALID_PLATFORM_VERSION,
                    () -> store.activationRequest(Fixtures.CODE, "Production", Purpose.PRODUCTION, version, NOW));
        }
    }

    @Test
    void aRequestNeedsItsArguments(@TempDir Path dir) {
        Store store = Store.create(dir);
        assertThrows(NullPointerException.class,
                () -> store.activationRequest(null, "Production", Purpose.PRODUCTION, null, NOW));
        assertThrows(NullPointerException.class,
                () -> store.activationRequest(Fixtures.CODE, null, Purpose.PRODUCTION, null, NOW));
        assertThrows(NullPointerException.class,
                () -> store.activationRequest(Fixtures.CODE, "Production", null, null, NOW));
        assertThrows(IllegalArgumentException.class,
                () -> store.activationRequest(Fixtures.CODE, "Prod\0uction", Purpose.PRODUCTION, null, NOW));
        store.close();
        assertThrows(IllegalStateException.class,
                () -> store.activationRequest(Fixtures.CODE, "Production", Purpose.PRODUCTION, null, NOW));
    }

    @Test
    void theVendorRegistersTheRequest(@TempDir Path dir) {
        try (Store store = Store.create(dir.resolve("store"))) {
            String serial = serialOrNull(store);
            if (serial == null) {
                return;
            }
            Cli vendor = new Cli(dir.resolve("vendor"));
            String request = store.activationRequest(vendor.code, "Production Java", Purpose.PRODUCTION, "11.14", NOW);
            vendor.write("java.request", request);
            String out = vendor.run(0, Map.of(), "register", "subscription.json", "--request", "java.request");
            assertTrue(out.contains("registered 'Production Java' (production) with serial " + serial), out);
        }
    }

    // -- the usage report ----------------------------------------------------

    @Test
    void aReportNeedsALicense(@TempDir Path dir) {
        try (Store store = Store.create(dir); Validator validator = Fixtures.testValidator()) {
            LicensingException e = refused(ResultCode.NO_LICENSE,
                    () -> store.usageReport(validator, Fixtures.SERIAL, NOW));
            assertTrue(e.detail().contains(dir.toString()), e.detail());
        }
    }

    @Test
    void aReportCarriesThePeaksTheStatusRecorded(@TempDir Path dir) throws IOException {
        try (Store store = Store.create(dir); Validator validator = Fixtures.testValidator()) {
            store.install(validator, Fixtures.bytes("prod.lic"), Fixtures.SERIAL, NOW, false).close();
            String before = store.usageReport(validator, Fixtures.SERIAL, NOW);
            assertTrue(before.startsWith(REPORT_BEGIN), before);
            try (Status status = store.status(validator, Fixtures.SERIAL, NOW,
                    Map.of("application-objects", 300L, "internal-users", 50L))) {
                assertTrue(status.mayRun() && status.mayPublish(), status.publishReason());
            }
            String record = Files.readString(dir.resolve("usage"), StandardCharsets.UTF_8);
            assertTrue(record.contains("\n2026-06-01 application-objects 300\n"), record);
            assertTrue(record.contains("\n2026-06-01 internal-users 50\n"), record);
            String report = store.usageReport(validator, Fixtures.SERIAL, NOW);
            assertTrue(report.startsWith(REPORT_BEGIN), report);
            assertNotEquals(before, report);
            assertEquals(report, store.usageReport(validator, Fixtures.SERIAL, NOW));
            // A lower usage the same day keeps the peak; a higher one raises it.
            store.status(validator, Fixtures.SERIAL, NOW + 60, Map.of("application-objects", 120L)).close();
            assertEquals(report, store.usageReport(validator, Fixtures.SERIAL, NOW));
            store.status(validator, Fixtures.SERIAL, NOW + 120, Map.of("application-objects", 301L)).close();
            assertNotEquals(report, store.usageReport(validator, Fixtures.SERIAL, NOW));
            // Refused as validation says; an expired license still reports.
            refused(ResultCode.WRONG_SERIAL, () -> store.usageReport(validator, Fixtures.OTHER_SERIAL, NOW));
            refused(ResultCode.INVALID_SERIAL_NUMBER, () -> store.usageReport(validator, "not-a-serial", NOW));
            assertTrue(store.usageReport(validator, Fixtures.SERIAL, 1893456000L).startsWith(REPORT_BEGIN));
            assertThrows(NullPointerException.class, () -> store.usageReport(null, Fixtures.SERIAL, NOW));
        }
    }

    // -- the usage summary ---------------------------------------------------

    @Test
    void whatIsNoSummaryIsRefused(@TempDir Path dir) {
        try (Store store = Store.create(dir); Validator validator = Fixtures.testValidator()) {
            store.install(validator, Fixtures.bytes("prod.lic"), Fixtures.SERIAL, NOW, false).close();
            for (String bytes : List.of("", "hello, this is not a usage summary", SUMMARY_BEGIN + "AAAA\n")) {
                LicensingException e = refused(ResultCode.BAD_USAGE_SUMMARY, () -> store.installUsageSummary(
                        validator, bytes.getBytes(StandardCharsets.UTF_8), Fixtures.SERIAL, NOW));
                assertTrue(e.code().isEnvironment());
                assertTrue(e.detail().contains("summary"), e.detail());
            }
            assertThrows(NullPointerException.class,
                    () -> store.installUsageSummary(validator, null, Fixtures.SERIAL, NOW));
        }
    }

    /** A production environment of the exchange: its store, serial and license. */
    private static Store environment(Path dir, Cli vendor, Validator validator, String letter) {
        String serial = vendor.serialOf("java-test-exchange-" + letter);
        String name = "Production " + letter.toUpperCase(java.util.Locale.ROOT);
        vendor.run(0, Map.of(), "register", "subscription.json", "--serial", serial, "--name", name,
                "--purpose", "production");
        vendor.run(0, Map.of(), "issue", "subscription.json", "--key", "vendor.key", "--serial", serial,
                "--at", "2026-01-01T00:00:00Z", "--out", letter + ".lic");
        Store store = Store.create(dir.resolve("store-" + letter));
        try (License license = store.install(validator, vendor.read(letter + ".lic"), serial, NOW, false)) {
            assertEquals(name, license.environmentName());
            assertEquals(Purpose.PRODUCTION, license.purpose());
            assertEquals(vendor.code, license.activationCode());
        }
        return store;
    }

    @Test
    void aSummaryOf300And300Over450RefusesPublishing(@TempDir Path dir) {
        Cli vendor = new Cli(dir.resolve("vendor"));
        String serialA = vendor.serialOf("java-test-exchange-a");
        String serialB = vendor.serialOf("java-test-exchange-b");
        assertNotEquals(serialA, serialB);
        try (Validator validator = new Validator(new String(vendor.read("vendor.pub"), StandardCharsets.UTF_8));
                Store a = environment(dir, vendor, validator, "a");
                Store b = environment(dir, vendor, validator, "b")) {
            // 300 application objects each: each within its own 450. Their reports.
            for (Object[] e : new Object[][] {{a, serialA, "a"}, {b, serialB, "b"}}) {
                Store store = (Store) e[0];
                try (Status status = store.status(validator, (String) e[1], NOW, Map.of("application-objects", 300L))) {
                    assertTrue(status.mayPublish(), status.publishReason());
                }
                String report = store.usageReport(validator, (String) e[1], NOW);
                assertTrue(report.startsWith(REPORT_BEGIN), report);
                vendor.write(e[2] + ".report", report);
            }
            // Summed by the CLI: 600 of 450 across production (exit 1, the summary written).
            vendor.run(1, Map.of(), "usage-summary", "a.report", "b.report", "--out", "infrastructure.summary");
            byte[] summary = vendor.read("infrastructure.summary");
            assertTrue(new String(summary, StandardCharsets.UTF_8).startsWith(SUMMARY_BEGIN));

            // A store without a license has nothing to give it to.
            try (Store empty = Store.create(dir.resolve("store-empty"))) {
                refused(ResultCode.NO_LICENSE, () -> empty.installUsageSummary(validator, summary, serialA, NOW));
            }
            // Given it, A judges on the infrastructure's total: publishing refused, running goes on.
            a.installUsageSummary(validator, summary, serialA, NOW);
            try (Status status = a.status(validator, serialA, NOW + 60, Map.of("application-objects", 300L))) {
                assertTrue(status.mayRun() && status.mayAdminister(), status.runReason());
                assertFalse(status.mayPublish());
                assertTrue(status.publishReason()
                        .contains("application-objects 600/450 summed across 2 production environments"),
                        status.publishReason());
            }
            try (Status status = a.status(validator, serialA, NOW + 120, Map.of("application-objects", 100L))) {
                assertTrue(status.mayPublish(), status.publishReason());
            }
            // B was given none: its own 300 of 450.
            try (Status status = b.status(validator, serialB, NOW + 60, Map.of("application-objects", 300L))) {
                assertTrue(status.mayPublish(), status.publishReason());
            }

            // Damaged in transit, a report, another infrastructure's: refused.
            byte[] damaged = summary.clone();
            int i = SUMMARY_BEGIN.length() + 10;
            damaged[i] = (byte) (damaged[i] == 'A' ? 'B' : 'A');
            LicensingException e = refused(ResultCode.BAD_USAGE_SUMMARY,
                    () -> a.installUsageSummary(validator, damaged, serialA, NOW));
            assertTrue(e.detail().contains("damaged"), e.detail());
            refused(ResultCode.BAD_USAGE_SUMMARY,
                    () -> a.installUsageSummary(validator, vendor.read("a.report"), serialA, NOW));
            try (Validator vectorsKey = Fixtures.testValidator(); Store other = Store.create(dir.resolve("store-other"))) {
                other.install(vectorsKey, Fixtures.bytes("prod.lic"), Fixtures.SERIAL, NOW, false).close();
                LicensingException foreign = refused(ResultCode.BAD_USAGE_SUMMARY,
                        () -> other.installUsageSummary(vectorsKey, summary, Fixtures.SERIAL, NOW));
                assertTrue(foreign.detail().contains(vendor.code) && foreign.detail().contains(Fixtures.CODE),
                        foreign.detail());
            }
            // The summary A was given still stands.
            try (Status status = a.status(validator, serialA, NOW + 180, Map.of("application-objects", 300L))) {
                assertFalse(status.mayPublish());
            }
        }
    }

    /**
     * The vendor's side, with the CLI in its own directory: keys and a
     * subscription with two production slots and a hard application-objects
     * limit of 450.
     */
    private static final class Cli {
        final Path dir;
        final String code;

        Cli(Path dir) {
            this.dir = dir;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            run(0, Map.of(), "keygen", "--private", "vendor.key", "--public", "vendor.pub");
            String out = run(0, Map.of(), "subscription", "new", "--organization", "Exchange Test", "--edition",
                    "Enterprise", "--support", "premium", "--end", "2027-12-31", "--slots", "production=2",
                    "--limit", "application-objects=450:hard", "--out", "subscription.json");
            String found = null;
            for (String line : out.split("\n")) {
                if (line.startsWith("activation code: ")) {
                    found = line.substring("activation code: ".length()).strip();
                }
            }
            assertTrue(found != null, "no activation code in: " + out);
            this.code = found;
        }

        static Path binary() {
            String property = System.getProperty("licensing.cli");
            String env = System.getenv("LICENSING_CLI");
            Path path = property != null && !property.isBlank() ? Paths.get(property)
                    : env != null && !env.isBlank() ? Paths.get(env)
                    : Fixtures.library().getParent().resolve("licensing");
            assertTrue(Files.isRegularFile(path), "expected the licensing CLI at " + path
                    + " (-Dlicensing.cli, LICENSING_CLI or next to the library): run cargo build");
            return path;
        }

        /** The serial of a pinned identity, as the CLI derives it. */
        String serialOf(String identity) {
            return run(0, Map.of("LICENSING_IDENTITY", identity), "serial").strip();
        }

        /** Runs the CLI with {@code args}; it must exit {@code status}. Its stdout. */
        String run(int status, Map<String, String> env, String... args) {
            List<String> command = new ArrayList<>();
            command.add(binary().toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            builder.environment().remove("LICENSING_IDENTITY_FILE");
            builder.environment().putAll(env);
            Path out = dir.resolve("cli.out");
            Path err = dir.resolve("cli.err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            try {
                Process process = builder.start();
                assertTrue(process.waitFor(120, TimeUnit.SECONDS), "licensing " + command + " timed out");
                String stdout = Files.readString(out, StandardCharsets.UTF_8);
                assertEquals(status, process.exitValue(), "licensing " + String.join(" ", args) + ":\n" + stdout
                        + Files.readString(err, StandardCharsets.UTF_8));
                return stdout;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        byte[] read(String name) {
            try {
                return Files.readAllBytes(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void write(String name, String text) {
            try {
                Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
