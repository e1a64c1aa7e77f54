#!/usr/bin/env bash
# Tests the .NET package as a user gets it: unpacks Licensing.VERSION.nupkg
# in a temporary directory outside the source tree, checks its layout and
# manifest, compiles a small consumer against lib/<tfm>/Licensing.dll, lays
# out the output as NuGet's build does (the consumer, Licensing.dll, and
# runtimes/<rid>/native/liblicensing.so copied beside them) and runs it with
# mono from another directory, with nothing saying where the native library
# is (no LICENSING_LIBRARY, no LD_LIBRARY_PATH): the library must load from
# next to Licensing.dll. The consumer validates tests/vectors/prod.lic and
# checks its state, its feature "multi-tenancy" and the versions. Exits
# non-zero, saying why, on any failure.
# Usage: bindings/dotnet/test-package.sh   (after bindings/dotnet/package.sh)
# Environment: LICENSING_VERSION, LICENSING_PACKAGES as for package.sh
# (defaults: the `licensing` package's version, target/packages).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
id=Licensing

fail() {
    echo "dotnet/test-package.sh: FAILED: $*" >&2
    exit 1
}

missing=()
command -v mcs >/dev/null 2>&1 || missing+=(mono-mcs)
command -v mono >/dev/null 2>&1 || missing+=(mono-runtime)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "dotnet/test-package.sh: installing ${missing[*]}" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The target directory and the version (bindings/package-inputs.sh).
# shellcheck source=../package-inputs.sh
source "$repo/bindings/package-inputs.sh"
package_version dotnet/test-package.sh
packages="${LICENSING_PACKAGES:-$target/packages}"
nupkg="$packages/$id.$version.nupkg"
[ -f "$nupkg" ] || fail "no $nupkg: build it with bindings/dotnet/package.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/licensing-dotnet-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
case "$work" in "$repo"/*) fail "the temporary directory $work is inside the source tree" ;; esac
mkdir -p "$work/package" "$work/src" "$work/bin" "$work/data" "$work/elsewhere"
unzip -q "$nupkg" -d "$work/package" || fail "$nupkg is not a valid zip"
cp "$repo/tests/vectors/prod.lic" "$repo/tests/vectors/test-public-key.pem" "$work/data/"

# The layout: one assembly folder, one native library, the manifest and the
# Open Packaging Conventions parts NuGet reads.
p="$work/package"
for f in "$id.nuspec" "[Content_Types].xml" "_rels/.rels"; do
    [ -f "$p/$f" ] || fail "$nupkg has no $f"
done
mapfile -t dlls < <(cd "$p" && find lib -name "$id.dll" 2>/dev/null | sort)
[ "${#dlls[@]}" -eq 1 ] || fail "$nupkg should hold one lib/<tfm>/$id.dll, holds: ${dlls[*]:-none}"
dll="$p/${dlls[0]}"
tfm="$(basename "$(dirname "$dll")")"
mapfile -t natives < <(cd "$p" && find runtimes -path '*/native/liblicensing.so' 2>/dev/null | sort)
[ "${#natives[@]}" -eq 1 ] || fail "$nupkg should hold one runtimes/<rid>/native/liblicensing.so, holds: ${natives[*]:-none}"
native="$p/${natives[0]}"
case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) rid="linux-$(uname -m)" ;;
esac
[ "${natives[0]}" = "runtimes/$rid/native/liblicensing.so" ] ||
    fail "the package's native library is ${natives[0]}, this machine needs runtimes/$rid/native/liblicensing.so"
while read -r rel; do
    [ -f "$p/$rel" ] || fail "_rels/.rels names /$rel, which the package lacks"
done < <(sed -n 's|.*Target="/\([^"]*\)".*|\1|p' "$p/_rels/.rels")
ls "$p"/package/services/metadata/core-properties/*.psmdcp >/dev/null 2>&1 || fail "$nupkg has no core-properties .psmdcp"

# The manifest: the id, the version, and a dependency group for the folder's framework.
case "$tfm" in
    net461) framework=.NETFramework4.6.1 ;;
    netstandard2.0) framework=.NETStandard2.0 ;;
    *) fail "lib/$tfm: a framework folder this test does not know" ;;
esac
nuspec="$p/$id.nuspec"
for expected in "<id>$id</id>" "<version>$version</version>" "<group targetFramework=\"$framework\""; do
    grep -qF "$expected" "$nuspec" || fail "$id.nuspec lacks $expected"
done
if command -v python3 >/dev/null 2>&1; then
    for f in "$nuspec" "$p/[Content_Types].xml" "$p/_rels/.rels" "$p"/package/services/metadata/core-properties/*.psmdcp; do
        python3 -c 'import sys, xml.etree.ElementTree as e; e.parse(sys.argv[1])' "$f" || fail "$f is not well-formed XML"
    done
fi

cat >"$work/src/Consumer.cs" <<'EOF'
// A user's program: validates prod.lic with the packaged binding.
// Args: data directory, expected version, expected target framework.
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using Licensing;

public static class Consumer
{
    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new Exception(what);
        }
    }

    public static int Main(string[] args)
    {
        try
        {
            string data = args[0], version = args[1], framework = args[2];
            string pem = File.ReadAllText(Path.Combine(data, "test-public-key.pem"));
            byte[] file = File.ReadAllBytes(Path.Combine(data, "prod.lic"));
            using (var validator = new Validator(pem))
            using (var license = validator.Validate(file, "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T",
                "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ", 1780315200L))
            {
                Console.WriteLine("state: " + license.State);
                Console.WriteLine("features: " + string.Join(", ", license.Features));
                Check(license.State == State.Active, "prod.lic is " + license.State + " on 2026-06-01, expected Active");
                Check(license.HasFeature("multi-tenancy"), "prod.lic lacks the feature multi-tenancy");
                Check(!license.HasFeature("no-such-feature"), "prod.lic has the feature no-such-feature");
                Check(license.SerialNumber == "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T", "serial " + license.SerialNumber);
            }

            Assembly binding = typeof(Validator).Assembly;
            var informational = binding.GetCustomAttribute<AssemblyInformationalVersionAttribute>();
            var target = binding.GetCustomAttribute<TargetFrameworkAttribute>();
            Console.WriteLine("Licensing.dll: " + binding.GetName().Version + ", " + (informational == null ? "-" : informational.InformationalVersion) +
                ", " + (target == null ? "no TargetFramework" : target.FrameworkName) + "; native library: " + LicensingLibrary.Version);
            Check(informational != null && informational.InformationalVersion == version,
                "Licensing.dll's AssemblyInformationalVersion is not " + version);
            Check(target != null && target.FrameworkName == framework,
                "Licensing.dll's TargetFramework is not " + framework + ", the package's folder");
            Check(LicensingLibrary.Version == version, "the native library says version " + LicensingLibrary.Version + ", expected " + version);

            // Where the library came from: the copy beside Licensing.dll.
            string expected = Path.Combine(Path.GetDirectoryName(binding.Location), "liblicensing.so");
            var mapped = File.ReadAllLines("/proc/self/maps")
                .Where(l => l.IndexOf('/') >= 0).Select(l => l.Substring(l.IndexOf('/')))
                .Where(f => Path.GetFileName(f).Contains("licensing") && !f.EndsWith(".dll", StringComparison.Ordinal)
                    && !f.EndsWith(".exe", StringComparison.Ordinal))
                .Distinct().ToList();
            Console.WriteLine("mapped: " + string.Join(", ", mapped));
            Check(mapped.Count == 1 && mapped[0] == expected, "expected " + expected + " alone to be loaded");
            Console.WriteLine("OK");
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine("FAILED: " + e);
            return 1;
        }
    }
}
EOF

# Compiled against the package's assembly, as a project referencing the package is.
mcs -nologo -target:exe -warnaserror+ -out:"$work/bin/Consumer.exe" -r:"$dll" "$work/src/Consumer.cs" ||
    fail "a program using the package does not compile against lib/$tfm/$id.dll"
# The output folder as NuGet's build makes it: the referenced assembly and the
# runtime's native asset copied beside the program.
cp "$dll" "$work/bin/"
cp "$native" "$work/bin/liblicensing.so"
framework_name="$(sed 's/^\.NETFramework/.NETFramework,Version=v/; s/^\.NETStandard/.NETStandard,Version=v/' <<<"$framework")"

cd "$work/elsewhere"
set +e
env -u LICENSING_LIBRARY -u LD_LIBRARY_PATH -u MONO_PATH -u MONO_CONFIG \
    mono "$work/bin/Consumer.exe" "$work/data" "$version" "$framework_name" >"$work/out.txt" 2>&1
status=$?
set -e
sed 's/^/  /' "$work/out.txt"
[ "$status" -eq 0 ] && grep -qx OK "$work/out.txt" ||
    fail "the consumer of $id.$version.nupkg did not validate prod.lic (exit $status; output above)"
echo "dotnet/test-package.sh: OK: $id.$version.nupkg (lib/$tfm, ${natives[0]}) validates prod.lic with the library beside $id.dll"
