#!/usr/bin/env bash
# Builds the licensing library and runs the Python binding's tests against
# the installed package, not this source tree: package.sh makes a wheel of
# the binding with the library just built inside it (licensing/_lib/), pip
# installs it into a fresh venv, and pytest runs tests/ with that venv's
# interpreter from outside this directory, so `import licensing` is the
# installed copy (checked before the tests start).
#
# Usage: bindings/python/test.sh [pytest arguments]
# Environment:
#   LICENSING_WHEEL    test this wheel (e.g. target/packages/licensing-*.whl
#                      made by bindings/package.sh) instead of making one
#   LICENSING_LIBRARY  the library the tests use (default: the copy the
#                      installed package bundles)
#   LICENSING_CLI      the vendor's CLI for the hardware-change test
#                      (default: the one `cargo build` makes)
# The venv sees the system's site-packages for pytest (installed there
# when missing); its own site-packages, with the wheel, come first.
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

case "$(uname -s)" in
    Darwin) lib=liblicensing.dylib cli=licensing ;;
    MINGW* | MSYS* | CYGWIN*) lib=licensing.dll cli=licensing.exe ;;
    *) lib=liblicensing.so cli=licensing ;;
esac

# The wheel: the one given, or one made now with the library just built
# (the same package as bindings/package.sh makes, with the debug build).
work="$target/python-test"
rm -rf "$work"
mkdir -p "$work/dist" "$work/run"
wheel="${LICENSING_WHEEL:-}"
if [[ -z "$wheel" ]]; then
    LICENSING_LIB="$target/debug/$lib" LICENSING_PACKAGES="$work/dist" bash "$here/package.sh"
    wheel=$(ls "$work"/dist/licensing-*.whl)
fi
[[ -f "$wheel" ]] || { echo "test.sh: no wheel at $wheel" >&2; exit 1; }

# A fresh venv (without pip: this pip installs into it), the wheel in it.
venv="$work/venv"
python3 -m venv --without-pip --system-site-packages "$venv"
if [[ -x "$venv/bin/python" ]]; then py="$venv/bin/python"; else py="$venv/Scripts/python.exe"; fi
"$py" -m pip install -q --disable-pip-version-check --no-index --no-deps --force-reinstall "$wheel"

# The package the tests import is the installed one, with its library.
installed=$(cd "$work/run" && env -u PYTHONPATH "$py" -c '
import licensing, licensing._native as n, os
print(os.path.dirname(licensing.__file__))
print(n.BUNDLED if os.path.isfile(n.BUNDLED) else "")')
package=$(sed -n 1p <<<"$installed")
bundled=$(sed -n 2p <<<"$installed")
case "$package" in
    "$venv"/*) ;;
    *) echo "test.sh: licensing imports from $package, not from the venv $venv" >&2; exit 1 ;;
esac
[[ -n "$bundled" ]] || { echo "test.sh: the installed package bundles no library" >&2; exit 1; }
echo "test.sh: testing $(basename "$wheel"), installed at $package"

# The library under test: the installed package's own copy (unless
# LICENSING_LIBRARY already names one).
export LICENSING_LIBRARY="${LICENSING_LIBRARY:-$bundled}"
# The vendor's CLI for the hardware-change test, built by the same cargo build.
export LICENSING_CLI="${LICENSING_CLI:-$target/debug/$cli}"

# The stores' anchors in target/anchors, as for the processes cargo starts
# (.cargo/config.toml), not in the home directory (empty: no anchor).
export LICENSING_ANCHOR_DIR="${LICENSING_ANCHOR_DIR-$target/anchors}"

# pytest reads bindings/python/pyproject.toml (the warnings) but puts only
# tests/ on the import path, not this directory (-o pythonpath), and runs
# from elsewhere: `import licensing` finds the venv's.
cd "$work/run"
env -u PYTHONPATH "$py" -m pytest -q -p no:cacheprovider -c "$here/pyproject.toml" \
    --rootdir "$here" -o pythonpath=tests "$here/tests" "$@"
