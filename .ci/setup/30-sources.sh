#!/usr/bin/env bash
# Real peers for the load-source tests: HAProxy (Debian's haproxy, driven through its stats
# socket) and a Prometheus exporter (Python's prometheus_client from PyPI, for `python3` on PATH).
set -euo pipefail
if ! command -v haproxy >/dev/null; then
    apt-get update -qq && apt-get install -y -qq haproxy >/dev/null
fi
if ! python3 -c 'import prometheus_client' 2>/dev/null; then
    python3 -m pip install -q prometheus_client
fi
haproxy -v | sed -n 1p
python3 -c 'import prometheus_client, sys; print("python", sys.version.split()[0], "prometheus_client ok")'
