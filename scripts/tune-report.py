#!/usr/bin/env python3
"""What `autoscaled tune` does for a trace of the suite, judged where its search did not look.

  scripts/tune-report.py [--config config/autoscaled.conf] [--binary PATH] [--settings 200] TRACE.csv ...

For each named trace of config/traces/suite.json (C, D and the initial count as `policy-report.py
--suite` replays it):
1. the service goal is the config's own share of requests over capacity on the whole trace (at
   least 0.05 %), rounded up to two decimals: as good a service as the config gives;
2. `autoscaled tune` searches that many settings on the trace without its held-out end (the last
   day of a trace of five days or more, else the last 20 %: tune's own split) and writes the winner;
3. the held-out end alone, as a trace of its own started from the suite's initial-count rule on its
   first 5 minutes, is replayed with the config, with the winner, and with the HPA and KPA models at
   targets 0.1 … 0.95; each policy's cost is divided by each model's frontier at the same share over
   capacity (`policy-report.py`'s `frontier_ratio`: "loss" when it lets more requests over
   capacity than every point of the frontier).
"""

import argparse
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
_spec = importlib.util.spec_from_file_location("policy_report", os.path.join(os.path.dirname(__file__), "policy-report.py"))
policy_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(policy_report)
import foresight_floor  # noqa: E402

# The keys tune searches with `headroom = learned` (the last only where the spread is measured), and the
# poll it sets.
TUNED_KEYS = ("poll_interval", "headroom_target_load", "headroom_quantile", "headroom_window",
              "scale_down_stabilization", "replica_startup", "headroom_scale_down_margin",
              "headroom_scale_up_tolerance", "headroom_scale_down_margin_unmeasured")


def held_out_start(bins, width):
    """The first held-out bin, as `Trace.holdOutStart` has it."""
    held = 86_400 // width if bins * width >= 5 * 86_400 else bins // 5
    return min(max(bins - max(held, 1), 1), bins)


def ratios(cost, over, frontiers):
    """The ratios to the HPA and KPA frontiers (`None`: lost on service)."""
    return [policy_report.frontier_ratio(cost, over, frontiers[model]) for model in ("hpa", "kpa")]


def cells(values):
    return ", ".join(policy_report.ratio_cell(value) for value in values)


def summary(label, values):
    """Pairs above 1.0× or lost, and the mean and worst of the ratios there are."""
    above = sum(1 for value in values if value is None or value > 1.0)
    lost = sum(1 for value in values if value is None)
    return (f"{label}: {above} of {len(values)} pairs above 1.0× or lost ({lost} lost); "
            f"{policy_report.ratio_summary(values, 4)}" + (f" over the {len(values) - lost} with a ratio" if lost < len(values) else ""))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=os.path.join(ROOT, "config", "autoscaled.conf"))
    parser.add_argument("--binary", required=True)
    parser.add_argument("--settings", type=int, default=200)
    parser.add_argument("traces", nargs="+")
    args = parser.parse_args()
    traces = os.path.join(ROOT, "config", "traces")
    with open(os.path.join(traces, "suite.json")) as text:
        suite = {entry["file"]: entry for entry in json.load(text)["traces"]}
    unknown = [name for name in args.traces if name not in suite]
    if unknown:
        sys.exit(f"tune-report: not in config/traces/suite.json: {', '.join(unknown)}")
    print("| trace (split) | goal (over %) | held out: config, replica-s @ over % | vs HPA, KPA | tuned | vs HPA, KPA | the winner |")
    print("|---|---|---|---|---|---|---|")
    shipped, searched = [], []
    with tempfile.TemporaryDirectory() as work:
        for name in args.traces:
            entry = suite[name]
            path = os.path.join(traces, entry["dir"], name)
            width, counts = foresight_floor.read_trace(path)
            capacity, delay = entry["C"], entry["D"]
            initial = policy_report.initial_count(counts, width, capacity) if entry["initial"] == "auto" else entry["initial"]
            goal = max(0.05, math.ceil(policy_report.simulate(args.binary, args.config, path, capacity, delay, initial)["over"] * 100) / 100)
            winner = os.path.join(work, "tuned-" + name + ".conf")
            tuned = subprocess.run(
                [args.binary, "tune", "--config", args.config, "--trace", path, "--capacity", str(capacity),
                 "--startup-delay", f"{delay}s", "--max-over", f"{goal:.2f}", "--settings", str(args.settings),
                 "--initial", str(initial), "--min", "1", "--max", "1000", "--write", winner],
                capture_output=True, text=True)
            if tuned.returncode != 0:
                sys.exit(f"tune-report: tune on {name}: exit {tuned.returncode}\n{tuned.stderr}")
            split = held_out_start(len(counts), width)
            held = os.path.join(work, "held-" + name)
            with open(held, "w") as out:
                out.write("t_seconds,requests\n")
                for index in range(split, len(counts)):
                    out.write(f"{index * width},{counts[index]:g}\n")
            start = policy_report.initial_count(counts[split:], width, capacity)
            frontiers = {model: [(r["over"], r["replica_seconds"]) for r in (
                policy_report.simulate(args.binary, args.config, held, capacity, delay, start, (model, target))
                for target in policy_report.FRONTIER_TARGETS)] for model in ("hpa", "kpa")}
            config = policy_report.simulate(args.binary, args.config, held, capacity, delay, start)
            best = policy_report.simulate(args.binary, winner, held, capacity, delay, start)
            with open(winner) as text:
                keys = [line.strip() for line in text if re.match(r"^(%s) =" % "|".join(TUNED_KEYS), line)]
            met = "" if "no setting" not in tuned.stdout else " (not met)"
            own = ratios(config["replica_seconds"], config["over"], frontiers)
            won = ratios(best["replica_seconds"], best["over"], frontiers)
            shipped += own
            searched += won
            print(f"| {name} ({entry['split']}) | {goal:.2f}{met} | {config['replica_seconds']} @ {config['over']:.2f} "
                  f"| {cells(own)} | {best['replica_seconds']} @ {best['over']:.2f} | {cells(won)} | {'; '.join(keys)} |",
                  flush=True)
    print()
    print(summary("the config on the held-out ends", shipped))
    print(summary("the winners on the held-out ends", searched))


if __name__ == "__main__":
    main()
