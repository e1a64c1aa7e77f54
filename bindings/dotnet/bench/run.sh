#!/usr/bin/env bash
# The .NET binding's benchmark harness, in one command from a clean checkout:
#   bindings/dotnet/bench/run.sh [--quick]
# Builds the release library (cargo build --release -p licensing-ffi),
# Licensing.dll from bindings/dotnet/src (the flags package.sh uses) and
# bench/Bench.cs with Mono's mcs, then runs the benchmarks with mono against
# target/release/liblicensing.so. Prints a table of the median time per call
# and one JSON line ("json: {...}"). --quick runs few iterations (seconds),
# so CI can check that the harness still works; its numbers mean nothing.
# Environment: CARGO_TARGET_DIR (respected).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet="$(cd "$here/.." && pwd)"
root="$(cd "$dotnet/../.." && pwd)"

quick=()
for arg in "$@"; do
    case "$arg" in
        --quick) quick=(--quick) ;;
        *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
    esac
done

if ! command -v mcs >/dev/null || ! command -v mono >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "== installing mono-mcs mono-runtime" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mono-mcs mono-runtime
fi

echo "== cargo build --release -p licensing-ffi" >&2
(cd "$root" && cargo build --release -q -p licensing-ffi)
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
lib="$target/release/liblicensing.so"
[ -f "$lib" ] || { echo "no $lib after cargo build --release" >&2; exit 1; }

out="$target/dotnet-bench"
mkdir -p "$out"
echo "== mcs Licensing.dll, Bench.exe -> $out" >&2
# shellcheck source=../mcs-flags.sh
source "$dotnet/mcs-flags.sh"
mcs -nologo -target:library "${licensing_mcs_flags[@]}" -nowarn:1591 \
    -out:"$out/Licensing.dll" "$dotnet"/src/Licensing/*.cs
mcs -nologo -target:exe -unsafe -optimize+ -r:"$out/Licensing.dll" -r:System.Core.dll \
    -out:"$out/Bench.exe" "$here/Bench.cs"

# A store's anchor goes to a directory of the run's own, not the user's.
anchors="$(mktemp -d)"
trap 'rm -rf "$anchors"' EXIT
echo "== mono Bench.exe ${quick[*]:-}" >&2
cd "$out"
LD_LIBRARY_PATH="$(dirname "$lib")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
LICENSING_ANCHOR_DIR="$anchors" \
    mono "$out/Bench.exe" --root "$root" "${quick[@]}"
