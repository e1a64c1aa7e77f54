#!/usr/bin/env bash
# Builds the Rust library, the .NET package (bindings/dotnet/package.sh: the
# nupkg with Licensing.dll and the library just built) and the NUnit tests
# with Mono, and runs the tests against the package's Licensing.dll. Exits
# non-zero when anything fails.
#   bindings/dotnet/test.sh            (from anywhere)
# Environment: CARGO_TARGET_DIR (respected), CARGO_PROFILE=release to test
# target/release instead of target/debug.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# 1. Tools: Mono's C# compiler and runtime, NUnit 2.6 console and framework.
nunit_framework() {
    local f
    for f in /usr/lib/cli/nunit.framework-2.6*/nunit.framework.dll \
             /usr/lib/mono/gac/nunit.framework/2.6*/nunit.framework.dll; do
        [ -f "$f" ] && { echo "$f"; return 0; }
    done
    return 1
}
# zip and unzip: the package (a zip) is made and opened.
if ! command -v mcs >/dev/null || ! command -v mono >/dev/null || \
   ! command -v nunit-console >/dev/null || ! nunit_framework >/dev/null || \
   ! command -v zip >/dev/null || ! command -v unzip >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "== installing mono-mcs mono-runtime nunit-console libnunit-framework2.6.3-cil zip unzip"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        mono-mcs mono-runtime nunit-console libnunit-framework2.6.3-cil zip unzip
fi
framework="$(nunit_framework)" || { echo "nunit.framework.dll (NUnit 2.6) not found" >&2; exit 1; }

# 2. The native library.
profile="${CARGO_PROFILE:-debug}"
echo "== cargo build ($profile)"
if [ "$profile" = release ]; then
    (cd "$root" && cargo build --release)
else
    (cd "$root" && cargo build)
fi
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
libdir="$target/$profile"
[ -f "$libdir/liblicensing.so" ] || { echo "no $libdir/liblicensing.so after cargo build" >&2; exit 1; }

# 3. The binding as it ships: package.sh makes the nupkg (Licensing.dll,
# compiled with -warnaserror+, and the library just built), here out of
# target/packages; its Licensing.dll and Licensing.xml are what the tests,
# the loading probe and the README examples use. The package's native
# library is not copied out: LoadingTests run the ways of finding it in
# child processes, and test-package.sh the package as a whole.
out="$target/dotnet"
mkdir -p "$out"
rm -rf "$out/package" "$out/package-contents"
LICENSING_LIB="$libdir/liblicensing.so" LICENSING_PACKAGES="$out/package" "$here/package.sh"
nupkgs=("$out"/package/Licensing.*.nupkg)
[ "${#nupkgs[@]}" -eq 1 ] && [ -f "${nupkgs[0]}" ] || { echo "package.sh made no single nupkg in $out/package" >&2; exit 1; }
unzip -q "${nupkgs[0]}" -d "$out/package-contents"
dlls=("$out"/package-contents/lib/*/Licensing.dll)
[ "${#dlls[@]}" -eq 1 ] && [ -f "${dlls[0]}" ] || { echo "${nupkgs[0]} holds no single lib/*/Licensing.dll" >&2; exit 1; }
cp "${dlls[0]}" "${dlls[0]%.dll}.xml" "$out/"
echo "== the tests against ${dlls[0]#"$out/package-contents/"} of $(basename "${nupkgs[0]}") -> $out"
mcs -nologo -target:library -out:"$out/Licensing.Tests.dll" \
    -r:"$out/Licensing.dll" -r:"$framework" -r:System.Core.dll \
    "$here"/tests/*.cs
rm -f "$out/MissingLibraryProbe.exe" # its former name
mcs -nologo -target:exe -out:"$out/LoadingProbe.exe" \
    -r:"$out/Licensing.dll" -r:System.Core.dll "$here"/tests/probe/LoadingProbe.cs
cp "$framework" "$out/"

# The ```csharp examples of this binding's README and of the project's README,
# as a user copies them, must compile against the Licensing.dll just built
# (a broken example fails the script here).
"$here/../readme_examples.sh" csharp "$here/README.md" "$out/readme" "$out/Licensing.dll"
"$here/../readme_examples.sh" csharp "$here/../../README.md" "$out/readme-top" "$out/Licensing.dll"

# 4. Run. The tests' process finds the library through LD_LIBRARY_PATH
# (the platform's search); LoadingTests run the other ways in children.
echo "== nunit-console"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LICENSING_REPO_ROOT="$root"
export LICENSING_DOTNET_PROBE="$out/LoadingProbe.exe"
export LICENSING_DOTNET_NATIVE_LIBRARY="$libdir/liblicensing.so"
cd "$out"
set +e
nunit-console -nologo -noshadow -labels -xml="$out/TestResult.xml" "$out/Licensing.Tests.dll" \
    > "$out/nunit.log" 2>&1
status=$?
set -e
grep -v '^\*\*\*\*\* ' "$out/nunit.log" || true
# One closing line in the form CI reads: "N passed, N failed".
summary="$(grep -A1 -m1 -E '^Tests run:' "$out/nunit.log" | tr '\n' ' ' || true)"
if [ -z "$summary" ]; then
    echo "nunit-console printed no summary (exit $status)" >&2
    exit 1
fi
run=$(sed -E 's/.*Tests run: ([0-9]+).*/\1/' <<<"$summary")
errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")
failures=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$summary")
notrun=$(sed -E 's/.*Not run: ([0-9]+).*/\1/' <<<"$summary")
failed=$((errors + failures))
passed=$((run - failed))
echo "dotnet: $passed passed, $failed failed, $notrun skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$run" -eq 0 ]; then
    echo "dotnet binding tests FAILED (nunit-console exit $status)" >&2
    exit 1
fi
