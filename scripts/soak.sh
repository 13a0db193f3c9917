#!/usr/bin/env bash
# Soak test: the release daemon at poll_interval = 10ms, its load file replaced 20 times a second
# and a SIGHUP every second, for MINUTES (default 2). Samples RSS and open file descriptors every
# second. Passes when RSS grows by less than 2 MiB after the warm-up (the first quarter, at most
# 60 s), the open-fd count does not grow after the warm-up, and no line is logged at error level.
# A sample can catch a file the daemon has open for a moment (the load file being read, the state
# file being replaced); a leak shows as a floor that rises, so each 30-sample window's lowest count
# must stay the same.
# The policy keeps one sample per tick for its trend window, so at a 10 ms poll a 3-minute window
# fills for 3 minutes (18 000 samples, about 2 MiB): growth by design, not a leak. The soak's
# trend window is 20 s, so it is full before the warm-up ends.
#
#   scripts/soak.sh [MINUTES]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export PATH="$PATH:/opt/swift/usr/bin"
minutes=${1:-2}
swift build -c release --product autoscaled >/dev/null
binary=$(swift build -c release --show-bin-path)/autoscaled

work=$(mktemp -d)
daemon=""
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
cat >"$work/autoscaled.conf" <<CONF
[source]
path = loads.json
poll_interval = 10ms
[policy]
scale_up_cooldown = 0
scale_down_stabilization = 1s
scale_down_threshold = 20
max_replicas = 20
burst_ratio = 0
trend_window = 20s
[state]
path = state.json
[log]
level = info
CONF
echo '{"a": 30, "b": 40}' >"$work/loads.json"
"$binary" run --config "$work/autoscaled.conf" 2>"$work/daemon.log" &
daemon=$!

set +e
python3 - "$daemon" "$work" "$minutes" <<'PY'
import os, sys, time, signal, json
pid, work, minutes = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
duration = minutes * 60
warmup = min(60.0, duration / 4)
def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
def fds():
    return len(os.listdir(f"/proc/{pid}/fd"))
start = time.monotonic()
next_write = next_hup = next_sample = start
writes = hups = 0
samples = []
while (now := time.monotonic()) - start < duration:
    if now >= next_write:
        hot = (writes // 40) % 2 == 0
        # Hot phases: one server at 80; cold ones: every server below scale_down_threshold.
        loads = {f"server{i}": (80 if hot and i == 0 else 1 + (writes + i) % 15) for i in range(20)}
        tmp = f"{work}/loads.json.tmp"
        with open(tmp, "w") as f:
            json.dump(loads, f)
        os.rename(tmp, f"{work}/loads.json")
        writes += 1
        next_write += 0.05
    if now >= next_hup:
        os.kill(pid, signal.SIGHUP)
        hups += 1
        next_hup += 1.0
    if now >= next_sample:
        samples.append((now - start, rss_kib(), fds()))
        next_sample += 1.0
    time.sleep(max(0.0, min(next_write, next_hup, next_sample) - time.monotonic()))
after = [s for s in samples if s[0] >= warmup]
base_rss = after[0][1]
max_rss = max(s[1] for s in after)
fd_counts = sorted({s[2] for s in after})
floors = [min(s[2] for s in after[i:i + 30]) for i in range(0, len(after), 30)]
growth = (max_rss - base_rss) / 1024
print(f"soak: {duration:.0f} s, {writes} load writes, {hups} SIGHUPs, {len(samples)} samples")
print(f"soak: RSS after warm-up {base_rss/1024:.1f} MiB, max {max_rss/1024:.1f} MiB, growth {growth:.2f} MiB (limit 2)")
print(f"soak: open fds after warm-up: counts seen {fd_counts}, lowest per 30 s {sorted(set(floors))} (must be one value)")
ok = growth < 2.0 and len(set(floors)) == 1
sys.exit(0 if ok else 1)
PY
status=$?
set -e
kill "$daemon"
wait "$daemon" || { echo "soak: daemon exited with $?"; exit 1; }
daemon=""
decisions=$(grep -c 'event=scale-' "$work/daemon.log" || true)
reloads=$(grep -c 'event=reload ' "$work/daemon.log" || true)
errors=$(grep -c 'level=error' "$work/daemon.log" || true)
echo "soak: $decisions scale decisions, $reloads reloads, $errors error lines"
if [ "$errors" -ne 0 ]; then
    grep 'level=error' "$work/daemon.log" | head -5
    exit 1
fi
[ "$decisions" -gt 0 ] && [ "$reloads" -gt 0 ] || { echo "soak: the daemon did not work"; exit 1; }
exit $status
