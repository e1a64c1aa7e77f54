package dev.licensing;

/**
 * A failed call into the licensing library: its {@link ResultCode} and the
 * library's explanation ({@code lic_last_error_message}, read on the calling
 * thread right after the failing call).
 */
public final class LicensingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ResultCode code;
    private final int rawCode;
    private final String detail;

    LicensingException(int rawCode, String detail) {
        super(format(rawCode, detail));
        this.code = ResultCode.of(rawCode);
        this.rawCode = rawCode;
        this.detail = detail;
    }

    private static String format(int rawCode, String detail) {
        ResultCode code = ResultCode.of(rawCode);
        String name = code == ResultCode.UNKNOWN ? "unknown result code" : code.cName();
        return detail + " [" + name + " = " + rawCode + "]";
    }

    /**
     * Builds the exception for a failed call. Must run on the thread that made
     * the call, before any other call into the library.
     */
    static LicensingException fromLastError(int rawCode, String context) {
        NativeMethods lib = NativeLoader.library();
        String detail = NativeStrings.lastError(lib);
        if (detail.isEmpty()) {
            detail = NativeStrings.resultMessage(lib, rawCode);
        }
        if (detail.isEmpty()) {
            detail = context + " failed";
        }
        return new LicensingException(rawCode, detail);
    }

    /** Why the call failed. {@link ResultCode#UNKNOWN} for a code this binding does not know. */
    public ResultCode code() {
        return code;
    }

    /** The numeric {@code lic_result} the library returned. */
    public int rawCode() {
        return rawCode;
    }

    /** The library's message in words (what was expected, what was found, what to do). */
    public String detail() {
        return detail;
    }
}
