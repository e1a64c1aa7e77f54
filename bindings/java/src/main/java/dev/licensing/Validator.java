package dev.licensing;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.licensing.NativeMethods.SizeT;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Validates license files against a set of trusted public keys
 * ({@code lic_validator}). Thread-safe: share one validator between threads.
 * Close it when done; licenses it made stay usable after it is closed.
 */
public final class Validator implements AutoCloseable {
    private final NativeMethods lib;
    private final Handle handle;
    /** The last serial number and activation code given, encoded once (a runtime gives the same ones). */
    private final NativeStrings.LastCString serialNumbers = new NativeStrings.LastCString();
    private final NativeStrings.LastCString activationCodes = new NativeStrings.LastCString();

    /**
     * A validator trusting every {@code -----BEGIN PUBLIC KEY-----} block
     * (P-256, SPKI PEM) in {@code trustedKeysPem}.
     *
     * @throws LicensingException {@link ResultCode#BAD_TRUSTED_KEYS} when the text holds no valid key
     */
    public Validator(String trustedKeysPem) {
        this(trustedKeysPem, null);
    }

    /**
     * A validator trusting the keys in {@code trustedKeysPem}, for a runtime of
     * the platform version {@code platformVersion} (dotted numbers like
     * {@code "11.14"}; null: not told, so caps are not checked): its
     * validations refuse a license whose platform version cap does not cover
     * that version with {@link ResultCode#PLATFORM_VERSION_NOT_COVERED}
     * ({@code lic_validator_new_for_platform}; the library compares the
     * versions: a cap of 11.14 covers 11.14, 11.14.3 and 11.9, not 11.15).
     *
     * @throws LicensingException {@link ResultCode#INVALID_PLATFORM_VERSION} when
     *     {@code platformVersion} is not a version, {@link ResultCode#BAD_TRUSTED_KEYS}
     *     when the text holds no valid key
     */
    public Validator(String trustedKeysPem, String platformVersion) {
        this(Objects.requireNonNull(trustedKeysPem, "trustedKeysPem").getBytes(StandardCharsets.UTF_8),
                platformVersion);
    }

    /**
     * A validator trusting the keys in {@code trustedKeysPem} (UTF-8 PEM text).
     *
     * @throws LicensingException {@link ResultCode#BAD_TRUSTED_KEYS} when the text holds no
     *     valid key, {@link ResultCode#INVALID_UTF8} when it is not UTF-8
     */
    public Validator(byte[] trustedKeysPem) {
        this(trustedKeysPem, null);
    }

    /**
     * A validator trusting the keys in {@code trustedKeysPem} (UTF-8 PEM text),
     * for a runtime of the platform version {@code platformVersion} (null: not
     * told); see {@link #Validator(String, String)}.
     *
     * @throws LicensingException {@link ResultCode#INVALID_PLATFORM_VERSION} when
     *     {@code platformVersion} is not a version, {@link ResultCode#BAD_TRUSTED_KEYS}
     *     when the text holds no valid key, {@link ResultCode#INVALID_UTF8} when it is not UTF-8
     */
    public Validator(byte[] trustedKeysPem, String platformVersion) {
        Objects.requireNonNull(trustedKeysPem, "trustedKeysPem");
        Pointer version = NativeStrings.cString(platformVersion, "platformVersion");
        lib = NativeLoader.library();
        PointerByReference out = new PointerByReference();
        Pointer pem = NativeStrings.bytes(trustedKeysPem);
        SizeT len = new SizeT(trustedKeysPem.length);
        int rc;
        String call;
        if (platformVersion == null) {
            call = "lic_validator_new";
            rc = lib.lic_validator_new(pem, len, out);
        } else {
            call = "lic_validator_new_for_platform";
            rc = lib.lic_validator_new_for_platform(pem, len, version, out);
        }
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, call);
        }
        handle = new Handle(this, "Validator", out.getValue(), lib::lic_validator_free);
        DirectMethods.init();
    }

    /**
     * Validates a license file (binary or text form).
     *
     * @param licenseFile the file's bytes
     * @param serialNumber the environment's serial number, like
     *     {@code 1HA-009-DEZ-RD3-PJA-MNH-C1S-91T}; null for this machine's
     *     (see {@link LicensingLibrary#serialNumberThisMachine()})
     * @param activationCode the activation code the license must belong to; null: not checked
     * @param unixTime the time to validate at, in seconds since 1970 UTC; null: now
     * @return the valid license, to close when done
     * @throws LicensingException when the license is not valid
     *     ({@link ResultCode#MALFORMED} to {@link ResultCode#PLATFORM_VERSION_NOT_COVERED}) or an
     *     argument is wrong ({@link ResultCode#INVALID_SERIAL_NUMBER},
     *     {@link ResultCode#INVALID_ACTIVATION_CODE}, {@link ResultCode#NO_HARDWARE_IDENTITY})
     * @throws IllegalStateException when this validator is closed
     */
    public License validate(byte[] licenseFile, String serialNumber, String activationCode, Long unixTime) {
        Objects.requireNonNull(licenseFile, "licenseFile");
        NativeStrings.LastCString.Encoded serial = serialNumbers.encode(serialNumber, "serialNumber");
        NativeStrings.LastCString.Encoded code = activationCodes.encode(activationCode, "activationCode");
        long time = unixTime == null ? Long.MIN_VALUE /* LIC_NOW */ : unixTime;
        Scratch scratch = Scratch.get();
        Memory[] large = new Memory[1];
        long license;
        long v = handle.acquire();
        try {
            // One copy of the file into this thread's native memory (NULL for an empty file: the ABI allows it).
            long file = scratch.bytes(licenseFile, large);
            int rc = DirectMethods.lic_validator_validate(v, file, licenseFile.length,
                    serial == null ? 0 : serial.address, code == null ? 0 : code.address, time, scratch.slot(0));
            if (rc != ResultCode.OK.value()) {
                throw LicensingException.fromLastError(rc, "lic_validator_validate");
            }
            license = scratch.longAt(0);
        } finally {
            handle.release(this);
            Reference.reachabilityFence(serial);
            Reference.reachabilityFence(code);
            Reference.reachabilityFence(large);
        }
        return new License(lib, new Pointer(license));
    }

    /** Validates for this machine, any activation code, now. */
    public License validate(byte[] licenseFile) {
        return validate(licenseFile, null, null, null);
    }

    /** Runs {@code body} with the live native validator (for {@link Store}); throws if closed. */
    <T> T use(java.util.function.Function<Pointer, T> body) {
        return handle.use(this, body);
    }

    /** The handle, for {@link Store}'s direct calls. */
    Handle handle() {
        return handle;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Frees the native validator; later calls do nothing. */
    @Override
    public void close() {
        handle.close();
    }
}
