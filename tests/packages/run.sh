#!/usr/bin/env bash
# Tests the packages bindings/package.sh made (target/packages/), as users
# install them, each in a temporary directory outside the source tree:
#
#   versions  one version everywhere: the crate's (Cargo.toml) in the header
#             (include/licensing.h and the SDK's), the .pc, the SDK's and
#             the wheel's names, the shared library's file name and SONAME,
#             pyproject.toml, the wheel's METADATA, the jar (name, POM,
#             manifest) and the nupkg (name, .nuspec), and what lic_version()
#             says through C and Python
#   c         the C SDK unpacked anywhere: a program (validate.c) built with
#             `cc validate.c $(pkg-config --cflags --libs licensing)` records
#             liblicensing.so.MAJOR (the SONAME), runs with LD_LIBRARY_PATH
#             at the SDK's lib/, and validates tests/vectors/prod.lic (serial,
#             activation code, time, trusted key from vectors.json) and
#             checks its feature "multi-tenancy"; then the same program
#             linked with liblicensing.a and Libs.private, needing no
#             liblicensing.so
#   python    the wheel pip-installed (--no-index) into a fresh venv with
#             nothing else; `import licensing` and validate.py, the same
#             validation, from outside the source tree without PYTHONPATH,
#             with the library bundled in the package
#   java      bindings/java/test-package.sh, when there (the jar)
#   dotnet    bindings/dotnet/test-package.sh, when there (the nupkg)
#
# Every part runs; the last line counts them ("N passed, N failed").
# Usage: tests/packages/run.sh   (after bindings/package.sh; from anywhere)
# Environment: LICENSING_PACKAGES (default: target/packages, honouring
#   CARGO_TARGET_DIR), CC (default cc). Installs pkg-config when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

target="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target" = /* ]] || target="$root/$target"
packages="${LICENSING_PACKAGES:-$target/packages}"
CC="${CC:-cc}"

work="$(mktemp -d "${TMPDIR:-/tmp}/licensing-packages.XXXXXX")"
trap 'rm -rf "$work"' EXIT

stage() {
    printf '\n==== packages: %s ====\n' "$*"
}
fail() {
    echo "FAILED: $*" >&2
    exit 1
}

if ! command -v pkg-config >/dev/null 2>&1; then
    echo "pkg-config not found: installing it with apt-get"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q pkgconf
fi

# The crate's version: every package must carry it.
version=$(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
versions = {p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}
if len(set(versions.values())) != 1:
    sys.exit(f"the workspace packages disagree on their version: {versions}")
print(versions["licensing-ffi"])')
major="${version%%.*}"
arch="$(uname -m)"
sdk_name="licensing-$version-linux-$arch"
sdk_tar="$packages/$sdk_name.tar.gz"
export LICENSING_VERSION="$version" LICENSING_PACKAGES="$packages"

[[ -f "$sdk_tar" ]] || fail "no $sdk_tar: run bindings/package.sh first (packages there: $(ls "$packages" 2>/dev/null | tr '\n' ' '))"
shopt -s nullglob
wheels=("$packages"/licensing-*.whl)
shopt -u nullglob
[[ "${#wheels[@]}" -eq 1 ]] || fail "expected one licensing-*.whl in $packages, found ${#wheels[@]}: run bindings/package.sh"
wheel="${wheels[0]}"

# What the consumers check, from vectors.json: prod.lic is valid and active
# for its serial and activation code at the time of its first check, and
# has the feature "multi-tenancy".
read -r serial code now < <(python3 - "$root/tests/vectors/vectors.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1], encoding="utf-8"))
prod = next(f for f in spec["files"] if f["name"] == "prod.lic")
assert "multi-tenancy" in prod["license"]["features"], "prod.lic lacks multi-tenancy"
check = next(c for c in prod["checks"]
             if c["trusted"] == ["test"] and c["activation_code"]
             and c["verdict"] == {"ok": {"state": "active"}})
print(check["serial"], check["activation_code"], check["now"])
EOF
)
organization=$(python3 -c '
import json, sys
spec = json.load(open(sys.argv[1], encoding="utf-8"))
print(next(f for f in spec["files"] if f["name"] == "prod.lic")["license"]["organization"])' \
    "$root/tests/vectors/vectors.json")
feature=multi-tenancy
keys="$root/tests/vectors/test-public-key.pem"
license="$root/tests/vectors/prod.lic"
expected="version $version
organization $organization
state active
feature $feature yes
feature no-such-feature no"

# The consumers' output: as expected, or fail showing both.
expect_output() {
    local what="$1" got="$2"
    if [[ "$got" != "$expected" ]]; then
        fail "$what printed:
$got
expected:
$expected"
    fi
    echo "$what: validated prod.lic ($organization, active, $feature), version $version"
}

# --- The parts -------------------------------------------------------------

check_versions() {
    local problems=() v
    want() { # what, found
        if [[ "$2" != "$version" ]]; then problems+=("$1 says \"$2\""); fi
    }
    for macro in MAJOR MINOR PATCH; do
        v=$(sed -n "s/^#define LICENSING_VERSION_$macro \([0-9]*\)$/\1/p" include/licensing.h)
        case $macro in
            MAJOR) [[ "$v" == "$major" ]] || problems+=("LICENSING_VERSION_MAJOR is \"$v\"") ;;
            MINOR) [[ "$v" == "$(cut -d. -f2 <<<"$version")" ]] || problems+=("LICENSING_VERSION_MINOR is \"$v\"") ;;
            PATCH) [[ "$v" == "$(cut -d. -f3 <<<"$version" | sed 's/[^0-9].*//')" ]] || problems+=("LICENSING_VERSION_PATCH is \"$v\"") ;;
        esac
    done
    want "include/licensing.h (LICENSING_VERSION)" \
        "$(sed -n 's/^#define LICENSING_VERSION "\(.*\)"$/\1/p' include/licensing.h)"
    want "the SDK's include/licensing.h" "$(tar -xzOf "$sdk_tar" "$sdk_name/include/licensing.h" |
        sed -n 's/^#define LICENSING_VERSION "\(.*\)"$/\1/p')"
    want "the SDK's lib/pkgconfig/licensing.pc" "$(tar -xzOf "$sdk_tar" "$sdk_name/lib/pkgconfig/licensing.pc" |
        sed -n 's/^Version: *//p')"
    tar -tzf "$sdk_tar" >"$work/sdk-files"
    grep -qx "$sdk_name/lib/liblicensing.so.$version" "$work/sdk-files" ||
        problems+=("the SDK has no lib/liblicensing.so.$version")
    want "bindings/python/pyproject.toml" "$(sed -n 's/^version = "\(.*\)"$/\1/p' bindings/python/pyproject.toml)"
    v="${wheel##*/licensing-}"
    want "the wheel's name ($(basename "$wheel"))" "${v%%-*}"
    want "the wheel's METADATA" "$(python3 - "$wheel" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    print(next(l.split(":", 1)[1].strip() for l in z.read(name).decode().splitlines()
               if l.startswith("Version:")))
EOF
)"
    # The jar and the nupkg, when their scripts made them.
    local jars=("$packages"/licensing-*.jar) nupkgs=("$packages"/Licensing.*.nupkg)
    if [[ -f bindings/java/package.sh || -e "${jars[0]}" ]]; then
        if [[ -f "$packages/licensing-$version.jar" ]]; then
            python3 - "$packages/licensing-$version.jar" >"$work/jar-versions" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        if n.endswith("/pom.properties"):
            for l in z.read(n).decode().splitlines():
                if l.startswith("version="):
                    print("pom.properties", l.split("=", 1)[1].strip())
        if n == "META-INF/MANIFEST.MF":
            for l in z.read(n).decode().splitlines():
                if l.startswith("Implementation-Version:"):
                    print("MANIFEST.MF", l.split(":", 1)[1].strip())
EOF
            while read -r what v; do want "the jar's $what" "$v"; done <"$work/jar-versions"
        else
            problems+=("no licensing-$version.jar in $packages (bindings/java/package.sh makes it)")
        fi
        for j in "${jars[@]}"; do
            [[ "$j" == "$packages/licensing-$version.jar" ]] || problems+=("another jar: $(basename "$j")")
        done
    fi
    if [[ -f bindings/dotnet/package.sh || -e "${nupkgs[0]}" ]]; then
        if [[ -f "$packages/Licensing.$version.nupkg" ]]; then
            want "the nupkg's Licensing.nuspec" "$(python3 - "$packages/Licensing.$version.nupkg" <<'EOF'
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith(".nuspec"))
    print(re.search(r"<version>\s*([^<\s]+)\s*</version>", z.read(name).decode()).group(1))
EOF
)"
        else
            problems+=("no Licensing.$version.nupkg in $packages (bindings/dotnet/package.sh makes it)")
        fi
        for n in "${nupkgs[@]}"; do
            [[ "$n" == "$packages/Licensing.$version.nupkg" ]] || problems+=("another nupkg: $(basename "$n")")
        done
    fi
    if [[ "${#problems[@]}" -ne 0 ]]; then
        printf '  %s\n' "${problems[@]}" >&2
        fail "not every package carries the crate's version $version (Cargo.toml [workspace.package])"
    fi
    echo "every package, the header, the .pc and pyproject.toml say $version"
}

test_c_sdk() {
    local dir="$work/c" sdk flags soname needed
    mkdir -p "$dir"
    tar -xzf "$sdk_tar" -C "$dir"
    sdk="$dir/$sdk_name"
    for f in include/licensing.h "lib/liblicensing.so.$version" lib/liblicensing.a \
        lib/pkgconfig/licensing.pc; do
        [[ -f "$sdk/$f" ]] || fail "the SDK lacks $f"
    done
    [[ "$(readlink "$sdk/lib/liblicensing.so.$major")" == "liblicensing.so.$version" ]] ||
        fail "lib/liblicensing.so.$major is not a link to liblicensing.so.$version"
    [[ "$(readlink "$sdk/lib/liblicensing.so")" == "liblicensing.so.$major" ]] ||
        fail "lib/liblicensing.so is not a link to liblicensing.so.$major"
    echo "readelf -d lib/liblicensing.so.$version | grep SONAME:"
    readelf -d "$sdk/lib/liblicensing.so.$version" | grep SONAME
    soname=$(readelf -d "$sdk/lib/liblicensing.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    [[ "$soname" == "liblicensing.so.$major" ]] || fail "the SONAME is \"$soname\", not liblicensing.so.$major"

    # Only the SDK's .pc, wherever it was unpacked.
    export PKG_CONFIG_PATH="$sdk/lib/pkgconfig"
    [[ "$(pkg-config --modversion licensing)" == "$version" ]] || fail "pkg-config --modversion licensing"
    flags=$(pkg-config --cflags --libs licensing)
    echo "pkg-config --cflags --libs licensing: $flags"
    cp "$here/validate.c" "$dir/"
    (cd "$dir" && "$CC" -std=c11 -Wall -Wextra -Werror -o validate validate.c $flags)
    needed=$(readelf -d "$dir/validate" | sed -n 's/.*(NEEDED).*\[\(liblicensing[^]]*\)\]/\1/p')
    [[ "$needed" == "liblicensing.so.$major" ]] ||
        fail "the program needs \"$needed\", not liblicensing.so.$major (the SONAME)"
    expect_output "C (shared, NEEDED $needed)" "$(cd "$dir" && env -u LICENSING_LIBRARY \
        LD_LIBRARY_PATH="$sdk/lib" ./validate "$keys" "$license" "$serial" "$code" "$now" "$feature")"

    # Static: liblicensing.a and the system libraries of Libs.private.
    local static_libs
    static_libs=$(pkg-config --static --libs-only-l licensing | sed 's/-llicensing\b *//; s/ *$//')
    (cd "$dir" && "$CC" -std=c11 -Wall -Wextra -Werror -o validate-static validate.c \
        $(pkg-config --cflags licensing) "$(pkg-config --variable=libdir licensing)/liblicensing.a" \
        $static_libs)
    readelf -d "$dir/validate-static" >"$dir/validate-static.dynamic"
    if grep 'NEEDED.*liblicensing' "$dir/validate-static.dynamic"; then
        fail "validate-static needs liblicensing.so"
    fi
    expect_output "C (static, with $static_libs)" "$(cd "$dir" && env -u LICENSING_LIBRARY \
        -u LD_LIBRARY_PATH ./validate-static "$keys" "$license" "$serial" "$code" "$now" "$feature")"
}

test_python_wheel() {
    local dir="$work/python" venv="$work/python/venv" py
    mkdir -p "$dir/elsewhere"
    echo "wheel: $(basename "$wheel")"
    # A venv with nothing in it, not even pip: this pip installs into it
    # (--python; a venv with its own pip where this pip is older than 22.3).
    py="$venv/bin/python"
    if python3 -m venv --without-pip "$venv" &&
        python3 -m pip --python "$py" install -q --disable-pip-version-check --no-index "$wheel"; then
        :
    else
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$py" -m pip install -q --disable-pip-version-check --no-index "$wheel"
    fi
    cp "$here/validate.py" "$dir/elsewhere/"
    # -I: no PYTHONPATH, no user site-packages, not the script's directory
    # first; and nothing saying where the library is.
    (cd "$dir/elsewhere" && env -u LICENSING_LIBRARY -u LD_LIBRARY_PATH -u PYTHONPATH \
        "$py" -I -c 'import licensing, sys; print("import licensing:", licensing.__file__)')
    local out
    out=$(cd "$dir/elsewhere" && env -u LICENSING_LIBRARY -u LD_LIBRARY_PATH -u PYTHONPATH \
        "$py" -I validate.py "$keys" "$license" "$serial" "$code" "$now" "$feature")
    # The first lines say where the package and the library came from.
    local package library
    package=$(sed -n 's/^package //p' <<<"$out")
    library=$(sed -n 's/^library //p' <<<"$out")
    [[ "$package" == "$venv"/* ]] || fail "licensing was imported from $package, not the venv"
    echo "package: $package"
    echo "library: $library"
    expect_output "Python (the wheel in a fresh venv)" "$(grep -v '^package \|^library ' <<<"$out")"
}

# Java and .NET: their own package tests (the other bindings' scripts), run
# with LICENSING_VERSION and LICENSING_PACKAGES set; a missing script is a
# skipped part.
test_java() {
    bash bindings/java/test-package.sh
}
test_dotnet() {
    bash bindings/dotnet/test-package.sh
}

# --- Run every part; count -------------------------------------------------

passed=() failed=() skipped=()
part() { # name, function, [file that must exist]
    stage "$1"
    if [[ -n "${3:-}" && ! -f "$3" ]]; then
        echo "skipped: no $3"
        skipped+=("$1")
        return
    fi
    local start=$SECONDS rc
    set +e
    (set -e; "$2")
    rc=$?
    set -e
    if [[ $rc -eq 0 ]]; then
        passed+=("$1")
        echo "ok: $1 ($((SECONDS - start)) s)"
    else
        failed+=("$1")
        echo "FAILED: $1"
    fi
}

part "versions: one version ($version) everywhere" check_versions
part "C SDK: $sdk_name.tar.gz" test_c_sdk
part "Python: $(basename "$wheel")" test_python_wheel
part "Java: bindings/java/test-package.sh" test_java bindings/java/test-package.sh
part ".NET: bindings/dotnet/test-package.sh" test_dotnet bindings/dotnet/test-package.sh

stage "summary"
list() { local IFS=';'; echo "$*" | sed 's/;/; /g'; }
echo "passed: $(list "${passed[@]}")"
[[ "${#skipped[@]}" -eq 0 ]] || echo "skipped: $(list "${skipped[@]}")"
[[ "${#failed[@]}" -eq 0 ]] || echo "failed: $(list "${failed[@]}")"
echo "packages: ${#passed[@]} passed, ${#failed[@]} failed, ${#skipped[@]} skipped"
[[ "${#failed[@]}" -eq 0 ]]
