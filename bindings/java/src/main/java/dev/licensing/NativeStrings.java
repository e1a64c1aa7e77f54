package dev.licensing;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.licensing.NativeMethods.SizeT;
import java.nio.charset.StandardCharsets;

/** UTF-8 strings and byte buffers across the C ABI. */
final class NativeStrings {
    private NativeStrings() {}

    /**
     * The first buffer size of string getters. Package-private and mutable
     * only so that tests can force the {@code LIC_BUFFER_TOO_SMALL} retry.
     */
    static volatile int initialCapacity = 64;

    /** A string getter: {@code (buf, len, written) -> lic_result}. */
    @FunctionalInterface
    interface Getter {
        int get(Pointer buf, SizeT len, Pointer written);
    }

    /** A NUL-terminated UTF-8 copy of {@code s}, or NULL for null. */
    static Pointer cString(String s, String argument) {
        if (s == null) {
            return Pointer.NULL;
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    argument + " contains a NUL character, which a C string cannot hold");
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length + 1L);
        m.write(0, bytes, 0, bytes.length);
        m.setByte(bytes.length, (byte) 0);
        return m;
    }

    /** A NUL-terminated UTF-8 copy of {@code s} as bytes (for {@link DirectMethods}), or null for null. */
    static byte[] cStringBytes(String s, String argument) {
        if (s == null) {
            return null;
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    argument + " contains a NUL character, which a C string cannot hold");
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(bytes, bytes.length + 1);
    }

    /**
     * A string as a C string, remembering the last one it encoded, so that a
     * caller giving the same string at every call (a serial number, an
     * activation code) encodes it once. Thread-safe: the last string is one
     * immutable {@link Encoded} in a volatile field, which a call keeps
     * reachable while the library reads it (the C functions take it as
     * {@code const}: nothing writes to it).
     */
    static final class LastCString {
        /** A string as NUL-terminated UTF-8 in native memory. */
        static final class Encoded {
            final String text;
            final Memory memory;
            final long address;

            Encoded(String text, byte[] bytes) {
                this.text = text;
                this.memory = new Memory(bytes.length);
                memory.write(0, bytes, 0, bytes.length);
                this.address = Pointer.nativeValue(memory);
            }
        }

        private volatile Encoded last;

        /** {@code s} encoded, or null for null. */
        Encoded encode(String s, String argument) {
            if (s == null) {
                return null;
            }
            Encoded seen = last;
            if (seen != null && (seen.text == s || seen.text.equals(s))) {
                return seen;
            }
            Encoded encoded = new Encoded(s, cStringBytes(s, argument));
            last = encoded;
            return encoded;
        }
    }

    /** A native copy of {@code bytes}, or NULL when empty (the ABI allows NULL with length 0). */
    static Pointer bytes(byte[] bytes) {
        if (bytes.length == 0) {
            return Pointer.NULL;
        }
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    static Memory sizeTOut() {
        Memory m = new Memory(Native.SIZE_T_SIZE);
        m.clear();
        return m;
    }

    static void writeSizeT(Pointer p, long value) {
        if (Native.SIZE_T_SIZE == 8) {
            p.setLong(0, value);
        } else {
            p.setInt(0, (int) value);
        }
    }

    static long readSizeT(Pointer p) {
        return Native.SIZE_T_SIZE == 8 ? p.getLong(0) : (p.getInt(0) & 0xFFFF_FFFFL);
    }

    /**
     * Calls a string getter, retrying with {@code written + 1} bytes on
     * {@code LIC_BUFFER_TOO_SMALL}; any other failure becomes a
     * {@link LicensingException} carrying this thread's last error message.
     */
    static String read(Getter getter, String what) {
        long capacity = Math.max(1, initialCapacity);
        for (int attempt = 0; attempt < 4; attempt++) {
            Memory buf = new Memory(capacity);
            Memory written = sizeTOut();
            int rc = getter.get(buf, new SizeT(capacity), written);
            if (rc == ResultCode.OK.value()) {
                long n = readSizeT(written);
                if (n >= capacity) {
                    throw new IllegalStateException(what + ": the library reported " + n
                            + " bytes written into a buffer of " + capacity);
                }
                return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
            }
            if (rc != ResultCode.BUFFER_TOO_SMALL.value()) {
                throw LicensingException.fromLastError(rc, what);
            }
            long needed = readSizeT(written) + 1;
            if (needed <= capacity || needed > Integer.MAX_VALUE) {
                throw new IllegalStateException(what + ": LIC_BUFFER_TOO_SMALL with a buffer of "
                        + capacity + " bytes, but the library asks for " + needed);
            }
            capacity = needed;
        }
        throw new IllegalStateException(what + ": the value kept growing between calls");
    }

    /**
     * This thread's last error message, or "" when it cannot be read. Must be
     * called right after the failing call, on the same thread.
     */
    static String lastError(NativeMethods lib) {
        long capacity = 256;
        for (int attempt = 0; attempt < 4; attempt++) {
            Memory buf = new Memory(capacity);
            Memory written = sizeTOut();
            int rc = lib.lic_last_error_message(buf, new SizeT(capacity), written);
            if (rc == ResultCode.OK.value()) {
                long n = Math.min(readSizeT(written), capacity - 1);
                return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
            }
            if (rc != ResultCode.BUFFER_TOO_SMALL.value()) {
                return "";
            }
            long needed = readSizeT(written) + 1;
            if (needed <= capacity || needed > Integer.MAX_VALUE) {
                return "";
            }
            capacity = needed;
        }
        return "";
    }

    /** The fixed description of a result code (lic_result_message). */
    static String resultMessage(NativeMethods lib, int code) {
        long needed = lib.lic_result_message(code, Pointer.NULL, new SizeT(0)).longValue() + 1;
        Memory buf = new Memory(needed);
        long n = lib.lic_result_message(code, buf, new SizeT(needed)).longValue();
        if (n >= needed) {
            return "";
        }
        return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
    }
}
