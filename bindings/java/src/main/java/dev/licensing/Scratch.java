package dev.licensing;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory of one thread for the hot calls' out-parameters and the
 * bytes they pass, allocated once per thread: with it, every argument of a
 * {@link DirectMethods} call is a primitive, which JNA passes straight to C
 * (an array argument would be copied into a fresh native block and back at
 * each call). It is a direct {@link ByteBuffer}, which Java reads and writes
 * without a native call (JNA's {@link Memory} would make one JNI call per
 * access).
 *
 * <p>Only for calls that cannot call back into Java (validation, license
 * and status getters); the store's calls, which run the host's anchor
 * callbacks, use arrays instead, so that a callback using this binding on the
 * same thread cannot overwrite what a call in progress uses.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /** The out-parameter slots, 8 bytes each, at the start of the block. */
    static final int SLOTS = 4;
    private static final int DATA = SLOTS * 8;
    /** The most bytes kept per thread; a larger file gets a block of its own for the call. */
    private static final int MAX_KEPT = 64 * 1024;

    private ByteBuffer buffer;
    private long address;
    private int dataCapacity;

    private Scratch() {
        allocate(1024);
    }

    private void allocate(int dataBytes) {
        buffer = ByteBuffer.allocateDirect(DATA + dataBytes).order(ByteOrder.nativeOrder());
        address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        dataCapacity = dataBytes;
    }

    /** This thread's scratch memory. */
    static Scratch get() {
        return LOCAL.get();
    }

    /** The address of out-parameter slot {@code i} (0 to {@link #SLOTS} - 1). */
    long slot(int i) {
        return address + 8L * i;
    }

    /** The 8 bytes of slot {@code i} ({@code uint64_t}, {@code size_t}, a pointer). */
    long longAt(int i) {
        return buffer.getLong(8 * i);
    }

    /** The 4 bytes at the start of slot {@code i} (a C enum, {@code uint32_t}). */
    int intAt(int i) {
        return buffer.getInt(8 * i);
    }

    /**
     * The address of a native copy of {@code bytes}, valid until the next use of
     * this thread's scratch; 0 (NULL) for no bytes. For an array larger than
     * what a thread keeps, the copy is a block of its own, which {@code keep}
     * holds: keep {@code keep} reachable until the call returned.
     */
    long bytes(byte[] bytes, Memory[] keep) {
        if (bytes.length == 0) {
            return 0;
        }
        if (bytes.length > dataCapacity) {
            if (bytes.length > MAX_KEPT) {
                Memory own = new Memory(bytes.length);
                own.write(0, bytes, 0, bytes.length);
                keep[0] = own;
                return Pointer.nativeValue(own);
            }
            allocate(Math.max(bytes.length, Math.min(MAX_KEPT, dataCapacity * 2)));
        }
        buffer.put(DATA, bytes, 0, bytes.length);
        return address + DATA;
    }
}
