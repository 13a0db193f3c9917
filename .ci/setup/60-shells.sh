#!/usr/bin/env bash
# zsh and fish, so the completion scripts `autoscaled completion zsh|fish` prints are parsed by
# their own shells (`zsh -n`, `fish -n`) in the tests; bash is always there.
set -euo pipefail
missing=()
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
zsh --version
fish --version
