package dev.licensing;

/** Whether going over a limit blocks (hard) or warns (soft) ({@code lic_enforcement}). */
public enum Enforcement {
    HARD(0),
    SOFT(1);

    private final int value;

    Enforcement(int value) {
        this.value = value;
    }

    /** The C enum's value. */
    public int value() {
        return value;
    }

    static Enforcement of(int value) {
        for (Enforcement v : values()) {
            if (v.value == value) {
                return v;
            }
        }
        throw new IllegalStateException("the library returned Enforcement value " + value
                + ", which this binding does not know: update the Java binding");
    }
}
