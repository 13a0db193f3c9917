#!/usr/bin/env python3
"""Replays traces through `autoscaled simulate` with a config's policy and reports where it lands.

  scripts/policy-report.py [--config config/autoscaled.conf] [--binary PATH] [--check | --suite]

Public traces (config/traces/, from the Azure public datasets; see config/traces/README.md): the
policy's replica-seconds and share of requests over capacity, next to the Kubernetes HPA and
Knative KPA cost/service frontiers at the same "over %" (linear between the two rows around it;
below the lowest row, extended along its first two rows; above the highest row, its cheapest row).
The replay keeps the config's [policy] and poll_interval and sets only min_replicas = 1,
max_replicas = 1000 and initial_replicas to the trace's. With --check, exits 1 unless the policy
is cheaper than both frontiers on every public trace.

Synthetic traces (config/traces/synthetic/, made by scripts/make-synthetic-traces.py): the same
figures, next to a perfect-foresight floor: each second paid at exactly ⌈requests/s ÷ C⌉ replicas.

With --suite: every trace of config/traces/suite.json (writing config/traces/suite/ with
scripts/make-suite-traces.py when a file is missing), train and held-out test halves apart, each
next to the perfect-foresight floor at the same share of requests over capacity (a dynamic program
that knows the future and pays the startup delay, see scripts/foresight_floor.py) and, for the
public traces, the HPA and KPA frontiers.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys

from trace_shapes import read_counts

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))

# Reference figures from the public traces' README (HPA / KPA simulated from their source, same
# model as `autoscaled simulate`): (over %, replica-seconds) for targets 0.3 … 0.9.
PUBLIC = [
    ("azure_llm_conv_2023.csv", 1, 120, 7,
     [(0.15, 79771), (0.17, 59519), (0.29, 47765), (0.66, 41929), (1.97, 34436), (3.22, 31338), (5.43, 27783)],
     [(0.10, 67649), (0.28, 51120), (0.95, 41861), (2.57, 34764), (5.49, 30067), (8.78, 26356), (13.80, 24032)]),
    ("azure_llm_code_2023.csv", 2, 120, 2,
     [(3.23, 78269), (5.11, 59687), (7.96, 47831), (12.02, 39787), (14.31, 34835), (18.04, 30121), (20.51, 26791)],
     [(58.86, 67537), (60.72, 51145), (63.52, 40924), (64.29, 34877), (65.40, 29870), (67.47, 26545), (68.83, 24029)]),
    ("azure_functions_2019_invitro1350.csv", 2, 60, 19,
     [(0.01, 2074860), (0.05, 1564785), (0.28, 1253325), (0.56, 1050405), (0.93, 905580), (1.50, 796065), (2.18, 712335)],
     [(0.13, 1613636), (0.38, 1221352), (0.67, 985332), (1.04, 827002), (1.69, 716200), (2.68, 631918), (4.33, 566852)]),
]
# (file, capacity C, startup delay D, initial replicas)
SYNTHETIC = [
    ("diurnal_week_bursts.csv", 2, 60, 5),
    ("step.csv", 1, 120, 8),
    ("ramp.csv", 1, 120, 2),
    ("noise.csv", 1, 120, 20),
    ("idle.csv", 1, 120, 16),
]


def frontier(rows, over):
    rows = sorted(rows)
    if over >= rows[-1][0]:
        return rows[-1][1]
    if over <= rows[0][0]:
        (x0, y0), (x1, y1) = rows[0], rows[1]
    else:
        (x0, y0), (x1, y1) = next((a, b) for a, b in zip(rows, rows[1:]) if a[0] <= over <= b[0])
    return y0 + (over - x0) * (y1 - y0) / (x1 - x0)


def simulate(binary, config, trace, capacity, delay, initial):
    command = [binary, "simulate", "--config", config, "--trace", trace, "--capacity", str(capacity),
               "--startup-delay", str(delay), "--initial", str(initial), "--min", "1", "--max", "1000", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)}: exit {result.returncode}\n{result.stderr}")
    text = result.stdout
    return {
        "replica_seconds": int(re.search(r"replica-seconds\s+(\d+)", text).group(1)),
        "over": float(re.search(r"requests over capacity\s+\S+ of \S+ \(([\d.]+) %\)", text).group(1)),
        "events": int(re.search(r"scale events\s+(\d+)", text).group(1)),
    }


def floor_cost(trace, capacity):
    width, counts = read_counts(trace)
    return sum(width * math.ceil(count / width / capacity) for count in counts)


def suite_report(binary, config):
    import foresight_floor

    traces = os.path.join(ROOT, "config", "traces")
    with open(os.path.join(traces, "suite.json")) as text:
        suite = json.load(text)["traces"]
    if any(not os.path.exists(os.path.join(traces, entry["dir"], entry["file"])) for entry in suite):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make-suite-traces.py")], check=True)
    public = {name: (hpa, kpa) for name, _, _, _, hpa, kpa in PUBLIC}
    for split in ("train", "test"):
        print(f"\n| {split} trace (C, D, initial) | replica-s | over % | foresight floor there | cost ÷ floor | vs HPA | vs KPA |")
        print("|---|---|---|---|---|---|---|")
        ratios = []
        for entry in (entry for entry in suite if entry["split"] == split):
            path = os.path.join(traces, entry["dir"], entry["file"])
            width, counts = foresight_floor.read_trace(path)
            capacity, delay, initial = entry["C"], entry["D"], entry["initial"]
            if initial == "auto":
                first = counts[:max(1, 300 // width)]
                initial = max(1, math.ceil(first.sum() / (len(first) * width) / (capacity * 0.5)))
            result = simulate(binary, config, path, capacity, delay, initial)
            cost, over = result["replica_seconds"], result["over"]
            floor = foresight_floor.floor(counts, width, capacity, delay, initial, over)
            ratios.append(cost / floor)
            hpa, kpa = (f"{cost / frontier(rows, over):.2f}×" for rows in public[entry["file"]]) \
                if entry["file"] in public else ("", "")
            print(f"| {entry['file']} ({capacity}, {delay}s, {initial}) | {cost} | {over:.2f} | {floor:.0f} "
                  f"| {cost / floor:.2f} | {hpa} | {kpa} |")
        print(f"\n{split}: {len(ratios)} traces, cost ÷ floor mean {sum(ratios) / len(ratios):.2f}, "
              f"worst {max(ratios):.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=os.path.join(ROOT, "config", "autoscaled.conf"))
    parser.add_argument("--binary")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--suite", action="store_true")
    args = parser.parse_args()
    binary = args.binary
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "autoscaled"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.strip() + "/autoscaled"
    if args.suite:
        suite_report(binary, args.config)
        return
    beaten = True
    print("| public trace (C, D, initial) | replica-s | over % | HPA frontier there | KPA frontier there | vs HPA | vs KPA |")
    print("|---|---|---|---|---|---|---|")
    for name, capacity, delay, initial, hpa, kpa in PUBLIC:
        result = simulate(binary, args.config, os.path.join(ROOT, "config", "traces", name), capacity, delay, initial)
        cost, over = result["replica_seconds"], result["over"]
        h, k = frontier(hpa, over), frontier(kpa, over)
        beaten &= cost < h and cost < k
        print(f"| {name} ({capacity}, {delay}s, {initial}) | {cost} | {over:.2f} | {h:.0f} | {k:.0f} "
              f"| {cost / h - 1:+.1%} | {cost / k - 1:+.1%} |")
    print()
    print("| synthetic trace (C, D, initial) | replica-s | over % | scale events | perfect-foresight floor | cost ÷ floor |")
    print("|---|---|---|---|---|---|")
    for name, capacity, delay, initial in SYNTHETIC:
        path = os.path.join(ROOT, "config", "traces", "synthetic", name)
        result = simulate(binary, args.config, path, capacity, delay, initial)
        floor = floor_cost(path, capacity)
        print(f"| {name} ({capacity}, {delay}s, {initial}) | {result['replica_seconds']} | {result['over']:.2f} "
              f"| {result['events']} | {floor} | {result['replica_seconds'] / floor:.2f} |")
    if args.check and not beaten:
        sys.exit("policy-report: the policy is not cheaper than both frontiers on every public trace")


if __name__ == "__main__":
    main()
