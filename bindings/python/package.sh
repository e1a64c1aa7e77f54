#!/usr/bin/env bash
# Builds the Python wheel, licensing-VERSION-py3-none-PLATFORM.whl: the
# binding (bindings/python/licensing) with the native library inside it
# (licensing/_lib/liblicensing.so, step 3 of the loading rule), built by the
# PEP 517 backend of pyproject.toml (setuptools) from a copy of this
# directory, so the source tree gets no build/ or *.egg-info.
#
# The platform tag is honest: manylinux_2_X_ARCH when the library needs
# glibc 2.X at most (the newest GLIBC_ symbol version it uses, objdump -T)
# and links only libraries every manylinux system has; else linux_ARCH.
#
# Usage: bindings/python/package.sh   (alone, or called by bindings/package.sh)
# Environment (the interface of every bindings/*/package.sh; all optional here):
#   LICENSING_VERSION   the version, e.g. 0.1.0 (default: the crate's, from
#                       cargo metadata); pyproject.toml must say the same
#   LICENSING_LIB       absolute path of the shared library to ship
#                       (default: cargo build --release -p licensing-ffi)
#   LICENSING_PACKAGES  absolute path of the directory the wheel goes to
#                       (default: target/packages; honours CARGO_TARGET_DIR)
# Needs python3 and, once per target directory, setuptools>=70.1 from the
# package index (installed into target/packaging/python-build, a venv).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

target="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target" = /* ]] || target="$root/$target"

if [[ -z "${LICENSING_VERSION:-}" ]]; then
    LICENSING_VERSION=$(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "licensing-ffi"))')
fi
version="$LICENSING_VERSION"

case "$(uname -s)" in
    Darwin) file_name=liblicensing.dylib ;;
    MINGW* | MSYS* | CYGWIN*) file_name=licensing.dll ;;
    *) file_name=liblicensing.so ;;
esac
if [[ -z "${LICENSING_LIB:-}" ]]; then
    cargo build --release -p licensing-ffi
    LICENSING_LIB="$target/release/$file_name"
fi
lib="$LICENSING_LIB"
[[ -f "$lib" ]] || { echo "python/package.sh: LICENSING_LIB=$lib is not a file" >&2; exit 1; }

packages="${LICENSING_PACKAGES:-$target/packages}"
mkdir -p "$packages"

# The version of pyproject.toml is the crate's.
py_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/pyproject.toml")
if [[ "$py_version" != "$version" ]]; then
    echo "python/package.sh: bindings/python/pyproject.toml says version \"$py_version\"," \
        "the crate $version: update pyproject.toml" >&2
    exit 1
fi

# The platform tag of the wheel, from what the library needs.
wheel_platform() {
    local arch needed glibc minor
    arch="$(uname -m)"
    if [[ "$(uname -s)" != Linux ]]; then
        python3 -c 'import sysconfig; print(sysconfig.get_platform().replace("-", "_").replace(".", "_"))'
        return
    fi
    if ! command -v objdump >/dev/null; then
        echo "linux_$arch"
        return
    fi
    # Only the libraries the manylinux policies allow (glibc's own, libgcc_s).
    needed=$(objdump -p "$1" | sed -n 's/^ *NEEDED *//p')
    for n in $needed; do
        case "$n" in
            libc.so.6 | libm.so.6 | libdl.so.2 | libpthread.so.0 | librt.so.1 | libutil.so.1 | \
                libresolv.so.2 | libgcc_s.so.1 | ld-linux-*.so.* | ld-linux.so.*) ;;
            *)
                echo "python/package.sh: the library needs $n, which manylinux does not" \
                    "allow: the wheel is tagged linux_$arch" >&2
                echo "linux_$arch"
                return
                ;;
        esac
    done
    glibc=$(objdump -T "$1" | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n -u | tail -n 1)
    if [[ -z "$glibc" ]]; then
        echo "linux_$arch"
        return
    fi
    minor="${glibc#GLIBC_2.}"
    # No manylinux tag below 2.5 (manylinux1); none of this library's.
    ((minor >= 5)) || minor=5
    echo "manylinux_2_${minor}_$arch"
}
platform=$(wheel_platform "$lib")

# A venv with the build backend (setuptools >= 70.1 makes wheels itself),
# made once per target directory.
build_venv="$target/packaging/python-build"
if ! "$build_venv/bin/python" -c 'import setuptools.command.bdist_wheel' 2>/dev/null; then
    rm -rf "$build_venv"
    python3 -m venv "$build_venv"
    "$build_venv/bin/python" -m pip install -q --disable-pip-version-check "setuptools>=70.1" || {
        echo "python/package.sh: could not install setuptools>=70.1 into $build_venv" \
            "(the wheel's build backend; it comes from the package index)" >&2
        exit 1
    }
fi

stage="$target/packaging/python"
rm -rf "$stage"
mkdir -p "$stage"
cp "$here/pyproject.toml" "$here/setup.py" "$here/README.md" "$stage/"
cp -R "$here/licensing" "$stage/"
find "$stage/licensing" -name __pycache__ -prune -exec rm -rf {} +
rm -rf "$stage/licensing/_lib"
mkdir "$stage/licensing/_lib"
cp "$lib" "$stage/licensing/_lib/$file_name"
chmod 755 "$stage/licensing/_lib/$file_name"

rm -f "$packages"/licensing-*.whl
LICENSING_WHEEL_PLATFORM="$platform" "$build_venv/bin/python" -m pip wheel -q \
    --disable-pip-version-check --no-deps --no-build-isolation --no-index \
    -w "$packages" "$stage"
wheel="$packages/licensing-$version-py3-none-$platform.whl"
if [[ ! -f "$wheel" ]]; then
    echo "python/package.sh: expected $wheel, found: $(ls "$packages")" >&2
    exit 1
fi
echo "python/package.sh: $wheel"
