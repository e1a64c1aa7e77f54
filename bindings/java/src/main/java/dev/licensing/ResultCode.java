package dev.licensing;

/**
 * The {@code lic_result} codes of include/licensing.h, with their stable
 * numeric values. What kind of failure a code is ({@link #isLicenseInvalid()},
 * {@link #isMisuse()}, {@link #isEnvironment()}) is the library's answer, the
 * same in every binding.
 */
public enum ResultCode {
    /** Success. */
    OK(0),
    /** A required pointer argument was NULL. */
    NULL_ARGUMENT(1),
    /** A string argument is not valid UTF-8. */
    INVALID_UTF8(2),
    /** The caller's buffer is too small (handled inside this binding). */
    BUFFER_TOO_SMALL(3),
    /** A serial number argument is not a valid serial number. */
    INVALID_SERIAL_NUMBER(4),
    /** An activation code argument is not a valid activation code. */
    INVALID_ACTIVATION_CODE(5),
    /** An index argument is out of range. */
    INDEX_OUT_OF_RANGE(6),
    /** A platform version argument is not dotted numbers like {@code 11.14}. */
    INVALID_PLATFORM_VERSION(7),
    /**
     * An environment name argument is empty, too long (over 100 characters) or
     * holds a control character ({@link Store#activationRequest}).
     */
    INVALID_ENVIRONMENT_NAME(8),
    /** A purpose argument is not one of the {@link Purpose} values. */
    INVALID_PURPOSE(9),
    /** The library panicked; this is a bug. The call had no effect. */
    PANIC(99),
    /** The trusted keys are not P-256 public keys in SPKI PEM. */
    BAD_TRUSTED_KEYS(100),
    /** The license file is malformed (not a license file, cut short, ...). */
    MALFORMED(200),
    /** The license file's format version is not supported. */
    UNSUPPORTED_VERSION(201),
    /** The license file is signed by a key that is not trusted. */
    UNKNOWN_KEY(202),
    /** The signature does not match the contents: altered or damaged. */
    BAD_SIGNATURE(203),
    /** The license belongs to another activation code. */
    WRONG_ACTIVATION_CODE(204),
    /** The license is for another environment's serial number. */
    WRONG_SERIAL(205),
    /** The license is not valid yet (check the clock). */
    NOT_YET_VALID(206),
    /** The license expired and its grace period ended. */
    EXPIRED(207),
    /**
     * The license carries a critical extension this library does not know: a
     * newer runtime is needed.
     */
    UNKNOWN_CRITICAL_EXTENSION(208),
    /**
     * The license's platform version cap does not cover the platform version
     * the validator was made for ({@link Validator#Validator(String, String)}).
     */
    PLATFORM_VERSION_NOT_COVERED(209),
    /** The license sets no such limit. */
    NO_SUCH_LIMIT(300),
    /** The license never expires, so it has no expiry time. */
    NEVER_EXPIRES(301),
    /** The status has no valid license (trial, expired or invalid). */
    NO_LICENSE(302),
    /** No stable hardware identity could be read and none is pinned. */
    NO_HARDWARE_IDENTITY(400),
    /** A file of the license store could not be read or written. */
    STORE_IO(500),
    /** The license is older than the installed one (install with force to downgrade). */
    DOWNGRADE(501),
    /** There is no previous license to restore. */
    NO_BACKUP(502),
    /** The store's state file is damaged. */
    CORRUPT_STATE(503),
    /**
     * The directory holds no license store ({@link Store#open} of a mistyped
     * path, say): create one with {@link Store#create}.
     */
    NO_STORE(504),
    /**
     * The clock reset was already applied by this store, or a later one was:
     * each is applied once (ask the vendor for a new one). An answer, none of
     * the three kinds of failure.
     */
    CLOCK_RESET_USED(505),
    /**
     * The usage summary is damaged, not a summary, or of another infrastructure
     * (the detail says which): make it again from this infrastructure's usage
     * reports ({@link Store#installUsageSummary}).
     */
    BAD_USAGE_SUMMARY(506),
    /**
     * Not a code of the C ABI: a value this binding does not know (a newer
     * library). {@link LicensingException#rawCode()} has the number.
     */
    UNKNOWN(-1);

    private final int value;

    ResultCode(int value) {
        this.value = value;
    }

    /** The numeric {@code lic_result} value ({@code -1} for {@link #UNKNOWN}). */
    public int value() {
        return value;
    }

    /** The C name, like {@code LIC_EXPIRED}. */
    public String cName() {
        return "LIC_" + name();
    }

    /** The code with this value, or {@link #UNKNOWN}. */
    public static ResultCode of(int value) {
        for (ResultCode c : values()) {
            if (c.value == value && c != UNKNOWN) {
                return c;
            }
        }
        return UNKNOWN;
    }

    /**
     * Whether the code says the license is not valid here (malformed,
     * untrusted, altered, for another activation code or serial, not yet
     * valid, expired): show the message to an administrator, who acts on it.
     */
    public boolean isLicenseInvalid() {
        return NativeLoader.library().lic_result_is_license_invalid(value) != 0;
    }

    /**
     * Whether the code says the caller misused the API (a NULL or non-UTF-8
     * argument, a too-small buffer, an index out of range, a malformed serial
     * number, activation code, platform version, environment name, purpose or
     * key list): a bug in the calling code.
     */
    public boolean isMisuse() {
        return NativeLoader.library().lic_result_is_misuse(value) != 0;
    }

    /**
     * Whether the code is a problem of the machine rather than of the license
     * or the call (no hardware identity, a store file that cannot be read or
     * written, a damaged state file, a directory that holds no store, a usage
     * summary damaged or of another infrastructure): an operator fixes it.
     */
    public boolean isEnvironment() {
        return NativeLoader.library().lic_result_is_environment(value) != 0;
    }

    /** The library's fixed description of this code ({@code lic_result_message}). */
    public String description() {
        return NativeStrings.resultMessage(NativeLoader.library(), value);
    }
}
