#!/usr/bin/env bash
# The Java binding's benchmark: builds the release library (cargo build
# --release -p licensing-ffi; cargo skips it when it is up to date), compiles
# the binding and bench/Bench.java, and prints the cost per call of the
# binding's lookups, validation and store status, beside Java's own HashSet
# and HashMap measured the same way (a table, then one JSON line).
# Usage: bindings/java/bench/run.sh [--quick]
#   --quick  few iterations (seconds): checks that the harness still works
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java_dir="$(cd "$here/.." && pwd)"
repo="$(cd "$java_dir/../.." && pwd)"
JNA_JAR=/usr/share/java/jna.jar

args=()
for arg in "$@"; do
    case "$arg" in
        --quick) args+=(--quick) ;;
        -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/run.sh: unknown argument '$arg' (usage: bench/run.sh [--quick])" >&2; exit 2 ;;
    esac
done

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
[ -f "$JNA_JAR" ] || missing+=(libjna-java)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "bench/run.sh: installing ${missing[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The release build of the library: what the benchmark measures.
(cd "$repo" && cargo build --release -p licensing-ffi)
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
lib="$target/release/liblicensing.so"
[ -f "$lib" ] || { echo "bench/run.sh: cargo build --release did not produce $lib" >&2; exit 1; }

# The binding and the benchmark, compiled fresh.
build="$target/java-bench"
rm -rf "$build"
mkdir -p "$build/classes"
mapfile -t sources < <(find "$java_dir/src/main/java" -name '*.java' | sort)
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -cp "$JNA_JAR" -d "$build/classes" \
    "${sources[@]}" "$here/Bench.java"

# The store the benchmark makes records its anchor here, not in the host's directory.
anchor="$(mktemp -d "${TMPDIR:-/tmp}/licensing-bench-anchor.XXXXXX")"
trap 'rm -rf "$anchor"' EXIT

LICENSING_ANCHOR_DIR="$anchor" java -Dlicensing.library="$lib" -cp "$build/classes:$JNA_JAR" \
    dev.licensing.bench.Bench --repo "$repo" "${args[@]}"
