package dev.licensing.bench;

import dev.licensing.License;
import dev.licensing.Status;
import dev.licensing.Store;
import dev.licensing.Usage;
import dev.licensing.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Java binding's cost per call, with plain loops: each operation is warmed
 * up (so that the JIT compiles it), then timed in rounds of many calls with
 * {@link System#nanoTime()}; the table shows the median and the fastest round,
 * per call. Java's own {@link HashSet} and {@link HashMap}, behind methods of the
 * same shape as the binding's, are measured the same way for comparison.
 *
 * <p>Usage: {@code java ... dev.licensing.bench.Bench --repo DIR [--quick]}
 * (bindings/java/bench/run.sh builds everything and runs it).
 */
public final class Bench {
    /** prod.lic's environment and a time at which it is active (as in the binding's tests). */
    private static final String SERIAL = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T";
    private static final String CODE = "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ";
    private static final long NOW = 1780315200L;

    /** What the measured code returns is folded into this, so that no call is optimized away. */
    private static long sink;

    private final int rounds;
    private final long warmupNanos;
    private final long roundNanos;
    private final List<Row> rows = new ArrayList<>();

    private Bench(boolean quick) {
        this.rounds = quick ? 5 : 21;
        this.warmupNanos = quick ? 50_000_000L : 1_000_000_000L;
        this.roundNanos = quick ? 2_000_000L : 20_000_000L;
    }

    private record Row(String name, double median, double min, int rounds, long calls) {}

    /** A batch of {@code n} calls of the operation; returns something to fold into the sink. */
    @FunctionalInterface
    private interface Batch {
        long run(int n) throws Exception;
    }

    /** Times {@code batch}: warm-up, then {@link #rounds} rounds sized to about {@link #roundNanos} each. */
    private void measure(String name, Batch batch) throws Exception {
        // Warm-up, growing the batch until it takes a measurable time; estimates the cost per call.
        int n = 1;
        long start = System.nanoTime();
        double perCall = 0;
        while (true) {
            long t0 = System.nanoTime();
            sink += batch.run(n);
            long elapsed = System.nanoTime() - t0;
            perCall = (double) Math.max(elapsed, 1) / n;
            if (System.nanoTime() - start >= warmupNanos) {
                break;
            }
            if (elapsed < roundNanos / 4 && n < (1 << 28)) {
                n *= 2;
            }
        }
        int calls = (int) Math.max(1, Math.min(1 << 28, roundNanos / perCall));
        double[] perRound = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            sink += batch.run(calls);
            perRound[r] = (double) (System.nanoTime() - t0) / calls;
        }
        double[] sorted = perRound.clone();
        Arrays.sort(sorted);
        rows.add(new Row(name, sorted[sorted.length / 2], sorted[0], rounds, (long) calls));
    }

    /** Times single calls (each far above the timer's resolution): the median and fastest of {@code count}. */
    private void measureEach(String name, int count, Batch setUpAndTime) throws Exception {
        for (int i = 0; i < Math.max(3, count / 5); i++) {
            setUpAndTime.run(1); // warm-up
        }
        double[] times = new double[count];
        for (int i = 0; i < count; i++) {
            times[i] = setUpAndTime.run(1);
        }
        Arrays.sort(times);
        rows.add(new Row(name, times[count / 2], times[0], count, 1));
    }

    /** Java's own set, behind a method of the same shape as {@link License#hasFeature}. */
    private static final class JavaSet {
        private final Set<String> set;

        JavaSet(Set<String> set) {
            this.set = set;
        }

        boolean hasFeature(String feature) {
            Objects.requireNonNull(feature, "feature");
            return set.contains(feature);
        }
    }

    /** Java's own map, behind methods of the same shape as {@link License#limit} and {@link License#checkUsage}. */
    private static final class JavaMap {
        private final Map<String, Long> map;

        JavaMap(Map<String, Long> map) {
            this.map = map;
        }

        OptionalLong limit(String name) {
            Objects.requireNonNull(name, "name");
            Long value = map.get(name);
            return value == null ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }

    /** Distinct copies of the strings, as an application's own names would be (not the library's instances). */
    private static String[] copies(String... names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = new String(names[i].toCharArray());
        }
        return out;
    }

    private void run(Path repo) throws Exception {
        Path vectors = repo.resolve("tests/vectors");
        String pem = Files.readString(vectors.resolve("test-public-key.pem"), StandardCharsets.UTF_8);
        byte[] prod = Files.readAllBytes(vectors.resolve("prod.lic"));

        try (Validator validator = new Validator(pem);
                License license = validator.validate(prod, SERIAL, CODE, NOW)) {
            // Four names looked up in turn, so that no lookup is hoisted out of the loop.
            String[] present = copies("sso-saml", "multi-tenancy", "audit-log", "workflow");
            String[] absent = copies("sso-SAML", "no-such-feature", "sso", "ldap-integration");
            String[] limits = copies("tenants", "application-objects", "internal-users", "storage-gb");
            long[] usages = {23, 300, 95, 10};
            JavaSet javaSet = new JavaSet(new HashSet<>(license.features()));
            JavaMap javaMap = new JavaMap(new HashMap<>(license.limits()));

            measure("has_feature (present)", n -> {
                long hits = 0;
                for (int i = 0; i < n; i++) {
                    hits += license.hasFeature(present[i & 3]) ? 1 : 0;
                }
                return hits;
            });
            measure("has_feature (absent)", n -> {
                long hits = 0;
                for (int i = 0; i < n; i++) {
                    hits += license.hasFeature(absent[i & 3]) ? 1 : 0;
                }
                return hits;
            });
            measure("  Java HashSet.contains (present)", n -> {
                long hits = 0;
                for (int i = 0; i < n; i++) {
                    hits += javaSet.hasFeature(present[i & 3]) ? 1 : 0;
                }
                return hits;
            });
            measure("  Java HashSet.contains (absent)", n -> {
                long hits = 0;
                for (int i = 0; i < n; i++) {
                    hits += javaSet.hasFeature(absent[i & 3]) ? 1 : 0;
                }
                return hits;
            });
            measure("limit", n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += license.limit(limits[i & 3]).orElse(0);
                }
                return sum;
            });
            measure("  Java HashMap.get", n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += javaMap.limit(limits[i & 3]).orElse(0);
                }
                return sum;
            });
            measure("check_usage", n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    Usage u = license.checkUsage(limits[i & 3], usages[i & 3]);
                    sum += u.ordinal();
                }
                return sum;
            });
            measure("state (native call)", n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += license.state().ordinal();
                }
                return sum;
            });
            measure("validate, seen bytes (+ close)", n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    try (License again = validator.validate(prod, SERIAL, CODE, NOW)) {
                        sum += again.isClosed() ? 0 : 1;
                    }
                }
                return sum;
            });
            measure("validate, seen bytes + has_feature (+ close)", n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    try (License again = validator.validate(prod, SERIAL, CODE, NOW)) {
                        sum += again.hasFeature(present[i & 3]) ? 1 : 0;
                    }
                }
                return sum;
            });
        }

        // New bytes: a fresh validator each time (made outside the timing), whose cache has never seen the file.
        measureEach("validate, new bytes (fresh validator)", rounds == 5 ? 10 : 200, n -> {
            try (Validator fresh = new Validator(pem)) {
                long t0 = System.nanoTime();
                try (License l = fresh.validate(prod, SERIAL, CODE, NOW)) {
                    long t = System.nanoTime() - t0;
                    sink += l.isClosed() ? 0 : 1;
                    return t;
                }
            }
        });

        // The store's status, on a store with prod.lic installed.
        Path dir = Files.createTempDirectory("licensing-bench-store");
        try (Validator validator = new Validator(pem); Store store = Store.create(dir)) {
            store.install(validator, prod, SERIAL, NOW, false).close();
            measure("store status (+ close)", n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    try (Status status = store.status(validator, SERIAL, NOW, null)) {
                        sum += status.mayRun() ? 1 : 0;
                    }
                }
                return sum;
            });
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("bench: could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    private void print(boolean quick) {
        System.out.printf(Locale.ROOT, "Java binding (JNA direct mapping), %s, Java %s%n",
                quick ? "--quick (few iterations: checks the harness, numbers are rough)" : "full run",
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-46s %14s %14s %18s%n", "operation", "median ns/call", "best ns/call",
                "rounds x calls");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-46s %14.1f %14.1f %18s%n", r.name, r.median, r.min,
                    r.rounds + " x " + r.calls);
        }
        StringBuilder json = new StringBuilder("{\"binding\":\"java\",\"quick\":").append(quick)
                .append(",\"ns_per_call\":{");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            json.append(i == 0 ? "" : ",").append('"').append(r.name.trim()).append("\":")
                    .append(String.format(Locale.ROOT, "%.1f", r.median));
        }
        json.append("}}");
        System.out.println(json);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path repo = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--repo" -> repo = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: Bench --repo DIR [--quick]; got " + args[i]);
            }
        }
        if (repo == null) {
            throw new IllegalArgumentException("usage: Bench --repo DIR [--quick]");
        }
        Bench bench = new Bench(quick);
        bench.run(repo);
        bench.print(quick);
        if (sink == 42) {
            System.out.println(); // Uses the sink.
        }
    }
}
