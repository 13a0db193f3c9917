#!/usr/bin/env bash
# The perfect-foresight floor against every schedule on small random traces: it is never above the
# true optimum, and within 1 % of it with no share over capacity allowed.
set -euo pipefail
python3 scripts/foresight_floor.py
