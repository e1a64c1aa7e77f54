package dev.licensing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds and loads the native library, once per JVM.
 *
 * <p>Order: the system property {@value #PROPERTY} (a path), else the
 * environment variable {@value #ENV} (a path), else the licensing crate's
 * build output: {@code $CARGO_TARGET_DIR} (relative to the repository root
 * when relative) and the repository's {@code target/}, each with
 * {@code debug/} and {@code release/}; the most recently built existing file
 * is tried first. The repository root is found by walking up from the working
 * directory and from this class's location to a {@code Cargo.toml} whose
 * package is {@code licensing}.
 */
final class NativeLoader {
    static final String PROPERTY = "licensing.library";
    static final String ENV = "LICENSING_LIBRARY";

    private static final Pattern CRATE_NAME =
            Pattern.compile("(?m)^\\s*name\\s*=\\s*\"licensing\"\\s*$");

    private static LicensingLibrary library;
    private static String failure;

    private NativeLoader() {}

    /** The loaded library; throws {@link UnsatisfiedLinkError} (every time) when it cannot be loaded. */
    static synchronized LicensingLibrary library() {
        if (library != null) {
            return library;
        }
        if (failure != null) {
            throw new UnsatisfiedLinkError(failure);
        }
        try {
            library = load(System.getProperty(PROPERTY), System.getenv(ENV),
                    System.getenv("CARGO_TARGET_DIR"), defaultStarts());
            return library;
        } catch (UnsatisfiedLinkError e) {
            failure = e.getMessage();
            throw e;
        }
    }

    private static List<Path> defaultStarts() {
        List<Path> starts = new ArrayList<>();
        starts.add(Paths.get("").toAbsolutePath());
        try {
            CodeSource source = NativeLoader.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                starts.add(Paths.get(source.getLocation().toURI()).toAbsolutePath());
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // Not a file location (a custom class loader): only the working directory.
        }
        return starts;
    }

    /**
     * Loads the library from an explicit path ({@code property}, else
     * {@code env}) or from the candidates found from {@code starts}.
     */
    static LicensingLibrary load(String property, String env, String cargoTargetDir, List<Path> starts) {
        String fileName = System.mapLibraryName("licensing");
        String how = "Fix: build the library with `cargo build` (or `cargo build --release`) at the root of"
                + " the licensing repository, or point to " + fileName + " with -D" + PROPERTY
                + "=/path/to/" + fileName + " or the environment variable " + ENV + "=/path/to/" + fileName + ".";
        if (property != null && !property.isBlank()) {
            return loadExplicit(property, "the system property " + PROPERTY, how);
        }
        if (env != null && !env.isBlank()) {
            return loadExplicit(env, "the environment variable " + ENV, how);
        }

        Set<Path> roots = new LinkedHashSet<>();
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (isCrateRoot(p)) {
                    roots.add(p.normalize());
                    break;
                }
            }
        }
        Set<Path> targetDirs = new LinkedHashSet<>();
        if (cargoTargetDir != null && !cargoTargetDir.isBlank()) {
            Path t = Paths.get(cargoTargetDir);
            if (t.isAbsolute()) {
                targetDirs.add(t.normalize());
            } else {
                for (Path root : roots) {
                    targetDirs.add(root.resolve(t).normalize());
                }
            }
        }
        for (Path root : roots) {
            targetDirs.add(root.resolve("target").normalize());
        }
        List<Path> candidates = new ArrayList<>();
        for (Path t : targetDirs) {
            candidates.add(t.resolve("debug").resolve(fileName));
            candidates.add(t.resolve("release").resolve(fileName));
        }

        List<String> tried = new ArrayList<>();
        List<Path> existing = new ArrayList<>();
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                existing.add(c);
            } else {
                tried.add(c + ": not found");
            }
        }
        existing.sort(Comparator.comparing(NativeLoader::modified).reversed());
        for (Path c : existing) {
            try {
                return Native.load(c.toString(), LicensingLibrary.class, options());
            } catch (UnsatisfiedLinkError e) {
                tried.add(c + ": exists but could not be loaded (" + e.getMessage() + ")");
            }
        }

        StringBuilder msg = new StringBuilder("the licensing native library (" + fileName + ") was not found.");
        if (roots.isEmpty()) {
            msg.append("\n  no licensing repository (a Cargo.toml with name = \"licensing\") above: ");
            for (int i = 0; i < starts.size(); i++) {
                msg.append(i == 0 ? "" : ", ").append(starts.get(i));
            }
        }
        msg.append("\n  ").append(PROPERTY).append(" and ").append(ENV).append(" are not set");
        for (String t : tried) {
            msg.append("\n  tried ").append(t);
        }
        msg.append("\n").append(how);
        throw new UnsatisfiedLinkError(msg.toString());
    }

    private static LicensingLibrary loadExplicit(String path, String source, String how) {
        Path p;
        try {
            p = Paths.get(path).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new UnsatisfiedLinkError("the licensing native library named by " + source + " ('" + path
                    + "') is not a valid path: " + e.getMessage() + "\n" + how);
        }
        String reason;
        if (!Files.isRegularFile(p)) {
            reason = "not found";
        } else {
            try {
                return Native.load(p.toString(), LicensingLibrary.class, options());
            } catch (UnsatisfiedLinkError e) {
                reason = "exists but could not be loaded (" + e.getMessage() + ")";
            }
        }
        throw new UnsatisfiedLinkError("the licensing native library named by " + source
                + " could not be loaded:\n  tried " + p + ": " + reason + "\n" + how);
    }

    private static Map<String, Object> options() {
        return Map.of(Library.OPTION_STRING_ENCODING, StandardCharsets.UTF_8.name());
    }

    private static boolean isCrateRoot(Path dir) {
        Path cargo = dir.resolve("Cargo.toml");
        if (!Files.isRegularFile(cargo)) {
            return false;
        }
        try {
            return CRATE_NAME.matcher(Files.readString(cargo)).find();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
