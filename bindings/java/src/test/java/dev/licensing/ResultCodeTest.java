package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What kind of failure each code is, as the library classifies it (the header's documentation). */
class ResultCodeTest {
    /** lic_result_is_license_invalid: the license is not valid here. */
    private static final Set<ResultCode> LICENSE_INVALID = EnumSet.of(ResultCode.MALFORMED,
            ResultCode.UNSUPPORTED_VERSION, ResultCode.UNKNOWN_KEY, ResultCode.BAD_SIGNATURE,
            ResultCode.WRONG_ACTIVATION_CODE, ResultCode.WRONG_SERIAL, ResultCode.NOT_YET_VALID, ResultCode.EXPIRED,
            ResultCode.UNKNOWN_CRITICAL_EXTENSION, ResultCode.PLATFORM_VERSION_NOT_COVERED);
    /** lic_result_is_misuse: a bug in the calling code (BAD_TRUSTED_KEYS too, though it is not below 100). */
    private static final Set<ResultCode> MISUSE = EnumSet.of(ResultCode.NULL_ARGUMENT, ResultCode.INVALID_UTF8,
            ResultCode.BUFFER_TOO_SMALL, ResultCode.INVALID_SERIAL_NUMBER, ResultCode.INVALID_ACTIVATION_CODE,
            ResultCode.INDEX_OUT_OF_RANGE, ResultCode.INVALID_PLATFORM_VERSION, ResultCode.INVALID_ENVIRONMENT_NAME,
            ResultCode.INVALID_PURPOSE, ResultCode.BAD_TRUSTED_KEYS);
    /** lic_result_is_environment: the machine or the store's files, for an operator. */
    private static final Set<ResultCode> ENVIRONMENT = EnumSet.of(ResultCode.NO_HARDWARE_IDENTITY,
            ResultCode.STORE_IO, ResultCode.CORRUPT_STATE, ResultCode.NO_STORE, ResultCode.BAD_USAGE_SUMMARY);

    @Test
    void everyCodeIsClassifiedAsTheHeaderSays() {
        for (ResultCode code : ResultCode.values()) {
            assertEquals(LICENSE_INVALID.contains(code), code.isLicenseInvalid(), code + ".isLicenseInvalid()");
            assertEquals(MISUSE.contains(code), code.isMisuse(), code + ".isMisuse()");
            assertEquals(ENVIRONMENT.contains(code), code.isEnvironment(), code + ".isEnvironment()");
        }
    }

    @Test
    void answersSuccessAPanicAndUnknownCodesAreNoneOfTheThree() {
        for (ResultCode code : EnumSet.of(ResultCode.OK, ResultCode.NO_SUCH_LIMIT, ResultCode.NEVER_EXPIRES,
                ResultCode.NO_LICENSE, ResultCode.DOWNGRADE, ResultCode.NO_BACKUP, ResultCode.CLOCK_RESET_USED,
                ResultCode.PANIC, ResultCode.UNKNOWN)) {
            assertFalse(code.isLicenseInvalid() || code.isMisuse() || code.isEnvironment(),
                    code + " is an answer, success, a bug or unknown, not a failure of one of the three kinds");
        }
    }

    @Test
    void realFailuresCarryTheirKind() {
        try (Validator v = Fixtures.testValidator()) {
            LicensingException expired = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("expired.lic"), Fixtures.SERIAL, null, Fixtures.NOW));
            assertTrue(expired.code().isLicenseInvalid(),
                    "an expired license is not valid here: " + expired.getMessage());
            LicensingException badSerial = assertThrows(LicensingException.class,
                    () -> v.validate(Fixtures.bytes("prod.lic"), "not-a-serial", null, Fixtures.NOW));
            assertTrue(badSerial.code().isMisuse(),
                    "a malformed serial is the caller's mistake: " + badSerial.getMessage());
        }
        LicensingException badKeys = assertThrows(LicensingException.class, () -> new Validator("not a key").close());
        assertTrue(badKeys.code().isMisuse(),
                "keys that are not keys are the caller's mistake: " + badKeys.getMessage());
    }

    @Test
    void openingADirectoryWithoutAStoreIsForTheOperator(@TempDir Path dir) {
        LicensingException noStore = assertThrows(LicensingException.class,
                () -> Store.open(dir.resolve("missing")).close());
        assertEquals(ResultCode.NO_STORE, noStore.code(), noStore.getMessage());
        assertTrue(noStore.code().isEnvironment(),
                "a path that holds no store is the operator's to fix: " + noStore.getMessage());
    }
}
