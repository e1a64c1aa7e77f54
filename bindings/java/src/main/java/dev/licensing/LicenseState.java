package dev.licensing;

/** Where a valid license stands in time ({@code lic_state}); see {@link License#daysLeft()}. */
public enum LicenseState {
    ACTIVE(0),
    EXPIRING_SOON(1),
    IN_GRACE(2);

    private final int value;

    LicenseState(int value) {
        this.value = value;
    }

    /** The C enum's value. */
    public int value() {
        return value;
    }

    static LicenseState of(int value) {
        for (LicenseState v : values()) {
            if (v.value == value) {
                return v;
            }
        }
        throw new IllegalStateException("the library returned LicenseState value " + value
                + ", which this binding does not know: update the Java binding");
    }
}
