#!/usr/bin/env bash
# The HAProxy + systemd example is tested against a real HAProxy, driven through its runtime
# API with socat (Debian's haproxy and socat).
set -euo pipefail
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v socat >/dev/null || missing+=(socat)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
haproxy -v | sed -n 1p
socat -V | sed -n 2p
