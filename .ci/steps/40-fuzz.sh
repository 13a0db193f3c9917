#!/usr/bin/env bash
# Every parser under libFuzzer for a fixed budget each; any crash, hang or runaway memory fails.
set -euo pipefail
bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
