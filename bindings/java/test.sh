#!/usr/bin/env bash
# Builds the Rust library and the Java binding, then runs the JUnit 5 tests.
# Usage: bindings/java/test.sh [extra console-launcher arguments, e.g. --select-class dev.licensing.LicenseTest]
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
mkdir -p "$build/main" "$build/test"

mapfile -t main_sources < <(find "$here/src/main/java" -name '*.java' | sort)
mapfile -t test_sources < <(find "$here/src/test/java" -name '*.java' | sort)
javac --release 17 -Xlint:all -Werror -encoding UTF-8 \
    -cp "$JNA_JAR" -d "$build/main" "${main_sources[@]}"
javac --release 17 -Xlint:all,-serial -encoding UTF-8 \
    -cp "$JNA_JAR:$LAUNCHER:$build/main" -d "$build/test" "${test_sources[@]}"

# The ```java examples of this binding's README and of the project's README,
# as a user copies them, must compile against the binding just built (a
# broken example fails the script here).
"$here/../readme_examples.sh" java "$here/README.md" "$build/readme" "$build/main:$JNA_JAR"
"$here/../readme_examples.sh" java "$here/../../README.md" "$build/readme-top" "$build/main:$JNA_JAR"

# Run every test found in the test classes, unless the arguments select some.
selection=(--scan-class-path "$build/test")
for arg in "$@"; do
    case "$arg" in --select*|-[cmpf]) selection=() ;; esac
done

# The console launcher exits non-zero when a test fails (or none is found).
# The library's path is given explicitly: the binding never looks in build
# trees (LoaderTest starts its own JVMs for the other ways of finding it).
java -Dlicensing.library="$lib" -Dlicensing.repo="$repo" \
    -jar "$LAUNCHER" \
    --disable-banner \
    --fail-if-no-tests \
    --details=tree \
    --class-path "$build/main:$build/test:$JNA_JAR" \
    "${selection[@]}" \
    --reports-dir "$build/reports" \
    "$@"
