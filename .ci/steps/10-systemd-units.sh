#!/usr/bin/env bash
# systemd units: verify with no warnings, exposure ≤ 2.0; and the install script into a temp DESTDIR.
set -euo pipefail
if ! command -v systemd-analyze >/dev/null; then
    apt-get update -qq && apt-get install -y -qq systemd >/dev/null
fi
bash scripts/check-units.sh
AUTOSCALED_BINARY="$(swift build --show-bin-path)/autoscaled" bash scripts/test-install.sh
