#!/usr/bin/env bash
# Fuzzes every parser, and the policy and simulator (target `policy`), with libFuzzer (built into
# the Swift toolchain), each for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds the library's modules in their layers (AutoscaledBase, then AutoscaledSystem, each a static
# library), then AutoscaledCore's sources with the scenario generators of
# Tests/AutoscaledTestSupport and Tests/Fuzz/FuzzEntry.swift into one binary, all with
# `swiftc -sanitize=fuzzer,address` in the Swift 6 language mode, as Package.swift builds them
# (under SwiftPM, adding address sanitizing silently drops the fuzzer's coverage instrumentation),
# each module optimized whole on every core (optimized file by file, the build took 5 minutes on two
# cores; whole, 3),
# then runs each target on a copy of its seed corpus (Tests/Fuzz/Corpus/TARGET). A crash, a hang
# (> 10 s for one input), or memory over 2 GiB fails the run; the input that did it is kept in
# .build-fuzz/artifacts/. Add every such input to the seed corpus after fixing the bug: the corpus
# is replayed by each run (and the policy target's by `swift test`, PolicyPropertyTests).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export PATH="$PATH:/opt/swift/usr/bin"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=($(ls Tests/Fuzz/Corpus))
fi

out=.build-fuzz
mkdir -p "$out/artifacts"
binary=$out/autoscaled-fuzz
flags=(-sanitize=fuzzer,address -swift-version 6 -parse-as-library -O -wmo -num-threads "$(nproc)"
    -package-name autoscaled -I "$out/modules")
layers=(AutoscaledBase AutoscaledSystem)
sources="$(find Sources/AutoscaledCore -name '*.swift' | sort) $(ls Tests/AutoscaledTestSupport/*Scenario*.swift)"
stale=yes
if [ -x "$binary" ] && [ -z "$(find Sources $(ls Tests/AutoscaledTestSupport/*Scenario*.swift) Tests/Fuzz/FuzzEntry.swift \
    -name '*.swift' -newer "$binary")" ]; then
    stale=no
fi
if [ "$stale" = yes ]; then
    echo "fuzz: building $binary"
    mkdir -p "$out/modules"
    libraries=()
    for module in "${layers[@]}"; do
        swiftc "${flags[@]}" -module-name "$module" -emit-module -emit-module-path "$out/modules/$module.swiftmodule" \
            -emit-library -static -o "$out/lib$module.a" $(find "Sources/$module" -name '*.swift' | sort)
        libraries+=("$out/lib$module.a")
    done
    swiftc "${flags[@]}" -module-name AutoscaledFuzz $sources Tests/Fuzz/FuzzEntry.swift "${libraries[@]}" -o "$binary"
fi

failed=0
printf '%-10s %12s %8s %8s %s\n' target executions cov corpus result
for target in "${targets[@]}"; do
    seeds=Tests/Fuzz/Corpus/$target
    [ -d "$seeds" ] || { echo "fuzz: no seed corpus at $seeds" >&2; exit 2; }
    work=$out/corpus/$target
    mkdir -p "$work"
    log=$out/$target.log
    set +e
    FUZZ_TARGET=$target "$binary" "$work" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/artifacts/$target-" >"$log" 2>&1
    status=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
    corpus=$(ls "$work" | wc -l)
    if [ "$status" -ne 0 ]; then
        result="FAILED (exit $status; see $log)"
        failed=1
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 || true
    elif [ "${cov:-0}" -lt 10 ]; then
        result="FAILED (coverage $cov: is the binary instrumented?)"
        failed=1
    else
        result=ok
    fi
    printf '%-10s %12s %8s %8s %s\n' "$target" "$runs" "$cov" "$corpus" "$result"
done
exit $failed
