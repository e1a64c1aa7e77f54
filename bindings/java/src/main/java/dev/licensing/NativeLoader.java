package dev.licensing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Loads the native library once per JVM, by the rule every binding follows:
 * <ol>
 *   <li>an explicit path: {@link LicensingLibrary#load(Path)}, or the system
 *       property {@value #PROPERTY};
 *   <li>the environment variable {@value #ENV} (a path);
 *   <li>the system's search for {@value #NAME}: JNA's lookup, which reads
 *       {@code jna.library.path}, the dynamic loader's path
 *       ({@code LD_LIBRARY_PATH}, {@code /etc/ld.so.conf}) and a
 *       {@code <platform>/liblicensing.so} resource on the classpath (but
 *       not {@code java.library.path}).
 * </ol>
 * A path that is set but does not load is an error, not a reason to try the
 * next step: loading some other copy would hide the mistake.
 */
final class NativeLoader {
    static final String PROPERTY = "licensing.library";
    static final String ENV = "LICENSING_LIBRARY";
    static final String NAME = "licensing";

    private static NativeMethods library;
    /** The path the library was loaded from, or null when the system's search found it. */
    private static Path loadedPath;
    /** How the library was found, for the message of a conflicting {@link #load(Path)}. */
    private static String loadedBy;
    /** The message of the failed search, repeated at each use rather than searching again. */
    private static String failure;

    private NativeLoader() {}

    /** The loaded library; throws {@link UnsatisfiedLinkError} (every time) when it cannot be loaded. */
    static synchronized NativeMethods library() {
        if (library != null) {
            return library;
        }
        if (failure != null) {
            throw new UnsatisfiedLinkError(failure);
        }
        String property = System.getProperty(PROPERTY);
        String env = System.getenv(ENV);
        try {
            library = find(property, env);
            loadedBy = describe(property, env);
            loadedPath = isSet(property) ? absolute(property) : isSet(env) ? absolute(env) : null;
            return library;
        } catch (UnsatisfiedLinkError e) {
            failure = e.getMessage();
            throw e;
        }
    }

    /**
     * The JNA library behind {@link #library()}: the one file loaded, which
     * {@link DirectMethods} registers its native methods against (so that
     * both call forms reach the same copy of the library).
     */
    static NativeLibrary nativeLibrary() {
        NativeMethods lib = library();
        return ((Library.Handler) Proxy.getInvocationHandler(lib)).getNativeLibrary();
    }

    /** {@link LicensingLibrary#load(Path)}: the explicit path, before the first use. */
    static synchronized void load(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (library != null) {
            if (p.equals(loadedPath)) {
                return; // Already loaded from there (by an earlier call, the property or the variable).
            }
            throw new IllegalStateException("LicensingLibrary.load(" + p + ") came after the native library was"
                    + " loaded (" + loadedBy + "); a process loads it once: call LicensingLibrary.load once,"
                    + " at start-up, before any other use of dev.licensing");
        }
        library = open(p.toString(), "LicensingLibrary.load(Path)", EXPLICIT_ALONE);
        loadedPath = p;
        loadedBy = "from " + p + " by LicensingLibrary.load(Path)";
        failure = null; // An earlier failed search is superseded by the explicit path.
    }

    private static String describe(String property, String env) {
        if (isSet(property)) {
            return "from " + absolute(property) + " by the system property " + PROPERTY;
        }
        if (isSet(env)) {
            return "from " + absolute(env) + " by the environment variable " + ENV;
        }
        return "by the system's search for \"" + NAME + "\"";
    }

    /** The absolute form of a path that loaded (so valid), for comparing with a later {@link #load(Path)}. */
    private static Path absolute(String path) {
        return Paths.get(path).toAbsolutePath().normalize();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * Steps 2 and 3 of the rule (and the system property form of step 1),
     * without the once-per-JVM state: for {@link #library()} and the tests.
     */
    static NativeMethods find(String property, String env) {
        if (isSet(property)) {
            return open(property, "the system property " + PROPERTY, EXPLICIT_ALONE);
        }
        if (isSet(env)) {
            return open(env, "the environment variable " + ENV, "the system's search was not tried.");
        }
        try {
            return Native.load(NAME, NativeMethods.class, options());
        } catch (UnsatisfiedLinkError e) {
            throw new UnsatisfiedLinkError(fileName() + ", the licensing native library, was not found."
                    + " Tried, in order:"
                    + "\n  1. an explicit path: LicensingLibrary.load(Path) was not called and the system property "
                    + PROPERTY + " is not set"
                    + "\n  2. the environment variable " + ENV + ": not set"
                    + "\n  3. the system's search for \"" + NAME + "\" (JNA) in"
                    + "\n       jna.library.path = " + shown(System.getProperty("jna.library.path"))
                    + "\n       LD_LIBRARY_PATH = " + shown(System.getenv("LD_LIBRARY_PATH"))
                    + " (and the dynamic loader's default directories)"
                    + "\n       the classpath resource " + Platform.RESOURCE_PREFIX + "/" + fileName()
                    + "\n     which failed with: " + e.getMessage().replace("\n", "\n       ")
                    + "\n     (JNA does not read java.library.path: name the directory in jna.library.path instead)"
                    + "\n" + howToFix());
        }
    }

    private static final String EXPLICIT_ALONE = ENV + " and the system's search were not tried.";

    /** Loads the file at {@code path}, named by {@code source}; nothing else is tried. */
    static NativeMethods open(String path, String source, String notTried) {
        Path p;
        try {
            p = absolute(path);
        } catch (InvalidPathException e) {
            throw new UnsatisfiedLinkError("the licensing native library named by " + source + " ('" + path
                    + "') is not a valid path: " + e.getMessage() + "\n" + howToFix());
        }
        String reason;
        if (!Files.exists(p)) {
            reason = "no such file";
        } else if (!Files.isRegularFile(p)) {
            reason = "not a file";
        } else {
            try {
                return Native.load(p.toString(), NativeMethods.class, options());
            } catch (UnsatisfiedLinkError e) {
                reason = "the file exists but could not be loaded (" + e.getMessage() + ")";
            }
        }
        throw new UnsatisfiedLinkError("the licensing native library could not be loaded from " + p + ", the path"
                + " given by " + source + ": " + reason + ". A path that is given is used alone: " + notTried
                + "\n" + howToFix());
    }

    private static String howToFix() {
        String file = fileName();
        return "To fix it: give the path of " + file + " with LicensingLibrary.load(Path.of(\"/path/to/" + file
                + "\")) before the first use, -D" + PROPERTY + "=/path/to/" + file + " or " + ENV + "=/path/to/"
                + file + ", or put " + file + " in a directory of jna.library.path or LD_LIBRARY_PATH. In the"
                + " licensing sources, `cargo build` makes target/debug/" + file + ".";
    }

    private static String fileName() {
        return System.mapLibraryName(NAME);
    }

    private static String shown(String value) {
        return value == null || value.isEmpty() ? "(not set)" : value;
    }

    private static Map<String, Object> options() {
        return Map.of(Library.OPTION_STRING_ENCODING, StandardCharsets.UTF_8.name());
    }
}
