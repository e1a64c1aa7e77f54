package dev.licensing;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.licensing.NativeMethods.SizeT;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A license that passed validation ({@code lic_license}). Immutable and
 * safe to read from many threads; close it when done. Every getter throws
 * {@link IllegalStateException} after {@link #close()}.
 *
 * <p>What the license grants is read from the library once per verification
 * (not once per validation: validating the same bytes again gives the same
 * verification, see {@code lic_license_verification_id}) into Java's own
 * immutable collections, which answer {@link #hasFeature}, {@link #limit},
 * {@link #limitEnforcement}, {@link #checkUsage}, {@link #features} and
 * {@link #limits} without a native call. {@link #checkUsage} compares the usage
 * with the limit's value and the near-threshold the library computed
 * ({@code lic_license_limit_bounds_at}): the rule stays in the library. What
 * depends on the time of validation ({@link #state}, {@link #daysLeft}) is asked
 * of the library at each call.
 */
public final class License implements AutoCloseable {
    private final NativeMethods lib;
    private final Handle handle;
    /**
     * What the license grants, from {@link LicenseData}'s cache on first use
     * (null until then). Racy but safe: a thread that finds it null reads an
     * equal immutable object (all its fields final) from the cache.
     */
    private LicenseData data;

    License(NativeMethods lib, Pointer pointer) {
        this.lib = lib;
        DirectMethods.init();
        this.handle = new Handle(this, "License", pointer, License::free);
    }

    private static void free(Pointer license) {
        DirectMethods.lic_license_free(Pointer.nativeValue(license));
    }

    /**
     * What the license grants, throwing if it is closed: read once per
     * verification (its number from {@code lic_license_verification_id}).
     */
    private LicenseData grants() {
        handle.ensureOpen();
        LicenseData d = data;
        if (d == null) {
            long p = handle.acquire();
            try {
                d = LicenseData.of(p);
            } finally {
                handle.release(this);
            }
            data = d;
        }
        return d;
    }

    /** Runs {@code body} with the live native license (for the tests' raw calls). */
    <T> T use(Function<Pointer, T> body) {
        return handle.use(this, body);
    }

    /** The number of the verification this license came from ({@code lic_license_verification_id}). */
    long verificationId() {
        return grants().verificationId;
    }

    /** What was read once for this license's verification (for the tests). */
    LicenseData data() {
        return grants();
    }

    private static void check(int rc, String function) {
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, function);
        }
    }

    private int enumValue(String function, java.util.function.ToIntBiFunction<Pointer, IntByReference> call) {
        return use(p -> {
            IntByReference out = new IntByReference();
            check(call.applyAsInt(p, out), function);
            return out.getValue();
        });
    }

    /** Where the license stands in time: active, expiring soon or in its grace period. */
    public State state() {
        Scratch scratch = Scratch.get();
        long p = handle.acquire();
        try {
            check(DirectMethods.lic_license_state(p, scratch.slot(0), 0), "lic_license_state");
            return State.of(scratch.intAt(0));
        } finally {
            handle.release(this);
        }
    }

    /**
     * Days left at the time the license was validated at, with one meaning in
     * every binding ({@code lic_license_days_left}): until it expires (active,
     * expiring soon) or until its grace period ends (in grace); empty for a
     * license that never expires. Part days count as a whole day.
     */
    public OptionalInt daysLeft() {
        Scratch scratch = Scratch.get();
        long p = handle.acquire();
        try {
            int rc = DirectMethods.lic_license_days_left(p, scratch.slot(0));
            return DaysLeft.of(rc, rc == ResultCode.OK.value() ? scratch.intAt(0) : 0, "lic_license_days_left");
        } finally {
            handle.release(this);
        }
    }

    /**
     * Whether the license grants {@code feature}. False for a name no
     * license can hold: one with a NUL character or an unpaired surrogate.
     */
    public boolean hasFeature(String feature) {
        Objects.requireNonNull(feature, "feature");
        return grants().featureSet.contains(feature);
    }

    /**
     * The value of the limit named {@code name}, or empty when the license
     * sets none (as for a name with a NUL character or an unpaired
     * surrogate). The C value is a {@code uint64_t}: read it with
     * {@link Long#toUnsignedString(long)} if it may exceed {@link Long#MAX_VALUE}.
     */
    public OptionalLong limit(String name) {
        Objects.requireNonNull(name, "name");
        LicenseData.Bounds bounds = grants().limitBounds.get(name);
        return bounds == null ? OptionalLong.empty() : bounds.valueOptional;
    }

    /**
     * Whether going over the limit named {@code name} blocks or warns; empty
     * when the license sets none (as for a name with a NUL character or an
     * unpaired surrogate).
     */
    public Optional<Enforcement> limitEnforcement(String name) {
        Objects.requireNonNull(name, "name");
        LicenseData.Bounds bounds = grants().limitBounds.get(name);
        return bounds == null ? Optional.empty() : bounds.enforcementOptional;
    }

    /**
     * Compares {@code usage} with the limit named {@code name};
     * {@link Usage#UNLIMITED} when the license sets no such limit (as for a
     * name with a NUL character or an unpaired surrogate). The answer of
     * {@code lic_license_check_usage}, from the bounds the library gave once.
     *
     * @throws IllegalArgumentException when {@code usage} is negative
     */
    public Usage checkUsage(String name, long usage) {
        if (usage < 0) {
            throw new IllegalArgumentException("usage must not be negative: " + usage);
        }
        return checkUsageUnsigned(name, usage);
    }

    /** {@link #checkUsage} with {@code usage} read as a {@code uint64_t} (for the tests: up to 2^64-1). */
    Usage checkUsageUnsigned(String name, long usage) {
        Objects.requireNonNull(name, "name");
        LicenseData.Bounds bounds = grants().limitBounds.get(name);
        return bounds == null ? Usage.UNLIMITED : bounds.check(usage);
    }

    /** When the license expires (the first second after its end date); empty when it never does. */
    public Optional<Instant> expiresAt() {
        return use(p -> {
            LongByReference out = new LongByReference();
            int rc = lib.lic_license_expires_at(p, out);
            if (rc == ResultCode.NEVER_EXPIRES.value()) {
                return Optional.<Instant>empty();
            }
            check(rc, "lic_license_expires_at");
            return Optional.of(Instant.ofEpochSecond(out.getValue()));
        });
    }

    /** When the license was issued. */
    public Instant issuedAt() {
        return use(p -> {
            LongByReference out = new LongByReference();
            check(lib.lic_license_issued_at(p, out), "lic_license_issued_at");
            return Instant.ofEpochSecond(out.getValue());
        });
    }

    /** The subscription's revision when the license was issued (a renewal has a higher one). */
    public long revision() {
        return Integer.toUnsignedLong(enumValue("lic_license_revision", lib::lic_license_revision));
    }

    /** Development or production. */
    public LicenseType licenseType() {
        return LicenseType.of(enumValue("lic_license_type", lib::lic_license_type));
    }

    /** What the licensed environment is for. */
    public Purpose purpose() {
        return Purpose.of(enumValue("lic_license_purpose", lib::lic_license_purpose));
    }

    /** The features the license grants, sorted (an unmodifiable list, the same for every call). */
    public List<String> features() {
        return grants().features;
    }

    /**
     * The limits the license sets, by name, in sorted order (an unmodifiable
     * map, the same for every call).
     */
    public Map<String, Long> limits() {
        return grants().limits;
    }

    private interface StringField {
        int get(Pointer license, Pointer buf, SizeT len, Pointer written);
    }

    private String string(StringField field, String function) {
        return use(p -> NativeStrings.read((buf, len, w) -> field.get(p, buf, len, w), function));
    }

    /** The activation code, like {@code 4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ}. */
    public String activationCode() {
        return string(lib::lic_license_activation_code, "lic_license_activation_code");
    }

    /** The serial number the license is bound to. */
    public String serialNumber() {
        return string(lib::lic_license_serial_number, "lic_license_serial_number");
    }

    /** The customer's organization. */
    public String organization() {
        return string(lib::lic_license_organization, "lic_license_organization");
    }

    /** The edition, like {@code Enterprise}. */
    public String edition() {
        return string(lib::lic_license_edition, "lic_license_edition");
    }

    /** The support level, like {@code premium}. */
    public String support() {
        return string(lib::lic_license_support, "lic_license_support");
    }

    /** The environment's name, like {@code Production}. */
    public String environmentName() {
        return string(lib::lic_license_environment_name, "lic_license_environment_name");
    }

    /** The license id: 32 hex digits. */
    public String licenseId() {
        return string(lib::lic_license_id, "lic_license_id");
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Frees the native license; later calls do nothing. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        if (handle.isClosed()) {
            return "License[closed]";
        }
        return "License[" + licenseId() + ", " + organization() + ", " + edition() + ", "
                + licenseType() + ", " + state() + "]";
    }
}
