package dev.licensing;

import com.sun.jna.Native;

/**
 * The hot calls of the C ABI through JNA's direct mapping: static native
 * methods registered ({@link Native#register(Class, com.sun.jna.NativeLibrary)})
 * against the one library {@link NativeLoader} loaded. A direct call skips the
 * interface proxy, its reflection and its argument objects.
 *
 * <p>Used for what a runtime calls often: validation, the license's state,
 * reading a license's features and limits once per verification, freeing
 * licenses and statuses, the store's status and what it allows.
 * {@link NativeMethods} binds every function of the header (this class only a
 * part of them, with the same names and numbers of parameters, which
 * {@code HeaderTest} checks).
 *
 * <p>Mapping: handles and every pointer are {@code long} addresses,
 * {@code size_t}, {@code uint64_t} and {@code int64_t} are {@code long}, C
 * {@code bool} returns are {@code byte} (only the low byte is defined). Out-parameters
 * and the bytes a call passes are in this thread's {@link Scratch} memory: with
 * only primitive arguments, JNA calls C without converting anything. The
 * store's calls, which may run the host's anchor callbacks, take their
 * out-parameter as a one-element array ({@code long[]}) instead.
 * 64-bit platforms only (a {@code size_t} and a pointer are 8 bytes), which
 * are the ones the package ships a library for.
 */
final class DirectMethods {
    static {
        if (Native.SIZE_T_SIZE != 8 || Native.POINTER_SIZE != 8) {
            throw new UnsatisfiedLinkError("the Java binding of licensing needs a 64-bit JVM (size_t "
                    + Native.SIZE_T_SIZE + " bytes, pointers " + Native.POINTER_SIZE + " bytes)");
        }
        Native.register(DirectMethods.class, NativeLoader.nativeLibrary());
    }

    private DirectMethods() {}

    /** Loads the class (registers its methods); the library must have loaded. */
    static void init() {
        // The static initializer does the work.
    }

    static native int lic_validator_validate(long validator, long licenseFile, long len, long serialNumber,
            long activationCode, long unixTime, long out);

    static native void lic_license_free(long license);

    static native int lic_license_verification_id(long license, long out);

    static native int lic_license_state(long license, long out, long daysLeft);

    static native int lic_license_days_left(long license, long out);

    static native int lic_license_feature_count(long license, long out);

    static native int lic_license_limit_count(long license, long out);

    static native int lic_license_feature_at(long license, long index, long buf, long len, long written);

    static native int lic_license_limit_at(long license, long index, long buf, long len, long written);

    static native int lic_license_limit_bounds_at(long license, long index, long value, long nearFrom,
            long enforcement);

    /** {@code usage}: the address of {@code usageLen} contiguous {@code lic_usage_entry}, or 0 with 0. */
    static native int lic_store_status(long store, long validator, long serialNumber, long unixTime, long usage,
            long usageLen, long[] out);

    /** As {@code lic_store_status}, recording nothing. */
    static native int lic_store_preview_status(long store, long validator, long serialNumber, long unixTime,
            long usage, long usageLen, long[] out);

    static native void lic_status_free(long status);

    static native int lic_status_standing(long status, long out, long daysLeft);

    static native int lic_status_days_left(long status, long out);

    static native byte lic_status_may_run(long status);

    static native byte lic_status_may_publish(long status);

    static native byte lic_status_may_administer(long status);
}
