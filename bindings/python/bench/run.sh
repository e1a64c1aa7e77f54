#!/usr/bin/env bash
# The Python binding's benchmark harness: per-call times of the binding's
# lookups (has_feature, limit, check_usage), validations (bytes already
# seen, new bytes) and a store's status, next to the same lookups on
# Python's own set and dict, as a table on stdout and one JSON line.
#
# Usage: bindings/python/bench/run.sh [--quick] [--json FILE]
#   --quick      few iterations: checks in seconds that the harness works
#   --json FILE  also write the JSON line to FILE
#
# It builds what it needs from a clean checkout: the release build of the
# library (cargo build --release -p licensing-ffi; nothing to do when it is
# up to date). The binding is pure Python (ctypes): bench.py imports it
# from bindings/python/licensing, and the library is the release build,
# named by LICENSING_LIBRARY (step 2 of the loading rule). Needs python3
# (3.8+) and cargo; nothing from a package index.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

case "$(uname -s)" in
    Darwin) lib=liblicensing.dylib ;;
    MINGW* | MSYS* | CYGWIN*) lib=licensing.dll ;;
    *) lib=liblicensing.so ;;
esac

cargo build --release -p licensing-ffi >&2
target="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target" = /* ]] || target="$root/$target"

# The store's anchor in a directory of the run's, not the home directory.
work=$(mktemp -d "${TMPDIR:-/tmp}/licensing-py-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

export LICENSING_LIBRARY="$target/release/$lib"
export LICENSING_ANCHOR_DIR="$work/anchors"
export PYTHONDONTWRITEBYTECODE=1
env -u PYTHONPATH python3 "$here/bench.py" --work "$work" "$@"
