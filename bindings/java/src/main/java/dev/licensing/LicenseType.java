package dev.licensing;

/** Development or production ({@code lic_type}). */
public enum LicenseType {
    DEVELOPMENT(0),
    PRODUCTION(1);

    private final int value;

    LicenseType(int value) {
        this.value = value;
    }

    /** The C enum's value. */
    public int value() {
        return value;
    }

    static LicenseType of(int value) {
        for (LicenseType v : values()) {
            if (v.value == value) {
                return v;
            }
        }
        throw new IllegalStateException("the library returned LicenseType value " + value
                + ", which this binding does not know: update the Java binding");
    }
}
