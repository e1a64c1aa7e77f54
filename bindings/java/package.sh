#!/usr/bin/env bash
# Builds the Java package:
#   $LICENSING_PACKAGES/licensing-VERSION.jar  the classes of dev.licensing and
#       the native library at JNA's resource path (linux-x86-64/liblicensing.so),
#       so that it loads from the class path with only jna.jar beside it;
#       Implementation-Version in the manifest, the POM under META-INF/maven/
#   $LICENSING_PACKAGES/licensing-VERSION.pom  groupId dev.licensing, artifactId
#       licensing, and the JNA dependency (the version the tests use)
# Usage: bindings/java/package.sh   (from anywhere; run by bindings/package.sh)
# Environment, each optional (bindings/package.sh sets them all):
#   LICENSING_VERSION   the version; default: the `licensing` package's (cargo metadata)
#   LICENSING_LIB       the shared library to ship; default: cargo build --release -p
#                       licensing-ffi, then target/release/liblicensing.so
#   LICENSING_PACKAGES  where the jar and the POM go; default: target/packages
#                       (CARGO_TARGET_DIR honoured)
#   SOURCE_DATE_EPOCH   when set, the jar's entries carry this time (reproducible jars)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
JNA_JAR=/usr/share/java/jna.jar

fail() {
    echo "java/package.sh: $*" >&2
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
[ -f "$JNA_JAR" ] || missing+=(libjna-java)
{ command -v javac && command -v jar; } >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "java/package.sh: installing ${missing[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The target directory, the version and the native library (bindings/package-inputs.sh).
# shellcheck source=../package-inputs.sh
source "$repo/bindings/package-inputs.sh"
package_inputs java/package.sh

# JNA's resource prefix for the library's platform (com.sun.jna.Platform.RESOURCE_PREFIX).
case "$elf_machine" in
    62) prefix=linux-x86-64 ;;
    183) prefix=linux-aarch64 ;;
    *) fail "$lib is for ELF machine $elf_machine, which this script does not map to a JNA resource prefix" ;;
esac

# JNA's version, for the POM: the jar the tests compile and run with.
mkdir -p "$target"
stage="$(mktemp -d "$target/java-package.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/classes" "$stage/jna"
(cd "$stage/jna" && jar --extract --file "$JNA_JAR" META-INF/MANIFEST.MF)
jna_version="$(sed -n 's/^Bundle-Version: *\([0-9][0-9A-Za-z.+-]*\).*/\1/p' "$stage/jna/META-INF/MANIFEST.MF" | tr -d '\r')"
[ -n "$jna_version" ] || jna_version="$(sed -n 's/^Implementation-Version: *\([0-9][0-9A-Za-z.+-]*\).*/\1/p' \
    "$stage/jna/META-INF/MANIFEST.MF" | tr -d '\r')"
[ -n "$jna_version" ] || fail "cannot read JNA's version from the manifest of $JNA_JAR"

# The classes, compiled as bindings/java/test.sh compiles them.
mapfile -t sources < <(find "$here/src/main/java" -name '*.java' | sort)
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -cp "$JNA_JAR" -d "$stage/classes" "${sources[@]}"

# The native library, under the name JNA looks for (its SONAME is liblicensing.so.0).
mkdir -p "$stage/classes/$prefix"
cp "$lib" "$stage/classes/$prefix/liblicensing.so"
chmod 0755 "$stage/classes/$prefix/liblicensing.so"

# The POM, beside the jar and inside it (where Maven puts it).
pom="$stage/licensing-$version.pom"
sed -e "s/@VERSION@/$version/g" -e "s/@JNA_VERSION@/$jna_version/g" \
    -e "s|@NATIVE_RESOURCE@|$prefix/liblicensing.so|g" "$here/pom.xml.in" >"$pom"
if grep -n '@[A-Z_]*@' "$pom"; then
    fail "pom.xml.in has a placeholder this script does not fill"
fi
maven="$stage/classes/META-INF/maven/dev.licensing/licensing"
mkdir -p "$maven"
cp "$pom" "$maven/pom.xml"
printf 'groupId=dev.licensing\nartifactId=licensing\nversion=%s\n' "$version" >"$maven/pom.properties"

cat >"$stage/MANIFEST.MF" <<EOF
Implementation-Title: licensing
Implementation-Version: $version
Automatic-Module-Name: dev.licensing
Build-Jdk-Spec: 17
EOF

date_option=()
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    date_option=(--date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)")
fi
jar --create --file "$stage/licensing-$version.jar" --manifest "$stage/MANIFEST.MF" "${date_option[@]}" \
    -C "$stage/classes" .

# Into place: written whole, then moved, so a reader never sees half a jar.
out="${LICENSING_PACKAGES:-$target/packages}"
mkdir -p "$out"
mv -f "$stage/licensing-$version.jar" "$out/licensing-$version.jar"
mv -f "$pom" "$out/licensing-$version.pom"
echo "java/package.sh: $out/licensing-$version.jar ($prefix/liblicensing.so from $lib, JNA $jna_version)"
echo "java/package.sh: $out/licensing-$version.pom"
