package dev.licensing;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.licensing.NativeMethods.SizeT;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The environment's licensing status ({@code lic_status}), made by
 * {@link Store#status}: where it stands, the warnings, and what may be done
 * (run, publish, administer). Immutable; close it when done. Every getter
 * throws {@link IllegalStateException} after {@link #close()}.
 */
public final class Status implements AutoCloseable {
    private final NativeMethods lib;
    private final Handle handle;

    Status(NativeMethods lib, Pointer pointer) {
        this.lib = lib;
        DirectMethods.init();
        this.handle = new Handle(this, "Status", pointer, Status::free);
    }

    private static void free(Pointer status) {
        DirectMethods.lic_status_free(Pointer.nativeValue(status));
    }

    private <T> T use(Function<Pointer, T> body) {
        return handle.use(this, body);
    }

    private static void check(int rc, String function) {
        if (rc != ResultCode.OK.value()) {
            throw LicensingException.fromLastError(rc, function);
        }
    }

    /** Where the environment stands. */
    public Standing standing() {
        Scratch scratch = Scratch.get();
        long p = handle.acquire();
        try {
            check(DirectMethods.lic_status_standing(p, scratch.slot(0), 0), "lic_status_standing");
            return Standing.of(scratch.intAt(0));
        } finally {
            handle.release(this);
        }
    }

    /**
     * Days left, with one meaning in every binding ({@code lic_status_days_left}):
     * until the license expires (active, expiring soon), until its grace
     * period ends (in grace), until the trial ends (trial); 0 when expired, not
     * valid here or past the trial; empty for a license that never expires.
     * Part days count as a whole day.
     */
    public OptionalInt daysLeft() {
        Scratch scratch = Scratch.get();
        long p = handle.acquire();
        try {
            int rc = DirectMethods.lic_status_days_left(p, scratch.slot(0));
            return DaysLeft.of(rc, rc == ResultCode.OK.value() ? scratch.intAt(0) : 0, "lic_status_days_left");
        } finally {
            handle.release(this);
        }
    }

    /** May the environment run applications? */
    public boolean mayRun() {
        long p = handle.acquire();
        try {
            return DirectMethods.lic_status_may_run(p) != 0;
        } finally {
            handle.release(this);
        }
    }

    /** May new applications be published? (No when usage is over a hard limit, even while running continues.) */
    public boolean mayPublish() {
        long p = handle.acquire();
        try {
            return DirectMethods.lic_status_may_publish(p) != 0;
        } finally {
            handle.release(this);
        }
    }

    /** May administrators work? */
    public boolean mayAdminister() {
        long p = handle.acquire();
        try {
            return DirectMethods.lic_status_may_administer(p) != 0;
        } finally {
            handle.release(this);
        }
    }

    /** The warnings in words, like "this license expires within 12 days: renew the subscription". */
    public List<String> warnings() {
        return use(p -> {
            Memory count = NativeStrings.sizeTOut();
            check(lib.lic_status_warning_count(p, count), "lic_status_warning_count");
            long n = NativeStrings.readSizeT(count);
            List<String> warnings = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                SizeT index = new SizeT(i);
                warnings.add(NativeStrings.read((buf, len, w) -> lib.lic_status_warning_at(p, index, buf, len, w),
                        "lic_status_warning_at"));
            }
            return Collections.unmodifiableList(warnings);
        });
    }

    /**
     * The valid license the status is based on; empty on the trial or when the
     * installed license is not valid ({@code LIC_NO_LICENSE}). Each call
     * returns a new {@link License} handle, which the caller must close.
     */
    public Optional<License> license() {
        Pointer license = use(p -> {
            PointerByReference out = new PointerByReference();
            int rc = lib.lic_status_license(p, out);
            if (rc == ResultCode.NO_LICENSE.value()) {
                return null;
            }
            check(rc, "lic_status_license");
            return out.getValue();
        });
        return license == null ? Optional.empty() : Optional.of(new License(lib, license));
    }

    /**
     * When the status judged the license: the time asked for, or the latest
     * time the store had seen when the clock was turned back.
     */
    public Instant judgedAt() {
        return use(p -> {
            LongByReference out = new LongByReference();
            check(lib.lic_status_judged_at(p, out), "lic_status_judged_at");
            return Instant.ofEpochSecond(out.getValue());
        });
    }

    /** Why the environment may or may not run applications, like "licensed" or "on the trial". */
    public String runReason() {
        return use(p -> NativeStrings.read((buf, len, w) -> lib.lic_status_run_reason(p, buf, len, w),
                "lic_status_run_reason"));
    }

    /** Why new applications may or may not be published, like "over a hard limit: application-objects 451/450". */
    public String publishReason() {
        return use(p -> NativeStrings.read((buf, len, w) -> lib.lic_status_publish_reason(p, buf, len, w),
                "lic_status_publish_reason"));
    }

    /** Why administrators may work (always: to install a license). */
    public String administerReason() {
        return use(p -> NativeStrings.read((buf, len, w) -> lib.lic_status_administer_reason(p, buf, len, w),
                "lic_status_administer_reason"));
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Frees the native status; later calls do nothing. Licenses it returned stay usable. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        if (handle.isClosed()) {
            return "Status[closed]";
        }
        OptionalInt days = daysLeft();
        return "Status[" + standing() + ", " + (days.isPresent() ? days.getAsInt() + " days" : "never expires")
                + ", run=" + mayRun() + ", publish="
                + mayPublish() + ", administer=" + mayAdminister() + ", warnings=" + warnings() + "]";
    }
}
