package dev.licensing;

/** How a usage figure compares with a limit ({@code lic_usage}): within is below 90%, near is from 90% up to the limit. */
public enum Usage {
    UNLIMITED(0),
    WITHIN(1),
    NEAR(2),
    OVER_SOFT_LIMIT(3),
    OVER_HARD_LIMIT(4);

    private final int value;

    Usage(int value) {
        this.value = value;
    }

    /** The C enum's value. */
    public int value() {
        return value;
    }

    static Usage of(int value) {
        for (Usage v : values()) {
            if (v.value == value) {
                return v;
            }
        }
        throw new IllegalStateException("the library returned Usage value " + value
                + ", which this binding does not know: update the Java binding");
    }
}
