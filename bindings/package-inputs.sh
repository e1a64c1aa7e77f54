# Sourced by the packaging scripts of the bindings (java/ and dotnet/
# package.sh and test-package.sh): what every package is made from, as
# bindings/package.sh hands it over or as a script run alone finds it.
#
#   package_version NAME  sets target and version (below), or fails
#   package_inputs NAME   sets, or fails with "NAME: ...":
#     target         the Cargo target directory (CARGO_TARGET_DIR honoured), absolute
#     version        LICENSING_VERSION, else the `licensing` package's (cargo metadata)
#     lib            LICENSING_LIB, else target/release/liblicensing.so after
#                    cargo build --release -p licensing-ffi
#     elf_machine    the ELF machine of lib (62 x86-64, 183 aarch64): the file
#                    decides the platform, not the machine that packs it
# Needs `repo` (the repository's root) set by the caller.

package_version() {
    local name="$1" metadata
    target="${CARGO_TARGET_DIR:-$repo/target}"
    case "$target" in /*) ;; *) target="$repo/$target" ;; esac

    version="${LICENSING_VERSION:-}"
    if [ -z "$version" ]; then
        metadata="$(cd "$repo" && cargo metadata --no-deps --format-version 1)"
        if command -v jq >/dev/null 2>&1; then
            version="$(jq -r '.packages[] | select(.name == "licensing") | .version' <<<"$metadata")"
        else
            version="$(grep -o '"name":"licensing","version":"[^"]*"' <<<"$metadata" | head -n1 |
                sed 's/.*"version":"\([^"]*\)"/\1/')"
        fi
        [ -n "$version" ] || package_fail "$name" "cargo metadata names no version for the package licensing"
    fi
    case "$version" in
        *[!A-Za-z0-9.+-]* | "") package_fail "$name" "LICENSING_VERSION='$version' is not a version like 0.1.0" ;;
    esac
}

package_inputs() {
    local name="$1"
    package_version "$name"

    lib="${LICENSING_LIB:-}"
    if [ -z "$lib" ]; then
        (cd "$repo" && cargo build --release -p licensing-ffi)
        lib="$target/release/liblicensing.so"
    fi
    [ -f "$lib" ] || package_fail "$name" "no native library at $lib (LICENSING_LIB)"
    [ "$(head -c 4 "$lib" | od -An -c | tr -d ' ')" = '177ELF' ] ||
        package_fail "$name" "$lib is not an ELF shared library"
    elf_machine="$(od -An -tu2 -j18 -N2 "$lib" | tr -d ' ')"
}

package_fail() {
    echo "$1: $2" >&2
    exit 1
}
