#!/usr/bin/env bash
# The shipped policy must stay cheaper than the HPA and KPA frontiers on every public trace.
set -euo pipefail
export PATH="$PATH:/opt/swift/usr/bin"
python3 scripts/policy-report.py --check
