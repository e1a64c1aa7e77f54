package dev.licensing;

/** Where a valid license stands in time ({@code lic_state}); see {@link License#daysLeft()}. */
public enum State {
    /** Valid and not near its end (or never ending). */
    ACTIVE(0),
    /** Valid, ending within 30 days. */
    EXPIRING_SOON(1),
    /** Expired but in its grace period: install a renewal. */
    IN_GRACE(2);

    private final int value;

    State(int value) {
        this.value = value;
    }

    /** The C enum's value. */
    public int value() {
        return value;
    }

    static State of(int value) {
        for (State v : values()) {
            if (v.value == value) {
                return v;
            }
        }
        throw new IllegalStateException("the library returned State value " + value
                + ", which this binding does not know: update the Java binding");
    }
}
