#!/usr/bin/env bash
# The test suite under ThreadSanitizer (Dispatch handlers are not concurrency-checked by the compiler
# on Linux, so TSan is the real check) and AddressSanitizer with LeakSanitizer, each in its own
# build directory. The daemons the integration tests start are the sanitized build too: a race, a
# memory error or a leak in one makes it exit non-zero and its test fail.
set -euo pipefail
export PATH="$PATH:/opt/swift/usr/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# XCTest's own harness leaks a little at exit; nothing of ours is suppressed.
echo "leak:XCTest" > "$work/lsan.supp"

run() {
    local name=$1
    shift
    echo "--- $* (at $(date -u +%H:%M:%S))"
    if ! "$@" >"$work/$name.log" 2>&1; then
        grep -E '✘|ERROR|WARNING: ThreadSanitizer|SUMMARY|error:' "$work/$name.log" | head -40
        echo "$name: FAILED"
        return 1
    fi
    if grep -q 'WARNING: ThreadSanitizer' "$work/$name.log"; then
        grep -A20 'WARNING: ThreadSanitizer' "$work/$name.log" | head -60
        echo "$name: ThreadSanitizer reported a race"
        return 1
    fi
    grep -E 'Test run with' "$work/$name.log"
}

# One test at a time: each integration test starts sanitized daemons, which are several times
# slower, and dozens of them at once on two cores miss the tests' start-up bounds. The plain
# `swift test` run before this step keeps the tests running in parallel.
# AUTOSCALED_SANITIZER tells the tests whose limits a sanitizer's runtime cannot run under.
AUTOSCALED_SANITIZER=thread TSAN_OPTIONS="halt_on_error=1" run thread swift test --no-parallel --sanitize=thread --scratch-path .build-tsan
AUTOSCALED_SANITIZER=address LSAN_OPTIONS="suppressions=$work/lsan.supp" run address swift test --no-parallel --sanitize=address --scratch-path .build-asan
