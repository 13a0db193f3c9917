#!/usr/bin/env bash
# Actuation figures for docs/performance.md: how long an exec actuation of /bin/true takes (posix_spawn in
# its own process group, output read, child reaped), and how closely a hung command is killed at
# its timeout, its whole process group with it.
#
#   scripts/actuation-bench.sh [BINARY]     (default: .build/release/autoscaled)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=${1:-$repo/.build/release/autoscaled}
[ -x "$binary" ] || { echo "actuation-bench: no binary at $binary (swift build -c release)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# 1. 20 scale-ups and 20 scale-downs, each applied by running /bin/true.
echo '{"a": 30}' > loads.json
cat > fast.conf <<'CONF'
[source]
path = loads.json
poll_interval = 1h
[policy]
scale_up_cooldown = 0
scale_down_stabilization = 0
initial_replicas = 1
[state]
path = fast.json
[actuator]
type = exec
command = /bin/true {replicas}
CONF
"$binary" run --config fast.conf 2> fast.log &
daemon=$!
sleep 0.5
for _ in $(seq 1 20); do
    echo '{"a": 90}' > next.json && mv next.json loads.json && sleep 0.15
    echo '{"a": 5}' > next.json && mv next.json loads.json && sleep 0.15
done
kill -TERM "$daemon" && wait "$daemon"
echo "exec /bin/true: $(grep -c 'event=actuate ' fast.log) actuations; duration_ms: count"
grep -o 'event=actuate .*duration_ms=[0-9]*' fast.log | grep -o 'duration_ms=[0-9]*' | sort | uniq -c

# 2. A command that hangs with a grandchild, timeout = 1s.
cat > hang.conf <<'CONF'
[source]
path = loads.json
poll_interval = 1h
[state]
path = hang.json
[actuator]
type = exec
command = /bin/sh -c 'sleep 317 & sleep 317' autoscaled-bench-hang {replicas}
timeout = 1s
CONF
"$binary" run --config hang.conf 2> hang.log &
daemon=$!
# Killed at 1s, retried after a 1s backoff: at 1.5s nothing of the first attempt may be left.
sleep 1.5
left=$(pgrep -fx 'sleep 317|/bin/sh -c sleep 317 & sleep 317 autoscaled-bench-hang [0-9]+' -c || true)
kill -TERM "$daemon" && wait "$daemon"
echo "hung command, timeout 1s: $(grep -o 'event=actuate-failed.*duration_ms=[0-9]*' hang.log | grep -o 'duration_ms=[0-9]*' | head -1); processes left 0.5s later: ${left:-0}"
