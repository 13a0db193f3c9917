#!/usr/bin/env bash
# Measures what a read of each source type costs, and how the watchdog and SIGTERM behave while a
# socket read hangs: the figures in docs/sources-and-formats.md ("What a read costs").
#
#   scripts/measure-sources.sh [BINARY]      (default: a release build, made if missing)
#
# Needs hyperfine and haproxy (Debian) and prometheus_client (PyPI) for `python3`. Every server it
# starts listens on 127.0.0.1 or a Unix socket in a temp directory, and is stopped at the end.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$PATH:/opt/swift/usr/bin:/usr/sbin"
binary=${1:-}
if [ -z "$binary" ]; then
    (cd "$repo" && swift build -c release >/dev/null)
    binary=$repo/.build/release/autoscaled
fi
for tool in hyperfine haproxy python3; do
    command -v "$tool" >/dev/null || { echo "measure-sources: $tool is missing (see .ci/setup/30-sources.sh)" >&2; exit 2; }
done
work=$(mktemp -d)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cd "$work"

# A vLLM-like exposition: 200 metric families of 50 samples, and the selected gauge.
python3 - <<'PY'
lines = []
for m in range(200):
    lines.append(f"# HELP vllm:metric_{m} Some metric.\n# TYPE vllm:metric_{m} gauge\n")
    for i in range(50):
        lines.append(f'vllm:metric_{m}{{engine="{i % 4}",model_name="meta-llama/Llama-3.1-8B-Instruct",le="{i}.5"}} {i * 1.5}\n')
lines.append("# TYPE vllm:num_requests_waiting gauge\n")
for e in range(4):
    lines.append(f'vllm:num_requests_waiting{{engine="{e}",model_name="meta-llama/Llama-3.1-8B-Instruct"}} {e * 3}.0\n')
open("big.prom", "w").write("".join(lines))
open("small.prom", "w").write('q{s="a"} 1\n')
PY
config() { printf '[source]\n%s\n[state]\npath = %s/state.json\n' "$1" "$work" > "$2"; }
config $'path = small.prom\nformat = prometheus\nmetric = q\nserver_label = s' small.conf
config $'path = big.prom\nformat = prometheus\nmetric = vllm:num_requests_waiting\nserver_label = engine' big.conf

# A prometheus_client exporter with four gauges.
python3 -c '
import time
from prometheus_client import Gauge, start_http_server
g = Gauge("inference_queue_size", "q", ["server"])
for i in range(4): g.labels(f"gpu-{i}").set(i)
print(start_http_server(0, addr="127.0.0.1")[0].server_port, flush=True)
while True: time.sleep(1)' > port.txt &
pids+=($!)
# HAProxy with a read-only stats socket and a backend of three servers.
cat > haproxy.cfg <<CFG
global
    stats socket $work/stats.sock mode 666 level user
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
backend inference
    server gpu-1 127.0.0.1:9 maxconn 8
    server gpu-2 127.0.0.1:10 maxconn 8
    server gpu-3 127.0.0.1:11 maxconn 8
CFG
haproxy -db -f haproxy.cfg >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s port.txt ] && [ -S stats.sock ] && break; sleep 0.05; done
config "$(printf 'type = http\nurl = http://127.0.0.1:%s/metrics\nformat = prometheus\nmetric = inference_queue_size\nserver_label = server' "$(head -1 port.txt)")" http.conf
config $'type = unix\npath = stats.sock\nrequest = show stat\\n\nformat = haproxy\nbackend = inference\nfield = utilization' haproxy.conf
hyperfine -N -w 5 -r 50 --export-markdown reads.md \
    "$binary once --config small.conf" "$binary once --config big.conf" \
    "$binary once --config http.conf" "$binary once --config haproxy.conf" >/dev/null
sed "s|$binary|autoscaled|; s|$work/||" reads.md

# The watchdog while a read hangs, and SIGTERM during one.
python3 - "$binary" "$work" <<'PY'
import os, signal, socket, subprocess, sys, threading, time
binary, work = sys.argv[1], sys.argv[2]
answer = {"on": True}
held = []
server = socket.socket(socket.AF_UNIX)
server.bind(f"{work}/hang.sock")
server.listen(16)
def serve():
    while True:
        conn, _ = server.accept()
        if not answer["on"]:
            held.append(conn)
            continue
        conn.recv(100)
        conn.sendall(b"a 30\n")
        conn.close()
threading.Thread(target=serve, daemon=True).start()
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(f"{work}/notify")
pings = []
def listen():
    while True:
        if notify.recv(4096) == b"WATCHDOG=1":
            pings.append(time.monotonic())
threading.Thread(target=listen, daemon=True).start()
open(f"{work}/hang.conf", "w").write(
    "[source]\ntype = unix\npath = hang.sock\nrequest = get\\n\nformat = lines\nread_timeout = 3s\n"
    f"poll_interval = 100ms\n[state]\npath = {work}/hang-state.json\n")
env = dict(os.environ, NOTIFY_SOCKET=f"{work}/notify", WATCHDOG_USEC="200000")
daemon = subprocess.Popen([binary, "run", "--config", f"{work}/hang.conf"], env=env, stderr=subprocess.DEVNULL)
time.sleep(2)
start = time.monotonic()
answer["on"] = False
time.sleep(2)
answer["on"] = True
time.sleep(3)
answer["on"] = False
time.sleep(0.5)
term = time.monotonic()
daemon.send_signal(signal.SIGTERM)
daemon.wait()
stopped = time.monotonic() - term
count = lambda a, b: sum(1 for t in pings if a <= t < b)
gaps = [b - a for a, b in zip(pings, pings[1:])]
print(f"WATCHDOG=1 in the second before the hang: {count(start - 1, start)}")
print(f"longest gap between pings (read_timeout 3s): {max(gaps):.3f} s")
print(f"WATCHDOG=1 in the second after the hung read: {count(start + 3.2, start + 4.2)}")
print(f"SIGTERM 0.5 s into a hung read: exit {daemon.returncode} after {stopped:.3f} s")
PY
