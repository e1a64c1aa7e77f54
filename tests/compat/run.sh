#!/usr/bin/env bash
# Format compatibility with the runtimes in the field: builds the
# `licensing` command of the last release that read format version 1 only
# (licensing 0.3, commit $OLD below, from this repository's history) and
# checks, with that old runtime and this tree's tool:
#
#   1. a license issued today with no new field (no platform version cap,
#      the default summed limits) is format version 1, and the old runtime
#      validates it;
#   2. the same subscription with a platform version cap gives a version 2
#      license, which the old runtime refuses with a clear message (format
#      version 2 is not supported: update the runtime), exit 1, as it does
#      the vectors capped.lic and unknown-extension.lic;
#   3. the old runtime still validates prod.lic (the vectors are unchanged
#      for version 1).
#
# The old tool is built once into target/compat (about two minutes on a
# fresh machine, seconds after). Usage: tests/compat/run.sh (from anywhere).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
# licensing 0.3: the last commit before format version 2.
OLD=f7e8fd875866fb0266ffa455b7dbe1a6787a95ac
OUT="${CARGO_TARGET_DIR:-$ROOT/target}/compat"
SRC="$OUT/src-$OLD"

if ! git cat-file -e "$OLD^{commit}" 2>/dev/null; then
    if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
        git fetch --quiet --unshallow || true
    fi
    if ! git cat-file -e "$OLD^{commit}" 2>/dev/null; then
        echo "tests/compat: commit $OLD (licensing 0.3) is not in this repository's history: clone the whole history (not --depth 1)" >&2
        exit 1
    fi
fi
if [ ! -x "$OUT/target/debug/licensing" ] || [ ! -f "$OUT/built-$OLD" ]; then
    rm -rf "$SRC"
    mkdir -p "$SRC"
    git archive "$OLD" | tar -x -C "$SRC"
    echo "building the licensing 0.3 command (commit ${OLD:0:7}) into $OUT/target"
    (cd "$SRC" && CARGO_TARGET_DIR="$OUT/target" cargo build --quiet -p licensing-cli --bin licensing)
    touch "$OUT/built-$OLD"
fi
old="$OUT/target/debug/licensing"
cargo build --quiet -p licensing-cli --bin licensing
new="${CARGO_TARGET_DIR:-$ROOT/target}/debug/licensing"

passed=0
failed=0
pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LICENSING_ANCHOR_DIR="$work/anchors"
vectors="$ROOT/tests/vectors"
serial=1HA-009-DEZ-RD3-PJA-MNH-C1S-91T
at=2026-06-01T12:00:00Z

# The old runtime's verdict on a file: "valid" (exit 0) or its message
# (exit 1); any other exit is a failure of the test itself.
old_verdict() {
    local status=0
    "$old" validate "$1" --trust "$2" --serial "$serial" --at "$3" >"$work/out" 2>&1 || status=$?
    case $status in
        0) echo valid ;;
        1) cat "$work/out" ;;
        *) echo "exit $status: $(cat "$work/out")" ;;
    esac
}

expect_valid() {
    local verdict
    verdict=$(old_verdict "$@")
    if [ "$verdict" = valid ]; then pass "0.3 validates $(basename "$1")"; else fail "0.3 refuses $(basename "$1"): $verdict"; fi
}

expect_update_the_runtime() {
    local verdict
    verdict=$(old_verdict "$@")
    if [[ $verdict == *"format version 2 is not supported"*"update the runtime"* ]]; then
        pass "0.3 refuses $(basename "$1"): format version 2, update the runtime"
    else
        fail "0.3 on $(basename "$1"): expected 'format version 2 is not supported ... update the runtime', got: $verdict"
    fi
}

# 3. The vectors.
expect_valid "$vectors/prod.lic" "$vectors/test-public-key.pem" "$at"
for name in capped.lic summed-limits.lic unknown-extension.lic; do
    expect_update_the_runtime "$vectors/$name" "$vectors/test-public-key.pem" "$at"
done

# 1. and 2. Licenses issued by this tree's tool.
cd "$work"
"$new" keygen --private vendor.key --public vendor.pub >/dev/null
"$new" subscription new --organization "Acme Corp" --edition Enterprise --support premium \
    --end 2027-12-31 --slots production=1 --internal-users 100 \
    --limit application-objects=450 --feature multi-tenancy --out acme.json >/dev/null
"$new" register acme.json --serial "$serial" --name Production --purpose production >/dev/null
"$new" issue acme.json --serial "$serial" --key vendor.key --out today.lic --at "$at" >/dev/null
if [ "$(od -An -tu1 -j4 -N1 today.lic | tr -d ' ')" = 1 ]; then
    pass "a license with no new field is format version 1"
else
    fail "a license with no new field is format version $(od -An -tu1 -j4 -N1 today.lic)"
fi
expect_valid today.lic vendor.pub "$at"
"$new" subscription update acme.json --max-platform-version 11.14 >/dev/null
"$new" issue acme.json --serial "$serial" --key vendor.key --out capped.lic --at "$at" >/dev/null
if [ "$(od -An -tu1 -j4 -N1 capped.lic | tr -d ' ')" = 2 ]; then
    pass "a license with a platform version cap is format version 2"
else
    fail "a license with a platform version cap is format version $(od -An -tu1 -j4 -N1 capped.lic)"
fi
expect_update_the_runtime capped.lic vendor.pub "$at"
"$new" subscription update acme.json --max-platform-version none >/dev/null
"$new" issue acme.json --serial "$serial" --key vendor.key --out uncapped.lic --at "$at" >/dev/null
expect_valid uncapped.lic vendor.pub "$at"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
