package dev.licensing;

import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An owned native pointer, freed exactly once: by {@link #close()}, or by the
 * {@link Cleaner} when its owner becomes unreachable without being closed.
 * Each use counts itself in while it runs, so {@code close()} on one thread
 * never frees the pointer while another thread is inside a native call with
 * it: {@code close()} marks the handle closed (new uses throw), waits until
 * the uses in flight are done, then frees it.
 *
 * <p>The count and the closed mark are one {@code int} changed by
 * compare-and-set (no lock object): a use costs two atomic operations, which
 * matters for the calls a runtime makes often (validation, a license's state).
 */
final class Handle {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The cleaning action: must not refer to the owner. */
    private static final class Release implements Runnable {
        private Pointer pointer;
        private final Consumer<Pointer> free;

        Release(Pointer pointer, Consumer<Pointer> free) {
            this.pointer = pointer;
            this.free = free;
        }

        @Override
        public void run() {
            Pointer p;
            synchronized (this) {
                p = pointer;
                pointer = null;
            }
            if (p != null) {
                free.accept(p);
            }
        }
    }

    /** In {@link #state}: set once closed. */
    private static final int CLOSED = 1;
    /** In {@link #state}: one use in flight (the count is {@code state >>> 1}). */
    private static final int USE = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Handle.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String what;
    private final Pointer pointer;
    private final long address;
    private final Cleaner.Cleanable cleanable;
    /** Twice the uses in flight, plus {@link #CLOSED} once closed. */
    private volatile int state;

    Handle(Object owner, String what, Pointer pointer, Consumer<Pointer> free) {
        if (pointer == null || Pointer.nativeValue(pointer) == 0) {
            throw new IllegalStateException(what + ": the library returned success but a NULL handle");
        }
        this.what = what;
        this.pointer = pointer;
        this.address = Pointer.nativeValue(pointer);
        this.cleanable = CLEANER.register(owner, new Release(pointer, free));
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("this " + what + " is closed");
    }

    /**
     * Counts a use in and returns the live address (for {@link DirectMethods});
     * throws if closed. Must be paired with {@link #release(Object)} in a
     * {@code finally} block: no lambda, no allocation, for the hot calls.
     */
    long acquire() {
        while (true) {
            int s = state;
            if ((s & CLOSED) != 0) {
                throw closedError();
            }
            if (STATE.weakCompareAndSet(this, s, s + USE)) {
                return address;
            }
        }
    }

    /** Ends what {@link #acquire()} began. Keeps {@code owner} reachable until here. */
    void release(Object owner) {
        int after = (int) STATE.getAndAdd(this, -USE) - USE;
        if (after == CLOSED) {
            // The last use in flight of a closed handle: close() may be waiting.
            synchronized (this) {
                notifyAll();
            }
        }
        Reference.reachabilityFence(owner);
    }

    /** Runs {@code body} with the live pointer; throws if closed. Keeps {@code owner} reachable. */
    <T> T use(Object owner, Function<Pointer, T> body) {
        acquire();
        try {
            return body.apply(pointer);
        } finally {
            release(owner);
        }
    }

    /**
     * Throws if closed, without counting a use: for answers that need no
     * native call (what a license grants, read once), which must still refuse
     * a closed handle.
     */
    void ensureOpen() {
        if ((state & CLOSED) != 0) {
            throw closedError();
        }
    }

    boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /**
     * Frees the pointer on the first call, once the uses in flight on other
     * threads are done; later calls do nothing.
     */
    void close() {
        while (true) {
            int s = state;
            if ((s & CLOSED) != 0) {
                return;
            }
            if (STATE.weakCompareAndSet(this, s, s | CLOSED)) {
                break;
            }
        }
        boolean interrupted = false;
        synchronized (this) {
            while (state != CLOSED) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // Freeing must not be skipped: keep waiting, then restore the flag.
                }
            }
        }
        cleanable.clean();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
