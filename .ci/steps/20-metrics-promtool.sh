#!/usr/bin/env bash
# The metrics textfile of a real daemon passes `promtool check metrics` (exposition format and lint).
set -euo pipefail
command -v promtool >/dev/null || { echo "promtool is missing: install Debian's prometheus package (.ci/setup)" >&2; exit 1; }
binary="$(swift build --show-bin-path)/autoscaled"
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cat >"$work/autoscaled.conf" <<'CONF'
[source]
path = loads.json
poll_interval = 1s
[state]
path = state.json
[metrics]
textfile = autoscaled.prom
max_series = 2
CONF
printf '{"server1": 30, "we\\"ird\\\\name": 55, "server3": 20}' >"$work/loads.json"
"$binary" run --config "$work/autoscaled.conf" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do
    grep -q '^autoscaled_last_evaluation_timestamp_seconds ' "$work/autoscaled.prom" 2>/dev/null && break
    sleep 0.1
done
cat "$work/autoscaled.prom"
promtool check metrics <"$work/autoscaled.prom"
grep -q '^autoscaled_server_load_series_dropped 1$' "$work/autoscaled.prom"
kill "$pid" && wait "$pid"
pid=
echo "promtool check metrics: ok"
