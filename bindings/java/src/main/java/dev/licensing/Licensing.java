package dev.licensing;

import com.sun.jna.Pointer;

/** Library-wide functions. */
public final class Licensing {
    private Licensing() {}

    /**
     * This environment's serial number: from the pinned identity in
     * {@code LICENSING_IDENTITY} / {@code LICENSING_IDENTITY_FILE}, else this
     * machine's hardware.
     *
     * @throws LicensingException {@link ResultCode#NO_HARDWARE_IDENTITY} when none can be read
     */
    public static String serialNumberThisMachine() {
        LicensingLibrary lib = NativeLoader.library();
        return NativeStrings.read(lib::lic_serial_number_this_machine, "lic_serial_number_this_machine");
    }

    /** The native library's version, like {@code 0.1.0}. */
    public static String version() {
        Pointer p = NativeLoader.library().lic_version();
        if (p == null) {
            throw new IllegalStateException("lic_version returned NULL");
        }
        return p.getString(0, "UTF-8");
    }
}
