package dev.licensing;

import static dev.licensing.Fixtures.CODE;
import static dev.licensing.Fixtures.NOW;
import static dev.licensing.Fixtures.OTHER_SERIAL;
import static dev.licensing.Fixtures.SERIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One validator shared by 8 threads; each thread sees its own failures' messages. */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 200;

    @Test
    void eightThreadsShareAValidator() throws Exception {
        byte[] prod = Fixtures.bytes("prod.lic");
        byte[] expired = Fixtures.bytes("expired.lic");
        byte[] badSignature = Fixtures.bytes("bad-signature.lic");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try (Validator validator = Fixtures.testValidator()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    int done = 0;
                    for (int i = 0; i < ROUNDS; i++) {
                        try (License l = validator.validate(prod, SERIAL, CODE, NOW)) {
                            assertEquals(State.ACTIVE, l.state());
                            assertEquals("Acme Corp", l.organization());
                            assertEquals(Usage.NEAR, l.checkUsage("tenants", 23));
                        }
                        // Each thread fails differently: its message must be its own.
                        switch (thread % 4) {
                            case 0: {
                                LicensingException e = assertThrows(LicensingException.class,
                                        () -> validator.validate(expired, SERIAL, CODE, NOW));
                                assertEquals(ResultCode.EXPIRED, e.code());
                                assertTrue(e.detail().toLowerCase().contains("expire"), e.detail());
                                break;
                            }
                            case 1: {
                                LicensingException e = assertThrows(LicensingException.class,
                                        () -> validator.validate(prod, OTHER_SERIAL, CODE, NOW));
                                assertEquals(ResultCode.WRONG_SERIAL, e.code());
                                assertTrue(e.detail().contains(OTHER_SERIAL) || e.detail().contains("serial"),
                                        e.detail());
                                break;
                            }
                            case 2: {
                                LicensingException e = assertThrows(LicensingException.class,
                                        () -> validator.validate(badSignature, SERIAL, CODE, NOW));
                                assertEquals(ResultCode.BAD_SIGNATURE, e.code());
                                assertTrue(e.detail().toLowerCase().contains("signature"), e.detail());
                                break;
                            }
                            default: {
                                LicensingException e = assertThrows(LicensingException.class,
                                        () -> validator.validate(prod, "1HA-009-DEZ-RD3-PJA-MNH-C1S-9UT", CODE, NOW));
                                assertEquals(ResultCode.INVALID_SERIAL_NUMBER, e.code());
                                assertTrue(e.detail().contains("group 8"), e.detail());
                                break;
                            }
                        }
                        done++;
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(THREADS * ROUNDS, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWhileOtherThreadsValidate() throws Exception {
        byte[] prod = Fixtures.bytes("prod.lic");
        Validator validator = Fixtures.testValidator();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        try (License l = validator.validate(prod, SERIAL, CODE, NOW)) {
                            assertEquals("Acme Corp", l.organization());
                        } catch (IllegalStateException closed) {
                            return null; // closed under us: the only allowed failure
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(20);
            validator.close();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThrows(IllegalStateException.class, () -> validator.validate(prod, SERIAL, CODE, NOW));
        } finally {
            pool.shutdownNow();
        }
    }
}
