package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * LicensingLibrary.setLicenseSource: where licenses come from, as the
 * library's messages say it. The setting is the whole process's: each test
 * restores the default whatever happens, and the class is {@link Isolated}
 * so that, should the tests ever run in parallel, no other test reads a
 * message while it is changed (JUnit runs them one at a time by default).
 */
@Isolated
class LicenseSourceTest {
    private static String badSignatureMessage() {
        try (Validator v = Fixtures.testValidator()) {
            LicensingException e = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("bad-signature.lic"), Fixtures.SERIAL, null, Fixtures.NOW));
            assertEquals(ResultCode.BAD_SIGNATURE, e.code(), e.getMessage());
            return e.detail();
        }
    }

    private static void assertEndsWith(String suffix, String message) {
        assertTrue(message.endsWith(suffix), "expected a message ending \"" + suffix + "\", got: " + message);
    }

    @Test
    void messagesNameTheLicenseSource() {
        assertEndsWith("get it again from your vendor", badSignatureMessage());
        try {
            LicensingLibrary.setLicenseSource("the Acme customer portal");
            assertEndsWith("get it again from the Acme customer portal", badSignatureMessage());

            LicensingLibrary.setLicenseSource(null);
            assertEndsWith("get it again from your vendor", badSignatureMessage());

            LicensingLibrary.setLicenseSource("the Acme customer portal");
            LicensingLibrary.setLicenseSource("");
            assertEndsWith("get it again from your vendor", badSignatureMessage());
        } finally {
            LicensingLibrary.setLicenseSource(null);
        }
    }

    @Test
    void aTextWithANulIsRefusedBeforeTheLibrary() {
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> LicensingLibrary.setLicenseSource("the Acme\0portal"));
            assertEndsWith("get it again from your vendor", badSignatureMessage());
        } finally {
            LicensingLibrary.setLicenseSource(null);
        }
    }
}
