package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the native library, and saying what was tried when it is not there. */
class LoaderTest {
    private static final String FILE = System.mapLibraryName("licensing");

    @Test
    void explicitPathThatDoesNotExist(@TempDir Path dir) {
        Path missing = dir.resolve("nope").resolve(FILE);
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.load(missing.toString(), null, null, List.of()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("licensing.library"), e.getMessage());
        assertTrue(e.getMessage().contains("cargo build"), e.getMessage());

        e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.load(null, missing.toString(), null, List.of()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("LICENSING_LIBRARY"), e.getMessage());
    }

    @Test
    void explicitPathThatIsNotALibrary(@TempDir Path dir) throws IOException {
        Path bogus = Files.writeString(dir.resolve(FILE), "not an ELF file");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.load(bogus.toString(), null, null, List.of()));
        assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("could not be loaded"), e.getMessage());
    }

    @Test
    void repositoryWithoutABuildListsEveryPathTried(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Cargo.toml"), "[package]\nname = \"licensing\"\nversion = \"0.1.0\"\n");
        Path start = Files.createDirectories(dir.resolve("bindings/java"));
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.load(null, null, "custom-target", List.of(start)));
        String m = e.getMessage();
        for (String sub : new String[] {"custom-target/debug/", "custom-target/release/", "target/debug/",
                "target/release/"}) {
            assertTrue(m.contains(dir.resolve(sub + FILE).toString()), sub + " not in: " + m);
        }
        assertTrue(m.contains("cargo build"), m);
        assertTrue(m.contains("-Dlicensing.library"), m);
    }

    @Test
    void noRepositoryAtAll(@TempDir Path dir) {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.load(null, null, null, List.of(dir)));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Cargo.toml"), e.getMessage());
    }

    @Test
    void findsTheBuildOfTheRepository() {
        // The real repository: test.sh has run `cargo build`, so a build exists.
        Path repo = Fixtures.repo();
        LicensingLibrary lib = NativeLoader.load(null, null, System.getenv("CARGO_TARGET_DIR"),
                List.of(repo.resolve("bindings/java")));
        assertTrue(lib.lic_version().getString(0).matches("\\d+\\.\\d+\\.\\d+.*"));
    }
}
