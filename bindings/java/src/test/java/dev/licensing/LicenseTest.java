package dev.licensing;

import static dev.licensing.Fixtures.CODE;
import static dev.licensing.Fixtures.NOW;
import static dev.licensing.Fixtures.OTHER_SERIAL;
import static dev.licensing.Fixtures.SERIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fields of prod.lic and dev-never-expires.lic through the getters, and the usage levels. */
class LicenseTest {
    private static Validator validator;
    private static License prod;

    @BeforeAll
    static void open() {
        validator = Fixtures.testValidator();
        prod = validator.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW);
    }

    @AfterAll
    static void close() {
        prod.close();
        validator.close();
    }

    @Test
    void prodFields() {
        assertEquals(State.ACTIVE, prod.state());
        // Active: the days until expiry (lic_license_state's days_left said 0 before lic_license_days_left).
        assertEquals(OptionalInt.of(579), prod.daysLeft(), "2026-06-01T12:00Z to 2028-01-01T00:00Z: 578.5 days,"
                + " a part day counting as one");
        assertEquals("Acme Corp", prod.organization());
        assertEquals("Enterprise", prod.edition());
        assertEquals("premium", prod.support());
        assertEquals("Production", prod.environmentName());
        assertEquals(CODE, prod.activationCode());
        assertEquals(SERIAL, prod.serialNumber());
        assertEquals("766563746f722d70726f642d30303031", prod.licenseId());
        assertEquals(7, prod.revision());
        assertEquals(LicenseType.PRODUCTION, prod.licenseType());
        assertEquals(Purpose.PRODUCTION, prod.purpose());
        assertEquals(Optional.of(Instant.parse("2028-01-01T00:00:00Z")), prod.expiresAt());
        assertEquals(Instant.ofEpochSecond(1736933400L), prod.issuedAt());
        assertEquals(List.of("api-gateway", "audit-log", "data-export", "ha-cluster", "multi-tenancy",
                "reporting", "sap-connector", "sso-oidc", "sso-saml", "workflow"), prod.features());
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("api-calls-per-day", 1_000_000L);
        limits.put("application-objects", 450L);
        limits.put("external-users", 10_000L);
        limits.put("internal-users", 100L);
        limits.put("storage-gb", 500L);
        limits.put("tenants", 25L);
        assertEquals(limits, prod.limits());
        assertEquals(List.copyOf(limits.keySet()), List.copyOf(prod.limits().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> prod.features().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> prod.limits().put("x", 1L));
        assertTrue(prod.toString().contains("Acme Corp"), prod.toString());
    }

    @Test
    void featuresAndLimitsLookups() {
        assertTrue(prod.hasFeature("sso-saml"));
        assertFalse(prod.hasFeature("sso"));
        assertFalse(prod.hasFeature("SSO-SAML"));
        assertFalse(prod.hasFeature(""));
        assertEquals(OptionalLong.of(25), prod.limit("tenants"));
        assertEquals(OptionalLong.empty(), prod.limit("no-such-limit"));
        assertEquals(Optional.of(Enforcement.HARD), prod.limitEnforcement("tenants"));
        assertEquals(Optional.of(Enforcement.SOFT), prod.limitEnforcement("internal-users"));
        assertEquals(Optional.empty(), prod.limitEnforcement("no-such-limit"));
    }

    @Test
    void nonAsciiAndNulArguments() {
        assertFalse(prod.hasFeature("sso-saml\u00e9"));
        assertEquals(OptionalLong.empty(), prod.limit("t\u00ebnants"));
        // A name with a NUL is another name, which no license holds (not a
        // truncated "sso-saml"); NameLookupTest has the details.
        assertFalse(prod.hasFeature("sso-saml\0evil"));
        assertEquals(OptionalLong.empty(), prod.limit("tenants\0"));
        assertThrows(NullPointerException.class, () -> prod.hasFeature(null));
        assertThrows(NullPointerException.class, () -> prod.checkUsage(null, 1));
        assertThrows(NullPointerException.class, () -> prod.limit(null));
        assertThrows(NullPointerException.class, () -> prod.limitEnforcement(null));
    }

    @Test
    void usageLevelsSoftLimit() {
        // internal-users: 100, soft
        assertEquals(Usage.WITHIN, prod.checkUsage("internal-users", 0));
        assertEquals(Usage.WITHIN, prod.checkUsage("internal-users", 89));
        assertEquals(Usage.NEAR, prod.checkUsage("internal-users", 90));
        assertEquals(Usage.NEAR, prod.checkUsage("internal-users", 100));
        assertEquals(Usage.OVER_SOFT_LIMIT, prod.checkUsage("internal-users", 101));
        assertEquals(Usage.OVER_SOFT_LIMIT, prod.checkUsage("internal-users", Long.MAX_VALUE));
    }

    @Test
    void usageLevelsHardLimit() {
        // application-objects: 450, hard; tenants: 25, hard
        assertEquals(Usage.WITHIN, prod.checkUsage("application-objects", 404));
        assertEquals(Usage.NEAR, prod.checkUsage("application-objects", 405));
        assertEquals(Usage.NEAR, prod.checkUsage("application-objects", 450));
        assertEquals(Usage.OVER_HARD_LIMIT, prod.checkUsage("application-objects", 451));
        assertEquals(Usage.WITHIN, prod.checkUsage("tenants", 22));
        assertEquals(Usage.NEAR, prod.checkUsage("tenants", 23));
        assertEquals(Usage.OVER_HARD_LIMIT, prod.checkUsage("tenants", 26));
    }

    @Test
    void usageUnlimitedAndNegative() {
        assertEquals(Usage.UNLIMITED, prod.checkUsage("no-such-limit", 1_000_000_000L));
        assertThrows(IllegalArgumentException.class, () -> prod.checkUsage("tenants", -1));
    }

    @Test
    void developmentLicenseNeverExpires() {
        try (License dev = validator.validate(Fixtures.bytes("dev-never-expires.lic"), OTHER_SERIAL, null, NOW)) {
            assertEquals(Optional.empty(), dev.expiresAt());
            assertEquals(OptionalInt.empty(), dev.daysLeft(), "a license that never expires has no days left");
            assertEquals(State.ACTIVE, dev.state());
            assertEquals(LicenseType.DEVELOPMENT, dev.licenseType());
            assertEquals(Purpose.DEVELOPMENT, dev.purpose());
            assertEquals("Acme", dev.organization());
            assertEquals("Team", dev.edition());
            assertEquals("basic", dev.support());
            assertEquals("Dev", dev.environmentName());
            assertEquals(3, dev.revision());
            assertEquals(List.of("audit-log", "sso-saml"), dev.features());
            assertEquals(Map.of("internal-users", 5L), dev.limits());
            assertEquals(Usage.WITHIN, dev.checkUsage("internal-users", 4));
            assertEquals(Usage.NEAR, dev.checkUsage("internal-users", 5));
            assertEquals(Usage.OVER_SOFT_LIMIT, dev.checkUsage("internal-users", 6));
        }
    }

    @Test
    void expiringSoonAndGrace() {
        try (License l = validator.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, 1828850400L)) {
            assertEquals(State.EXPIRING_SOON, l.state());
            assertEquals(OptionalInt.of(17), l.daysLeft());
        }
        try (License l = validator.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, 1831075200L)) {
            assertEquals(State.IN_GRACE, l.state());
            assertEquals(OptionalInt.of(21), l.daysLeft());
        }
    }

    @Test
    void textFormAndMailAreTheSameLicense() {
        for (String name : List.of("prod.pem", "prod-mail.txt")) {
            try (License l = validator.validate(Fixtures.bytes(name), SERIAL, CODE, NOW)) {
                assertEquals(prod.licenseId(), l.licenseId(), name);
                assertEquals(prod.limits(), l.limits(), name);
            }
        }
    }

    @Test
    void stringGettersRetryWhenTheBufferIsTooSmall() {
        int saved = NativeStrings.initialCapacity;
        NativeStrings.initialCapacity = 1;
        try (Validator v = Fixtures.testValidator();
                License l = v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW)) {
            assertEquals("Acme Corp", l.organization());
            assertEquals(SERIAL, l.serialNumber());
            assertEquals(CODE, l.activationCode());
            assertEquals("766563746f722d70726f642d30303031", l.licenseId());
            assertEquals(prod.features(), l.features());
            assertEquals(prod.limits(), l.limits());
            LicensingException e = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("expired.lic"), SERIAL, CODE, NOW));
            assertEquals(ResultCode.EXPIRED, e.code());
        } finally {
            NativeStrings.initialCapacity = saved;
        }
    }
}
