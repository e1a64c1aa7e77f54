package dev.licensing;

import static dev.licensing.Fixtures.CODE;
import static dev.licensing.Fixtures.NOW;
import static dev.licensing.Fixtures.SERIAL;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Handles: freed once, closed twice safely, unusable after close. */
class LifecycleTest {
    @Test
    void closeTwiceIsSafe() {
        Validator v = Fixtures.testValidator();
        License l = v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW);
        assertFalse(l.isClosed());
        l.close();
        assertTrue(l.isClosed());
        assertDoesNotThrow(l::close);
        assertFalse(v.isClosed());
        v.close();
        assertTrue(v.isClosed());
        assertDoesNotThrow(v::close);
        assertEquals("License[closed]", l.toString());
    }

    @Test
    void validatorUseAfterCloseThrows() {
        Validator v = Fixtures.testValidator();
        v.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void licenseUseAfterCloseThrows() {
        License l;
        try (Validator v = Fixtures.testValidator()) {
            l = v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW);
        }
        l.close();
        List<Executable> uses = List.of(l::state, l::daysLeft, () -> l.hasFeature("sso-saml"),
                () -> l.limit("tenants"), () -> l.limitEnforcement("tenants"), () -> l.checkUsage("tenants", 1),
                // Names answered without the library still check the handle.
                () -> l.hasFeature("sso\uD800"), () -> l.checkUsage("tenants\uD800", 1),
                () -> l.limit("tenants\0"), () -> l.limitEnforcement("tenants\uDC00"),
                l::expiresAt, l::issuedAt, l::revision, l::licenseType, l::purpose, l::features, l::limits,
                l::activationCode, l::serialNumber, l::organization, l::edition, l::support,
                l::environmentName, l::licenseId);
        for (Executable use : uses) {
            assertThrows(IllegalStateException.class, use);
        }
    }

    @Test
    void licenseOutlivesItsValidator() {
        License l;
        try (Validator v = Fixtures.testValidator()) {
            l = v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW);
        }
        try (l) {
            assertEquals("Acme Corp", l.organization());
            assertEquals(10, l.features().size());
        }
    }

    @Test
    void unclosedHandlesAreCleaned() throws InterruptedException {
        // Leaked handles are freed by the Cleaner; this must neither crash nor free twice.
        for (int i = 0; i < 200; i++) {
            Validator v = Fixtures.testValidator();
            v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW);
            if (i % 2 == 0) {
                v.close();
            }
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        try (Validator v = Fixtures.testValidator();
                License l = v.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW)) {
            assertEquals(State.ACTIVE, l.state());
        }
    }
}
