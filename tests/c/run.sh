#!/usr/bin/env bash
# The C ABI tests: builds the library, checks that include/licensing.h
# compiles cleanly as C11 and C++17, compiles and runs README.md's C example
# (with tests/c/readme_main.c), makes the fixtures (a machine of three
# components and, with the licensing CLI, a license for the serial its store
# keeps; the vendor's keys and subscription for the offline exchange, whose
# CLI steps exchange.c runs), then builds the test program test_ffi (main.c, common.c
# and one file per concept: every tests/c/*.c but header_check.c and
# readme_main.c) against the header and runs it three ways: plain (shared
# library), under valgrind (shared library; no errors, no definite or
# indirect leaks) and with AddressSanitizer + UndefinedBehaviorSanitizer
# (static library).
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

# The test program's sources: every C file here but the header check and
# the README example's main.
test_sources=()
for f in tests/c/*.c; do
    case "$f" in
    tests/c/header_check.c | tests/c/readme_main.c) ;;
    *) test_sources+=("$f") ;;
    esac
done

stage() {
    printf '\n==== %s ====\n' "$*"
}

passed=()

stage "1/7 Build the library: cargo build"
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

stage "2/7 The header compiles cleanly as C11 and C++17, and so does README.md's example"
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -I"$root/include" \
    tests/c/header_check.c
echo "C11   (-std=c11 -Wall -Wextra -Werror -pedantic): ok"
"$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic -x c++ -fsyntax-only -I"$root/include" \
    tests/c/header_check.c
echo "C++17 (-std=c++17 -Wall -Wextra -Werror -pedantic): ok"
# Every function the header declares is named in header_check.c (its
# declaration checked in both languages) and called by the test program
# (in any of its files).
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
    grep -q -e "[^a-z_]$fn(" -e "[^a-z_]$fn," "${test_sources[@]}" ||
        unlisted+=("$fn (the test program)")
done
if [ "${#unlisted[@]}" -ne 0 ]; then
    echo "declared in include/licensing.h but not checked: ${unlisted[*]}" >&2
    exit 1
fi
echo "all $declared_count functions of the header are in header_check.c and in" \
    "${#test_sources[@]} files of the test program: ${test_sources[*]#tests/c/}"
# Every lic_result value has its class checked in results.c (a new value
# must be classified there).
results=$(sed -n '/^enum lic_result/,/^};/s/^  \(LIC_[A-Z0-9_]*\) = [0-9]*,$/\1/p' \
    include/licensing.h)
results_count=$(echo "$results" | wc -w)
if [ "$results_count" -lt 20 ]; then
    echo "found only $results_count lic_result values in include/licensing.h:" \
        "update this check to the header's layout" >&2
    exit 1
fi
unclassified=()
for r in $results; do
    grep -q "{$r, [A-Z_]*}," tests/c/results.c || unclassified+=("$r")
done
if [ "${#unclassified[@]}" -ne 0 ]; then
    echo "lic_result values without a class in tests/c/results.c: ${unclassified[*]}" >&2
    exit 1
fi
echo "all $results_count lic_result values are classified in results.c"
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

stage "3/7 Fixtures: a machine of three components and a license for its serial; the exchange's vendor"
# hardware.c changes this machine's components through the C ABI with a
# NULL serial. The machine is a directory shaped like / that the core reads
# instead of / (LICENSING_HARDWARE_ROOT), with exactly three components; it
# is made again before each run of the test program, which changes it.
licensing="$libdir/licensing"
hw="$build/hardware"
hardware_machine() {
    local root="$hw/machine"
    rm -rf "$root"
    mkdir -p "$root/etc" "$root/sys/class/dmi/id" "$root/sys/class/net/eth0/device"
    echo 3d1219c7c4c5404aaa1f6d2a48adfda4 >"$root/etc/machine-id"
    echo 4C4C4544-0042-3510-8052-B4C04F4A4E32 >"$root/sys/class/dmi/id/product_uuid"
    echo 02:fc:00:00:00:01 >"$root/sys/class/net/eth0/address"
    echo 1 >"$root/sys/class/net/eth0/type"
    echo 0 >"$root/sys/class/net/eth0/addr_assign_type"
}
# The CLI with the machine's hardware and nothing pinned; its output goes
# to a log, shown when it fails.
hw_cli() {
    env -u LICENSING_IDENTITY -u LICENSING_IDENTITY_FILE \
        LICENSING_HARDWARE_ROOT="$hw/machine" "$licensing" "$@" 2>>"$hw/cli.log" ||
        { echo "licensing $* failed:" >&2; cat "$hw/cli.log" >&2; exit 1; }
}
rm -rf "$hw"
mkdir -p "$hw"
hardware_machine
# Exactly the three components, as the core reads them.
explained=$(hw_cli serial --root "$hw/machine" --explain)
for want in "Components (3):" "machine-id  " "dmi-product-uuid  " "mac  "; do
    if [[ "$explained" != *"$want"* ]]; then
        echo "the fixture machine should have 3 components (machine-id, dmi-product-uuid," \
            "mac); licensing serial --explain says:" >&2
        echo "$explained" >&2
        exit 1
    fi
done
# The serial a store on this machine keeps (a store of its own: the test
# program opens a fresh one).
hw_cli init --store "$hw/cli-store" >/dev/null
hw_serial=$(hw_cli serial --store "$hw/cli-store")
if ! [[ "$hw_serial" =~ ^[0-9A-Z]{3}(-[0-9A-Z]{3}){7}$ ]]; then
    echo "licensing serial --store printed \"$hw_serial\", expected a serial number" >&2
    exit 1
fi
# The vendor's side: keys, a subscription, the environment registered with
# that serial, its license (issued 2026-01-01, ending 2027-12-31).
hw_cli keygen --private "$hw/vendor-private.pem" --public "$hw/vendor-public.pem" >>"$hw/cli.log"
hw_cli subscription new --organization "Hardware Change Test" --edition Enterprise \
    --support premium --end 2027-12-31 --slots production=1 \
    --out "$hw/subscription.json" >>"$hw/cli.log"
hw_cli register "$hw/subscription.json" --serial "$hw_serial" --name Production \
    --purpose production >>"$hw/cli.log"
hw_cli issue "$hw/subscription.json" --key "$hw/vendor-private.pem" --serial "$hw_serial" \
    --at 2026-01-01T00:00:00Z --out "$hw/license.lic" >>"$hw/cli.log"
export LIC_TEST_HARDWARE_ROOT="$hw/machine"
export LIC_TEST_HARDWARE_SERIAL="$hw_serial"
export LIC_TEST_HARDWARE_KEYS="$hw/vendor-public.pem"
export LIC_TEST_HARDWARE_LICENSE="$hw/license.lic"
echo "machine: $hw/machine (machine-id, dmi-product-uuid, mac); serial $hw_serial;" \
    "license $hw/license.lic"
# The offline exchange's vendor (exchange.c): keys and a subscription with
# two production slots and a hard application-objects limit of 450 (summed
# across the production environments), nobody registered. exchange.c
# registers its stores' activation requests with the CLI, issues their
# licenses, and sums their usage reports with `licensing usage-summary`.
vendor="$build/exchange-vendor"
rm -rf "$vendor"
mkdir -p "$vendor"
hw_cli keygen --private "$vendor/vendor-private.pem" --public "$vendor/vendor-public.pem" \
    >>"$hw/cli.log"
exchange_code=$(hw_cli subscription new --organization "Exchange Test" --edition Enterprise \
    --support premium --end 2027-12-31 --slots production=2 \
    --limit application-objects=450:hard --out "$vendor/subscription.json" |
    sed -n 's/^activation code: //p')
if ! [[ "$exchange_code" =~ ^[0-9A-Z]{3}(\.[0-9A-Z]{3}){7}$ ]]; then
    echo "licensing subscription new printed no activation code (\"$exchange_code\")" >&2
    exit 1
fi
export LIC_TEST_LICENSING="$licensing"
export LIC_TEST_EXCHANGE_VENDOR="$vendor"
export LIC_TEST_EXCHANGE_CODE="$exchange_code"
echo "exchange vendor: $vendor (subscription.json, activation code $exchange_code, 2 production" \
    "slots, application-objects 450 hard); CLI $licensing"
passed+=("fixtures")

stage "4/7 Tests, plain (shared library)"
"$CC" "${CFLAGS[@]}" "${test_sources[@]}" -o "$build/test_ffi" \
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
hardware_machine
LIC_TEST_ITERATIONS="$iterations" "$build/test_ffi" "$vectors"
passed+=("plain")

stage "5/7 Tests under valgrind (memcheck, shared library)"
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
hardware_machine
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

stage "6/7 Tests with -fsanitize=address,undefined (static library)"
# The static library needs the system libraries Rust's std uses.
"$CC" "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer "${test_sources[@]}" -o "$build/test_ffi_asan" \
    "$libdir/liblicensing.a" -lpthread -ldl -lm
hardware_machine
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    LIC_TEST_ITERATIONS="$iterations" "$build/test_ffi_asan" "$vectors"
passed+=("asan+ubsan")

stage "7/7 The tests can fail"
# A broken expectation must fail the run with file:line (guards against a
# test harness that always passes). The fixtures are copied with prod.lic
# replaced by tampered-body.lic, so the first validation of prod.lic fails.
broken="$build/broken-vectors"
rm -rf "$broken"
cp -r "$vectors" "$broken"
cp "$vectors/tampered-body.lic" "$broken/prod.lic"
hardware_machine
set +e
"$build/test_ffi" "$broken" >"$build/broken.out" 2>&1
status=$?
set -e
rm -rf "$broken"
if [ "$status" -eq 0 ] || ! grep -q "[a-z_]\.c:[0-9]*: FAILED" "$build/broken.out"; then
    echo "test_ffi passed with a tampered prod.lic (status $status):" >&2
    cat "$build/broken.out" >&2
    exit 1
fi
grep -m1 "FAILED" "$build/broken.out"
echo "exit status $status: ok"
# The hardware-change test on a machine whose machine id is not the one the
# license's serial was made from: the store's serial is not the CLI's, and
# hardware.c says so.
hardware_machine
echo 00112233445566778899aabbccddeeff >"$hw/machine/etc/machine-id"
set +e
LIC_TEST_ONLY="hardware change" "$build/test_ffi" "$vectors" >"$build/broken-hw.out" 2>&1
status=$?
set -e
if [ "$status" -eq 0 ] || ! grep -q "/hardware\.c:[0-9]*: FAILED" "$build/broken-hw.out"; then
    echo "the hardware-change test passed on another machine (status $status):" >&2
    cat "$build/broken-hw.out" >&2
    exit 1
fi
grep -m1 "FAILED" "$build/broken-hw.out"
echo "exit status $status: ok"
hardware_machine # as it was, for running test_ffi by hand
passed+=("can-fail")

stage "C ABI tests passed: ${passed[*]}"
