#!/usr/bin/env bash
# policy-report.py --suite --shift S replays every trace S seconds later, at 1-second bins. Checked
# on a trace at 60-second bins and one at 1-second bins: shifted by 0 s each replays exactly as
# itself (every figure of `simulate`'s summary), and shifted by 7 s its load is the same 7 s later;
# a trace rewritten to other bytes of the same size and modification time is shifted again.
# A shift without --suite, or out of 0 … 3600, is refused before anything is replayed. --phases N
# sums up the suite over N shifts: its summary is checked on figures worked out by hand (a part
# whose every pair is lost on service included), and a --phases without --suite, with --shift or
# --check, or out of 1 … 3600 is refused.
set -euo pipefail
export PATH="$PATH:/opt/swift/usr/bin"
binary="$(swift build -c release --show-bin-path)/autoscaled"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$binary" "$work" <<'PY'
import importlib.util, os, subprocess, sys
sys.path.insert(0, "scripts")
spec = importlib.util.spec_from_file_location("report", "scripts/policy-report.py")
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)
from trace_shapes import read_counts

binary, work = sys.argv[1], sys.argv[2]
for trace, capacity, delay, initial in [("config/traces/azure_functions_2019_invitro1350.csv", 2, 60, 19),
                                        ("config/traces/synthetic/noise.csv", 1, 120, 20)]:
    def summary(path):
        command = [binary, "simulate", "--config", "config/autoscaled.conf", "--trace", path, "--capacity",
                   str(capacity), "--startup-delay", str(delay), "--initial", str(initial), "--min", "1",
                   "--max", "1000", "--quiet"]
        lines = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()
        return [line for line in lines if not line.startswith("trace:")]
    same = report.shifted_trace(trace, 0, os.path.join(work, "0"))
    assert summary(same) == summary(trace), (trace, summary(same), summary(trace))
    width, counts = read_counts(trace)
    rates = [count / width for count in counts for _ in range(width)]
    _, later = read_counts(report.shifted_trace(trace, 7, os.path.join(work, "7")))
    assert list(later) == rates[:1] * 7 + rates[:-7], trace
    print(f"{os.path.basename(trace)}: shifted by 0 s, the same replay; by 7 s, the same load 7 s later")

# A shifted trace is made again when its trace's bytes change, even to bytes of the same size and
# modification time.
own = os.path.join(work, "own.csv")
with open(own, "w") as text:
    text.write("t_seconds,requests\n0,5\n1,7\n2,9\n")
stat = os.stat(own)
assert read_counts(report.shifted_trace(own, 1, os.path.join(work, "own")))[1] == [5, 5, 7]
with open(own, "w") as text:
    text.write("t_seconds,requests\n0,9\n1,7\n2,5\n")
os.utime(own, ns=(stat.st_atime_ns, stat.st_mtime_ns))
assert os.stat(own).st_size == stat.st_size and os.stat(own).st_mtime_ns == stat.st_mtime_ns
assert read_counts(report.shifted_trace(own, 1, os.path.join(work, "own")))[1] == [9, 9, 7]
print("a trace rewritten with the same size and modification time: its shifted trace made again")

Part = report.PartFigures
phases = [{"train": Part(pairs=[("a.csv", "HPA", 1.02)], mean=0.70, worst=1.02, events=100, ups=10, taken_back=4)},
          {"train": Part(pairs=[("a.csv", "HPA", 1.04), ("b.csv", "KPA", None)], mean=0.80, worst=1.04, events=200,
                         ups=10, taken_back=6)}]
lines = report.phase_summary(phases)
assert lines[2] == "| train | 1.5 (1–2) | 0.75× | 1.03× (1.02–1.04×) | 150 | 10 of 20 (50 %) |", lines[2]
assert lines[4:] == ["  train: a.csv vs HPA: 2 of 2 (1.02–1.04×)", "  train: b.csv vs KPA: 1 of 2 (lost on service at 1)"], lines
print("--phases: the means over two phases and the pairs at each, as worked out by hand")
lost = Part(pairs=[("c.csv", "HPA", None), ("c.csv", "KPA", None)], mean=None, worst=None, events=3, ups=0, taken_back=0)
lines = report.phase_summary([{"test": lost}, {"test": lost}])
assert lines[2] == "| test | 2.0 (2–2) | no ratio | no ratio | 3 | 0 of 0 |", lines[2]
assert lines[4:] == ["  test: c.csv vs HPA: 2 of 2 (lost on service at 2)", "  test: c.csv vs KPA: 2 of 2 (lost on service at 2)"], lines
print("--phases: a part with every pair lost on service has no ratio to average")
PY
for refused in "--shift 3" "--suite --shift 3601" "--suite --shift -1"; do
    # shellcheck disable=SC2086
    if message=$(python3 scripts/policy-report.py $refused --binary /nonexistent 2>&1); then
        echo "policy-report.py $refused was accepted"; exit 1
    fi
    grep -q -- "--shift S needs --suite and S from 0 to 3600" <<<"$message" || { echo "$message"; exit 1; }
done
echo "a shift without --suite or out of 0 … 3600: refused"
for refused in "--phases 2" "--suite --phases 0" "--suite --phases 3601" "--suite --phases 2 --shift 1" "--suite --phases 2 --check"; do
    # shellcheck disable=SC2086
    if message=$(python3 scripts/policy-report.py $refused --binary /nonexistent 2>&1); then
        echo "policy-report.py $refused was accepted"; exit 1
    fi
    grep -q -- "--phases N needs --suite, neither --shift nor --check, and N from 1 to 3600" <<<"$message" || { echo "$message"; exit 1; }
done
echo "--phases without --suite, with --shift or --check, or out of 1 … 3600: refused"
