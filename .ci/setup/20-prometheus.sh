#!/usr/bin/env bash
# promtool (Debian's prometheus package) checks the metrics textfile the daemon writes.
set -euo pipefail
apt-get update -qq && apt-get install -y -qq prometheus >/dev/null
command -v promtool
