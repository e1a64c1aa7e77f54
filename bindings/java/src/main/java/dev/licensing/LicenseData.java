package dev.licensing;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a validated license grants, read once from the library per
 * verification ({@code lic_license_verification_id}) into Java's own
 * immutable collections: its features, and its limits with the bounds the
 * library computed ({@code lic_license_limit_bounds_at}). A license is
 * immutable and every validation the library answers from its cache of
 * verified files gives the same verification number, so validating the same
 * bytes again reuses what was read here.
 *
 * <p>The cache is process-wide (verification numbers are unique in the
 * process and never reused), thread-safe and bounded: at most
 * {@value #CAPACITY} verifications, the one read longest ago dropped first
 * (it is read again if it comes back). The last one used is also kept in a
 * field, so a process with one license never touches the map.
 *
 * <p>No rule here: {@link Bounds#check} compares a usage with the value and
 * the near-threshold the library gives, and maps the enforcement to its
 * over-level, as {@code lic_license_limit_bounds_at} documents.
 */
final class LicenseData {
    /** The most verifications kept. */
    static final int CAPACITY = 64;

    private static final ConcurrentHashMap<Long, LicenseData> CACHE = new ConcurrentHashMap<>();
    /** Orders the entries by when they were read, for eviction. */
    private static final AtomicLong READS = new AtomicLong();
    /** The last entry used: the whole cache lookup for a process with one license. */
    private static volatile LicenseData last;

    /** One limit: what {@code lic_license_limit_bounds_at} gives, and the answers made from it once. */
    static final class Bounds {
        final long value;
        final long nearFrom;
        final Enforcement enforcement;
        /** The level of a usage over the limit: the enforcement's. */
        final Usage over;
        final OptionalLong valueOptional;
        final Optional<Enforcement> enforcementOptional;

        Bounds(long value, long nearFrom, Enforcement enforcement) {
            this.value = value;
            this.nearFrom = nearFrom;
            this.enforcement = enforcement;
            this.over = enforcement == Enforcement.HARD ? Usage.OVER_HARD_LIMIT : Usage.OVER_SOFT_LIMIT;
            this.valueOptional = OptionalLong.of(value);
            this.enforcementOptional = Optional.of(enforcement);
        }

        /**
         * {@code lic_license_check_usage} by the two comparisons the library
         * documents, all three numbers unsigned ({@code uint64_t}).
         */
        Usage check(long usage) {
            if (Long.compareUnsigned(usage, value) > 0) {
                return over;
            }
            return Long.compareUnsigned(usage, nearFrom) >= 0 ? Usage.NEAR : Usage.WITHIN;
        }
    }

    final long verificationId;
    /** For lookups; never handed out. */
    final Set<String> featureSet;
    /** For lookups; never handed out. */
    final Map<String, Bounds> limitBounds;
    /** The features in the library's (sorted) order, unmodifiable. */
    final List<String> features;
    /** The limits' values in the library's (sorted) order, unmodifiable. */
    final Map<String, Long> limits;
    /** When this entry was read, for eviction. */
    private final long read;

    private LicenseData(long verificationId, List<String> features, Map<String, Bounds> bounds) {
        this.verificationId = verificationId;
        this.featureSet = new HashSet<>(features);
        this.limitBounds = new HashMap<>(bounds);
        this.features = Collections.unmodifiableList(features);
        Map<String, Long> values = new LinkedHashMap<>();
        bounds.forEach((name, b) -> values.put(name, b.value));
        this.limits = Collections.unmodifiableMap(values);
        this.read = READS.incrementAndGet();
    }

    /** What the live native license at {@code license} grants: from the cache, else read now. */
    static LicenseData of(long license) {
        Scratch scratch = Scratch.get();
        check(DirectMethods.lic_license_verification_id(license, scratch.slot(0)), "lic_license_verification_id");
        long id = scratch.longAt(0);
        LicenseData seen = last;
        if (seen != null && seen.verificationId == id) {
            return seen;
        }
        Long key = id;
        LicenseData data = CACHE.get(key);
        if (data == null) {
            data = read(license, id);
            LicenseData raced = CACHE.putIfAbsent(key, data);
            if (raced != null) {
                data = raced;
            } else if (CACHE.size() > CAPACITY) {
                evict();
            }
        }
        last = data;
        return data;
    }

    /** Drops the entries read longest ago until the cache is within its capacity. */
    private static synchronized void evict() {
        while (CACHE.size() > CAPACITY) {
            LicenseData oldest = null;
            for (LicenseData d : CACHE.values()) {
                if (oldest == null || d.read < oldest.read) {
                    oldest = d;
                }
            }
            if (oldest == null) {
                return;
            }
            CACHE.remove(oldest.verificationId, oldest);
        }
    }

    /** How many verifications the cache holds (for the tests). */
    static int cached() {
        return CACHE.size();
    }

    private static void check(int rc, String function) {
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, function);
        }
    }

    /** A string getter by index: {@code (license, index, buf, len, written) -> lic_result}. */
    @FunctionalInterface
    private interface NameAt {
        int get(long license, long index, long buf, long len, long written);
    }

    /** The name at {@code index}, read into {@code buffer[0]} (replaced by a larger one when too small). */
    private static String nameAt(NameAt getter, String function, long license, long index, Memory[] buffer,
            Scratch scratch) {
        for (int attempt = 0; attempt < 4; attempt++) {
            Memory buf = buffer[0];
            int rc = getter.get(license, index, Pointer.nativeValue(buf), buf.size(), scratch.slot(0));
            long written = scratch.longAt(0);
            if (rc == ResultCode.OK.value()) {
                if (written < 0 || written >= buf.size()) {
                    throw new IllegalStateException(function + ": the library reported " + written
                            + " bytes written into a buffer of " + buf.size());
                }
                return new String(buf.getByteArray(0, (int) written), StandardCharsets.UTF_8);
            }
            if (rc != ResultCode.BUFFER_TOO_SMALL.value()) {
                throw LicensingException.fromLastError(rc, function);
            }
            long needed = written + 1;
            if (needed <= buf.size() || needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException(function + ": LIC_BUFFER_TOO_SMALL with a buffer of "
                        + buf.size() + " bytes, but the library asks for " + needed);
            }
            buffer[0] = new Memory(needed);
        }
        throw new IllegalStateException(function + ": the value kept growing between calls");
    }

    private static LicenseData read(long license, long id) {
        Scratch scratch = Scratch.get();
        Memory[] buffer = {new Memory(Math.max(1, NativeStrings.initialCapacity))};
        check(DirectMethods.lic_license_feature_count(license, scratch.slot(0)), "lic_license_feature_count");
        long features = scratch.longAt(0);
        List<String> names = new ArrayList<>((int) Math.min(features, 1024));
        for (long i = 0; i < features; i++) {
            names.add(nameAt(DirectMethods::lic_license_feature_at, "lic_license_feature_at", license, i, buffer,
                    scratch));
        }
        check(DirectMethods.lic_license_limit_count(license, scratch.slot(0)), "lic_license_limit_count");
        long limits = scratch.longAt(0);
        Map<String, Bounds> bounds = new LinkedHashMap<>();
        for (long i = 0; i < limits; i++) {
            String name = nameAt(DirectMethods::lic_license_limit_at, "lic_license_limit_at", license, i, buffer,
                    scratch);
            check(DirectMethods.lic_license_limit_bounds_at(license, i, scratch.slot(0), scratch.slot(1),
                    scratch.slot(2)), "lic_license_limit_bounds_at");
            bounds.put(name, new Bounds(scratch.longAt(0), scratch.longAt(1), Enforcement.of(scratch.intAt(2))));
        }
        return new LicenseData(id, names, bounds);
    }
}
