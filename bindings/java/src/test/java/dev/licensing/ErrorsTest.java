package dev.licensing;

import static dev.licensing.Fixtures.CODE;
import static dev.licensing.Fixtures.NOW;
import static dev.licensing.Fixtures.SERIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Failures: their codes and the library's words. */
class ErrorsTest {
    private static LicensingException validateWith(String serial, String code) {
        try (Validator v = Fixtures.testValidator()) {
            return assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("prod.lic"), serial, code, NOW));
        }
    }

    @Test
    void invalidSerialSaysWhere() {
        // 'U' is not in the alphabet ('I', 'L' and 'O' are read as 1, 1 and 0): the message
        // names the group and the character.
        LicensingException e = validateWith("1HA-009-DEZ-RD3-PJA-MNH-C1S-9UT", CODE);
        assertEquals(ResultCode.INVALID_SERIAL_NUMBER, e.code());
        assertEquals(4, e.rawCode());
        assertTrue(e.detail().contains("group 8"), e.detail());
        assertTrue(e.detail().contains("'U'"), e.detail());
        assertTrue(e.detail().contains("character 2"), e.detail());
        assertTrue(e.getMessage().contains("LIC_INVALID_SERIAL_NUMBER"), e.getMessage());
    }

    @Test
    void invalidSerialWrongLengthAndMistyped() {
        LicensingException e = validateWith("1HA-009", CODE);
        assertEquals(ResultCode.INVALID_SERIAL_NUMBER, e.code());
        assertTrue(e.detail().contains("31"), e.detail());
        // One character changed: the check characters catch it.
        e = validateWith("1HA-009-DEZ-RD3-PJA-MNH-C1S-92T", CODE);
        assertEquals(ResultCode.INVALID_SERIAL_NUMBER, e.code());
        assertTrue(e.detail().contains("mistyped"), e.detail());
    }

    @Test
    void invalidActivationCode() {
        LicensingException e = validateWith(SERIAL, "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRX");
        assertEquals(ResultCode.INVALID_ACTIVATION_CODE, e.code());
        assertFalse(e.detail().isBlank());
        // A serial number where an activation code belongs.
        e = validateWith(SERIAL, SERIAL);
        assertEquals(ResultCode.INVALID_ACTIVATION_CODE, e.code());
    }

    @Test
    void badTrustedKeys() {
        for (String pem : new String[] {"", "not a key", Fixtures.text(Fixtures.vectors().resolve("test-signing-key.pem")),
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}) {
            LicensingException e = assertThrows(LicensingException.class, () -> new Validator(pem).close());
            assertEquals(ResultCode.BAD_TRUSTED_KEYS, e.code(), pem);
            assertFalse(e.detail().isBlank());
        }
        LicensingException e = assertThrows(LicensingException.class,
                () -> new Validator(new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}).close());
        assertEquals(ResultCode.INVALID_UTF8, e.code());
    }

    @Test
    void bytesAndStringConstructorsAgree() {
        try (Validator v = new Validator(Fixtures.testKey().getBytes(StandardCharsets.UTF_8));
                License l = v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW)) {
            assertEquals(State.ACTIVE, l.state());
        }
    }

    @Test
    void emptyAndGarbageFiles() {
        try (Validator v = Fixtures.testValidator()) {
            assertEquals(ResultCode.MALFORMED, assertThrows(LicensingException.class,
                    () -> v.validate(new byte[0], SERIAL, CODE, NOW)).code());
            assertEquals(ResultCode.MALFORMED, assertThrows(LicensingException.class,
                    () -> v.validate("hello".getBytes(StandardCharsets.UTF_8), SERIAL, CODE, NOW)).code());
        }
    }

    @Test
    void theMessageIsThisCallsFailure() {
        try (Validator v = Fixtures.testValidator()) {
            LicensingException expired = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("expired.lic"), SERIAL, CODE, NOW));
            LicensingException wrong = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("prod.lic"), Fixtures.OTHER_SERIAL, CODE, NOW));
            assertEquals(ResultCode.EXPIRED, expired.code());
            assertEquals(ResultCode.WRONG_SERIAL, wrong.code());
            assertFalse(expired.detail().equals(wrong.detail()), expired.detail());
        }
    }

    @Test
    void nullArguments() {
        try (Validator v = Fixtures.testValidator()) {
            assertThrows(NullPointerException.class, () -> v.validate(null, SERIAL, CODE, NOW));
        }
        assertThrows(NullPointerException.class, () -> new Validator((String) null));
        assertThrows(NullPointerException.class, () -> new Validator((byte[]) null));
        try (Validator v = Fixtures.testValidator()) {
            assertThrows(IllegalArgumentException.class,
                    () -> v.validate(Fixtures.bytes("prod.lic"), SERIAL + "\0", CODE, NOW));
        }
    }
}
