package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loading rule: an explicit path (LicensingLibrary.load, or
 * -Dlicensing.library), else LICENSING_LIBRARY, else the system's search.
 * The library loads once per process, so each way is tried in a new JVM.
 */
class LoaderTest {
    private static final String FILE = System.mapLibraryName("licensing");
    private static final Path LIBRARY = Fixtures.library();
    private static final String VERSION = LicensingLibrary.version();

    private static void assertLoaded(ForkedJvm.Result r) {
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("version: " + VERSION), "expected the probe to load the library and print"
                + " its version " + VERSION + "; got:\n" + r);
        assertFalse(r.out.contains("failed"), r.toString());
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected '" + part + "' in:\n" + text);
        }
    }

    @Test
    void anExplicitPathComesBeforeTheEnvironmentVariable(@TempDir Path dir) {
        // LICENSING_LIBRARY names a missing file: loading it would fail, so success shows load(Path) came first.
        ForkedJvm.Result r = ForkedJvm.run(List.of(), Map.of("LICENSING_LIBRARY", dir.resolve(FILE).toString()),
                "load", LIBRARY.toString(), "version");
        assertLoaded(r);
        assertContains(r.out, "load: ok");
    }

    @Test
    void theSystemPropertyIsAnExplicitPath(@TempDir Path dir) {
        ForkedJvm.Result r = ForkedJvm.run(List.of("-Dlicensing.library=" + LIBRARY),
                Map.of("LICENSING_LIBRARY", dir.resolve(FILE).toString()), "version");
        assertLoaded(r);
    }

    @Test
    void theEnvironmentVariable() {
        assertLoaded(ForkedJvm.run(List.of(), Map.of("LICENSING_LIBRARY", LIBRARY.toString()), "version"));
    }

    @Test
    void aMissingFileInTheEnvironmentVariableIsAnErrorNotASkip(@TempDir Path dir) {
        // The system's search would find the library here: it must not hide the wrong setting.
        Path missing = dir.resolve(FILE);
        ForkedJvm.Result r = ForkedJvm.run(List.of("-Djna.library.path=" + LIBRARY.getParent()),
                Map.of("LICENSING_LIBRARY", missing.toString()), "version");
        assertContains(r.out, "version failed: UnsatisfiedLinkError", missing.toString(),
                "the environment variable LICENSING_LIBRARY", "no such file", "the system's search was not tried",
                "To fix it");
    }

    @Test
    void jnaLibraryPath() {
        assertLoaded(ForkedJvm.run(List.of("-Djna.library.path=" + LIBRARY.getParent()), Map.of(), "version"));
    }

    @Test
    void ldLibraryPath() {
        assertLoaded(ForkedJvm.run(List.of(), Map.of("LD_LIBRARY_PATH", LIBRARY.getParent().toString()), "version"));
    }

    @Test
    void aResourceOnTheClassPath(@TempDir Path dir) throws IOException {
        // How a jar can ship the library: linux-x86-64/liblicensing.so inside it.
        Path resource = Files.createDirectories(dir.resolve(com.sun.jna.Platform.RESOURCE_PREFIX));
        Files.copy(LIBRARY, resource.resolve(FILE));
        assertLoaded(ForkedJvm.run(List.of(), Map.of(), List.of(dir), "version"));
    }

    @Test
    void nothingFoundSaysWhatWasTriedWhereAndWhatToDo() {
        ForkedJvm.Result r = ForkedJvm.run(List.of(), Map.of(), "version", "version");
        String out = r.out;
        assertContains(out, "version failed: UnsatisfiedLinkError: " + FILE + ", the licensing native library, was"
                + " not found",
                "LicensingLibrary.load(Path) was not called", "licensing.library is not set",
                "LICENSING_LIBRARY: not set", "jna.library.path = (not set)", "LD_LIBRARY_PATH = (not set)",
                com.sun.jna.Platform.RESOURCE_PREFIX + "/" + FILE,
                // JNA's own account of the paths it tried.
                "Unable to load library 'licensing'",
                "To fix it", "LicensingLibrary.load(Path.of(", "LICENSING_LIBRARY=/path/to/" + FILE);
        // The second use gives the same answer, without searching again.
        assertEquals(2, out.split("was not found", -1).length - 1, out);
        assertFalse(out.contains("version: "), out);
    }

    @Test
    void javaLibraryPathIsNotReadByJnaAndTheMessageSaysWhatToUse() {
        // JNA's lookup ignores java.library.path: the message points to jna.library.path.
        ForkedJvm.Result r = ForkedJvm.run(List.of("-Djava.library.path=" + LIBRARY.getParent()), Map.of(), "version");
        assertContains(r.out, "version failed: UnsatisfiedLinkError",
                "JNA does not read java.library.path: name the directory in jna.library.path instead");
    }

    @Test
    void anExplicitPathAfterAFailedSearchLoads() {
        ForkedJvm.Result r = ForkedJvm.run(List.of(), Map.of(), "version", "load", LIBRARY.toString(), "version");
        assertContains(r.out, "version failed: UnsatisfiedLinkError", "load: ok", "version: " + VERSION);
    }

    @Test
    void loadAgainWithTheSamePathIsHarmlessAndAnotherPathIsRefused(@TempDir Path dir) throws IOException {
        Path copy = Files.copy(LIBRARY, dir.resolve(FILE));
        ForkedJvm.Result r = ForkedJvm.run(List.of(), Map.of(),
                "load", LIBRARY.toString(), "load", LIBRARY.toString(), "version", "load", copy.toString(), "version");
        assertContains(r.out, "load failed: IllegalStateException: LicensingLibrary.load(" + copy + ") came after"
                + " the native library was loaded (from " + LIBRARY + " by LicensingLibrary.load(Path))",
                "call LicensingLibrary.load once, at start-up");
        assertEquals("load: ok\nload: ok\nversion: " + VERSION + "\n",
                r.out.substring(0, r.out.indexOf("load failed")), r.toString());
        assertTrue(r.out.endsWith("version: " + VERSION + "\n"), "the library loaded first stays in use:\n" + r);
    }

    @Test
    void theSystemPropertysPathCountsAsLoadedByLoad() {
        ForkedJvm.Result r = ForkedJvm.run(List.of("-Dlicensing.library=" + LIBRARY), Map.of(),
                "version", "load", LIBRARY.toString());
        assertEquals("version: " + VERSION + "\nload: ok\n", r.out, r.toString());
    }

    @Test
    void explicitPathThatDoesNotExist(@TempDir Path dir) {
        Path missing = dir.resolve("nope").resolve(FILE);
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.find(missing.toString(), null));
        assertContains(e.getMessage(), "could not be loaded from " + missing, "the system property licensing.library",
                "no such file", "LICENSING_LIBRARY and the system's search were not tried", "To fix it");

        e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.find(null, missing.toString()));
        assertContains(e.getMessage(), "could not be loaded from " + missing,
                "the environment variable LICENSING_LIBRARY", "no such file");
    }

    @Test
    void explicitPathThatIsNotALibrary(@TempDir Path dir) throws IOException {
        Path bogus = Files.writeString(dir.resolve(FILE), "not an ELF file");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.find(null, bogus.toString()));
        assertContains(e.getMessage(), "could not be loaded from " + bogus, "the file exists but could not be loaded");

        e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.find(dir.toString(), null));
        assertContains(e.getMessage(), "could not be loaded from " + dir, "not a file");
    }

    @Test
    void aBlankSettingCountsAsUnset() {
        // " " is no path: the next step decides (here LICENSING_LIBRARY, which is valid).
        NativeMethods lib = NativeLoader.find(" ", LIBRARY.toString());
        assertEquals(VERSION, lib.lic_version().getString(0, "UTF-8"));
    }
}
