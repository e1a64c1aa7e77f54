package dev.licensing;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An owned native pointer, freed exactly once: by {@link #close()}, or by the
 * {@link Cleaner} when its owner becomes unreachable without being closed.
 * Uses hold a read lock, so {@code close()} on one thread never frees the
 * pointer while another thread is inside a native call with it.
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

    private final String what;
    private final Pointer pointer;
    private final Cleaner.Cleanable cleanable;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    Handle(Object owner, String what, Pointer pointer, Consumer<Pointer> free) {
        if (pointer == null || Pointer.nativeValue(pointer) == 0) {
            throw new IllegalStateException(what + ": the library returned success but a NULL handle");
        }
        this.what = what;
        this.pointer = pointer;
        this.cleanable = CLEANER.register(owner, new Release(pointer, free));
    }

    /** Runs {@code body} with the live pointer; throws if closed. Keeps {@code owner} reachable. */
    <T> T use(Object owner, Function<Pointer, T> body) {
        ReentrantReadWriteLock.ReadLock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this " + what + " is closed");
            }
            return body.apply(pointer);
        } finally {
            read.unlock();
            Reference.reachabilityFence(owner);
        }
    }

    boolean isClosed() {
        ReentrantReadWriteLock.ReadLock read = lock.readLock();
        read.lock();
        try {
            return closed;
        } finally {
            read.unlock();
        }
    }

    /** Frees the pointer on the first call; later calls do nothing. */
    void close() {
        ReentrantReadWriteLock.WriteLock write = lock.writeLock();
        write.lock();
        try {
            if (!closed) {
                closed = true;
                cleanable.clean();
            }
        } finally {
            write.unlock();
        }
    }
}
