package dev.licensing;

import static dev.licensing.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The façade LicensingLibrary: version and this machine's serial number. */
class LicensingLibraryTest {
    @Test
    void version() {
        assertTrue(LicensingLibrary.version().matches("\\d+\\.\\d+\\.\\d+"), LicensingLibrary.version());
    }

    @Test
    void serialNumberThisMachineAgreesWithValidation() {
        // Either this environment has an identity (hardware, or LICENSING_IDENTITY) or it has
        // none; validate(serial = null) must use the same one.
        String serial;
        try {
            serial = LicensingLibrary.serialNumberThisMachine();
        } catch (LicensingException e) {
            assertEquals(ResultCode.NO_HARDWARE_IDENTITY, e.code(), e.getMessage());
            try (Validator v = Fixtures.testValidator()) {
                LicensingException again = assertThrows(LicensingException.class,
                        () -> v.validate(Fixtures.bytes("prod.lic"), null, null, NOW));
                assertEquals(ResultCode.NO_HARDWARE_IDENTITY, again.code());
            }
            return;
        }
        assertTrue(serial.matches("[0-9A-Z]{3}(-[0-9A-Z]{3}){7}"), serial);
        try (Validator v = Fixtures.testValidator()) {
            if (serial.equals(Fixtures.SERIAL)) {
                try (License l = v.validate(Fixtures.bytes("prod.lic"), null, null, NOW)) {
                    assertEquals(Fixtures.SERIAL, l.serialNumber());
                }
            } else {
                LicensingException e = assertThrows(LicensingException.class,
                        () -> v.validate(Fixtures.bytes("prod.lic"), null, null, NOW));
                assertEquals(ResultCode.WRONG_SERIAL, e.code(), e.getMessage());
            }
            // The same serial passed explicitly gives the same verdict.
            if (!serial.equals(Fixtures.SERIAL)) {
                assertEquals(ResultCode.WRONG_SERIAL, assertThrows(LicensingException.class,
                        () -> v.validate(Fixtures.bytes("prod.lic"), serial, null, NOW)).code());
            }
        }
    }

    @Test
    void nowIsTheClock() {
        // prod.lic is valid from 2025-01-15 and its grace ends 2028-01-31: at the real clock it is
        // valid until then, and expired.lic is expired for good.
        try (Validator v = Fixtures.testValidator()) {
            assertEquals(ResultCode.EXPIRED, assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("expired.lic"), Fixtures.SERIAL, null, null)).code());
            if (System.currentTimeMillis() / 1000 < 1830297600L - 31 * 86400L) {
                try (License l = v.validate(Fixtures.bytes("prod.lic"), Fixtures.SERIAL, null, null)) {
                    assertEquals(State.ACTIVE, l.state());
                }
            }
        }
    }
}
