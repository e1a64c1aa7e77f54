#!/usr/bin/env bash
# The C ABI benchmark: builds the release library, compiles
# benches/c/ffi_bench.c against include/licensing.h and runs it, linked to
# the shared library (as C programs normally use it) and to the static one
# (no PLT/GOT indirection: shows what the cross-library call itself costs).
#
# Usage: benches/c/run.sh [calls per round [rounds]]   (default 1000000 101)
# Honours CARGO_TARGET_DIR and CC. Numbers from a busy machine are noisy:
# the CPU-time columns leave out preemption, not a busy SMT sibling.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
CC="${CC:-gcc}"
per_round="${1:-1000000}"
rounds="${2:-101}"

printf '==== Build: cargo build --release ====\n'
cargo build --release
target_dir="$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
libdir="$target_dir/release"
build="$target_dir/c-bench"
mkdir -p "$build"
CFLAGS=(-std=c11 -O2 -Wall -Wextra -Werror -pedantic -I"$root/include")

"$CC" "${CFLAGS[@]}" benches/c/ffi_bench.c -o "$build/ffi_bench" \
    -L"$libdir" -llicensing -Wl,-rpath,"$libdir"
"$CC" "${CFLAGS[@]}" benches/c/ffi_bench.c -o "$build/ffi_bench_static" \
    "$libdir/liblicensing.a" -lpthread -ldl -lm

printf '\n==== Machine ====\n'
grep -m1 'model name' /proc/cpuinfo || true
echo "cpus: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '\n==== Shared library (%s) ====\n' "$libdir/liblicensing.so"
"$build/ffi_bench" tests/vectors "$per_round" "$rounds"

printf '\n==== Static library (%s) ====\n' "$libdir/liblicensing.a"
"$build/ffi_bench_static" tests/vectors "$per_round" "$rounds"
