package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Handle} without the library: a pointer freed exactly once, never
 * while a use is in flight (close waits for it), and refused after close.
 */
class HandleTest {
    private static final Pointer FAKE = new Pointer(0x1000);

    @Test
    void closeWaitsForAUseInFlightThenFreesOnce() throws Exception {
        Object owner = new Object();
        AtomicInteger freed = new AtomicInteger();
        Handle handle = new Handle(owner, "Thing", FAKE, p -> freed.incrementAndGet());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread user = new Thread(() -> handle.use(owner, p -> {
            inside.countDown();
            try {
                finish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        user.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(handle::close);
        closer.start();
        // The closer marks the handle closed at once, then waits for the use.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!handle.isClosed() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(handle.isClosed());
        assertThrows(IllegalStateException.class, handle::acquire, "a new use after close began");
        assertThrows(IllegalStateException.class, handle::ensureOpen);
        closer.join(200);
        assertTrue(closer.isAlive(), "close() returned while a use was in flight");
        assertEquals(0, freed.get());
        finish.countDown();
        user.join(10_000);
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertEquals(1, freed.get());
        handle.close();
        assertEquals(1, freed.get(), "a second close frees nothing");
    }

    @Test
    void concurrentUsesAndClosesFreeExactlyOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            Object owner = new Object();
            AtomicInteger freed = new AtomicInteger();
            AtomicInteger usedAfterFree = new AtomicInteger();
            Handle handle = new Handle(owner, "Thing", FAKE, p -> freed.incrementAndGet());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                boolean closer = t % 3 == 0;
                threads.add(new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 200; i++) {
                        if (closer && i == 100) {
                            handle.close();
                        }
                        try {
                            handle.acquire();
                        } catch (IllegalStateException closed) {
                            continue;
                        }
                        try {
                            if (freed.get() != 0) {
                                usedAfterFree.incrementAndGet();
                            }
                        } finally {
                            handle.release(owner);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            start.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertEquals(1, freed.get(), "round " + round);
            assertEquals(0, usedAfterFree.get(), "round " + round);
        }
    }

    @Test
    void anInterruptedCloseStillFreesAndKeepsTheInterrupt() throws Exception {
        Object owner = new Object();
        AtomicInteger freed = new AtomicInteger();
        Handle handle = new Handle(owner, "Thing", FAKE, p -> freed.incrementAndGet());
        handle.acquire();
        AtomicInteger interruptedAfter = new AtomicInteger();
        Thread closer = new Thread(() -> {
            handle.close();
            interruptedAfter.set(Thread.currentThread().isInterrupted() ? 1 : 0);
        });
        closer.start();
        while (!handle.isClosed()) {
            Thread.onSpinWait();
        }
        closer.interrupt();
        closer.join(200);
        assertTrue(closer.isAlive(), "an interrupt must not skip the wait");
        handle.release(owner);
        closer.join(10_000);
        assertEquals(1, freed.get());
        assertEquals(1, interruptedAfter.get(), "the interrupt is kept");
    }
}
