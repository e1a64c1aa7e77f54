package dev.licensing;

import java.util.OptionalInt;

/** The answer of {@code lic_license_days_left} and {@code lic_status_days_left} as an {@link OptionalInt}. */
final class DaysLeft {
    private DaysLeft() {}

    /**
     * Empty for {@code LIC_NEVER_EXPIRES}; the {@code uint32_t} written to
     * {@code out} on success; a {@link LicensingException} otherwise (read on
     * this thread, right after the call).
     */
    static OptionalInt of(int rc, int out, String function) {
        if (rc == ResultCode.NEVER_EXPIRES.value()) {
            return OptionalInt.empty();
        }
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, function);
        }
        // A uint32_t: past Integer.MAX_VALUE days (5.8 million years) is no date a license can hold.
        if (out < 0) {
            throw new IllegalStateException(function + " gave " + Integer.toUnsignedString(out)
                    + " days, more than any license can run: the native library is broken; reinstall it");
        }
        return OptionalInt.of(out);
    }
}
