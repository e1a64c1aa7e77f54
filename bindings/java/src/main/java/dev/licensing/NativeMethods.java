package dev.licensing;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C ABI of include/licensing.h, one method per exported function (the
 * name .NET gives its P/Invoke class). {@link NativeLoader} makes the one
 * instance; the public classes call it for what is not on a hot path, and the
 * tests call it as the raw C functions. The hot calls (validation, the
 * license's state, reading a license's features and limits once, the
 * store's status) go through {@link DirectMethods}, JNA's direct mapping of
 * the same library, which costs a fraction of this interface's calls.
 *
 * <p>Mapping: {@code lic_result} and the C enums are {@code uint32_t}/{@code int}
 * and map to {@code int}; {@code size_t} maps to {@link SizeT}; {@code size_t *}
 * out-parameters are raw {@link Pointer}s to {@link Native#SIZE_T_SIZE} bytes;
 * C {@code bool} returns map to {@code byte} (only the low byte is defined) and
 * {@code bool} arguments are passed as a {@code byte} 0 or 1;
 * strings are passed as NUL-terminated UTF-8 in {@link Pointer}s made by
 * {@link NativeStrings}, never through JNA's String conversion; a name given
 * as {@code const uint8_t *} plus a {@code size_t} length (the {@code _n}
 * lookups) is a {@code byte[]} of UTF-8, which JNA copies to native memory
 * for the call, and its length as a {@link SizeT}.
 */
interface NativeMethods extends Library {

    /** C {@code size_t}. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /**
     * C {@code struct lic_usage_entry}: a limit's name (NUL-terminated UTF-8)
     * and the host's usage. Arrays of it must be contiguous: make them with
     * {@link Structure#toArray(int)} and pass the first element.
     */
    @Structure.FieldOrder({"limit", "usage"})
    class UsageEntry extends Structure {
        public Pointer limit;
        public long usage;

        public UsageEntry() {
            super();
        }
    }

    /** {@code LIC_ANCHOR_FOUND}: {@link AnchorLoad}'s answer when the bytes were written to the buffer. */
    int LIC_ANCHOR_FOUND = 0;

    /** {@code LIC_ANCHOR_NOT_FOUND}: {@link AnchorLoad}'s answer when nothing was ever saved under the key. */
    int LIC_ANCHOR_NOT_FOUND = 1;

    /** {@code LIC_ANCHOR_FAILED}: {@link AnchorLoad}'s answer when the anchor could not be read or does not fit. */
    int LIC_ANCHOR_FAILED = 2;

    /** {@code LIC_ANCHOR_MAX_LEN}: the most bytes an anchor is ever asked to keep under one key. */
    int LIC_ANCHOR_MAX_LEN = 1024;

    /**
     * C {@code lic_anchor_load_fn}: loads the bytes saved under {@code key}
     * (NUL-terminated) into {@code buf} ({@code len} bytes), their length to
     * {@code *written} (a {@code size_t}); returns {@link #LIC_ANCHOR_FOUND},
     * {@link #LIC_ANCHOR_NOT_FOUND} or {@link #LIC_ANCHOR_FAILED}. Must not throw.
     */
    interface AnchorLoad extends Callback {
        int invoke(Pointer context, Pointer key, Pointer buf, SizeT len, Pointer written);
    }

    /**
     * C {@code lic_anchor_save_fn}: saves {@code len} bytes under {@code key};
     * returns 0 when they were kept, anything else when not. Must not throw.
     */
    interface AnchorSave extends Callback {
        int invoke(Pointer context, Pointer key, Pointer bytes, SizeT len);
    }

    Pointer lic_version();

    /** {@code text}: NUL-terminated UTF-8, or NULL for the default. */
    int lic_set_license_source(Pointer text);

    void lic_license_free(Pointer license);

    int lic_license_state(Pointer license, IntByReference out, IntByReference daysLeft);

    /** {@code LIC_NEVER_EXPIRES}, with nothing written, for a license that never expires. */
    int lic_license_days_left(Pointer license, IntByReference out);

    byte lic_license_has_feature(Pointer license, Pointer feature);

    /** {@code feature}: {@code len} bytes of UTF-8, no NUL needed (null with 0 is the empty name). */
    byte lic_license_has_feature_n(Pointer license, byte[] feature, SizeT len);

    int lic_license_limit(Pointer license, Pointer limit, LongByReference out);

    int lic_license_limit_enforcement(Pointer license, Pointer limit, IntByReference out);

    /** {@code limit}: {@code len} bytes of UTF-8, no NUL needed (null with 0 is the empty name). */
    int lic_license_limit_n(Pointer license, byte[] limit, SizeT len, LongByReference out);

    /** {@code limit}: {@code len} bytes of UTF-8, no NUL needed (null with 0 is the empty name). */
    int lic_license_limit_enforcement_n(Pointer license, byte[] limit, SizeT len, IntByReference out);

    int lic_license_check_usage(Pointer license, Pointer limit, long usage, IntByReference out);

    /** {@code limit}: {@code len} bytes of UTF-8, no NUL needed (null with 0 is the empty name). */
    int lic_license_check_usage_n(Pointer license, byte[] limit, SizeT len, long usage, IntByReference out);

    int lic_license_expires_at(Pointer license, LongByReference unixTime);

    int lic_license_issued_at(Pointer license, LongByReference unixTime);

    int lic_license_revision(Pointer license, IntByReference out);

    int lic_license_type(Pointer license, IntByReference out);

    int lic_license_purpose(Pointer license, IntByReference out);

    int lic_license_feature_count(Pointer license, Pointer out);

    int lic_license_limit_count(Pointer license, Pointer out);

    int lic_license_feature_at(Pointer license, SizeT index, Pointer buf, SizeT len, Pointer written);

    int lic_license_limit_at(Pointer license, SizeT index, Pointer buf, SizeT len, Pointer written);

    /**
     * The bounds of limit {@code index}: its value and the least usage that is
     * near it (both {@code uint64_t}), and its {@code lic_enforcement}.
     */
    int lic_license_limit_bounds_at(Pointer license, SizeT index, LongByReference value, LongByReference nearFrom,
            IntByReference enforcement);

    /** The number of this license's verification ({@code uint64_t}), unique in the process. */
    int lic_license_verification_id(Pointer license, LongByReference out);

    // The string getters (the signature documented for lic_license_organization).

    int lic_license_activation_code(Pointer license, Pointer buf, SizeT len, Pointer written);

    int lic_license_serial_number(Pointer license, Pointer buf, SizeT len, Pointer written);

    int lic_license_organization(Pointer license, Pointer buf, SizeT len, Pointer written);

    int lic_license_edition(Pointer license, Pointer buf, SizeT len, Pointer written);

    int lic_license_support(Pointer license, Pointer buf, SizeT len, Pointer written);

    int lic_license_environment_name(Pointer license, Pointer buf, SizeT len, Pointer written);

    int lic_license_id(Pointer license, Pointer buf, SizeT len, Pointer written);

    // The classification of lic_result codes: the library's, so that no
    // binding re-derives it from numeric ranges.

    byte lic_result_is_license_invalid(int result);

    byte lic_result_is_misuse(int result);

    byte lic_result_is_environment(int result);

    SizeT lic_result_message(int result, Pointer buf, SizeT len);

    int lic_last_error_message(Pointer buf, SizeT len, Pointer written);

    int lic_serial_number_this_machine(Pointer buf, SizeT len, Pointer written);

    int lic_validator_new(Pointer trustedKeysPem, SizeT len, PointerByReference out);

    int lic_validator_new_for_platform(
            Pointer trustedKeysPem, SizeT len, Pointer platformVersion, PointerByReference out);

    void lic_validator_free(Pointer validator);

    int lic_validator_validate(
            Pointer validator,
            Pointer licenseFile,
            SizeT len,
            Pointer serialNumber,
            Pointer activationCode,
            long unixTime,
            PointerByReference out);

    // The license store (lic_store) and its status (lic_status).

    /** An existing store only: {@code LIC_NO_STORE} otherwise. */
    int lic_store_open(Pointer dir, PointerByReference out);

    /** Creates the directory and an empty store (the {@code .lock} file), or opens the existing one. */
    int lic_store_create(Pointer dir, PointerByReference out);

    int lic_store_open_with_clock_tolerance(Pointer dir, long clockToleranceSeconds, PointerByReference out);

    int lic_store_serial_number(Pointer store, Pointer buf, SizeT len, Pointer written);

    void lic_store_free(Pointer store);

    int lic_store_install(
            Pointer store,
            Pointer validator,
            Pointer licenseFile,
            SizeT len,
            Pointer serialNumber,
            long unixTime,
            byte force,
            PointerByReference out);

    /**
     * A new store like {@code store} whose anchor is kept by {@code load} and
     * {@code save}: the callback objects must stay reachable until the new
     * store is freed (JNA frees a callback's native stub with its object).
     */
    int lic_store_with_anchor(Pointer store, AnchorLoad load, AnchorSave save, Pointer context,
            PointerByReference out);

    /** {@code outUntil}: the trial's new end (Unix seconds), written on {@code LIC_OK} only. */
    int lic_store_install_trial_extension(
            Pointer store,
            Pointer validator,
            Pointer file,
            SizeT len,
            Pointer serialNumber,
            long unixTime,
            LongByReference outUntil);

    /** {@code outLatestTimeSeen}: the latest time seen now (Unix seconds), written on {@code LIC_OK} only. */
    int lic_store_reset_clock(
            Pointer store,
            Pointer validator,
            Pointer file,
            SizeT len,
            Pointer serialNumber,
            long unixTime,
            LongByReference outLatestTimeSeen);

    int lic_store_restore(Pointer store, Pointer validator, Pointer serialNumber, long unixTime, PointerByReference out);

    int lic_store_backup(Pointer store, Pointer validator, Pointer serialNumber, long unixTime, PointerByReference out);

    /** {@code usage}: the first of {@code usageLen} contiguous entries, or null with 0. */
    int lic_store_status(
            Pointer store,
            Pointer validator,
            Pointer serialNumber,
            long unixTime,
            UsageEntry usage,
            SizeT usageLen,
            PointerByReference out);

    /** As {@code lic_store_status}, at {@code unixTime}, recording nothing. */
    int lic_store_preview_status(
            Pointer store,
            Pointer validator,
            Pointer serialNumber,
            long unixTime,
            UsageEntry usage,
            SizeT usageLen,
            PointerByReference out);

    // The offline exchange: this environment's activation request and usage
    // report (string getters), and the infrastructure's usage summary.

    /** {@code purpose}: a {@code lic_purpose} value as an {@code int32_t}. */
    int lic_store_activation_request(
            Pointer store,
            Pointer activationCode,
            Pointer environmentName,
            int purpose,
            Pointer platformVersion,
            long unixTime,
            Pointer buf,
            SizeT len,
            Pointer written);

    int lic_store_usage_report(
            Pointer store,
            Pointer validator,
            Pointer serialNumber,
            long unixTime,
            Pointer buf,
            SizeT len,
            Pointer written);

    int lic_store_install_usage_summary(
            Pointer store,
            Pointer validator,
            Pointer summary,
            SizeT len,
            Pointer serialNumber,
            long unixTime);

    void lic_status_free(Pointer status);

    int lic_status_standing(Pointer status, IntByReference out, IntByReference daysLeft);

    /** {@code LIC_NEVER_EXPIRES}, with nothing written, for a license that never expires. */
    int lic_status_days_left(Pointer status, IntByReference out);

    byte lic_status_may_run(Pointer status);

    byte lic_status_may_publish(Pointer status);

    byte lic_status_may_administer(Pointer status);

    int lic_status_warning_count(Pointer status, Pointer out);

    int lic_status_warning_at(Pointer status, SizeT index, Pointer buf, SizeT len, Pointer written);

    int lic_status_license(Pointer status, PointerByReference out);

    int lic_status_judged_at(Pointer status, LongByReference unixTime);

    int lic_status_run_reason(Pointer status, Pointer buf, SizeT len, Pointer written);

    int lic_status_publish_reason(Pointer status, Pointer buf, SizeT len, Pointer written);

    int lic_status_administer_reason(Pointer status, Pointer buf, SizeT len, Pointer written);
}
