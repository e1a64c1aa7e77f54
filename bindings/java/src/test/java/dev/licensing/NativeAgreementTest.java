package dev.licensing;

import static dev.licensing.Fixtures.list;
import static dev.licensing.Fixtures.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.licensing.NativeMethods.SizeT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding answers lookups from what it read once per verification;
 * these must be the C ABI's answers. For every check of
 * tests/vectors/vectors.json that validates: {@code hasFeature} for each
 * feature and for absent names against {@code lic_license_has_feature_n};
 * each limit's value and enforcement against {@code lic_license_limit_n} /
 * {@code lic_license_limit_enforcement_n}; {@code checkUsage} around each
 * limit's thresholds (0, 1, near_from - 1, near_from, value - 1, value,
 * value + 1, 2^64 - 1) against {@code lic_license_check_usage_n}; absent limits
 * {@code UNLIMITED} both ways; the lists against {@code lic_license_feature_at}
 * / {@code lic_license_limit_at}. Then the cache: same bytes, same verification,
 * same collections; another validator, another verification; a bounded cache.
 */
class NativeAgreementTest {
    private static final Map<String, Object> VECTORS = Fixtures.vectorsJson();
    private static final NativeMethods LIB = NativeLoader.library();

    @TestFactory
    Stream<DynamicTest> everyValidLicenseAnswersAsTheCAbi() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object f : list(VECTORS.get("files"))) {
            Map<String, Object> file = map(f);
            List<Object> checks = list(file.get("checks"));
            for (int i = 0; i < checks.size(); i++) {
                Map<String, Object> check = map(checks.get(i));
                if (!map(check.get("verdict")).containsKey("ok")) {
                    continue;
                }
                String title = file.get("name") + " #" + i + " at " + check.get("now_text");
                tests.add(DynamicTest.dynamicTest(title, () -> compare(file, check)));
            }
        }
        assertTrue(tests.size() >= 10, "expected the valid checks of the vectors, found " + tests.size());
        return tests.stream();
    }

    private static void compare(Map<String, Object> file, Map<String, Object> check) {
        byte[] bytes = Fixtures.bytes((String) file.get("name"));
        String platformVersion = (String) check.get("platform_version");
        try (Validator validator = new Validator(VectorsTest.trustedPem(list(check.get("trusted"))), platformVersion);
                License license = validator.validate(bytes, (String) check.get("serial"),
                        (String) check.get("activation_code"), (Long) check.get("now"))) {
            license.use(p -> {
                compareWith(license, p);
                return null;
            });
        }
    }

    // The raw C functions, through the interface mapping (NativeMethods), on the same native license.

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean cHasFeature(Pointer p, String name) {
        byte[] b = utf8(name);
        return LIB.lic_license_has_feature_n(p, b, new SizeT(b.length)) != 0;
    }

    private static OptionalLong cLimit(Pointer p, String name) {
        byte[] b = utf8(name);
        LongByReference out = new LongByReference();
        int rc = LIB.lic_license_limit_n(p, b, new SizeT(b.length), out);
        if (rc == ResultCode.NO_SUCH_LIMIT.value()) {
            return OptionalLong.empty();
        }
        assertEquals(ResultCode.OK.value(), rc, "lic_license_limit_n(" + name + ")");
        return OptionalLong.of(out.getValue());
    }

    private static Optional<Enforcement> cEnforcement(Pointer p, String name) {
        byte[] b = utf8(name);
        IntByReference out = new IntByReference();
        int rc = LIB.lic_license_limit_enforcement_n(p, b, new SizeT(b.length), out);
        if (rc == ResultCode.NO_SUCH_LIMIT.value()) {
            return Optional.empty();
        }
        assertEquals(ResultCode.OK.value(), rc, "lic_license_limit_enforcement_n(" + name + ")");
        return Optional.of(Enforcement.of(out.getValue()));
    }

    /** {@code usage} as a {@code uint64_t}: -1 is 2^64 - 1. */
    private static Usage cCheckUsage(Pointer p, String name, long usage) {
        byte[] b = utf8(name);
        IntByReference out = new IntByReference();
        assertEquals(ResultCode.OK.value(), LIB.lic_license_check_usage_n(p, b, new SizeT(b.length), usage, out),
                "lic_license_check_usage_n(" + name + ", " + Long.toUnsignedString(usage) + ")");
        return Usage.of(out.getValue());
    }

    private static long cCount(Pointer p, boolean features) {
        Memory out = NativeStrings.sizeTOut();
        assertEquals(ResultCode.OK.value(),
                features ? LIB.lic_license_feature_count(p, out) : LIB.lic_license_limit_count(p, out));
        return NativeStrings.readSizeT(out);
    }

    private static List<String> cNames(Pointer p, boolean features) {
        List<String> names = new ArrayList<>();
        long n = cCount(p, features);
        for (long i = 0; i < n; i++) {
            SizeT index = new SizeT(i);
            names.add(NativeStrings.read((buf, len, w) -> features
                    ? LIB.lic_license_feature_at(p, index, buf, len, w)
                    : LIB.lic_license_limit_at(p, index, buf, len, w), "name at " + i));
        }
        return names;
    }

    /** Names no license of the vectors holds, and near misses of {@code present}. */
    private static Set<String> absentNames(List<String> present) {
        Set<String> names = new LinkedHashSet<>(List.of("", " ", "x", "no-such-name", "sso", "SSO-SAML",
                "tenant", "t\u00ebnants", "sso-saml\u00e9", "\ud83d\ude00", "sso-saml\ud83d\ude00",
                "\u00e9", "a\0b", "sso-saml\0", "x".repeat(1000)));
        for (String n : present) {
            names.add(n.toUpperCase(Locale.ROOT));
            names.add(Character.toUpperCase(n.charAt(0)) + n.substring(1));
            names.add(n.substring(0, n.length() - 1));
            names.add(n + "x");
            names.add(" " + n);
            names.add(n + "\u00e9");
            names.add(n + "\0");
        }
        names.removeAll(present);
        return names;
    }

    private static void compareWith(License license, Pointer p) {
        // The lists, in the library's order.
        List<String> features = cNames(p, true);
        List<String> limits = cNames(p, false);
        assertEquals(features, license.features(), "features()");
        assertEquals(limits, new ArrayList<>(license.limits().keySet()), "limits() names and order");
        assertFalse(features.isEmpty() && limits.isEmpty(), "a license with neither features nor limits tests little");

        // The verification number.
        LongByReference id = new LongByReference();
        assertEquals(ResultCode.OK.value(), LIB.lic_license_verification_id(p, id));
        assertEquals(id.getValue(), license.verificationId());

        // Features: every present name, limit names, and absent names.
        List<String> names = new ArrayList<>(features);
        names.addAll(limits);
        names.addAll(absentNames(features));
        names.addAll(absentNames(limits));
        int present = 0;
        for (String name : names) {
            boolean expected = cHasFeature(p, name);
            present += expected ? 1 : 0;
            assertEquals(expected, license.hasFeature(name), "hasFeature(" + name + ")");
        }
        assertEquals(features.size(), present, "present features");

        // Limits: value, enforcement, and check_usage around the bounds.
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < limits.size(); i++) {
            String name = limits.get(i);
            LongByReference value = new LongByReference();
            LongByReference nearFrom = new LongByReference();
            IntByReference enforcement = new IntByReference();
            assertEquals(ResultCode.OK.value(), LIB.lic_license_limit_bounds_at(p, new SizeT(i), value, nearFrom,
                    enforcement), "lic_license_limit_bounds_at(" + i + ")");
            OptionalLong cValue = cLimit(p, name);
            assertEquals(cValue, OptionalLong.of(value.getValue()), "bounds and lic_license_limit_n of " + name);
            assertEquals(cValue, license.limit(name), "limit(" + name + ")");
            assertEquals(cEnforcement(p, name), Optional.of(Enforcement.of(enforcement.getValue())),
                    "bounds and lic_license_limit_enforcement_n of " + name);
            assertEquals(cEnforcement(p, name), license.limitEnforcement(name), "limitEnforcement(" + name + ")");
            values.put(name, value.getValue());

            long v = value.getValue();
            long n = nearFrom.getValue();
            long[] usages = {0, 1, n - 1, n, v - 1, v, v + 1, -1L /* 2^64 - 1 */, Long.MAX_VALUE};
            for (long usage : usages) {
                Usage expected = cCheckUsage(p, name, usage);
                String what = "checkUsage(" + name + ", " + Long.toUnsignedString(usage) + ") with value "
                        + Long.toUnsignedString(v) + ", near from " + Long.toUnsignedString(n);
                assertEquals(expected, license.checkUsageUnsigned(name, usage), what);
                if (usage >= 0) {
                    assertEquals(expected, license.checkUsage(name, usage), what);
                } else {
                    long negative = usage;
                    assertThrows(IllegalArgumentException.class, () -> license.checkUsage(name, negative), what);
                }
            }
        }
        assertEquals(values, license.limits(), "limits() values");

        // Absent limits: no value, no enforcement, UNLIMITED, both ways.
        List<String> absent = new ArrayList<>(absentNames(limits));
        absent.addAll(features);
        for (String name : absent) {
            assertEquals(OptionalLong.empty(), cLimit(p, name), "lic_license_limit_n(" + name + ")");
            assertEquals(OptionalLong.empty(), license.limit(name), "limit(" + name + ")");
            assertEquals(Optional.empty(), cEnforcement(p, name), name);
            assertEquals(Optional.empty(), license.limitEnforcement(name), name);
            for (long usage : new long[] {0, 1, 450, Long.MAX_VALUE, -1L}) {
                assertEquals(Usage.UNLIMITED, cCheckUsage(p, name, usage), name);
                assertEquals(Usage.UNLIMITED, license.checkUsageUnsigned(name, usage), name);
            }
            assertEquals(Usage.UNLIMITED, license.checkUsage(name, 0), name);
        }
    }

    // What is read once, and the cache that keeps it.

    @Test
    void theSameBytesAgainReuseWhatWasRead() {
        byte[] prod = Fixtures.bytes("prod.lic");
        try (Validator validator = Fixtures.testValidator();
                License first = validator.validate(prod, Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW);
                License again = validator.validate(prod, Fixtures.SERIAL, null, Fixtures.NOW + 60)) {
            assertEquals(first.verificationId(), again.verificationId(), "a validator's cache: one verification");
            assertSame(first.data(), again.data(), "what was read for the verification is reused");
            assertSame(first.features(), again.features());
            assertSame(first.limits(), again.limits());
            assertThrows(UnsupportedOperationException.class, () -> first.features().add("x"));
            assertThrows(UnsupportedOperationException.class, () -> first.limits().put("x", 1L));
            try (Validator other = Fixtures.testValidator();
                    License elsewhere = other.validate(prod, Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW)) {
                assertNotEquals(first.verificationId(), elsewhere.verificationId(), "another verification");
                assertNotSame(first.data(), elsewhere.data());
                assertEquals(first.features(), elsewhere.features());
                assertEquals(first.limits(), elsewhere.limits());
            }
        }
    }

    @Test
    void theCacheIsBounded() {
        byte[] prod = Fixtures.bytes("prod.lic");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < LicenseData.CAPACITY + 8; i++) {
            // A fresh validator each time: a new verification each time.
            try (Validator validator = Fixtures.testValidator();
                    License license = validator.validate(prod, Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW)) {
                assertTrue(license.hasFeature("sso-saml"));
                assertEquals(Usage.NEAR, license.checkUsage("tenants", 23));
                ids.add(license.verificationId());
                assertTrue(LicenseData.cached() <= LicenseData.CAPACITY,
                        "the cache holds " + LicenseData.cached() + " verifications");
            }
        }
        assertEquals(ids.size(), new LinkedHashSet<>(ids).size(), "every verification has its own number");
    }

    @Test
    void threadsReadingAndEvictingAtOnceGetTheRightAnswers() throws Exception {
        // Fresh validators on 4 threads: new verifications all the time, past the cache's bound,
        // each looked up while others are read and dropped.
        byte[] prod = Fixtures.bytes("prod.lic");
        byte[] never = Fixtures.bytes("dev-never-expires.lic");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean dev = t % 2 == 1;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < (LicenseData.CAPACITY / 2) + 8; i++) {
                        try (Validator validator = Fixtures.testValidator();
                                License license = dev
                                        ? validator.validate(never, "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6", null,
                                                1740816000L)
                                        : validator.validate(prod, Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW)) {
                            assertEquals(dev ? 2 : 10, license.features().size());
                            assertTrue(license.hasFeature("sso-saml"));
                            assertEquals(!dev, license.hasFeature("workflow"));
                            assertEquals(dev ? Usage.OVER_SOFT_LIMIT : Usage.WITHIN,
                                    license.checkUsage("internal-users", 6));
                            assertEquals(dev ? Usage.UNLIMITED : Usage.NEAR, license.checkUsage("tenants", 23));
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(LicenseData.cached() <= LicenseData.CAPACITY);
    }

    @Test
    void aStoreStatusLicenseAnswersAsTheCAbi(@TempDir Path dir) {
        // Licenses from a store's status are read the same way (keyed by their verification).
        byte[] prod = Fixtures.bytes("prod.lic");
        try (Validator validator = Fixtures.testValidator(); Store store = Store.create(dir)) {
            store.install(validator, prod, Fixtures.SERIAL, Fixtures.NOW, false).close();
            try (Status status = store.status(validator, Fixtures.SERIAL, Fixtures.NOW, Map.of("tenants", 30L));
                    License fromStatus = status.license().orElseThrow();
                    License validated = validator.validate(prod, Fixtures.SERIAL, null, Fixtures.NOW)) {
                assertEquals(validated.features(), fromStatus.features());
                assertEquals(validated.limits(), fromStatus.limits());
                assertEquals(Usage.OVER_HARD_LIMIT, fromStatus.checkUsage("tenants", 30));
                fromStatus.use(p -> {
                    compareWith(fromStatus, p);
                    return null;
                });
                assertEquals(Standing.ACTIVE, status.standing());
                assertTrue(status.mayRun());
            }
        }
    }
}
