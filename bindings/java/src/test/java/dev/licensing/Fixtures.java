package dev.licensing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/** The repository's fixtures (tests/vectors) and header. */
final class Fixtures {
    private Fixtures() {}

    static final String SERIAL = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T";
    static final String OTHER_SERIAL = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";
    static final String CODE = "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ";
    static final String OTHER_CODE = "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V";
    /** 2026-06-01T12:00:00Z: prod.lic is active. */
    static final long NOW = 1780315200L;

    /** The repository root: -Dlicensing.repo, else the first directory above the working directory with tests/vectors/vectors.json. */
    static Path repo() {
        String property = System.getProperty("licensing.repo");
        if (property != null && !property.isBlank()) {
            return Paths.get(property).toAbsolutePath();
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tests/vectors/vectors.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository: run from inside it or pass -Dlicensing.repo=...");
    }

    /**
     * The native library test.sh built: -Dlicensing.library, else the
     * repository's target/debug build.
     */
    static Path library() {
        String property = System.getProperty("licensing.library");
        if (property != null && !property.isBlank()) {
            return Paths.get(property).toAbsolutePath();
        }
        return repo().resolve("target/debug").resolve(System.mapLibraryName("licensing"));
    }

    static Path vectors() {
        return repo().resolve("tests/vectors");
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(vectors().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String testKey() {
        return text(vectors().resolve("test-public-key.pem"));
    }

    static String untrustedKey() {
        return text(vectors().resolve("untrusted-public-key.pem"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> vectorsJson() {
        return (Map<String, Object>) Json.parse(text(vectors().resolve("vectors.json")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static Validator testValidator() {
        return new Validator(testKey());
    }
}
