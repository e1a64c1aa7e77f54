#!/usr/bin/env bash
# Builds the licensing library and runs the Python binding's tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

if ! python3 -c 'import pytest' 2>/dev/null; then
    echo "test.sh: installing pytest" >&2
    python3 -m pip install pytest
fi

cargo build

target="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target" = /* ]] || target="$root/$target"

# Test the library just built (unless LICENSING_LIBRARY already names one),
# not another copy the system's search path would find.
if [[ -z "${LICENSING_LIBRARY:-}" ]]; then
    case "$(uname -s)" in
        Darwin) lib=liblicensing.dylib ;;
        MINGW*|MSYS*|CYGWIN*) lib=licensing.dll ;;
        *) lib=liblicensing.so ;;
    esac
    export LICENSING_LIBRARY="$target/debug/$lib"
fi
# The vendor's CLI for the hardware-change test, built by the same cargo build.
if [[ -z "${LICENSING_CLI:-}" ]]; then
    case "$(uname -s)" in
        MINGW*|MSYS*|CYGWIN*) cli=licensing.exe ;;
        *) cli=licensing ;;
    esac
    export LICENSING_CLI="$target/debug/$cli"
fi

# The stores' anchors in target/anchors, as for the processes cargo starts
# (.cargo/config.toml), not in the home directory (empty: no anchor).
export LICENSING_ANCHOR_DIR="${LICENSING_ANCHOR_DIR-$target/anchors}"

# pytest reads bindings/python/pyproject.toml (the import paths, the warnings).
python3 -m pytest -q -p no:cacheprovider bindings/python/tests "$@"
