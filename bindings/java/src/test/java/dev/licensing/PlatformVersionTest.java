package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Format version 2 through the Java binding: a validator told its platform
 * version ({@code new Validator(pem, "11.14")}, calling
 * {@code lic_validator_new_for_platform}) judging capped.lic (a cap of 11.14),
 * a text that is not a version, and a license carrying a critical extension
 * this library does not know. The comparison of versions is the library's.
 */
class PlatformVersionTest {
    private static License validateCapped(String platformVersion) {
        try (Validator v = new Validator(Fixtures.testKey(), platformVersion)) {
            return v.validate(Fixtures.bytes("capped.lic"), Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.14", "11.9", "11.14.3"})
    void cappedIsValidForACoveredVersion(String version) {
        try (License license = validateCapped(version)) {
            assertEquals(State.ACTIVE, license.state());
            assertEquals(Fixtures.SERIAL, license.serialNumber());
        }
    }

    @Test
    void cappedIsValidForAValidatorNotToldItsVersion() {
        try (License license = validateCapped(null)) {
            assertEquals(State.ACTIVE, license.state());
        }
        try (Validator v = new Validator(Fixtures.testKey());
                License license = v.validate(Fixtures.bytes("capped.lic"), Fixtures.SERIAL, Fixtures.CODE,
                        Fixtures.NOW)) {
            assertEquals(State.ACTIVE, license.state());
        }
        // The byte[] constructor takes the version too.
        try (Validator v = new Validator(Fixtures.testKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "11.14");
                License license = v.validate(Fixtures.bytes("capped.lic"), Fixtures.SERIAL, Fixtures.CODE,
                        Fixtures.NOW)) {
            assertEquals(State.ACTIVE, license.state());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.15", "12"})
    void cappedIsRefusedForALaterVersion(String version) {
        LicensingException e = assertThrows(LicensingException.class, () -> validateCapped(version).close());
        assertEquals(ResultCode.PLATFORM_VERSION_NOT_COVERED, e.code(), e.getMessage());
        assertEquals(209, e.rawCode());
        assertTrue(e.code().isLicenseInvalid(), "the C library says the license is not valid here");
        assertTrue(e.detail().contains("11.14") && e.detail().contains(version),
                "the message names the cap and this runtime's version: " + e.detail());
        assertTrue(e.getMessage().contains("LIC_PLATFORM_VERSION_NOT_COVERED"), e.getMessage());
    }

    @Test
    void aLicenseWithoutACapIsValidForAnyVersion() {
        try (Validator v = new Validator(Fixtures.testKey(), "11.15")) {
            try (License license = v.validate(Fixtures.bytes("prod.lic"), Fixtures.SERIAL, Fixtures.CODE,
                    Fixtures.NOW)) {
                assertEquals(State.ACTIVE, license.state());
            }
            // And the same validator refuses capped.lic, again and again (the cache keeps no verdict).
            for (int i = 0; i < 2; i++) {
                LicensingException e = assertThrows(LicensingException.class,
                        () -> v.validate(Fixtures.bytes("capped.lic"), Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW)
                                .close());
                assertEquals(ResultCode.PLATFORM_VERSION_NOT_COVERED, e.code(), e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.x", "", "v11", "11..14", "-1", "1.2.3.4.5.6.7.8.9"})
    void aTextThatIsNotAVersionIsMisuse(String text) {
        LicensingException e = assertThrows(LicensingException.class,
                () -> new Validator(Fixtures.testKey(), text).close());
        assertEquals(ResultCode.INVALID_PLATFORM_VERSION, e.code(), e.getMessage());
        assertTrue(e.code().isMisuse(), "a version that is not one is the caller's mistake");
        assertFalse(e.detail().isBlank());
    }

    @Test
    void theVersionMessageSaysWhichPart() {
        LicensingException e = assertThrows(LicensingException.class,
                () -> new Validator(Fixtures.testKey(), "11.x").close());
        assertTrue(e.detail().contains("part 2 ('x') is not a number"), e.detail());
    }

    @Test
    void aVersionWithANulIsRefusedBeforeTheCall() {
        assertThrows(IllegalArgumentException.class, () -> new Validator(Fixtures.testKey(), "11\0.14").close());
    }

    @Test
    void badKeysAreStillBadKeysWithAVersion() {
        LicensingException e = assertThrows(LicensingException.class, () -> new Validator("hello", "11.14").close());
        assertEquals(ResultCode.BAD_TRUSTED_KEYS, e.code(), e.getMessage());
    }

    @Test
    void unknownCriticalExtensionIsRefused() {
        try (Validator v = Fixtures.testValidator()) {
            LicensingException e = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("unknown-critical-extension.lic"), Fixtures.SERIAL,
                            Fixtures.CODE, Fixtures.NOW).close());
            assertEquals(ResultCode.UNKNOWN_CRITICAL_EXTENSION, e.code(), e.getMessage());
            assertEquals(208, e.rawCode());
            assertTrue(e.code().isLicenseInvalid());
            assertTrue(e.detail().contains("1001"), e.detail());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-extension.lic", "summed-limits.lic"})
    void version2FilesWithoutACriticalUnknownAreValid(String name) {
        try (Validator v = new Validator(Fixtures.testKey(), "11.14");
                License license = v.validate(Fixtures.bytes(name), Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW)) {
            assertEquals(State.ACTIVE, license.state());
        }
    }

    @Test
    void version9IsUnsupported() {
        try (Validator v = Fixtures.testValidator()) {
            LicensingException e = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("version-9.lic"), Fixtures.SERIAL, Fixtures.CODE, Fixtures.NOW)
                            .close());
            assertEquals(ResultCode.UNSUPPORTED_VERSION, e.code(), e.getMessage());
        }
    }
}
