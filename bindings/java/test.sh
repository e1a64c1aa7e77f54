#!/usr/bin/env bash
# Builds the Rust library and the Java package (bindings/java/package.sh: the
# jar with the classes and the library just built), then runs the JUnit 5
# tests against that jar: LoaderTest against the jar's classes without its
# native resource (it tests the other ways of finding the library, which the
# resource would answer first), every other test against the jar itself.
# Usage: bindings/java/test.sh [extra console-launcher arguments, e.g. --select-class dev.licensing.LicenseTest]
#   With arguments, one run, against the jar's classes (as for LoaderTest).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

JNA_JAR=/usr/share/java/jna.jar
LAUNCHER=/usr/share/java/junit-platform-console-standalone.jar

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
[ -f "$JNA_JAR" ] || missing+=(libjna-java)
[ -f "$LAUNCHER" ] || missing+=(junit5)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Rust library (debug), where cargo puts it.
(cd "$repo" && cargo build)
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
lib="$target/debug/liblicensing.so"
if [ ! -f "$lib" ]; then
    echo "test.sh: cargo build did not produce $lib" >&2
    exit 1
fi

build="$target/java"
rm -rf "$build"
mkdir -p "$build/package" "$build/main" "$build/test"

# The binding as it ships: the jar package.sh makes (the classes, compiled
# with -Xlint:all -Werror, and the library just built as the resource
# linux-x86-64/liblicensing.so), here out of target/packages.
LICENSING_LIB="$lib" LICENSING_PACKAGES="$build/package" "$here/package.sh"
jars=("$build"/package/licensing-*.jar)
[ "${#jars[@]}" -eq 1 ] && [ -f "${jars[0]}" ] || { echo "test.sh: package.sh made no single jar in $build/package" >&2; exit 1; }
jar="${jars[0]}"
# Its classes alone, without the native resource, for LoaderTest.
(cd "$build/main" && jar --extract --file "$jar")
rm -rf "$build/main/META-INF" "$build/main/linux-"*

mapfile -t test_sources < <(find "$here/src/test/java" -name '*.java' | sort)
javac --release 17 -Xlint:all,-serial -encoding UTF-8 \
    -cp "$JNA_JAR:$LAUNCHER:$jar" -d "$build/test" "${test_sources[@]}"

# The ```java examples of this binding's README and of the project's README,
# as a user copies them, must compile against the packaged binding (a
# broken example fails the script here).
"$here/../readme_examples.sh" java "$here/README.md" "$build/readme" "$jar:$JNA_JAR"
"$here/../readme_examples.sh" java "$here/../../README.md" "$build/readme-top" "$jar:$JNA_JAR"

# The console launcher exits non-zero when a test fails (or none is found).
# The library's path is given explicitly: the binding never looks in build
# trees (LoaderTest starts its own JVMs for the other ways of finding it,
# each with the main JVM's class path for the binding).
launch() {
    local classes="$1" reports="$2"
    shift 2
    java -Dlicensing.library="$lib" -Dlicensing.repo="$repo" \
        -jar "$LAUNCHER" \
        --disable-banner \
        --fail-if-no-tests \
        --details=tree \
        --class-path "$classes:$build/test:$JNA_JAR" \
        --reports-dir "$reports" \
        "$@"
}

if [ "$#" -gt 0 ]; then
    # Every test found, unless the arguments select some.
    selection=(--scan-class-path "$build/test")
    for arg in "$@"; do
        case "$arg" in --select*|-[cmpf]) selection=() ;; esac
    done
    launch "$build/main" "$build/reports" "${selection[@]}" "$@"
    exit
fi

status=0
echo "== every test but LoaderTest, against $jar"
launch "$jar" "$build/reports" --scan-class-path "$build/test" \
    --exclude-classname '^dev\.licensing\.LoaderTest$' || status=1
echo "== LoaderTest, against the jar's classes without its native resource"
launch "$build/main" "$build/reports-loader" --select-class dev.licensing.LoaderTest || status=1
if [ "$status" -ne 0 ]; then
    echo "java binding tests FAILED" >&2
fi
exit "$status"
