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

# Test the library just built (unless LICENSING_LIBRARY already names one):
# a newer release build, say, must not be picked up instead.
if [[ -z "${LICENSING_LIBRARY:-}" ]]; then
    case "$(uname -s)" in
        Darwin) lib=liblicensing.dylib ;;
        MINGW*|MSYS*|CYGWIN*) lib=licensing.dll ;;
        *) lib=liblicensing.so ;;
    esac
    target="${CARGO_TARGET_DIR:-$root/target}"
    [[ "$target" = /* ]] || target="$root/$target"
    export LICENSING_LIBRARY="$target/debug/$lib"
fi

python3 -m pytest -q -p no:cacheprovider bindings/python/tests "$@"
