package dev.licensing;

/** Where the environment stands ({@code lic_standing}); see {@link Status#daysLeft()}. */
public enum Standing {
    /** Licensed and not near the end. */
    ACTIVE(0),
    /** Licensed, ending within 30 days. */
    EXPIRING_SOON(1),
    /** Expired, in the grace period. */
    IN_GRACE(2),
    /** Expired and past the grace period. */
    EXPIRED(3),
    /** The installed license is not valid for this environment. */
    INVALID(4),
    /** No license ever installed: on the trial. */
    TRIAL(5),
    /** No license ever installed and the trial is over. */
    TRIAL_OVER(6);

    private final int value;

    Standing(int value) {
        this.value = value;
    }

    /** The C enum's value. */
    public int value() {
        return value;
    }

    static Standing of(int value) {
        for (Standing v : values()) {
            if (v.value == value) {
                return v;
            }
        }
        throw new IllegalStateException("the library returned Standing value " + value
                + ", which this binding does not know: update the Java binding");
    }
}
