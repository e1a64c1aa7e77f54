#!/usr/bin/env bash
# Tests the Java package as a user gets it: in a temporary directory outside
# the source tree, compiles and runs a small program whose class path is
# exactly licensing-VERSION.jar and jna.jar, with nothing saying where the
# native library is (no LICENSING_LIBRARY, LD_LIBRARY_PATH, licensing.library
# or jna.library.path): the library must load from the jar's
# linux-x86-64/liblicensing.so. The program validates tests/vectors/prod.lic
# and checks its state, its feature "multi-tenancy" and the versions; the
# script also checks the POM. Exits non-zero, saying why, on any failure.
# Usage: bindings/java/test-package.sh   (after bindings/java/package.sh)
# Environment: LICENSING_VERSION, LICENSING_PACKAGES as for package.sh
# (defaults: the `licensing` package's version, target/packages).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
JNA_JAR=/usr/share/java/jna.jar

fail() {
    echo "java/test-package.sh: FAILED: $*" >&2
    exit 1
}

command -v javac >/dev/null 2>&1 || fail "javac not found (bindings/java/package.sh installs openjdk-17-jdk-headless)"
[ -f "$JNA_JAR" ] || fail "$JNA_JAR not found (bindings/java/package.sh installs libjna-java)"

# The target directory and the version (bindings/package-inputs.sh).
# shellcheck source=../package-inputs.sh
source "$repo/bindings/package-inputs.sh"
package_version java/test-package.sh
packages="${LICENSING_PACKAGES:-$target/packages}"
jar="$packages/licensing-$version.jar"
pom="$packages/licensing-$version.pom"
[ -f "$jar" ] || fail "no $jar: build it with bindings/java/package.sh"
[ -f "$pom" ] || fail "no $pom: build it with bindings/java/package.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/licensing-java-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
case "$work" in "$repo"/*) fail "the temporary directory $work is inside the source tree" ;; esac
mkdir -p "$work/lib" "$work/src" "$work/classes" "$work/data" "$work/jna-tmp" "$work/jna-manifest"

# The POM: the coordinates, and JNA at the version the tests use.
(cd "$work/jna-manifest" && jar --extract --file "$JNA_JAR" META-INF/MANIFEST.MF)
jna_version="$(sed -n 's/^Bundle-Version: *\([0-9][0-9A-Za-z.+-]*\).*/\1/p' "$work/jna-manifest/META-INF/MANIFEST.MF" | tr -d '\r')"
[ -n "$jna_version" ] || fail "cannot read JNA's version from the manifest of $JNA_JAR"
for expected in "<groupId>dev.licensing</groupId>" "<artifactId>licensing</artifactId>" "<version>$version</version>" \
    "<groupId>net.java.dev.jna</groupId>" "<artifactId>jna</artifactId>" "<version>$jna_version</version>"; do
    grep -qF "$expected" "$pom" || fail "$pom lacks $expected"
done
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, xml.etree.ElementTree as e; e.parse(sys.argv[1])' "$pom" || fail "$pom is not well-formed XML"
fi

cp "$jar" "$work/lib/licensing-$version.jar"
cp "$JNA_JAR" "$work/lib/jna.jar"
cp "$repo/tests/vectors/prod.lic" "$repo/tests/vectors/test-public-key.pem" "$work/data/"
classpath="$work/lib/licensing-$version.jar:$work/lib/jna.jar"

cat >"$work/src/PackageCheck.java" <<'EOF'
import dev.licensing.License;
import dev.licensing.LicensingLibrary;
import dev.licensing.State;
import dev.licensing.Validator;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A user's program: validates prod.lic with the packaged binding. Args: data directory, expected version. */
public final class PackageCheck {
    private PackageCheck() {}

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String version = args[1];
        // A context class loader that sees nothing, as in an application server's
        // worker thread: the library must come from the binding's own jar.
        Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[0], null));

        String pem = Files.readString(data.resolve("test-public-key.pem"));
        byte[] file = Files.readAllBytes(data.resolve("prod.lic"));
        try (Validator validator = new Validator(pem);
             License license = validator.validate(file, "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T",
                     "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ", 1780315200L)) {
            System.out.println("state: " + license.state());
            System.out.println("features: " + license.features());
            check(license.state() == State.ACTIVE, "prod.lic is " + license.state() + " on 2026-06-01, expected ACTIVE");
            check(license.hasFeature("multi-tenancy"), "prod.lic lacks the feature multi-tenancy");
            check(!license.hasFeature("no-such-feature"), "prod.lic has the feature no-such-feature");
            check(license.serialNumber().equals("1HA-009-DEZ-RD3-PJA-MNH-C1S-91T"), "serial " + license.serialNumber());
        }

        String manifest = LicensingLibrary.class.getPackage().getImplementationVersion();
        System.out.println("jar version: " + manifest + ", native library version: " + LicensingLibrary.version());
        check(version.equals(manifest), "the jar's Implementation-Version is " + manifest + ", expected " + version);
        check(version.equals(LicensingLibrary.version()),
                "the native library says version " + LicensingLibrary.version() + ", expected " + version);

        // Where the library came from: JNA's copy of the jar's resource (a temporary
        // file), not a liblicensing.so found in some directory.
        List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("/"))
                .map(l -> l.substring(l.indexOf('/')))
                .filter(p -> p.contains("licensing") || p.contains("jna-tmp"))
                .distinct()
                .collect(Collectors.toList());
        System.out.println("mapped: " + mapped);
        check(mapped.stream().noneMatch(p -> p.contains("liblicensing.so")),
                "a liblicensing.so from a directory was loaded, not the jar's resource: " + mapped);
        check(mapped.stream().anyMatch(p -> p.contains("jna-tmp")),
                "no copy of the jar's resource is mapped (JNA extracts it under jna.tmpdir): " + mapped);
        System.out.println("OK");
    }
}
EOF

cd "$work"
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -cp "$classpath" -d "$work/classes" "$work/src/PackageCheck.java" ||
    fail "a program using the package does not compile against $jar"
# Nothing says where the library is; jna.tmpdir only names where JNA unpacks
# it, so that the check above can tell its copy from any other file.
set +e
env -u LICENSING_LIBRARY -u LD_LIBRARY_PATH -u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS -u _JAVA_OPTIONS \
    java -Djna.tmpdir="$work/jna-tmp" -cp "$classpath:$work/classes" PackageCheck "$work/data" "$version" \
    >"$work/out.txt" 2>&1
status=$?
set -e
sed 's/^/  /' "$work/out.txt"
[ "$status" -eq 0 ] && grep -qx OK "$work/out.txt" ||
    fail "the program using $jar and jna.jar alone did not validate prod.lic (exit $status; output above)"
echo "java/test-package.sh: OK: licensing-$version.jar loads its native library from the class path and validates prod.lic"
