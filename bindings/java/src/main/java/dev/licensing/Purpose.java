package dev.licensing;

/** What the licensed environment is for ({@code lic_purpose}). */
public enum Purpose {
    DEVELOPMENT(0),
    NON_PRODUCTION(1),
    PRODUCTION(2),
    MANAGEMENT(3);

    private final int value;

    Purpose(int value) {
        this.value = value;
    }

    /** The C enum's value. */
    public int value() {
        return value;
    }

    static Purpose of(int value) {
        for (Purpose v : values()) {
            if (v.value == value) {
                return v;
            }
        }
        throw new IllegalStateException("the library returned Purpose value " + value
                + ", which this binding does not know: update the Java binding");
    }
}
