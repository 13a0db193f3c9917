#!/usr/bin/env bash
# Two minutes of the soak test: RSS and fds flat under load-file churn and SIGHUPs, no error lines.
set -euo pipefail
bash scripts/soak.sh "${SOAK_MINUTES:-2}"
