#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/fuzz_targets (cargo fuzz), each for a
# time or a number of executions, from a corpus seeded with tests/vectors.
#
# Usage: fuzz/run.sh (--seconds N | --runs N) [--sanitizer S] [target...]
#   --seconds N      fuzz each target for N seconds
#   --runs N         fuzz each target for N executions
#   --sanitizer S    address (default), none, leak, ...: passed to cargo fuzz
#   target...        the targets to run (default: all; fuzz/run.sh --list)
#
# Installs cargo-fuzz (cargo install cargo-fuzz --locked) when it is
# missing. Builds with a nightly toolchain when rustup has one, else with
# the stable one and RUSTC_BOOTSTRAP=1 (cargo fuzz needs -Z flags);
# FUZZ_TOOLCHAIN=stable or =nightly chooses.
#
# Corpora: fuzz/corpus/<target>/ (not committed) is seeded at every run
# with the vectors that fit the target, fuzz/seeds/<target>/ and the saved
# crashes of fuzz/regressions/<target>/, and keeps what libFuzzer finds.
# Each target's output goes to fuzz/logs/<target>.log. A crash, timeout or
# out-of-memory of any target makes the script exit 1 and print the
# input's path (fuzz/artifacts/<target>/...). To replay one:
#   cargo fuzz run --fuzz-dir fuzz <target> fuzz/artifacts/<target>/crash-...
set -euo pipefail

fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz_dir")"
vectors="$root/tests/vectors"
cd "$root"

all_targets() {
    local f
    for f in "$fuzz_dir"/fuzz_targets/*.rs; do
        basename "$f" .rs
    done
}

usage() {
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

limit=""
sanitizer="address"
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds)
            [ $# -ge 2 ] || usage
            limit="-max_total_time=$2"
            shift 2
            ;;
        --runs)
            [ $# -ge 2 ] || usage
            limit="-runs=$2"
            shift 2
            ;;
        --sanitizer)
            [ $# -ge 2 ] || usage
            sanitizer="$2"
            shift 2
            ;;
        --list)
            all_targets
            exit 0
            ;;
        -h | --help)
            usage
            ;;
        -*)
            echo "unknown option $1" >&2
            usage
            ;;
        *)
            targets+=("$1")
            shift
            ;;
    esac
done
[ -n "$limit" ] || usage
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(all_targets)
fi
for t in "${targets[@]}"; do
    if [ ! -f "$fuzz_dir/fuzz_targets/$t.rs" ]; then
        echo "no fuzz target '$t'; the targets: $(all_targets | tr '\n' ' ')" >&2
        exit 2
    fi
done

# The tools.
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz not found: installing it (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked
fi
cargo_fuzz=(cargo)
toolchain="${FUZZ_TOOLCHAIN:-}"
if [ -z "$toolchain" ]; then
    # Only an installed nightly: nothing is downloaded.
    if command -v rustup >/dev/null 2>&1 && rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
        toolchain=nightly
    else
        toolchain=stable
    fi
fi
if [ "$toolchain" = nightly ]; then
    cargo_fuzz+=(+nightly)
else
    # The stable compiler takes the -Z flags cargo fuzz passes (the
    # sanitizer, the coverage instrumentation) with RUSTC_BOOTSTRAP=1.
    export RUSTC_BOOTSTRAP=1
    if [ "$toolchain" != stable ]; then
        cargo_fuzz+=("+$toolchain")
    fi
fi
cargo_fuzz+=(fuzz)
if [ "$toolchain" = stable ]; then
    rustc_version=$(rustc --version)
else
    rustc_version=$(rustc "+$toolchain" --version)
fi
echo "$(cargo fuzz --version), $rustc_version${RUSTC_BOOTSTRAP:+ with RUSTC_BOOTSTRAP=1}, sanitizer $sanitizer"

# The seeds of each target.
seed() {
    local target="$1"
    local corpus="$fuzz_dir/corpus/$target"
    mkdir -p "$corpus"
    case "$target" in
        license_file | validate | signing_request)
            cp "$vectors"/*.lic "$vectors"/prod.pem "$vectors"/prod-mail.txt "$corpus"/
            ;;
        codes)
            cp "$vectors"/serial-v1.txt "$corpus"/
            local i=0 text
            while read -r text; do
                i=$((i + 1))
                printf '%s' "$text" >"$corpus/vector-code-$i.txt"
            done < <(grep -oE '"text": "[0-9A-Z]{3}[.-][^"]*"' "$vectors/vectors.json" | cut -d'"' -f4)
            ;;
        subscription_json | fingerprint_record)
            cp "$vectors"/*.json "$corpus"/
            ;;
        store_state)
            cp "$vectors"/state-*.txt "$corpus"/
            ;;
        pem_keys)
            cp "$vectors"/*.pem "$corpus"/
            ;;
        grants)
            cp "$vectors"/trial-extension.lic "$vectors"/clock-reset.lic "$corpus"/
            ;;
        exchange_files)
            cp "$vectors"/activation-request.txt "$vectors"/usage-report.txt "$vectors"/usage-summary.txt "$corpus"/
            ;;
    esac
    local extra
    for extra in "$fuzz_dir/seeds/$target" "$fuzz_dir/regressions/$target"; do
        if [ -d "$extra" ] && [ -n "$(ls -A "$extra")" ]; then
            cp "$extra"/* "$corpus"/
        fi
    done
}

build_flags=(--sanitizer "$sanitizer")
echo "building the fuzz targets: ${targets[*]}"
build_start=$SECONDS
if [ ${#targets[@]} -eq "$(all_targets | wc -l)" ]; then
    "${cargo_fuzz[@]}" build --fuzz-dir "$fuzz_dir" "${build_flags[@]}"
else
    for t in "${targets[@]}"; do
        "${cargo_fuzz[@]}" build --fuzz-dir "$fuzz_dir" "${build_flags[@]}" "$t"
    done
fi
echo "built in $((SECONDS - build_start)) s"

mkdir -p "$fuzz_dir/logs"
failed=()
for t in "${targets[@]}"; do
    seed "$t"
    log="$fuzz_dir/logs/$t.log"
    start=$SECONDS
    echo "-- $t ($limit): log in ${log#"$root"/}"
    status=0
    "${cargo_fuzz[@]}" run --fuzz-dir "$fuzz_dir" "${build_flags[@]}" "$t" "$fuzz_dir/corpus/$t" -- \
        "$limit" -timeout=25 -print_final_stats=1 >"$log" 2>&1 || status=$?
    # libFuzzer's summary: the last status line and the final stats.
    grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 || true
    grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tr '\n' ' ' || true
    echo "($((SECONDS - start)) s)"
    if [ "$status" -ne 0 ]; then
        failed+=("$t")
        echo "!! $t failed (exit $status):" >&2
        grep -A 2 -E 'panicked at' "$log" | head -n 3 >&2 || true
        grep -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|^SUMMARY:' "$log" | head -n 3 >&2 || true
        artifacts=$(grep -oE 'Test unit written to [^ ]+' "$log" | sed 's/Test unit written to //' || true)
        if [ -n "$artifacts" ]; then
            echo "   input: $artifacts" >&2
            echo "   replay: cargo fuzz run --fuzz-dir fuzz $t ${artifacts#"$root"/}" >&2
            echo "   keep it: copy it to fuzz/regressions/$t/ (re-run as a seed by every run)" >&2
        else
            echo "   no input saved: see $log" >&2
        fi
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzzing failed: ${failed[*]} (logs in fuzz/logs/, inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzzing passed: ${targets[*]}"
