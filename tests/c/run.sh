#!/usr/bin/env bash
# The C ABI tests: builds the library, checks that include/licensing.h
# compiles cleanly as C11 and C++17, compiles and runs README.md's C example
# (with tests/c/readme_main.c), then builds tests/c/test_ffi.c against
# the header and runs it three ways: plain (shared library), under valgrind
# (shared library; no errors, no definite or indirect leaks) and with
# AddressSanitizer + UndefinedBehaviorSanitizer (static library).
#
# Usage: tests/c/run.sh        (from anywhere; honours CARGO_TARGET_DIR)
# Environment: CC (default gcc), CXX (default g++),
#   LIC_TEST_ITERATIONS (per thread in the plain and sanitizer runs,
#   default 2000; the valgrind run uses VALGRIND_ITERATIONS, default 200).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

CC="${CC:-gcc}"
CXX="${CXX:-g++}"
CFLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic -pthread -g -O1 -I"$root/include")
vectors="$root/tests/vectors"
iterations="${LIC_TEST_ITERATIONS:-2000}"
valgrind_iterations="${VALGRIND_ITERATIONS:-200}"

stage() {
    printf '\n==== %s ====\n' "$*"
}

passed=()

stage "1/6 Build the library: cargo build"
cargo build
# Where cargo put it (CARGO_TARGET_DIR, .cargo/config or ./target).
target_dir="$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
libdir="$target_dir/debug"
for f in "$libdir/liblicensing.so" "$libdir/liblicensing.a"; do
    if [ ! -f "$f" ]; then
        echo "missing $f after cargo build" >&2
        exit 1
    fi
done
build="$target_dir/c-tests"
mkdir -p "$build"
echo "library: $libdir/liblicensing.so, build dir: $build"
passed+=("build")

stage "2/6 The header compiles cleanly as C11 and C++17, and so does README.md's example"
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -I"$root/include" \
    tests/c/header_check.c
echo "C11   (-std=c11 -Wall -Wextra -Werror -pedantic): ok"
"$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic -x c++ -fsyntax-only -I"$root/include" \
    tests/c/header_check.c
echo "C++17 (-std=c++17 -Wall -Wextra -Werror -pedantic): ok"
# Every function the header declares is named in header_check.c (its
# declaration checked in both languages) and called by test_ffi.c.
declared=$(sed -n 's/^[a-z][^(]* \**\(lic_[a-z0-9_]*\)(.*/\1/p' include/licensing.h)
declared_count=$(echo "$declared" | wc -w)
# The same count another way, so that a header layout the sed above does
# not match cannot make this check pass on nothing.
lines_count=$(grep -c '^[a-z].*[ *]lic_[a-z0-9_]*(' include/licensing.h || true)
if [ "$declared_count" -eq 0 ] || [ "$declared_count" -ne "$lines_count" ]; then
    echo "found $declared_count function names in include/licensing.h but $lines_count" \
        "declaration lines: update this check to the header's layout" >&2
    exit 1
fi
unlisted=()
for fn in $declared; do
    grep -q "&$fn,\$" tests/c/header_check.c || unlisted+=("$fn (header_check.c)")
    grep -q "[^a-z_]$fn(" tests/c/test_ffi.c || grep -q "[^a-z_]$fn," tests/c/test_ffi.c ||
        unlisted+=("$fn (test_ffi.c)")
done
if [ "${#unlisted[@]}" -ne 0 ]; then
    echo "declared in include/licensing.h but not checked: ${unlisted[*]}" >&2
    exit 1
fi
echo "all $declared_count functions of the header are in header_check.c and test_ffi.c"
passed+=("header")

# README.md's C example, as a reader copies it: it must compile cleanly and
# refuse prod.lic on this machine, issued for another serial, saying so. The
# identity is pinned, so the reason does not depend on this machine.
awk '/^```c$/ { inside = 1; next } /^```$/ { inside = 0 } inside' README.md \
    >"$build/readme_example.c"
if ! grep -q "lic_validator_validate" "$build/readme_example.c"; then
    echo "no C example with lic_validator_validate found in README.md" >&2
    exit 1
fi
"$CC" "${CFLAGS[@]}" "$build/readme_example.c" tests/c/readme_main.c \
    -o "$build/readme_example" -L"$libdir" -llicensing -Wl,-rpath,"$libdir"
readme_run() {
    env -u LICENSING_IDENTITY_FILE LICENSING_IDENTITY=readme-example-box \
        "$build/readme_example" "$@" 2>"$build/readme_example.err" ||
        { cat "$build/readme_example.err" >&2; exit 1; }
}
readme_run "$vectors/test-public-key.pem" "$vectors/prod.lic" 1
wrong_serial="license not valid ($(sed -n 's/.*LIC_WRONG_SERIAL = \([0-9]*\),.*/\1/p' include/licensing.h)): the license was issued for serial "
if ! grep -qF "$wrong_serial" "$build/readme_example.err"; then
    echo "README example: expected \"$wrong_serial...\" on stderr, got:" >&2
    cat "$build/readme_example.err" >&2
    exit 1
fi
cat "$build/readme_example.err"
# Keys that are not a PEM public key: the example's validator_new fails.
readme_run "$vectors/prod.lic" "$vectors/prod.lic" 2
echo "README.md's C example: compiles with ${CFLAGS[*]:0:5}, runs as described"
passed+=("readme")

stage "3/6 Tests, plain (shared library)"
"$CC" "${CFLAGS[@]}" tests/c/test_ffi.c -o "$build/test_ffi" \
    -L"$libdir" -llicensing -Wl,-rpath,"$libdir"
# The test must link the library just built, not another one. ldd's output is
# kept first: piped into `grep -q`, ldd may die of SIGPIPE when grep stops
# reading, and pipefail then reports a match as a failure.
linked=$(ldd "$build/test_ffi")
if [[ "$linked" != *"$libdir/liblicensing.so"* ]]; then
    echo "test_ffi does not link $libdir/liblicensing.so:" >&2
    echo "$linked" >&2
    exit 1
fi
LIC_TEST_ITERATIONS="$iterations" "$build/test_ffi" "$vectors"
passed+=("plain")

stage "4/6 Tests under valgrind (memcheck, shared library)"
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind not found: installing it with apt-get"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y valgrind
fi
valgrind --version
vglog="$build/valgrind.log"
# "still reachable" memory (Rust std's and the thread-locals' buffers) is
# allowed; any error or definite/indirect leak fails the run.
LIC_TEST_ITERATIONS="$valgrind_iterations" valgrind \
    --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --track-origins=yes --log-file="$vglog" \
    "$build/test_ffi" "$vectors"
sed -n '/HEAP SUMMARY/,$p' "$vglog" | sed 's/^==[0-9]*== //'
if ! grep -q "ERROR SUMMARY: 0 errors" "$vglog"; then
    echo "valgrind reported errors: see $vglog" >&2
    exit 1
fi
passed+=("valgrind")

stage "5/6 Tests with -fsanitize=address,undefined (static library)"
# The static library needs the system libraries Rust's std uses.
"$CC" "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer tests/c/test_ffi.c -o "$build/test_ffi_asan" \
    "$libdir/liblicensing.a" -lpthread -ldl -lm
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    LIC_TEST_ITERATIONS="$iterations" "$build/test_ffi_asan" "$vectors"
passed+=("asan+ubsan")

stage "6/6 The tests can fail"
# A broken expectation must fail the run with file:line (guards against a
# test harness that always passes). The fixtures are copied with prod.lic
# replaced by tampered-body.lic, so the first validation of prod.lic fails.
broken="$build/broken-vectors"
rm -rf "$broken"
cp -r "$vectors" "$broken"
cp "$vectors/tampered-body.lic" "$broken/prod.lic"
set +e
"$build/test_ffi" "$broken" >"$build/broken.out" 2>&1
status=$?
set -e
rm -rf "$broken"
if [ "$status" -eq 0 ] || ! grep -q "test_ffi.c:[0-9]*: FAILED" "$build/broken.out"; then
    echo "test_ffi passed with a tampered prod.lic (status $status):" >&2
    cat "$build/broken.out" >&2
    exit 1
fi
grep -m1 "FAILED" "$build/broken.out"
echo "exit status $status: ok"
passed+=("can-fail")

stage "C ABI tests passed: ${passed[*]}"
