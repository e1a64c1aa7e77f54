package dev.licensing;

import static dev.licensing.Fixtures.list;
import static dev.licensing.Fixtures.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every verdict of tests/vectors/vectors.json, through the Java binding. */
class VectorsTest {
    private static final Map<String, Object> VECTORS = Fixtures.vectorsJson();

    /** "BadSignature" -> BAD_SIGNATURE. */
    static ResultCode codeOf(String errorName) {
        String snake = errorName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        ResultCode code = ResultCode.valueOf(snake);
        assertTrue(code.isLicenseInvalid(),
                errorName + " should map to a code that says the license is not valid, got " + code);
        return code;
    }

    static String trustedPem(List<Object> names) {
        Map<String, Object> keys = map(VECTORS.get("keys"));
        StringBuilder pem = new StringBuilder();
        for (Object name : names) {
            Map<String, Object> key = map(keys.get((String) name));
            assertNotNull(key, "unknown key " + name);
            pem.append(Fixtures.text(Fixtures.vectors().resolve((String) map(key).get("public"))));
            pem.append('\n');
        }
        return pem.toString();
    }

    @Test
    void vectorsHaveChecksForEveryFile() {
        List<Object> files = list(VECTORS.get("files"));
        assertTrue(files.size() >= 12, "expected the fixture files, got " + files.size());
        int checks = 0;
        for (Object f : files) {
            List<Object> c = list(map(f).get("checks"));
            assertFalse(c.isEmpty(), map(f).get("name") + " has no checks");
            checks += c.size();
        }
        assertTrue(checks >= 30, "expected at least 30 checks, got " + checks);
    }

    @TestFactory
    Stream<DynamicTest> everyVerdict() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object f : list(VECTORS.get("files"))) {
            Map<String, Object> file = map(f);
            String name = (String) file.get("name");
            List<Object> checks = list(file.get("checks"));
            for (int i = 0; i < checks.size(); i++) {
                Map<String, Object> check = map(checks.get(i));
                String title = name + " #" + i + " at " + check.get("now_text") + " trusting "
                        + check.get("trusted")
                        + (check.containsKey("platform_version") ? " on platform " + check.get("platform_version") : "")
                        + " -> " + check.get("verdict");
                tests.add(DynamicTest.dynamicTest(title, () -> runCheck(file, check)));
            }
        }
        return tests.stream();
    }

    private static void runCheck(Map<String, Object> file, Map<String, Object> check) {
        byte[] bytes = Fixtures.bytes((String) file.get("name"));
        assertEquals(((Long) file.get("size")).intValue(), bytes.length, "fixture size");
        Map<String, Object> verdict = map(check.get("verdict"));
        // The platform version the validator is told, when the check gives one.
        String platformVersion = (String) check.get("platform_version");
        try (Validator validator = new Validator(trustedPem(list(check.get("trusted"))), platformVersion)) {
            String serial = (String) check.get("serial");
            String code = (String) check.get("activation_code");
            Long now = (Long) check.get("now");
            if (verdict.containsKey("error")) {
                ResultCode expected = codeOf((String) verdict.get("error"));
                LicensingException e = assertThrows(LicensingException.class,
                        () -> validator.validate(bytes, serial, code, now).close());
                assertEquals(expected, e.code(), e.getMessage());
                assertEquals(expected.value(), e.rawCode());
                assertFalse(e.detail().isBlank(), "the library's message is empty");
                assertTrue(e.getMessage().contains(expected.cName()), e.getMessage());
            } else {
                Map<String, Object> ok = map(verdict.get("ok"));
                try (License license = validator.validate(bytes, serial, code, now)) {
                    State state = State.valueOf(
                            ((String) ok.get("state")).replace('-', '_').toUpperCase(Locale.ROOT));
                    assertEquals(state, license.state());
                    assertEquals(expectedDaysLeft(ok, map(file.get("license")), now), license.daysLeft(),
                            "days left");
                    assertFields(map(file.get("license")), license);
                }
            }
        }
    }

    private static final long DAY = 86_400L;

    /**
     * The verdict's days_left (expiring soon, in grace); for an active license,
     * which the vectors give none, the days until expiry, a part day counting
     * as one; empty when the license never expires.
     */
    static OptionalInt expectedDaysLeft(Map<String, Object> ok, Map<String, Object> license, long now) {
        if (ok.containsKey("days_left")) {
            return OptionalInt.of(((Long) ok.get("days_left")).intValue());
        }
        assertEquals("active", ok.get("state"), "only an active verdict comes without days_left");
        Object expires = license.get("expires_at");
        if (expires == null) {
            return OptionalInt.empty();
        }
        long seconds = (Long) expires - now;
        return OptionalInt.of(seconds <= 0 ? 0 : (int) ((seconds - 1) / DAY + 1));
    }

    /** Every decoded field of the fixture against the getters. */
    static void assertFields(Map<String, Object> expected, License license) {
        assertNotNull(expected, "an ok verdict needs the decoded license");
        assertEquals(expected.get("activation_code"), license.activationCode());
        assertEquals(expected.get("serial_number"), license.serialNumber());
        assertEquals(expected.get("organization"), license.organization());
        assertEquals(expected.get("edition"), license.edition());
        assertEquals(expected.get("support"), license.support());
        assertEquals(expected.get("environment_name"), license.environmentName());
        assertEquals(expected.get("license_id"), license.licenseId());
        assertEquals(((Long) expected.get("revision")).longValue(), license.revision());
        assertEquals(Instant.ofEpochSecond((Long) expected.get("issued_at")), license.issuedAt());
        Object expires = expected.get("expires_at");
        assertEquals(expires == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond((Long) expires)),
                license.expiresAt());
        assertEquals(LicenseType.valueOf(((String) expected.get("license_type")).toUpperCase(Locale.ROOT)),
                license.licenseType());
        assertEquals(Purpose.valueOf(((String) expected.get("purpose")).replace('-', '_').toUpperCase(Locale.ROOT)),
                license.purpose());
        List<Object> features = list(expected.get("features"));
        assertEquals(features, new ArrayList<Object>(license.features()));
        for (Object feature : features) {
            assertTrue(license.hasFeature((String) feature), "hasFeature(" + feature + ")");
        }
        Map<String, Long> limits = new LinkedHashMap<>();
        for (Object l : list(expected.get("limits"))) {
            Map<String, Object> limit = map(l);
            String name = (String) limit.get("name");
            long value = (Long) limit.get("value");
            limits.put(name, value);
            assertEquals(value, license.limit(name).orElseThrow(() -> new AssertionError("no limit " + name)));
            Enforcement enforcement = Enforcement.valueOf(((String) limit.get("enforcement")).toUpperCase(Locale.ROOT));
            assertEquals(Optional.of(enforcement), license.limitEnforcement(name));
        }
        assertEquals(limits, license.limits());
        assertEquals(new ArrayList<>(limits.keySet()), new ArrayList<>(license.limits().keySet()), "limit order");
        if (features.isEmpty() && limits.isEmpty()) {
            fail("a fixture with neither features nor limits tests little");
        }
    }
}
