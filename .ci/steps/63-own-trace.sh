#!/usr/bin/env bash
# policy-report.py --trace FILE compares the policy with the floor and both frontiers on a trace of
# one's own. Checked here: a suite trace given as one's own gets the row --suite gives it; the same
# trace with CRLF line ends, a byte order mark, a comment and spaces (all of which `simulate` takes)
# gets the same row; a trace of the same name, size and modification time as one replayed before gets
# its own frontiers, not that one's, and rows no run can read again are not kept; a per-server trace,
# traces `simulate` refuses, a config that loses under --check and options that do not fit are
# refused with what is wrong.
set -euo pipefail
export PATH="$PATH:/opt/swift/usr/bin"
swift build -c release --product autoscaled > /dev/null
binary="$(swift build -c release --show-bin-path)/autoscaled"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
trace=config/traces/azure_llm_conv_2023.csv

row() { grep -F "| $1 (" "$2" | sed 's/^| [^ ]* //'; }

python3 scripts/policy-report.py --suite --split train --binary "$binary" > "$dir/suite.txt"
python3 scripts/policy-report.py --trace "$trace" --capacity 1 --startup-delay 2min --initial 7 --check \
    --binary "$binary" > "$dir/own.txt"
want=$(row azure_llm_conv_2023.csv "$dir/suite.txt")
got=$(row azure_llm_conv_2023.csv "$dir/own.txt")
[ -n "$want" ] && [ "$want" = "$got" ] || { echo "--trace gave '$got', --suite '$want'"; exit 1; }
echo "a suite trace given as one's own: the row --suite gives it ($got)"

python3 - "$trace" "$dir/written.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as out:
    out.write(lines[0] + "\r\n# recorded elsewhere\r\n\r\n")
    out.write("".join(line.replace(",", " , ") + "\r\n" for line in lines[1:] if line))
PY
python3 scripts/policy-report.py --trace "$dir/written.csv" --capacity 1 --startup-delay 120 --initial 7 \
    --binary "$binary" > "$dir/written.txt"
got=$(row written.csv "$dir/written.txt")
[ "$want" = "$got" ] || { echo "the same trace written otherwise gave '$got', not '$want'"; exit 1; }
echo "the same trace with CRLF, a byte order mark, a comment and spaces: the same row"

# The frontiers are kept by the trace's bytes: a trace of the same name, size and modification time
# as one replayed before, with other loads (the requests rotated by half), gets its own frontiers.
mkdir "$dir/a" "$dir/b"
cp "$trace" "$dir/a/same.csv"
python3 - "$trace" "$dir/b/same.csv" <<'PY'
import sys
lines = open(sys.argv[1], newline="").read().split("\n")
head = [line for line in lines if line and not line[0].isdigit()]
rows = [line.split(",") for line in lines if line and line[0].isdigit()]
requests = [row[1] for row in rows]
requests = requests[len(requests) // 2:] + requests[:len(requests) // 2]
with open(sys.argv[2], "w", newline="") as out:
    out.write("".join(line + "\n" for line in head))
    out.write("".join(",".join([row[0], count] + row[2:]) + "\n" for row, count in zip(rows, requests)))
PY
touch -r "$dir/a/same.csv" "$dir/b/same.csv"
[ "$(stat -c %s "$dir/a/same.csv")" = "$(stat -c %s "$dir/b/same.csv")" ] && ! cmp -s "$dir/a/same.csv" "$dir/b/same.csv"
own() { python3 scripts/policy-report.py --trace "$1" --capacity 1 --startup-delay 120 --initial 7 --binary "$binary"; }
# The kept frontiers are a cache: removed, they are only drawn again.
kept=.build/policy-report-frontiers.json
rm -f "$kept"
alone=$(own "$dir/b/same.csv" | grep -F "| same.csv (")
rm -f "$kept"
own "$dir/a/same.csv" > /dev/null
after=$(own "$dir/b/same.csv" | grep -F "| same.csv (")
[ "$alone" = "$after" ] || { echo "after a trace of the same name, size and time: '$after', alone: '$alone'"; exit 1; }
echo "a trace of the same name, size and modification time as one before, other loads: its own frontiers ($after)"

# Rows no run can read again are not kept: a row kept under the keys of before (name, size, time),
# one drawn by another simulator. The rows of a trace not replayed this time stay.
python3 - "$kept" <<'PY'
import json, sys
cache = json.load(open(sys.argv[1]))
current = sorted(cache)
assert len(current) == 4, current  # both traces, both models
stale = {"same.csv:61433:1796569882679379110:1:120:7:hpa" + current[0][current[0].index(":[") :]: [[0, 1, 0]],
         current[0].rsplit(":", 2)[0] + ":0123456789abcdef:events": [[0, 1, 0]]}
json.dump({**cache, **stale}, open(sys.argv[1], "w"))
PY
own "$dir/a/same.csv" > /dev/null
python3 - "$kept" "$dir/a/same.csv" "$dir/b/same.csv" <<'PY'
import importlib.util, json, sys
sys.path.insert(0, "scripts")
spec = importlib.util.spec_from_file_location("report", "scripts/policy-report.py")
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)
left = sorted(json.load(open(sys.argv[1])))
digests = sorted(report.file_digest(path) for path in sys.argv[2:])
assert [key.split(":")[0] for key in left] == [digests[0]] * 2 + [digests[1]] * 2, left
assert all(key.endswith(report.frontier_key_end()) for key in left), left
PY
echo "kept frontiers: the rows of before and of another simulator dropped, both traces' rows kept"

refused() {
    local expected=$1; shift
    if message=$(python3 scripts/policy-report.py --binary "$binary" "$@" 2>&1); then
        echo "policy-report.py $* was accepted"; exit 1
    fi
    grep -qF -- "$expected" <<<"$message" || { echo "policy-report.py $*: $message"; exit 1; }
}
printf 't_seconds,a,b\n0,10,20\n5,30,40\n' > "$dir/servers.csv"
refused "not an offered-load trace (its header is not 't_seconds,requests')" \
    --trace "$dir/servers.csv" --capacity 1 --startup-delay 60
printf 't_seconds,requests\n0,5\n1,-3\n' > "$dir/negative.csv"
refused "negative.csv: line 3: requests '-3' is negative" --trace "$dir/negative.csv" --capacity 1 --startup-delay 60
printf 't_seconds,requests\n0,5\n1,nan\n' > "$dir/nan.csv"
refused "nan.csv: line 3: requests 'nan' is not a number" --trace "$dir/nan.csv" --capacity 1 --startup-delay 60
printf 't_seconds,requests\n' > "$dir/header-only.csv"
refused "header-only.csv: no data rows" --trace "$dir/header-only.csv" --capacity 1 --startup-delay 60
# A config that keeps ten times the room a load needs (a target of 10, no square-root room to raise
# it) loses to both frontiers: --check says so.
sed 's/^headroom_target_load = .*/headroom_target_load = 10/; s/^headroom_square_root_room = .*/headroom_square_root_room = 0/' \
    config/autoscaled.conf > "$dir/roomy.conf"
grep -qx 'headroom_square_root_room = 0' "$dir/roomy.conf"
refused "policy-report: the policy loses to a frontier on a trace given" \
    --trace "$trace" --capacity 1 --startup-delay 120 --initial 7 --check --config "$dir/roomy.conf"
refused "--trace FILE needs --capacity C and --startup-delay D, and not --suite" --trace "$trace" --capacity 1
refused "--trace FILE needs --capacity C and --startup-delay D, and not --suite" --trace "$trace" --suite --capacity 1 --startup-delay 60
refused "--capacity, --startup-delay and --initial go with --trace FILE" --suite --initial 3
refused "--capacity C must be above 0 and --initial N at least 1" --trace "$trace" --capacity 0 --startup-delay 60
refused "'5m' is not a whole number of seconds, minutes, hours or days (120, 120s, 2min, 1h, 1d)" \
    --trace "$trace" --capacity 1 --startup-delay 5m
refused "--split needs --suite" --split train
echo "a per-server trace, traces simulate refuses, a losing config under --check and options that do not fit: refused, with what is wrong"
