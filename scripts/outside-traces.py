#!/usr/bin/env python3
"""Replays six traces made outside the trace suite and reports where the policy lands on them.

  scripts/outside-traces.py [--config config/autoscaled.conf] [--binary PATH] [--dir DIR] [--check FILE]

The six traces are Poisson arrivals for 4 hours at 1-second bins, steady or on a sine, at 1 to 10
requests a second a replica, drawn with scripts/make-suite-traces.py's `sampled` (seeds 201 to 206,
in the order of TRACES). They choose nothing: they test the square-root room and the measured
spread on traffic the suite does not have. They were seen before the rule that holds the rise's
spread between polls was written (docs/policy.md, the keys, says so).
Each is replayed with scripts/policy-report.py's `compare`, next to the perfect-foresight floor at
the same share of requests over capacity and the HPA and KPA frontiers there, as in `--suite`.

The traces and the frontiers drawn on them (until the simulator's sources change) are kept in DIR
(default .build/outside-traces). With --check FILE, exits 1 unless each trace's figures, as printed,
are the last column of the last row of FILE for that trace (docs/policy.md keeps the shipped config's
last, below the figures of earlier configs).
"""
import argparse
import importlib.util
import math
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from trace_shapes import write_whole  # noqa: E402


def load(name, file):
    """A script of this folder whose name is not a module name, as a module."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "scripts", file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = load("policy_report", "policy-report.py")
suite = load("make_suite_traces", "make-suite-traces.py")

HOURS = 4 * 3600

# (name, capacity C, startup delay D in seconds, initial replicas, requests a second at each second, seed)
TRACES = [
    ("steady 300 a second", 5, 60, 120, lambda t: 300.0, 201),
    ("steady 80 a second", 4, 120, 40, lambda t: 80.0, 202),
    ("steady 200 a second", 1, 120, 402, lambda t: 200.0, 203),
    ("150 + 100 sin(2π t ÷ 1 h) a second", 3, 120, 118,
     lambda t: 150 + 100 * math.sin(2 * math.pi * t / 3600), 204),
    ("steady 600 a second", 10, 60, 120, lambda t: 600.0, 205),
    ("100 + 60 sin(2π t ÷ 6 h) a second", 2, 120, 104,
     lambda t: 100 + 60 * math.sin(2 * math.pi * t / 21600), 206),
]


def grouped(number):
    """An integer with a space between each group of three digits, as the docs write them."""
    return f"{number:,}".replace(",", " ")


def ratio_text(ratio):
    """A ratio to a frontier as the docs' tables write it: `policy-report.py`'s cell (2 places, or a
    loss on service), then 4 places in brackets within 0.01 of 1.0, where 2 do not tell which side
    of 1.0 it is on."""
    text = report.ratio_cell(ratio)
    return f"{text} ({ratio:.4f}×)" if ratio is not None and abs(ratio - 1.0) < 0.01 else text


def last_row(lines, label):
    """The last of `lines` that is a table row for the trace `label` names, or `None`: the docs
    keep earlier figures in tables above the shipped config's."""
    found = [line for line in lines if line.startswith(label)]
    return found[-1] if found else None


def trace_file(folder, rates, seed):
    """The trace's file in `folder`, written the first time."""
    path = os.path.join(folder, f"outside_{seed}.csv")
    if not os.path.exists(path):
        width, counts = suite.sampled(1, [rates(t) for t in range(HOURS)], seed)
        write_whole(path, ["t_seconds,requests\n"] + [f"{index * width},{count}\n" for index, count in enumerate(counts)])
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=os.path.join(ROOT, "config", "autoscaled.conf"))
    parser.add_argument("--binary", help="the autoscaled binary (default: build the release one)")
    parser.add_argument("--dir", default=os.path.join(ROOT, ".build", "outside-traces"),
                        help="where the traces and their frontiers are kept (default .build/outside-traces)")
    parser.add_argument("--check", metavar="FILE",
                        help="exit 1 unless each trace's figures are the last column of its last row in FILE")
    args = parser.parse_args()
    binary = args.binary or report.release_binary()
    os.makedirs(args.dir, exist_ok=True)
    cache_path = os.path.join(args.dir, "frontiers.json")
    cache = report.load_frontiers(cache_path)
    print("| trace made outside the suite (C, D, initial) | replica-s, over %, cost ÷ floor, vs HPA, vs KPA |")
    print("|---|---|")
    rows, ratios = [], []
    for name, capacity, delay, initial, rates, seed in TRACES:
        path = trace_file(args.dir, rates, seed)
        found = report.compare(binary, args.config, path, capacity, delay, initial, cache)
        ratios += [found.ratios["HPA"], found.ratios["KPA"]]
        label = f"| {name} ({capacity}, {delay}s, {initial}) |"
        figures = (f"{grouped(found.cost)}, {found.over:.2f}, {found.cost / found.floor:.2f}, "
                   f"{ratio_text(found.ratios['HPA'])}, {ratio_text(found.ratios['KPA'])} |")
        rows.append((label, figures))
        print(f"{label} {figures}", flush=True)
    report.keep_frontiers(cache_path, cache)
    above = sum(1 for ratio in ratios if ratio is not None and ratio > 1.0)
    print(f"\nthe {len(ratios)} ratios: {report.ratio_summary(ratios, 4)}, {above} above 1.0×, "
          f"{ratios.count(None)} lost on service")
    if args.check:
        with open(args.check) as documented:
            lines = documented.read().splitlines()
        missing = [f"{label} {figures}" for label, figures in rows
                   if not (last_row(lines, label) or "").endswith(f" {figures}")]
        if missing:
            sys.exit(f"outside-traces: not the last column of the last row of {args.check} for that trace:\n" + "\n".join(missing))


if __name__ == "__main__":
    main()
