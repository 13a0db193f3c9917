#!/usr/bin/env bash
# Six traces made outside the suite (scripts/outside-traces.py): the shipped config's figures on
# them must be the ones docs/policy.md gives, so the page stays true to the policy.
set -euo pipefail
export PATH="$PATH:/opt/swift/usr/bin"
swift build -c release --product autoscaled > /dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 scripts/outside-traces.py --binary "$(swift build -c release --show-bin-path)/autoscaled" \
    --dir "$dir" --check docs/policy.md
