#!/usr/bin/env bash
# numpy for the perfect-foresight floor (scripts/foresight_floor.py) in the policy report.
set -euo pipefail
python3 -c 'import numpy' 2>/dev/null || python3 -m pip install -q numpy
python3 -c 'import numpy; print("numpy", numpy.__version__)'
