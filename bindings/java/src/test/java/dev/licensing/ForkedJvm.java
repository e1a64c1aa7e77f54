package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link Probe} in a new JVM: the library loads once per process, so
 * each way of finding it, and each hardware state, needs a fresh process.
 * The child sees this JVM's environment minus every setting that says where
 * the library is (so a test names exactly the ones it means), plus
 * {@code env}.
 */
final class ForkedJvm {
    private ForkedJvm() {}

    /** What the child printed and how it ended. */
    static final class Result {
        final int exitCode;
        final String out;
        final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Variables that would decide for the child where the library is, or add JVM options behind our back. */
    private static final List<String> SCRUBBED = List.of("LICENSING_LIBRARY", "LD_LIBRARY_PATH",
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /**
     * Runs {@code java [jvmOptions] -cp <binding, tests, jna[, extraClassPath]> dev.licensing.Probe args}.
     *
     * @param env variables to set in the child (on top of the scrubbed environment)
     */
    static Result run(List<String> jvmOptions, Map<String, String> env, List<Path> extraClassPath, String... args) {
        List<String> classPath = new ArrayList<>();
        classPath.add(location(NativeMethods.class));
        classPath.add(location(ForkedJvm.class));
        classPath.add(location(com.sun.jna.Native.class));
        for (Path p : extraClassPath) {
            classPath.add(p.toString());
        }
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(Probe.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        SCRUBBED.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        try {
            Path out = Files.createTempFile("probe", ".out");
            Path err = Files.createTempFile("probe", ".err");
            try {
                builder.redirectOutput(out.toFile()).redirectError(err.toFile());
                Process process = builder.start();
                assertTrue(process.waitFor(120, TimeUnit.SECONDS),
                        "the probe JVM did not end within 120 s: " + command);
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the probe JVM", e);
        }
    }

    static Result run(List<String> jvmOptions, Map<String, String> env, String... args) {
        return run(jvmOptions, env, List.of(), args);
    }

    /** The directory or jar a class was loaded from. */
    private static String location(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from, to give the"
                    + " probe JVM the same class path: run the tests from class directories or jars", e);
        }
    }
}
