#!/usr/bin/env bash
# Builds every package of licensing, from a clean checkout, into
# target/packages/ (under CARGO_TARGET_DIR when set), all of one version:
# the crate's ([workspace.package] version in Cargo.toml, read with cargo
# metadata). The library is built once, in release
# (cargo build --release -p licensing-ffi), and every package ships that
# file:
#
#   licensing-VERSION-linux-ARCH.tar.gz   the C SDK, made here: a prefix tree
#       licensing-VERSION-linux-ARCH/
#         include/licensing.h
#         lib/liblicensing.so.VERSION        (SONAME liblicensing.so.MAJOR)
#         lib/liblicensing.so.MAJOR -> liblicensing.so.VERSION
#         lib/liblicensing.so -> liblicensing.so.MAJOR
#         lib/liblicensing.a
#         lib/pkgconfig/licensing.pc         (relocatable: prefix=${pcfiledir}/../..)
#         share/doc/licensing/README.md
#   licensing-VERSION-py3-none-PLATFORM.whl   bindings/python/package.sh
#   licensing-VERSION.jar (and .pom)           bindings/java/package.sh, if there
#   Licensing.VERSION.nupkg                    bindings/dotnet/package.sh, if there
#
# The interface of the per-language scripts (bindings/*/package.sh): this
# script runs each with these environment variables set; each also works
# alone, building the library itself when LICENSING_LIB is unset.
#   LICENSING_VERSION   the version, e.g. 0.1.0
#   LICENSING_LIB       absolute path of the built shared library to ship
#                       (target/release/liblicensing.so, whose SONAME is
#                       liblicensing.so.MAJOR)
#   LICENSING_PACKAGES  absolute path of target/packages, where each writes
#                       its package
#   SOURCE_DATE_EPOCH   the time of the last commit, for the archives'
#                       timestamps (unless already set)
#
# tests/packages/run.sh then tests the packages as users install them.
# Usage: bindings/package.sh   (from anywhere)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() {
    printf '\n==== package.sh: %s ====\n' "$*"
}

target="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target" = /* ]] || target="$root/$target"
packages="$target/packages"

LICENSING_VERSION=$(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "licensing-ffi"))')
version="$LICENSING_VERSION"
major="${version%%.*}"
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then
    SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

say "the library, in release: cargo build --release -p licensing-ffi ($version)"
cargo build --release -p licensing-ffi
case "$(uname -s)" in
    Darwin) lib="$target/release/liblicensing.dylib" ;;
    MINGW* | MSYS* | CYGWIN*) lib="$target/release/licensing.dll" ;;
    *) lib="$target/release/liblicensing.so" ;;
esac
[[ -f "$lib" ]] || { echo "package.sh: no $lib after cargo build" >&2; exit 1; }

rm -rf "$packages"
mkdir -p "$packages"

if [[ "$(uname -s)" == Linux ]]; then
    say "the C SDK"
    soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    if [[ "$soname" != "liblicensing.so.$major" ]]; then
        echo "package.sh: $lib has the SONAME \"$soname\", not liblicensing.so.$major" \
            "(ffi/build.rs sets it)" >&2
        exit 1
    fi
    arch="$(uname -m)"
    name="licensing-$version-linux-$arch"
    stage="$target/packaging/c"
    sdk="$stage/$name"
    rm -rf "$stage"
    mkdir -p "$sdk/include" "$sdk/lib/pkgconfig" "$sdk/share/doc/licensing"
    cp include/licensing.h "$sdk/include/"
    cp "$lib" "$sdk/lib/liblicensing.so.$version"
    chmod 755 "$sdk/lib/liblicensing.so.$version"
    ln -s "liblicensing.so.$version" "$sdk/lib/liblicensing.so.$major"
    ln -s "liblicensing.so.$major" "$sdk/lib/liblicensing.so"
    cp "$target/release/liblicensing.a" "$sdk/lib/"
    # What a program linking liblicensing.a also needs: the Rust standard
    # library's system libraries, as rustc reports them for a static library.
    echo "" >"$stage/empty.rs"
    native_libs=$(rustc --crate-type staticlib --crate-name empty --print native-static-libs \
        -o "$stage/libempty.a" "$stage/empty.rs" 2>&1 |
        sed -n 's/.*native-static-libs: //p' | tail -n 1)
    [[ -n "$native_libs" ]] || native_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
    rm -f "$stage/empty.rs" "$stage/libempty.a"
    cat >"$sdk/lib/pkgconfig/licensing.pc" <<EOF
# Relocatable: the paths follow this file wherever the tree is unpacked.
prefix=\${pcfiledir}/../..
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: licensing
Description: Validate signed, offline license files in-process (C ABI)
Version: $version
Libs: -L\${libdir} -llicensing
Libs.private: $native_libs
Cflags: -I\${includedir}
EOF
    cat >"$sdk/share/doc/licensing/README.md" <<EOF
# licensing $version, C SDK for Linux ($arch)

Validate signed, offline license files in-process. License: Apache-2.0.

    include/licensing.h        the API (every function documented there)
    lib/liblicensing.so.$version  the shared library (SONAME liblicensing.so.$major)
    lib/liblicensing.a         the static library
    lib/pkgconfig/licensing.pc for pkg-config

Unpack anywhere (or into a prefix such as /usr/local with
\`tar -xzf $name.tar.gz --strip-components=1 -C /usr/local\`), then:

    export PKG_CONFIG_PATH=/path/to/$name/lib/pkgconfig
    cc app.c \$(pkg-config --cflags --libs licensing) -Wl,-rpath,\$(pkg-config --variable=libdir licensing)

Static linking: \`\$(pkg-config --variable=libdir licensing)/liblicensing.a\`
and \`pkg-config --libs-only-l --static licensing\` without -llicensing
(the system libraries: $native_libs).
EOF
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
        -C "$stage" -cf - "$name" | gzip -9n >"$packages/$name.tar.gz"
    echo "package.sh: $packages/$name.tar.gz"
else
    echo "package.sh: the C SDK is made on Linux only; skipped on $(uname -s)"
fi

export LICENSING_VERSION LICENSING_PACKAGES="$packages" LICENSING_LIB="$lib"

say "the Python wheel: bindings/python/package.sh"
bash bindings/python/package.sh

# The other languages' packages, once their scripts exist.
for language in java dotnet; do
    script="bindings/$language/package.sh"
    if [[ -f "$script" ]]; then
        say "the $language package: $script"
        bash "$script"
    else
        say "no $script: no $language package"
    fi
done

say "done: $packages"
ls -l "$packages"
