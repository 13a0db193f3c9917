#!/usr/bin/env bash
# The shipped policy must stay cheaper than the HPA and KPA frontiers on every public trace; the
# trace suite's report (both halves, every trace against the floor and both frontiers) is printed
# so that the figures in README.md and docs/policy.md can be compared with this run.
set -euo pipefail
export PATH="$PATH:/opt/swift/usr/bin"
python3 scripts/policy-report.py --check
python3 scripts/policy-report.py --suite --binary "$(swift build -c release --show-bin-path)/autoscaled"
