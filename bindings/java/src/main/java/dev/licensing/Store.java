package dev.licensing;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.licensing.NativeMethods.SizeT;
import dev.licensing.NativeMethods.UsageEntry;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The license store in a directory ({@code lic_store}): the active license
 * ({@code license.lic}), the previous one ({@code license.lic.bak}), the
 * trial and clock record ({@code state}) and a lock file ({@code .lock}, which
 * marks the directory as a store). {@link #create(Path)} makes one (the
 * installer's call), {@link #open(Path)} opens an existing one. Safe to use from
 * several threads and processes (the library serializes changes with the
 * lock file). Close it when done; licenses and statuses it made stay usable.
 * A null {@code serialNumber} given to its calls means {@link #serialNumber()},
 * the serial the store keeps through a minority of hardware changes.
 */
public final class Store implements AutoCloseable {
    private static final long NOW = Long.MIN_VALUE; // LIC_NOW

    private final NativeMethods lib;
    private final Handle handle;
    /** The last serial number given to {@link #status}, encoded once. */
    private final NativeStrings.LastCString serialNumbers = new NativeStrings.LastCString();
    /**
     * The anchor's JNA callbacks of a store made by {@link #withAnchor}, null
     * otherwise: JNA frees a callback's native stub when its object is
     * collected, so they stay referenced for as long as this store lives (and
     * by the handle's release action, until the native store is freed).
     */
    private final AnchorCallbacks anchor;

    private Store(NativeMethods lib, Pointer pointer) {
        this(lib, pointer, null);
    }

    private Store(NativeMethods lib, Pointer pointer, AnchorCallbacks anchor) {
        this.lib = lib;
        this.anchor = anchor;
        this.handle = new Handle(this, "Store", pointer, release(lib, anchor));
        DirectMethods.init();
    }

    /** The handle's release action: must not refer to the Store. */
    private static java.util.function.Consumer<Pointer> release(NativeMethods lib, AnchorCallbacks anchor) {
        if (anchor == null) {
            return lib::lic_store_free;
        }
        return p -> {
            lib.lic_store_free(p);
            Reference.reachabilityFence(anchor);
        };
    }

    /**
     * The C callbacks over an {@link Anchor}: whatever the anchor throws
     * becomes a failure ({@code LIC_ANCHOR_FAILED}, or 1 from save), never an
     * exception crossing the native frames.
     */
    private static final class AnchorCallbacks {
        final NativeMethods.AnchorLoad load;
        final NativeMethods.AnchorSave save;

        AnchorCallbacks(Anchor anchor) {
            this.load = (context, key, buf, len, written) -> {
                try {
                    byte[] data = anchor.load(key.getString(0, StandardCharsets.UTF_8.name()));
                    if (data == null) {
                        return NativeMethods.LIC_ANCHOR_NOT_FOUND;
                    }
                    if (data.length > len.longValue()) {
                        return NativeMethods.LIC_ANCHOR_FAILED;
                    }
                    if (data.length > 0) {
                        buf.write(0, data, 0, data.length);
                    }
                    NativeStrings.writeSizeT(written, data.length);
                    return NativeMethods.LIC_ANCHOR_FOUND;
                } catch (Throwable t) {
                    return NativeMethods.LIC_ANCHOR_FAILED;
                }
            };
            this.save = (context, key, bytes, len) -> {
                try {
                    long n = len.longValue();
                    if (n < 0 || n > Integer.MAX_VALUE) {
                        return 1;
                    }
                    byte[] data = n == 0 ? new byte[0] : bytes.getByteArray(0, (int) n);
                    anchor.save(key.getString(0, StandardCharsets.UTF_8.name()), data);
                    return 0;
                } catch (Throwable t) {
                    return 1;
                }
            };
        }
    }

    /**
     * Opens the existing store in {@code dir} ({@code lic_store_open}): a
     * directory holding none of the store's files (a mistyped path, say) is an
     * error, never a new store on a fresh trial. An installer makes the store
     * with {@link #create(Path)}.
     *
     * @throws LicensingException {@link ResultCode#NO_STORE} when {@code dir} is missing or holds
     *     no store (nothing is created), {@link ResultCode#STORE_IO} when it cannot be read
     */
    public static Store open(Path dir) {
        Objects.requireNonNull(dir, "dir");
        NativeMethods lib = NativeLoader.library();
        Pointer path = NativeStrings.cString(dir.toString(), "dir");
        PointerByReference out = new PointerByReference();
        int rc = lib.lic_store_open(path, out);
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, "lic_store_open");
        }
        return new Store(lib, out.getValue());
    }

    /**
     * Opens the store in {@code dir}, creating the directory and an empty
     * store in it when there is none ({@code lic_store_create}): the
     * installer's call. Only the empty lock file, which marks the directory as
     * a store, is written; the trial starts at the first {@link #status}.
     * Creating an existing store opens it as it is.
     *
     * @throws LicensingException {@link ResultCode#STORE_IO} when the directory or the lock
     *     file cannot be created
     */
    public static Store create(Path dir) {
        Objects.requireNonNull(dir, "dir");
        NativeMethods lib = NativeLoader.library();
        Pointer path = NativeStrings.cString(dir.toString(), "dir");
        PointerByReference out = new PointerByReference();
        int rc = lib.lic_store_create(path, out);
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, "lic_store_create");
        }
        return new Store(lib, out.getValue());
    }

    /**
     * Opens the existing store in {@code dir} like {@link #open(Path)}, with how far the
     * clock may be behind the latest time the store has seen before a status
     * reports it as turned back ({@link #open(Path)} allows a day). Fractions
     * of a second are dropped.
     *
     * @throws IllegalArgumentException when {@code clockTolerance} is negative
     * @throws LicensingException as {@link #open(Path)} ({@link ResultCode#NO_STORE} when
     *     {@code dir} holds no store)
     */
    public static Store open(Path dir, Duration clockTolerance) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clockTolerance, "clockTolerance");
        if (clockTolerance.isNegative()) {
            throw new IllegalArgumentException("clockTolerance must not be negative: " + clockTolerance);
        }
        long seconds = clockTolerance.getSeconds();
        NativeMethods lib = NativeLoader.library();
        Pointer path = NativeStrings.cString(dir.toString(), "dir");
        PointerByReference out = new PointerByReference();
        int rc = lib.lic_store_open_with_clock_tolerance(path, seconds, out);
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, "lic_store_open_with_clock_tolerance");
        }
        return new Store(lib, out.getValue());
    }

    /**
     * This environment's serial number as the store keeps it: read from the
     * pinned identity ({@code LICENSING_IDENTITY} / {@code LICENSING_IDENTITY_FILE})
     * or the hardware (below {@code LICENSING_HARDWARE_ROOT} when set), and
     * reconciled with the fingerprint record in the store's directory, so that
     * it stays the same while most of the recorded hardware components are
     * still there. The calls of this class given a null serial number use it;
     * show it to the administrator who requests a license.
     *
     * @throws LicensingException {@link ResultCode#NO_HARDWARE_IDENTITY} when no identity can
     *     be read, {@link ResultCode#STORE_IO} when the record cannot be read or written
     */
    public String serialNumber() {
        return handle.use(this, s -> NativeStrings.read((buf, len, w) -> lib.lic_store_serial_number(s, buf, len, w),
                "lic_store_serial_number"));
    }

    private static long time(Long unixTime) {
        return unixTime == null ? NOW : unixTime;
    }

    /** Runs {@code body} with the live store and validator pointers. */
    private <T> T use(Validator validator, java.util.function.BiFunction<Pointer, Pointer, T> body) {
        Objects.requireNonNull(validator, "validator");
        return handle.use(this, s -> validator.use(v -> body.apply(s, v)));
    }

    /**
     * Validates {@code licenseFile} (binary or text form) for this
     * environment and makes it the active license atomically, keeping the
     * previous one as the backup.
     *
     * @param serialNumber the environment's serial number; null for {@link #serialNumber()}
     * @param unixTime the time to validate at, in seconds since 1970 UTC; null: now
     *     (the library judges at the later of this and the latest time it has seen)
     * @param force install even an older revision of the same subscription and environment
     * @return the installed license, to close when done
     * @throws LicensingException when the license is not valid here ({@link ResultCode#MALFORMED}
     *     to {@link ResultCode#EXPIRED}; the store is then unchanged), {@link ResultCode#DOWNGRADE}
     *     for an older revision without {@code force}, {@link ResultCode#STORE_IO},
     *     {@link ResultCode#INVALID_SERIAL_NUMBER}, {@link ResultCode#NO_HARDWARE_IDENTITY}
     */
    public License install(Validator validator, byte[] licenseFile, String serialNumber, Long unixTime,
            boolean force) {
        Objects.requireNonNull(licenseFile, "licenseFile");
        Pointer file = NativeStrings.bytes(licenseFile);
        Pointer serial = NativeStrings.cString(serialNumber, "serialNumber");
        long time = time(unixTime);
        Pointer license = use(validator, (s, v) -> {
            PointerByReference out = new PointerByReference();
            int rc = lib.lic_store_install(s, v, file, new SizeT(licenseFile.length), serial, time,
                    (byte) (force ? 1 : 0), out);
            if (rc != ResultCode.OK.value()) {
                throw LicensingException.fromLastError(rc, "lic_store_install");
            }
            return out.getValue();
        });
        return new License(lib, license);
    }

    /**
     * A store like this one (same directory, same clock tolerance) that keeps
     * its anchor through {@code anchor} instead of {@code LICENSING_ANCHOR_DIR}
     * or the default directory ({@code lic_store_with_anchor}): the records
     * that outlive the store's directory, so that deleting or restoring its
     * files does not restart the trial. An anchor that fails (throws) never
     * stops the store; it only weakens what can be detected.
     *
     * @param anchor called from whichever thread uses the new store: must be thread-safe,
     *     and must not refer to the new store
     * @return a new store, to close when done; this one stays open and is still the caller's
     *     to close
     */
    public Store withAnchor(Anchor anchor) {
        Objects.requireNonNull(anchor, "anchor");
        AnchorCallbacks callbacks = new AnchorCallbacks(anchor);
        Pointer anchored = handle.use(this, s -> {
            PointerByReference out = new PointerByReference();
            int rc = lib.lic_store_with_anchor(s, callbacks.load, callbacks.save, Pointer.NULL, out);
            if (rc != ResultCode.OK.value()) {
                throw LicensingException.fromLastError(rc, "lic_store_with_anchor");
            }
            return out.getValue();
        });
        return new Store(lib, anchored, callbacks);
    }

    /**
     * Installs the vendor's trial extension (a {@code .lic} file starting with
     * {@code LICT}) for this environment: the trial then runs until the
     * extension's end, whatever happened to the store's state (an edited or
     * deleted state, a trial over).
     *
     * @param serialNumber the environment's serial number; null for {@link #serialNumber()}
     * @param unixTime the time to validate at, in seconds since 1970 UTC; null: now
     * @return the trial's new end, in seconds since 1970 UTC
     * @throws LicensingException {@link ResultCode#MALFORMED} (not a trial extension),
     *     {@link ResultCode#UNKNOWN_KEY}, {@link ResultCode#BAD_SIGNATURE},
     *     {@link ResultCode#WRONG_SERIAL} (checked by the validator's trusted keys first;
     *     the store is then unchanged), {@link ResultCode#STORE_IO},
     *     {@link ResultCode#INVALID_SERIAL_NUMBER}, {@link ResultCode#NO_HARDWARE_IDENTITY}
     */
    public long installTrialExtension(Validator validator, byte[] extensionFile, String serialNumber,
            Long unixTime) {
        Objects.requireNonNull(extensionFile, "extensionFile");
        return grant(lib::lic_store_install_trial_extension, "lic_store_install_trial_extension", validator,
                extensionFile, serialNumber, unixTime);
    }

    /**
     * Applies the vendor's clock reset (a file starting with {@code LICR}) for
     * this environment, after a clock set ahead by mistake: the latest time
     * the store has seen goes back to the reset's time, or to {@code unixTime}
     * when that is later (set the clock right first). The trial is not
     * reopened. Each reset is applied once.
     *
     * @param serialNumber the environment's serial number; null for {@link #serialNumber()}
     * @param unixTime the host's clock, in seconds since 1970 UTC; null: now
     * @return the latest time the store has seen now, in seconds since 1970 UTC
     * @throws LicensingException {@link ResultCode#CLOCK_RESET_USED} when this reset (or a later
     *     one) was already applied; {@link ResultCode#MALFORMED} (not a clock reset),
     *     {@link ResultCode#UNKNOWN_KEY}, {@link ResultCode#BAD_SIGNATURE},
     *     {@link ResultCode#WRONG_SERIAL}, {@link ResultCode#STORE_IO},
     *     {@link ResultCode#INVALID_SERIAL_NUMBER}, {@link ResultCode#NO_HARDWARE_IDENTITY}
     */
    public long resetClock(Validator validator, byte[] resetFile, String serialNumber, Long unixTime) {
        Objects.requireNonNull(resetFile, "resetFile");
        return grant(lib::lic_store_reset_clock, "lic_store_reset_clock", validator, resetFile, serialNumber,
                unixTime);
    }

    /** The shape of {@code lic_store_install_trial_extension} and {@code lic_store_reset_clock}. */
    private interface GrantCall {
        int call(Pointer store, Pointer validator, Pointer file, SizeT len, Pointer serialNumber, long unixTime,
                LongByReference out);
    }

    /** Calls {@code call} named {@code name} on the file and returns the time it gives. */
    private long grant(GrantCall call, String name, Validator validator, byte[] bytes, String serialNumber,
            Long unixTime) {
        Pointer file = NativeStrings.bytes(bytes);
        Pointer serial = NativeStrings.cString(serialNumber, "serialNumber");
        long time = time(unixTime);
        return use(validator, (s, v) -> {
            LongByReference out = new LongByReference();
            int rc = call.call(s, v, file, new SizeT(bytes.length), serial, time, out);
            if (rc != ResultCode.OK.value()) {
                throw LicensingException.fromLastError(rc, name);
            }
            return out.getValue();
        });
    }

    /**
     * Brings the previous license back (validated first); the current one becomes the backup.
     *
     * @return the restored license, to close when done
     * @throws LicensingException {@link ResultCode#NO_BACKUP} when there is no previous
     *     license; a validation code when the backup is not valid here
     */
    public License restore(Validator validator, String serialNumber, Long unixTime) {
        Pointer serial = NativeStrings.cString(serialNumber, "serialNumber");
        long time = time(unixTime);
        Pointer license = use(validator, (s, v) -> {
            PointerByReference out = new PointerByReference();
            int rc = lib.lic_store_restore(s, v, serial, time, out);
            if (rc != ResultCode.OK.value()) {
                throw LicensingException.fromLastError(rc, "lic_store_restore");
            }
            return out.getValue();
        });
        return new License(lib, license);
    }

    /**
     * The license {@link #restore} would bring back (the one the last install or restore
     * replaced), validated, without changing anything: for an administrator to see before restoring.
     *
     * @return the backup, to close when done; empty when there is none ({@code NO_BACKUP})
     * @throws LicensingException a validation code when the backup is not valid here
     */
    public Optional<License> backup(Validator validator, String serialNumber, Long unixTime) {
        Pointer serial = NativeStrings.cString(serialNumber, "serialNumber");
        long time = time(unixTime);
        Pointer license = use(validator, (s, v) -> {
            PointerByReference out = new PointerByReference();
            int rc = lib.lic_store_backup(s, v, serial, time, out);
            if (rc == ResultCode.NO_BACKUP.value()) {
                return null;
            }
            if (rc != ResultCode.OK.value()) {
                throw LicensingException.fromLastError(rc, "lic_store_backup");
            }
            return out.getValue();
        });
        return license == null ? Optional.empty() : Optional.of(new License(lib, license));
    }

    /**
     * The environment's licensing status at {@code unixTime}, given the
     * host's usage figures by limit name ({@code lic_store_status}). Starts
     * the trial on the first call without a license and records the clock. A
     * store this process may only read still answers, with a warning that the
     * status could not be recorded. A state file that was edited, damaged,
     * cut short, copied from another store or written for another serial is
     * not believed, and is no failure: without a valid license the standing is
     * {@link Standing#TRIAL_OVER} (the trial never restarts), a valid license
     * keeps running, and the warnings say the licensing state "was altered or
     * reset" until a license is installed again. To see the status at another
     * time without recording anything, use {@link #previewStatus}.
     *
     * @param serialNumber the environment's serial number; null for {@link #serialNumber()}
     * @param unixTime the host's clock, in seconds since 1970 UTC; null: now (normally)
     * @param usage usage by limit name (null or empty: none); values must not be negative
     * @return the status, to close when done
     * @throws IllegalArgumentException for a negative usage or a name containing NUL
     */
    public Status status(Validator validator, String serialNumber, Long unixTime, Map<String, Long> usage) {
        return judge(validator, serialNumber, time(unixTime), usage, false);
    }

    /**
     * What {@link #status} would say at {@code unixTime}, a time of the
     * caller's choosing (to show what expiry or the trial's end will look
     * like), recording nothing ({@code lic_store_preview_status}): no trial is
     * started, the latest time the clock has shown stays as it is, no file is
     * written. On a store without a license and no trial yet, it shows the
     * trial as it would start at {@code unixTime}.
     *
     * @param serialNumber the environment's serial number; null for {@link #serialNumber()}
     * @param unixTime the time to judge at, in seconds since 1970 UTC
     * @param usage usage by limit name (null or empty: none); values must not be negative
     * @return the status, to close when done
     * @throws IllegalArgumentException for a negative usage or a name containing NUL
     */
    public Status previewStatus(Validator validator, String serialNumber, long unixTime, Map<String, Long> usage) {
        return judge(validator, serialNumber, unixTime, usage, true);
    }

    /** {@link #status} ({@code preview} false) or {@link #previewStatus} (true). */
    private Status judge(Validator validator, String serialNumber, long time, Map<String, Long> usage,
            boolean preview) {
        // The names' native copies stay referenced here until the call returns.
        List<Pointer> names = new ArrayList<>();
        UsageEntry first = null;
        int count = usage == null ? 0 : usage.size();
        if (count > 0) {
            Structure[] entries = new UsageEntry().toArray(count);
            int i = 0;
            for (Map.Entry<String, Long> e : usage.entrySet()) {
                String name = Objects.requireNonNull(e.getKey(), "usage limit name");
                long value = Objects.requireNonNull(e.getValue(), "usage of " + name);
                if (value < 0) {
                    throw new IllegalArgumentException("usage of " + name + " must not be negative: " + value);
                }
                Pointer cName = NativeStrings.cString(name, "usage limit name");
                names.add(cName);
                UsageEntry entry = (UsageEntry) entries[i++];
                entry.limit = cName;
                entry.usage = value;
                entry.write();
            }
            first = (UsageEntry) entries[0];
        }
        long entries = first == null ? 0 : Pointer.nativeValue(first.getPointer());
        String function = preview ? "lic_store_preview_status" : "lic_store_status";
        NativeStrings.LastCString.Encoded serial = serialNumbers.encode(serialNumber, "serialNumber");
        long serialAddress = serial == null ? 0 : serial.address;
        long[] out = new long[1];
        Objects.requireNonNull(validator, "validator");
        long s = handle.acquire();
        try {
            long v = validator.handle().acquire();
            try {
                int rc = preview
                        ? DirectMethods.lic_store_preview_status(s, v, serialAddress, time, entries, count, out)
                        : DirectMethods.lic_store_status(s, v, serialAddress, time, entries, count, out);
                if (rc != ResultCode.OK.value()) {
                    throw LicensingException.fromLastError(rc, function);
                }
            } finally {
                validator.handle().release(validator);
            }
        } finally {
            handle.release(this);
        }
        // The serial number, the entries' memory and the names' native copies stay referenced until the call returned.
        java.lang.ref.Reference.reachabilityFence(serial);
        java.lang.ref.Reference.reachabilityFence(first);
        java.lang.ref.Reference.reachabilityFence(names);
        Pointer status = new Pointer(out[0]);
        return new Status(lib, status);
    }

    /**
     * This environment's activation request, as armored text ({@code -----BEGIN
     * LICENSING ACTIVATION REQUEST-----}), for the vendor's {@code licensing
     * register SUBSCRIPTION --request FILE} ({@code lic_store_activation_request}):
     * {@link #serialNumber()} under {@code activationCode}, with
     * {@code environmentName}, {@code purpose} and {@code platformVersion}.
     *
     * @param platformVersion the platform version the environment runs, like {@code "11.14"};
     *     null: not known
     * @param unixTime when it is written, in seconds since 1970 UTC; null: now
     * @throws LicensingException {@link ResultCode#INVALID_ACTIVATION_CODE},
     *     {@link ResultCode#INVALID_ENVIRONMENT_NAME} (empty, over 100 characters or a control
     *     character), {@link ResultCode#INVALID_PLATFORM_VERSION},
     *     {@link ResultCode#NO_HARDWARE_IDENTITY}
     */
    public String activationRequest(String activationCode, String environmentName, Purpose purpose,
            String platformVersion, Long unixTime) {
        Objects.requireNonNull(activationCode, "activationCode");
        Objects.requireNonNull(environmentName, "environmentName");
        Objects.requireNonNull(purpose, "purpose");
        Pointer code = NativeStrings.cString(activationCode, "activationCode");
        Pointer name = NativeStrings.cString(environmentName, "environmentName");
        Pointer version = NativeStrings.cString(platformVersion, "platformVersion");
        long time = time(unixTime);
        return handle.use(this, s -> NativeStrings.read(
                (buf, len, w) -> lib.lic_store_activation_request(s, code, name, purpose.value(), version, time,
                        buf, len, w),
                "lic_store_activation_request"));
    }

    /**
     * This environment's usage report, as armored text ({@code -----BEGIN
     * LICENSING USAGE REPORT-----}): the installed license's identity and
     * limits and the daily peaks the store recorded from the usage given to
     * {@link #status} ({@code lic_store_usage_report}), for the management
     * environment or the vendor ({@code licensing usage-summary}).
     *
     * @param serialNumber the environment's serial number; null for {@link #serialNumber()}
     * @param unixTime when it is written, in seconds since 1970 UTC; null: now
     * @throws LicensingException {@link ResultCode#NO_LICENSE} when no license is installed; a
     *     validation code when the installed one is not this environment's (an expired one
     *     still reports)
     */
    public String usageReport(Validator validator, String serialNumber, Long unixTime) {
        Pointer serial = NativeStrings.cString(serialNumber, "serialNumber");
        long time = time(unixTime);
        return use(validator, (s, v) -> NativeStrings.read(
                (buf, len, w) -> lib.lic_store_usage_report(s, v, serial, time, buf, len, w),
                "lic_store_usage_report"));
    }

    /**
     * Gives the store the infrastructure's usage summary (made by {@code
     * licensing usage-summary --out} from the environments' usage reports),
     * replacing the one it had ({@code lic_store_install_usage_summary}): from
     * then on {@link #status} judges the limits summed across the production
     * environments on the infrastructure's total (the other environments'
     * peaks in the summary plus this one's usage).
     *
     * @param serialNumber the environment's serial number; null for {@link #serialNumber()}
     * @param unixTime the time to validate the installed license at, in seconds since 1970 UTC;
     *     null: now
     * @throws LicensingException {@link ResultCode#NO_LICENSE} when no license is installed,
     *     {@link ResultCode#BAD_USAGE_SUMMARY} when the summary is damaged or of another
     *     infrastructure
     */
    public void installUsageSummary(Validator validator, byte[] summary, String serialNumber, Long unixTime) {
        Objects.requireNonNull(summary, "summary");
        Pointer bytes = NativeStrings.bytes(summary);
        Pointer serial = NativeStrings.cString(serialNumber, "serialNumber");
        long time = time(unixTime);
        use(validator, (s, v) -> {
            int rc = lib.lic_store_install_usage_summary(s, v, bytes, new SizeT(summary.length), serial, time);
            if (rc != ResultCode.OK.value()) {
                throw LicensingException.fromLastError(rc, "lic_store_install_usage_summary");
            }
            return null;
        });
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Frees the native store; later calls do nothing. */
    @Override
    public void close() {
        handle.close();
    }
}
