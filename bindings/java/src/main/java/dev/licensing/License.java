package dev.licensing;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.licensing.NativeMethods.SizeT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 */
public final class License implements AutoCloseable {
    private final NativeMethods lib;
    private final Handle handle;

    License(NativeMethods lib, Pointer pointer) {
        this.lib = lib;
        this.handle = new Handle(this, "License", pointer, lib::lic_license_free);
    }

    private <T> T use(Function<Pointer, T> body) {
        return handle.use(this, body);
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
        return State.of(enumValue("lic_license_state", (p, out) -> lib.lic_license_state(p, out, null)));
    }

    /**
     * Days left at the time the license was validated at, with one meaning in
     * every binding ({@code lic_license_days_left}): until it expires (active,
     * expiring soon) or until its grace period ends (in grace); empty for a
     * license that never expires. Part days count as a whole day.
     */
    public OptionalInt daysLeft() {
        return use(p -> {
            IntByReference out = new IntByReference();
            int rc = lib.lic_license_days_left(p, out);
            return DaysLeft.of(rc, out.getValue(), "lic_license_days_left");
        });
    }

    /**
     * Whether the license grants {@code feature}. False for a name no
     * license can hold: one with a NUL character or an unpaired surrogate.
     */
    public boolean hasFeature(String feature) {
        byte[] name = NativeStrings.nameBytes(Objects.requireNonNull(feature, "feature"));
        return use(p -> name != null && lib.lic_license_has_feature_n(p, name, new SizeT(name.length)) != 0);
    }

    /**
     * The value of the limit named {@code name}, or empty when the license
     * sets none (as for a name with a NUL character or an unpaired
     * surrogate). The C value is a {@code uint64_t}: read it with
     * {@link Long#toUnsignedString(long)} if it may exceed {@link Long#MAX_VALUE}.
     */
    public OptionalLong limit(String name) {
        byte[] limit = NativeStrings.nameBytes(Objects.requireNonNull(name, "name"));
        return use(p -> {
            if (limit == null) {
                return OptionalLong.empty();
            }
            LongByReference out = new LongByReference();
            int rc = lib.lic_license_limit_n(p, limit, new SizeT(limit.length), out);
            if (rc == ResultCode.NO_SUCH_LIMIT.value()) {
                return OptionalLong.empty();
            }
            check(rc, "lic_license_limit_n");
            return OptionalLong.of(out.getValue());
        });
    }

    /**
     * Whether going over the limit named {@code name} blocks or warns; empty
     * when the license sets none (as for a name with a NUL character or an
     * unpaired surrogate).
     */
    public Optional<Enforcement> limitEnforcement(String name) {
        byte[] limit = NativeStrings.nameBytes(Objects.requireNonNull(name, "name"));
        return use(p -> {
            if (limit == null) {
                return Optional.<Enforcement>empty();
            }
            IntByReference out = new IntByReference();
            int rc = lib.lic_license_limit_enforcement_n(p, limit, new SizeT(limit.length), out);
            if (rc == ResultCode.NO_SUCH_LIMIT.value()) {
                return Optional.<Enforcement>empty();
            }
            check(rc, "lic_license_limit_enforcement_n");
            return Optional.of(Enforcement.of(out.getValue()));
        });
    }

    /**
     * Compares {@code usage} with the limit named {@code name};
     * {@link Usage#UNLIMITED} when the license sets no such limit (as for a
     * name with a NUL character or an unpaired surrogate).
     *
     * @throws IllegalArgumentException when {@code usage} is negative
     */
    public Usage checkUsage(String name, long usage) {
        if (usage < 0) {
            throw new IllegalArgumentException("usage must not be negative: " + usage);
        }
        byte[] limit = NativeStrings.nameBytes(Objects.requireNonNull(name, "name"));
        if (limit == null) {
            return use(p -> Usage.UNLIMITED);
        }
        return Usage.of(enumValue("lic_license_check_usage_n",
                (p, out) -> lib.lic_license_check_usage_n(p, limit, new SizeT(limit.length), usage, out)));
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

    private long count(String function, java.util.function.ToIntBiFunction<Pointer, Pointer> call, Pointer p) {
        Memory out = NativeStrings.sizeTOut();
        check(call.applyAsInt(p, out), function);
        return NativeStrings.readSizeT(out);
    }

    /** The features the license grants, sorted. */
    public List<String> features() {
        return use(p -> {
            long n = count("lic_license_feature_count", lib::lic_license_feature_count, p);
            List<String> names = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                SizeT index = new SizeT(i);
                names.add(NativeStrings.read((buf, len, w) -> lib.lic_license_feature_at(p, index, buf, len, w),
                        "lic_license_feature_at"));
            }
            return Collections.unmodifiableList(names);
        });
    }

    /** The limits the license sets, by name, in sorted order. */
    public Map<String, Long> limits() {
        return use(p -> {
            long n = count("lic_license_limit_count", lib::lic_license_limit_count, p);
            Map<String, Long> limits = new LinkedHashMap<>();
            for (long i = 0; i < n; i++) {
                SizeT index = new SizeT(i);
                String name = NativeStrings.read((buf, len, w) -> lib.lic_license_limit_at(p, index, buf, len, w),
                        "lic_license_limit_at");
                byte[] raw = name.getBytes(StandardCharsets.UTF_8);
                LongByReference out = new LongByReference();
                check(lib.lic_license_limit_n(p, raw, new SizeT(raw.length), out), "lic_license_limit_n");
                limits.put(name, out.getValue());
            }
            return Collections.unmodifiableMap(limits);
        });
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
