package dev.licensing;

import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The native library as a whole: where it is loaded from, its version,
 * this machine's serial number, and where licenses come from in its messages.
 *
 * <p>The library is found by one rule, the same in every binding: the path
 * given to {@link #load(Path)} (or the system property
 * {@code licensing.library}); else the path in the environment variable
 * {@code LICENSING_LIBRARY}; else the system's search for {@code licensing}
 * (JNA's: {@code jna.library.path}, {@code LD_LIBRARY_PATH} through the
 * dynamic loader, and a {@code linux-x86-64/liblicensing.so} resource on the
 * classpath; JNA does not read {@code java.library.path}). The first
 * use of any class of this package loads it; when nothing loads, an
 * {@link UnsatisfiedLinkError} says what was tried where and what to do.
 */
public final class LicensingLibrary {
    private LicensingLibrary() {}

    /**
     * Loads the native library from {@code path} (a file like
     * {@code /opt/acme/lib/liblicensing.so}), ahead of the other ways of
     * finding it. Call it once, at start-up, before any other use of this
     * package; calling it again with the same path does nothing.
     *
     * @throws UnsatisfiedLinkError when the file is missing or is not a loadable library
     * @throws IllegalStateException when the library is already loaded from another path
     */
    public static void load(Path path) {
        NativeLoader.load(Objects.requireNonNull(path, "path"));
    }

    /**
     * This environment's serial number: from the pinned identity in
     * {@code LICENSING_IDENTITY} / {@code LICENSING_IDENTITY_FILE}, else this
     * machine's hardware as it is now. {@link Store#serialNumber()} gives the
     * serial a store keeps through a minority of hardware changes.
     *
     * @throws LicensingException {@link ResultCode#NO_HARDWARE_IDENTITY} when none can be read
     */
    public static String serialNumberThisMachine() {
        NativeMethods lib = NativeLoader.library();
        return NativeStrings.read(lib::lic_serial_number_this_machine, "lic_serial_number_this_machine");
    }

    /**
     * Sets, for the whole process, where licenses come from as the library's
     * messages (the last error, status warnings) say it: a noun phrase that
     * reads after "from", like {@code "the Acme customer portal"} (a message
     * then ends "get it again from the Acme customer portal"). {@code null}
     * or {@code ""} brings back the default, "your vendor". Call it once, at
     * start-up: it applies to every thread.
     *
     * @throws IllegalArgumentException when {@code text} contains a NUL character
     * @throws LicensingException when the library refuses the text
     */
    public static void setLicenseSource(String text) {
        Pointer p = NativeStrings.cString(text, "text");
        int rc = NativeLoader.library().lic_set_license_source(p);
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, "lic_set_license_source");
        }
    }

    /** The native library's version, like {@code 0.1.0}. */
    public static String version() {
        Pointer p = NativeLoader.library().lic_version();
        if (p == null) {
            throw new IllegalStateException("lic_version returned NULL: the native library is broken; reinstall it");
        }
        return p.getString(0, "UTF-8");
    }
}
