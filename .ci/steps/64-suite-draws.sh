#!/usr/bin/env bash
# policy-report.py --suite --draws A-B replays the suite with every trace drawn around a shape's rate
# at each draw A … B (the recorded ones as they are). Checked: a draw's folder holds exactly the
# suite's drawn traces, each another draw than the suite's own; --draws 0 is the suite's own report,
# row for row; at --draws 1 the recorded traces' rows are the suite's and every drawn trace's row is
# another; the summary's lines over draws, worked out by hand; and a --draws without --suite, with
# --shift, --phases or --check, or not a range of 0 … 999, is refused before anything is replayed.
set -euo pipefail
export PATH="$PATH:/opt/swift/usr/bin"
binary="$(swift build -c release --show-bin-path)/autoscaled"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import filecmp, importlib.util, json, os, sys
sys.path.insert(0, "scripts")
spec = importlib.util.spec_from_file_location("report", "scripts/policy-report.py")
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)
spec = importlib.util.spec_from_file_location("generator", "scripts/make-suite-traces.py")
generator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generator)
with open("config/traces/suite.json") as text:
    suite = json.load(text)["traces"]
# Not drawn: the public traces, and the suite's traces made from them.
recorded = {entry["file"] for entry in suite if entry["dir"] == "."} | generator.RECORDED
assert len(recorded) == 8, sorted(recorded)
# A clean checkout has none of the made traces yet (this step may run before any report has made them).
report.write_missing_suite(suite)
with open(os.path.join(sys.argv[1], "recorded"), "w") as text:
    text.writelines(f"{name}\n" for name in sorted(recorded))
folder = report.drawn_suite(1, os.path.join(sys.argv[1], "draw-1"))
drawn = {entry["file"] for entry in suite} - recorded
assert set(os.listdir(folder)) == drawn, sorted(set(os.listdir(folder)) ^ drawn)
for entry in suite:
    path = report.suite_trace(entry, folder)
    own = report.suite_trace(entry)
    if entry["file"] in recorded:
        assert path == own, (path, own)
    else:
        assert path == os.path.join(folder, entry["file"]) and not filecmp.cmp(path, own, shallow=False), entry
print(f"draw 1: the {len(drawn)} drawn traces, each another draw; the {len(recorded)} recorded ones the suite's own")

Part = report.PartFigures
draws = [{"train": Part(pairs=[("a.csv", "KPA", 1.03)], mean=0.72, worst=1.03, events=10, ups=4, taken_back=1)},
         {"train": Part(pairs=[], mean=0.70, worst=0.99, events=20, ups=4, taken_back=3)}]
lines = report.phase_summary(draws, 2, "draws 4 … 5", "draws")
assert lines[0] == "\n| part (means over draws 4 … 5) | pairs above 1.0× or lost | mean | worst | scale events | scale-ups taken back |", lines[0]
assert lines[2] == "| train | 0.5 (0–1) | 0.71× | 1.01× (0.99–1.03×) | 15 | 4 of 8 (50 %) |", lines[2]
assert lines[3:] == ["\nabove 1.0× or lost on service, at how many of the 2 draws:", "  train: a.csv vs KPA: 1 of 2 (1.03×)"], lines
print("--draws: the means over two draws and the pairs at each, as worked out by hand")
PY

rows() { grep -E '^\| [a-z_0-9]+\.csv ' "$1"; }
python3 scripts/policy-report.py --suite --split train --digits 4 --binary "$binary" > "$work/suite.txt"
python3 scripts/policy-report.py --suite --split train --digits 4 --draws 0 --binary "$binary" > "$work/draw0.txt"
diff <(rows "$work/suite.txt") <(rows "$work/draw0.txt")
grep -q '^| train | .* |$' "$work/draw0.txt"
echo "--draws 0: the suite's own report, row for row ($(rows "$work/draw0.txt" | wc -l) train traces)"
python3 scripts/policy-report.py --suite --split train --digits 4 --draws 1 --binary "$binary" > "$work/draw1.txt"
grep -q '^| part (means over draw 1) |' "$work/draw1.txt"
same=0; other=0
while IFS= read -r row; do
    name=${row#| }; name=${name%% *}
    before=$(rows "$work/suite.txt" | grep -F "| $name (")
    if grep -qxF "$name" "$work/recorded"; then
        [ "$row" = "$before" ] || { echo "recorded $name replayed otherwise at draw 1: $row"; exit 1; }
        same=$((same + 1))
    else
        [ "$row" != "$before" ] || { echo "drawn $name replayed as the suite's own at draw 1: $row"; exit 1; }
        other=$((other + 1))
    fi
done < <(rows "$work/draw1.txt")
[ $((same + other)) -eq "$(rows "$work/suite.txt" | wc -l)" ]
echo "--draws 1: the $same recorded train traces as in the suite, the $other drawn ones each replayed at another draw"

for refused in "--draws 1" "--suite --draws 1 --shift 1" "--suite --draws 1 --phases 2" "--suite --draws 1 --check"; do
    # shellcheck disable=SC2086
    if message=$(python3 scripts/policy-report.py $refused --binary /nonexistent 2>&1); then
        echo "policy-report.py $refused was accepted"; exit 1
    fi
    grep -q -- "--draws A\[-B\] needs --suite, and neither --shift, --phases nor --check" <<<"$message" || { echo "$message"; exit 1; }
done
for refused in "5-3" "1000" "x" "-1" "1-" "²"; do
    if message=$(python3 scripts/policy-report.py --suite --draws "$refused" --binary /nonexistent 2>&1); then
        echo "policy-report.py --draws $refused was accepted"; exit 1
    fi
    grep -q -- "is not a draw A or draws A-B" <<<"$message" || { echo "$message"; exit 1; }
done
echo "--draws without --suite, with --shift, --phases or --check, or not draws of 0 … 999: refused"
